"""The review report (复盘报告) of a small scripted incident: every figure exact, a fixed
number of queries, the page for the officers who reach the incident and the PDF."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from kepu.core.models import AuditEntry
from kepu.emergency.services.review import incident_review
from kepu.emergency.tests.test_public import _scripted, at, data, english  # noqa: F401

pytestmark = pytest.mark.django_db


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def test_the_figures_of_the_scripted_incident(data):  # noqa: F811
    with translation.override("en"):
        review = incident_review(data["quake"])
    assert review.experts == {
        "proposed": 4,
        "group_proposed": at(minutes=1),
        "invited": 3,
        "first_invited": at(minutes=5),
        "accepted": 2,
        "first_accepted": at(minutes=40),
        "declined": 1,
        "replacements": 1,
        "shifts": 3,
        "duty_hours": 18.0,
    }
    assert review.response == {
        "to_acceptance": 40 * 60,
        "to_push": 90 * 60,
        "to_rebuttal": 3 * 3600,
        "to_acceptance_text": "40 min",
        "to_push_text": "1 h 30 min",
        "to_rebuttal_text": "3 h 00 min",
    }
    assert review.reach == {
        "deliveries": 4,
        "acknowledged": 2,
        "groups_forwarded": 6,
        "people_reached": 250,
        "share": 50.0,
        "pushes": 2,
    }
    assert [(r["region__code"], r["people_reached"], r["share"]) for r in review.regions] == [
        ("510104", 200, 50.0),
        ("510107", 50, 50.0),
    ]
    assert review.rumors == {"leads": 5, "reports": 7, "first": at(hours=2)}
    assert {s["status"]: s["count"] for s in review.rumor_statuses} == {
        "new": 1,
        "needs_rebuttal": 1,
        "duplicate": 1,
        "out_of_scope": 0,
        "rebutted": 2,
    }
    stats = review.rebuttals
    assert (stats["count"], stats["first"], stats["within_reference"]) == (2, at(hours=3), 1)
    assert (stats["median"], stats["median_text"]) == (3600, "1 h 00 min")
    assert (stats["slowest"], stats["slowest_text"]) == (17 * 3600, "17 h 00 min")
    assert [(r["title"], r["speed"]) for r in review.rebuttal_rows] == [
        ("“明天还有8级大地震”不实", "1 h 00 min"),
        ("自来水水质检测合格", "17 h 00 min"),
    ]
    assert review.comparison == (
        "This incident: 1 rebuttals published within 15 hours of activation. For reference, "
        "about 70 pieces of content were published within about 15 hours of a major earthquake."
    )
    assert [(e.at, e.label, e.detail) for e in review.timeline] == [
        (at(), "Response activated", ""),
        (at(minutes=1), "Expert group proposed", ""),
        (at(minutes=5), "First expert invited", ""),
        (at(minutes=40), "First expert accepted", ""),
        (at(minutes=90), "First push sent", ""),
        (at(minutes=100), "Push delivered", "地震避险指南第一批"),
        (at(hours=2), "First rumour lead", ""),
        (at(hours=2, minutes=30), "First acknowledgement from the last mile", ""),
        (at(hours=3), "Rebuttal published", "“明天还有8级大地震”不实"),
        (at(hours=20), "Rebuttal published", "自来水水质检测合格"),
        (at(days=3), "Response closed", ""),
    ]


def test_the_report_takes_a_fixed_number_of_queries(data):  # noqa: F811
    with CaptureQueriesContext(connection) as queries:
        incident_review(data["quake"])
    assert len(queries) == 13  # the reach by county reads the counties' names once


def test_an_incident_without_activity_has_empty_figures(data):  # noqa: F811
    with translation.override("en"):
        review = incident_review(data["drill"])
    assert review.response["to_push_text"] == "—"
    assert review.reach["share"] is None and review.reach["deliveries"] == 0
    assert review.rebuttals["median"] is None
    assert [e.label for e in review.timeline] == ["Response activated"]


def test_the_report_page_for_an_officer_of_chengdu(as_persona, data):  # noqa: F811
    client = english(as_persona("city"))
    response = client.get(reverse("emergency:incident_report", args=[data["quake"].pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "乡镇信息员签收较慢，需提前建立联络名单。" in body
    assert (
        "2 pushes, 4 recipients, 2 acknowledged, forwarded to 6 groups, 250 people reached." in body
    )
    assert "median 1 h 00 min, slowest 17 h 00 min" in body
    assert reverse("emergency:incident_report_pdf", args=[data["quake"].pk]) in body
    assert local(at(days=3)) in body
    # A closed incident offers no new answer.
    assert reverse("emergency:answer_create", args=[data["quake"].pk]) not in body


def test_county_b_does_not_reach_chengdus_report(as_persona, data):  # noqa: F811
    url = reverse("emergency:incident_report", args=[data["quake"].pk])
    assert as_persona("county_b").get(url).status_code == 404
    assert as_persona("member").get(url).status_code == 403


def test_the_pdf_renders_and_is_audited(as_persona, data):  # noqa: F811
    client = as_persona("county_a")  # an affected county reads the report (scope reach)
    response = client.get(reverse("emergency:incident_report_pdf", args=[data["quake"].pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    entry = AuditEntry.objects.filter(action="emergency.incident.report_exported").latest("pk")
    assert entry.object_id == str(data["quake"].pk)


def test_the_scripted_rows_keep_the_invariants(data):  # noqa: F811
    from kepu.core import invariants

    assert invariants.check(["emergency"]) == []
