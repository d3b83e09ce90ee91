"""The people registry's workbench items (`kepu.core.workbench`): registrations waiting
for the user to certify (scope and four-eyes: not the ones they entered themselves)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kepu.core import scope, workbench
from kepu.people.choices import RegistrationStatus
from kepu.people.models import Registration

workbench.link("people.person", "people:person_detail")
workbench.link("people.volunteerteam", "people:team_detail")


@workbench.register
def registrations(user, focus):
    if not scope.has_permission(user, "people.registration.review"):
        return
    pending = scope.actionable(user, Registration, "review").filter(
        status=RegistrationStatus.PENDING
    )
    yield workbench.todo(
        "people.registrations",
        _("Registrations to certify"),
        reverse("people:registration_list") + "?status=pending&awaiting=true",
        pending,
        date_field="applied_at",
        icon="user-check",
    )


@workbench.register
def officer_feedback(user, focus):
    """A reminder: the region above sent this month's information-officer feedback."""
    if focus is None or focus.parent_id is None:
        return
    if not scope.has_permission(user, "people.officermonth.view"):
        return
    from kepu.people.models import OfficerFeedback

    sent = (
        OfficerFeedback.objects.filter(region_id=focus.parent_id)
        .order_by("-month")
        .values_list("month", "sent_at")
        .first()
    )
    if sent is None:
        return
    month, sent_at = sent
    yield workbench.Item(
        key="people.officer_feedback",
        label=_("Monthly feedback on information officers received"),
        url=f"{reverse('people:officer_feedback')}?region={focus.code}&month={month:%Y-%m}",
        count=1,
        oldest=sent_at,
        kind=workbench.REMINDER,
        icon="send",
    )
