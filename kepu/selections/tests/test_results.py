"""The results area through its pages and services: the 公示 of the chosen candidates
(places and the panel vote respected), objections from the public (real name, mobile,
once per key, only while the notice is open), the decision (after the notice, every
objection answered, by another officer), honours in the people registry and the plan's
Tianfu-envoy figure, certificates and their public check."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from kepu.core.choices import Role
from kepu.core.errors import DomainError, StateConflict
from kepu.core.models import RoleAssignment, User
from kepu.core.testing import login_client
from kepu.people.models import HonourAward
from kepu.selections import choices as c
from kepu.selections.models import Call, Entry, Objection
from kepu.selections.services import results
from kepu.selections.tests import helpers_results as h

pytestmark = pytest.mark.django_db


def _post(client, url, data=None, token="t"):  # noqa: S107 - a form token
    client.cookies["django_language"] = "en"  # the messages in English
    return client.post(url, {"form_token": f"{token}-{url}", **(data or {})})


def _messages(response) -> str:
    return " ".join(str(m) for m in response.wsgi_request._messages)


@pytest.fixture
def call(monkeypatch):
    """A provincial Tianfu-envoy call at its panel meeting: three scored entries (two
    places); the third failed the panel vote."""
    call = h.make_call()
    a, b, x = (
        h.scored_entry(call, name, i + 1) for i, name in enumerate(("甲某某", "乙某某", "丙某某"))
    )
    monkeypatch.setattr(results, "panel_result", lambda _call: h.passed(a, b, failed=[x]))
    call.entries_ = (a, b, x)
    return call


def _second_officer():
    user = User.objects.create(username="results-second-officer")
    RoleAssignment.objects.create(user=user, role=Role.REGIONAL_OFFICER, region=h.region("51"))
    return login_client(Client(), user.username)


def test_publicity_refusals_then_start(call, as_persona):
    a, b, x = call.entries_
    province = as_persona("province")
    url = reverse("selections:call_publicity", args=[call.pk])
    page = province.get(url)
    assert page.status_code == 200
    assert [r["entry"].pk for r in page.context["rows"] if r["chosen"]] == [a.pk, b.pk]
    with translation.override("en"):
        over = _post(province, url, {"entries": [a.pk, b.pk, x.pk]}, token="1")
        assert over.status_code == 400
        assert "The call has 2 places; 3 candidates were chosen." in over.content.decode()
        failed = _post(province, url, {"entries": [a.pk, x.pk]}, token="2")
        assert failed.status_code == 400
        assert "Did not pass the panel vote: 丙某某." in failed.content.decode()
    assert Call.objects.get(pk=call.pk).status == c.CallStatus.PANEL
    county = as_persona("county_a")
    assert _post(county, url, {"entries": [a.pk]}, token="3").status_code == 403
    done = _post(province, url, {"entries": [a.pk, b.pk]}, token="4")
    assert done.status_code == 302
    call.refresh_from_db()
    assert call.status == c.CallStatus.PUBLICITY
    assert call.publicity_to - call.publicity_from == datetime.timedelta(days=4)
    statuses = dict(Entry.objects.filter(call=call).values_list("pk", "status"))
    assert statuses == {a.pk: "candidate", b.pk: "candidate", x.pk: "not_awarded"}
    with pytest.raises(StateConflict):
        results.start_publicity(call, actor=None, entries=[a])


def test_objections_and_the_decision(call, as_persona):
    a, b, _x = call.entries_
    province = as_persona("province")
    _post(province, reverse("selections:call_publicity", args=[call.pk]), {"entries": [a.pk, b.pk]})
    anonymous = Client()
    public = anonymous.get(reverse("selections:public_call", args=[call.pk]))
    body = public.content.decode()
    assert public.status_code == 200 and "甲某某" in body and "丙某某" not in body
    form_url = reverse("selections:public_objection", args=[call.pk, a.pk])
    key = "6f1f4a1e-7c55-4d1e-9a4e-2f0d7f1b6c11"
    bad = _post(anonymous, form_url, {"name": "王", "phone": "123", "text": "短"}, token="o1")
    assert bad.status_code == 400 and not Objection.objects.exists()
    good = {"name": "王某某", "phone": "13912345678", "text": "该同志事迹材料与实际不符，请核实。",
            "client_key": key}  # fmt: skip
    assert _post(anonymous, form_url, good, token="o2").status_code == 302
    assert _post(anonymous, form_url, good, token="o3").status_code == 302  # the same key
    objection = Objection.objects.get()
    assert objection.phone_masked == "139****5678" and objection.entry_id == a.pk

    # Deciding too early, then with the objection unanswered.
    with pytest.raises(StateConflict):
        results.decide_call(call, actor=None, decision_number="川科协〔2026〕1号")
    second = _second_officer()
    decide = reverse("selections:call_decide", args=[call.pk])
    with h.later(10):
        with translation.override("en"):
            closed = _post(anonymous, form_url, {**good, "client_key": ""}, token="o4")
            assert "The public notice has closed" in closed.content.decode()
            assert closed.status_code == 400
            pending = _post(second, decide, {"decision_number": "川科协〔2026〕1号"}, token="d1")
            assert pending.status_code == 400
            assert "Answer every objection before deciding." in pending.content.decode()
        answer = reverse("selections:objection_detail", args=[objection.pk])
        assert _post(province, answer, {"decision": "upheld", "answer": "经核实，情况属实。"},
                     token="a1").status_code == 302  # fmt: skip
        # Four-eyes: whoever started the notice does not decide.
        with translation.override("en"):
            own = _post(province, decide, {"decision_number": "川科协〔2026〕1号"}, token="d2")
            assert own.status_code == 302
            assert "another officer must decide" in _messages(own)
        assert Call.objects.get(pk=call.pk).status == c.CallStatus.PUBLICITY
        with pytest.raises(DomainError):
            results.decide_call(
                call, actor=User.objects.get(username="demo-province"), decision_number="x"
            )
        ok = _post(second, decide, {"decision_number": "川科协〔2026〕1号"}, token="d3")
        assert ok.status_code == 302, ok.content.decode()[:2000]
    call.refresh_from_db()
    assert call.status == c.CallStatus.DECIDED and call.decision_number == "川科协〔2026〕1号"
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.status == "not_awarded" and not a.certificate_number
    assert b.status == "awarded" and b.certificate_number == f"TF{call.year}-001"
    assert len(b.certificate_code) == 22
    honour = HonourAward.objects.get(person=b.person)
    assert (honour.honour, honour.year, honour.title) == ("tianfu", call.year, "天府科普使者")
    assert honour.awarded_by == "四川省科学技术协会"
    assert not HonourAward.objects.filter(person=a.person).exists()

    # The honour in the person's record, and the plan's figure.
    person_page = province.get(reverse("people:person_detail", args=[b.person_id]))
    assert "天府科普使者" in person_page.content.decode()
    from kepu.plans.indicators import REGISTRY

    indicator = REGISTRY["people.tianfu_envoys"]
    since = datetime.date(call.year - 1, 12, 31)
    until = datetime.date(call.year, 12, 31)
    assert indicator.for_regions([h.region("51")], since, until)[h.region("51").pk] == 1

    # The certificate and its public check.
    pdf = province.get(reverse("selections:entry_certificate", args=[b.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    check = anonymous.get(reverse("selections:certificate_verify_code", args=[b.certificate_code]))
    assert check.status_code == 200 and b.certificate_number in check.content.decode()
    unknown = anonymous.get(reverse("selections:certificate_verify_code", args=["x" * 22]))
    assert unknown.status_code == 404
    listing = anonymous.get(reverse("selections:public_results"), {"year": call.year})
    assert "乙某某" in listing.content.decode() and "甲某某" not in listing.content.decode()
    assert anonymous.get(reverse("selections:public_call_list")).status_code == 200


def test_demo_finishes_a_works_selection(call):
    from kepu.selections.demo import results as demo

    a, b, _x = call.entries_
    awarded = demo.finish_works_selection(call)
    call.refresh_from_db()
    assert call.status == c.CallStatus.DECIDED and call.decided_on > call.publicity_to
    assert [e.pk for e in awarded] == [a.pk, b.pk]
    assert Objection.objects.get().status == "dismissed"
