"""The science-popularization record of a person, assembled from the registries as the
evidence of a talent application (seeds 000 (五), 003 (八), 004 (24)).

Each registry answers through a provider registered here: `@provider("code")` on a
function of a person returning `Item`s. The people registry's own providers (training,
credits, honours, pools) are below; the other apps keep theirs in a `talent_evidence`
module (volunteer hours in `kepu/volunteering`, works in `kepu/resources`, activities in
`kepu/activities`), found at start-up, so the people app imports none of them. Every item
names its source; the applicant's own additions are marked self-declared."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.db.models import Sum

from kepu.people.talents.choices import EvidenceSource

# How many items of one source an application keeps (the figures count them all).
ITEMS_PER_SOURCE = 50

# The figures the rubric sources read (name → label).
FIGURES = (
    "hours",
    "works",
    "activities",
    "trainings",
    "training_hours",
    "credits",
    "honours",
    "pools",
    "self_declared",
)


@dataclass
class Item:
    source: str
    title: str
    date: str = ""  # ISO date
    amount: str = ""  # e.g. hours, as text
    detail: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Part:
    """What one provider found: its items (at most ITEMS_PER_SOURCE) and its figures."""

    items: list[Item]
    figures: dict


_providers: dict[str, Callable] = {}


def provider(code: str):
    def decorator(func):
        _providers[code] = func
        return func

    return decorator


def assemble(person, *, self_declared=()) -> tuple[list[dict], dict]:
    """(items, figures) of `person`'s record: each provider asked once, a bounded number
    of queries each; `self_declared` items (title, date, description) are appended."""
    items: list[dict] = []
    figures = dict.fromkeys(FIGURES, 0)
    for code in sorted(_providers):
        part = _providers[code](person)
        items.extend(item.as_dict() for item in part.items[:ITEMS_PER_SOURCE])
        for name, value in part.figures.items():
            figures[name] = _num(figures.get(name, 0)) + _num(value)
    for entry in self_declared:
        items.append(
            Item(
                EvidenceSource.SELF,
                entry.title,
                f"{entry.date:%Y-%m-%d}" if entry.date else "",
                detail=entry.description,
            ).as_dict()
        )
    figures["self_declared"] = len(self_declared)
    return items, {k: _text(v) for k, v in figures.items()}


def _num(value) -> Decimal:
    return Decimal(str(value or 0))


def _text(value) -> str:
    value = _num(value)
    return f"{value.normalize():f}" if value != value.to_integral() else f"{int(value)}"


def _day(value) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


# -- the people registry's own records ----------------------------------------------------


@provider("people.training")
def trainings(person) -> Part:
    rows = person.trainings.order_by("-date", "-pk")
    total = rows.aggregate(n=Sum("hours"))["n"] or 0
    items = [
        Item(EvidenceSource.TRAINING, t.course, _day(t.date), f"{t.hours}", t.organizer)
        for t in rows[:ITEMS_PER_SOURCE]
    ]
    return Part(items, {"trainings": rows.count(), "training_hours": total})


@provider("people.credits")
def credits(person) -> Part:
    rows = person.credits.order_by("-granted_on", "-pk")
    total = rows.aggregate(n=Sum("credits"))["n"] or 0
    items = [
        Item(EvidenceSource.CREDITS, e.reason, _day(e.granted_on), f"{e.credits}", e.granted_by)
        for e in rows[:ITEMS_PER_SOURCE]
    ]
    return Part(items, {"credits": total})


@provider("people.honours")
def honours(person) -> Part:
    rows = list(person.honours.order_by("-year", "-pk")[: ITEMS_PER_SOURCE + 1])
    items = [
        Item(EvidenceSource.HONOURS, str(h), str(h.year), "", h.awarded_by)
        for h in rows[:ITEMS_PER_SOURCE]
    ]
    return Part(items, {"honours": person.honours.count()})


@provider("people.pools")
def pools(person) -> Part:
    rows = list(person.pool_memberships.select_related("pool").order_by("pk"))
    items = [
        Item(EvidenceSource.POOLS, m.pool.name, _day(m.term_start), "", m.pool.get_kind_display())
        for m in rows[:ITEMS_PER_SOURCE]
    ]
    return Part(items, {"pools": len(rows)})


def discover() -> None:
    """Import every installed app's `talent_evidence` module (their providers)."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("talent_evidence")
