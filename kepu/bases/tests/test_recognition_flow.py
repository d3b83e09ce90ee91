"""The recognition procedure through its pages: a round is opened, a unit applies, its
county recommends, the province checks it, the panel scores (online and on paper), the
candidates go on public notice, an objection is answered, the bases are named with a
certificate that the public check confirms."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from kepu.bases.models import Application, Base, Objection, RecognitionRound, ScoreSheet
from kepu.bases.tests import helpers_recognition as h
from kepu.core import clock

pytestmark = pytest.mark.django_db


def _post(client, url, data=None, **kw):
    return client.post(url, {"form_token": f"t-{url}-{len(str(data))}", **(data or {})}, **kw)


def test_the_whole_path(as_persona):
    province, county_a = as_persona("province"), as_persona("county_a")
    zhou = h.expert("周明远", username="demo-expert")
    others = [h.expert("李专家", username="test-expert-rec")] + [
        h.expert(f"专家{i}") for i in range(3)
    ]
    pool = h.expert_pool(members=[zhou, *others])
    today = clock.today()

    # The province opens a call.
    response = _post(province, reverse("bases:round_create"), {
        "title": "认定测试", "year": today.year, "batch": "测试批次", "number_prefix": "SCKP-X-",
        "rubric": h.recognition_rubric().pk, "pool": pool.pk,
        "opens_on": today.isoformat(),
        "closes_on": (today + datetime.timedelta(days=20)).isoformat(),
        "recommend_by": (today + datetime.timedelta(days=30)).isoformat(), "panel_size": 5,
        "publicity_days": 5, "legal_person": "on", "min_years_open": 1, "min_open_days": 200,
        "min_area_venue": 500,
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    rnd = RecognitionRound.objects.get(title="认定测试")
    assert rnd.status == "draft" and rnd.level == "provincial"
    assert rnd.eligibility["min_area"]["venue"] == 500
    _post(province, reverse("bases:round_advance", args=[rnd.pk]))
    rnd.refresh_from_db()
    assert rnd.status == "open"

    # County A files for a unit of its county (the unit's staff would do the same).
    unit = h.make_unit("锦江区流程科技馆", "510104")
    response = _post(county_a, reverse("bases:application_create", args=[rnd.pk]), {
        "organization": unit.name, "category": "venue", "legal_person": "on", "years_open": 3,
        "open_days": 150, "area_m2": 300, "staff": 5, "docents": 3, "visitors": 9000,
        "statement": "流程测试",
    })  # fmt: skip
    assert response.status_code == 400
    body = response.content.decode()
    assert "至少 200 个开放日" in body or "open days" in body
    response = _post(county_a, reverse("bases:application_create", args=[rnd.pk]), {
        "organization": unit.name, "category": "venue", "legal_person": "on", "years_open": 3,
        "open_days": 280, "area_m2": 900, "staff": 5, "docents": 3, "visitors": 9000,
        "statement": "流程测试（修正）",
    })  # fmt: skip
    assert response.status_code == 302
    app = Application.objects.get(round=rnd, organization=unit)

    # County A filed it: it may not recommend it too; the city does.
    page = county_a.get(reverse("bases:recommend_queue"))
    assert app.name not in page.content.decode()
    city = as_persona("city")
    assert app.name in city.get(reverse("bases:recommend_queue")).content.decode()
    response = _post(city, reverse("bases:application_recommend", args=[app.pk]), {
        "recommended": "yes", "opinion": "同意推荐", "rank": 1,
    })  # fmt: skip
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == "recommended" and app.recommendation.body_name == "成都市"

    # Formal check by the province, after recommendation closes.
    for _step in range(2):
        _post(province, reverse("bases:round_advance", args=[rnd.pk]) + f"?s={_step}")
    rnd.refresh_from_db()
    assert rnd.status == "checking"
    items = {
        f"item_{c}": "pass"
        for c in ("legal_person", "years_open", "open_days", "area", "materials")
    }
    response = _post(province, reverse("bases:application_check", args=[app.pk]), items)
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == "passed"
    _post(province, reverse("bases:round_advance", args=[rnd.pk]) + "?s=r")
    rnd.refresh_from_db()
    assert rnd.status == "reviewing"

    # The panel: the whole pool of five; one declares a conflict, the expert with an
    # account scores online, the officer records the paper sheets.
    _post(province, reverse("bases:round_panel", args=[rnd.pk]))
    sheets = ScoreSheet.objects.filter(application=app)
    assert sheets.count() == 5
    expert_client = h.login("demo-expert")
    queue = expert_client.get(reverse("bases:sheet_queue")).content.decode()
    assert app.name in queue
    values = {"conditions": 25, "organization": 18, "activities": 27, "results": 18}
    mine = sheets.get(expert=zhou)
    page = expert_client.get(reverse("bases:sheet_score", args=[mine.pk])).content.decode()
    assert "0 to 30 points" in page or "0 至 30 分" in page
    response = _post(expert_client, reverse("bases:sheet_score", args=[mine.pk]), values)
    assert response.status_code == 302
    assert _post(province, reverse("bases:sheet_score", args=[mine.pk]), values).status_code == 403
    conflicted = sheets.get(expert=others[0])
    assert _post(province, reverse("bases:sheet_conflict", args=[conflicted.pk]), {
        "reason": "亲属"
    }).status_code == 403  # fmt: skip
    response = _post(h.login("test-expert-rec"), reverse("bases:sheet_conflict", args=[
        conflicted.pk
    ]), {"reason": "曾任该馆顾问"})  # fmt: skip
    assert response.status_code == 302
    conflicted.refresh_from_db()
    assert "曾任该馆顾问" in conflicted.conflict
    for sheet in sheets.exclude(expert=zhou).filter(conflict=""):
        response = _post(province, reverse("bases:sheet_score", args=[sheet.pk]), values)
        assert response.status_code == 302, response.content.decode()[:2000]
    app.refresh_from_db()
    assert app.status == "scored" and app.score == Decimal("88.00")

    # 公示 from today for five calendar days.
    response = _post(province, reverse("bases:round_ranking", args=[rnd.pk]), {"cutoff": "60"})
    assert response.status_code == 302
    rnd.refresh_from_db()
    assert rnd.status == "publicity" and rnd.publicity_to == today + datetime.timedelta(days=4)
    anonymous = as_persona("anonymous")
    page = anonymous.get(reverse("bases:public_publicity", args=[rnd.pk]))
    assert page.status_code == 200 and app.name in page.content.decode()
    response = _post(anonymous, reverse("bases:public_objection", args=[rnd.pk]), {
        "application": app.pk, "name": "王某某", "phone": "13912345678",
        "text": "该馆去年实际开放天数不足，请核实。",
    })  # fmt: skip
    assert response.status_code == 302
    objection = Objection.objects.get(application=app)
    assert objection.phone_masked == "139****5678" and "13912345678" not in objection.phone_enc

    # Naming waits for the notice to end and for the answer.
    later = clock.now() + datetime.timedelta(days=6)
    with clock.frozen(later):
        response = _post(province, reverse("bases:round_naming", args=[rnd.pk]), {
            "decided_on": later.date().isoformat()
        })  # fmt: skip
        assert response.status_code == 400
        assert "Answer every objection" in response.content.decode() or "异议" in (
            response.content.decode()
        )
        response = _post(province, reverse("bases:objection_answer", args=[objection.pk]), {
            "decision": "dismissed", "answer": "经核实，开放天数符合要求。"
        })  # fmt: skip
        assert response.status_code == 302
        response = _post(province, reverse("bases:round_naming", args=[rnd.pk]), {
            "decided_on": later.date().isoformat()
        })  # fmt: skip
        assert response.status_code == 302
    app.refresh_from_db()
    base = Base.objects.get(pk=app.base_id)
    assert app.status == "named" and base.number == "SCKP-X-001"
    assert base.level == "provincial" and base.batch == "测试批次"
    assert base.valid_from == later.date()

    pdf = province.get(reverse("bases:certificate_pdf", args=[base.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    check = anonymous.get(reverse("bases:verify_number", args=[base.number]))
    assert check.status_code == 200 and 'data-verify="genuine"' in check.content.decode()
    assert anonymous.get(reverse("bases:verify_number", args=["SCKP-NONE"])).status_code == 404

    detail = province.get(reverse("bases:application_detail", args=[app.pk])).content.decode()
    assert base.number in detail
