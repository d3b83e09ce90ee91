"""Authorization-matrix rows of the taking area.

The contest is the province's (四川省, 51), published, with an open round and its drawn
set; a draft contest beside it. The pages are public: every persona reads them alike
(200), a draft contest is missing for everyone (404). Nobody in the matrix holds a
participant or an attempt, so every step of taking part is refused with a message (a
redirect to where one registers or starts, or the JSON endpoint's 400) and changes
nothing."""

from kepu.contests import choices as c
from kepu.contests.tests import helpers as h
from kepu.core.testing import Row, statuses


def context(ctx):
    contest = h.contest(title="矩阵知识竞赛")
    ctx["taking_contest"] = contest
    ctx["taking_round"] = h.open_round(contest, questions=5, pool=h.items(6, prefix="MXT"))
    ctx["taking_draft"] = h.contest(title="矩阵草稿竞赛", status=c.ContestStatus.DRAFT)


def _contest(key="taking_contest"):
    return lambda ctx: {"pk": ctx[key].pk}


def _round(ctx):
    return {"pk": ctx["taking_round"].pk}


def _question(ctx):
    return {"pk": ctx["taking_round"].pk, "position": 1}


def _join_without_consent(ctx):
    return {"name": "矩阵参赛者", "phone": "13800009999", "group": "other",
            "region": str(h.region("510104").pk)}  # fmt: skip


def _answers(ctx):
    item = ctx["taking_round"].set_items.order_by("position").first().item_id
    return {"answers": [{"position": 1, "item": item, "choice": [0]}]}


PUBLIC = statuses(200)
REFUSED = statuses(302)  # to the page that says why, with the message

ROWS = [
    Row("taking-list", "contests:public_contest_list", expect=PUBLIC),
    Row("taking-contest", "contests:public_contest_detail", kwargs=_contest(), expect=PUBLIC),
    Row("taking-contest-draft", "contests:public_contest_detail", kwargs=_contest("taking_draft"),
        expect=statuses(404)),
    Row("taking-join", "contests:participant_join", kwargs=_contest(), expect=PUBLIC),
    Row("taking-join-post", "contests:participant_join", "post", kwargs=_contest(),
        data=_join_without_consent, expect=statuses(400)),
    Row("taking-round", "contests:public_round", kwargs=_round, expect=PUBLIC),
    Row("taking-start", "contests:attempt_start", "post", kwargs=_round, expect=REFUSED),
    Row("taking-question", "contests:attempt_question", kwargs=_question, expect=REFUSED),
    Row("taking-question-post", "contests:attempt_question", "post", kwargs=_question,
        data=lambda ctx: {"item": _answers(ctx)["answers"][0]["item"], "choice": "0"},
        expect=REFUSED),
    Row("taking-answers", "contests:attempt_answers", "post", kwargs=_round, data=_answers,
        json=True, expect=statuses(400)),
    Row("taking-summary", "contests:attempt_summary", kwargs=_round, expect=REFUSED),
    Row("taking-submit", "contests:attempt_submit", "post", kwargs=_round, expect=REFUSED),
    Row("taking-result", "contests:attempt_result", kwargs=_round, expect=REFUSED),
]  # fmt: skip
