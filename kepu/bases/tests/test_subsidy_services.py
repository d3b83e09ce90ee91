"""Subsidy rounds through the services and pages: the preview from the annual scores,
ineligible grades and missing evaluations, exact sums, four-eyes, refusals that write
nothing, the frozen lines and the export with its total."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from python_calamine import CalamineWorkbook

from kepu.bases import services
from kepu.bases.models import SubsidyLine, SubsidyRound
from kepu.bases.models.subsidy import SubsidyStatus
from kepu.bases.services.subsidy import lines_total
from kepu.bases.tests.helpers import make_base
from kepu.bases.tests.subsidy_helpers import county_bases, scored, subsidy_round
from kepu.core.errors import DomainError, StateConflict
from kepu.core.models import AuditEntry, User
from kepu.core.testing import fingerprint

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The messages are asserted in English (the default language is Chinese)."""
    with translation.override("en"):
        yield


def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def world():
    a, b, c = county_bases(3)
    other = make_base("涪城区补助测试馆", region_code="510703")  # outside 成都市
    table = {
        a.pk: (Decimal("92.5"), "excellent", 30000),
        b.pk: (Decimal("75"), "good", 10000),
        c.pk: (Decimal("55"), "fail", 50000),
        other.pk: (Decimal("99"), "excellent", 90000),
    }
    return {"bases": (a, b, c), "other": other, "table": table}


def test_preview_explains_every_base_and_adds_up(world):
    a, b, c = world["bases"]
    rnd = subsidy_round(budget=100_001, base_amount=10_000, score_weight=50, visitor_weight=50)
    with scored(world["table"]):
        preview = services.preview_subsidy(rnd)
    by_base = {line.base_id: line for line in preview.lines}
    assert set(by_base) == {a.pk, b.pk, c.pk}  # 涪城区 lies outside the round's region
    assert preview.error == "" and preview.total == 100_001 and preview.eligible == 2
    assert by_base[c.pk].amount == 0 and by_base[c.pk].reason == "Ineligible: grade Fail."
    # rest 80,001: score 40,000.5 × 92.5/167.5 and visitors 40,000.5 × 3/4
    assert by_base[a.pk].amount + by_base[b.pk].amount == 100_001
    assert by_base[a.pk].reason.startswith("Base amount 10,000 + score share 22,090")


def test_a_base_without_evaluation_gets_nothing_and_says_why(world):
    a, b, c = world["bases"]
    rnd = subsidy_round()
    with scored({a.pk: world["table"][a.pk]}):
        preview = services.preview_subsidy(rnd)
    reasons = {line.base_id: line.reason for line in preview.lines}
    assert reasons[b.pk] == "No evaluation for 2025."
    assert [line.amount for line in preview.lines if line.base_id == a.pk] == [100_000]


def test_an_impossible_budget_is_said_in_the_preview_and_refused_at_submission(world):
    rnd = subsidy_round(budget=100_000, base_amount=0, cap=30_000)
    with scored(world["table"]):
        preview = services.preview_subsidy(rnd)
        assert preview.error.startswith("With a cap of 30,000 yuan, 2 eligible bases")
        before = fingerprint()
        with pytest.raises(DomainError):
            services.submit_subsidy_round(rnd, actor=None)
    assert fingerprint() == before


def test_submit_saves_the_lines_and_another_officer_approves(world):
    province = User.objects.get(username="demo-province")
    second = User.objects.get(username="demo-province-2")
    rnd = subsidy_round(budget=77_777)
    with scored(world["table"]):
        services.submit_subsidy_round(rnd, actor=province)
    assert SubsidyLine.objects.filter(round=rnd).count() == 3
    assert lines_total(rnd) == 77_777
    with pytest.raises(DomainError, match="another officer must approve it"):
        services.approve_subsidy_round(rnd, actor=province)
    services.approve_subsidy_round(rnd, actor=second)
    rnd.refresh_from_db()
    assert rnd.status == SubsidyStatus.APPROVED and rnd.approved_by == second
    with pytest.raises(StateConflict):
        services.change_subsidy_round(rnd, actor=second, budget=1)
    with pytest.raises(StateConflict):
        services.adjust_subsidy_lines(rnd, actor=second, amounts={}, reason="x")
    assert AuditEntry.objects.filter(action="bases.subsidyround.approved").exists()


def test_adjustments_must_still_add_up_to_the_budget(world):
    a, b, c = world["bases"]
    rnd = subsidy_round(budget=100_000)
    with scored(world["table"]):
        services.submit_subsidy_round(rnd, actor=None)
    amounts = dict(SubsidyLine.objects.filter(round=rnd).values_list("base_id", "amount"))
    before = fingerprint()
    with pytest.raises(DomainError) as caught:
        services.adjust_subsidy_lines(
            rnd, actor=None, amounts={a.pk: amounts[a.pk] + 500}, reason="补录"
        )
    assert "not the budget of 100,000 yuan: nothing was changed" in caught.value.messages[0]
    assert fingerprint() == before
    services.adjust_subsidy_lines(
        rnd,
        actor=None,
        amounts={a.pk: amounts[a.pk] + 500, b.pk: amounts[b.pk] - 500},
        reason="参观人数更正",
    )
    assert lines_total(rnd) == 100_000
    services.approve_subsidy_round(rnd, actor=None)


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"score_weight": 60, "visitor_weight": 30}, "visitor_weight"),
        ({"budget": 0}, "budget"),
        ({"base_amount": 20_000, "cap": 10_000}, "cap"),
        ({"levels": []}, "levels"),
    ],
)
def test_bad_formulas_are_refused_and_nothing_is_written(fields, field):
    before = fingerprint()
    with pytest.raises(DomainError) as caught:
        subsidy_round(**fields)
    assert field in caught.value.message_dict
    assert fingerprint() == before


def test_the_form_shows_the_weight_error_and_writes_nothing(as_persona):
    client = english(as_persona("province"))
    data = {
        "region": "51",
        "name": "权重错误",
        "year": 2025,
        "budget": 1000,
        "levels": ["provincial"],
        "base_amount": 0,
        "score_weight": 70,
        "visitor_weight": 20,
    }
    before = fingerprint()
    response = client.post(reverse("bases:subsidy_create"), data)
    assert response.status_code == 400
    assert "must add up to 100% (now 90%)" in response.content.decode()
    assert fingerprint() == before
    data["budget"] = -5
    response = client.post(reverse("bases:subsidy_create"), {**data, "visitor_weight": 30})
    assert response.status_code == 400 and fingerprint() == before


def test_the_journey_through_the_pages(as_persona, world):
    city = english(as_persona("city"))
    response = city.post(
        reverse("bases:subsidy_create"),
        {
            "region": "5101",
            "name": "成都市县级科技馆补助（页面）",
            "year": 2025,
            "budget": 90_000,
            "levels": ["county"],
            "base_amount": 10_000,
            "score_weight": 70,
            "visitor_weight": 30,
            "ineligible_grades": ["fail"],
        },
    )
    assert response.status_code == 302
    rnd = SubsidyRound.objects.get(name="成都市县级科技馆补助（页面）")
    detail = reverse("bases:subsidy_detail", args=[rnd.pk])
    with scored(world["table"]):
        page = city.get(detail + "?sort=amount").content.decode()
        assert "Ineligible: grade Fail." in page and "Total 90,000 of 90,000 yuan" in page
        assert city.post(reverse("bases:subsidy_submit", args=[rnd.pk])).status_code == 302
    rnd.refresh_from_db()
    assert rnd.status == SubsidyStatus.SUBMITTED and rnd.submitted_by.username == "demo-city"
    page = city.get(detail).content.decode()
    assert "another officer must approve it" in page and "Approve the allocation" not in page
    province = english(as_persona("province"))
    assert province.post(reverse("bases:subsidy_approve", args=[rnd.pk])).status_code == 302
    rnd.refresh_from_db()
    assert rnd.status == SubsidyStatus.APPROVED
    export = province.get(reverse("bases:subsidy_export", args=[rnd.pk]))
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(export.streaming_content)))
    rows = book.get_sheet_by_index(0).to_python()
    assert rows[-1][0] == "Total" and rows[-1][5] == 90_000
    assert sum(r[5] for r in rows[1:-1]) == 90_000
    assert province.post(reverse("bases:subsidy_publish", args=[rnd.pk])).status_code == 302
    rnd.refresh_from_db()
    assert rnd.status == SubsidyStatus.PUBLISHED


def test_counties_do_not_see_a_city_round(as_persona):
    rnd = subsidy_round()
    assert (
        as_persona("county_a").get(reverse("bases:subsidy_detail", args=[rnd.pk])).status_code
        == 404
    )


def test_the_workbench_shows_the_allocation_to_another_officer_only(as_persona, world):
    province = User.objects.get(username="demo-province")
    rnd = subsidy_round(region_code="51", levels=["county"], name="全省县级补助（工作台）")
    with scored(world["table"]):
        services.submit_subsidy_round(rnd, actor=province)
    own = english(as_persona("province")).get(reverse("core:home")).content.decode()
    assert "Subsidy allocations to approve" not in own
    other = english(as_persona("city"))  # 成都市 officers cannot reach a province round
    assert "Subsidy allocations to approve" not in other.get(reverse("core:home")).content.decode()
    from django.test import Client

    from kepu.core.testing import login_client

    second = english(login_client(Client(), "demo-province-2"))
    assert "Subsidy allocations to approve" in second.get(reverse("core:home")).content.decode()


def test_the_adjustment_page_refuses_a_total_other_than_the_budget(as_persona, world):
    a, b, _c = world["bases"]
    rnd = subsidy_round(budget=100_000)
    with scored(world["table"]):
        services.submit_subsidy_round(rnd, actor=None)
    amounts = dict(SubsidyLine.objects.filter(round=rnd).values_list("base_id", "amount"))
    client = english(as_persona("city"))
    url = reverse("bases:subsidy_adjust", args=[rnd.pk])
    before = fingerprint()
    response = client.post(
        url, {"adjust-amounts": f"{a.pk} = {amounts[a.pk] + 7}", "adjust-reason": "补录"}
    )
    page = response.content.decode()
    assert response.status_code == 400 and "not the budget of 100,000 yuan" in page
    response = client.post(url, {"adjust-amounts": "甲 = 5", "adjust-reason": "补录"})
    assert response.status_code == 400
    assert "Line 1: write the base number and the amount" in response.content.decode()
    assert fingerprint() == before
    text = f"{a.pk} = {amounts[a.pk] + 7}\n{b.pk}: {amounts[b.pk] - 7}"
    response = client.post(url, {"adjust-amounts": text, "adjust-reason": "人次更正"})
    assert response.status_code == 302 and lines_total(rnd) == 100_000
    line = SubsidyLine.objects.get(round=rnd, base=a)
    assert line.amount == amounts[a.pk] + 7 and line.reason.endswith("Adjusted by hand: 人次更正")
