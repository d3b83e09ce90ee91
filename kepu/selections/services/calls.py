"""Calls, first half of the procedure (issue 24): create and change a call with its rules
as data, and move it draft → open → checking → reviewing. The later steps (the panel, the
公示, the decision) are the review and results services'."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kepu.core import audit, publiccache, scope
from kepu.core.errors import DomainError, StateConflict
from kepu.people.choices import Honour
from kepu.rubrics import choices as rc
from kepu.rubrics.models import Rubric
from kepu.selections import choices as c
from kepu.selections.models import Call
from kepu.selections.services.eligibility import rule_errors

PUBLIC_TAG = "selections"
CODE_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789_-")


def user_or_none(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def require(actor, obj, action, *, public=False) -> None:
    """The actor may `action` `obj` (in scope for it, no object rule refuses); the system
    (actor None) always may."""
    if actor is None:
        return
    rows = scope.visible_to(actor, type(obj), action, public=public)
    if not rows.filter(pk=obj.pk).exists():
        raise DomainError(_("This is outside your scope."))
    scope.check(actor, obj, action)


def locked_call(call) -> Call:
    return Call.objects.select_for_update(of=("self",)).select_related("region").get(pk=call.pk)


def _codes_errors(items, what) -> list[str]:
    if not isinstance(items, list) or any(not isinstance(i, dict) for i in items):
        return [_("%(what)s must be a list of code and label pairs.") % {"what": what}]
    codes = [str(i.get("code", "")).strip() for i in items]
    errors = []
    for item, code in zip(items, codes, strict=True):
        if not code or not set(code) <= CODE_CHARS or len(code) > 30:
            errors.append(
                _("%(what)s: the code “%(code)s” must be lowercase letters, digits, - or _.")
                % {"what": what, "code": code}
            )
        if not str(item.get("label", "")).strip():
            errors.append(_("%(what)s: “%(code)s” has no label.") % {"what": what, "code": code})
    dupes = sorted({code for code in codes if codes.count(code) > 1})
    if dupes:
        errors.append(
            _("%(what)s: each code once (repeated: %(codes)s).")
            % {"what": what, "codes": ", ".join(dupes)}
        )
    return errors


def _quota_errors(quotas, categories) -> list[str]:
    if not isinstance(quotas, dict):
        return [_("The quotas must be an object.")]
    errors = []

    def whole(value):
        return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 100_000

    per_region = quotas.get("per_region") or {}
    if not isinstance(per_region, dict) or not all(whole(v) for v in per_region.values()):
        errors.append(_("Quota per region: each a whole number of places."))
    else:
        from kepu.core.models import Region

        codes = set(per_region) - {"default"}
        known = set(Region.objects.filter(code__in=codes).values_list("code", flat=True))
        if codes - known:
            errors.append(
                _("Quota per region: unknown region codes %(codes)s.")
                % {"codes": ", ".join(sorted(codes - known))}
            )
    per_category = quotas.get("per_category") or {}
    category_codes = {str(i.get("code")) for i in categories if isinstance(i, dict)}
    if not isinstance(per_category, dict) or not all(whole(v) for v in per_category.values()):
        errors.append(_("Quota per category: each a whole number of places."))
    elif set(per_category) - category_codes:
        errors.append(
            _("Quota per category: %(codes)s is not a category of the call.")
            % {"codes": ", ".join(sorted(set(per_category) - category_codes))}
        )
    per_unit = quotas.get("per_unit")
    if per_unit is not None and not whole(per_unit):
        errors.append(_("Quota per unit: a whole number of places."))
    return errors


def call_errors(call: Call, *, opening=False) -> dict:
    """{field: [messages]} of what is wrong with the call's rules; `opening` adds what an
    open call needs (an active selection rubric, at least one route, the dates)."""
    errors = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    for message in rule_errors(call.eligibility):
        add("eligibility", message)
    for message in _codes_errors(call.categories or [], _("Categories of entries")):
        add("categories", message)
    for message in _codes_errors(call.materials or [], _("Required materials")):
        add("materials", message)
    for message in _quota_errors(call.quotas or {}, call.categories or []):
        add("quotas", message)
    routes = call.routes if isinstance(call.routes, list) else None
    if routes is None or any(r not in c.Route.values for r in routes):
        add("routes", _("Choose among the nomination routes."))
    elif opening and not routes:
        add("routes", _("An open call needs at least one nomination route."))
    if call.opens_on and call.closes_on and call.closes_on < call.opens_on:
        add("closes_on", _("Entries cannot close before they open."))
    if call.check_by and call.closes_on and call.check_by < call.closes_on:
        add("check_by", _("The formal check ends after entries close."))
    if call.review_by and call.check_by and call.review_by < call.check_by:
        add("review_by", _("The expert review ends after the formal check."))
    if call.min_reviews > call.reviewers_per_entry:
        add("min_reviews", _("The quorum cannot exceed the reviewers per entry."))
    if call.honour and call.honour not in Honour.values:
        add("honour", _("Choose an honour."))
    if call.kind == c.CallKind.PROJECT and call.subject_kind != c.SubjectKind.PROJECT:
        add("subject_kind", _("A funded-projects call takes project proposals."))
    if opening:
        rubric = Rubric.objects.filter(pk=call.rubric_id).first()
        if rubric is None or rubric.status != rc.RubricStatus.IN_USE:
            add("rubric", _("Choose a scoring rubric that is in use."))
        elif rubric.purpose not in (rc.Purpose.SELECTION, rc.Purpose.OTHER):
            add("rubric", _("Choose a rubric made for selections and awards."))
    return errors


def _validate(call: Call, *, opening=False) -> None:
    errors = {}
    try:
        call.full_clean(exclude=["created_by", "rubric", "pool"], validate_constraints=False)
    except ValidationError as exc:
        errors = {k: list(v) for k, v in exc.message_dict.items()}
    for field, messages in call_errors(call, opening=opening).items():
        errors.setdefault(field, []).extend(messages)
    if errors:
        raise DomainError(errors)


@transaction.atomic
def create_call(*, actor, region, kind, **fields) -> Call:
    """A draft call organized by `region` (its officers run it)."""
    scope.require_region(actor, Call, "create", region)
    unknown = set(fields) - set(Call.EDITABLE_FIELDS)
    if unknown:
        raise DomainError(_("These fields cannot be set here: %(f)s") % {"f": sorted(unknown)})
    if kind not in c.CallKind.values:
        raise DomainError({"kind": [_("Choose a kind of call.")]})
    call = Call(region=region, kind=kind, created_by=user_or_none(actor), **fields)
    _validate(call)
    call.save()
    audit.created(call, actor=actor)
    return call


@transaction.atomic
def change_call(call, *, actor, **fields) -> Call:
    """Change a draft or open call's fields (its rules included)."""
    call = locked_call(call)
    require(actor, call, "change")
    if not call.can_change():
        raise StateConflict(_("A call can be changed only while in draft or open."))
    unknown = set(fields) - set(Call.EDITABLE_FIELDS)
    if unknown:
        raise DomainError(_("These fields cannot be changed here: %(f)s") % {"f": sorted(unknown)})
    before = audit.snapshot(call)
    for name, value in fields.items():
        setattr(call, name, value)
    _validate(call, opening=call.status != c.CallStatus.DRAFT)
    call.save(update_fields=list(fields))
    audit.record(
        "selections.call.changed", obj=call, actor=actor,
        changes=audit.diff(before, audit.snapshot(call)),
    )  # fmt: skip
    if call.is_public():
        publiccache.bump(PUBLIC_TAG)
    return call


# The steps `advance_call` takes; the review, results slices move the call further.
STEPS = {
    c.CallStatus.DRAFT: c.CallStatus.OPEN,
    c.CallStatus.OPEN: c.CallStatus.CHECKING,
    c.CallStatus.CHECKING: c.CallStatus.REVIEWING,
}


@transaction.atomic
def advance_call(call, *, actor) -> Call:
    """Move a call one step: open it (complete rules, an active rubric), close entries
    (the formal check goes on), close the formal check (every entry checked; entries
    still returned for completion are rejected)."""
    call = locked_call(call)
    require(actor, call, "advance")
    target = STEPS.get(call.status)
    if target is None:
        raise StateConflict(
            _("A call in “%(status)s” moves on through its own page.")
            % {"status": call.get_status_display()}
        )
    if target == c.CallStatus.OPEN:
        _validate(call, opening=True)
    if target == c.CallStatus.REVIEWING:
        entries = call.entries.all()
        if entries.filter(status=c.EntryStatus.SUBMITTED).exists():
            raise DomainError(_("Some entries have not had their formal check."))
        lapsed = list(entries.filter(status=c.EntryStatus.RETURNED).values_list("pk", flat=True))
        if lapsed:
            entries.filter(pk__in=lapsed).update(status=c.EntryStatus.REJECTED)
            audit.record(
                "selections.entry.lapsed", obj=call, actor=actor, detail={"entries": lapsed}
            )
    previous = call.status
    call.status = target
    call.save(update_fields=["status"])
    audit.record(
        "selections.call.advanced", obj=call, actor=actor, changes={"status": [previous, target]}
    )
    publiccache.bump(PUBLIC_TAG)
    return call
