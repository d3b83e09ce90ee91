"""Every state change of a notice: draft, edit, submit, review (publish or return),
withdraw. Each is atomic, checks the state and the object rules, and is audited in the
same transaction; publishing and withdrawing refresh the public pages (PUBLIC_TAG)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from kepu.core import audit, clock, publiccache, scope
from kepu.core.errors import DomainError, StateConflict
from kepu.core.scope import require_region
from kepu.core.search import search_text
from kepu.portal.choices import NoticeStatus
from kepu.portal.models import Notice

PUBLIC_TAG = "portal"
EDITABLE = ("title", "body", "region", "category", "issuer", "pinned")
REVIEW_STEPS = {"publish": NoticeStatus.PUBLISHED, "return": NoticeStatus.RETURNED}


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _locked(notice: Notice) -> Notice:
    return Notice.objects.select_for_update().select_related("region").get(pk=notice.pk)


def _refuse_state(notice: Notice) -> None:
    raise StateConflict(
        _("This notice is “%(status)s”; it cannot be changed that way now.")
        % {"status": notice.get_status_display()}
    )


def _index(notice: Notice) -> None:
    notice.search_text = search_text(notice.title, notice.body)


@transaction.atomic
def create_notice(*, actor, region, title, body, category, issuer="", pinned=False) -> Notice:
    """A draft notice for `region` (which must be in the actor's scope)."""
    require_region(actor, Notice, "create", region)
    now = clock.now()
    notice = Notice(
        region=region,
        title=title,
        body=body,
        category=category,
        issuer=issuer,
        pinned=pinned,
        status=NoticeStatus.DRAFT,
        created_by=_user(actor),
        created_at=now,
        updated_at=now,
    )
    _index(notice)
    notice.full_clean()
    notice.save()
    audit.created(notice, actor=actor)
    return notice


@transaction.atomic
def update_notice(notice: Notice, *, actor, **fields) -> Notice:
    """Change a draft or a returned notice (moving it only within the actor's scope)."""
    notice = _locked(notice)
    if not notice.is_editable:
        _refuse_state(notice)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if "region" in fields and fields["region"].pk != notice.region_id:
        require_region(actor, Notice, "change", fields["region"])
    before = audit.snapshot(notice)
    for name, value in fields.items():
        setattr(notice, name, value)
    notice.updated_at = clock.now()
    _index(notice)
    notice.full_clean()
    notice.save(update_fields=[*fields, "updated_at", "search_text"])
    audit.record(
        "portal.notice.updated",
        obj=notice,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(notice)),
    )
    return notice


@transaction.atomic
def submit_notice(notice: Notice, *, actor) -> Notice:
    """Send a draft (or a returned notice, corrected) to review."""
    notice = _locked(notice)
    if not notice.can_submit():
        _refuse_state(notice)
    now = clock.now()
    notice.status = NoticeStatus.SUBMITTED
    notice.submitted_by, notice.submitted_at, notice.updated_at = _user(actor), now, now
    notice.save(update_fields=["status", "submitted_by", "submitted_at", "updated_at"])
    audit.record("portal.notice.submitted", obj=notice, actor=actor)
    return notice


@transaction.atomic
def review_notice(notice: Notice, *, actor, step: str, reason: str = "") -> Notice:
    """Publish a submitted notice, or return it with a reason. Never by its submitter
    (four-eyes); two reviewers at once: the row lock makes the second fail."""
    if step not in REVIEW_STEPS:
        raise ValueError(step)
    reason = (reason or "").strip()
    if step == "return" and len(reason) < 2:
        raise DomainError({"reason": _("Give the reason, so that the author can act on it.")})
    notice = _locked(notice)
    if not notice.can_review():
        _refuse_state(notice)
    scope.check(actor, notice, "review")
    before = audit.snapshot(notice)
    now = clock.now()
    notice.status = REVIEW_STEPS[step]
    notice.reviewed_by, notice.reviewed_at, notice.updated_at = _user(actor), now, now
    notice.review_note = reason
    fields = ["status", "reviewed_by", "reviewed_at", "review_note", "updated_at"]
    if step == "publish":
        notice.published_at = now
        notice.withdrawn_at = None
        fields += ["published_at", "withdrawn_at"]
    notice.save(update_fields=fields)
    changes = audit.diff(before, audit.snapshot(notice))
    detail = {"reason": reason[:500]} if reason else None
    if step == "publish":
        publiccache.bump(PUBLIC_TAG)
        audit.record(
            "portal.notice.published", obj=notice, actor=actor, changes=changes, detail=detail
        )
    else:
        audit.record(
            "portal.notice.returned", obj=notice, actor=actor, changes=changes, detail=detail
        )
    return notice


@transaction.atomic
def withdraw_notice(notice: Notice, *, actor, reason: str) -> Notice:
    """Take a published notice off the portal, with a reason kept in the audit trail."""
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise DomainError({"reason": _("Give the reason for withdrawing the notice.")})
    notice = _locked(notice)
    if not notice.can_withdraw():
        _refuse_state(notice)
    before = audit.snapshot(notice)
    now = clock.now()
    notice.status = NoticeStatus.WITHDRAWN
    notice.withdrawn_at, notice.updated_at, notice.review_note = now, now, reason
    notice.save(update_fields=["status", "withdrawn_at", "updated_at", "review_note"])
    publiccache.bump(PUBLIC_TAG)
    audit.record(
        "portal.notice.withdrawn",
        obj=notice,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(notice)),
        detail={"reason": reason[:500]},
    )
    return notice
