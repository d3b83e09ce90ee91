"""The officer's decision on a reviewed version and the dynamic management of a
listed entry (suspend, reinstate, withdraw, renew), with the review-by reminders."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from kepu.core import audit, clock, mail, scope
from kepu.core.choices import Role
from kepu.core.errors import DomainError, StateConflict
from kepu.core.models import RoleAssignment
from kepu.resources import choices as c
from kepu.resources import rollups as counted
from kepu.resources.models import (
    Resource,
)
from kepu.resources.services.content import (
    _event,
    _locked,
    _open_version,
    _set_tags,
    _user,
    add_years,
    from_data,
    listing_number_for,
    refresh_search_text,
    review_years,
    set_fields,
)


@transaction.atomic
def decide(resource: Resource, *, actor, decision: str, note: str = "", today=None):
    """The officer's decision on a reviewed version: publish it (with a listing number
    the first time, and a new review-by date), return it for revision with the experts'
    comments, or reject it."""
    resource = _locked(resource)
    version = _open_version(resource)
    if version is None or version.status != c.VersionStatus.IN_REVIEW:
        raise StateConflict(_("Only a version in review can be decided."))
    scope.check(actor, resource, "decide")  # four-eyes: not the submitter (rules.py)
    assignments = list(version.assignments.all())
    if decision not in c.Decision.values:
        raise DomainError({"decision": _("Choose a decision.")})
    if decision == c.Decision.PUBLISH:
        if not assignments or any(a.submitted_at is None for a in assignments):
            raise DomainError(_("Publish once every assigned expert has filed a review."))
        if any(a.verdict != c.Verdict.ACCURATE for a in assignments) and not note.strip():
            raise DomainError(
                {"note": _("An expert did not find it accurate: say why you publish it.")}
            )
    elif not note.strip():
        raise DomainError({"note": _("Give the applicant the reasons.")})
    with counted.tracked(resource):
        version = _decide(resource, version, actor=actor, decision=decision, note=note, today=today)
    return version


def _decide(resource, version, *, actor, decision, note, today):
    today = today or clock.today()
    before = audit.snapshot(resource)
    version.decided_at, version.decided_by = clock.now(), _user(actor)
    version.decision_note = note
    if decision == c.Decision.PUBLISH:
        resource.versions.filter(status=c.VersionStatus.APPROVED).update(
            status=c.VersionStatus.SUPERSEDED
        )
        version.status = c.VersionStatus.APPROVED
        content = from_data(version.data)
        set_fields(resource, content)
        refresh_search_text(resource)
        if resource.status == c.ResourceStatus.DRAFT:
            resource.status = c.ResourceStatus.PUBLISHED
            resource.published_at = clock.now()
        if not resource.listing_number:
            resource.listing_number = listing_number_for(resource)
        resource.review_by = add_years(today, review_years())
        resource.reminded_at = None
        resource.live_version = version.number
        resource.full_clean(exclude=["search_text"])
        resource.save()
        _set_tags(resource, content)
        version.attachments.update(is_live=True)
        action, event = "resources.resource.published", c.EventAction.PUBLISHED
    elif decision == c.Decision.RETURN:
        version.status = c.VersionStatus.RETURNED
        action, event = "resources.resource.returned", c.EventAction.RETURNED
    else:
        version.status = c.VersionStatus.REJECTED
        if resource.status == c.ResourceStatus.DRAFT:
            resource.status = c.ResourceStatus.REJECTED
            resource.save(update_fields=["status", "updated_at"])
        action, event = "resources.resource.rejected", c.EventAction.REJECTED
    version.save()
    audit.record(
        action,
        obj=resource,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(resource)),
        detail={"version": version.number, "note": note},
    )
    _event(resource, event, actor=_user(actor), version=version, note=note)
    return version


# --- dynamic management -----------------------------------------------------------------

MANAGE_ACTIONS = {
    # action -> (allowed from, new status, needs a reason, event)
    "suspend": (
        (c.ResourceStatus.PUBLISHED,),
        c.ResourceStatus.SUSPENDED,
        True,
        c.EventAction.SUSPENDED,
    ),
    "reinstate": (
        (c.ResourceStatus.SUSPENDED,),
        c.ResourceStatus.PUBLISHED,
        False,
        c.EventAction.REINSTATED,
    ),
    "withdraw": (
        (c.ResourceStatus.PUBLISHED, c.ResourceStatus.SUSPENDED),
        c.ResourceStatus.WITHDRAWN,
        True,
        c.EventAction.WITHDRAWN,
    ),
    "renew": (
        (c.ResourceStatus.PUBLISHED,),
        c.ResourceStatus.PUBLISHED,
        False,
        c.EventAction.RENEWED,
    ),
}


# The audit code of each action (past participles, like every action code).
MANAGE_AUDIT_CODES = {
    "suspend": "resources.resource.suspended",
    "reinstate": "resources.resource.reinstated",
    "withdraw": "resources.resource.withdrawn",
    "renew": "resources.resource.renewed",
}


@transaction.atomic
def manage(resource: Resource, *, actor, action: str, reason: str = "", today=None) -> Resource:
    """Dynamic management of a listed entry: suspend (off the portal for now), reinstate,
    withdraw (off the catalog for good; an open version is closed with it), or renew the
    review-by date after checking the entry is still current."""
    if action not in MANAGE_ACTIONS:
        raise DomainError(_("Unknown action."))
    allowed, new_status, needs_reason, event = MANAGE_ACTIONS[action]
    resource = _locked(resource)
    if resource.status not in allowed:
        raise StateConflict(
            _("This cannot be done to an entry that is “%(status)s”.")
            % {"status": resource.get_status_display()}
        )
    if needs_reason and not reason.strip():
        raise DomainError({"reason": _("Give the reason.")})
    with counted.tracked(resource):
        _manage(resource, actor=actor, action=action, reason=reason, today=today)
    return resource


def _manage(resource, *, actor, action, reason, today) -> None:
    _allowed, new_status, needs_reason, event = MANAGE_ACTIONS[action]
    before = audit.snapshot(resource)
    resource.status = new_status
    if needs_reason:
        resource.status_reason = reason
    elif action == "reinstate":
        resource.status_reason = ""
    if action == "renew":
        resource.review_by = add_years(today or clock.today(), review_years())
        resource.reminded_at = None
    resource.save()
    if action == "withdraw":
        resource.versions.filter(status__in=c.OPEN_VERSION_STATUSES).update(
            status=c.VersionStatus.REJECTED, decision_note=reason
        )
    audit.record(
        MANAGE_AUDIT_CODES[action],
        obj=resource,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(resource)),
        detail={"reason": reason} if reason else None,
    )
    _event(resource, event, actor=_user(actor), note=reason)


def send_review_reminders(*, today=None, days: int | None = None) -> int:
    """Remind the owner unit's staff and the region's officers of entries whose review-by
    date is within `days` (once per review period). Returns how many entries."""
    today = today or clock.today()
    days = days if days is not None else getattr(settings, "KEPU_RESOURCE_REMIND_DAYS", 60)
    due = (
        Resource.objects.review_due(days, today=today)
        .filter(reminded_at__isnull=True)
        .select_related("region", "organization")
    )
    count = 0
    for resource in due.iterator():
        with transaction.atomic():
            locked = _locked(resource)
            if locked.reminded_at is not None:
                continue
            recipients = _reminder_recipients(locked)
            locked.reminded_at = clock.now()
            locked.save(update_fields=["reminded_at"])
            audit.record(
                "resources.resource.reminded",
                obj=locked,
                actor=None,
                detail={"review_by": str(locked.review_by), "recipients": len(recipients)},
            )
            _event(locked, c.EventAction.REMINDED, actor=None, note=str(locked.review_by))
            if recipients:
                subject = _("Catalog entry due for review: %(title)s") % {"title": locked.title}
                body = _(
                    "“%(title)s” (%(number)s) must be reviewed by %(date)s: check it is still "
                    "current, then renew, update or withdraw it."
                ) % {
                    "title": locked.title,
                    "number": locked.listing_number,
                    "date": locked.review_by,
                }
                message = (subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
                mail.send_later([message])
        count += 1
    return count


def _reminder_recipients(resource) -> list[str]:
    paths = [
        resource.region.path[: i + 1] for i, ch in enumerate(resource.region.path) if ch == "/"
    ]
    paths.append(resource.region.path)
    q = Q(role=Role.REGIONAL_OFFICER, region__path__in=paths)
    if resource.organization_id:
        q |= Q(role=Role.MEMBER_STAFF, organization=resource.organization)
    users = RoleAssignment.objects.filter(q, user__is_active=True).exclude(user__email="")
    emails = sorted(set(users.values_list("user__email", flat=True)))
    if resource.created_by_id and resource.created_by.email:
        emails.append(resource.created_by.email)
    return sorted(set(emails))
