"""Every state change of activities and campaigns, each in one transaction with its audit
entry. The activity workflow is one transition table:

    draft ─submit→ submitted ─approve→ published ─(report)→ reported
      ↑               │ └─reject→ rejected
      └──returned ←───┘ (return, with reasons; the organizer edits and submits again)
    draft / submitted / returned / published ─cancel→ cancelled

Sign-ups lock the activity row (the capacity counter) before they count, so concurrent
sign-ups can never overbook; a cancellation moves the first person on the waiting list up
inside the same transaction.
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kepu.activities import choices as c
from kepu.activities import rollups as counters
from kepu.activities.models import (
    Activity,
    ActivityReport,
    ActivityTag,
    Campaign,
    MobileFacility,
    ReportPhoto,
    ReviewDecision,
    SignUp,
)
from kepu.core import audit, clock, crypto, pii, publiccache, rollups, scope
from kepu.core.choices import ROLE_SCOPE, NoticePurpose, ScopeKind
from kepu.core.errors import DomainError, StateConflict
from kepu.core.models import PrivacyNotice
from kepu.core.places import Places
from kepu.core.scope import allowed_regions, granting_assignments, require_region, visible_to
from kepu.core.search import search_text
from kepu.core.uploads import check_upload

TRANSITIONS = {
    "submit": (c.EDITABLE_STATUSES, c.ActivityStatus.SUBMITTED),
    "approve": ((c.ActivityStatus.SUBMITTED,), c.ActivityStatus.PUBLISHED),
    "return": ((c.ActivityStatus.SUBMITTED,), c.ActivityStatus.RETURNED),
    "reject": ((c.ActivityStatus.SUBMITTED,), c.ActivityStatus.REJECTED),
    "cancel": (c.LIVE_STATUSES, c.ActivityStatus.CANCELLED),
}
DECISIONS = {
    "approve": c.Decision.APPROVED,
    "return": c.Decision.RETURNED,
    "reject": c.Decision.REJECTED,
}
# The public cache's tag of the calendar and its feed: bumped when a published activity
# appears, changes or goes (not on each sign-up: the places left may lag a minute).
PUBLIC_TAG = "activities"
TICKET_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud safely
PHOTO_EXTENSIONS = ("jpg", "jpeg", "png")
MAX_PHOTOS = 6
MAX_PHOTO_BYTES = 5 * 1024 * 1024


def report_days() -> int:
    return settings.KEPU_ACTIVITY_REPORT_DAYS


def _transition(activity: Activity, step: str) -> None:
    sources, target = TRANSITIONS[step]
    if activity.status not in sources:
        raise StateConflict(
            _("This activity is “%(status)s”; it cannot be changed that way now.")
            % {"status": activity.get_status_display()}
        )
    activity.status = target


def _locked(activity: Activity) -> Activity:
    return Activity.objects.select_for_update().get(pk=activity.pk)


# --- placement: who may put an activity where -------------------------------------------


def require_placement(actor, action: str, organization, region) -> None:
    """An officer may place activities in the regions of their scope (for any organizer
    they can see); member-unit staff for their own unit, anywhere inside the unit's
    region. `actor` None is the system (demo, commands)."""
    if actor is None:
        return
    if allowed_regions(actor, Activity, action).filter(pk=region.pk).exists():
        return
    org_ids = {
        a.organization_id
        for a in granting_assignments(actor, Activity, action)
        if ROLE_SCOPE[a.role] == ScopeKind.ORGANIZATION
    }
    own_unit = organization.pk in org_ids or organization.parent_id in org_ids
    if own_unit and region.path.startswith(organization.region.path):
        return
    raise DomainError(_("You cannot organize activities for this unit in this region."))


# --- campaigns and facilities -----------------------------------------------------------


@transaction.atomic
def create_campaign(*, actor, region, **fields) -> Campaign:
    require_region(actor, Campaign, "create", region)
    campaign = Campaign(region=region, created_at=clock.now(), **fields)
    campaign.full_clean()
    campaign.save()
    audit.created(campaign, actor=actor)
    return campaign


@transaction.atomic
def update_campaign(campaign: Campaign, *, actor, **fields) -> Campaign:
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    before = audit.snapshot(campaign)
    for name, value in fields.items():
        setattr(campaign, name, value)
    campaign.full_clean()
    changes = audit.diff(before, audit.snapshot(campaign))
    campaign.save()
    if changes:
        audit.record("activities.campaign.updated", obj=campaign, actor=actor, changes=changes)
        publiccache.bump(PUBLIC_TAG)
    return campaign


@transaction.atomic
def create_facility(*, actor, organization, region, **fields) -> MobileFacility:
    require_region(actor, MobileFacility, "create", region)
    facility = MobileFacility(
        organization=organization, region=region, created_at=clock.now(), **fields
    )
    facility.full_clean()
    facility.save()
    audit.created(facility, actor=actor)
    return facility


@transaction.atomic
def update_facility(facility: MobileFacility, *, actor, **fields) -> MobileFacility:
    facility = MobileFacility.objects.select_for_update().get(pk=facility.pk)
    before = audit.snapshot(facility)
    for name, value in fields.items():
        setattr(facility, name, value)
    facility.full_clean()
    changes = audit.diff(before, audit.snapshot(facility))
    facility.save()
    if changes:
        audit.record(
            "activities.mobilefacility.updated", obj=facility, actor=actor, changes=changes
        )
    return facility


# --- activities -------------------------------------------------------------------------


def _check_rules(activity: Activity) -> None:
    if activity.ends_at and activity.starts_at and activity.ends_at < activity.starts_at:
        raise DomainError({"ends_at": _("The activity cannot end before it starts.")})
    if activity.signup_required and not activity.capacity:
        raise DomainError({"capacity": _("Give the number of places when sign-up is required.")})
    if activity.kind == c.ActivityKind.LIVE and not activity.online_url:
        raise DomainError({"online_url": _("Give the link of the live stream.")})
    if (activity.latitude is None) != (activity.longitude is None):
        raise DomainError({"latitude": _("Give both latitude and longitude, or neither.")})
    if activity.latitude is not None and not (
        -90 <= activity.latitude <= 90 and -180 <= activity.longitude <= 180
    ):
        raise DomainError({"latitude": _("These coordinates are not on Earth.")})
    if activity.capacity is not None and activity.capacity < activity.confirmed_count:
        raise DomainError(
            {
                "capacity": _("%(n)d people are already confirmed; there cannot be fewer places.")
                % {"n": activity.confirmed_count}
            }
        )


def _check_booking(actor, facility) -> None:
    """Only the officers of a facility's region (and above) plan its stops
    (`activities.mobilefacility.book`); `actor` None is the system."""
    if actor is None or facility is None:
        return
    if not visible_to(actor, MobileFacility, "book", public=False).filter(pk=facility.pk).exists():
        raise DomainError(
            {
                "facility": _(
                    "Only the officers of “%(name)s”'s region plan its stops; ask them to "
                    "schedule it for you."
                )
                % {"name": facility.name}
            }
        )


def _check_facility(activity: Activity, actor=None) -> None:
    """A mobile facility is in one place at a time: its stops may not overlap. The clash
    is named only to someone who may see it (back office or published): another region's
    draft is just "already booked"."""
    if activity.facility_id is None:
        return
    MobileFacility.objects.select_for_update().get(pk=activity.facility_id)
    clash = (
        Activity.objects.filter(facility_id=activity.facility_id, status__in=c.LIVE_STATUSES)
        .exclude(pk=activity.pk)
        .overlapping(activity.starts_at, activity.ends_at)
        .select_related("region")
        .first()
    )
    if (
        clash is not None
        and actor is not None
        and not visible_to(actor, Activity).filter(pk=clash.pk).exists()
    ):
        raise DomainError(
            {
                "starts_at": _(
                    "The facility is already booked from %(start)s to %(end)s; choose another time."
                )
                % {
                    "start": timezone.localtime(clash.starts_at).strftime("%Y-%m-%d %H:%M"),
                    "end": timezone.localtime(clash.ends_at).strftime("%Y-%m-%d %H:%M"),
                }
            }
        )
    if clash is not None:
        raise DomainError(
            {
                "starts_at": _(
                    "The facility is already at “%(title)s” (%(region)s) from %(start)s to %(end)s."
                )
                % {
                    "title": clash.title,
                    "region": clash.region.name,
                    "start": timezone.localtime(clash.starts_at).strftime("%Y-%m-%d %H:%M"),
                    "end": timezone.localtime(clash.ends_at).strftime("%Y-%m-%d %H:%M"),
                }
            }
        )


def _set_tags(activity: Activity, groups, topics) -> None:
    activity.tags.all().delete()
    ActivityTag.objects.bulk_create(
        [ActivityTag(activity=activity, kind=c.TagKind.GROUP, code=g) for g in sorted(set(groups))]
        + [
            ActivityTag(activity=activity, kind=c.TagKind.TOPIC, code=t)
            for t in sorted(set(topics))
        ]
    )


def _refresh_search(activity: Activity) -> None:
    activity.search_text = search_text(
        activity.title, activity.organization.name, activity.brand, activity.address
    )


@transaction.atomic
def create_activity(*, actor, groups=(), topics=(), facility=None, **fields) -> Activity:
    if not groups:
        raise DomainError({"groups": _("Choose at least one key group.")})
    activity = Activity(created_by=actor, facility=facility, created_at=clock.now(), **fields)
    if facility is not None:
        activity.kind = c.ActivityKind.TOUR_STOP
    require_placement(actor, "create", activity.organization, activity.region)
    _check_booking(actor, facility)
    activity.full_clean(exclude=["created_by"])
    _check_rules(activity)
    _check_facility(activity, actor)
    _refresh_search(activity)
    activity.save()
    _set_tags(activity, groups, topics)
    counters.apply(counters.status_changes(activity, None))
    audit.created(activity, actor=actor, detail={"groups": list(groups), "topics": list(topics)})
    return activity


@transaction.atomic
def update_activity(activity: Activity, *, actor, groups=None, topics=None, **fields) -> Activity:
    activity = _locked(activity)
    if not activity.is_editable:
        raise StateConflict(_("Only drafts and returned activities can be edited."))
    before = audit.snapshot(activity)
    counted = (activity.region_id, activity.starts_at)
    old_tags = (activity.codes(c.TagKind.GROUP), activity.codes(c.TagKind.TOPIC))
    for name, value in fields.items():
        setattr(activity, name, value)
    if activity.region_id != before["region"] or activity.organization_id != before["organization"]:
        require_placement(actor, "change", activity.organization, activity.region)
    activity.full_clean(exclude=["created_by"])
    _check_rules(activity)
    _check_facility(activity, actor)
    new_tags = (
        sorted(set(groups)) if groups is not None else sorted(old_tags[0]),
        sorted(set(topics)) if topics is not None else sorted(old_tags[1]),
    )
    if not new_tags[0]:
        raise DomainError({"groups": _("Choose at least one key group.")})
    changes = audit.diff(before, audit.snapshot(activity))
    if new_tags != (sorted(old_tags[0]), sorted(old_tags[1])):
        _set_tags(activity, *new_tags)
        changes["groups"] = [old_tags[0], new_tags[0]]
        changes["topics"] = [old_tags[1], new_tags[1]]
    if not changes:
        return activity
    _refresh_search(activity)
    activity.save()
    if counted != (activity.region_id, activity.starts_at):
        counters.apply(
            [
                (counters.ACTIVITIES, counted[0], counted[1], activity.status, -1),
                (counters.ACTIVITIES, activity.region_id, activity.starts_at, activity.status, 1),
            ]
        )
    audit.record("activities.activity.updated", obj=activity, actor=actor, changes=changes)
    return activity


@transaction.atomic
def submit_activity(activity: Activity, *, actor) -> Activity:
    activity = _locked(activity)
    old_key = counters.status_key(activity)
    _transition(activity, "submit")
    activity.submitted_at = clock.now()
    activity.submitted_by = actor if getattr(actor, "is_authenticated", False) else None
    activity.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
    counters.apply(counters.status_changes(activity, old_key))
    audit.record("activities.activity.submitted", obj=activity, actor=actor)
    return activity


@transaction.atomic
def review_activity(activity: Activity, *, actor, step: str, reason: str = "") -> Activity:
    """approve / return / reject a submitted activity. Two reviewers deciding at once:
    the row lock makes the second see the first's decision and fail."""
    if step not in DECISIONS:
        raise ValueError(step)
    reason = (reason or "").strip()
    if step != "approve" and len(reason) < 2:
        raise DomainError({"reason": _("Give the reason, so that the organizer can act on it.")})
    activity = _locked(activity)
    scope.check(actor, activity, "review")  # four-eyes: not the submitter (scope_rules)
    old_key = counters.status_key(activity)
    _transition(activity, step)
    now = clock.now()
    activity.reviewed_at, activity.reviewed_by, activity.review_note = now, actor, reason
    fields = ["status", "reviewed_at", "reviewed_by", "review_note", "updated_at"]
    if step == "approve":
        activity.report_due = timezone.localtime(activity.ends_at).date() + datetime.timedelta(
            days=report_days()
        )
        fields.append("report_due")
    activity.save(update_fields=fields)
    ReviewDecision.objects.create(
        activity=activity, decision=DECISIONS[step], reason=reason, decided_by=actor, decided_at=now
    )
    counters.apply(
        counters.status_changes(activity, old_key)
        + counters.decision_changes(activity, DECISIONS[step])
    )
    if step == "approve":
        publiccache.bump(PUBLIC_TAG)
    audit.record(
        f"activities.activity.{DECISIONS[step]}",
        obj=activity,
        actor=actor,
        detail={"reason": reason[:500]} if reason else None,
    )
    return activity


@transaction.atomic
def cancel_activity(activity: Activity, *, actor, reason: str) -> Activity:
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise DomainError({"reason": _("Give the reason for cancelling.")})
    activity = _locked(activity)
    old_key = counters.status_key(activity)
    was_public = activity.status == c.ActivityStatus.PUBLISHED
    report = ActivityReport.objects.filter(activity=activity).first() if was_public else None
    _transition(activity, "cancel")
    activity.review_note = reason
    activity.save(update_fields=["status", "review_note", "updated_at"])
    counters.apply(counters.status_changes(activity, old_key, report=report))
    if was_public:
        publiccache.bump(PUBLIC_TAG)
    audit.record(
        "activities.activity.cancelled", obj=activity, actor=actor, detail={"reason": reason[:500]}
    )
    return activity


@transaction.atomic
def set_capacity(activity: Activity, *, actor, capacity: int | None) -> Activity:
    """Change the number of places of a published activity; added places go to the
    waiting list first."""
    activity = _locked(activity)
    if activity.status != c.ActivityStatus.PUBLISHED:
        raise StateConflict(_("Places can be changed here only for published activities."))
    before = activity.capacity
    activity.capacity = capacity
    _check_rules(activity)
    activity.save(update_fields=["capacity", "updated_at"])
    publiccache.bump(PUBLIC_TAG)
    audit.record(
        "activities.activity.updated",
        obj=activity,
        actor=actor,
        changes={"capacity": [before, capacity]},
    )
    _promote(activity, actor=actor)
    return activity


# --- sign-up, waiting list, check-in ----------------------------------------------------

# The shared places-and-waiting-list machinery (kepu.core.places), as activities use it.
SIGNUPS = Places(
    parent=Activity,
    rows=SignUp,
    parent_field="activity",
    placed=c.SignUpStatus.CONFIRMED,
    waiting=c.SignUpStatus.WAITING,
    counters={
        c.SignUpStatus.CONFIRMED: "confirmed_count",
        c.SignUpStatus.WAITING: "waiting_count",
    },
    holding=(c.SignUpStatus.CONFIRMED,),
    order=("created_at", "pk"),
)


def new_ticket_code() -> str:
    return "".join(secrets.choice(TICKET_ALPHABET) for _i in range(8))


def normalize_ticket_code(raw: str) -> str:
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())[:12]


def _promote(activity: Activity, *, actor=None) -> list[SignUp]:
    """Fill free places from the waiting list (the caller holds the activity's lock)."""

    def promoted(waiting: SignUp) -> None:
        waiting.promoted_at = clock.now()
        waiting.save(update_fields=["status", "promoted_at"])
        rollups.add_many(counters.signup_changes(activity, waiting, c.SignUpStatus.WAITING))
        audit.record(
            "activities.signup.promoted",
            obj=waiting,
            actor=actor,
            object_repr=waiting.ticket_code,
            region_code=activity.region.code,
        )

    return SIGNUPS.promote(activity, promoted=promoted)


def sign_up(activity: Activity, *, name: str, phone: str, key_group: str, notice=None):
    """(sign-up, created). A place when one is free, else the waiting list. The same phone
    number signing up again gets its existing sign-up back (a double submit or a retry
    never takes two places)."""
    PrivacyNotice.check_purpose(notice, NoticePurpose.SIGNUP)
    name = (name or "").strip()
    if not name:
        raise DomainError({"name": _("Enter your name.")})
    phone = pii.normalize_phone(phone)
    pii.validate_mobile(phone)
    digest = crypto.blind_index(phone)
    # A re-sent form finds its sign-up without waiting for the activity's lock.
    existing = SignUp.objects.live().filter(activity_id=activity.pk, phone_hash=digest).first()
    if existing is not None:
        return existing, False
    # Everything that does not depend on the places left is made before the lock, so that
    # concurrent sign-ups hold the activity's row only for the few statements that count.
    signup = SignUp(
        activity_id=activity.pk,
        name=name,
        phone_enc=crypto.seal(phone),
        phone_hash=digest,
        phone_masked=pii.mask_phone(phone),
        key_group=key_group,
        status=c.SignUpStatus.CONFIRMED,
        ticket_code=new_ticket_code(),
        notice=notice,
        created_at=clock.now(),
    )
    # The fields' own rules; uniqueness is the database's (the constraint below).
    signup.clean_fields(exclude=["activity", "notice", "ticket_code", "token"])
    try:
        with transaction.atomic():
            locked = (
                Activity.objects.select_for_update().select_related("region").get(pk=activity.pk)
            )
            if not locked.takes_signups:
                raise StateConflict(_("This activity is not taking sign-ups."))
            signup.status = SIGNUPS.status_for_newcomer(locked)
            signup.activity = locked
            # A concurrent sign-up of the same number (not yet committed when we looked)
            # makes this insert fail on `signup_once_per_phone`: it is answered below.
            signup.save(force_insert=True)
            rollups.add_many(counters.signup_changes(locked, signup, None))
            SIGNUPS.move(locked, None, signup.status)
            audit.created(
                signup,
                object_repr=signup.ticket_code,
                region_code=locked.region.code,
            )
            return signup, True
    except IntegrityError:
        # Lost a race with the same phone number.
        existing = SignUp.objects.live().filter(activity=activity, phone_hash=digest).first()
        if existing is None:
            raise
        return existing, False


@transaction.atomic
def cancel_signup(signup: SignUp, *, actor=None) -> SignUp:
    activity = (
        Activity.objects.select_for_update().select_related("region").get(pk=signup.activity_id)
    )
    signup = SignUp.objects.get(pk=signup.pk)
    if signup.status == c.SignUpStatus.CANCELLED:
        return signup
    if signup.checked_in_at is not None:
        raise StateConflict(_("This ticket has been used; it cannot be cancelled."))
    was = signup.status
    signup.status = c.SignUpStatus.CANCELLED
    signup.cancelled_at = clock.now()
    signup.save(update_fields=["status", "cancelled_at"])
    rollups.add_many(counters.signup_changes(activity, signup, was))
    SIGNUPS.move(activity, was, None)
    audit.record(
        "activities.signup.cancelled",
        obj=signup,
        actor=actor,
        object_repr=signup.ticket_code,
        region_code=activity.region.code,
        changes={"status": [was, signup.status]},
    )
    if activity.status == c.ActivityStatus.PUBLISHED:
        _promote(activity, actor=actor)
    return signup


@transaction.atomic
def check_in(activity: Activity, *, actor, code: str) -> SignUp:
    """Check a ticket in; each ticket counts once (a conditional update, so two phones
    scanning the same ticket at once cannot both count it)."""
    code = normalize_ticket_code(code)
    if activity.status != c.ActivityStatus.PUBLISHED:
        raise StateConflict(
            _("This activity is “%(status)s”; it cannot be changed that way now.")
            % {"status": activity.get_status_display()}
        )
    signup = SignUp.objects.filter(activity=activity, ticket_code=code).first()
    if signup is None:
        raise DomainError(_("No ticket of this activity has the code %(code)s.") % {"code": code})
    if signup.status != c.SignUpStatus.CONFIRMED:
        raise StateConflict(
            _("Ticket %(code)s is “%(status)s”, not a confirmed place.")
            % {"code": code, "status": signup.get_status_display()}
        )
    now = clock.now()
    updated = signup.checked_in_at is None and SignUp.objects.filter(
        pk=signup.pk, checked_in_at__isnull=True
    ).update(checked_in_at=now, checked_in_by=actor)
    if not updated:
        signup.refresh_from_db()
        raise StateConflict(
            _("Ticket %(code)s was already checked in at %(time)s.")
            % {"code": code, "time": timezone.localtime(signup.checked_in_at).strftime("%H:%M")}
        )
    signup.checked_in_at, signup.checked_in_by = now, actor
    audit.record(
        "activities.signup.checked_in",
        obj=signup,
        actor=actor,
        object_repr=signup.ticket_code,
        region_code=activity.region.code,
    )
    return signup


# --- after the event --------------------------------------------------------------------


def validate_photo(upload) -> str:
    """The content type of an uploaded photo, judged by its content (not its name)."""
    return check_upload(upload, extensions=PHOTO_EXTENSIONS, max_bytes=MAX_PHOTO_BYTES)


@transaction.atomic
def file_report(activity: Activity, *, actor, photos=(), **fields) -> ActivityReport:
    activity = _locked(activity)
    if activity.status != c.ActivityStatus.PUBLISHED:
        raise StateConflict(_("Only published activities have reports."))
    if not activity.has_ended:
        raise StateConflict(_("The report can be filed once the activity has ended."))
    if ActivityReport.objects.filter(activity=activity).exists():
        raise StateConflict(_("The report of this activity has already been filed."))
    if len(photos) > MAX_PHOTOS:
        raise DomainError({"photos": _("At most %(n)d photos.") % {"n": MAX_PHOTOS}})
    types = [validate_photo(p) for p in photos]
    report = ActivityReport(
        activity=activity,
        filed_by=actor,
        filed_at=clock.now(),
        is_late=activity.report_due is not None and clock.today() > activity.report_due,
        **fields,
    )
    report.full_clean(exclude=["activity", "filed_by"])
    report.save()
    counters.apply(counters.report_changes(activity, report))
    for upload, content_type in zip(photos, types, strict=True):
        photo = ReportPhoto(report=report, content_type=content_type, uploaded_at=report.filed_at)
        photo.image.save(upload.name, upload, save=False)
        photo.save()
    audit.created(
        report,
        actor=actor,
        object_repr=str(activity)[:200],
        region_code=activity.region.code,
        detail={"photos": len(photos)},
    )
    return report
