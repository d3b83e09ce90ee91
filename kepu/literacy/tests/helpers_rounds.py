"""Test data of the rounds area: an approved bank for the 2024 structure (rows written
directly: the bank's services are area B's), the demo margins through the margins
service, and rounds prepared and opened through the rounds services."""

from __future__ import annotations

import datetime
import random

from kepu.core import clock
from kepu.core.models import Region
from kepu.literacy import choices as c
from kepu.literacy.models import Dimension, Instrument, Item
from kepu.literacy.services import margins as margin_services
from kepu.literacy.services import rounds as services

NATIONAL = "national-2024"
CONSENT = "本调查由科协组织，仅用于统计，不收集姓名、电话或身份证号。"


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def instrument(code=NATIONAL) -> Instrument:
    return Instrument.objects.get(code=code)


def bank(bank_region, *, code=NATIONAL, per_dimension=None, prefix="T") -> list[Item]:
    """Approved items of an instrument: twice a form's worth per dimension unless told."""
    inst = instrument(code)
    items = []
    for dim in Dimension.objects.filter(instrument=inst):
        n = (per_dimension or {}).get(dim.code, dim.items_per_form * 2)
        for i in range(n):
            kind = (c.ItemKind.TRUE_FALSE, c.ItemKind.SINGLE, c.ItemKind.MULTIPLE)[i % 3]
            if inst.kind == c.InstrumentKind.OPINION:
                kind = c.ItemKind.LIKERT
            options, key = _options(kind, i)
            items.append(
                Item(
                    region=bank_region, code=f"{prefix}-{dim.code}-{i:03d}", instrument=inst,
                    dimension=dim, kind=kind, stem=f"测试题 {dim.name} {i}", options=options,
                    key=key, status=c.ItemStatus.APPROVED,
                    sub_dimension=f"基准{i % 26 + 1}" if code == "benchmark-2016" else "",
                )
            )  # fmt: skip
    return Item.objects.bulk_create(items)


def _options(kind, i):
    if kind == c.ItemKind.TRUE_FALSE:
        return [], ["T" if i % 2 else "F"]
    if kind == c.ItemKind.LIKERT:
        return [{"key": str(k), "text": str(k)} for k in range(1, 6)], []
    opts = [{"key": k, "text": f"选项{k}"} for k in "ABCD"]
    return opts, (["B"] if kind == c.ItemKind.SINGLE else ["A", "C"])


def margins():
    margin_services.load_demo_margins(region("51"), actor=None)


def round_fields(**fields) -> dict:
    now = clock.now()
    data = dict(
        name="测试科学素质调查", year=now.year, instrument=instrument(),
        opens_at=now - datetime.timedelta(days=1), closes_at=now + datetime.timedelta(days=30),
        consent_text=CONSENT,
    )  # fmt: skip
    data.update(fields)
    return data


def make_round(code="5101", *, status="open", **fields):
    """A round of a region (Chengdu by default), prepared and opened by the system."""
    round_ = services.create_round(region(code), actor=None, **round_fields(**fields))
    if status == "draft":
        return round_
    services.build_frame(round_, actor=None)
    services.allocate_sample(round_, actor=None)
    services.assemble_forms(round_, actor=None)
    return services.open_round(round_, actor=None)


def answers_for(form, *, right=True, rng=None):
    """Complete answers to a form (all right, or at random)."""
    from kepu.literacy.services.fielding import slots_of

    rng = rng or random.Random(1)
    out = {}
    for slot in slots_of(form):
        if right and slot.key:
            out[str(slot.item)] = slot.key
        else:
            out[str(slot.item)] = rng.choice(slot.options)
    return out


DEMOGRAPHICS = dict(sex="f", age_band="30-39", education="senior", area="urban",
                    occupation="service", key_group="")  # fmt: skip
