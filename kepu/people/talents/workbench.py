"""Workbench items of the talent service: the high-level talents the user is the contact
of and has not contacted for CONTACT_EVERY_MONTHS months (seed 000 (六): regular contact),
and the talent applications awaiting the user's recommendation."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kepu.core import scope, workbench
from kepu.people.models import HighLevelTalent, TalentApplication
from kepu.people.talents.choices import CONTACT_EVERY_MONTHS, ApplicationStatus

workbench.link("people.highleveltalent", "people:talent_detail")
workbench.link("people.talentapplication", "people:talent_application_detail")


@workbench.register
def talents_to_contact(user, focus):
    if not scope.has_permission(user, "people.highleveltalent.view"):
        return
    due = HighLevelTalent.objects.filter(contact=user, is_active=True).not_contacted_for(
        CONTACT_EVERY_MONTHS
    )
    yield workbench.todo(
        "people.talents_to_contact",
        _("High-level talents to contact"),
        reverse("people:talent_list") + f"?mine=true&overdue={CONTACT_EVERY_MONTHS}",
        due,
        date_field="since",
        icon="star",
    )


@workbench.register
def applications_to_recommend(user, focus):
    if not scope.has_permission(user, "people.talentapplication.recommend"):
        return
    waiting = scope.actionable(user, TalentApplication, "recommend").filter(
        status=ApplicationStatus.SUBMITTED
    )
    yield workbench.todo(
        "people.talent_applications",
        _("Talent applications to recommend"),
        reverse("people:talent_application_list") + f"?status={ApplicationStatus.SUBMITTED}",
        waiting,
        date_field="submitted_at",
        icon="certificate",
    )
