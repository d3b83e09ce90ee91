"""The statistics demo loads once, through the services, with the statuses it promises."""

import pytest

from kepu.core.models import Region
from kepu.stats import choices as c
from kepu.stats.demo import LAST, RETURNED_REASON, THIS, load_demo
from kepu.stats.models import Aggregate, RegionApproval, Return, SurveyRound
from kepu.stats.services import aggregation, returns

pytestmark = pytest.mark.django_db
S = c.ReturnStatus


def test_the_demo_loads_once_with_last_year_approved_and_this_year_in_progress():
    result = load_demo()
    assert load_demo() == {}
    last = SurveyRound.objects.get(region__code="51", year=LAST)
    this = SurveyRound.objects.get(region__code="51", year=THIS)
    assert last.status == c.RoundStatus.CLOSED and this.status == c.RoundStatus.OPEN
    units = Return.objects.filter(round=last)
    assert units.count() == result["last year's returns, approved"] > 60
    assert set(units.values_list("status", flat=True)) == {S.ACCEPTED}
    assert units.filter(region__code="510104").exists()
    assert units.filter(region__code="510703").exists()
    approved = set(
        RegionApproval.objects.filter(round=last, status=c.ApprovalStatus.APPROVED).values_list(
            "region__code", flat=True
        )
    )
    assert {"51", "5101", "5107", "5106", "510104", "510703"} <= approved
    statuses = dict((s, Return.objects.filter(round=this, status=s).count()) for s in S.values)
    assert statuses[S.NOT_STARTED] and statuses[S.SUBMITTED] and statuses[S.ACCEPTED]
    assert statuses[S.RETURNED] == 1 and statuses[S.DRAFT] == result["errors"]
    assert Return.objects.filter(round=this, status=S.DRAFT, errors__gt=0).exists()
    returned = Return.objects.get(round=this, status=S.RETURNED)
    assert returned.region.code == "510104"
    assert returned.events.get(action=c.EventAction.RETURN).reason == RETURNED_REASON
    assert not returns.locked(returned)  # an exception lets it be corrected late
    for code in ("510104", "510703"):  # each county has something of each to show
        here = set(
            Return.objects.filter(round=this, region__code=code).values_list("status", flat=True)
        )
        assert {S.SUBMITTED, S.ACCEPTED, S.DRAFT} <= here, code
    late = Return.objects.get(round=this, late=True)
    assert late.region.code == "510703" and late.status == S.SUBMITTED
    assert late.exceptions.exists()
    overdue = Return.objects.filter(round=this, status__in=c.EDITABLE_RETURN).exclude(
        pk=returned.pk
    )
    assert overdue.exists() and all(returns.locked(r) for r in overdue[:5])
    # The aggregates the services kept are the ones a recompute gives.
    province = Region.objects.get(code="51")
    kept = dict(
        Aggregate.objects.filter(round=this, region=province).values_list("indicator_id", "value")
    )
    assert kept
    aggregation.recompute(this)
    again = dict(
        Aggregate.objects.filter(round=this, region=province).values_list("indicator_id", "value")
    )
    assert {k: v for k, v in again.items() if v} == {k: v for k, v in kept.items() if v}
