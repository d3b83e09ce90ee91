"""Rankings, the live leaderboard, advancement and publication (services and pages)."""

import datetime

import pytest
from django.test import Client

from kepu.contests import choices as c
from kepu.contests.models import ContestRound, Standing
from kepu.contests.services import advancement, rankings, reports, taking
from kepu.contests.services.rankings import RegionRow, organizer_ranks
from kepu.contests.tests import helpers as h
from kepu.contests.tests.authz_results import finished_round, register, take
from kepu.contests.views.taking_common import participant_cookie
from kepu.core import clock, publiccache
from kepu.core.errors import DomainError, StateConflict
from kepu.core.models import Region, User

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _en(client):
    """Signed-in pages follow the language cookie (the account's choice)."""
    client.cookies["django_language"] = "en"
    return client


def _people(contest, rows):
    """[(participant, right, seconds)] for rows (name, phone, county, right, seconds)."""
    return [(register(contest, n, p, code), r, s) for n, p, code, r, s in rows]


def _open_round(contest, *, prefix="", **over):
    pool = h.items(12, prefix=f"T{contest.pk}{prefix}")
    return h.open_round(contest, pool=pool, questions=10, **over)


def test_persons_rank_by_score_then_time_then_submission():
    contest = h.contest()
    round_ = _open_round(contest)
    base = clock.now() - datetime.timedelta(minutes=30)
    a, b, d, e = _people(contest, [
        ("甲", "13800000011", "510104", 8, 300), ("乙", "13800000012", "510104", 8, 200),
        ("丙", "13800000013", "510703", 8, 200), ("丁", "13800000014", "510105", 9, 500),
    ])  # fmt: skip
    # 丙 submits after 乙 with the same score and time: 乙 is ranked first.
    for i, (p, right, seconds) in enumerate([a, b, d, e]):
        take(round_, p, right, seconds, at=base + datetime.timedelta(minutes=i))
    order = [s.participant.name for s in rankings.persons(round_)]
    assert order == ["丁", "乙", "丙", "甲"]
    ranks = {s.participant.name: rankings.rank_of(s) for s in Standing.objects.filter(round=round_)}
    assert ranks == {"丁": 1, "乙": 2, "丙": 3, "甲": 4}
    assert rankings.my_rank(round_, b[0])["rank"] == 2


def test_region_tables_with_and_without_population():
    contest = h.contest()
    round_ = _open_round(contest, attempts_allowed=2)
    people = _people(contest, [
        ("甲", "13800000021", "510104", 8, 300), ("乙", "13800000022", "510104", 6, 200),
        ("丙", "13800000023", "510703", 4, 200),
    ])  # fmt: skip
    for p, right, seconds in people:
        take(round_, p, right, seconds)
    take(round_, people[0][0], 5, 100)  # a second attempt: 人次 3 in 锦江区
    Region.objects.filter(code="510104").update(population=500_000)
    Region.objects.filter(code="510703").update(population=None)
    counties = {r.code: r for r in rankings.region_table(round_, 3)}
    jinjiang, fucheng = counties["510104"], counties["510703"]
    assert (jinjiang.headcount, jinjiang.attempts, jinjiang.average) == (2, 3, 70.0)
    assert jinjiang.per_10k == 0.04 and fucheng.per_10k is None
    cities = {r.code: r for r in rankings.region_table(round_, 2)}
    assert cities["5101"].headcount == 2 and cities["5107"].headcount == 1
    assert jinjiang.organizer_rank == 1 and fucheng.organizer_rank == 2
    client = _en(Client())
    page = client.get(f"/contests/rounds/{round_.pk}/leaderboard/?tab=counties", **EN)
    assert page.status_code == 200
    assert "no population" in page.content.decode() and "锦江区" in page.content.decode()


def test_the_shanxi_organizer_score_breaks_ties_by_headcount():
    rows = [
        RegionRow(1, "a", "甲市", headcount=100, attempts=300),
        RegionRow(2, "b", "乙市", headcount=120, attempts=200),
        RegionRow(3, "c", "丙市", headcount=80, attempts=400),
        RegionRow(4, "d", "丁市", headcount=10, attempts=10),
    ]
    organizer_ranks(rows)
    got = {
        r.name: (r.rank_people, r.rank_attempts, r.organizer_score, r.organizer_rank) for r in rows
    }
    # 甲 2+2=4, 乙 1+3=4 (wins the tie on 人数), 丙 3+1=4 (third), 丁 4+4=8.
    assert got == {"甲市": (2, 2, 4, 2), "乙市": (1, 3, 4, 1), "丙市": (3, 1, 4, 3),
                   "丁市": (4, 4, 8, 4)}  # fmt: skip


def test_the_leaderboard_is_served_from_the_cache_and_refreshed(settings, monkeypatch):
    settings.KEPU_PUBLIC_CACHE_SYNC = True
    contest = h.contest()
    round_ = _open_round(contest)
    first = _people(contest, [("王小明", "13800000031", "510104", 8, 300)])[0]
    take(round_, *first)
    client = _en(Client())
    url = f"/contests/rounds/{round_.pk}/leaderboard/"
    page = client.get(url, **EN).content.decode()
    assert "王*" in page and "王小明" not in page and "13800000031" not in page
    late = _people(contest, [("李红", "13800000032", "510703", 9, 100)])[0]
    take(round_, *late)
    assert "李*" not in client.get(url, **EN).content.decode()  # still the stored value
    later = publiccache.time.time() + rankings.LIVE_SECONDS + 1
    monkeypatch.setattr(publiccache.time, "time", lambda: later)
    client.get(url, **EN)  # stale: served once more while it is made again
    page = client.get(url, **EN).content.decode()
    assert "李*" in page and page.index("李*") < page.index("王*")


def test_my_rank_comes_from_the_participant_cookie():
    contest = h.contest()
    round_ = _open_round(contest)
    people = _people(contest, [
        ("甲", "13800000041", "510104", 9, 300), ("乙", "13800000042", "510104", 6, 200),
    ])  # fmt: skip
    for p in people:
        take(round_, *p)
    client = _en(Client())
    client.cookies[participant_cookie(round_.contest_id)] = taking.participant_token(people[1][0])
    page = client.get(f"/contests/rounds/{round_.pk}/leaderboard/", **EN).content.decode()
    assert "My rank" in page and "No. 2" in page
    client.cookies[participant_cookie(round_.contest_id)] = "forged"
    assert (
        "My rank"
        not in client.get(f"/contests/rounds/{round_.pk}/leaderboard/", **EN).content.decode()
    )


def test_a_draft_round_has_no_leaderboard():
    round_ = _open_round(h.contest(), status=c.RoundStatus.READY)
    assert Client().get(f"/contests/rounds/{round_.pk}/leaderboard/").status_code == 404


# --- advancement ------------------------------------------------------------------------


def _advancing(rule, **over):
    contest = h.contest()
    people = _people(contest, [
        ("甲", "13800000051", "510104", 8, 300),  # 锦江区, tie on score with 乙, slower
        ("乙", "13800000052", "510104", 8, 200),
        ("丙", "13800000053", "510703", 5, 200),  # 涪城区
        ("丁", "13800000054", "510105", 9, 100),  # 青羊区
    ])  # fmt: skip
    round_ = finished_round(
        contest, people, pool=h.items(12, prefix=f"A{contest.pk}"), advancement=rule, **over
    )
    return round_, {p.name: p for p, _r, _s in people}


def _advanced(round_):
    return sorted(Standing.objects.filter(round=round_, advanced=True)
                  .values_list("participant__name", flat=True))  # fmt: skip


def test_top_n_per_county_with_a_tie_at_the_cut():
    round_, _people_ = _advancing(c.Advancement.TOP_N, advance_n=1, advance_level=3)
    result = advancement.advance(round_, actor=None)
    assert _advanced(round_) == ["丁", "丙", "乙"]  # 乙 beats 甲 on time
    assert result == {"advanced": 3, "regions": {"涪城区": 1, "锦江区": 1, "青羊区": 1}}
    ContestRound.objects.filter(pk=round_.pk).update(advance_level=2)
    round_.refresh_from_db()
    assert advancement.advance(round_, actor=None)["regions"] == {"成都市": 1, "绵阳市": 1}
    assert _advanced(round_) == ["丁", "丙"]  # the earlier decision is replaced


def test_score_at_least_x_and_top_n_overall():
    round_, _ = _advancing(c.Advancement.MIN_SCORE, advance_score=80)
    advancement.advance(round_, actor=None)
    assert _advanced(round_) == ["丁", "乙", "甲"]
    ContestRound.objects.filter(pk=round_.pk).update(advancement=c.Advancement.TOP_N_OVERALL,
                                                     advance_n=2)  # fmt: skip
    round_.refresh_from_db()
    advancement.advance(round_, actor=None)
    assert _advanced(round_) == ["丁", "乙"]


def test_advancement_is_refused_before_the_round_closes():
    contest = h.contest()
    round_ = _open_round(contest, advancement=c.Advancement.TOP_N, advance_n=3)
    with pytest.raises(StateConflict, match="after the round closes"):
        advancement.advance(round_, actor=None)


def test_advancement_page_applies_the_rule(as_persona):
    round_, _ = _advancing(c.Advancement.TOP_N_OVERALL, advance_n=2)
    client = _en(as_persona("province"))
    page = client.get(f"/contests/rounds/{round_.pk}/rankings/", **EN)
    assert page.status_code == 200 and "Apply the advancement rule" in page.content.decode()
    response = client.post(f"/contests/rounds/{round_.pk}/advance/", follow=True, **EN)
    assert "2 participants advance to the next round." in response.content.decode()
    assert _advanced(round_) == ["丁", "乙"]


# --- publication (four-eyes) -------------------------------------------------------------


def test_the_officer_who_closed_the_round_does_not_publish_it(as_persona):
    round_, _ = _advancing(c.Advancement.NONE)
    province = User.objects.get(username="demo-province")
    ContestRound.objects.filter(pk=round_.pk).update(closed_by=province)
    round_.refresh_from_db()
    with pytest.raises(DomainError, match="another officer must approve"):
        advancement.publish_results(round_, actor=province)
    client = _en(as_persona("province"))
    page = client.get(f"/contests/rounds/{round_.pk}/rankings/", **EN).content.decode()
    assert "Publish the results" not in page and "another officer must approve" in page
    response = client.post(f"/contests/rounds/{round_.pk}/publish/", **EN)
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.status == c.RoundStatus.CLOSED
    ContestRound.objects.filter(pk=round_.pk).update(closed_by=None)
    response = client.post(f"/contests/rounds/{round_.pk}/publish/", follow=True, **EN)
    assert "The results of the round are published." in response.content.decode()
    round_.refresh_from_db()
    assert round_.status == c.RoundStatus.PUBLISHED and round_.published_by == province
    with pytest.raises(StateConflict, match="already been published"):
        advancement.publish_results(round_, actor=None)


def test_a_county_officer_reads_the_report_of_their_own_county(as_persona):
    round_, _ = _advancing(c.Advancement.NONE)
    page = as_persona("county_a").get(f"/contests/rounds/{round_.pk}/report/", **EN)
    assert page.status_code == 200
    assert page.context["figures"]["headcount"] == 2  # 甲 and 乙 of 锦江区
    assert [r["name"] for r in page.context["figures"]["regions"]] == ["锦江区"]
    whole = as_persona("province").get(f"/contests/rounds/{round_.pk}/report/", **EN)
    assert whole.context["figures"]["headcount"] == 4
    assert sum(b["n"] for b in whole.context["figures"]["histogram"]) == 4
    assert sum(h_["n"] for h_ in whole.context["figures"]["hours"]) == 4
    ranking = as_persona("county_a").get(f"/contests/rounds/{round_.pk}/rankings/", **EN)
    assert [s.participant.name for s in ranking.context["page"]] == ["乙", "甲"]


def test_item_statistics_are_written_to_the_round_and_the_bank():
    round_, _ = _advancing(c.Advancement.NONE)
    stats = reports.write_item_statistics(round_, actor=None)
    answered = [s for s in stats if s["answered"]]
    assert sum(s["answered"] for s in stats) == 4 * 10  # 10 of the 12 questions per paper
    from kepu.literacy.models import Item

    for s in answered:
        row = round_.set_items.get(item_id=s["item"])
        item = Item.objects.get(pk=s["item"])
        assert (row.answered, row.correct) == (s["answered"], s["correct"])
        assert item.stats_n == s["answered"]
        assert item.p_value == pytest.approx(s["correct"] / s["answered"], abs=1e-4)
        assert item.stats_at is not None
    assert sum(s["correct"] for s in stats) == 8 + 8 + 5 + 9
    ContestRound.objects.filter(pk=round_.pk).update(status=c.RoundStatus.OPEN)
    round_.refresh_from_db()
    with pytest.raises(StateConflict):
        reports.write_item_statistics(round_, actor=None)


def test_the_leaderboard_api_is_public_and_masked():
    contest = h.contest()
    round_ = _open_round(contest)
    take(round_, *_people(contest, [("王小明", "13800000071", "510104", 8, 300)])[0])
    response = Client().get(f"/api/v1/contests/rounds/{round_.pk}/leaderboard/")
    assert response.status_code == 200
    body = response.json()
    assert body["headcount"] == 1 and body["top"][0]["name"] == "王*"
    assert (
        body["counties"][0]["name"] == "锦江区" and "13800000071" not in response.content.decode()
    )
    draft = _open_round(contest, prefix="D", status=c.RoundStatus.DRAFT)
    assert Client().get(f"/api/v1/contests/rounds/{draft.pk}/leaderboard/").status_code == 404


def test_the_ranking_export_is_scoped_and_masked(as_persona):
    round_, _ = _advancing(c.Advancement.NONE)
    response = as_persona("county_a").get(f"/contests/rounds/{round_.pk}/rankings/export/")
    assert response.status_code == 200
    from kepu.core.excel import sheet_rows

    data = b"".join(response.streaming_content)
    rows = [cells for _n, cells in sheet_rows(data)][1:]
    assert [r[1] for r in rows] == ["乙", "甲"] and rows[0][2] == "138****0052"
    bad = as_persona("county_a").get(f"/contests/rounds/{round_.pk}/rankings/export/?region=x")
    assert bad.status_code == 200


def test_the_schedule_writes_the_statistics_of_closed_rounds_once():
    from kepu.contests.jobs import ITEM_STATISTICS_DUE
    from kepu.core import jobs
    from kepu.core.models import Job

    round_, _ = _advancing(c.Advancement.NONE)
    assert list(reports.rounds_without_statistics()) == [round_]
    jobs.start(ITEM_STATISTICS_DUE)
    job = Job.objects.get(kind=ITEM_STATISTICS_DUE)
    assert job.status == "succeeded" and job.result == {"rounds": 1}, job.error
    assert round_.set_items.filter(answered__gt=0).exists()
    assert list(reports.rounds_without_statistics()) == []
