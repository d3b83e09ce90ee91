"""Matrix rows of the midterm area.

Demonstration counties 锦江区 (county A) and 涪城区 (county B) in the 2023–2027 cycle, in
the province's 2025 mid-term evaluation, both self-assessed and scored by the second
province officer. The round belongs to the province's officers; an area and its entry
(its self-assessment) to the officers of its region and above, so county B sees nothing
of county A's and the city (成都市) fills in 锦江区's but does not see the round."""

from kepu.bases import choices as c
from kepu.bases import services
from kepu.bases.tests.helpers_midterm import (
    STRONG,
    WEAK,
    make_area,
    make_round,
    midterm_rubric,
    user,
)
from kepu.core.testing import Row, officers


def context(ctx):
    rubric = midterm_rubric("矩阵中期评估细则")
    area_a = make_area("510104")
    make_area("510703")
    evaluation = make_round(rubric, name="矩阵中期评估")
    second = user("demo-province-2")
    for entry in evaluation.entries.all():
        values = STRONG if entry.area_id == area_a.pk else WEAK
        services.save_self_assessment(entry, actor=None, values=values)
        services.submit_scoresheet(
            entry, actor=second, points=dict(leadership=12, innovation=7, publicity=8)
        )
    # An area of the last cycle, past its mid-term: the officers above it name it.
    old = make_area("510104", kind=c.AreaKind.COMMUNITY, start=2019, name="锦江区矩阵示范社区")
    past = make_round(rubric, year=2021, name="矩阵2021中期评估")
    entry = past.entries.get()
    services.save_self_assessment(entry, actor=None, values=STRONG)
    services.submit_scoresheet(
        entry, actor=second, points=dict(leadership=12, innovation=7, publicity=8)
    )
    services.publish_evaluation(past, actor=None)
    ctx["mt_area_old"] = old
    ctx["mt_rubric"] = rubric
    ctx["mt_area_a"] = area_a
    ctx["mt_round"] = evaluation
    ctx["mt_entry_a"] = evaluation.entries.get(area=area_a)


def _id(key):
    return lambda ctx: {"pk": ctx[key].pk}


def _new_area(ctx):
    return {
        "name": "锦江区科普示范社区（矩阵）",
        "kind": "community",
        "region": "510104",
        "organization": "锦江区科学技术协会",
        "cycle_start": "2026",
    }


def _new_round(ctx):
    return {
        "name": "矩阵新中期评估",
        "region": "51",
        "rubric": ctx["mt_rubric"].pk,
        "year": "2025",
        "pass_mark": "60",
    }


def _self(ctx):
    return {**STRONG, "funding": "2.5"}


def _sheet(ctx):
    return {**STRONG, "leadership": "13", "innovation": "8", "publicity": "9", "comment": "好"}


A_SIDE = ("province", "city", "county_a")
NOT_B = {"county_b": 404}
ROUND_ONLY = {"city": 404, "county_a": 404, "county_b": 404}

ROWS = [
    Row("mt-area-list", "bases:area_list", expect=officers(200)),
    Row("mt-area-export", "bases:area_export", expect=officers(200)),
    Row("mt-area-new", "bases:area_create", expect=officers(200)),
    Row("mt-area-new-post", "bases:area_create", "post", data=_new_area,
        expect=officers(302, county_b=400), changes=A_SIDE),
    Row("mt-area-detail", "bases:area_detail", kwargs=_id("mt_area_a"),
        expect=officers(200, **NOT_B)),
    # County A is the area's own region: refused (a message), nothing changes.
    Row("mt-area-conclude", "bases:area_conclude", "post", kwargs=_id("mt_area_old"),
        data=lambda ctx: {"named": "1"}, expect=officers(302, **NOT_B),
        changes=("province", "city")),
    Row("mt-entry-self", "bases:entry_self_assess", kwargs=_id("mt_entry_a"),
        expect=officers(200, **NOT_B)),
    Row("mt-entry-self-post", "bases:entry_self_assess", "post", kwargs=_id("mt_entry_a"),
        data=_self, expect=officers(302, **NOT_B), changes=A_SIDE),
    Row("mt-entry-score", "bases:entry_score", kwargs=_id("mt_entry_a"),
        expect=officers(200, **ROUND_ONLY)),
    Row("mt-entry-score-post", "bases:entry_score", "post", kwargs=_id("mt_entry_a"),
        data=_sheet, expect=officers(302, **ROUND_ONLY), changes=("province",)),
    Row("mt-evaluation-list", "bases:evaluation_list", expect=officers(200)),
    Row("mt-evaluation-new", "bases:evaluation_create", expect=officers(200)),
    Row("mt-evaluation-new-post", "bases:evaluation_create", "post", data=_new_round,
        expect=officers(302, city=400, county_a=400, county_b=400), changes=("province",)),
    Row("mt-evaluation-detail", "bases:evaluation_detail", kwargs=_id("mt_round"),
        expect=officers(200, **ROUND_ONLY)),
    Row("mt-evaluation-results", "bases:evaluation_results", kwargs=_id("mt_round"),
        expect=officers(200, **ROUND_ONLY)),
    Row("mt-evaluation-export", "bases:evaluation_export", kwargs=_id("mt_round"),
        expect=officers(200, **ROUND_ONLY)),
    Row("mt-evaluation-publish", "bases:evaluation_publish", "post", kwargs=_id("mt_round"),
        expect=officers(302, **ROUND_ONLY), changes=("province",)),
]  # fmt: skip
