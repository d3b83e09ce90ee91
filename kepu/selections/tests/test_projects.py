"""Funded projects through the pages, the API and the services: the level's cap, a
project from an awarded entry, the budget within the approved amount, payments (never
beyond the approved amount, 事后补助 only after acceptance, four-eyes, once per client
key), milestones and the overdue / at-risk flags, acceptance on the rubric, outputs
linked to the unit's registries, the export and the statistics. Refusals write nothing."""

import datetime
import io
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from python_calamine import CalamineWorkbook

from kepu.core import clock
from kepu.core.errors import DomainError, StateConflict
from kepu.core.models import User
from kepu.selections import choices as c
from kepu.selections.models import Disbursement, Project
from kepu.selections.services import projects as services
from kepu.selections.tests.helpers_projects import (
    GOOD,
    POOR,
    UNIT_A,
    UNIT_B,
    awarded_entry,
    make_project,
    unit,
)

pytestmark = pytest.mark.django_db
S = c.ProjectStatus


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def english(client):
    client.cookies["django_language"] = "en"
    return client


def fingerprint():
    """What a refused request must leave as it was: the projects' tables and the trail."""
    from kepu.core.models import AuditEntry
    from kepu.selections.models import BudgetLine

    return [
        list(Project.objects.values_list("pk", "approved_amount", "disbursed", "status")),
        BudgetLine.objects.count(),
        Disbursement.objects.count(),
        AuditEntry.objects.filter(action__startswith="selections.").count(),
    ]


def _form(**over):
    today = clock.today()
    data = {
        "title": "社区科普讲座",
        "organization": UNIT_A,
        "year": today.year,
        "project_type": "activity",
        "level": "general",
        "funding_mode": "after",
        "approved_amount": "100000",
        "starts_on": today.isoformat(),
        "ends_on": (today + datetime.timedelta(days=300)).isoformat(),
    }
    return {**data, **over}


def test_create_within_the_cap_numbers_the_project_and_refuses_above_it(as_persona):
    client = english(as_persona("county_a"))
    url = reverse("selections:project_create")
    before = fingerprint()
    refused = client.post(url, _form(approved_amount="100000.01"))
    assert refused.status_code == 400
    assert "above the cap of 100,000.00 yuan" in refused.content.decode()
    major = client.post(url, _form(level="major", approved_amount="900000", summary=""))
    assert major.status_code == 400 and b"case by case" in major.content
    assert fingerprint() == before
    done = client.post(url, _form())
    assert done.status_code == 302
    project = Project.objects.get(title="社区科普讲座")
    assert project.number == f"{clock.today().year}-KP-001"
    assert project.region.code == "510104" and project.next_due == project.ends_on
    assert project.created_by.username == "demo-county-a"
    # The unit must lie in the officer's scope: 涪城区's is not.
    with pytest.raises(DomainError):
        services.create_project(
            actor=User.objects.get(username="demo-county-a"),
            **{**_form(), "organization": unit(UNIT_B), "approved_amount": 1000},
        )


def test_a_project_comes_from_an_awarded_entry_once(as_persona):
    entry = awarded_entry(amount="60000")
    client = as_persona("province")
    page = client.get(reverse("selections:project_create") + f"?entry={entry.pk}")
    assert page.status_code == 200
    assert page.context["form"].initial["approved_amount"] == Decimal("60000")
    today = clock.today()
    project = services.create_project(
        actor=None,
        entry=entry,
        project_type="activity",
        level="general",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=180),
    )
    assert (project.title, project.approved_amount, project.call_id) == (
        "社区科普大讲堂",
        Decimal("60000"),
        entry.call_id,
    )
    with pytest.raises(StateConflict):
        services.create_project(
            actor=None, entry=entry, project_type="activity", level="general",
            starts_on=today, ends_on=today,
        )  # fmt: skip


def test_budget_over_the_approved_amount_is_refused_naming_the_overrun(as_persona):
    project = make_project(amount="50000")
    client = english(as_persona("city"))
    url = reverse("selections:project_budget", args=[project.pk])
    before = fingerprint()
    response = client.post(url, {"equipment": "30000", "labour": "25000"})
    assert response.status_code == 400
    assert "5,000.00 yuan over the approved amount of 50,000.00 yuan" in response.content.decode()
    assert fingerprint() == before
    assert client.post(url, {"equipment": "30000", "labour": "20000"}).status_code == 302
    assert sorted(project.budget.values_list("category", "amount")) == [
        ("equipment", Decimal("30000")),
        ("labour", Decimal("20000")),
    ]


def test_payments_stay_within_the_approved_amount_and_follow_the_funding_mode(as_persona):
    county_a = User.objects.get(username="demo-county-a")
    project = make_project(S.CONTRACTED, amount="20000", actor=county_a)
    city = english(as_persona("city"))
    url = reverse("selections:project_disbursements", args=[project.pk])
    today = clock.today().isoformat()
    assert city.post(url, {"amount": "15000", "paid_on": today}).status_code == 302
    before = fingerprint()
    over = city.post(url, {"amount": "5000.01", "paid_on": today})
    assert over.status_code == 400
    assert "the 5,000.00 yuan left of the approved amount" in over.content.decode()
    # Four-eyes: whoever entered the project does not record its payments.
    own = english(as_persona("county_a")).post(url, {"amount": "100", "paid_on": today})
    assert own.status_code == 400
    assert fingerprint() == before
    key = uuid.uuid4()
    first = services.record_disbursement(project, actor=None, amount="5000", client_key=key)
    again = services.record_disbursement(project, actor=None, amount="5000", client_key=key)
    assert first.pk == again.pk
    project.refresh_from_db()
    assert project.disbursed == Decimal("20000") and project.remaining() == 0
    # Paid after the work (事后补助): nothing before acceptance, then the whole amount.
    after = make_project(S.ACCEPTANCE, mode=c.FundingMode.AFTER, amount="30000")
    with pytest.raises(StateConflict, match="after the work"):
        services.record_disbursement(after, actor=None, amount="1000")
    services.record_check(
        after, actor=None, kind="acceptance", values=GOOD, result=c.CheckResult.PASSED
    )
    services.record_disbursement(after, actor=None, amount="30000")
    assert Disbursement.objects.filter(project=after).count() == 1


def test_milestones_keep_the_next_due_date_and_the_flags(as_persona):
    today = clock.today()
    late = make_project(S.CONTRACTED, title="逾期专项")
    m = services.add_milestone(
        late, actor=None, title="中期报告", due_on=today - datetime.timedelta(days=3)
    )
    ending = make_project(S.CONTRACTED, ends=today + datetime.timedelta(days=20), title="临期专项")
    calm = make_project(S.CONTRACTED, title="正常专项")
    api = as_persona("county_a")
    listed = api.get(reverse("api:selection-project-list") + "?overdue=true").json()
    titles = {row["title"] for row in listed["results"]}
    assert "逾期专项" in titles and "正常专项" not in titles
    risky = api.get(reverse("api:selection-project-list") + "?at_risk=true").json()
    risky_titles = {row["title"] for row in risky["results"]}
    assert "临期专项" in risky_titles and "正常专项" not in risky_titles
    page = english(api).get(reverse("selections:project_list") + "?overdue=true")
    assert page.status_code == 200 and [p.title for p in page.context["page"]] == ["逾期专项"]
    services.complete_milestone(m, actor=None)
    late.refresh_from_db()
    assert late.next_due == late.ends_on
    assert not Project.objects.filter(pk=late.pk, next_due__lt=today).exists()
    assert ending.pk and calm.pk


def test_acceptance_on_the_rubric_passes_fails_or_sets_a_deadline(as_persona):
    project = make_project(S.ACCEPTANCE)
    with pytest.raises(DomainError):  # a failing total cannot pass
        services.record_check(project, actor=None, kind="acceptance", values=POOR, result="passed")
    with pytest.raises(DomainError):  # a score above the criterion's weight
        services.record_check(
            project, actor=None, kind="acceptance", values={**GOOD, "completion": "31"},
            result="passed",
        )  # fmt: skip
    fix_by = clock.today() + datetime.timedelta(days=30)
    services.record_check(
        project, actor=None, kind="acceptance", values=GOOD, result="fix", fix_by=fix_by
    )
    project.refresh_from_db()
    assert project.status == S.ACCEPTANCE and project.next_due == fix_by
    client = as_persona("city")
    data = {"kind": "acceptance", "result": "passed", **{f"c_{k}": v for k, v in GOOD.items()}}
    response = client.post(reverse("selections:project_checks", args=[project.pk]), data)
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == S.ACCEPTED and project.accepted_on == clock.today()
    assert project.next_due is None
    check = project.checks.order_by("-pk").first()
    assert (check.total, check.grade) == (Decimal("88.00"), "good")
    failed = make_project(S.FAILED)
    assert failed.status == S.FAILED


def test_outputs_link_the_units_registries_and_add_the_audience(as_persona):
    from kepu.activities.models import Activity

    project = make_project(S.CONTRACTED)
    services.add_output(project, actor=None, note="社区讲座 3 场", audience=300)
    other = Activity.objects.exclude(organization_id=project.organization_id).first()
    if other is not None:
        with pytest.raises(DomainError):
            services.add_output(project, actor=None, activity=other, audience=10)
    with pytest.raises(DomainError):
        services.add_output(project, actor=None, note="", audience=5)
    project.refresh_from_db()
    assert project.audience == 300


def test_detail_export_and_statistics(as_persona):
    project = make_project(S.CONTRACTED, amount="80000", title="统计专项")
    services.record_disbursement(project, actor=None, amount="20000")
    make_project(S.ACCEPTED, amount="40000", title="已验收专项")
    client = english(as_persona("city"))
    detail = client.get(reverse("selections:project_detail", args=[project.pk]))
    assert detail.status_code == 200 and detail.context["paid_share"] == 25
    assert "60,000.00 yuan" in detail.content.decode()  # remaining
    export = client.get(reverse("selections:project_list_export") + "?status=contracted")
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(export.streaming_content)))
    rows = book.get_sheet_by_index(0).to_python()
    row = next(r for r in rows if "统计专项" in r)
    assert 80000 in row and 20000 in row and 60000 in row
    stats = client.get(reverse("selections:project_stats"))
    assert stats.status_code == 200
    year = stats.context["years"][0]
    jinjiang = next(cell for cell in year.rows if cell.region and cell.region.code == "510104")
    assert jinjiang.count == 2 and jinjiang.accepted_share == 50
    assert jinjiang.approved == Decimal("120000") and jinjiang.disbursed == Decimal("20000")
