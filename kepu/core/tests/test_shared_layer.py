"""The shared layer's own contracts: the API error body, periods, object rules."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import translation
from rest_framework import exceptions
from rest_framework.test import APIRequestFactory

from kepu.core import periods, scope
from kepu.core.api.errors import exception_handler
from kepu.core.errors import DomainError, StateConflict


def _answer(exc):
    request = APIRequestFactory().get("/api/v1/x/")
    request.user = None
    return exception_handler(exc, {"request": request, "view": None})


@pytest.mark.parametrize(
    ("exc", "status", "code"),
    [
        (StateConflict("该报告已审核。"), 409, "conflict"),
        (DomainError("超出范围。"), 400, "refused"),
        (DomainError({"reason": ["请填写原因。"]}), 400, "invalid"),
        (DomainError({"__all__": ["整体拒绝。"]}), 400, "refused"),
        (exceptions.ValidationError({"name": ["必填。"]}), 400, "invalid"),
        (exceptions.ValidationError(["请求无效。"]), 400, "invalid"),
        (Http404(), 404, "not_found"),
        (exceptions.NotFound(), 404, "not_found"),
        (exceptions.MethodNotAllowed("PUT"), 405, "method_not_allowed"),
        (exceptions.ParseError(), 400, "parse_error"),
        (exceptions.NotAuthenticated(), 401, "not_authenticated"),
        (exceptions.Throttled(3), 429, "throttled"),
    ],
)
def test_every_error_has_the_one_body(exc, status, code):
    response = _answer(exc)
    assert response.status_code == status
    assert set(response.data) == {"code", "message", "fields"}
    assert response.data["code"] == code
    assert response.data["message"]


def test_field_errors_keep_their_fields():
    body = _answer(DomainError({"reason": ["请填写原因。"]})).data
    assert body == {
        "code": "invalid",
        "message": "请填写原因。",
        "fields": {"reason": ["请填写原因。"]},
    }
    nested = _answer(exceptions.ValidationError({"content": {"title": ["必填。"]}})).data
    assert nested["fields"] == {"content.title": ["必填。"]}


@pytest.mark.django_db
def test_permission_denied_is_403_with_its_reason(rf):
    response = _answer(PermissionDenied("不能审核本人提交的记录。"))
    assert response.status_code == 403 and response.data["code"] == "forbidden"
    assert response.data["message"] == "不能审核本人提交的记录。"


def test_messages_follow_the_request_language():
    with translation.override("en"):
        assert _answer(Http404()).data["message"] == "Not found."
    with translation.override("zh-hans"):
        assert _answer(Http404()).data["message"] == "未找到。"


# --- periods ------------------------------------------------------------------------------


def test_periods_bounds_labels_and_slugs():
    q4 = periods.quarter_period(2026, 4)
    assert (q4.first, q4.last) == (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))
    assert q4.end - q4.start == datetime.timedelta(days=92)
    assert q4.slug == "2026Q4" and q4.next() == periods.quarter_period(2027, 1)
    with translation.override("zh-hans"):
        assert q4.label == "2026年第四季度"
        assert periods.month_period(2026, 2).label == "2026年二月"
        assert periods.year_period(2026).label == "2026年"
    with translation.override("en"):
        assert q4.label == "Q4 2026"
    assert (
        periods.period_of(datetime.date(2026, 4, 1), datetime.date(2026, 6, 30)).kind == "quarter"
    )
    assert periods.period_of(datetime.date(2026, 4, 2), datetime.date(2026, 6, 30)).kind == "custom"


def test_reporting_cycles_cover_whole_periods():
    months = periods.periods_between(datetime.date(2026, 1, 15), datetime.date(2026, 3, 2), "month")
    assert [p.slug for p in months] == ["2026-01", "2026-02", "2026-03"]
    quarters = periods.periods_between(
        datetime.date(2025, 11, 1), datetime.date(2026, 4, 1), "quarter"
    )
    assert [p.slug for p in quarters] == ["2025Q4", "2026Q1", "2026Q2"]


@pytest.mark.parametrize(
    ("value", "slug"),
    [("2025", "2025"), ("2025-03", "2025-03"), ("2025Q3", "2025Q3"), ("2025q1", "2025Q1")],
)
def test_compact_periods(value, slug):
    assert periods.parse_compact(value).slug == slug


@pytest.mark.parametrize("value", ["", "25", "2025-13", "2025Q5", "1999", "2025-3", "abcd"])
def test_compact_periods_refuse_nonsense(value):
    assert periods.parse_compact(value) is None


def test_parse_period_falls_back_with_a_reason():
    today = datetime.date(2026, 11, 22)
    period, errors = periods.parse_period({"period": "month", "month": "13"}, today)
    assert period == periods.quarter_period(2026, 4) and errors
    period, errors = periods.parse_period({}, today, default_kind="year")
    assert period == periods.year_period(2026) and not errors


# --- object rules -------------------------------------------------------------------------


@pytest.mark.django_db
def test_object_rules_refuse_with_a_reason_and_filter_in_sql():
    from kepu.core.models import Organization, User

    user = User.objects.get(username="demo-county-a")
    org = Organization.objects.get(name="锦江区科学技术协会")
    key = (Organization, "selftest")
    try:

        @scope.object_rule(Organization, "selftest", exclude=lambda u: scope.Q(pk=org.pk))
        def _no_own(obj, actor):
            return "不能操作本单位。" if obj.pk == org.pk else None

        assert scope.refusal(user, org, "selftest") == "不能操作本单位。"
        assert scope.refusal(None, org, "selftest") is None  # the system itself
        with pytest.raises(DomainError):
            scope.check(user, org, "selftest")
        assert (
            not scope.actionable(user, Organization.objects.all(), "selftest")
            .filter(pk=org.pk)
            .exists()
        )
    finally:
        scope._object_rules.pop(key, None)
    assert scope.can(user, org, "view")
    assert not scope.can(User.objects.get(username="demo-county-b"), org, "view")


# --- the form helper ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_repeated_form_goes_to_the_first_result_even_when_it_would_now_be_invalid(
    as_persona,
):
    """The first submission registers the credit code; the repeat (double click) would
    fail validation as a duplicate, but is sent to the first one's result instead."""
    from django.urls import reverse

    from kepu.core.models import AuditEntry, Organization
    from kepu.core.validators import credit_code_check_char

    body = "91510104MA6123456"
    client = as_persona("county_a")
    data = {
        "name": "重复提交测试学校",
        "org_type": "school",
        "region": "510104",
        "credit_code": body + credit_code_check_char(body),
        "form_token": "a" * 32,
    }
    url = reverse("core:organization_create")
    first = client.post(url, data)
    assert first.status_code == 302, first.content.decode()[:500]
    second = client.post(url, data)
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert Organization.objects.filter(name="重复提交测试学校").count() == 1
    assert AuditEntry.objects.filter(action="core.organization.created").count() >= 1


def test_a_repeat_sent_while_the_first_runs_waits_for_its_result(monkeypatch):
    """A double click: the second request arrives while the first is still running; it
    is answered with the first one's result once that is there, not sent elsewhere."""
    from django.core.cache import cache
    from django.test import RequestFactory

    from kepu.core import idempotency

    request = RequestFactory().post("/", {"form_token": "b" * 32})
    request.user = type("Anonymous", (), {"pk": None})()
    assert idempotency.claim(request) == (True, None)  # the first submission runs
    assert idempotency.claim(request) == (False, None)
    sleeps = []

    def first_finishes(seconds):  # instead of sleeping: the first submission finishes
        sleeps.append(seconds)
        idempotency.remember(request, "/events/ticket/x/")

    monkeypatch.setattr(idempotency.time, "sleep", first_finishes)
    assert idempotency.await_result(request) == "/events/ticket/x/"
    assert len(sleeps) == 1
    idempotency.release(request)  # a failed first submission: nothing to wait for
    assert idempotency.await_result(request) is None
    cache.clear()


def test_the_form_token_tag_gives_a_fresh_token_each_time():
    from django.template import Context, Template

    template = Template("{% load kepu %}{% form_token %}{% form_token %}")
    html = template.render(Context())
    assert html.count('name="form_token"') == 2
    values = [part.split('"')[0] for part in html.split('value="')[1:]]
    assert len(set(values)) == 2 and all(len(v) == 32 for v in values)


def test_the_period_picker_selects_the_period_and_offers_its_year():
    picked = periods.picker(periods.month_period(2019, 7), kinds=(periods.YEAR, periods.MONTH))
    assert [kind for kind, _label in picked["kinds"]] == ["year", "month"]
    assert 2019 in picked["years"] and picked["years"] == sorted(picked["years"], reverse=True)
    assert picked["selected"] == {
        "kind": "month",
        "year": 2019,
        "quarter": 3,
        "month": 7,
        "from": "2019-07-01",
        "to": "2019-07-31",
    }
