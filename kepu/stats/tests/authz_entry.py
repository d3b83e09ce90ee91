"""Authorization-matrix rows of the entry area.

A round of data year 2031 of the province (四川省, 51), open, with the returns of
锦江区科协 (county A's unit: saved with good values, ready to submit) and of 四川省教育厅
(the member persona's unit). The officers of county A and above fill county A's unit's
return on its behalf; county B and the member unit's staff do not reach it (404). The
member's staff fill their own. The data sets are read by every signed-in user; only the
province's officers add or change rules and load a year's tables."""

from kepu.core.models import Organization
from kepu.core.testing import Row, officers, statuses
from kepu.stats.models import ValidationRule
from kepu.stats.services import returns
from kepu.stats.tests.helpers import GOOD, county_a_unit, make_round

YEAR = 2031


def context(ctx):
    survey = make_round(YEAR)
    ret, _new = returns.assign(survey, county_a_unit(), actor=None)
    returns.save_values(ret, GOOD, actor=None)
    member_ret, _new = returns.assign(
        survey, Organization.objects.get(name="四川省教育厅"), actor=None
    )
    ctx["entry_round"] = survey
    ctx["entry_return"] = ret
    ctx["entry_member_return"] = member_ret
    ctx["entry_dataset"] = survey.data_set
    ctx["entry_rule"] = ValidationRule.objects.get(data_set=survey.data_set, code="R01")
    ctx["entry_indicator"] = survey.data_set.indicators.get(code="KR110")


def _pk(key):
    return lambda ctx: {"pk": ctx[key].pk}


def _form(ctx):
    return {**GOOD, "KR130": "4", "action": "save"}


def _rule(ctx):
    return {
        "code": "M01", "kind": "compare", "left": "KR120", "operator": "<=",
        "right": "KR100", "importance": "error", "message": "矩阵规则", "is_active": "on",
    }  # fmt: skip


def _indicator(ctx):
    table = ctx["entry_dataset"].tables.get(code="KP-1")
    return {
        "table": table.pk, "code": "KR180", "name": "矩阵指标", "unit": "人",
        "value_type": "int", "order": 99,
    }  # fmt: skip


SIGNED_IN = statuses(200, anonymous=302)
# County A's unit's return: its region's officers and those above fill it.
A_READ = officers(200, county_b=404, member=404)
A_FILL = officers(302, county_b=404, member=404)
MEMBER_READ = officers(404, province=200, member=200)
FILL_LIST = officers(200, member=200)
PROVINCE_ONLY = officers(403, province=200)
PROVINCE_POST = officers(403, province=302)
API_READ = officers(200, anonymous=401, member=200)
API_A = officers(200, anonymous=401, county_b=404, member=404)

ROWS = [
    Row("entry-my-returns", "stats:my_returns", expect=FILL_LIST),
    Row("entry-return-form", "stats:return_form", kwargs=_pk("entry_return"), expect=A_READ),
    Row("entry-return-form-member", "stats:return_form", kwargs=_pk("entry_member_return"),
        expect=MEMBER_READ),
    Row("entry-return-save", "stats:return_form", "post", kwargs=_pk("entry_return"),
        data=_form, expect=A_FILL, changes=("province", "city", "county_a")),
    Row("entry-return-submit", "stats:return_form", "post", kwargs=_pk("entry_return"),
        data=lambda ctx: {**GOOD, "action": "submit"}, expect=A_FILL,
        changes=("province", "city", "county_a")),
    Row("entry-return-history", "stats:return_detail", kwargs=_pk("entry_return"),
        expect=A_READ),
    Row("entry-return-prefill", "stats:return_prefill", "post", kwargs=_pk("entry_return"),
        expect=A_FILL, changes=("province", "city", "county_a")),
    Row("entry-round-prefill", "stats:round_prefill", "post", kwargs=_pk("entry_round"),
        expect=officers(403, province=302, city=403, county_a=403, county_b=403),
        changes=("province",)),
    Row("entry-datasets", "stats:dataset_list", expect=SIGNED_IN),
    Row("entry-dataset", "stats:dataset_detail", kwargs=_pk("entry_dataset"),
        expect=SIGNED_IN),
    Row("entry-rule-new", "stats:rule_create", kwargs=_pk("entry_dataset"),
        expect=PROVINCE_ONLY),
    Row("entry-rule-new-post", "stats:rule_create", "post", kwargs=_pk("entry_dataset"),
        data=_rule, expect=PROVINCE_POST, changes=("province",)),
    Row("entry-rule-edit", "stats:rule_edit", kwargs=_pk("entry_rule"), expect=PROVINCE_ONLY),
    Row("entry-rule-edit-post", "stats:rule_edit", "post", kwargs=_pk("entry_rule"),
        data=lambda ctx: {**_rule(ctx), "code": "R01", "message": "矩阵改规则"},
        expect=PROVINCE_POST, changes=("province",)),
    Row("entry-indicator-new", "stats:indicator_create", kwargs=_pk("entry_dataset"),
        expect=PROVINCE_ONLY),
    Row("entry-indicator-new-post", "stats:indicator_create", "post",
        kwargs=_pk("entry_dataset"), data=_indicator, expect=PROVINCE_POST,
        changes=("province",)),
    Row("entry-indicator-edit", "stats:indicator_edit", kwargs=_pk("entry_indicator"),
        expect=PROVINCE_ONLY),
    Row("entry-indicator-edit-post", "stats:indicator_edit", "post",
        kwargs=_pk("entry_indicator"),
        data=lambda ctx: {**_indicator(ctx), "code": "KR110", "name": "其中：科普管理人员（改）",
                          "parent": ctx["entry_indicator"].parent_id},
        expect=PROVINCE_POST, changes=("province",)),
    Row("entry-dataset-load", "stats:dataset_load", "post", data=lambda ctx: {"year": 2032},
        expect=PROVINCE_POST, changes=("province",)),
    Row("entry-api-returns", "api:stats-return-list", expect=API_READ),
    Row("entry-api-return", "api:stats-return-detail", kwargs=_pk("entry_return"),
        expect=API_A),
    Row("entry-api-values", "api:stats-return-values", "put", kwargs=_pk("entry_return"),
        data=lambda ctx: {"values": {"KR130": 4}}, json=True, expect=API_A,
        changes=("province", "city", "county_a")),
    Row("entry-api-values-patch", "api:stats-return-values", "patch",
        kwargs=_pk("entry_return"), data=lambda ctx: {"values": {"KR130": 3}}, json=True,
        expect=API_A, changes=("province", "city", "county_a")),
    Row("entry-api-submit", "api:stats-return-submit", "post", kwargs=_pk("entry_return"),
        json=True, expect=API_A, changes=("province", "city", "county_a")),
]  # fmt: skip
