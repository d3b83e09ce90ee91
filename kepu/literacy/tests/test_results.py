"""The results area through its services and pages: a round's estimation (weights,
estimates by three methods, the counties' published figure, item statistics), its
refusals and its all-or-nothing write, the publication with four-eyes, the report and
public pages, the trend, the 科普指数, the plans' literacy-rate indicator and the demo's
synthetic respondents."""

import datetime
from decimal import Decimal

import numpy as np
import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation

from kepu.core.choices import Role
from kepu.core.errors import DomainError, StateConflict
from kepu.core.models import Region, RoleAssignment, User
from kepu.literacy import choices as c
from kepu.literacy import reports
from kepu.literacy.models import (
    Estimate,
    EstimationRun,
    IndexValue,
    Item,
    ItemStatistic,
    Response,
    SurveyRound,
)
from kepu.literacy.services import engine, estimation
from kepu.literacy.services import index as index_services
from kepu.literacy.tests import helpers_results as h

pytestmark = pytest.mark.django_db

DATA: dict = {}


@pytest.fixture(scope="module")
def _made(django_db_setup, django_db_blocker):
    """One estimated and published round, one closed round and a computed index, made
    once for the module inside a transaction rolled back at its end."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            h.make_margins(list(Region.objects.filter(parent__code="5101")))
            rnd = h.make_round(respondents_per_point=10, per_city=4, seed=31, name="结果测试轮次")
            # 成都市's margins cover all its counties, the sample four: wide trimming bounds
            # let the rake reach them.
            SurveyRound.objects.filter(pk=rnd.pk).update(trim_high=20)
            rnd.refresh_from_db()
            DATA["run"] = estimation.estimate_round(rnd, actor=None)
            estimation.publish_round(rnd, actor=None)
            DATA["round"] = rnd
            DATA["closed"] = h.make_round(respondents_per_point=5, per_city=2, seed=32)
            tree = index_services.create_index(h.region("5101"), actor=None, year=2026)
            DATA["index_summary"] = index_services.compute_index(tree, actor=None)
            DATA["index"] = tree
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            DATA.clear()


@pytest.fixture
def made(_made, db):
    return DATA


def _en(client):
    client.cookies["django_language"] = "en"
    return client


def _officer(username, code="51"):
    user = User.objects.create(username=username)
    RoleAssignment.objects.create(user=user, role=Role.REGIONAL_OFFICER, region=h.region(code))
    return user


# --- the estimation --------------------------------------------------------------------


def test_headline_is_the_weighted_share_of_the_stored_weights(made):
    rnd, run = made["round"], made["run"]
    rows = Response.objects.filter(round=rnd).values_list("weight", "literate", "design_weight")
    w = np.array([r[0] for r in rows])
    y = np.array([1.0 if r[1] else 0.0 for r in rows])
    assert all(r[2] is not None for r in rows)
    head = Estimate.objects.get(run=run, region=rnd.region, measure=c.Measure.LITERATE,
                                group_var=c.GroupVar.ALL, method=c.Method.TAYLOR)  # fmt: skip
    assert head.published and head.n == len(rows)
    assert abs(head.estimate - float((w * y).sum() / w.sum())) < 1e-9
    assert head.ci_low < head.estimate < head.ci_high
    # The same point estimate by every direct method, each with its own SE.
    same = Estimate.objects.filter(run=run, region=rnd.region, measure=c.Measure.LITERATE,
                                   group_var=c.GroupVar.ALL)  # fmt: skip
    methods = {e.method: e for e in same}
    assert set(methods) == {c.Method.TAYLOR, c.Method.JACKKNIFE, c.Method.BOOTSTRAP}
    assert all(abs(e.estimate - head.estimate) < 1e-12 for e in methods.values())
    assert all(e.se > 0 for e in methods.values())


def test_each_county_publishes_exactly_one_figure(made):
    run = made["run"]
    counties = Estimate.objects.filter(run=run, measure=c.Measure.LITERATE,
                                       group_var=c.GroupVar.ALL, region__level=3)  # fmt: skip
    published = counties.filter(published=True)
    regions = set(counties.values_list("region", flat=True))
    assert sorted(published.values_list("region", flat=True)) == sorted(regions)
    threshold = float(made["round"].cv_threshold)
    for e in published.filter(method=c.Method.FAY_HERRIOT):
        direct = counties.filter(region=e.region, method=c.Method.TAYLOR).first()
        assert direct is None or direct.cv is None or direct.cv > threshold
    for e in published.filter(method=c.Method.TAYLOR):
        assert e.cv <= threshold


def test_groups_rake_report_and_item_statistics(made):
    run, rnd = made["run"], made["round"]
    groups = set(
        Estimate.objects.filter(run=run, region=rnd.region, published=True)
        .exclude(group_var=c.GroupVar.ALL).values_list("group_var", flat=True)
    )  # fmt: skip
    assert groups == set(engine.GROUP_VARS)
    assert run.report["rake"]["level"] == "city"
    assert run.report["rake"]["converged"] is True
    assert run.report["counts"]["respondents"] == rnd.responses.count()
    stats = ItemStatistic.objects.filter(run=run)
    assert stats.count() == 10
    item = Item.objects.get(pk=stats[0].item_id)
    assert item.p_value == stats[0].p_value and item.stats_n == stats[0].n


def test_refusals(made):
    rnd = made["round"]
    with translation.override("en"):
        with pytest.raises(StateConflict, match="Only a closed round can be estimated"):
            estimation.estimate_round(rnd, actor=None)
        with pytest.raises(StateConflict, match="Only an estimated round can be published"):
            estimation.publish_round(made["closed"], actor=None)
    empty = SurveyRound.objects.create(
        region=rnd.region, name="空轮次", year=rnd.year, instrument=rnd.instrument,
        status=c.RoundStatus.CLOSED, opens_at=rnd.opens_at, closes_at=rnd.closes_at,
        consent_text="x",
    )  # fmt: skip
    with translation.override("en"), pytest.raises(DomainError, match="no valid response"):
        estimation.estimate_round(empty, actor=None)


def test_a_failed_estimation_leaves_the_current_run(made, monkeypatch):
    closed = made["closed"]
    first = estimation.estimate_round(closed, actor=None)
    before = Estimate.objects.filter(round=closed).count()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(engine, "item_statistics", broken)
    with pytest.raises(RuntimeError):
        estimation.estimate_round(closed, actor=None)
    assert EstimationRun.objects.get(round=closed, is_current=True) == first
    assert Estimate.objects.filter(round=closed).count() == before


def test_a_stratum_without_respondents_is_a_warning(made):
    closed = made["closed"]
    stratum = closed.strata.order_by("pk").first()
    Response.objects.filter(stratum=stratum).delete()
    run = estimation.estimate_round(closed, actor=None)
    assert run.status == c.RunStatus.WARNING
    assert any("have no respondent" in w for w in run.report["warnings"])


def test_four_eyes_on_publication(made):
    closed = made["closed"]
    officer = _officer("lit-estimator")
    estimation.estimate_round(closed, actor=officer)
    with translation.override("en"), pytest.raises(DomainError, match="another officer"):
        estimation.publish_round(closed, actor=officer)
    estimation.publish_round(closed, actor=_officer("lit-publisher"))
    closed.refresh_from_db()
    assert closed.status == c.RoundStatus.PUBLISHED


# --- pages -----------------------------------------------------------------------------


def test_report_page_shows_headline_ci_and_county_map(made, as_persona):
    rnd = made["round"]
    page = _en(as_persona("county_a")).get(reverse("literacy:round_report", args=[rnd.pk]))
    assert page.status_code == 200
    head = reports.report(rnd)["headline"]
    text = page.content.decode()
    assert f"{head['estimate']}%" in text
    assert f"95% confidence interval {head['ci_low']}%–{head['ci_high']}%" in text
    assert "data-county-map" in text and "kepu-county-tile" in text
    assert "Methods compared: standard errors" in text


def test_public_report_only_once_published(made):
    client = _en(Client())
    ok = client.get(reverse("literacy:public_report", args=[made["round"].pk]))
    assert ok.status_code == 200 and "data-county-map" in ok.content.decode()
    missing = client.get(reverse("literacy:public_report", args=[made["closed"].pk]))
    assert missing.status_code == 404


def test_pdf_inline_for_a_small_round(made, as_persona):
    response = as_persona("province").get(
        reverse("literacy:round_report_pdf", args=[made["round"].pk])
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content[:4] == b"%PDF"


def test_estimate_button_starts_one_job(made, as_persona):
    client = as_persona("province")
    url = reverse("literacy:round_estimate", args=[made["closed"].pk])
    first = client.post(url, {"form_token": "same"})
    second = client.post(url, {"form_token": "same"})
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert EstimationRun.objects.filter(round=made["closed"]).count() == 1


def test_trend_lists_the_published_round_and_the_national_series(made, as_persona):
    page = _en(as_persona("province")).get(reverse("literacy:trend"))
    assert page.status_code == 200
    text = page.content.decode()
    assert made["round"].name in text and "15.37" in text and "unverified" in text


# --- the index -------------------------------------------------------------------------


def test_index_weights_ranks_and_missing_sources(made):
    tree, summary = made["index"], made["index_summary"]
    assert abs(sum(summary["weights"].values()) - 1) < 1e-9
    assert {"funding_per_capita", "media_outlets"} <= set(summary["left_out"])
    totals = list(IndexValue.objects.filter(tree=tree, node=None).order_by("rank"))
    assert [v.rank for v in totals] == list(range(1, len(totals) + 1))
    assert all(a.score >= b.score for a, b in zip(totals, totals[1:], strict=False))
    assert summary["regions"] == Region.objects.filter(parent=tree.region).count()


def test_objective_weights():
    m = np.array([[1.0, 5.0, 2.0], [2.0, 5.0, 4.0], [3.0, 5.0, 9.0]])
    for how in (c.Weighting.CV, c.Weighting.ENTROPY):
        w = index_services.objective_weights(m, how)
        assert abs(w.sum() - 1) < 1e-12 and w[1] == 0


def test_index_publication_and_public_page(made, as_persona):
    tree = made["index"]
    client = as_persona("city")
    client.post(reverse("literacy:index_publish", args=[tree.pk]), {"form_token": "p"})
    tree.refresh_from_db()
    assert tree.published_at is not None
    page = _en(Client()).get(reverse("literacy:public_index", args=[tree.pk]))
    assert page.status_code == 200 and "data-index-table" in page.content.decode()
    with pytest.raises(StateConflict):
        index_services.compute_index(tree, actor=None)


# --- plans and the demo ----------------------------------------------------------------


def test_plans_literacy_rate_is_the_latest_published_estimate(made):
    from kepu.plans import indicators, progress
    from kepu.plans.models import Plan, Target

    rnd = made["round"]
    head = Estimate.objects.get(run=made["run"], region=rnd.region, published=True,
                                measure=c.Measure.LITERATE, group_var=c.GroupVar.ALL)  # fmt: skip
    indicator = indicators.REGISTRY["literacy.rate"]
    today = datetime.date.today()
    values = indicator.for_regions([rnd.region], datetime.date(2020, 1, 1), today)
    assert values[rnd.region.pk] == Decimal(str(round(head.estimate * 100, 2)))
    plan = Plan.objects.filter(region=rnd.region).first()
    if plan is not None:
        target = Target(plan=plan, name="公民具备科学素质的比例", region=rnd.region,
                        source="measured", indicator="literacy.rate",
                        baseline_date=datetime.date(2020, 12, 31), baseline_value=10,
                        target_value=15, deadline=datetime.date(2030, 12, 31))  # fmt: skip
        assert progress._measured([target], today)[target.pk] == values[rnd.region.pk]


def test_demo_respondents_follow_the_pattern(made):
    from kepu.literacy.demo import respondents

    rnd = made["closed"]
    rows = respondents(rnd, 400, seed=7)
    assert len(rows) == 400 and len({r["idem"] for r in rows}) == 400
    forms = set(rnd.forms.values_list("pk", flat=True))
    assert {r["form"] for r in rows} <= forms
    assert {r["education"] for r in rows} <= set(c.Education.values)


def test_run_stores_its_steps_page_and_weights(made):
    rnd = made["round"]
    run = reports.current_run(rnd)
    assert set(run.report["steps"]) == {"read", "weigh", "estimate", "small_areas", "items",
                                        "write"}  # fmt: skip
    page = run.report["page"]
    assert page["headline"]["region"]["pk"] == rnd.region_id
    assert reports.report(rnd)["headline"] == page["headline"]
    kept = Response.objects.filter(round=rnd, quality__in=engine.KEPT)
    assert not kept.filter(weight__isnull=True).exists()
    assert not kept.filter(design_weight__isnull=True).exists()


def test_writeback_sets_columns_by_pk(made):
    from kepu.literacy.services import writeback

    pks = list(Response.objects.filter(round=made["round"]).values_list("pk", flat=True)[:3])
    writeback.update_columns(Response, pks, {"weight": [1.5, 2.5, None],
                                             "design_weight": [1, 2, 3]})  # fmt: skip
    got = dict(Response.objects.filter(pk__in=pks).values_list("pk", "weight"))
    assert [got[pk] for pk in pks] == [1.5, 2.5, None]


def test_a_share_of_zero_gets_the_wilson_interval_not_zero_to_zero():
    from kepu.literacy.services.estimation_parts import wilson

    low, high = wilson(0.0, 30)
    assert low == 0.0 and abs(high - 0.11351339317396876) < 1e-12  # 0 of 30: 0–11.4 %
    low, high = wilson(1.0, 30)
    assert abs(high - 1.0) < 1e-12 and abs(low - (1 - 0.11351339317396876)) < 1e-12
