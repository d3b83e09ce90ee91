"""Authorization-matrix rows of the results area, and the builders of finished rounds its
tests share.

The contest is the province's (四川省, 51) with four participants (锦江区 = county A,
涪城区 = county B, and two more in Chengdu). Three of its rounds were taken by them:
`results_pub` (results published, its prize list a draft), `results_notice` (published,
its prize list in public notice with a pending objection and an upheld one, a
participation certificate issued) and `results_closed` (closed, not yet published; top 1
of each county advances). The province organizes; Chengdu and the counties read the
rounds (reach) but act on none; the public sees the leaderboards, prize lists and
certificate checks."""

from __future__ import annotations

import datetime

from kepu.contests import certificates
from kepu.contests import choices as c
from kepu.contests.models import ContestRound
from kepu.contests.services import paper as papers
from kepu.contests.services import prizes as prize_services
from kepu.contests.services import taking
from kepu.contests.tests import helpers as h
from kepu.core import clock
from kepu.core.testing import Row, officers, statuses

# (name, phone, county code, right answers, seconds used)
PEOPLE = [
    ("王小明", "13800000001", "510104", 8, 300),  # county A
    ("李红", "13800000002", "510703", 8, 200),  # county B: same score, faster
    ("张伟", "13800000003", "510105", 6, 100),  # 青羊区 (Chengdu)
    ("赵敏", "13800000004", "510104", 4, 400),  # county A
]


def take(round_, participant, right: int, seconds: int, *, at=None):
    """One whole attempt: `right` right answers (then wrong ones), submitted `seconds`
    after the start; answers 5 s apart (never flagged)."""
    start = at or clock.now()
    with clock.frozen(start):
        attempt, _new = taking.start(round_, participant)
    token = taking.attempt_token(attempt)
    paper = papers.paper(round_, attempt.seed)
    gap = max(3, seconds // (len(paper) + 1))
    for pos in range(1, len(paper) + 1):
        question, order = paper.at(pos)
        keys = [i for i, key in enumerate(order) if key in question.key]
        chosen = keys if pos <= right else [i for i in range(len(order)) if i not in keys][:1]
        with clock.frozen(start + datetime.timedelta(seconds=gap * pos)):
            taking.save_answers(token, round_, [(pos, question.item, chosen)])
    with clock.frozen(start + datetime.timedelta(seconds=seconds)):
        return taking.submit(token, round_)


def register(contest, name, phone, code):
    participant, _new = taking.register(
        contest, name=name, phone=phone, region=h.region(code), group="other", consent=True,
        unit="成都市实验中学",
    )  # fmt: skip
    return participant


def finished_round(contest, people, *, pool=None, status=c.RoundStatus.CLOSED, **over):
    """A round taken by `people` [(participant, right, seconds)], then closed (and
    published when `status` says so), as the officer area's close step leaves it."""
    round_ = h.open_round(contest, pool=pool, questions=10, **over)
    base = clock.now() - datetime.timedelta(minutes=50)
    for i, (participant, right, seconds) in enumerate(people):
        take(round_, participant, right, seconds, at=base + datetime.timedelta(minutes=i))
    ContestRound.objects.filter(pk=round_.pk).update(status=status)
    round_.refresh_from_db()
    return round_


def context(ctx):
    contest = h.contest(title="矩阵竞赛")
    pool = h.items(12, prefix="RX")
    people = [register(contest, n, p, code) for n, p, code, _r, _s in PEOPLE]
    taken = [(p, r, s) for p, (_n, _p, _c, r, s) in zip(people, PEOPLE, strict=True)]
    pub = finished_round(contest, taken, pool=pool, status=c.RoundStatus.PUBLISHED)
    prize_services.draft_prizes(pub, actor=None, counts={"first": 1, "second": 2}, organizers=1)
    notice = finished_round(contest, taken, pool=pool, status=c.RoundStatus.PUBLISHED)
    plist = prize_services.draft_prizes(
        notice, actor=None, counts={"first": 1, "second": 1, "third": 2}
    )
    prize_services.start_publicity(plist, actor=None)
    first, second = plist.prizes.order_by("rank")[:2]
    pending, _ = prize_services.file_objection(
        first, name="陈异议", phone="13900000001", text="该获奖者的成绩存在疑问，请核查答题记录。"
    )
    upheld, _ = prize_services.file_objection(
        second, name="陈异议", phone="13900000001", text="该获奖者并非本地居民，请核查报名信息。"
    )
    prize_services.answer_objection(upheld, actor=None, upheld=True, answer="经核查属实。")
    closed = finished_round(
        contest, taken, pool=pool, advancement=c.Advancement.TOP_N, advance_n=1,
        advance_level=3,
    )  # fmt: skip
    ctx["results_pub"], ctx["results_notice"], ctx["results_closed"] = pub, notice, closed
    ctx["results_prize"], ctx["results_withdrawable"] = first, second
    ctx["results_objection"] = pending
    ctx["results_certificate"] = certificates.issue(
        notice, people[0], c.CertificateKind.PARTICIPATION
    )
    ctx["results_draft"] = pub.prize_list


def _pk(key):
    return lambda ctx: {"pk": ctx[key].pk}


def _objection(ctx):
    return {
        "name": "矩阵异议人",
        "phone": "13700000009",
        "text": "矩阵：该获奖名单存在疑问请核查。",
    }


def _draft(ctx):
    return {"first": 1, "second": 1, "third": 1, "excellence": 0, "organizers": 1,
            "publicity_days": 5}  # fmt: skip


PUBLIC = statuses(200)
PROVINCE_POST = officers(403, province=302)

ROWS = [
    # public
    Row("results-leaderboard", "contests:leaderboard", kwargs=_pk("results_notice"),
        expect=PUBLIC),
    Row("results-leaderboard-closed", "contests:leaderboard", kwargs=_pk("results_closed"),
        expect=PUBLIC),
    Row("results-prizes", "contests:prizes_public", kwargs=_pk("results_notice"), expect=PUBLIC),
    Row("results-prizes-draft", "contests:prizes_public", kwargs=_pk("results_pub"),
        expect=statuses(404)),
    Row("results-objection", "contests:prize_objection",
        kwargs=lambda ctx: {"pk": ctx["results_notice"].pk, "prize_pk": ctx["results_prize"].pk},
        expect=PUBLIC),
    Row("results-objection-post", "contests:prize_objection", "post",
        kwargs=lambda ctx: {"pk": ctx["results_notice"].pk, "prize_pk": ctx["results_prize"].pk},
        data=_objection, expect=statuses(302),
        changes=tuple(statuses(0))),
    Row("results-certificate", "contests:certificate", kwargs=_pk("results_notice"),
        expect=statuses(404)),
    Row("results-verify", "contests:certificate_verify",
        kwargs=lambda ctx: {"code": ctx["results_certificate"].code}, expect=PUBLIC),
    Row("results-api-leaderboard", "api:contest-leaderboard", kwargs=_pk("results_notice"),
        expect=PUBLIC),
    # officers
    Row("results-rankings", "contests:round_rankings", kwargs=_pk("results_notice"),
        expect=officers(200)),
    Row("results-rankings-export", "contests:round_rankings_export",
        kwargs=_pk("results_notice"), expect=officers(200)),
    Row("results-report", "contests:round_report", kwargs=_pk("results_notice"),
        expect=officers(200)),
    Row("results-advance", "contests:round_advance", "post", kwargs=_pk("results_closed"),
        expect=PROVINCE_POST, changes=("province",)),
    Row("results-publish", "contests:round_publish", "post", kwargs=_pk("results_closed"),
        expect=PROVINCE_POST, changes=("province",)),
    Row("results-item-statistics", "contests:round_item_statistics", "post",
        kwargs=_pk("results_closed"), expect=PROVINCE_POST, changes=("province",)),
    Row("results-prize-list", "contests:prizelist_detail", kwargs=_pk("results_pub"),
        expect=officers(200)),
    Row("results-prize-list-draft", "contests:prizelist_detail", "post", kwargs=_pk("results_pub"),
        data=_draft, expect=PROVINCE_POST, changes=("province",)),
    Row("results-prize-list-publicize", "contests:prize_list_publicize", "post",
        kwargs=_pk("results_draft"), expect=PROVINCE_POST, changes=("province",)),
    # the notice runs until after today: refused with a message, nothing changes
    Row("results-prize-list-finalize", "contests:prize_list_finalize", "post",
        kwargs=lambda ctx: {"pk": ctx["results_notice"].prize_list.pk}, expect=PROVINCE_POST),
    Row("results-prize-withdraw", "contests:prize_withdraw", "post",
        kwargs=_pk("results_withdrawable"), expect=PROVINCE_POST, changes=("province",)),
    Row("results-objection-answer", "contests:objection_answer",
        kwargs=_pk("results_objection"), expect=officers(404, province=200)),
    Row("results-objection-answer-post", "contests:objection_answer", "post",
        kwargs=_pk("results_objection"), data=lambda ctx: {"upheld": "no", "answer": "无误。"},
        expect=officers(404, province=302), changes=("province",)),
    Row("results-prize-certificates", "contests:prize_certificates", "post",
        kwargs=_pk("results_notice"), expect=officers(403, province=302)),
]  # fmt: skip
