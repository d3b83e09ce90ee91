"""The calls area through its pages, endpoint and services: eligibility against the
registries, quotas, ranks, double submissions, materials, the formal check and the call's
steps. The data is made once per module (rolled back at its end)."""

import datetime
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from kepu.core import clock
from kepu.core.errors import DomainError, StateConflict
from kepu.people.models import HonourAward
from kepu.selections import choices as c
from kepu.selections.models import Call, Entry
from kepu.selections.services import calls as call_services
from kepu.selections.services import entries as entry_services
from kepu.selections.services import registers
from kepu.selections.tests import helpers_calls as h

D = {}


@pytest.fixture(scope="module")
def _data(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            D["call"] = h.make_call(
                title="资格测试评选",
                eligibility={
                    "within_region": True,
                    "no_open_flag": True,
                    "max_previous_awards": 0,
                    "min_registered_years": 2,
                    "min_title_level": "intermediate",
                },  # fmt: skip
                quotas={"per_region": {"default": 2}, "per_category": {}},
            )
            D["ok"] = h.person("资格合格人", title_level="senior")
            D["bad"] = h.person("资格不合格人", years=1, title_level="junior")
            registers.open_flag(actor=None, person=D["bad"], reason="测试违规")
            HonourAward.objects.create(person=D["bad"], honour="tianfu", year=2020)
            D["others"] = [h.person(f"名额测试{i}", title_level="senior") for i in range(3)]
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def data(_data, db):
    return D


def en(client):
    """Pages answer in the language of the language cookie."""
    client.cookies["django_language"] = "en"
    return client


def _post(client, data):
    return client.post(reverse("selections:entry_create", args=[D["call"].pk]), data)


def _nomination(person, **more):
    return {
        "route": "region", "person": person.pk, "category": "research", "summary": "事迹",
        "material_form": h.form_file(), **more,
    }  # fmt: skip


def test_an_ineligible_nominee_is_refused_rule_by_rule(as_persona):
    before = Entry.objects.count()
    response = _post(en(as_persona("county_a")), _nomination(D["bad"]))
    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors["person"])
    assert "No open disciplinary flag: an open disciplinary flag" in errors
    assert "Years since certified registration: at least 2 required, the nominee has 1" in errors
    assert "Professional title level: Intermediate or higher required" in errors
    assert "Previous awards of this honour: at most 0 allowed, the nominee has 1." in errors
    assert Entry.objects.count() == before


def test_the_region_quota_holds_and_ranks_stay_consecutive(as_persona):
    client = en(as_persona("county_a"))
    first, second, third = D["others"]
    assert _post(client, _nomination(first)).status_code == 302
    assert _post(client, _nomination(second, rank=1)).status_code == 302
    response = _post(client, _nomination(third))
    assert response.status_code == 400
    assert "锦江区 has used its quota of 2 recommendations" in str(response.context["form"].errors)
    entries = Entry.objects.filter(call=D["call"]).order_by("rank")
    assert [(e.person_id, e.rank) for e in entries] == [(second.pk, 1), (first.pk, 2)]
    entry_services.withdraw_entry(entries[0], actor=None)  # the list closes up
    assert list(Entry.objects.filter(call=D["call"]).live().values_list("rank", flat=True)) == [1]
    assert Call.objects.get(pk=D["call"].pk).entry_count == 1
    assert _post(client, _nomination(third)).status_code == 302  # a place again


def test_a_second_entry_for_the_same_person_is_refused(as_persona):
    client = en(as_persona("county_a"))
    assert _post(client, _nomination(D["ok"])).status_code == 302
    response = en(as_persona("city")).post(
        reverse("selections:entry_create", args=[D["call"].pk]), _nomination(D["ok"])
    )
    assert response.status_code == 400
    assert "already has an entry in this call" in str(response.context["form"].errors)


def test_materials_are_checked_by_content(as_persona):
    response = _post(
        en(as_persona("county_a")),
        _nomination(D["ok"], material_form=SimpleUploadedFile("表.pdf", b"MZ not a pdf")),
    )
    missing = _post(en(as_persona("county_a")), {**_nomination(D["ok"]), "material_form": ""})
    assert response.status_code == 400
    assert "its content does not match its type" in str(response.context["form"].errors)
    assert "Missing required materials: 推荐表." in str(missing.context["form"].errors)
    assert not Entry.objects.filter(person=D["ok"]).exists()


def test_the_api_nominates_once_per_client_key(as_persona):
    call = h.make_call(
        title="接口评选", materials=[{"code": "f", "label": "表", "required": False}]
    )
    body = {
        "call": call.pk, "route": "region", "person": D["ok"].pk, "category": "research",
        "summary": "接口", "client_key": str(uuid.uuid4()),
    }  # fmt: skip
    client = en(as_persona("county_a"))
    url = reverse("api:selection-entry-list")
    first = client.post(url, body, content_type="application/json")
    again = client.post(url, body, content_type="application/json")
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["rank"] == 1 and first.json()["nominating_region"] == "510104"
    assert Entry.objects.filter(call=call).count() == 1
    listed = client.get(url, {"call": call.pk}).json()
    assert [row["id"] for row in listed["results"]] == [first.json()["id"]]


def test_check_return_complete_and_close_the_check(as_persona):
    call = h.make_call(title="审查流程评选")
    a, b, r = (h.person(n, title_level="senior") for n in ("审查甲", "审查乙", "审查丙"))
    ea, eb, er = (h.nominate(call, p) for p in (a, b, r))
    province = en(as_persona("province"))
    check = reverse("selections:entry_check", args=[ea.pk])
    no_note = province.post(check, {"result": "return"})
    assert no_note.status_code == 400
    assert "Say what is missing" in str(no_note.context["form"].errors)
    assert province.post(check, {"result": "return", "note": "缺少照片"}).status_code == 302
    county = en(as_persona("county_a"))
    done = county.post(reverse("selections:entry_complete", args=[ea.pk]), {"summary": "补充"})
    assert done.status_code == 302
    assert Entry.objects.get(pk=ea.pk).status == c.EntryStatus.SUBMITTED
    call_services.advance_call(call, actor=None)  # entries close; the check goes on
    with pytest.raises(DomainError):  # a submitted entry not checked yet
        call_services.advance_call(call, actor=None)
    entry_services.check_entry(ea, actor=None, result="pass")
    entry_services.check_entry(eb, actor=None, result="reject", note="不符合条件")
    entry_services.check_entry(er, actor=None, result="return", note="缺材料")
    call_services.advance_call(call, actor=None)
    statuses = dict(Entry.objects.filter(call=call).values_list("pk", "status"))
    assert statuses == {ea.pk: "eligible", eb.pk: "rejected", er.pk: "rejected"}
    with pytest.raises(StateConflict):  # the review slice moves it on
        call_services.advance_call(call, actor=None)


def test_opening_refuses_an_incomplete_call(as_persona):
    from kepu.rubrics import choices as rc
    from kepu.rubrics.services import create_rubric

    draft = create_rubric(
        actor=None, name="草稿细则", purpose=rc.Purpose.SELECTION, region=h.region("51"),
        criteria=[dict(code="a", group="甲", name="甲", weight=100, method=rc.Method.MANUAL)],
    )  # fmt: skip
    call = h.make_call(status="draft", title="不完整评选", rubric=draft)
    response = en(as_persona("province")).post(
        reverse("selections:call_advance", args=[call.pk]), follow=True
    )
    assert "Choose a scoring rubric that is in use." in response.content.decode()
    assert Call.objects.get(pk=call.pk).status == c.CallStatus.DRAFT


def test_the_call_form_names_the_bad_rule(as_persona):
    today = clock.today()
    data = {
        "title": "错误规则", "kind": "honour", "year": today.year, "subject_kind": "person",
        "opens_on": today.isoformat(), "closes_on": str(today - datetime.timedelta(days=1)),
        "rubric": D["call"].rubric_id, "reviewers_per_entry": 3, "min_reviews": 5,
        "severity": "z", "panel_quorum": 67, "pass_share": 50, "publicity_days": 7,
        "routes_choice": ["region"], "categories_text": "a 甲\na 乙", "materials_text": "form 表",
        "quota_categories": "zz 3",
    }  # fmt: skip
    response = en(as_persona("province")).post(reverse("selections:call_create"), data)
    assert response.status_code == 400
    text = str(response.context["form"].errors)
    for message in (
        "Entries cannot close before they open.",
        "The quorum cannot exceed the reviewers per entry.",
        "Categories of entries: each code once (repeated: a).",
        "Quota per category: zz is not a category of the call.",
    ):
        assert message in text


def test_the_call_page_and_its_export(as_persona):
    client = en(as_persona("county_a"))
    page = client.get(reverse("selections:call_detail", args=[D["call"].pk]))
    assert page.status_code == 200
    assert page.context["my_quota"][2] == 2  # county A's quota shown to county A
    assert "working days left" in page.content.decode()
    export = en(as_persona("province")).get(reverse("selections:call_list"), {"format": "xlsx"})
    assert export.status_code == 200
    assert "spreadsheet" in export["Content-Type"]
