"""Matrix rows of the assessment of regions and member units, over the objects made by
`context`: a round of 成都市 assessing its counties (`assess_city`), whose entry for
锦江区 (county A) is self-assessed with evidence and whose entry for 青羊区 is scored (it
waits for a second officer); and a published, public round of 涪城区 (county B) over
the units of its plan.

The city and the province assess (score, confirm, recompute); county A reads the round
through its entry (reach) and files its own self-assessment, never scores (the object
rule: a refused step page redirects with the reason, the API answers 403); county B and
the member unit are outside (404)."""

from kepu.core.testing import Row, officers, statuses
from kepu.plans.services import assessment as services
from kepu.plans.tests.assessment_helpers import MANUAL_REGION, MANUAL_UNIT, city_round, rubric
from kepu.plans.tests.helpers import pdf_upload, region


def context(ctx):
    round_ = city_round(name="矩阵成都市考核")
    ctx["assess_city"] = round_
    entry_a = round_.entries.get(region__code="510104")
    services.self_assess(entry_a, actor=None, text="矩阵自评", attachments=[pdf_upload()])
    ctx["assess_a"] = entry_a
    ctx["assess_file"] = entry_a.evidence.get()
    entry_q = round_.entries.get(region__code="510105")
    ctx["assess_q"] = services.score_entry(entry_q, actor=None, points=MANUAL_REGION)
    public = services.create_round(
        actor=None,
        name="矩阵涪城区成员单位考核",
        region=region("510703"),
        kind="units",
        plan=ctx["plan_b"],
        year=2025,
        rubric=rubric("units"),
        is_public=True,
    )
    for entry in public.entries.all():
        services.score_entry(entry, actor=None, points=MANUAL_UNIT)
        services.confirm_entry(entry, actor=None)
    ctx["assess_public"] = services.publish_round(public, actor=None)


def _id(key):
    return lambda ctx: {"pk": ctx[key].pk}


def _file(ctx):
    return {"pk": ctx["assess_a"].pk, "file_pk": ctx["assess_file"].pk}


def _new(ctx):
    return {
        "name": "矩阵新考核",
        "region": "5101",
        "kind": "regions",
        "year": "2025",
        "rubric": str(ctx["assess_city"].rubric_id),
    }


def _points(ctx):
    return {f"points_{k}": v for k, v in MANUAL_REGION.items()}


def _api_points(ctx):
    return {"points": MANUAL_REGION}


ASSESSORS = ("province", "city")
# The city's round: the assessors, and county A through its entry.
READ = officers(200, county_b=404, member=404)
READ_API = officers(200, anonymous=401, county_b=404, member=404)
ENTRY_Q = {"county_a": 404, "county_b": 404}

ASSESSMENT_ROWS = [
    Row("assess-list", "plans:assessment_list", expect=officers(200, member=200)),
    Row("assess-new", "plans:assessment_create", expect=officers(200)),
    Row("assess-new-post", "plans:assessment_create", "post", data=_new,
        expect=officers(302, county_a=400, county_b=400), changes=ASSESSORS),
    Row("assess-detail", "plans:assessment_detail", kwargs=_id("assess_city"), expect=READ),
    Row("assess-ranking", "plans:assessment_ranking", kwargs=_id("assess_city"), expect=READ),
    Row("assess-export", "plans:assessment_export", kwargs=_id("assess_city"),
        expect=officers(200, county_b=404)),
    Row("assess-refresh", "plans:assessment_refresh", "post", kwargs=_id("assess_city"),
        expect=officers(302, county_a=403, county_b=404), changes=ASSESSORS),
    Row("assess-publish", "plans:assessment_publish", "post", kwargs=_id("assess_city"),
        expect=officers(302, county_a=403, county_b=404)),  # not every score confirmed
    Row("assess-entry", "plans:assessment_entry", kwargs=_id("assess_a"), expect=READ),
    Row("assess-evidence", "plans:assessment_evidence", kwargs=_file, expect=READ),
    Row("assess-self", "plans:assessment_self_assess", kwargs=_id("assess_a"),
        expect=officers(302, county_a=200, county_b=404, member=404)),
    Row("assess-self-post", "plans:assessment_self_assess", "post", kwargs=_id("assess_a"),
        data=lambda ctx: {"self_text": "矩阵再次自评"},
        expect=officers(302, county_b=404, member=404), changes=("county_a",)),
    Row("assess-score", "plans:assessment_score", kwargs=_id("assess_a"),
        expect=officers(200, county_a=302, county_b=404)),
    Row("assess-score-post", "plans:assessment_score", "post", kwargs=_id("assess_a"),
        data=_points, expect=officers(302, county_b=404), changes=ASSESSORS),
    Row("assess-confirm", "plans:assessment_confirm", "post", kwargs=_id("assess_q"),
        expect=officers(302, **ENTRY_Q), changes=ASSESSORS),
    Row("assess-public-list", "plans:public_assessment_list", expect=statuses(200)),
    Row("assess-public", "plans:public_assessment_detail", kwargs=_id("assess_public"),
        expect=statuses(200)),
    Row("assess-public-open", "plans:public_assessment_detail", kwargs=_id("assess_city"),
        expect=statuses(404)),
    Row("api-assess-list", "api:plan-assessment-list",
        expect=officers(200, anonymous=401, member=200)),
    Row("api-assess-detail", "api:plan-assessment-detail", kwargs=_id("assess_city"),
        expect=READ_API),
    Row("api-assess-ranking", "api:plan-assessment-ranking", kwargs=_id("assess_city"),
        expect=READ_API),
    Row("api-assess-entries", "api:plan-assessment-entry-list",
        expect=officers(200, anonymous=401, member=200)),
    Row("api-assess-entry", "api:plan-assessment-entry-detail", kwargs=_id("assess_a"),
        expect=READ_API),
    Row("api-assess-score", "api:plan-assessment-entry-score", "post", kwargs=_id("assess_a"),
        data=_api_points, json=True,
        expect=officers(200, anonymous=401, county_a=403, county_b=404), changes=ASSESSORS),
    Row("api-assess-confirm", "api:plan-assessment-entry-confirm", "post",
        kwargs=_id("assess_q"), json=True,
        expect=officers(200, anonymous=401, **ENTRY_Q), changes=ASSESSORS),
]  # fmt: skip
