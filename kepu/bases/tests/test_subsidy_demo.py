"""The subsidy area's demo: the approved 2025 allocation (scores stood in for the annual
area's), the census with some returns filed; idempotent; a draft without scores."""

import pytest

from kepu.bases import choices as c
from kepu.bases.demo import subsidy as demo
from kepu.bases.models import CensusReturn, CensusRound, SubsidyRound
from kepu.bases.models.subsidy import ReturnStatus, SubsidyStatus
from kepu.bases.services.subsidy import lines_total
from kepu.bases.tests.helpers import make_base
from kepu.bases.tests.subsidy_helpers import scored, scores_for

pytestmark = pytest.mark.django_db


def _venues():
    return [
        make_base(name, region_code=code, level=c.BaseLevel.PROVINCIAL)
        for name, code in (("省级演示科技馆一", "510104"), ("省级演示科技馆二", "510703"))
    ]


def test_demo_approves_last_years_subsidy_and_opens_the_census():
    venues = _venues()
    with scored(scores_for(venues)):
        assert demo.load(300)["subsidies_approved"] == 1
        assert demo.load(300) == {"subsidy_rounds": 0}
    rnd = SubsidyRound.objects.get(name=demo.SUBSIDY)
    assert rnd.status == SubsidyStatus.APPROVED
    assert rnd.submitted_by.username == "demo-province"
    assert rnd.approved_by.username == "demo-province-2"
    assert lines_total(rnd) == rnd.budget == 3_000_000
    census = CensusRound.objects.get(name=demo.CENSUS)
    statuses = set(CensusReturn.objects.filter(round=census).values_list("status", flat=True))
    assert census.is_open() and ReturnStatus.SUBMITTED in statuses | {ReturnStatus.ACCEPTED}


def test_without_scores_the_round_stays_a_draft():
    _venues()
    assert demo.load(300)["subsidies_approved"] == 0
    assert SubsidyRound.objects.get(name=demo.SUBSIDY).status == SubsidyStatus.DRAFT
