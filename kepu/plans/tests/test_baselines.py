"""Plans fixes of issue 26: "above" targets are met only strictly above ("超过16%" is not
met at exactly 16), one baseline per plan (its new targets take it, and the people
statistics count "new since" from it), and the Tianjin plan of seed 004 in the demo."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from kepu.plans import progress
from kepu.plans.demo_tianjin import ITEMS, parse_items
from kepu.plans.models import Target
from kepu.plans.tests.helpers import make_plan, make_target

pytestmark = pytest.mark.django_db

END = datetime.date(2025, 12, 31)
AFTER = datetime.date(2026, 1, 5)


def _rate(plan, comparison):
    return make_target(
        plan,
        name="公民具备科学素质的比例",
        unit="%",
        source="reported",
        indicator="",
        baseline_date=datetime.date(2020, 12, 31),
        baseline_value=Decimal("9.8"),
        target_value=16,
        deadline=END,
        additive=False,
        comparison=comparison,
    )


def test_above_is_strictly_greater_and_at_least_is_greater_or_equal():
    plan = make_plan(start=datetime.date(2021, 1, 1), end=END, publish=False)
    above, at_least = _rate(plan, "above"), _rate(plan, "at_least")
    assert progress.standing(above, Decimal("16"), AFTER).state == "missed"
    assert progress.standing(above, Decimal("16.01"), AFTER).state == "met"
    assert progress.standing(at_least, Decimal("16"), AFTER).state == "met"
    assert progress.standing(at_least, Decimal("15.99"), AFTER).state == "missed"
    assert (above.comparison_sign, at_least.comparison_sign) == (">", "≥")


def test_a_new_target_takes_the_plan_baseline(as_persona):
    plan = make_plan(publish=False, baseline_date=datetime.date(2026, 1, 20))
    target = make_target(plan, baseline_date=None)
    assert target.baseline_date == datetime.date(2026, 1, 20)
    page = as_persona("province").get(reverse("plans:target_create", args=[plan.pk]))
    assert 'value="2026-01-20"' in page.content.decode()


def test_the_people_statistics_count_from_the_talent_plan_baseline(as_persona):
    plan = make_plan(
        title="关于加强高水平科普人才队伍建设的实施方案",
        start=datetime.date(2023, 12, 20),
        end=datetime.date(2025, 12, 31),
        baseline_date=datetime.date(2023, 12, 20),
    )
    make_target(plan, baseline_date=None)
    client = as_persona("province")
    client.cookies["django_language"] = "en"
    page = client.get(reverse("people:stats")).content.decode()
    assert 'value="2023-12-21"' in page  # counted from the day after the baseline
    assert "关于加强高水平科普人才队伍建设的实施方案” (2023-12-20)" in page
    data = client.get("/api/v1/people-stats/").json()
    assert data["since"] == "2023-12-21"
    # A date chosen instead of a plan.
    chosen = client.get(reverse("people:stats") + "?plan=date&since=2024-03-01")
    assert 'value="2024-03-01"' in chosen.content.decode()
    # The plan in force comes first; the talent plan stays one choice away.
    current = make_plan(title="本年度科普工作要点", baseline_date=datetime.date(2025, 12, 31))
    make_target(current, baseline_date=None, deadline=current.period_end)
    page = client.get(reverse("people:stats")).content.decode()
    assert 'value="2026-01-01"' in page
    talent = client.get(reverse("people:stats") + f"?plan={plan.pk}").content.decode()
    assert 'value="2023-12-21"' in talent


def test_the_tianjin_document_gives_six_sections_and_25_items():
    sections = parse_items(ITEMS.read_text(encoding="utf-8"))
    assert [s[0] for s in sections] == ["二", "三", "四", "五", "六", "七"]
    items = [n for _s, _t, rows in sections for n, _title in rows]
    assert items == [str(n) for n in range(1, 26)]


def test_target_api_and_form_carry_the_comparison(as_persona):
    plan = make_plan(publish=False)
    target = _rate(plan, "above")
    client = as_persona("province")
    data = client.get(f"/api/v1/plans/targets/{target.pk}/").json()
    assert data["comparison"] == "above"
    response = client.patch(
        f"/api/v1/plans/targets/{target.pk}/",
        {"comparison": "at_least"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert Target.objects.get(pk=target.pk).comparison == "at_least"
