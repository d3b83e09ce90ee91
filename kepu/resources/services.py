"""Every state change of the catalog: in a transaction, under a row lock, audited, with
an event on the entry's timeline, refusing what the rules refuse for pages, API, imports
and commands alike.

The content of an entry travels as a dict (`content`): the model's CONTENT_FIELDS with
Python values (a Region for `region`) plus the lists `groups`, `topics` and `hazards`.
A version stores the same content as plain JSON (`to_data` / `from_data`).
"""

from __future__ import annotations

import datetime
import difflib
import io
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from kepu.core import audit, clock, scope
from kepu.core.choices import KeyGroup, Role, Topic
from kepu.core.errors import DomainError, StateConflict
from kepu.core.models import Region, RoleAssignment
from kepu.core.search import search_text
from kepu.core.uploads import check_upload, extension
from kepu.resources import choices as c
from kepu.resources.models import (
    Resource,
    ResourceAttachment,
    ResourceEvent,
    ResourceTag,
    ResourceVersion,
    ReviewAssignment,
)
from kepu.resources.permissions import require_applicant

TAG_LISTS = {"groups": c.TagKind.GROUP, "topics": c.TagKind.TOPIC, "hazards": c.TagKind.HAZARD}
TAG_CHOICES = {"groups": KeyGroup.choices, "topics": Topic.choices, "hazards": c.HAZARD_CHOICES}
IMAGE_TYPES = ("jpg", "jpeg", "png")
ATTACHMENT_LIMITS = {
    # extension -> (kind, max bytes)
    "jpg": (c.AttachmentKind.IMAGE, 10 * 1024 * 1024),
    "jpeg": (c.AttachmentKind.IMAGE, 10 * 1024 * 1024),
    "png": (c.AttachmentKind.IMAGE, 10 * 1024 * 1024),
    "pdf": (c.AttachmentKind.PDF, 30 * 1024 * 1024),
    "mp4": (c.AttachmentKind.VIDEO, 300 * 1024 * 1024),
}
MAX_ATTACHMENTS = 20
THUMBNAIL_SIZE = (480, 360)


def review_years() -> int:
    return getattr(settings, "KEPU_RESOURCE_REVIEW_YEARS", 2)


# --- content <-> data -------------------------------------------------------------------


def _plain(value):
    if isinstance(value, Region):
        return value.code
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def to_data(content: dict) -> dict:
    """The JSON form of a content dict (what a version stores)."""
    data = {}
    for name in Resource.CONTENT_FIELDS:
        if name in content:
            data[name] = _plain(content[name])
    for name in TAG_LISTS:
        data[name] = sorted(set(content.get(name) or []))
    return data


def from_data(data: dict) -> dict:
    """The content dict of a version's JSON (regions and dates as objects)."""
    content = {}
    for name in Resource.CONTENT_FIELDS:
        if name not in data:
            continue
        value = data[name]
        field = Resource._meta.get_field(name)
        if name == "region":
            value = Region.objects.get(code=value)
        elif value in (None, "") and field.null:
            value = None
        elif field.get_internal_type() == "DateField" and value:
            value = datetime.date.fromisoformat(value)
        elif field.get_internal_type() == "DecimalField" and value is not None:
            value = Decimal(str(value))
        content[name] = value
    for name in TAG_LISTS:
        content[name] = list(data.get(name) or [])
    return content


def content_of(resource: Resource) -> dict:
    """The live content of an entry (fields and tags)."""
    content = {name: getattr(resource, name) for name in Resource.CONTENT_FIELDS}
    for name, kind in TAG_LISTS.items():
        content[name] = resource.codes(kind)
    return content


def check_content(resource_type, content: dict) -> None:
    """Refuse content that the catalog cannot hold, naming each field."""
    errors = {}
    for name in TAG_LISTS:
        values = {value for value, _label in TAG_CHOICES[name]}
        bad = [v for v in content.get(name) or [] if v not in values]
        if bad:
            errors[name] = _("Unknown values: %(values)s.") % {"values": "、".join(bad)}
    if not content.get("groups"):
        errors["groups"] = _("Choose at least one audience group.")
    if content.get("is_emergency") and not content.get("hazards"):
        errors["hazards"] = _("Name the hazards an emergency-library resource covers.")
    latitude, longitude = content.get("latitude"), content.get("longitude")
    if (latitude is None) != (longitude is None):
        errors["longitude"] = _("Give both the latitude and the longitude, or neither.")
    elif latitude is not None:
        try:
            lat, lon = Decimal(str(latitude)), Decimal(str(longitude))
        except InvalidOperation:
            lat = lon = None
        if lat is None or not (3 <= lat <= 54) or not (73 <= lon <= 136):
            errors["latitude"] = _("These coordinates are not in China.")
    if errors:
        raise DomainError(errors)


def missing_fields(resource_type, content: dict) -> list[str]:
    """Labels of the fields the type requires that are still empty (the completeness
    list the applicant and the officer see)."""
    missing = []
    for name in ["title", "summary", *Resource.REQUIRED_FIELDS.get(resource_type, [])]:
        if content.get(name) in (None, ""):
            missing.append(str(Resource._meta.get_field(name).verbose_name))
    if resource_type == c.ResourceType.PLACE and content.get("latitude") is None:
        missing.append(str(_("location on the map")))
    return missing


def set_fields(resource: Resource, content: dict) -> None:
    for name in Resource.CONTENT_FIELDS:
        if name in content:
            setattr(resource, name, content[name])
    # Fields that do not belong to the type are kept empty.
    own = set(Resource.COMMON_FIELDS) | set(resource.type_fields())
    for name in Resource.CONTENT_FIELDS:
        if name not in own:
            field = Resource._meta.get_field(name)
            setattr(resource, name, None if field.null else field.get_default())


def _set_tags(resource: Resource, content: dict) -> None:
    resource.tags.all().delete()
    ResourceTag.objects.bulk_create(
        ResourceTag(resource=resource, kind=kind, code=code)
        for name, kind in TAG_LISTS.items()
        for code in sorted(set(content.get(name) or []))
    )


def refresh_search_text(resource: Resource) -> None:
    owner = resource.organization.name if resource.organization_id else ""
    resource.search_text = search_text(*(getattr(resource, f) for f in Resource.TEXT_FIELDS), owner)


def _event(resource, action, *, actor, version=None, note=""):
    return ResourceEvent.objects.create(
        resource=resource, version=version, action=action, actor=actor, note=note
    )


def _locked(resource) -> Resource:
    return Resource.objects.select_for_update().get(pk=resource.pk)


def _open_version(resource, *, lock=True):
    queryset = resource.versions.filter(status__in=c.OPEN_VERSION_STATUSES)
    if lock:
        queryset = queryset.select_for_update()
    return queryset.first()


# --- applying and editing ---------------------------------------------------------------


@transaction.atomic
def create_resource(
    *,
    actor,
    resource_type,
    organization,
    content: dict,
    note: str = "",
    submit: bool = False,
    audit_entry: bool = True,
) -> Resource:
    """A new entry and its first version (a draft, or submitted at once)."""
    if resource_type not in c.ResourceType.values:
        raise DomainError({"resource_type": _("Choose a resource type.")})
    region = content.get("region")
    if region is None:
        raise DomainError({"region": _("Choose the region.")})
    require_applicant(actor, organization, region)
    check_content(resource_type, content)
    resource = Resource(
        resource_type=resource_type,
        organization=organization,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    set_fields(resource, content)
    refresh_search_text(resource)
    resource.full_clean(exclude=["search_text"])
    resource.save()
    _set_tags(resource, content)
    version = ResourceVersion.objects.create(
        resource=resource,
        number=1,
        data=to_data(content_of(resource)),
        note=note,
        created_by=resource.created_by,
    )
    if audit_entry:
        audit.created(resource, actor=actor)
    _event(resource, c.EventAction.CREATED, actor=resource.created_by, version=version)
    if submit:
        submit_version(resource, actor=actor)
    return resource


@transaction.atomic
def update_content(resource: Resource, *, actor, content: dict, note=None) -> ResourceVersion:
    """Change the content. Before the first publication the entry itself changes with its
    open version; a published (or suspended) entry keeps its live content and the change
    becomes a new draft version for review."""
    resource = _locked(resource)
    if resource.status in (c.ResourceStatus.WITHDRAWN, c.ResourceStatus.REJECTED):
        raise StateConflict(_("A withdrawn or rejected entry can no longer be changed."))
    version = _open_version(resource)
    if version is not None and not version.is_editable:
        raise StateConflict(
            _("This entry is being reviewed; it can be changed once the review is decided.")
        )
    merged = {**content_of(resource), **(from_data(version.data) if version else {}), **content}
    check_content(resource.resource_type, merged)
    region = merged["region"]
    if region != resource.region:
        require_applicant(actor, resource.organization, region)
    before = to_data(from_data(version.data)) if version else to_data(content_of(resource))
    data = to_data(merged)
    if version is None:
        if resource.status == c.ResourceStatus.DRAFT:
            raise StateConflict(_("This entry has no version to change."))
        number = (resource.versions.order_by("-number").values_list("number", flat=True)[0]) + 1
        version = ResourceVersion.objects.create(
            resource=resource,
            number=number,
            data=data,
            note=note or "",
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
    else:
        version.data = data
        if note is not None:
            version.note = note
        version.save(update_fields=["data", "note"])
    if resource.status == c.ResourceStatus.DRAFT:
        set_fields(resource, merged)
        refresh_search_text(resource)
        resource.full_clean(exclude=["search_text"])
        resource.save()
        _set_tags(resource, merged)
    changes = {k: [before.get(k), v] for k, v in data.items() if before.get(k) != v}
    if changes:
        audit.record(
            "resources.resource.edited",
            obj=resource,
            actor=actor,
            changes=changes,
            detail={"version": version.number},
        )
        _event(resource, c.EventAction.EDITED, actor=version.created_by, version=version)
    return version


@transaction.atomic
def submit_version(resource: Resource, *, actor, note=None) -> ResourceVersion:
    """Send the open draft (or returned) version to the completeness check."""
    resource = _locked(resource)
    version = _open_version(resource)
    if version is None or not version.is_editable:
        raise StateConflict(_("There is nothing to submit: no draft or returned version."))
    missing = missing_fields(resource.resource_type, from_data(version.data))
    if missing:
        raise DomainError(
            _("Fill in before submitting: %(fields)s.") % {"fields": "、".join(missing)}
        )
    version.status = c.VersionStatus.SUBMITTED
    version.submitted_at = clock.now()
    if note is not None:
        version.note = note
    version.save(update_fields=["status", "submitted_at", "note"])
    audit.record(
        "resources.resource.submitted",
        obj=resource,
        actor=actor,
        detail={"version": version.number},
    )
    _event(resource, c.EventAction.SUBMITTED, actor=_user(actor), version=version)
    return version


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


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
    """Pool memberships whose experts may review `resource`: in a pool `user` can see or
    one kept by a region above the entry's, available and in term, with an account to log
    in with, and without a conflict of interest. Best first: experts covering more of the
    entry's topics and hazards, then those with fewer open reviews."""
    from kepu.core.scope import visible_to
    from kepu.people.models import PoolMembership

    today = clock.today()
    topics = set(resource.codes(c.TagKind.TOPIC)) | set(resource.codes(c.TagKind.HAZARD))
    # The pools the officer keeps, and those of the regions above the entry's (a county
    # draws on the provincial expert pool).
    pools_above = Q(pool__region__in=resource.region.ancestors(include_self=True))
    in_scope = Q(pk__in=visible_to(user, PoolMembership).values("pk"))
    memberships = (
        PoolMembership.objects.filter(pools_above | in_scope)
        .filter(available=True, pool__is_active=True, person__user__isnull=False)
        .filter(Q(term_end__isnull=True) | Q(term_end__gte=today), term_start__lte=today)
        .filter(person__erased_at__isnull=True)
        .select_related("person", "person__organization", "person__user", "pool")
        .prefetch_related("topics")
    )
    open_load = dict(
        ReviewAssignment.objects.filter(
            submitted_at__isnull=True, version__status=c.VersionStatus.IN_REVIEW
        )
        .values_list("reviewer")
        .annotate(n=Count("pk"))
    )
    taken = set(
        ReviewAssignment.objects.filter(
            version__resource=resource, version__status=c.VersionStatus.IN_REVIEW
        ).values_list("reviewer_id", flat=True)
    )
    seen, ranked = set(), []
    for membership in memberships[:2000]:
        person = membership.person
        if person.pk in seen or person.pk in taken or conflict_reason(resource, person):
            continue
        seen.add(person.pk)
        match = len(topics & {t.topic for t in membership.topics.all()})
        membership.topic_match = match
        membership.open_reviews = open_load.get(person.pk, 0)
        ranked.append(membership)
    ranked.sort(key=lambda m: (-m.topic_match, m.open_reviews, m.person.name))
    return ranked[:limit]


def _check_reviewers(resource, memberships) -> None:
    """Refuse an empty choice, an expert with a conflict of interest, or one without an
    account (checked before anything is written)."""
    if not memberships:
        raise DomainError({"reviewers": _("Choose at least one expert.")})
    for membership in memberships:
        person = membership.person
        reason = conflict_reason(resource, person)
        if reason:
            raise DomainError(
                {
                    "reviewers": _("%(name)s cannot review this entry: %(reason)s.")
                    % {"name": person.name, "reason": reason}
                }
            )
        if person.user_id is None:
            raise DomainError(
                {"reviewers": _("%(name)s has no account to review with.") % {"name": person.name}}
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
        due_date = clock.today() + datetime.timedelta(days=14)
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
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=True))


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
    if verdict not in c.Verdict.values:
        raise DomainError({"verdict": _("Choose a verdict.")})
    if verdict != c.Verdict.ACCURATE and not comments.strip():
        raise DomainError({"comments": _("Say what must change, or why it should be rejected.")})
    assignment.verdict = verdict
    assignment.comments = comments
    assignment.facts_correct = facts_correct
    assignment.sources_reliable = sources_reliable
    assignment.fits_audience = fits_audience
    assignment.submitted_at = clock.now()
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


def listing_number_for(resource: Resource) -> str:
    year = clock.today().year
    letter = c.TYPE_LETTER[resource.resource_type]
    return f"KP{resource.region.code[:2]}-{year}-{letter}{resource.pk:06d}"


@transaction.atomic
def decide(resource: Resource, *, actor, decision: str, note: str = "", today=None):
    """The officer's decision on a reviewed version: publish it (with a listing number
    the first time, and a new review-by date), return it for revision with the experts'
    comments, or reject it."""
    resource = _locked(resource)
    version = _open_version(resource)
    if version is None or version.status != c.VersionStatus.IN_REVIEW:
        raise StateConflict(_("Only a version in review can be decided."))
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


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


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
    return resource


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
                transaction.on_commit(lambda m=message: send_mass_mail([m], fail_silently=True))
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


# --- attachments ------------------------------------------------------------------------


def _editable_version(resource: Resource, actor) -> ResourceVersion:
    """The version new files join: the open draft, or a new draft of a listed entry."""
    version = _open_version(resource)
    if version is not None:
        if not version.is_editable:
            raise StateConflict(
                _("This entry is being reviewed; files can be added once it is decided.")
            )
        return version
    if resource.status not in (c.ResourceStatus.PUBLISHED, c.ResourceStatus.SUSPENDED):
        raise StateConflict(_("Files can no longer be added to this entry."))
    return update_content(resource, actor=actor, content={})


def _thumbnail(upload) -> ContentFile | None:
    """A JPEG thumbnail of an image (which also proves the image decodes); None when it
    does not."""
    from PIL import Image, UnidentifiedImageError

    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image = image.convert("RGB")
            image.thumbnail(THUMBNAIL_SIZE)
            out = io.BytesIO()
            image.save(out, "JPEG", quality=82)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    finally:
        upload.seek(0)
    return ContentFile(out.getvalue(), name="thumb.jpg")


@transaction.atomic
def add_attachment(resource: Resource, *, actor, upload, caption: str = "") -> ResourceAttachment:
    """Add a file, checked by its content against its type and size limit. It joins the
    open version and goes live when that version is published."""
    resource = _locked(resource)
    ext = extension(upload.name)
    if ext not in ATTACHMENT_LIMITS:
        raise DomainError(
            _("“%(name)s”: only these file types are accepted: %(types)s.")
            % {"name": upload.name, "types": "JPG, PNG, PDF, MP4"}
        )
    kind, max_bytes = ATTACHMENT_LIMITS[ext]
    content_type = check_upload(upload, extensions=tuple(ATTACHMENT_LIMITS), max_bytes=max_bytes)
    thumbnail = None
    if kind == c.AttachmentKind.IMAGE:
        thumbnail = _thumbnail(upload)
        if thumbnail is None:
            raise DomainError(
                _("“%(name)s” is not an image that can be opened.") % {"name": upload.name}
            )
    if resource.attachments.count() >= MAX_ATTACHMENTS:
        raise DomainError(_("An entry holds at most %(n)d files.") % {"n": MAX_ATTACHMENTS})
    version = _editable_version(resource, actor)
    attachment = ResourceAttachment(
        resource=resource,
        version=version,
        kind=kind,
        original_name=upload.name[:200],
        content_type=content_type,
        size=upload.size,
        caption=caption,
        uploaded_by=_user(actor),
    )
    attachment.file.save(upload.name, upload, save=False)
    if thumbnail is not None:
        attachment.thumbnail.save("thumb.jpg", thumbnail, save=False)
    attachment.save()
    audit.created(attachment, actor=actor, region_code=resource.region.code)
    return attachment


@transaction.atomic
def remove_attachment(attachment: ResourceAttachment, *, actor, officer: bool = False) -> None:
    """Remove a file. A file already public is removed by an officer only."""
    if attachment.is_live and not officer:
        raise DomainError(_("A published file can be removed by the catalog officers only."))
    if not attachment.is_live and not attachment.version.is_editable and not officer:
        raise StateConflict(_("This file is under review and cannot be removed now."))
    audit.record(
        "resources.resourceattachment.deleted",
        obj=attachment,
        actor=actor,
        changes=audit.diff(audit.snapshot(attachment), {}),
        region_code=attachment.resource.region.code,
    )
    storage = attachment.file.storage
    names = [f.name for f in (attachment.file, attachment.thumbnail) if f]
    attachment.delete()
    # The files go once the deletion is committed (a rolled-back request keeps them).
    transaction.on_commit(lambda: [storage.delete(name) for name in names])


# --- versions ---------------------------------------------------------------------------


def display_value(name, value):
    if value in (None, "", []):
        return ""
    if name == "region":
        region = Region.objects.filter(code=value).first()
        return region.full_name if region else str(value)
    if name in TAG_LISTS:
        labels = dict(TAG_CHOICES[name])
        return "、".join(str(labels.get(v, v)) for v in value)
    field = Resource._meta.get_field(name)
    if field.choices:
        return str(dict(field.choices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return str(value)


def field_label(name):
    if name in TAG_LISTS:
        return {
            "groups": _("Audience groups"),
            "topics": _("Topics"),
            "hazards": _("Hazard types"),
        }[name]
    return str(Resource._meta.get_field(name).verbose_name)


def version_diff(old: dict | None, new: dict) -> list[dict]:
    """What changed between two versions' data, readable: one row per changed field with
    its label, the old and new text, and for long texts a line diff (`lines`: pairs of
    "-", "+" or " " and the line)."""
    old = old or {}
    rows = []
    for name in [*Resource.CONTENT_FIELDS, *TAG_LISTS]:
        before, after = old.get(name), new.get(name)
        if before == after or (before in (None, "", []) and after in (None, "", [])):
            continue
        row = {
            "field": name,
            "label": field_label(name),
            "old": display_value(name, before),
            "new": display_value(name, after),
            "lines": [],
        }
        if isinstance(after, str) and (len(after) > 120 or "\n" in after):
            for line in difflib.ndiff(str(before or "").splitlines(), after.splitlines()):
                if line[:1] in "-+ " and not line.startswith("?"):
                    row["lines"].append((line[:1], line[2:]))
        rows.append(row)
    return rows


def previous_data(version: ResourceVersion) -> dict | None:
    """The data of the version before `version` that was published (what it changes)."""
    earlier = (
        version.resource.versions.filter(
            number__lt=version.number,
            status__in=(c.VersionStatus.APPROVED, c.VersionStatus.SUPERSEDED),
        )
        .order_by("-number")
        .first()
    )
    return earlier.data if earlier else None
