"""Authorization-matrix rows of the rubric pages.

The province (四川省) owns a rubric in use and a draft; 锦江区 (county A) owns a draft.
Lower regions read the rubrics of the regions above them (and may copy them into their
own region); only the owner region's officers change, put in use or retire one. County B
(涪城区) does not see county A's draft."""

from kepu.core.models import Region
from kepu.core.testing import Row, officers
from kepu.rubrics import choices as c
from kepu.rubrics import presets, services


def _rubric(name, code, *, activate, criteria=None):
    return services.create_rubric(
        actor=None,
        name=name,
        purpose=c.Purpose.MIDTERM,
        region=Region.objects.get(code=code),
        criteria=criteria if criteria is not None else presets.demonstration_midterm_criteria(),
        activate=activate,
    )


def context(ctx):
    ctx["rubric_in_use"] = _rubric("矩阵评分细则（在用）", "51", activate=True)
    ctx["rubric_draft"] = _rubric("矩阵评分细则（草稿）", "51", activate=False)
    ctx["rubric_county"] = _rubric("锦江区矩阵细则（草稿）", "510104", activate=False)
    ctx["criterion"] = ctx["rubric_draft"].criteria.get(code="innovation")


def _id(key):
    return lambda ctx: {"pk": ctx[key].pk}


def _new_rubric(ctx):
    return {"name": "矩阵新细则", "purpose": "midterm", "preset": "midterm", "region": "51"}


def _criterion_data(ctx):
    return {
        "code": "extra",
        "name": "矩阵新指标",
        "weight": "5",
        "method": "banded",
        "unit": "%",
        "band0_max": "10",
        "band0_share": "0",
        "band1_min": "10",
        "band1_share": "100",
    }


PROVINCE_ONLY = {"city": 403, "county_a": 403, "county_b": 403}
# What the officers of 锦江区 (county A) own: the city and the province above see it.
COUNTY_A = {"county_b": 404}

ROWS = [
    Row("rubric-list", "rubrics:rubric_list", expect=officers(200)),
    Row("rubric-export", "rubrics:rubric_export", expect=officers(200)),
    Row("rubric-new", "rubrics:rubric_create", expect=officers(200)),
    Row("rubric-new-post", "rubrics:rubric_create", "post", data=_new_rubric,
        expect=officers(302, city=400, county_a=400, county_b=400), changes=("province",)),
    Row("rubric-detail", "rubrics:rubric_detail", kwargs=_id("rubric_in_use"),
        expect=officers(200)),
    Row("rubric-detail-county", "rubrics:rubric_detail", kwargs=_id("rubric_county"),
        expect=officers(200, **COUNTY_A)),
    Row("criterion-new", "rubrics:criterion_create", kwargs=_id("rubric_draft"),
        expect=officers(200, **PROVINCE_ONLY)),
    Row("criterion-new-post", "rubrics:criterion_create", "post", kwargs=_id("rubric_draft"),
        data=_criterion_data, expect=officers(302, **PROVINCE_ONLY), changes=("province",)),
    Row("criterion-edit", "rubrics:criterion_update", kwargs=_id("criterion"),
        expect=officers(200, **PROVINCE_ONLY)),
    Row("criterion-edit-post", "rubrics:criterion_update", "post", kwargs=_id("criterion"),
        data=_criterion_data, expect=officers(302, **PROVINCE_ONLY), changes=("province",)),
    Row("criterion-delete", "rubrics:criterion_delete", "post", kwargs=_id("criterion"),
        expect=officers(302, **PROVINCE_ONLY), changes=("province",)),
    # The draft's weights add up to 100: it can be put in use.
    Row("rubric-activate", "rubrics:rubric_activate", "post", kwargs=_id("rubric_draft"),
        expect=officers(302, **PROVINCE_ONLY), changes=("province",)),
    Row("rubric-copy", "rubrics:rubric_copy", "post", kwargs=_id("rubric_in_use"),
        expect=officers(302), changes=("province", "city", "county_a", "county_b")),
    Row("rubric-retire", "rubrics:rubric_retire", "post", kwargs=_id("rubric_in_use"),
        expect=officers(302, **PROVINCE_ONLY), changes=("province",)),
    Row("api-rubrics", "api:rubric-list", expect=officers(200, anonymous=401)),
    Row("api-rubric", "api:rubric-detail", kwargs=_id("rubric_county"),
        expect=officers(200, anonymous=401, **COUNTY_A)),
]  # fmt: skip
