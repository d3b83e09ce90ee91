"""Activities at benchmark scale (see `kepu.core.dataset`): the province's theme campaigns
of every year in the window, the mobile facilities on tour, 200k activities over the last
two years and the next two months in every workflow status, with their review histories,
key-group and topic tags, after-event reports (late ones, and overdue ones without any)
and public sign-ups with waiting lists and check-ins.

The rows are in the state the services would leave them in: search text as
`services._refresh_search` builds it, tags as `services._set_tags` sets them, review fields
and `report_due` as `services.review_activity` sets them, sign-ups replayed in time order
like `services.sign_up` / `cancel_signup` (never more confirmed than places, a waiting
list only when full, the counters equal to the rows) and phone numbers sealed,
blind-indexed and masked. The titles, places, reasons and names are the demo's
vocabularies (`kepu.activities.demo`).

Leaves `ds.signup_activity` on the dataset: the pk of a published activity in 锦江区
(510104) that starts in about two weeks and takes sign-ups with 100,000 places, for the
load test of the public sign-up.
"""

from __future__ import annotations

from kepu.activities.dataset.builder import _Builder
from kepu.activities.models import ActivityReport, ActivityTag, ReviewDecision, SignUp
from kepu.core.dataset import Dataset


def generate(ds: Dataset) -> None:
    build = _Builder(ds)
    ds.step("campaigns", build.campaigns)
    ds.step("mobile facilities", build.facilities)
    ds.step("activities", build.activities)
    ds.step("activity tags", lambda: ds.insert(ActivityTag, build.tag_rows()))
    ds.step(
        "review decisions",
        lambda: ds.insert(ReviewDecision, build.numbered(ReviewDecision, build.decisions)),
    )
    ds.step(
        "activity reports",
        lambda: ds.insert(ActivityReport, build.numbered(ActivityReport, build.reports)),
    )
    ds.step("sign-ups (encrypted phones)", lambda: ds.insert(SignUp, build.signup_rows()))
    ds.signup_activity = build.bench_ids[0]
