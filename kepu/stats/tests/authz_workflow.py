"""Authorization-matrix rows of the workflow area.

The province's open 2025 survey has the science associations and schools of 锦江区
(county A) and 涪城区 (county B) assigned: county A's association has submitted (by the
system, so four-eyes holds nobody back), its school has not started. A draft 2027 survey
waits to be opened. In a 2024 survey both associations are accepted and 锦江区 has
approved (成都 may return it); 涪城区 may approve. The province runs the surveys; every
officer reads them; county B reaches nothing of county A; member staff reach none of
these pages."""

import datetime

from kepu.core.models import Region
from kepu.core.testing import Row, officers
from kepu.stats import choices as c
from kepu.stats.models import Return, SurveyRound
from kepu.stats.services import approvals, assignment, returns
from kepu.stats.tests.helpers import GOOD, make_round


def _units(survey, code, types):
    assignment.assign_units(survey, Region.objects.get(code=code), types, actor=None)
    return {
        r.organization.org_type: r
        for r in Return.objects.filter(round=survey, region__code=code).select_related(
            "organization"
        )
    }


def _accepted(ret):
    returns.save_values(ret, GOOD, actor=None)
    returns.submit(ret, actor=None)
    return returns.accept(ret, actor=None)


def context(ctx):
    survey = make_round()
    ctx["wf_round"] = survey
    a = _units(survey, "510104", ["kx", "school"])
    _units(survey, "510703", ["kx"])
    returns.save_values(a["kx"], GOOD, actor=None)
    ctx["wf_submitted"] = returns.submit(a["kx"], actor=None)
    ctx["wf_new"] = a["school"]
    ctx["wf_draft"] = SurveyRound.objects.create(
        data_set=survey.data_set, region=survey.region, year=2027, title="矩阵草稿调查",
        status=c.RoundStatus.DRAFT, opens_on=datetime.date(2028, 3, 1),
        units_due=datetime.date(2028, 5, 31), county_due=datetime.date(2028, 6, 5),
        city_due=datetime.date(2028, 6, 10), province_due=datetime.date(2028, 6, 20),
    )  # fmt: skip
    earlier = SurveyRound.objects.create(
        data_set=survey.data_set, region=survey.region, year=2024, title="矩阵往年调查",
        status=c.RoundStatus.OPEN, opens_on=datetime.date(2025, 3, 1),
        units_due=datetime.date(2027, 5, 31), county_due=datetime.date(2027, 6, 5),
        city_due=datetime.date(2027, 6, 10), province_due=datetime.date(2027, 6, 20),
    )  # fmt: skip
    ctx["wf_earlier"] = earlier
    _accepted(_units(earlier, "510104", ["kx"])["kx"])
    _accepted(_units(earlier, "510703", ["kx"])["kx"])
    approvals.approve(earlier, Region.objects.get(code="510104"), actor=None)
    ctx["wf_county_a"] = Region.objects.get(code="510104")
    ctx["wf_county_b"] = Region.objects.get(code="510703")


def _pk(key):
    return lambda ctx: {"pk": ctx[key].pk}


def _region(round_key, region_key):
    return lambda ctx: {"pk": ctx[round_key].pk, "region_id": ctx[region_key].pk}


def _round_data(ctx):
    return {
        "data_set": ctx["wf_round"].data_set_id, "year": 2030, "title": "矩阵新调查",
        "opens_on": "2031-03-01", "units_due": "2031-03-31", "county_due": "2031-04-10",
        "city_due": "2031-04-20", "province_due": "2031-04-30",
    }  # fmt: skip


READ = officers(200)
READ_404_MEMBER = officers(200, member=404)
PROVINCE = officers(403, province=200)
PROVINCE_POST = officers(403, province=302)
REVIEW = officers(302, county_b=404)
ALL_OFFICERS = ("province", "city", "county_a")
API_READ = officers(200, anonymous=401)
API_PROVINCE = officers(403, province=200, anonymous=401)

ROWS = [
    Row("wf-rounds", "stats:round_list", expect=READ),
    Row("wf-round-new", "stats:round_create", expect=PROVINCE),
    Row("wf-round-new-post", "stats:round_create", "post", data=_round_data,
        expect=PROVINCE_POST, changes=("province",)),
    Row("wf-round", "stats:round_detail", kwargs=_pk("wf_round"), expect=READ),
    Row("wf-round-edit", "stats:round_edit", kwargs=_pk("wf_draft"), expect=PROVINCE),
    Row("wf-round-edit-post", "stats:round_edit", "post", kwargs=_pk("wf_draft"),
        data=lambda ctx: {**_round_data(ctx), "year": 2027, "title": "矩阵改名调查"},
        expect=PROVINCE_POST, changes=("province",)),
    Row("wf-round-open", "stats:round_open", "post", kwargs=_pk("wf_draft"),
        expect=PROVINCE_POST, changes=("province",)),
    Row("wf-round-close", "stats:round_close", "post", kwargs=_pk("wf_round"),
        expect=PROVINCE_POST, changes=("province",)),
    Row("wf-assign", "stats:round_assign", kwargs=_pk("wf_round"), expect=READ),
    Row("wf-assign-post", "stats:round_assign", "post", kwargs=_pk("wf_round"),
        data=lambda ctx: {"region": "510104", "org_types": ["community"], "dept_category": "30"},
        expect=officers(302, county_b=400), changes=ALL_OFFICERS),
    Row("wf-returns", "stats:return_list", kwargs=_pk("wf_round"), expect=READ_404_MEMBER),
    Row("wf-return-accept", "stats:return_accept", "post", kwargs=_pk("wf_submitted"),
        expect=REVIEW, changes=ALL_OFFICERS),
    Row("wf-return-send-back", "stats:return_send_back", "post", kwargs=_pk("wf_submitted"),
        data=lambda ctx: {"reason": "矩阵退回"}, expect=REVIEW, changes=ALL_OFFICERS),
    Row("wf-return-bulk-accept", "stats:return_bulk_accept", "post", kwargs=_pk("wf_round"),
        data=lambda ctx: {"ids": [ctx["wf_submitted"].pk]}, expect=officers(302),
        changes=ALL_OFFICERS),
    Row("wf-return-remove", "stats:return_remove", "post", kwargs=_pk("wf_new"),
        expect=REVIEW, changes=ALL_OFFICERS),
    Row("wf-approval", "stats:approval", kwargs=_pk("wf_earlier"), expect=READ),
    Row("wf-approval-approve", "stats:approval_approve", "post",
        kwargs=_region("wf_earlier", "wf_county_b"),
        expect=officers(404, province=403, county_b=302, member=403), changes=("county_b",)),
    Row("wf-approval-send-back", "stats:approval_send_back", "post",
        kwargs=_region("wf_earlier", "wf_county_a"), data=lambda ctx: {"reason": "矩阵复核"},
        expect=officers(403, city=302, county_b=404), changes=("city",)),
    Row("wf-exceptions", "stats:exception_list", kwargs=_pk("wf_round"), expect=READ),
    Row("wf-exception-new", "stats:exception_grant", kwargs=_pk("wf_round"), expect=READ),
    Row("wf-exception-new-post", "stats:exception_grant", "post", kwargs=_pk("wf_round"),
        data=lambda ctx: {"target": "ret", "unit": ctx["wf_new"].pk, "until": "2099-01-01",
                          "reason": "矩阵例外"},
        expect=officers(302, county_b=400), changes=ALL_OFFICERS),
    Row("wf-completeness", "stats:completeness", kwargs=_pk("wf_round"), expect=READ),
    Row("wf-validation", "stats:validation_report", kwargs=_pk("wf_round"),
        expect=READ_404_MEMBER),
    Row("wf-api-rounds", "api:stats-round-list", expect=API_READ),
    Row("wf-api-round", "api:stats-round-detail", kwargs=_pk("wf_round"), expect=API_READ),
    Row("wf-api-completeness", "api:stats-round-completeness", kwargs=_pk("wf_round"),
        expect=API_READ),
    Row("wf-api-round-open", "api:stats-round-open", "post", kwargs=_pk("wf_draft"),
        expect=API_PROVINCE, changes=("province",)),
    Row("wf-api-round-close", "api:stats-round-close", "post", kwargs=_pk("wf_round"),
        expect=API_PROVINCE, changes=("province",)),
]  # fmt: skip
