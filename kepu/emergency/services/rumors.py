"""Rumour leads and their rebuttals (科学辟谣: 捕捉线索 → 及时辟谣 → 正向传播).

A lead is reported by an officer (in their scope), an information officer (in the region
of their own registration) or the public (the report form); the same claim is never
stored twice for an incident (or in normal times): it is merged into the existing lead
(`report_count`). An officer triages it; a lead that needs a rebuttal gets a draft, which
one or two experts review within hours (the incident's accepted group experts, or in
normal times the experts of an active emergency or health pool). Only an approved
rebuttal is published; publishing measures the time from the report.

Every step is atomic, checks the state (`StateConflict`) and the object rules, writes its
audit entry and keeps the rollups `emergency.rumors` and `emergency.rebuttals` in the same
transaction; publishing and withdrawing refresh the public pages (`choices.PUBLIC_TAG`).
"""

from __future__ import annotations

import datetime
import hashlib
import unicodedata

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from kepu.core import audit, clock, mail, publiccache, rollups, scope
from kepu.core.choices import Role
from kepu.core.errors import DomainError, StateConflict
from kepu.core.models import RoleAssignment
from kepu.core.scope import require_region
from kepu.core.search import search_text
from kepu.emergency import choices as c
from kepu.emergency.models import GroupMember, Incident, Rebuttal, RebuttalReview, Rumor
from kepu.people.choices import ACTIVE_STATUSES, PoolKind, RegistrationKind
from kepu.people.models import Person, Registration

RUMORS = "emergency.rumors"
REBUTTALS = "emergency.rebuttals"
REBUTTAL_EDITABLE = ("title", "body", "approvals_required", "review_hours")
MAX_REVIEW_HOURS = 72
# Information officers first: a volunteer who is also one reports from that region.
REPORTER_KINDS = (RegistrationKind.INFO_OFFICER, RegistrationKind.VOLUNTEER)
REVIEWER_POOLS = (PoolKind.EMERGENCY, PoolKind.HEALTH)


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def claim_key(claim: str) -> str:
    """The identity of a claim: the same words whatever their case, width (全角/半角),
    spacing and punctuation."""
    text = unicodedata.normalize("NFKC", claim or "").casefold()
    return hashlib.sha256("".join(ch for ch in text if ch.isalnum()).encode()).hexdigest()


def reporter_region(actor):
    """The region an information officer (volunteer role) reports from: that of their own
    active registration as an information officer, else as a volunteer. None when the
    account is no such person."""
    person = Person.objects.filter(user=actor).only("pk").first() if _user(actor) else None
    if person is None:
        return None
    rows = Registration.objects.filter(
        person=person, kind__in=REPORTER_KINDS, status__in=ACTIVE_STATUSES
    ).select_related("region")
    by_kind = {r.kind: r.region for r in rows}
    return next((by_kind[k] for k in REPORTER_KINDS if k in by_kind), None)


def _counts(rumor: Rumor) -> bool:
    """Whether a lead counts in the misinformation log (not a drill, not a duplicate)."""
    return not rumor.is_drill and rumor.status != c.RumorStatus.DUPLICATE


# --- intake ---------------------------------------------------------------------------


def _check_reporter(actor, source, region) -> None:
    if actor is None or source == c.RumorSource.PUBLIC:
        return
    if source == c.RumorSource.OFFICER:
        require_region(actor, Rumor, "create", region)
        return
    own = reporter_region(actor)
    if own is None:
        raise DomainError(_("Only a registered information officer or volunteer reports here."))
    if not region.path.startswith(own.path):
        raise DomainError({"region": [_("Report rumours circulating in your own region.")]})


@transaction.atomic
def report_rumor(
    *, actor, incident=None, claim, topic, region, source, seen_on="", link=""
) -> tuple[Rumor, bool]:
    """Record a lead, or merge it into the lead already holding the same claim (for the
    same incident, or in normal times): then its `report_count` goes up and nothing else
    is written. Returns (lead, created)."""
    claim = (claim or "").strip()
    if len(claim) < 4:
        raise DomainError({"claim": [_("Write down what is being said (at least 4 characters).")]})
    if source not in c.RumorSource.values:
        raise ValueError(source)
    if incident is not None:
        # Locked against a concurrent closing: a closed incident takes no new leads.
        incident = Incident.objects.select_for_update().select_related("region").get(pk=incident.pk)
        if not incident.is_open:
            raise StateConflict(_("This incident is closed; it takes no new rumour reports."))
        if not region.path.startswith(incident.region.path):
            raise DomainError({"region": [_("Choose a region the incident concerns.")]})
    _check_reporter(actor, source, region)
    key = claim_key(claim)
    same = Rumor.objects.filter(claim_key=key)
    same = same.filter(incident=incident) if incident else same.filter(incident__isnull=True)
    existing = same.first()
    if existing is None:
        rumor = Rumor(
            incident=incident,
            claim=claim,
            claim_key=key,
            topic=topic,
            region=region,
            source=source,
            seen_on=(seen_on or "").strip(),
            link=(link or "").strip(),
            reported_by=_user(actor),
            reported_at=clock.now(),
            is_drill=bool(incident and incident.is_drill),
            search_text=search_text(claim),
        )
        rumor.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():  # a concurrent report of the same claim wins
                rumor.save()
        except IntegrityError:
            existing = same.get()
        else:
            if _counts(rumor):
                rollups.add(RUMORS, rumor.region_id, rumor.reported_at, rumor.topic)
            audit.created(rumor, actor=actor)
            return rumor, True
    Rumor.objects.filter(pk=existing.pk).update(report_count=F("report_count") + 1)
    existing.refresh_from_db(fields=["report_count"])
    audit.record(
        "emergency.rumor.merged",
        obj=existing,
        actor=actor,
        detail={"source": source, "report_count": existing.report_count},
    )
    return existing, False


# --- triage ---------------------------------------------------------------------------


def _locked_rumor(rumor) -> Rumor:
    return (
        Rumor.objects.select_for_update(of=("self",))
        .select_related("region", "incident")
        .get(pk=rumor.pk)
    )


@transaction.atomic
def triage_rumor(rumor, *, actor, decision, duplicate_of=None, note="") -> Rumor:
    """Decide what a new lead needs: a rebuttal, nothing (a duplicate of another lead of
    the same incident, or out of scope, with a note saying why)."""
    note = (note or "").strip()
    if decision not in c.TriageDecision.values:
        raise DomainError({"decision": [_("Choose a decision.")]})
    rumor = _locked_rumor(rumor)
    if not rumor.can_triage():
        raise StateConflict(
            _("This lead is “%(status)s”; it has already been triaged.")
            % {"status": rumor.get_status_display()}
        )
    scope.check(actor, rumor, "triage")
    if decision == c.TriageDecision.DUPLICATE:
        if duplicate_of is None:
            raise DomainError({"duplicate_of": [_("Choose the lead this one repeats.")]})
        if duplicate_of.pk == rumor.pk or duplicate_of.incident_id != rumor.incident_id:
            raise DomainError({"duplicate_of": [_("Choose another lead of the same incident.")]})
        if duplicate_of.status == c.RumorStatus.DUPLICATE:
            raise DomainError(
                {"duplicate_of": [_("That lead is itself a duplicate: choose the original.")]}
            )
    else:
        duplicate_of = None
    if decision == c.TriageDecision.OUT_OF_SCOPE and len(note) < 2:
        raise DomainError({"note": [_("Say why this lead is out of scope.")]})
    counted = _counts(rumor)
    before = audit.snapshot(rumor)
    rumor.status = decision
    rumor.duplicate_of = duplicate_of
    rumor.triaged_by, rumor.triaged_at, rumor.triage_note = _user(actor), clock.now(), note
    rumor.save(update_fields=["status", "duplicate_of", "triaged_by", "triaged_at", "triage_note"])
    if counted and not _counts(rumor):
        rollups.add(RUMORS, rumor.region_id, rumor.reported_at, rumor.topic, -1)
    audit.record(
        "emergency.rumor.triaged",
        obj=rumor,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(rumor)),
        detail={"duplicate_of": duplicate_of.pk} if duplicate_of else None,
    )
    return rumor


# --- rebuttals --------------------------------------------------------------------------


def _check_review_settings(approvals_required, review_hours) -> None:
    errors = {}
    if approvals_required not in (1, 2):
        errors["approvals_required"] = [_("One or two experts approve a rebuttal.")]
    if not 1 <= int(review_hours or 0) <= MAX_REVIEW_HOURS:
        errors["review_hours"] = [
            _("Give the experts between 1 and %(n)s hours.") % {"n": MAX_REVIEW_HOURS}
        ]
    if errors:
        raise DomainError(errors)


@transaction.atomic
def draft_rebuttal(
    rumor, *, actor, title, body, approvals_required=1, review_hours=c.DEFAULT_REVIEW_HOURS
) -> Rebuttal:
    """The draft answer to a lead that needs a rebuttal (one per lead)."""
    rumor = _locked_rumor(rumor)
    if not rumor.can_draft_rebuttal():
        if rumor.status != c.RumorStatus.NEEDS_REBUTTAL:
            raise StateConflict(_("Only a lead triaged as needing a rebuttal gets one."))
        raise StateConflict(_("This lead already has a rebuttal."))
    require_region(actor, Rebuttal, "create", rumor.region)
    _check_review_settings(approvals_required, review_hours)
    rebuttal = Rebuttal(
        rumor=rumor,
        incident=rumor.incident,
        region=rumor.region,
        title=(title or "").strip(),
        body=(body or "").strip(),
        approvals_required=approvals_required,
        review_hours=review_hours,
        created_by=_user(actor),
        created_at=clock.now(),
        is_drill=rumor.is_drill,
    )
    rebuttal.search_text = search_text(rebuttal.title, rebuttal.body)
    rebuttal.full_clean()
    rebuttal.save()
    audit.created(rebuttal, actor=actor)
    return rebuttal


def _locked_rebuttal(rebuttal) -> Rebuttal:
    return (
        Rebuttal.objects.select_for_update(of=("self",))
        .select_related("rumor", "region", "incident")
        .get(pk=rebuttal.pk)
    )


def _refuse_state(rebuttal: Rebuttal):
    raise StateConflict(
        _("This rebuttal is “%(status)s”; it cannot be changed that way now.")
        % {"status": rebuttal.get_status_display()}
    )


@transaction.atomic
def update_rebuttal(rebuttal, *, actor, **fields) -> Rebuttal:
    """Change a draft (also one the experts sent back for changes)."""
    unknown = set(fields) - set(REBUTTAL_EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    rebuttal = _locked_rebuttal(rebuttal)
    if not rebuttal.can_edit():
        _refuse_state(rebuttal)
    scope.check(actor, rebuttal, "change")
    _check_review_settings(
        fields.get("approvals_required", rebuttal.approvals_required),
        fields.get("review_hours", rebuttal.review_hours),
    )
    before = audit.snapshot(rebuttal)
    for name, value in fields.items():
        setattr(rebuttal, name, value.strip() if isinstance(value, str) else value)
    rebuttal.search_text = search_text(rebuttal.title, rebuttal.body)
    rebuttal.full_clean()
    rebuttal.save(update_fields=[*fields, "search_text"])
    audit.record(
        "emergency.rebuttal.updated",
        obj=rebuttal,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(rebuttal)),
    )
    return rebuttal


def eligible_reviewers(rebuttal):
    """The experts who may review `rebuttal` (people with a reviewer account): for an incident's
    lead, the experts of its group who accepted; in normal times, the experts of an active
    emergency or health pool."""
    # The account must hold the reviewer role (who decides the review, `rebuttalreview.decide`).
    reviewers = RoleAssignment.objects.filter(role=Role.REVIEWER).values("user_id")
    people = Person.objects.filter(user__in=reviewers, erased_at__isnull=True)
    if rebuttal.incident_id:
        accepted = GroupMember.objects.filter(
            incident_id=rebuttal.incident_id, status=c.MemberStatus.ACCEPTED
        ).values("person_id")
        return people.filter(pk__in=accepted)
    return people.filter(
        pool_memberships__pool__kind__in=REVIEWER_POOLS,
        pool_memberships__pool__is_active=True,
    ).distinct()


def _review_mail(rebuttal, review, reviewer):
    subject = _("Rebuttal to review by %(due)s: %(title)s") % {
        "due": timezone.localtime(review.due_at).strftime("%Y-%m-%d %H:%M"),
        "title": rebuttal.title,
    }
    body = _(
        "You are asked to review the rebuttal “%(title)s” within %(hours)s hours. "
        "Open your reviews on the platform to approve it or to request changes."
    ) % {"title": rebuttal.title, "hours": rebuttal.review_hours}
    return (subject, body, settings.DEFAULT_FROM_EMAIL, [reviewer.email])


@transaction.atomic
def submit_rebuttal(rebuttal, *, actor, reviewers) -> Rebuttal:
    """Send a draft to review: each reviewer gets a review due `review_hours` hours from
    now (hours, not working days) and a mail when they have an address."""
    rebuttal = _locked_rebuttal(rebuttal)
    if not rebuttal.can_submit():
        _refuse_state(rebuttal)
    scope.check(actor, rebuttal, "submit")
    chosen = list({p.pk: p for p in reviewers}.values())
    if len(chosen) < rebuttal.approvals_required:
        raise DomainError(
            {
                "reviewers": [
                    _("Choose at least %(n)s experts to review this rebuttal.")
                    % {"n": rebuttal.approvals_required}
                ]
            }
        )
    allowed = set(
        eligible_reviewers(rebuttal)
        .filter(pk__in=[p.pk for p in chosen])
        .values_list("pk", flat=True)
    )
    refused = [p for p in chosen if p.pk not in allowed]
    reviewer_users = set(
        RoleAssignment.objects.filter(
            role=Role.REVIEWER, user_id__in=[p.user_id for p in refused if p.user_id]
        ).values_list("user_id", flat=True)
    )
    without_account = [p for p in refused if p.user_id not in reviewer_users]
    if without_account:
        raise DomainError(
            {
                "reviewers": [
                    _("%(name)s has no reviewer account on the platform.")
                    % {"name": without_account[0].name}
                ]
            }
        )
    if refused:
        if rebuttal.incident_id:
            message = _("%(name)s is not an expert who accepted to serve in this incident's group.")
        else:
            message = _("%(name)s is not an expert of an active emergency or health pool.")
        raise DomainError({"reviewers": [message % {"name": refused[0].name}]})
    now = clock.now()
    due = now + datetime.timedelta(hours=rebuttal.review_hours)
    last = RebuttalReview.objects.filter(rebuttal=rebuttal).aggregate(n=Max("round"))["n"] or 0
    reviews = RebuttalReview.objects.bulk_create(
        RebuttalReview(rebuttal=rebuttal, person=p, due_at=due, round=last + 1) for p in chosen
    )
    before = audit.snapshot(rebuttal)
    rebuttal.status = c.RebuttalStatus.IN_REVIEW
    rebuttal.submitted_at = now
    rebuttal.save(update_fields=["status", "submitted_at"])
    audit.record(
        "emergency.rebuttal.submitted",
        obj=rebuttal,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(rebuttal)),
        detail={"reviewers": [p.name for p in chosen], "round": last + 1},
    )
    mail.send_later(
        [_review_mail(rebuttal, r, p) for r, p in zip(reviews, chosen, strict=True) if p.email],
        actor=_user(actor),
    )
    return rebuttal


@transaction.atomic
def decide_review(review, *, actor, approve, comment="") -> RebuttalReview:
    """The expert's decision. Changes requested (with a comment) return the rebuttal to
    its draft and end the round (the other pending reviews of the round are dropped; the
    next submission starts a new round); enough approvals make it approved."""
    comment = (comment or "").strip()
    rebuttal = _locked_rebuttal(review.rebuttal)
    review = (
        RebuttalReview.objects.select_for_update()
        .select_related("person", "rebuttal")
        .get(pk=review.pk)
    )
    review.rebuttal = rebuttal
    if not review.can_decide():
        raise StateConflict(_("This review has already been decided or is no longer needed."))
    scope.check(actor, review, "decide")
    if not approve and len(comment) < 2:
        raise DomainError(
            {"comment": [_("Say what must change, so that the author can act on it.")]}
        )
    now = clock.now()
    before = audit.snapshot(review)
    review.decision = c.ReviewDecision.APPROVED if approve else c.ReviewDecision.CHANGES
    review.comment, review.decided_at = comment, now
    review.save(update_fields=["decision", "comment", "decided_at"])
    audit.record(
        "emergency.rebuttalreview.approved" if approve else "emergency.rebuttalreview.returned",
        obj=review,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(review)),
        region_code=rebuttal.region.code,
    )
    rebuttal_before = audit.snapshot(rebuttal)
    if not approve:
        dropped = RebuttalReview.objects.filter(
            rebuttal=rebuttal, round=review.round, decision=c.ReviewDecision.PENDING
        )
        names = list(dropped.values_list("person__name", flat=True))
        dropped.delete()
        rebuttal.status = c.RebuttalStatus.DRAFT
        rebuttal.save(update_fields=["status"])
        audit.record(
            "emergency.rebuttal.returned",
            obj=rebuttal,
            actor=actor,
            changes=audit.diff(rebuttal_before, audit.snapshot(rebuttal)),
            detail={"comment": comment[:500], "reviews_dropped": names},
        )
        return review
    approvals = RebuttalReview.objects.filter(
        rebuttal=rebuttal, round=review.round, decision=c.ReviewDecision.APPROVED
    ).count()
    if approvals >= rebuttal.approvals_required:
        rebuttal.status = c.RebuttalStatus.APPROVED
        rebuttal.save(update_fields=["status"])
        audit.record(
            "emergency.rebuttal.approved",
            obj=rebuttal,
            actor=actor,
            changes=audit.diff(rebuttal_before, audit.snapshot(rebuttal)),
        )
    return review


@transaction.atomic
def publish_rebuttal(rebuttal, *, actor) -> Rebuttal:
    """Publish an approved rebuttal (never one the experts have not approved): the lead is
    rebutted, the time from its report is kept, the public pages and feeds refresh."""
    rebuttal = _locked_rebuttal(rebuttal)
    if rebuttal.status in (c.RebuttalStatus.DRAFT, c.RebuttalStatus.IN_REVIEW):
        raise StateConflict(_("A rebuttal cannot be published without the experts' approval."))
    if not rebuttal.can_publish():
        _refuse_state(rebuttal)
    scope.check(actor, rebuttal, "publish")
    rumor = _locked_rumor(rebuttal.rumor)
    now = clock.now()
    before = audit.snapshot(rebuttal)
    rebuttal.status = c.RebuttalStatus.PUBLISHED
    rebuttal.published_by, rebuttal.published_at = _user(actor), now
    rebuttal.seconds_to_publish = max(int((now - rumor.reported_at).total_seconds()), 0)
    rebuttal.save(update_fields=["status", "published_by", "published_at", "seconds_to_publish"])
    rumor_before = audit.snapshot(rumor)
    rumor.status = c.RumorStatus.REBUTTED
    rumor.save(update_fields=["status"])
    if not rebuttal.is_drill:
        rollups.add(REBUTTALS, rebuttal.region_id, now, rumor.topic)
    publiccache.bump(c.PUBLIC_TAG)
    audit.record(
        "emergency.rebuttal.published",
        obj=rebuttal,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(rebuttal)),
        detail={"seconds_to_publish": rebuttal.seconds_to_publish},
    )
    audit.record(
        "emergency.rumor.rebutted",
        obj=rumor,
        actor=actor,
        changes=audit.diff(rumor_before, audit.snapshot(rumor)),
    )
    return rebuttal


@transaction.atomic
def withdraw_rebuttal(rebuttal, *, actor, reason) -> Rebuttal:
    """Take a published rebuttal off the public pages and feeds, with a reason."""
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise DomainError({"reason": [_("Give the reason for withdrawing the rebuttal.")]})
    rebuttal = _locked_rebuttal(rebuttal)
    if not rebuttal.can_withdraw():
        _refuse_state(rebuttal)
    scope.check(actor, rebuttal, "withdraw")
    before = audit.snapshot(rebuttal)
    rebuttal.status = c.RebuttalStatus.WITHDRAWN
    rebuttal.save(update_fields=["status"])
    if not rebuttal.is_drill:
        rollups.add(REBUTTALS, rebuttal.region_id, rebuttal.published_at, rebuttal.rumor.topic, -1)
    publiccache.bump(c.PUBLIC_TAG)
    audit.record(
        "emergency.rebuttal.withdrawn",
        obj=rebuttal,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(rebuttal)),
        detail={"reason": reason[:500]},
    )
    return rebuttal
