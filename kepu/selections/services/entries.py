"""Entries of a call (申报 / 推荐), up to the formal check (形式审查): nomination through a
route (region recommendation with its rank, unit recommendation, self-application),
checked against the call's eligibility rules and quotas under a lock on the call row;
materials checked by content; completion after a return; withdrawal; the check itself."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from kepu.core import audit, clock, scope
from kepu.core.errors import DomainError, StateConflict
from kepu.core.uploads import check_upload
from kepu.selections import choices as c
from kepu.selections.models import Call, Entry, EntryMaterial, EntryMember
from kepu.selections.services.calls import locked_call, require, user_or_none
from kepu.selections.services.eligibility import eligibility_errors

MATERIAL_TYPES = ("pdf", "jpg", "jpeg", "png", "docx", "xlsx", "mp4")
MAX_MATERIAL_BYTES = 20 * 1024 * 1024
MAX_MEMBERS = 20
CHECK_RESULTS = ("pass", "return", "reject")
CHECKING_STATUSES = (c.CallStatus.OPEN, c.CallStatus.CHECKING)


def locked_entry(entry) -> Entry:
    return (
        Entry.objects.select_for_update(of=("self",))
        .select_related("call", "call__region", "region", "person", "nominating_region")
        .get(pk=entry.pk)
    )


def recommending_region(actor, call, region):
    """The region the officer `actor` recommends for: the lowest region of their scope
    holding `region`, strictly below the call's organizing region."""
    roots = [r for r in scope.scope_roots(actor) if region.path.startswith(r.path)]
    if not roots:
        raise DomainError(_("The nominee is outside your scope."))
    body = max(roots, key=lambda r: len(r.path))
    if not body.path.startswith(call.region.path) or body.path == call.region.path:
        raise DomainError(_("The call's own officers do not recommend: a region below it does."))
    return body


def _unit_of(actor, organization):
    for unit in scope.member_units(actor, Entry, "create"):
        if organization is not None and unit.pk in (organization.pk, organization.parent_id):
            return unit
    raise DomainError(_("The nominee does not belong to your unit."))


def own_person(actor):
    from kepu.people.models import Person

    person = Person.objects.filter(user=actor, erased_at__isnull=True).first()
    if person is None:
        raise DomainError(_("Your account is not linked to a registered person."))
    return person


def quota_of(call, region) -> int | None:
    per_region = (call.quotas or {}).get("per_region") or {}
    value = per_region.get(region.code, per_region.get("default"))
    return value


def _check_quotas(call, *, route, nominating_region, nominating_organization, category):
    """Refuse an entry over a quota (the caller holds the lock on the call row, so two
    concurrent nominations cannot both take the last place)."""
    quotas, live = call.quotas or {}, call.entries.live()
    if route == c.Route.REGION and nominating_region is not None:
        limit = quota_of(call, nominating_region)
        if limit is not None:
            used = live.filter(route=c.Route.REGION, nominating_region=nominating_region).count()
            if used >= limit:
                raise DomainError(
                    _("%(region)s has used its quota of %(n)d recommendations for this call.")
                    % {"region": nominating_region.name, "n": limit}
                )
    limit = (quotas.get("per_category") or {}).get(category)
    if category and limit is not None and live.filter(category=category).count() >= limit:
        raise DomainError(
            {"category": [_("The category “%(cat)s” is full (%(n)d places).")
                          % {"cat": call.category_label(category), "n": limit}]}
        )  # fmt: skip
    limit = quotas.get("per_unit")
    if route == c.Route.UNIT and limit is not None and nominating_organization is not None:
        used = live.filter(nominating_organization=nominating_organization).count()
        if used >= limit:
            raise DomainError(
                _("%(unit)s has used its quota of %(n)d recommendations for this call.")
                % {"unit": nominating_organization.name, "n": limit}
            )


def check_materials(call, uploads: dict, *, required=True) -> list[tuple[str, object, str]]:
    """[(code, upload, content type)] once every upload is one of the call's materials and
    passes the content check, and (when `required`) every required one is there."""
    known = {m["code"]: m for m in call.materials or []}
    errors = []
    unknown = sorted(set(uploads) - set(known))
    if unknown:
        errors.append(_("Not a material of this call: %(codes)s.") % {"codes": ", ".join(unknown)})
    if required:
        missing = [
            m["label"] for code, m in known.items() if m.get("required") and code not in uploads
        ]
        if missing:
            errors.append(_("Missing required materials: %(m)s.") % {"m": "、".join(missing)})
    checked = []
    for code, upload in uploads.items():
        if code not in known or upload is None:
            continue
        try:
            content_type = check_upload(
                upload, extensions=MATERIAL_TYPES, max_bytes=MAX_MATERIAL_BYTES
            )
        except DomainError as exc:
            errors.extend(exc.messages)
            continue
        checked.append((code, upload, content_type))
    if errors:
        raise DomainError({"materials": errors})
    return checked


def _save_materials(entry, checked) -> None:
    for code, upload, content_type in checked:
        entry.materials.filter(code=code).delete()  # a completed material replaces the old
        material = EntryMaterial(
            entry=entry, code=code, name=upload.name[:200], content_type=content_type,
            size=upload.size, uploaded_at=clock.now(),
        )  # fmt: skip
        material.file.save(upload.name, upload, save=False)
        material.save()


def _place_rank(call, nominating_region, rank) -> int:
    """Insert at `rank` in the region's ranked list (1 … n+1), moving the later ones down:
    ranks stay unique and consecutive per recommending region and call."""
    ranked = call.entries.filter(route=c.Route.REGION, nominating_region=nominating_region)
    ranked = ranked.exclude(status=c.EntryStatus.WITHDRAWN)
    n = ranked.count()
    rank = n + 1 if rank is None else rank
    if not 1 <= rank <= n + 1:
        raise DomainError(
            {
                "rank": [
                    _("The rank must be between 1 and %(n)d in your ranked list.") % {"n": n + 1}
                ]
            }
        )
    # Two steps keep a unique index on (call, region, rank) happy, should one be added.
    ranked.filter(rank__gte=rank).update(rank=F("rank") + 1)
    return rank


@transaction.atomic
def nominate(
    call, *, actor, route, person=None, organization=None, title="", category="", summary="",
    rank=None, members=(), amount_requested=None, discipline="", topic="", materials=None,
    client_key=None, nominating_region=None, nominating_organization=None,
) -> Entry:  # fmt: skip
    """A new entry in an open call through `route`. Refusals (eligibility: one message per
    failed rule; quotas; the person already nominated) write nothing. A repeated
    `client_key` returns the first entry."""
    if client_key:
        found = Entry.objects.filter(client_key=client_key).first()
        if found is not None:
            return found
    call = locked_call(call)
    if not call.is_open_on(clock.today()):
        raise StateConflict(_("This call is not taking entries."))
    if route not in (call.routes or []):
        raise DomainError({"route": [_("This call does not take entries through this route.")]})
    if actor is not None:
        scope.require(actor, "selections.entry.create")
    kind = call.subject_kind
    members = [m for m in members if m is not None]
    if route == c.Route.SELF:
        person = own_person(actor) if actor is not None else person
        if kind != c.SubjectKind.PERSON and person is not None and person not in members:
            members.insert(0, person)
            person = None
    if kind == c.SubjectKind.PERSON and person is None:
        raise DomainError({"person": [_("Choose the nominee.")]})
    if kind == c.SubjectKind.ORGANIZATION and organization is None:
        raise DomainError({"organization": [_("Choose the unit.")]})
    if kind in (c.SubjectKind.WORK, c.SubjectKind.PROJECT) and not title.strip():
        raise DomainError({"title": [_("Give the title.")]})
    if kind == c.SubjectKind.PROJECT and (amount_requested is None or amount_requested <= 0):
        raise DomainError({"amount_requested": [_("Give the amount requested.")]})
    if kind != c.SubjectKind.PROJECT:
        amount_requested = None
    if len(members) > MAX_MEMBERS:
        raise DomainError({"members": [_("At most %(n)d people per entry.") % {"n": MAX_MEMBERS}]})
    if kind == c.SubjectKind.PERSON:
        organization = organization or person.organization
        region = person.region
    elif kind == c.SubjectKind.ORGANIZATION:
        region = organization.region
    else:
        lead = members[0] if members else None
        region = (organization.region if organization else None) or (lead.region if lead else None)
        region = region or nominating_region
        if region is None:
            raise DomainError({"members": [_("Name at least one author or the unit.")]})
    if category and category not in {i.get("code") for i in call.categories or []}:
        raise DomainError({"category": [_("Choose one of the call's categories.")]})
    if call.categories and not category:
        raise DomainError({"category": [_("Choose one of the call's categories.")]})
    # The route: who recommends.
    if route == c.Route.REGION:
        if actor is not None:
            scope.require_region(actor, Entry, "create", region)
            nominating_region = recommending_region(actor, call, region)
        nominating_region = nominating_region or region
        nominating_organization = None
    elif route == c.Route.UNIT:
        if actor is not None:
            nominating_organization = _unit_of(
                actor, organization or (person and person.organization)
            )
        if nominating_organization is None:
            raise DomainError(_("Name the recommending unit."))
        nominating_region, rank = None, None
    else:
        nominating_region, nominating_organization, rank = None, None, None
    errors = eligibility_errors(call, person=person, organization=organization, region=region)
    for member in members:
        errors += [
            f"{member.name}: {m}"
            for m in eligibility_errors(call, organization=None, person=None, region=member.region)
        ]
    if errors:
        raise DomainError({"person" if person else "__all__": errors})
    if person is not None and call.entries.live().filter(person=person).exists():
        raise DomainError(
            {"person": [_("%(name)s already has an entry in this call.") % {"name": person.name}]}
        )
    _check_quotas(
        call, route=route, nominating_region=nominating_region,
        nominating_organization=nominating_organization, category=category,
    )  # fmt: skip
    checked = check_materials(call, dict(materials or {}))
    if route == c.Route.REGION:
        rank = _place_rank(call, nominating_region, rank)
    default_title = person.name if person else organization.name if organization else ""
    # The nominee's discipline (the registry's) unless the entry names another: the
    # assignment matches reviewers on it.
    discipline = discipline or (person.discipline if person is not None else "")
    entry = Entry(
        call=call, subject_kind=kind, person=person, organization=organization,
        title=(title.strip() or default_title)[:200],
        category=category, discipline=discipline, topic=topic, region=region, route=route,
        nominating_region=nominating_region, nominating_organization=nominating_organization,
        rank=rank, summary=summary.strip(), amount_requested=amount_requested,
        submitted_by=user_or_none(actor), submitted_at=clock.now(), client_key=client_key,
    )  # fmt: skip
    try:
        entry.full_clean(exclude=["call", "submitted_by", "client_key"], validate_constraints=False)
    except Exception as exc:  # django ValidationError
        raise DomainError({k: list(v) for k, v in exc.message_dict.items()}) from None
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        raise DomainError(
            {"person": [_("This person already has an entry in this call.")]}
        ) from None
    for member in members:
        EntryMember.objects.get_or_create(entry=entry, person=member, defaults={"role": ""})
    _save_materials(entry, checked)
    Call.objects.filter(pk=call.pk).update(entry_count=F("entry_count") + 1)
    audit.created(
        entry, actor=actor,
        detail={"materials": [code for code, _u, _t in checked], "members": len(members)},
    )  # fmt: skip
    return entry


@transaction.atomic
def complete_entry(entry, *, actor, summary=None, materials=None, amount_requested=None) -> Entry:
    """The submitter completes an entry returned for completion and resubmits it."""
    entry = locked_entry(entry)
    require(actor, entry, "create")
    if not entry.can_complete():
        raise StateConflict(_("This entry is not returned for completion."))
    if entry.call.status not in CHECKING_STATUSES:
        raise StateConflict(_("The formal check of this call is over."))
    before = audit.snapshot(entry)
    fields = ["status"]
    if summary is not None and summary.strip():
        entry.summary = summary.strip()[:4000]
        fields.append("summary")
    if amount_requested is not None and entry.subject_kind == c.SubjectKind.PROJECT:
        if amount_requested <= Decimal(0):
            raise DomainError({"amount_requested": [_("Give the amount requested.")]})
        entry.amount_requested = amount_requested
        fields.append("amount_requested")
    checked = check_materials(entry.call, dict(materials or {}), required=False)
    have = set(entry.materials.values_list("code", flat=True)) | {code for code, *_r in checked}
    missing = [
        m["label"]
        for m in entry.call.materials or []
        if m.get("required") and m["code"] not in have
    ]
    if missing:
        raise DomainError(
            {"materials": [_("Missing required materials: %(m)s.") % {"m": "、".join(missing)}]}
        )
    _save_materials(entry, checked)
    entry.status = c.EntryStatus.SUBMITTED
    entry.save(update_fields=fields)
    audit.record(
        "selections.entry.completed", obj=entry, actor=actor,
        changes=audit.diff(before, audit.snapshot(entry)),
        detail={"materials": [code for code, *_r in checked]},
    )  # fmt: skip
    return entry


@transaction.atomic
def withdraw_entry(entry, *, actor) -> Entry:
    """Withdraw a submitted or returned entry; the region's ranked list closes up."""
    entry = locked_entry(entry)
    call = locked_call(entry.call)
    require(actor, entry, "withdraw")
    if not entry.can_withdraw():
        raise StateConflict(_("This entry can no longer be withdrawn."))
    previous, rank = entry.status, entry.rank
    entry.status, entry.rank = c.EntryStatus.WITHDRAWN, None
    entry.save(update_fields=["status", "rank"])
    if entry.route == c.Route.REGION and rank is not None:
        call.entries.filter(
            route=c.Route.REGION, nominating_region=entry.nominating_region_id, rank__gt=rank
        ).exclude(status=c.EntryStatus.WITHDRAWN).update(rank=F("rank") - 1)
    Call.objects.filter(pk=call.pk).update(entry_count=F("entry_count") - 1)
    audit.record(
        "selections.entry.withdrawn", obj=entry, actor=actor,
        changes={"status": [previous, entry.status], "rank": [rank, None]},
    )  # fmt: skip
    return entry


def can_check(user, entry) -> bool:
    """The formal check button: an officer of the call's region, not the submitter."""
    return (
        entry.status == c.EntryStatus.SUBMITTED
        and entry.call.status in CHECKING_STATUSES
        and scope.visible_to(user, Call, "advance", public=False).filter(pk=entry.call_id).exists()
        and scope.can(user, entry, "check")
    )


def awaiting_check(user, queryset=None):
    """Entries `user` may check now: submitted, in calls of the user's own regions that
    are open or in the formal check, not filed by the user (four-eyes, in SQL)."""
    queryset = queryset if queryset is not None else Entry.objects.all()
    calls = scope.visible_to(user, Call, "advance", public=False).filter(
        status__in=CHECKING_STATUSES
    )
    return scope.actionable(user, queryset, "check").filter(
        status=c.EntryStatus.SUBMITTED, call__in=calls.values("pk")
    )


@transaction.atomic
def check_entry(entry, *, actor, result, note="") -> Entry:
    """形式审查 by an officer of the call's region: pass → eligible, return for completion
    (with what is missing) or reject (with the reason)."""
    entry = locked_entry(entry)
    require(actor, entry.call, "advance")
    require(actor, entry, "check")
    if entry.status != c.EntryStatus.SUBMITTED or entry.call.status not in CHECKING_STATUSES:
        raise StateConflict(_("This entry is not awaiting its formal check."))
    if result not in CHECK_RESULTS:
        raise DomainError({"result": [_("Choose the outcome of the check.")]})
    note = (note or "").strip()
    if result != "pass" and not note:
        raise DomainError({"note": [_("Say what is missing or why the entry fails the check.")]})
    previous = entry.status
    entry.status = {
        "pass": c.EntryStatus.ELIGIBLE, "return": c.EntryStatus.RETURNED,
        "reject": c.EntryStatus.REJECTED,
    }[result]  # fmt: skip
    entry.check_note = note[:500]
    entry.checked_by, entry.checked_at = user_or_none(actor), clock.now()
    entry.save(update_fields=["status", "check_note", "checked_by", "checked_at"])
    audit.record(
        {"pass": "selections.entry.checked", "return": "selections.entry.returned",
         "reject": "selections.entry.rejected"}[result],
        obj=entry, actor=actor, changes={"status": [previous, entry.status]},
        detail={"note": entry.check_note},
    )  # fmt: skip
    return entry
