"""Authorization-matrix rows of the results area.

The rounds and the index are the province's (四川省): every officer below reads them
(reach), only the province estimates, publishes and computes (the others 403); member
staff, volunteers and the administrators have no results pages (403); the public pages
answer everyone."""

from kepu.core.models import Region
from kepu.core.testing import Row, officers, statuses
from kepu.literacy import choices as c
from kepu.literacy.services import estimation
from kepu.literacy.services import index as index_services
from kepu.literacy.tests import helpers_results as h

EVERYONE = statuses(200)
PROVINCE_ACTS = {"city": 403, "county_a": 403, "county_b": 403}


def context(ctx):
    closed = h.make_round(respondents_per_point=4, per_city=2, name="矩阵轮次（已关闭）", seed=3)
    ctx["res_closed"] = closed
    done = h.make_round(respondents_per_point=4, per_city=2, name="矩阵轮次（已估计）", seed=4)
    estimation.estimate_round(done, actor=None)
    ctx["res_estimated"] = done
    public = h.make_round(respondents_per_point=4, per_city=2, name="矩阵轮次（已发布）", seed=5)
    estimation.estimate_round(public, actor=None)
    estimation.publish_round(public, actor=None)
    ctx["res_published"] = public
    h.make_margins(list(Region.objects.filter(parent__code__in=("5101", "5107"))))
    tree = index_services.create_index(h.region("51"), actor=None, year=2025)
    ctx["res_index"] = tree
    computed = index_services.create_index(h.region("5101"), actor=None, year=2025)
    index_services.compute_index(computed, actor=None)
    ctx["res_computed"] = computed
    shown = index_services.create_index(h.region("5107"), actor=None, year=2025)
    index_services.compute_index(shown, actor=None)
    index_services.publish_index(shown, actor=None)
    ctx["res_public_index"] = shown


def _pk(key):
    return lambda ctx: {"pk": ctx[key].pk}


ROWS = [
    Row("res-results", "literacy:result_list", expect=officers(200)),
    Row("res-report", "literacy:round_report", kwargs=_pk("res_estimated"),
        expect=officers(200)),
    Row("res-report-closed", "literacy:round_report", kwargs=_pk("res_closed"),
        expect=officers(200)),
    Row("res-report-pdf", "literacy:round_report_pdf", kwargs=_pk("res_published"),
        expect=officers(200)),
    Row("res-estimate", "literacy:round_estimate", "post", kwargs=_pk("res_closed"),
        expect=officers(302, **PROVINCE_ACTS), changes=("province",)),
    Row("res-publish", "literacy:round_publish", "post", kwargs=_pk("res_estimated"),
        expect=officers(302, **PROVINCE_ACTS), changes=("province",)),
    Row("res-trend", "literacy:trend", expect=officers(200)),
    Row("res-index-list", "literacy:index_list", expect=officers(200)),
    Row("res-index-create", "literacy:index_create", expect=officers(200)),
    Row("res-index-create-post", "literacy:index_create", "post",
        data=lambda ctx: {"year": "1800"}, expect=officers(400)),
    Row("res-index", "literacy:index_detail", kwargs=_pk("res_computed"),
        expect=officers(200, county_b=404)),
    Row("res-index-compute", "literacy:index_compute", "post", kwargs=_pk("res_index"),
        expect=officers(302, **PROVINCE_ACTS), changes=("province",)),
    Row("res-index-publish", "literacy:index_publish", "post", kwargs=_pk("res_computed"),
        expect=officers(302, county_a=403, county_b=404), changes=("province", "city")),
    Row("res-public", "literacy:public_results", expect=EVERYONE),
    Row("res-public-report", "literacy:public_report", kwargs=_pk("res_published"),
        expect=EVERYONE),
    Row("res-public-index", "literacy:public_index", kwargs=_pk("res_public_index"),
        expect=EVERYONE),
]  # fmt: skip

__all__ = ["c"]
