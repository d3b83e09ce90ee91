"""Matrix rows of the subsidy area.

The subsidy rounds are 成都市's (province and city officers act on them; counties see
none): a draft (no evaluation in the test database, so submitting it is refused and
changes nothing), one submitted (scores stood in) and one approved. The census is the
province's: every officer reads it (scope reach), the officers of 锦江区 and above file
and check the return of a 锦江区 venue, member-unit staff the return of their own unit's
base."""

from kepu.bases import services
from kepu.bases.models import CensusReturn
from kepu.bases.tests.helpers import make_base
from kepu.bases.tests.subsidy_helpers import (
    GOOD_ANSWERS,
    census_round,
    county_bases,
    scored,
    scores_for,
    subsidy_round,
)
from kepu.core.testing import Row, officers


def context(ctx):
    bases = county_bases(2, prefix="锦江区矩阵补助馆")
    ctx["sub_draft"] = subsidy_round(name="矩阵补助草稿")
    with scored(scores_for(bases)):
        submitted = subsidy_round(name="矩阵补助待审")
        ctx["sub_submitted"] = services.submit_subsidy_round(submitted, actor=None)
        approved = services.submit_subsidy_round(subsidy_round(name="矩阵补助已批"), actor=None)
        ctx["sub_approved"] = services.approve_subsidy_round(approved, actor=None)
    # The member unit's provincial base (one listed base per unit and level): the
    # registry area's when its rows are built first.
    member_base = ctx.get("reg_base_member") or make_base(
        "四川省教育厅科普基地", region_code="51", level="provincial", unit_name="四川省教育厅"
    )
    rnd = census_round(name="矩阵普查")
    ctx["census"] = rnd
    ctx["return_a"] = CensusReturn.objects.get(round=rnd, base=bases[0])
    done = CensusReturn.objects.get(round=rnd, base=bases[1])
    ctx["return_done"] = services.save_census_return(
        done, actor=None, values=GOOD_ANSWERS, submit=True
    )
    ctx["return_member"] = CensusReturn.objects.get(round=rnd, base=member_base)


def _pk(key):
    return lambda ctx: {"pk": ctx[key].pk}


def _new_round(ctx):
    return {
        "region": "510104",
        "name": "矩阵新补助",
        "year": 2025,
        "budget": 50000,
        "levels": ["county"],
        "base_amount": 1000,
        "score_weight": 60,
        "visitor_weight": 40,
        "ineligible_grades": ["fail"],
    }


def _edit_round(ctx):
    return {**_new_round(ctx), "name": "矩阵补助草稿（改）"}


def _new_census(ctx):
    return {
        "region": "510104",
        "name": "矩阵新普查",
        "year": 2026,
        "deadline": "2099-12-31",
        "fields_json": '[{"code": "area", "label": "面积", "type": "int"}]',
    }


def _adjust(ctx):
    """One yuan moved between the two lines of the submitted round: still the budget."""
    from kepu.bases.models import SubsidyLine

    big, small = SubsidyLine.objects.filter(round=ctx["sub_submitted"]).order_by("-amount")[:2]
    text = f"{big.base_id} = {big.amount - 1}\n{small.base_id} = {small.amount + 1}"
    return {"adjust-amounts": text, "adjust-reason": "参观人数更正"}


REASON = {"return-reason": "请核对参观人数"}
CITY = {"county_a": 404, "county_b": 404}
A_SIDE = ("province", "city", "county_a")
CITY_SIDE = ("province", "city")
NOT_B = {"county_b": 404}
MEMBER_OWN = {"member": 404}

ROWS = [
    # subsidy rounds
    Row("subsidy-list", "bases:subsidy_list", expect=officers(200)),
    Row("subsidy-list-export", "bases:subsidy_list_export", expect=officers(200)),
    Row("subsidy-new", "bases:subsidy_create", expect=officers(200)),
    Row("subsidy-new-post", "bases:subsidy_create", "post", data=_new_round,
        expect=officers(302, county_b=400), changes=A_SIDE),
    Row("subsidy-detail", "bases:subsidy_detail", kwargs=_pk("sub_draft"),
        expect=officers(200, **CITY)),
    Row("subsidy-detail-submitted", "bases:subsidy_detail", kwargs=_pk("sub_submitted"),
        expect=officers(200, **CITY)),
    Row("subsidy-edit", "bases:subsidy_edit", kwargs=_pk("sub_draft"),
        expect=officers(200, **CITY)),
    Row("subsidy-edit-post", "bases:subsidy_edit", "post", kwargs=_pk("sub_draft"),
        data=_edit_round, expect=officers(302, **CITY), changes=CITY_SIDE),
    # No evaluation in the test database: the submission is refused and writes nothing.
    Row("subsidy-submit", "bases:subsidy_submit", "post", kwargs=_pk("sub_draft"),
        expect=officers(302, **CITY)),
    Row("subsidy-approve", "bases:subsidy_approve", "post", kwargs=_pk("sub_submitted"),
        expect=officers(302, **CITY), changes=CITY_SIDE),
    Row("subsidy-return", "bases:subsidy_return", "post", kwargs=_pk("sub_submitted"),
        data=lambda ctx: REASON, expect=officers(302, **CITY), changes=CITY_SIDE),
    Row("subsidy-adjust", "bases:subsidy_adjust", "post", kwargs=_pk("sub_submitted"),
        data=_adjust, expect=officers(302, **CITY), changes=CITY_SIDE),
    Row("subsidy-publish", "bases:subsidy_publish", "post", kwargs=_pk("sub_approved"),
        expect=officers(302, **CITY), changes=CITY_SIDE),
    Row("subsidy-export", "bases:subsidy_export", kwargs=_pk("sub_submitted"),
        expect=officers(200, **CITY)),
    # census
    Row("census-list", "bases:census_list", expect=officers(200)),
    Row("census-new", "bases:census_create", expect=officers(200)),
    Row("census-new-post", "bases:census_create", "post", data=_new_census,
        expect=officers(302, county_b=400), changes=A_SIDE),
    Row("census-detail", "bases:census_detail", kwargs=_pk("census"), expect=officers(200)),
    Row("census-close", "bases:census_close", "post", kwargs=_pk("census"),
        expect=officers(302, city=403, county_a=403, county_b=403), changes=("province",)),
    Row("census-returns", "bases:censusreturn_list", kwargs=_pk("census"),
        expect=officers(200, member=404)),
    Row("census-export", "bases:census_export", kwargs=_pk("census"), expect=officers(200)),
    Row("census-queue", "bases:censusreturn_queue", expect=officers(200, member=200)),
    Row("census-return", "bases:censusreturn_fill", kwargs=_pk("return_a"),
        expect=officers(200, member=404, **NOT_B)),
    Row("census-return-post", "bases:censusreturn_fill", "post", kwargs=_pk("return_a"),
        data=lambda ctx: {**GOOD_ANSWERS, "action": "submit"},
        expect=officers(302, member=404, **NOT_B), changes=A_SIDE),
    Row("census-return-member", "bases:censusreturn_fill", kwargs=_pk("return_member"),
        expect=officers(200, member=200, city=404, county_a=404, county_b=404)),
    Row("census-return-member-post", "bases:censusreturn_fill", "post",
        kwargs=_pk("return_member"), data=lambda ctx: {**GOOD_ANSWERS, "action": "save"},
        expect=officers(302, member=302, city=404, county_a=404, county_b=404),
        changes=("province", "member")),
    Row("census-return-accept", "bases:censusreturn_accept", "post",
        kwargs=_pk("return_done"), expect=officers(302, **NOT_B), changes=A_SIDE),
    Row("census-return-reopen", "bases:censusreturn_reopen", "post",
        kwargs=_pk("return_done"), data=lambda ctx: {"reopen-reason": "面积有误"},
        expect=officers(302, **NOT_B), changes=A_SIDE),
]  # fmt: skip
