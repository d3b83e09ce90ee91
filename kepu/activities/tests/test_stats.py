"""Statistics over a `kepu.core.periods.Period`: the year by default (the year selector),
any month, quarter or range on request."""

import pytest
from django.urls import reverse
from django.utils import timezone

from kepu.activities import stats
from kepu.activities.tests.helpers import make_activity
from kepu.core import periods
from kepu.core.models import Region, User

pytestmark = pytest.mark.django_db


def test_statistics_count_the_activities_starting_in_the_period(as_persona):
    activity = make_activity()
    day = timezone.localtime(activity.starts_at).date()
    quarter = periods.period_containing(day, periods.QUARTER)
    user = User.objects.get(username="demo-county-a")
    focus = Region.objects.get(code="510104")

    def published(period):
        return stats.by_region(user, focus, period=period)[1].get("published", 0)

    assert published(quarter) == 1
    assert published(quarter.next()) == 0
    assert published(periods.year_period(day.year)) == 1
    assert published(periods.custom_period(day, day)) == 1

    client = as_persona("county_a")
    url = reverse("activities:stats")
    by_year = client.get(url, {"region": "510104", "year": day.year})
    assert by_year.status_code == 200 and by_year.context["total"]["published"] == 1
    assert by_year.context["year"] == day.year and by_year.context["period"].kind == "year"
    other_year = client.get(url, {"region": "510104", "year": day.year - 3})
    assert other_year.context["total"].get("published", 0) == 0
    params = {"region": "510104", **quarter.params()}
    by_quarter = client.get(url, params)
    assert by_quarter.context["total"]["published"] == 1
    assert quarter.label in by_quarter.content.decode()
    export = client.get(reverse("activities:stats_export"), params)
    assert export.status_code == 200 and quarter.slug in export["Content-Disposition"]


def test_a_period_that_cannot_be_understood_falls_back_to_this_year(as_persona):
    response = as_persona("county_a").get(
        reverse("activities:stats"), {"region": "510104", "period": "quarter", "quarter": "9"}
    )
    assert response.status_code == 200
    assert response.context["period"] == periods.year_period(timezone.localdate().year)
    assert [str(m) for m in response.context["messages"]]
