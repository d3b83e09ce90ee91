"""The statistics part of the benchmark dataset (`kepu.stats.dataset`) at a tiny scale:
a return for every organization in both rounds, 200 values each (the bench padding named
as such), the aggregates the service's recompute gives, and the values within the rules."""

from io import StringIO

import pytest

from kepu.core import dataset as core_dataset
from kepu.core import invariants
from kepu.core.models import Organization
from kepu.stats import choices as c
from kepu.stats import dataset
from kepu.stats.models import Aggregate, Indicator, RegionApproval, Return, SurveyRound, Value
from kepu.stats.services import aggregation
from kepu.stats.services.validation import Checker

pytestmark = pytest.mark.django_db


def test_the_generated_survey_is_consistent():
    out = StringIO()
    ds = core_dataset.Dataset("county", 3, out=lambda line: out.write(line + "\n"))
    core_dataset.generate(ds)
    dataset.generate(ds)
    assert "statistics values" in out.getvalue()
    done = SurveyRound.objects.get(status=c.RoundStatus.PUBLISHED, title__endswith="（压测）")
    now = dataset.bench_round()
    assert now is not None and now.year == done.year + 1
    units = Organization.objects.filter(region__path__startswith="51/").count()
    assert Return.objects.filter(round=done).count() == units
    assert Return.objects.filter(round=now).count() == units
    assert not Return.objects.filter(round=done).exclude(status=c.ReturnStatus.ACCEPTED).exists()
    assert Indicator.objects.filter(data_set=now.data_set).count() == dataset.VALUES_PER_RETURN
    padding = Indicator.objects.filter(data_set=now.data_set, code__startswith="BP").first()
    assert "压测填充" in padding.name and padding.table.code == dataset.PADDING_TABLE
    ret = Return.objects.filter(round=now, status=c.ReturnStatus.ACCEPTED).first()
    assert ret.values.count() == dataset.VALUES_PER_RETURN
    checker = Checker(now.data_set)
    values = dict(ret.values.values_list("indicator__code", "value"))
    assert [f for f in checker.check(values) if f.is_error] == []
    kept = set(Aggregate.objects.filter(round=now).values_list("region_id", "indicator_id",
                                                               "value", "units"))  # fmt: skip
    aggregation.recompute(now)
    again = set(Aggregate.objects.filter(round=now).values_list("region_id", "indicator_id",
                                                                "value", "units"))  # fmt: skip
    assert kept == again and kept
    assert RegionApproval.objects.filter(round=done, region__code="51", status="approved").exists()
    assert Value.objects.filter(ret__round=now).exists()
    assert invariants.check(["stats"]) == []
    # The invariants catch an aggregate that is not its county's accepted values.
    row = Aggregate.objects.filter(round=now, region__level=3).order_by("region_id").first()
    Aggregate.objects.filter(pk=row.pk).update(value=row.value + 1)
    assert any("aggregate" in line for line in invariants.check(["stats"]))


def test_the_bench_measurements_run_on_the_small_dataset(monkeypatch):
    from bench import stats_survey

    ds = core_dataset.Dataset("county", 4, out=lambda line: None)
    core_dataset.generate(ds)
    dataset.generate(ds)
    monkeypatch.setattr(stats_survey, "UNITS", 50)
    drafts = Return.objects.filter(status=c.ReturnStatus.DRAFT).count()
    result = stats_survey.measure()
    assert result["recompute"]["rows"] > 0
    upload = result["upload"]
    assert upload["units"] == 50 and upload["errors"] == 0 and not upload["refusal"]
    assert upload["floor_ms"] > 0 and upload["validate_ms"] > 0
    assert Return.objects.filter(status=c.ReturnStatus.DRAFT).count() == drafts  # rolled back
    paths = stats_survey.paths()
    assert paths["stats_aggregates"].startswith("/stats/aggregates/?round=")
