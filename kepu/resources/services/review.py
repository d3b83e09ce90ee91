"""The completeness check and the experts' scientific review: the candidates
(without conflicts of interest), the assignments and the review the expert files."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from kepu.core import audit, clock, mail, scope
from kepu.core.errors import DomainError, StateConflict
from kepu.resources import accuracy
from kepu.resources import choices as c
from kepu.resources.models import (
    Resource,
    ResourceVersion,
    ReviewAssignment,
)
from kepu.resources.services.content import (
    _event,
    _locked,
    _open_version,
    _user,
)

# --- completeness check and expert review -----------------------------------------------


def conflict_reason(resource: Resource, person) -> str:
    """Why `person` may not review `resource` ("" when they may): they belong to the
    owner unit, they applied, or they work where the applicant works."""
    if resource.organization_id and person.organization_id == resource.organization_id:
        return _("works at the owner unit")
    if person.user_id is not None and scope.refusal(person.user, resource, "review"):
        return _("is the applicant")  # an expert does not review their own (rules.py)
    applicant = getattr(resource.created_by, "person", None) if resource.created_by_id else None
    if (
        applicant is not None
        and applicant.organization_id
        and (applicant.organization_id == person.organization_id)
    ):
        return _("works at the applicant's unit")
    return ""


def reviewer_candidates(resource: Resource, user, *, limit: int = 30) -> list:
    """Pool memberships whose experts may review `resource` (`accuracy.candidate_memberships`:
    a pool above the entry's region or one `user` can see, available, in term, with an
    account) without a conflict of interest. Best first: experts covering more of the
    entry's topics and hazards, then those with fewer open reviews."""
    open_load = dict(
        ReviewAssignment.objects.filter(
            submitted_at__isnull=True, version__status=c.VersionStatus.IN_REVIEW
        )
        .values_list("reviewer")
        .annotate(n=Count("pk"))
    )
    taken = ReviewAssignment.objects.filter(
        version__resource=resource, version__status=c.VersionStatus.IN_REVIEW
    ).values_list("reviewer_id", flat=True)
    return accuracy.rank_candidates(
        accuracy.candidate_memberships(resource.region, user),
        conflict=lambda person: conflict_reason(resource, person),
        taken=taken,
        topics=set(resource.codes(c.TagKind.TOPIC)) | set(resource.codes(c.TagKind.HAZARD)),
        open_load=open_load,
        limit=limit,
    )


def _check_reviewers(resource, memberships) -> None:
    """Refuse an empty choice, an expert with a conflict of interest, or one without an
    account (checked before anything is written)."""
    accuracy.check_reviewers(
        memberships,
        conflict=lambda person: conflict_reason(resource, person),
        refusal=_("%(name)s cannot review this entry: %(reason)s."),
    )


def _assign(resource, version, memberships, *, actor, due_date):
    _check_reviewers(resource, memberships)
    created = []
    for membership in memberships:
        person = membership.person
        try:
            with transaction.atomic():
                assignment = ReviewAssignment.objects.create(
                    version=version,
                    reviewer=person,
                    pool=membership.pool,
                    assigned_by=_user(actor),
                    due_date=due_date,
                )
        except IntegrityError:
            raise DomainError(
                {"reviewers": _("%(name)s already reviews this version.") % {"name": person.name}}
            ) from None
        audit.created(assignment, actor=actor, region_code=resource.region.code)
        created.append(assignment)
    return created


@transaction.atomic
def check_completeness(
    resource: Resource,
    *,
    actor,
    complete: bool,
    note: str = "",
    reviewers=(),
    due_date=None,
) -> ResourceVersion:
    """The officer's completeness check of a submitted version: complete sends it to the
    chosen experts (pool memberships) for scientific review; incomplete returns it with
    the note."""
    resource = _locked(resource)
    version = _open_version(resource)
    if version is None or version.status != c.VersionStatus.SUBMITTED:
        raise StateConflict(_("Only a submitted version waits for the completeness check."))
    version.checked_at, version.checked_by = clock.now(), _user(actor)
    if not complete:
        if not note.strip():
            raise DomainError({"note": _("Say what is missing.")})
        version.status = c.VersionStatus.RETURNED
        version.decision_note = note
        version.save(update_fields=["status", "checked_at", "checked_by", "decision_note"])
        audit.record(
            "resources.resource.marked_incomplete",
            obj=resource,
            actor=actor,
            detail={"version": version.number, "note": note},
        )
        _event(resource, c.EventAction.INCOMPLETE, actor=_user(actor), version=version, note=note)
        return version
    reviewers = list(reviewers)
    _check_reviewers(resource, reviewers)
    if due_date is None:
        # The emergency SLA: an emergency-library entry about a hazard with an open
        # incident is reviewed the same day (issue 25), anything else within 14 days.
        urgent = is_urgent(resource)
        due_date = clock.today() + datetime.timedelta(days=0 if urgent else 14)
    version.status = c.VersionStatus.IN_REVIEW
    version.save(update_fields=["status", "checked_at", "checked_by"])
    assignments = _assign(resource, version, reviewers, actor=actor, due_date=due_date)
    audit.record(
        "resources.resource.checked",
        obj=resource,
        actor=actor,
        detail={"version": version.number, "experts": [a.reviewer.name for a in assignments]},
    )
    _event(resource, c.EventAction.CHECKED, actor=_user(actor), version=version, note=note)
    _notify_experts(assignments)
    return version


# The hazards with an open emergency: providers registered by the emergency app (the
# catalog does not import it), each returning a set of hazard codes.
URGENT_HAZARDS: list = []


def urgent_hazards() -> set[str]:
    """The hazards of the open incidents (real ones, not drills)."""
    return set().union(*(provider() for provider in URGENT_HAZARDS))


def is_urgent(resource: Resource) -> bool:
    """An emergency-library entry about a hazard with an open incident: its review runs
    under the emergency SLA (due the same day, first in the review queue)."""
    if not resource.is_emergency:
        return False
    hazards = urgent_hazards()
    return bool(hazards) and resource.tags.filter(kind=c.TagKind.HAZARD, code__in=hazards).exists()


@transaction.atomic
def add_reviewers(resource: Resource, *, actor, reviewers, due_date=None) -> list:
    resource = _locked(resource)
    version = _open_version(resource)
    if version is None or version.status != c.VersionStatus.IN_REVIEW:
        raise StateConflict(_("Experts can be added only while the version is in review."))
    due_date = due_date or clock.today() + datetime.timedelta(days=14)
    assignments = _assign(resource, version, list(reviewers), actor=actor, due_date=due_date)
    _notify_experts(assignments)
    return assignments


def _notify_experts(assignments) -> None:
    from django.urls import reverse

    messages = []
    for assignment in assignments:
        user = assignment.reviewer.user
        if user is None or not user.email:
            continue
        path = reverse("resources:expert_review", kwargs={"pk": assignment.pk})
        messages.append(
            (
                _("Scientific review requested: %(title)s")
                % {"title": assignment.version.resource.title},
                _("Please review “%(title)s” by %(due)s: %(path)s")
                % {
                    "title": assignment.version.resource.title,
                    "due": assignment.due_date,
                    "path": path,
                },
                settings.DEFAULT_FROM_EMAIL,
                [user.email],
            )
        )
    if messages:
        mail.send_later(messages)


@transaction.atomic
def file_review(
    assignment: ReviewAssignment,
    *,
    actor,
    verdict: str,
    comments: str = "",
    facts_correct: bool,
    sources_reliable: bool,
    fits_audience: bool,
) -> ReviewAssignment:
    """The expert's structured review. Only the assigned expert files it, once, while the
    version is in review; a verdict other than "accurate" needs comments."""
    assignment = ReviewAssignment.objects.select_for_update().get(pk=assignment.pk)
    version = assignment.version
    resource = version.resource
    scope.check(actor, assignment, "file")  # the assigned expert only (rules.py)
    if assignment.submitted_at is not None:
        raise StateConflict(_("This review has already been filed."))
    if version.status != c.VersionStatus.IN_REVIEW:
        raise StateConflict(_("This version is no longer in review."))
    accuracy.check_filing(verdict, comments)
    assignment.fill(
        verdict=verdict,
        comments=comments,
        facts_correct=facts_correct,
        sources_reliable=sources_reliable,
        fits_audience=fits_audience,
    )
    assignment.save()
    audit.record(
        "resources.reviewassignment.filed",
        obj=assignment,
        actor=actor,
        changes=audit.diff({}, audit.snapshot(assignment)),
        region_code=resource.region.code,
    )
    _event(
        resource,
        c.EventAction.REVIEWED,
        actor=_user(actor),
        version=version,
        note=assignment.get_verdict_display(),
    )
    return assignment
