"""Helpers of the plans API tests: URLs, JSON posts, the one error body, and plans in
the states the tests start from."""

import datetime

from django.urls import reverse
from django.utils import timezone

from kepu.plans.models import (
    ProgressReport,
)
from kepu.plans.tests.helpers import make_plan, make_target, org

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def url(name, pk=None):
    return reverse(f"api:{name}", args=[pk] if pk is not None else None)


def post(client, name, pk=None, data=None):
    return client.post(url(name, pk), data or {}, content_type="application/json", **EN)


def patch(client, name, pk, data):
    return client.patch(url(name, pk), data, content_type="application/json", **EN)


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def fields(response) -> list[str]:
    """The fields a 400 `invalid` answer names (the one error body)."""
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid" and body["message"], body
    return list(body["fields"])


def invalid(fields: dict) -> dict:
    messages = [m for ms in fields.values() for m in ms]
    message = messages[0] if len(messages) == 1 else "Please correct the errors below."
    return {"code": "invalid", "message": message, "fields": fields}


def refused(message: str) -> dict:
    return {"code": "refused", "message": message, "fields": {}}


def conflict(message: str) -> dict:
    return {"code": "conflict", "message": message, "fields": {}}


def _today():
    return timezone.localdate()


def province_plan(**fields):
    """The province's plan, from 1 January last year: its first quarters are past due."""
    today = _today()
    fields.setdefault("start", datetime.date(today.year - 1, 1, 1))
    fields.setdefault("end", datetime.date(today.year, 12, 31))
    return make_plan(**fields)


def county_b_plan(**fields):
    today = _today()
    return make_plan(
        code="510703",
        title=fields.pop("title", "涪城区科普工作要点"),
        issuer="涪城区科学技术协会",
        lead="涪城区科学技术协会",
        responsible=("绵阳南山中学",),
        start=datetime.date(today.year - 1, 1, 1),
        end=datetime.date(today.year, 12, 31),
        **fields,
    )


def member_report(plan, index=0) -> ProgressReport:
    """The member unit's (四川省教育厅) report on the plan's task, oldest first."""
    return ProgressReport.objects.filter(
        task__plan=plan, organization=org("四川省教育厅")
    ).order_by("period_start")[index]


def reported_target(plan, **fields):
    values = {
        "name": "科技辅导员培训",
        "unit": "人",
        "source": "reported",
        "indicator": "",
        "task": plan.tasks.get(),
        "target_value": 200,
        "baseline_date": plan.period_start - datetime.timedelta(days=1),
    }
    values.update(fields)
    return make_target(plan, **values)
