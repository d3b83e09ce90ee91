"""Matrix rows of the review area.

The calls are the province's (四川省, region 51): the province's officers run the expert
review (assignment, override, ranking, panel); the officers below read the call but may
not act on it; member-unit staff and volunteers hold no review permission; experts (not a
persona) score their own reviews. A first call is in the expert review with its reviewers
assigned and all but one review submitted; a second is at the panel meeting."""

from kepu.core.testing import Row, officers, statuses
from kepu.selections import choices as c
from kepu.selections.models import PanelSeat, Review
from kepu.selections.services import review as services
from kepu.selections.tests import helpers_review as h

VALUES = {"science": 25, "reach": 24, "innovation": 15, "example": 16}


def context(ctx):
    call, entries, experts = h.review_setup(
        "矩阵评审", reviewers=5, entries=3, k=2, username="matrix-review-expert"
    )
    services.assign_reviewers(call, actor=None)
    reviews = list(Review.objects.filter(entry__call=call).order_by("pk"))
    open_review = next(r for r in reviews if r.reviewer_id != experts[0].pk)
    for review in reviews:
        if review.pk != open_review.pk:
            services.score_review(review, actor=None, values=VALUES)
    assigned = {r.reviewer_id for r in reviews if r.entry_id == open_review.entry_id}
    free = [e for e in experts if e.pk not in assigned and e.organization_id != (
        open_review.entry.organization_id)]  # fmt: skip
    ctx["rv_call"], ctx["rv_review"], ctx["rv_free"] = call, open_review, free[0]

    meeting = h.make_call(
        title="矩阵会议评审", expert_pool=call.pool, status=c.CallStatus.PANEL
    )  # fmt: skip
    nominee = h.person("矩阵会评候选人", organization=h.unit("矩阵评审单位0"))
    ctx["rv_panel_entry"] = h.make_entry(
        meeting, nominee, status=c.EntryStatus.SCORED, raw_mean=80, corrected=80, raw_rank=1,
        corrected_rank=1, reviews_done=2,
    )  # fmt: skip
    PanelSeat.objects.create(call=meeting, person=experts[1], chair=True)
    ctx["rv_meeting"], ctx["rv_seat"] = meeting, experts[1]


def _call(ctx):
    return {"pk": ctx["rv_call"].pk}


def _review(ctx):
    return {"pk": ctx["rv_review"].pk}


def _meeting(ctx):
    return {"pk": ctx["rv_meeting"].pk}


def _panel_entry(ctx):
    return {"pk": ctx["rv_panel_entry"].pk}


def _reassign(ctx):
    return {"reviewer": ctx["rv_free"].pk, "reason": "原专家出差"}


def _score(ctx):
    return {**VALUES, "comment": "事迹突出"}


def _panel(ctx):
    return {"people": [ctx["rv_seat"].pk], "chair": ctx["rv_seat"].pk}


def _vote(ctx):
    return {"member": ctx["rv_seat"].pk, "vote": "for"}


def _api_score(ctx):
    return {"values": VALUES, "comment": "好"}


P = ("province",)
# The officers below the province read the call (404 would hide a public call) but hold
# no right on it: 403. Member staff and volunteers have no review permission at all.
BELOW = {"city": 403, "county_a": 403, "county_b": 403}

ROWS = [
    Row("rv-assignment", "selections:call_assignment", kwargs=_call,
        expect=officers(200, **BELOW)),
    Row("rv-assignment-post", "selections:call_assignment", "post", kwargs=_call,
        expect=officers(302, **BELOW)),
    Row("rv-queue", "selections:review_queue", expect=officers(200)),
    Row("rv-score", "selections:review_score", kwargs=_review,
        expect=officers(200, city=404, county_a=404, county_b=404)),
    Row("rv-score-post", "selections:review_score", "post", kwargs=_review, data=_score,
        expect=officers(403, city=404, county_a=404, county_b=404)),
    Row("rv-reassign", "selections:review_reassign", kwargs=_review,
        expect=officers(200, city=404, county_a=404, county_b=404)),
    Row("rv-reassign-post", "selections:review_reassign", "post", kwargs=_review,
        data=_reassign, expect=officers(302, city=404, county_a=404, county_b=404),
        changes=P),
    Row("rv-ranking", "selections:call_ranking", kwargs=_call, expect=officers(200, **BELOW)),
    Row("rv-ranking-post", "selections:call_ranking", "post", kwargs=_call,
        expect=officers(302, **BELOW), changes=P),
    Row("rv-close", "selections:call_close_review", "post", kwargs=_call,
        expect=officers(302, **BELOW), changes=P),
    Row("rv-panel", "selections:call_panel", kwargs=_meeting, expect=officers(200, **BELOW)),
    Row("rv-panel-post", "selections:call_panel", "post", kwargs=_call, data=_panel,
        expect=officers(302, **BELOW), changes=P),
    Row("rv-vote", "selections:entry_vote", "post", kwargs=_panel_entry, data=_vote,
        expect=officers(302, **BELOW), changes=P),
    Row("api-rv-list", "api:selection-review-list", expect=officers(200, anonymous=401)),
    Row("api-rv-detail", "api:selection-review-detail", kwargs=_review,
        expect=officers(200, anonymous=401, city=404, county_a=404, county_b=404)),
    Row("api-rv-score", "api:selection-review-score", "post", kwargs=_review, data=_api_score,
        json=True, expect=officers(403, anonymous=401)),
]  # fmt: skip

_unused = statuses
