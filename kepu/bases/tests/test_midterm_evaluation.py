"""Mid-term evaluation of demonstration areas: the numbers (banded values + evaluators'
points, the mean of several evaluators, grade and pass mark), the refusals (nothing
half-written), publishing, the pages and the scope (county B never sees county A's)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from kepu.bases import choices as c
from kepu.bases.models import DemonstrationArea, MidtermEntry, MidtermScoresheet
from kepu.bases.services import midterm as services
from kepu.bases.tests.helpers_midterm import (
    STRONG,
    WEAK,
    make_area,
    make_round,
    midterm_rubric,
    user,
)
from kepu.core.errors import DomainError, StateConflict
from kepu.core.models import AuditEntry, Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored():
    """Two counties in a round, self-assessed; county A strong, county B weak."""
    rubric = midterm_rubric()
    area_a, area_b = make_area("510104"), make_area("510703")
    evaluation = make_round(rubric)
    entry_a = evaluation.entries.get(area=area_a)
    entry_b = evaluation.entries.get(area=area_b)
    services.save_self_assessment(entry_a, actor=None, values=STRONG)
    services.save_self_assessment(entry_b, actor=None, values=WEAK)
    return evaluation, entry_a, entry_b


def _points(lead, innov, pub):
    return dict(leadership=lead, innovation=innov, publicity=pub)


def test_sheets_add_banded_values_to_points_and_the_mean_decides(scored):
    evaluation, entry_a, entry_b = scored
    one, two = user("demo-province"), user("demo-province-2")
    sheet = services.submit_scoresheet(entry_a, actor=one, points=_points(14, 9, 9))
    # Banded: funding 15 + venues 8 + activities 15 + literacy 15 + volunteers 10 = 63.
    assert sheet.total == Decimal("95.00") and sheet.grade == "excellent"
    assert sheet.lines["venues"] == "8.00" and sheet.values["funding"] == "3.2"
    services.submit_scoresheet(entry_a, actor=two, points=_points(12, 6, 8))  # 89
    # Weak: 7.5 + 6 + 7.5 + 7.5 + 6 = 34.5 banded.
    services.submit_scoresheet(entry_b, actor=one, points=_points(10, 5, 6))  # 55.5
    services.submit_scoresheet(entry_b, actor=two, points=_points(12, 6, 8))  # 60.5
    # A second submission replaces the evaluator's sheet.
    services.submit_scoresheet(entry_b, actor=two, points=_points(11, 6, 8))  # 59.5
    assert MidtermScoresheet.objects.filter(entry=entry_b).count() == 2
    results = services.results(evaluation)
    assert results[entry_a.pk] == (Decimal("92.00"), "excellent", True, 2)
    assert results[entry_b.pk] == (Decimal("57.50"), "fail", False, 2)

    services.publish_evaluation(evaluation, actor=one)
    entry_b.refresh_from_db()
    assert (entry_b.total, entry_b.grade, entry_b.passed) == (Decimal("57.50"), "fail", False)
    statuses = dict(DemonstrationArea.objects.values_list("region__code", "status"))
    assert statuses == {
        "510104": c.AreaStatus.MIDTERM_PASSED,
        "510703": c.AreaStatus.MIDTERM_FAILED,
    }
    with pytest.raises(StateConflict):
        services.submit_scoresheet(entry_a, actor=one, points=_points(15, 10, 10))
    with pytest.raises(StateConflict):
        services.save_self_assessment(entry_a, actor=None, values=STRONG)


def test_refusals_write_nothing(scored):
    evaluation, entry_a, entry_b = scored
    one = user("demo-province")
    before = AuditEntry.objects.count()
    with pytest.raises(DomainError) as exc:
        services.submit_scoresheet(entry_a, actor=one, points=_points(16, 9, 9))
    assert "得分须在 0 至 15 分之间" in str(exc.value)
    with pytest.raises(DomainError):  # a criterion left out
        services.submit_scoresheet(entry_a, actor=one, points=dict(leadership=10))
    with pytest.raises(DomainError) as exc:  # publish before every area is scored
        services.publish_evaluation(evaluation, actor=one)
    assert "尚无评分表" in str(exc.value)
    with pytest.raises(DomainError):  # a value missing from the self-assessment
        services.save_self_assessment(entry_a, actor=None, values={"funding": 2})
    with pytest.raises(DomainError):
        services.save_self_assessment(entry_a, actor=None, values={**STRONG, "venues": "many"})
    # An officer of the area's own region does not score it.
    with pytest.raises(DomainError):
        services.submit_scoresheet(entry_a, actor=user("demo-county-a"), points=_points(1, 1, 1))
    assert AuditEntry.objects.count() == before
    assert not MidtermScoresheet.objects.exists()
    entry_a.refresh_from_db()
    assert entry_a.values["funding"] == "3.2"


def test_a_round_takes_the_areas_in_their_cycle_and_a_rubric_in_use():
    rubric = midterm_rubric()
    make_area("510104", start=2023)
    make_area("510703", start=2026)
    evaluation = make_round(rubric, year=2025)
    assert [e.area.region.code for e in evaluation.entries.all()] == ["510104"]
    with pytest.raises(DomainError):  # no area in its cycle in 2032
        make_round(rubric, year=2032, name="空评估")
    draft = midterm_rubric("草稿细则")
    from kepu.rubrics import services as rubric_services

    rubric_services.retire_rubric(draft, actor=None)
    with pytest.raises(DomainError):
        make_round(draft, name="停用细则评估")
    with pytest.raises(DomainError):  # one area of a kind per region and cycle
        make_area("510104", start=2023, name="重复")
    with pytest.raises(DomainError):  # a demonstration county is a county
        make_area("5101", name="成都市")
    with pytest.raises(DomainError):  # the cycle ends after it starts
        services.create_area(
            actor=None,
            name="x",
            kind=c.AreaKind.TOWN,
            region=Region.objects.get(code="510104"),
            organization=make_area("510107").organization,
            cycle_start=2025,
            cycle_end=2024,
        )


def test_pages_score_publish_and_show_the_distribution(scored, as_persona):
    evaluation, entry_a, entry_b = scored
    province = as_persona("province")
    province.cookies["django_language"] = "en"
    url = reverse("bases:entry_score", args=[entry_a.pk])
    page = province.get(url).content.decode()
    assert 'value="3.2"' in page  # the self-assessment's value, to check
    response = province.post(
        url, {**STRONG, "leadership": "16", "innovation": "9", "publicity": "9"}
    )
    assert response.status_code == 400
    response = province.post(
        url, {**STRONG, "leadership": "14", "innovation": "9", "publicity": "9"}
    )
    assert response.status_code == 302
    publish = reverse("bases:evaluation_publish", args=[evaluation.pk])
    page = province.post(publish, follow=True).content.decode()
    assert "have no score sheet yet" in page and "涪城区" in page
    province.post(
        reverse("bases:entry_score", args=[entry_b.pk]),
        {**WEAK, "leadership": "10", "innovation": "5", "publicity": "6"},
    )
    province.post(publish)
    page = province.get(reverse("bases:evaluation_results", args=[evaluation.pk])).content.decode()
    assert "2 areas scored; 1 at or above the pass mark of 60." in page
    assert "95.00" in page and "55.50" in page and "Below the pass mark" in page
    export = province.get(reverse("bases:evaluation_export", args=[evaluation.pk]))
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_county_fills_in_its_self_assessment_and_county_b_sees_nothing(scored, as_persona):
    evaluation, entry_a, entry_b = scored
    county_a = as_persona("county_a")
    page = county_a.get(reverse("bases:area_detail", args=[entry_a.area_id])).content.decode()
    assert reverse("bases:entry_self_assess", args=[entry_a.pk]) in page
    response = county_a.post(
        reverse("bases:entry_self_assess", args=[entry_a.pk]), {**STRONG, "funding": "-1"}
    )
    assert response.status_code == 400
    county_a.post(
        reverse("bases:entry_self_assess", args=[entry_a.pk]), {**STRONG, "funding": "2.5"}
    )
    assert MidtermEntry.objects.get(pk=entry_a.pk).values["funding"] == "2.5"

    county_b = as_persona("county_b")
    listing = county_b.get(reverse("bases:area_list")).content.decode()
    assert "锦江区示范县（测试）" not in listing and "涪城区示范县（测试）" in listing
    assert county_b.get(reverse("bases:area_detail", args=[entry_a.area_id])).status_code == 404
    assert county_b.get(reverse("bases:entry_self_assess", args=[entry_a.pk])).status_code == 404


def test_demo_loads_the_rubrics_and_a_published_round_with_one_below_the_bar():
    from kepu.bases.demo import midterm
    from kepu.core import invariants  # noqa: F401
    from kepu.rubrics import demo as rubric_demo
    from kepu.rubrics.models import Rubric

    assert rubric_demo.load_demo(0) == {"rubrics": 3}
    assert rubric_demo.load_demo(0) == {"rubrics": 0}
    names = set(Rubric.objects.filter(status="in_use").values_list("name", flat=True))
    assert {rubric_demo.BASE_ANNUAL, rubric_demo.BASE_RECOGNITION, rubric_demo.MIDTERM} <= names
    midterm.load(0)
    assert midterm.load(0) == {"demonstration_areas": 0}
    areas = DemonstrationArea.objects.all()
    assert areas.filter(status=c.AreaStatus.MIDTERM_FAILED).count() == 1
    assert areas.filter(status=c.AreaStatus.MIDTERM_PASSED).count() == 5
    assert areas.filter(status=c.AreaStatus.CREATING).count() == 2
    failed = MidtermEntry.objects.get(passed=False)
    assert failed.area.region.code == "511302" and failed.total == Decimal("55.50")


def test_naming_at_the_end_of_the_cycle(scored):
    import datetime

    from django.utils import timezone

    from kepu.core import clock

    evaluation, entry_a, entry_b = scored
    area = entry_a.area
    one = user("demo-province")
    with pytest.raises(StateConflict):  # not evaluated mid-term yet
        services.conclude_area(area, actor=one, named=True)
    for entry in (entry_a, entry_b):
        services.submit_scoresheet(entry, actor=one, points=_points(12, 7, 8))
    services.publish_evaluation(evaluation, actor=one)
    # The 2023–2027 cycle has not ended in 2026.
    with (
        clock.frozen(timezone.make_aware(datetime.datetime(2026, 6, 1, 10))),
        pytest.raises(DomainError) as exc,
    ):
        services.conclude_area(area, actor=one, named=True)
    assert "2027 年结束" in str(exc.value)
    with clock.frozen(timezone.make_aware(datetime.datetime(2027, 12, 1, 10))):
        with pytest.raises(DomainError):  # not by its own region's officers
            services.conclude_area(area, actor=user("demo-county-a"), named=True)
        services.conclude_area(area, actor=user("demo-city"), named=True)
        services.conclude_area(entry_b.area, actor=one, named=False)
    statuses = dict(DemonstrationArea.objects.values_list("region__code", "status"))
    assert statuses == {"510104": c.AreaStatus.NAMED, "510703": c.AreaStatus.NOT_NAMED}
    assert AuditEntry.objects.filter(action="bases.demonstrationarea.named").count() == 1
