"""Authorization-matrix rows of the output area.

The province's survey of 2019 (a year the other areas do not use) is open, with county
A's and county B's units accepted (their aggregates kept) and the member unit assigned;
the survey of 2018 is published (open data). The province recomputes and publishes; the
officers read their own regions' aggregates and export them; the fillers download the
template; everyone reads the open data."""

import datetime

from kepu.core import clock
from kepu.core.models import Organization
from kepu.core.testing import Row, officers, statuses
from kepu.stats import choices as c
from kepu.stats.models import Aggregate, SurveyRound
from kepu.stats.services import returns
from kepu.stats.tests.helpers import GOOD, county_a_unit, county_b_unit, make_round

YEAR = 2019


def _accepted(survey, org):
    ret, _ = returns.assign(survey, org, actor=None)
    returns.save_values(ret, GOOD, actor=None)
    returns.submit(ret, actor=None)
    returns.accept(ret, actor=None)
    return ret


def context(ctx):
    due = clock.today() + datetime.timedelta(days=365)
    survey = make_round(YEAR, units_due=due)
    _accepted(survey, county_a_unit())
    _accepted(survey, county_b_unit())
    returns.assign(survey, Organization.objects.get(name="四川省教育厅"), actor=None)
    ctx["output_round"] = survey
    ctx["output_aggregate"] = Aggregate.objects.get(
        round=survey, region__code="510104", indicator__code="KR100"
    )
    published = make_round(YEAR - 1, units_due=due)
    _accepted(published, county_a_unit())
    SurveyRound.objects.filter(pk=published.pk).update(status=c.RoundStatus.PUBLISHED)
    ctx["output_published"] = published


def _pk(key):
    return lambda ctx: {"pk": ctx[key].pk}


def _table(key, table="KP-1"):
    return lambda ctx: {"pk": ctx[key].pk, "table": table}


READ = officers(200)
PROVINCE_POST = officers(403, province=302)
API_READ = officers(200, anonymous=401)

ROWS = [
    Row("output-aggregates", "stats:aggregates", expect=READ),
    Row("output-recompute", "stats:aggregates_recompute", "post", kwargs=_pk("output_round"),
        expect=PROVINCE_POST, changes=("province",)),
    # The province has not approved: publishing is refused (nothing changes).
    Row("output-publish", "stats:round_publish", "post", kwargs=_pk("output_round"),
        expect=PROVINCE_POST),
    Row("output-template", "stats:table_template", kwargs=_table("output_round"),
        expect=officers(200, member=200)),
    Row("output-upload", "stats:table_upload", kwargs=_pk("output_round"), expect=READ),
    # No file: the form is refused (nothing changes).
    Row("output-upload-post", "stats:table_upload", "post", kwargs=_pk("output_round"),
        expect=officers(400)),
    Row("output-table-export", "stats:table_export", kwargs=_table("output_round"),
        expect=READ),
    Row("output-dataset-export", "stats:dataset_export", kwargs=_pk("output_round"),
        expect=READ),
    Row("output-open", "stats:open_data", expect=statuses(200)),
    Row("output-open-file", "stats:open_data_file", kwargs=_pk("output_published"),
        expect=statuses(200)),
    Row("output-open-file-unpublished", "stats:open_data_file", kwargs=_pk("output_round"),
        expect=statuses(404)),
    Row("output-api-aggregates", "api:stats-aggregate-list", expect=API_READ),
    Row("output-api-aggregate", "api:stats-aggregate-detail", kwargs=_pk("output_aggregate"),
        expect=officers(200, anonymous=401, county_b=404)),
]  # fmt: skip
