"""The expert review through its pages and services: the automatic assignment (no
conflict, loads within one, reasons), the manual override, scoring on a phone (only
one's own review, only in the phase, within the rubric's ranges), the corrected ranking,
closing the review and the panel votes."""

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation

from kepu.core.errors import DomainError, StateConflict
from kepu.core.models import AuditEntry
from kepu.core.testing import login_client
from kepu.selections import choices as c
from kepu.selections.models import Call, Entry, Review
from kepu.selections.services import panel, review
from kepu.selections.tests import helpers_review as h

pytestmark = pytest.mark.django_db

GOOD = {"science": 25, "reach": 24, "innovation": 15, "example": 16}
EXPERT = "review-test-expert"


@pytest.fixture(scope="module")
def data(django_db_setup, django_db_blocker):
    """A call in review with 5 entries and 6 experts, assigned once for the module
    (rolled back at its end)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call, entries, experts = h.review_setup("评审测", username=EXPERT)
            review.assign_reviewers(call, actor=None)
            yield {"call": call, "entries": entries, "experts": experts}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _expert_client():
    return login_client(Client(), EXPERT)


def _own(data):
    return Review.objects.filter(reviewer=data["experts"][0]).order_by("pk").first()


def _other(data):
    return Review.objects.filter(entry__call=data["call"]).exclude(
        reviewer=data["experts"][0]
    ).order_by("pk").first()  # fmt: skip


def test_the_assignment_keeps_loads_even_and_avoids_conflicts(data, as_persona):
    call = Call.objects.get(pk=data["call"].pk)
    reviews = list(Review.objects.filter(entry__call=call).select_related("entry", "reviewer"))
    assert len(reviews) == 5 * 3
    loads = {}
    for r in reviews:
        loads[r.reviewer_id] = loads.get(r.reviewer_id, 0) + 1
        assert r.reviewer.organization_id != r.entry.organization_id  # the same unit: avoided
        assert r.reason
    assert max(loads.values()) - min(loads.values()) <= 1 and len(loads) == 6
    assert call.assignment["conflicts_in_result"] == 0
    assert call.assignment["conflicts_avoided"] == 10  # 2 experts per nominee's unit
    response = as_persona("province").get(reverse("selections:call_assignment", args=[call.pk]))
    assert response.status_code == 200
    assert b"data-match-share" in response.content


def test_a_reviewer_scores_their_own_review_on_the_phone(data):
    client = _expert_client()
    own = _own(data)
    queue = client.get(reverse("selections:review_queue"))
    assert queue.status_code == 200
    assert {r.pk for r in queue.context["page"]} == set(
        Review.objects.filter(reviewer=data["experts"][0]).values_list("pk", flat=True)
    )
    url = reverse("selections:review_score", args=[own.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {**GOOD, "comment": "事迹突出"})
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.total == 80 and own.submitted_at is not None and own.comment == "事迹突出"
    assert Entry.objects.get(pk=own.entry_id).reviews_done == 1
    assert AuditEntry.objects.filter(action="selections.review.submitted", object_id=own.pk)


def test_a_score_outside_the_range_names_the_criterion(data):
    client = _expert_client()
    own = _own(data)
    response = client.post(
        reverse("selections:review_score", args=[own.pk]), {**GOOD, "science": 31}
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["science"]
    own.refresh_from_db()
    assert own.submitted_at is None and own.total is None
    with translation.override("en"), pytest.raises(DomainError) as refused:
        review.score_review(own, actor=None, values={**GOOD, "science": 31})
    # The criterion's name is stored as the rubric was made (in Chinese); the rule in English.
    assert refused.value.message_dict == {"science": ["科学性: the points must be 0 to 30."]}


def test_a_reviewer_cannot_score_a_review_not_theirs(data):
    other = _other(data)
    client = _expert_client()
    assert client.get(reverse("selections:review_score", args=[other.pk])).status_code == 403
    response = client.post(reverse("selections:review_score", args=[other.pk]), GOOD)
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.submitted_at is None
    api = client.post(
        reverse("api:selection-review-score", args=[other.pk]),
        {"values": GOOD},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert api.status_code == 403
    assert api.json()["message"] == "Only the reviewer assigned to this entry scores it."


def test_scoring_outside_the_phase_is_refused(data):
    own = _own(data)
    Call.objects.filter(pk=data["call"].pk).update(status=c.CallStatus.PANEL)
    client = _expert_client()
    response = client.post(reverse("selections:review_score", args=[own.pk]), GOOD)
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.submitted_at is None
    with pytest.raises(StateConflict), translation.override("en"):
        review.score_review(own, actor=None, values=GOOD)
    api = client.post(
        reverse("api:selection-review-score", args=[own.pk]),
        {"values": GOOD},
        content_type="application/json",
    )
    assert api.status_code == 409


def test_the_override_refuses_a_conflict_and_records_both_names(data, as_persona):
    target = _other(data)
    entry = target.entry
    on_entry = set(Review.objects.filter(entry=entry).values_list("reviewer_id", flat=True))
    conflicted = next(
        e for e in data["experts"] if e.organization_id == entry.organization_id
    )  # fmt: skip
    free = next(
        e for e in data["experts"]
        if e.pk not in on_entry and e.organization_id != entry.organization_id
    )  # fmt: skip
    client = as_persona("province")
    url = reverse("selections:review_reassign", args=[target.pk])
    refused = client.post(url, {"reviewer": conflicted.pk, "reason": "出差"})
    assert refused.status_code == 400
    assert list(refused.context["form"].errors) == ["reviewer"]
    with translation.override("en"), pytest.raises(DomainError) as conflict:
        review.reassign_review(target, actor=None, reviewer=conflicted, reason="出差")
    assert conflict.value.message_dict == {
        "reviewer": ["Conflict of interest: Works at the unit of the entry."]
    }
    assert client.post(url, {"reviewer": free.pk, "reason": ""}).status_code == 400
    before = target.reviewer
    assert client.post(url, {"reviewer": free.pk, "reason": "原专家出差"}).status_code == 302
    target.refresh_from_db()
    assert target.reviewer_id == free.pk and target.manual
    entry_audit = AuditEntry.objects.get(action="selections.review.reassigned")
    assert entry_audit.detail["from"] == before.name and entry_audit.detail["to"] == free.name


def test_an_impossible_assignment_is_refused_with_the_entry(data):
    call = Call.objects.get(pk=data["call"].pk)
    Call.objects.filter(pk=call.pk).update(reviewers_per_entry=5)
    call.refresh_from_db()
    with translation.override("en"), pytest.raises(DomainError) as refused:
        review.assign_reviewers(call, actor=None)
    assert "only 4 reviewers without a conflict, 5 needed" in refused.value.messages[0]
    assert Review.objects.filter(entry__call=call).count() == 15  # nothing changed


def _score_all(call, *, lenient=None, severe=None):
    for r in Review.objects.filter(entry__call=call).select_related("entry").order_by("pk"):
        base = 60 + (r.entry_id % 5) * 5
        if r.reviewer_id == lenient:
            base = min(base + 15, 95)
        if r.reviewer_id == severe:
            base -= 15
        values = {"science": base * 0.3, "reach": base * 0.3, "innovation": base * 0.2,
                  "example": base * 0.2}  # fmt: skip
        review.score_review(r, actor=None, values={k: round(v, 1) for k, v in values.items()})


def test_ranking_closing_and_the_panel(data, as_persona):
    call = Call.objects.get(pk=data["call"].pk)
    experts = data["experts"]
    _score_all(call, lenient=experts[1].pk, severe=experts[2].pk)
    client = as_persona("province")
    page = client.get(reverse("selections:call_ranking", args=[call.pk]))
    assert page.status_code == 200
    assert len(page.context["rows"]) == 5
    xlsx = client.get(reverse("selections:call_ranking", args=[call.pk]) + "?format=xlsx")
    assert xlsx.status_code == 200
    assert client.post(reverse("selections:call_close_review", args=[call.pk])).status_code == 302
    call.refresh_from_db()
    assert call.status == c.CallStatus.PANEL
    entries = list(Entry.objects.filter(call=call).order_by("corrected_rank"))
    assert [e.corrected_rank for e in entries] == [1, 2, 3, 4, 5]
    assert all(e.status == c.EntryStatus.SCORED and e.raw_mean is not None for e in entries)
    assert panel.panel_result(call) == {}  # no panel seated: no vote to respect
    # The panel: three seats, two votes for, one against → passes (quorum 67 %, 50 %).
    panel.set_panel(call, actor=None, people=experts[3:6], chair=experts[3])
    top = entries[0]
    url = reverse("selections:entry_vote", args=[top.pk])
    for member, vote in ((experts[3], "for"), (experts[4], "for"), (experts[5], "against")):
        assert client.post(url, {"member": member.pk, "vote": vote}).status_code == 302
    result = panel.panel_result(call)[top.pk]
    assert result == {"for": 2, "against": 1, "abstain": 0, "cast": 3, "seats": 3,
                      "quorum": True, "passed": True}  # fmt: skip
    second = panel.panel_result(call)[entries[1].pk]
    assert second["cast"] == 0 and not second["quorum"] and not second["passed"]
    Call.objects.filter(pk=call.pk).update(panel_quorum=60)  # 2 of 3 seats make a quorum
    call.refresh_from_db()
    panel.record_vote(entries[1], actor=None, member=experts[3], vote="for")
    panel.record_vote(entries[1], actor=None, member=experts[4], vote="against")
    tied = panel.panel_result(call)[entries[1].pk]
    assert tied["quorum"] and not tied["passed"]  # 50 % is not more than 50 %
    with pytest.raises(DomainError):
        panel.record_vote(entries[1], actor=None, member=experts[0], vote="for")
    assert client.get(reverse("selections:call_panel", args=[call.pk])).status_code == 200


def test_the_demo_drives_the_review_to_the_panel():
    from kepu.selections.demo.review import review_demo

    call, _entries, experts = h.review_setup("演示评审", reviewers=8, entries=6, k=3)
    out = review_demo(call, lenient=experts[1], severe=experts[2], panel_size=3)
    call.refresh_from_db()
    assert call.status == c.CallStatus.PANEL
    assert out["summary"]["conflicts_in_result"] == 0
    assert len(out["panel"]) == 6 and all(r["cast"] == 3 for r in out["panel"].values())
    severities = {r.reviewer: r.severity for r in out["ranking"].reviewers}
    assert severities[experts[2].pk] > 0 > severities[experts[1].pk]


def test_a_large_call_is_assigned_by_the_background_job():
    from kepu.core import jobs

    call, _entries, _experts = h.review_setup("作业评审", reviewers=4, entries=3, k=2)
    job = jobs.start("selections.assign", actor=None, params={"call": call.pk})
    job.refresh_from_db()
    assert job.status == "succeeded" and job.result["assigned"] == 6
    assert Review.objects.filter(entry__call=call).count() == 6
