"""The item bank's state changes: write and change items (an approved item changes as a
new version, so what a round fielded stays as it was), the experts' accuracy review
(the catalog's, `kepu.resources.accuracy`), retirement, and the item statistics a
round's estimation writes back.

Review rule: an item goes to one or more experts (not its author, nor a colleague of the
author's unit); it is approved when every review filed in that round of review says
"accurate"; the first other verdict returns it to draft with the comments (the other
experts' unfiled reviews are withdrawn: the item will change). Approving a new version
retires the one it replaces."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from kepu.core import audit, clock, scope
from kepu.core.errors import DomainError, StateConflict
from kepu.core.scope import require_region
from kepu.literacy import choices as c
from kepu.literacy.models import Item, ItemReview, ItemStatistic
from kepu.literacy.services.bank_checks import item_errors
from kepu.resources import accuracy

REVIEW_DAYS = 14
FIELDS = (*Item.EDITABLE_FIELDS, "code")


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _require(actor, obj, action) -> None:
    """The actor may `action` `obj`: in scope and no object rule refuses (the system,
    actor None, always may)."""
    if actor is None:
        return
    if not scope.visible_to(actor, type(obj), action, public=False).filter(pk=obj.pk).exists():
        raise DomainError(_("This is outside your scope."))
    scope.check(actor, obj, action)


def _locked(item: Item) -> Item:
    return Item.objects.select_for_update().with_relations().get(pk=item.pk)


def _clean(fields: dict) -> dict:
    """The fields trimmed and checked (the one validation path); raises DomainError with
    every problem at once."""
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise DomainError(_("These fields cannot be set here: %(f)s") % {"f": sorted(unknown)})
    clean = dict(fields)
    for name in ("code", "sub_dimension", "stem", "explanation", "source"):
        if name in clean:
            clean[name] = (clean[name] or "").strip()
    if clean.get("kind") == c.ItemKind.TRUE_FALSE:
        clean["options"] = []
    if "difficulty" in clean and clean["difficulty"] not in c.Difficulty.values:
        raise DomainError({"difficulty": _("Choose a target difficulty.")})
    errors = item_errors(clean)
    if errors:
        raise DomainError(errors)
    return clean


def next_code(region, dimension) -> str:
    """A free code for a new item of `dimension` in `region`'s bank ("knowledge-012")."""
    prefix = f"{dimension.code}-"
    taken = set(
        Item.objects.filter(region=region, code__startswith=prefix).values_list("code", flat=True)
    )
    n = len(taken) + 1
    while f"{prefix}{n:03d}" in taken:
        n += 1
    return f"{prefix}{n:03d}"


@transaction.atomic
def create_item(region, *, actor, **fields) -> Item:
    """A draft item of `region`'s bank (its officers write it); a blank code is given the
    dimension's next free one."""
    require_region(actor, Item, "create", region)
    fields.setdefault("code", "")
    clean = _clean(fields)
    if not clean["code"]:
        clean["code"] = next_code(region, clean["dimension"])
    if Item.objects.filter(region=region, code=clean["code"]).exists():
        raise DomainError({"code": _("This bank already has an item with this code.")})
    now = clock.now()
    item = Item(region=region, created_by=_user(actor), created_at=now, changed_at=now, **clean)
    item.full_clean(exclude=["region", "created_by", "previous", "instrument", "dimension"])
    item.save()
    audit.created(item, actor=actor)
    return item


def newer_version(item: Item) -> Item | None:
    """The version being prepared from `item` (not retired), if any."""
    return (
        Item.objects.filter(previous=item).exclude(status=c.ItemStatus.RETIRED).order_by("-pk")
    ).first()


@transaction.atomic
def change_item(item: Item, *, actor, **fields) -> Item:
    """A draft is changed in place; an approved item gets a new draft version (`previous`
    pointing to it), which replaces it once approved. Returns the item changed or made."""
    item = _locked(item)
    _require(actor, item, "change")
    if item.status == c.ItemStatus.IN_REVIEW:
        raise StateConflict(_("An item in accuracy review cannot be changed."))
    if item.status == c.ItemStatus.RETIRED:
        raise StateConflict(_("A retired item cannot be changed."))
    current = {name: getattr(item, name) for name in Item.EDITABLE_FIELDS}
    clean = _clean({**current, **fields, "code": item.code})
    clean.pop("code")
    if item.status == c.ItemStatus.DRAFT:
        before = audit.snapshot(item)
        for name, value in clean.items():
            setattr(item, name, value)
        item.changed_at = clock.now()
        item.save(update_fields=[*clean, "changed_at"])
        audit.record(
            "literacy.item.changed",
            obj=item,
            actor=actor,
            changes=audit.diff(before, audit.snapshot(item)),
        )
        return item
    # Approved: a new version; the approved one stays in use until the new one passes.
    if newer_version(item) is not None:
        raise StateConflict(_("A new version of this item is already being prepared."))
    now = clock.now()
    version = Item(
        region=item.region, code=item.code, version=item.version + 1, previous=item,
        created_by=_user(actor), created_at=now, changed_at=now, **clean,
    )  # fmt: skip
    version.save()
    audit.record(
        "literacy.item.versioned",
        obj=version,
        actor=actor,
        changes=audit.diff(audit.snapshot(item), audit.snapshot(version)),
        detail={"previous": item.pk},
    )
    return version


# --- accuracy review ----------------------------------------------------------------------


def author_of(item: Item):
    """The user who wrote this version of the item (None: the system or an import of
    unknown author)."""
    return item.created_by


def conflict_reason(item: Item, person) -> str:
    """Why `person` may not review `item` ("" when they may): they wrote it, or they work
    at the author's unit."""
    if item.created_by_id is not None and person.user_id == item.created_by_id:
        return _("wrote this item")
    author = getattr(item.created_by, "person", None) if item.created_by_id else None
    if (
        author is not None
        and author.organization_id
        and author.organization_id == person.organization_id
    ):
        return _("works at the author's unit")
    return ""


def reviewer_candidates(item: Item, user, *, limit: int = 30) -> list:
    """Expert pool memberships that may review `item`, best first (fewest open item
    reviews): `accuracy.candidate_memberships` without conflicts of interest and without
    the experts already reviewing it."""
    open_load = dict(
        ItemReview.objects.open().values_list("reviewer").annotate(n=Count("pk")).order_by()
    )
    taken = ItemReview.objects.filter(item=item, submitted_at__isnull=True).values_list(
        "reviewer_id", flat=True
    )
    return accuracy.rank_candidates(
        accuracy.candidate_memberships(item.region, user),
        conflict=lambda person: conflict_reason(item, person),
        taken=taken,
        open_load=open_load,
        limit=limit,
    )


def _memberships(reviewers) -> list:
    """Pool memberships as given, or people wrapped to look like them."""
    out = []
    for reviewer in reviewers:
        out.append(reviewer if hasattr(reviewer, "person") else SimpleNamespace(person=reviewer))
    return out


@transaction.atomic
def send_to_review(item: Item, *, actor, reviewers, due_date=None) -> list[ItemReview]:
    """Send a draft to the chosen experts (pool memberships or people) for the accuracy
    review; due in 14 days unless given."""
    item = _locked(item)
    _require(actor, item, "review")
    if not item.can_send_to_review():
        raise StateConflict(_("Only a draft item can be sent to review."))
    memberships = _memberships(reviewers)
    accuracy.check_reviewers(
        memberships,
        conflict=lambda person: conflict_reason(item, person),
        refusal=_("%(name)s cannot review this item: %(reason)s."),
    )
    due_date = due_date or clock.today() + datetime.timedelta(days=REVIEW_DAYS)
    if due_date < clock.today():
        raise DomainError({"due_date": _("The due date has passed.")})
    reviews = []
    for membership in memberships:
        try:
            with transaction.atomic():
                review = ItemReview.objects.create(
                    item=item, reviewer=membership.person, assigned_by=_user(actor),
                    assigned_at=clock.now(), due_date=due_date,
                )  # fmt: skip
        except IntegrityError:
            raise DomainError(
                {
                    "reviewers": _("%(name)s already reviews this item.")
                    % {"name": membership.person.name}
                }
            ) from None
        reviews.append(review)
    item.status = c.ItemStatus.IN_REVIEW
    item.save(update_fields=["status"])
    audit.record(
        "literacy.item.sent_to_review",
        obj=item,
        actor=actor,
        detail={"experts": [r.reviewer.name for r in reviews], "due": due_date.isoformat()},
    )
    return reviews


@transaction.atomic
def file_item_review(
    review: ItemReview,
    *,
    actor,
    verdict: str,
    comments: str = "",
    facts_correct: bool,
    sources_reliable: bool,
    fits_audience: bool,
) -> ItemReview:
    """The expert's structured review (once, while the item is in review; a verdict other
    than "accurate" needs comments). The last accurate review approves the item; any
    other verdict returns it to draft."""
    review = ItemReview.objects.select_for_update().with_relations().get(pk=review.pk)
    item = _locked(review.item)
    scope.check(actor, review, "file")  # the assigned expert, not the author (scope_rules)
    if review.is_filed:
        raise StateConflict(_("This review has already been filed."))
    if item.status != c.ItemStatus.IN_REVIEW:
        raise StateConflict(_("This item is no longer in review."))
    accuracy.check_filing(verdict, comments)
    review.fill(
        verdict=verdict, comments=comments, facts_correct=facts_correct,
        sources_reliable=sources_reliable, fits_audience=fits_audience,
    )  # fmt: skip
    review.save()
    audit.record(
        "literacy.itemreview.filed",
        obj=review,
        actor=actor,
        changes=audit.diff({}, audit.snapshot(review)),
        region_code=item.region.code,
    )
    if verdict != accuracy.Verdict.ACCURATE:
        _return_to_draft(item, actor=actor, comments=comments)
    elif not ItemReview.objects.filter(item=item, submitted_at__isnull=True).exists():
        _approve(item, actor=actor)
    return review


def _withdraw_open_reviews(item: Item) -> list[str]:
    open_reviews = ItemReview.objects.filter(item=item, submitted_at__isnull=True)
    names = list(open_reviews.values_list("reviewer__name", flat=True))
    open_reviews.delete()
    return names


def _return_to_draft(item: Item, *, actor, comments: str) -> None:
    withdrawn = _withdraw_open_reviews(item)
    item.status = c.ItemStatus.DRAFT
    item.save(update_fields=["status"])
    audit.record(
        "literacy.item.returned",
        obj=item,
        actor=actor,
        detail={"comments": comments, "withdrawn": withdrawn},
    )


def _approve(item: Item, *, actor) -> None:
    item.status = c.ItemStatus.APPROVED
    item.save(update_fields=["status"])
    detail = {}
    previous = item.previous
    if previous is not None and previous.status != c.ItemStatus.RETIRED:
        previous.status = c.ItemStatus.RETIRED
        previous.save(update_fields=["status"])
        detail["replaced"] = previous.pk
    audit.record("literacy.item.approved", obj=item, actor=actor, detail=detail)


@transaction.atomic
def retire_item(item: Item, *, actor, reason: str) -> Item:
    """Take an item out of use (forms already fielded keep it); open reviews are
    withdrawn."""
    item = _locked(item)
    _require(actor, item, "retire")
    if not item.can_retire():
        raise StateConflict(_("This item is already retired."))
    if not (reason or "").strip():
        raise DomainError({"reason": _("Say why the item is retired.")})
    withdrawn = _withdraw_open_reviews(item)
    before = item.status
    item.status = c.ItemStatus.RETIRED
    item.save(update_fields=["status"])
    audit.record(
        "literacy.item.retired",
        obj=item,
        actor=actor,
        changes={"status": [before, item.status]},
        detail={"reason": reason.strip(), "withdrawn": withdrawn},
    )
    return item


def retire_reason(item: Item) -> str:
    """The reason given when the item was retired (from its audit entry)."""
    from kepu.core.models import AuditEntry

    entry = (
        AuditEntry.objects.filter(
            action="literacy.item.retired", object_type="literacy.item", object_id=str(item.pk)
        )
        .order_by("-pk")
        .values_list("detail", flat=True)
        .first()
    )
    return (entry or {}).get("reason", "")


# --- item statistics written back by the estimation -------------------------------------


def _number(value):
    return None if value is None or value != value else float(value)  # NaN -> None


@transaction.atomic
def record_item_statistics(run, stats) -> list[ItemStatistic]:
    """Store one run's classical item statistics and make them each item's latest.
    `stats`: per item a mapping with `item` (an Item or its id), `n`, `p_value`,
    `discrimination`, `options` ({"A": share, …}) and `alpha_if_deleted`. Called by the
    estimation (the system) inside its own transaction; a second call for the same run
    replaces that run's rows."""
    rows = []
    for entry in stats:
        item = entry["item"]
        rows.append(
            ItemStatistic(
                run=run,
                item_id=getattr(item, "pk", item),
                n=int(entry.get("n") or 0),
                p_value=_number(entry.get("p_value")),
                discrimination=_number(entry.get("discrimination")),
                options={str(k): float(v) for k, v in (entry.get("options") or {}).items()},
                alpha_if_deleted=_number(entry.get("alpha_if_deleted")),
            )
        )
    ItemStatistic.objects.filter(run=run).delete()
    ItemStatistic.objects.bulk_create(rows)
    at = getattr(run, "finished_at", None) or clock.now()
    by_item = {row.item_id: row for row in rows}
    items = list(Item.objects.filter(pk__in=by_item).only("pk"))
    for item in items:
        row = by_item[item.pk]
        item.p_value, item.discrimination = row.p_value, row.discrimination
        item.stats_n, item.stats_at = row.n, at
    Item.objects.bulk_update(items, ["p_value", "discrimination", "stats_n", "stats_at"])
    return rows


# --- demo ---------------------------------------------------------------------------------

DEMO_ITEMS = "demo_items.json"
DEMO_EXPERT = "demo-expert"


def demo_items() -> list[dict]:
    """The demo bank's items as stored in `data/demo_items.json` (instrument and
    dimension as codes)."""
    import json
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "data" / DEMO_ITEMS
    return json.loads(path.read_text(encoding="utf-8"))


def _demo_expert(region):
    """demo-expert's membership of a science expert pool the bank's region can draw on
    (added to the province's pool, or a new one, when missing)."""
    from kepu.people import services as people
    from kepu.people.choices import PoolKind
    from kepu.people.models import ExpertPool, Person

    person = Person.objects.filter(user__username=DEMO_EXPERT).first()
    if person is None:
        raise DomainError(_("The demo expert account is missing: load the core demo first."))
    memberships = accuracy.candidate_memberships(region, None).filter(person=person)
    membership = memberships.filter(pool__kind=PoolKind.SCIENCE).first() or memberships.first()
    if membership is not None:
        return membership
    top = region.ancestors(include_self=True).order_by("level").first() or region
    pool = ExpertPool.objects.filter(
        kind=PoolKind.SCIENCE, region=top, is_active=True
    ).first() or people.create_pool(
        actor=None, name="科学素质测评专家库", kind=PoolKind.SCIENCE, region=top
    )
    people.add_pool_member(pool, person, actor=None)
    return accuracy.candidate_memberships(region, None).get(person=person, pool=pool)


def load_demo_bank(region, *, actor) -> dict:
    """The demo bank of `region`: the items of `data/demo_items.json` written by `actor`,
    reviewed by the demo expert and approved, through the services. Idempotent: items
    whose code the bank has are left as they are."""
    from kepu.literacy.models import Dimension, Instrument

    instruments = {i.code: i for i in Instrument.objects.all()}
    dimensions = {(d.instrument_id, d.code): d for d in Dimension.objects.all()}
    have = set(Item.objects.filter(region=region).values_list("code", flat=True))
    expert = _demo_expert(region)
    counts = {"created": 0, "approved": 0, "kept": len(have)}
    for row in demo_items():
        if row["code"] in have:
            continue
        instrument = instruments[row["instrument"]]
        fields = {
            **row, "instrument": instrument,
            "dimension": dimensions[(instrument.pk, row["dimension"])],
        }  # fmt: skip
        with transaction.atomic():
            item = create_item(region, actor=actor, **fields)
            (review,) = send_to_review(item, actor=actor, reviewers=[expert])
            file_item_review(
                review, actor=expert.person.user, verdict=accuracy.Verdict.ACCURATE,
                comments="", facts_correct=True, sources_reliable=True, fits_audience=True,
            )  # fmt: skip
        counts["created"] += 1
        counts["approved"] += 1
    return counts
