"""The rounds area's services: the frame, the allocation, the forms, the fielding window,
fielding with its bad inputs, quality, dispositions and the margins."""

import datetime
import random

import numpy as np
import pytest
from django.db import transaction
from django.utils import translation

from kepu.core import clock
from kepu.core.errors import DomainError, StateConflict
from kepu.literacy import choices as c
from kepu.literacy import scoring
from kepu.literacy.models import PopulationMargin, Response, Stratum
from kepu.literacy.services import fielding
from kepu.literacy.services import margins as margin_services
from kepu.literacy.services import rounds as services
from kepu.literacy.tests import helpers_rounds as h

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The refusals are matched in English (the catalog translates them to Chinese)."""
    with translation.override("en"):
        yield


@pytest.fixture(scope="module")
def data(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        h.bank(h.region("51"))
        h.margins()
        open_round = h.make_round()
        yield {"round": open_round}
        transaction.set_rollback(True)


def submit(round_, *, idem, form=None, device="", demographics=None, seconds=600, **kw):
    round_.refresh_from_db()
    form = form or round_.forms.first()
    point = kw.pop("point", round_.points.first())
    return fielding.submit_response(
        round_, form=form, point=point, mode=c.Mode.SELF,
        answers=kw.pop("answers", None) or h.answers_for(form), item_seconds={},
        started_at=clock.now() - datetime.timedelta(seconds=seconds),
        demographics=demographics or h.DEMOGRAPHICS, device=device, idem=idem, **kw,
    )  # fmt: skip


@pytest.fixture
def fresh(data):
    data["round"].refresh_from_db()
    return data


def test_frame_allocation_and_forms(fresh):
    round_ = fresh["round"]
    strata = list(round_.strata.all())
    assert len(strata) >= 20
    design = services.design_of(round_)
    # 1.96² × 0.13 × 0.87 / 0.02² = 1086.1 → 1087; × 1.5 → 1630; ÷ 0.8 → 2038
    assert (design.effective, design.with_deff, design.designed) == (1087, 1630, 2038)
    assert round_.sample_size == sum(s.allocated for s in strata) >= 2038
    assert all(s.allocated >= 30 for s in strata)
    assert sum(p.quota for p in round_.points.all()) == round_.sample_size
    forms = list(round_.forms.all())
    assert [f.label for f in forms] == ["A", "B"]
    a, b = ({fi.item_id for fi in f.slots.all()} for f in forms)
    assert len(a) == len(b) == 50 and not a & b
    assert sum(fi.points for fi in forms[0].slots.all()) == 100


def test_frame_refuses_a_county_without_margins(fresh):
    PopulationMargin.objects.filter(region__code="510104").delete()
    draft = h.make_round(status="draft")
    with pytest.raises(DomainError, match="锦江区"):
        services.build_frame(draft, actor=None)
    assert not draft.strata.exists()


def test_forms_refused_when_the_bank_lacks_items(fresh):
    draft = h.make_round(status="draft", blueprint={"knowledge": 90})
    services.build_frame(draft, actor=None)
    with pytest.raises(DomainError, match="科学知识: 90 needed, 40 approved"):
        services.assemble_forms(draft, actor=None)


def test_forms_overlap_as_little_as_possible(fresh):
    draft = h.make_round(status="draft", form_count=3)
    summary = services.assemble_forms(draft, actor=None)
    assert summary["shared"] == 20  # 3 × 20 knowledge items from 40, etc.
    assert services.forms_overlap(draft) > 0


def test_opening_needs_frame_allocation_forms(fresh):
    draft = h.make_round(status="draft")
    with pytest.raises(DomainError, match="Build the sampling frame"):
        services.open_round(draft, actor=None)


def test_submission_scores_counts_and_replays(fresh):
    round_ = fresh["round"]
    before = round_.response_count
    first = submit(round_, idem="k-1", device="dev-1")
    assert first.total == 100 and first.tier == "advanced" and first.literate
    assert first.quality == c.Quality.VALID
    again = submit(round_, idem="k-1", device="dev-1")
    assert again.pk == first.pk
    round_.refresh_from_db()
    assert round_.response_count == before + 1


def test_second_device_is_refused(fresh):
    round_ = fresh["round"]
    submit(round_, idem="d-1", device="dev-x")
    with pytest.raises(DomainError, match="already answered"):
        submit(round_, idem="d-2", device="dev-x")
    assert not Response.objects.filter(idem="d-2").exists()


def test_forged_item_is_refused(fresh):
    round_ = fresh["round"]
    answers = h.answers_for(round_.forms.first())
    answers["999999"] = "A"
    with pytest.raises(DomainError, match="not on this questionnaire"):
        submit(round_, idem="f-1", answers=answers)
    other = round_.forms.last()
    with pytest.raises(DomainError, match="not on this questionnaire"):
        submit(round_, idem="f-2", answers=h.answers_for(other))
    assert not Response.objects.filter(idem__startswith="f-").exists()


def test_incomplete_and_invalid_options_are_refused(fresh):
    round_ = fresh["round"]
    answers = h.answers_for(round_.forms.first())
    key = next(iter(answers))
    with pytest.raises(DomainError, match="1 questions are not answered"):
        submit(round_, idem="i-1", answers={k: v for k, v in answers.items() if k != key})
    with pytest.raises(DomainError, match="not one of its"):
        submit(round_, idem="i-2", answers={**answers, key: "Z"})


def test_outside_population_stores_nothing(fresh):
    round_ = fresh["round"]
    with pytest.raises(DomainError, match="aged 18 to 69"):
        submit(round_, idem="o-1", demographics={**h.DEMOGRAPHICS, "age": 72})
    assert not Response.objects.filter(idem="o-1").exists()


def test_speeder_is_flagged_or_excluded(fresh):
    round_ = fresh["round"]
    fast = submit(round_, idem="s-1", seconds=10)
    assert fast.quality == c.Quality.FLAGGED and c.QualityFlag.SPEEDER in fast.flags
    services.SurveyRound.objects.filter(pk=round_.pk).update(
        quality={**round_.quality, "exclude": True}
    )
    round_.refresh_from_db()
    out = submit(round_, idem="s-2", seconds=10)
    assert out.quality == c.Quality.EXCLUDED and out.excluded_reason


def test_out_of_quota_is_kept_flagged(fresh):
    round_ = fresh["round"]
    point = round_.points.order_by("pk").last()
    Stratum.objects.filter(pk=point.stratum_id).update(valid=10_000)
    response = submit(round_, idem="q-1", point=point)
    assert response.quality == c.Quality.FLAGGED
    assert response.flags == [c.QualityFlag.OUT_OF_QUOTA]


def test_after_close_nothing_is_stored(fresh):
    round_ = fresh["round"]
    services.close_round(round_, actor=None)
    round_.refresh_from_db()
    with pytest.raises(StateConflict, match="not taking responses"):
        submit(round_, idem="late-1")
    assert not Response.objects.filter(idem="late-1").exists()


def test_schedule_closes_due_rounds(fresh):
    round_ = fresh["round"]
    with clock.frozen(round_.closes_at + datetime.timedelta(minutes=1)):
        assert services.close_due_rounds() == [round_.pk]
    round_.refresh_from_db()
    assert round_.status == c.RoundStatus.CLOSED and round_.closed_at


def test_exclude_and_restore_keep_the_counters(fresh):
    round_ = fresh["round"]
    response = submit(round_, idem="e-1")
    round_.refresh_from_db()
    valid = round_.valid_count
    with pytest.raises(DomainError):
        fielding.exclude_response(response, actor=None, reason=" ")
    fielding.exclude_response(response, actor=None, reason="重复作答")
    round_.refresh_from_db()
    assert round_.valid_count == valid - 1
    fielding.restore_response(response, actor=None, reason="核实无误")
    round_.refresh_from_db()
    assert round_.valid_count == valid


def test_dispositions_rr1(fresh):
    round_ = fresh["round"]
    point = round_.points.first()
    for outcome in ["complete"] * 6 + ["refusal"] * 2 + ["noncontact", "ineligible"]:
        fielding.record_contact(point, actor=None, outcome=outcome)
    result = fielding.dispositions(round_)
    assert result["counts"]["complete"] == 6
    assert result["rr1"] == 6 / 9


def test_bulk_matches_single_scoring(fresh):
    round_ = fresh["round"]
    form = round_.forms.first()
    stratum = round_.strata.first()
    rng = random.Random(7)
    rows = [
        dict(form=form.pk, stratum=stratum.pk, answers=h.answers_for(form, right=False, rng=rng),
             seconds=600, submitted_at=clock.now(), idem=f"b-{i}", **h.DEMOGRAPHICS)
        for i in range(40)
    ]  # fmt: skip
    assert fielding.bulk_responses(round_, rows, actor=None) == 40
    scheme = fielding.scheme_of(round_.instrument_id)
    slots = fielding.slots_of(form)
    for response in Response.objects.filter(idem__startswith="b-"):
        one = scoring.score(scheme, slots, response.answers)
        assert (one.total, one.tier, one.literate) == (
            response.total,
            response.tier,
            response.literate,
        )
    round_.refresh_from_db()
    assert round_.response_count == Response.objects.filter(round=round_).count()


def test_bulk_refuses_an_answer_that_is_not_an_option(fresh):
    """Like `submit_response`: an answer outside its item's options (or a question left
    open) refuses the whole batch, naming the row; nothing is written."""
    round_ = fresh["round"]
    form = round_.forms.first()
    stratum = round_.strata.first()
    slots = fielding.slots_of(form)
    rows = [
        dict(form=form.pk, stratum=stratum.pk, answers=h.answers_for(form), seconds=600,
             submitted_at=clock.now(), idem=f"o-{i}", **h.DEMOGRAPHICS)
        for i in range(3)
    ]  # fmt: skip
    before = Response.objects.count()
    rows[2]["answers"] = {**rows[2]["answers"], str(slots[0].item): "Z"}
    with pytest.raises(DomainError, match="Row 3: an answer is not one of"):
        fielding.bulk_responses(round_, rows, actor=None)
    rows[2]["answers"] = {k: v for k, v in rows[2]["answers"].items() if k != str(slots[0].item)}
    with pytest.raises(DomainError, match="Row 3: a question of the form is not answered"):
        fielding.bulk_responses(round_, rows, actor=None)
    assert Response.objects.count() == before


def test_vectorized_scoring_equals_per_response_on_random_data(fresh):
    form = fresh["round"].forms.first()
    scheme = fielding.scheme_of(fresh["round"].instrument_id)
    slots = fielding.slots_of(form)
    rng = np.random.default_rng(3)
    correct = rng.random((500, len(slots))) < rng.random((500, 1))
    dims, totals, tiers, literate = scoring.score_matrix(scheme, slots, correct)
    for r in range(500):
        answers = {
            str(s.item): (s.key if correct[r, j] else next(o for o in s.options if o != s.key))
            for j, s in enumerate(slots)
        }
        one = scoring.score(scheme, slots, answers)
        assert int(one.total * 100) == totals[r] and one.tier == tiers[r]
        assert one.literate == bool(literate[r])


def test_scoring_equals_the_engine(fresh):
    """The per-response scoring equals the engine's own key matching on option bitmasks
    (a multiple choice right only with exactly its keyed options)."""
    from kepu.literacy.estimation import scoring as engine

    form = fresh["round"].forms.first()
    scheme = fielding.scheme_of(fresh["round"].instrument_id)
    slots = [s for s in fielding.slots_of(form) if s.key]
    dims = list(scheme.dimensions)
    bit = {s.item: {o: 1 << i for i, o in enumerate(s.options)} for s in slots}
    kinds = {"single": engine.SINGLE, "tf": engine.TRUE_FALSE, "multiple": engine.MULTIPLE}
    structure = engine.Form(
        keys=np.array([sum(bit[s.item][k] for k in s.key) for s in slots]),
        points=np.array([s.cents / 100 for s in slots]),
        dimension=np.array([dims.index(s.dimension) for s in slots]),
        dimensions=tuple(dims),
        kind=np.array([kinds[s.kind] for s in slots]),
        options=np.array([len(s.options) for s in slots]),
        thresholds=tuple(t / 100 for t in scoring.engine_thresholds(scheme)),
        literate_tier=1,
    )
    rng = np.random.default_rng(5)
    masks = np.zeros((300, len(slots)), dtype=np.int64)
    for j, s in enumerate(slots):
        width = len(s.options)
        masks[:, j] = rng.integers(1, 1 << width, size=300)
        if s.kind != "multiple":  # one option only
            masks[:, j] = 1 << rng.integers(0, width, size=300)
    theirs = engine.score(masks, structure)
    for r in range(300):
        answers = {
            str(s.item): "".join(o for o in s.options if masks[r, j] & bit[s.item][o])
            for j, s in enumerate(slots)
        }
        mine = scoring.score(scheme, slots, answers)
        assert abs(float(mine.total) - theirs.total[r]) < 1e-9


def test_margins_must_add_up(fresh):
    rows = [
        {"variable": "sex", "category": "m", "population": 100},
        {"variable": "sex", "category": "f", "population": 100},
        {"variable": "age_band", "category": "18-29", "population": 150},
    ]
    with pytest.raises(DomainError, match="adds up to 150, not 200"):
        margin_services.set_margins(h.region("510104"), 2020, rows, actor=None)


def test_demo_margins_are_consistent(fresh):
    assert margin_services.check_margins(h.region("51")) == []
    assert margin_services.check_margins(h.region("5101")) == []
    total = sum(margin_services.margins_of(h.region("51"))["sex"].values())
    assert 49_000_000 < total < 51_000_000
