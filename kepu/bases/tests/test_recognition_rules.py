"""The recognition rules and their refusals, through the services and the pages: the
call's eligibility, one recommending body, conflicts of interest, the panel's ranges, the
public notice's end, naming only when every objection is answered, scope."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from kepu.bases import choices as bc
from kepu.bases import services
from kepu.bases.models import Recommendation, ScoreSheet
from kepu.bases.services import recognition_review as review
from kepu.bases.tests import helpers_recognition as h
from kepu.bases.tests.helpers import make_base, make_unit
from kepu.core import clock
from kepu.core.errors import DomainError, StateConflict
from kepu.core.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The refusals are asserted word for word, in the source language."""
    with translation.override("en"):
        yield


SCORES = {"conditions": 25, "organization": 15, "activities": 25, "results": 15}


def _user(name):
    return User.objects.get(username=name)


def _messages(exc):
    return " ".join(exc.value.messages)


def test_eligibility_is_checked_rule_by_rule():
    rnd = h.make_round()
    with pytest.raises(DomainError) as exc:
        h.apply(rnd, legal_person=False, years_open=0, open_days=120, area_m2=100)
    errors = exc.value.message_dict
    assert set(errors) == {"legal_person", "years_open", "open_days", "area_m2"}
    assert errors["open_days"] == ["The call requires at least 200 open days a year."]
    assert errors["area_m2"] == [
        "The call requires at least 500 m² of exhibition area for this category."
    ]


def test_a_closed_round_takes_no_application():
    rnd = h.make_round(status="draft")
    with pytest.raises(StateConflict) as exc:
        h.apply(rnd)
    assert _messages(exc) == "This round is not taking applications."


def test_a_second_recommendation_is_refused():
    rnd = h.make_round()
    app = h.apply(rnd)
    services.recommend_application(app, actor=_user("demo-city"), opinion="同意推荐", rank=1)
    with pytest.raises(StateConflict) as exc:
        services.recommend_application(app, actor=_user("demo-county-a"), opinion="同意")
    assert "already been recommended by one body" in _messages(exc)
    assert Recommendation.objects.filter(application=app).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Recommendation.objects.create(
            application=app, body_kind="region", body_name="锦江区", opinion="重复"
        )


def test_the_recommender_is_in_scope_and_below_the_round():
    rnd = h.make_round()
    app = h.apply(rnd)
    with pytest.raises(DomainError) as exc:
        services.recommend_application(app, actor=_user("demo-county-b"), opinion="同意")
    assert _messages(exc) == "This is outside your scope."
    with pytest.raises(DomainError) as exc:
        services.recommend_application(app, actor=_user("demo-province"), opinion="同意")
    assert "lower region's association" in _messages(exc)
    rec = services.recommend_application(app, actor=_user("demo-county-a"), opinion="同意")
    assert rec.body_name == "锦江区" and rec.body_kind == "region"


def test_whoever_recommended_does_not_do_the_formal_check():
    rnd = h.make_round()
    app = h.apply(rnd)
    services.recommend_application(app, actor=None, opinion="同意")
    province = _user("demo-province")
    Recommendation.objects.filter(application=app).update(by=province)
    services.advance_round(rnd, actor=None)
    services.advance_round(rnd, actor=None)
    app.refresh_from_db()
    with pytest.raises(DomainError) as exc:
        services.check_application(app, actor=province, items={}, note="")
    assert "another officer does its formal check" in _messages(exc)


def _to_review(rnd, *apps):
    for app in apps:
        services.recommend_application(app, actor=None, opinion="同意")
    services.advance_round(rnd, actor=None)
    services.advance_round(rnd, actor=None)
    items = {c: True for c in ("legal_person", "years_open", "open_days", "area", "materials")}
    for app in apps:
        services.check_application(app, actor=None, items=items)
    return services.advance_round(rnd, actor=None)


def test_a_failed_check_needs_its_reason():
    rnd = h.make_round()
    app = h.apply(rnd)
    services.recommend_application(app, actor=None, opinion="同意")
    services.advance_round(rnd, actor=None)
    services.advance_round(rnd, actor=None)
    items = {c: True for c in ("legal_person", "years_open", "open_days", "area", "materials")}
    items["materials"] = False
    with pytest.raises(DomainError) as exc:
        services.check_application(app, actor=None, items=items, note="")
    assert exc.value.message_dict == {"check_note": ["Say why the application fails the check."]}
    app = services.check_application(app, actor=None, items=items, note="缺少平面图")
    assert app.status == "failed"


def test_conflicts_of_interest_are_kept_out_and_the_draw_is_reproducible():
    unit = make_unit("锦江区回避科技馆", "510104")
    insider = h.expert("内部专家", organization=unit)
    experts = [h.expert(f"评审{i}") for i in range(4)]
    pool = h.expert_pool("回避测试库", members=[insider, *experts])
    rnd = h.make_round(pool=pool, panel_size=5)
    app = h.apply(rnd, "锦江区回避科技馆")
    _to_review(rnd, app)
    drawn = review.draw_panel(rnd, actor=None, seed=7)
    again = review.draw_panel(rnd, actor=None, seed=7)
    assert [p.pk for p in drawn] == [p.pk for p in again]
    sheet = ScoreSheet.objects.get(application=app, expert=insider)
    assert sheet.conflict == "Works for the applicant unit or its parent"
    with pytest.raises(StateConflict):
        review.submit_score(sheet, actor=None, values=SCORES)
    declared = ScoreSheet.objects.get(application=app, expert=experts[0])
    review.declare_conflict(declared, actor=None, reason="曾任该馆顾问")
    for sheet in ScoreSheet.objects.filter(application=app, conflict=""):
        review.submit_score(sheet, actor=None, values=SCORES)
    app.refresh_from_db()
    assert app.status == "scored" and app.score == Decimal("80.00")
    assert ScoreSheet.objects.filter(application=app).scoring().count() == 3


def test_a_score_outside_the_range_is_refused(as_persona):
    pool = h.expert_pool("范围测试库", members=[h.expert(f"范围{i}") for i in range(3)])
    rnd = h.make_round(pool=pool)
    app = h.apply(rnd)
    _to_review(rnd, app)
    review.draw_panel(rnd, actor=None, seed=1)
    sheet = ScoreSheet.objects.filter(application=app).first()
    with pytest.raises(DomainError) as exc:
        review.submit_score(sheet, actor=None, values={**SCORES, "conditions": 31})
    assert exc.value.message_dict == {
        "conditions": ["Facilities and exhibits: the points must be 0 to 30."]
    }
    province = as_persona("province")
    response = province.post(
        reverse("bases:sheet_score", args=[sheet.pk]),
        {"form_token": "range-1", **SCORES, "results": 25},
    )
    assert response.status_code == 400
    assert "invalid-feedback" in response.content.decode()
    sheet.refresh_from_db()
    assert sheet.submitted_at is None


def _to_publicity(name):
    pool = h.expert_pool(name, members=[h.expert(f"{name}{i}") for i in range(3)])
    rnd = h.make_round(pool=pool, number_prefix=f"T-{name}-")
    first, second = h.apply(rnd, f"{name}甲馆"), h.apply(rnd, f"{name}乙馆")
    _to_review(rnd, first, second)
    review.draw_panel(rnd, actor=None, seed=3)
    for sheet in ScoreSheet.objects.filter(application__round=rnd):
        review.submit_score(sheet, actor=None, values=SCORES)
    review.start_publicity(rnd, actor=None, cutoff=Decimal(60))
    rnd.refresh_from_db()
    return rnd, first, second


def test_an_objection_after_the_notice_closes_is_refused(as_persona):
    rnd, first, _second = _to_publicity("异议期")
    after = clock.now() + datetime.timedelta(days=rnd.publicity_days + 1)
    with clock.frozen(after), pytest.raises(StateConflict) as exc:
        review.file_objection(
            first, name="张三", phone="13900001111", text="开放天数不实，请核实。"
        )
    assert _messages(exc) == "The public notice has closed: objections are no longer accepted."
    anonymous = as_persona("anonymous")
    with clock.frozen(after):
        response = anonymous.post(
            reverse("bases:public_objection", args=[rnd.pk]),
            {"form_token": "late-1", "application": first.pk, "name": "张三",
             "phone": "13900001111", "text": "开放天数不实，请核实。"},
        )  # fmt: skip
    assert response.status_code == 400
    assert first.objections.count() == 0


def test_naming_waits_for_every_answer_and_an_upheld_objection_keeps_out():
    rnd, first, second = _to_publicity("命名")
    objection, created = review.file_objection(
        first, name="李四", phone="13900002222", text="该单位存在安全隐患，请核实。"
    )
    assert created
    same, created = review.file_objection(
        first, name="李四", phone="13900002222", text="x" * 20, client_key=objection.client_key
    )
    assert not created and same.pk == objection.pk
    with pytest.raises(StateConflict):
        review.name_bases(rnd, actor=None)  # the notice is still running
    later = clock.now() + datetime.timedelta(days=10)
    with clock.frozen(later):
        with pytest.raises(DomainError) as exc:
            review.name_bases(rnd, actor=None)
        assert _messages(exc) == "Answer every objection before naming."
        review.answer_objection(objection, actor=None, upheld=True, answer="经核实，情况属实。")
        bases = review.name_bases(rnd, actor=None)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "not_named" and second.status == "named"
    assert [b.number for b in bases] == ["T-命名-001"]


def test_a_unit_whose_base_expired_re_applies_with_simplified_review():
    base = make_base("锦江区续期科技馆", level=bc.BaseLevel.PROVINCIAL, area_m2=2000,
                     valid_from=datetime.date(2019, 1, 1))  # fmt: skip
    services.set_base_status(base, bc.BaseStatus.EXPIRED, actor=None)
    rnd = h.make_round()
    app = h.apply(rnd, "锦江区续期科技馆", years_open=0, area_m2=10)
    assert app.is_renewal and app.previous_base == base and app.area_m2 == 2000
    assert [c for c, _label in services.recognition.check_item_labels(app)] == [
        "legal_person", "open_days", "materials",
    ]  # fmt: skip


def test_county_b_never_sees_county_a_applications(as_persona):
    rnd = h.make_round()
    app = h.apply(rnd, "锦江区范围科技馆")
    county_b, county_a = as_persona("county_b"), as_persona("county_a")
    assert app.name not in county_b.get(reverse("bases:application_list")).content.decode()
    assert county_b.get(reverse("bases:application_detail", args=[app.pk])).status_code == 404
    assert app.name in county_a.get(reverse("bases:application_list")).content.decode()
    assert app.name in county_a.get(reverse("bases:recommend_queue")).content.decode()
    assert app.name not in county_b.get(reverse("bases:recommend_queue")).content.decode()


def test_the_workbench_lists_what_awaits_each_one():
    from kepu.core import workbench

    rnd = h.make_round()
    h.apply(rnd, "锦江区待办科技馆")
    keys = {i.key for i in workbench.collect(_user("demo-county-a"), None)}
    assert "bases.recognition.recommend" in keys
    keys = {i.key for i in workbench.collect(_user("demo-province"), None)}
    assert "bases.recognition.recommend" not in keys  # the round's own officers
