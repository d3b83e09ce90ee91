"""The pure solvers of the review: the balanced assignment and the severity ranking."""

import random

import pytest

from kepu.selections import assignment, severity


def _case(n_e=40, n_r=12, seed=3):
    rng = random.Random(seed)
    entries = list(range(n_e))
    reviewers = [f"r{i}" for i in range(n_r)]
    e = {x: {"discipline": str(rng.randrange(4)), "topic": str(rng.randrange(5))} for x in entries}
    r = {
        x: {"discipline": str(rng.randrange(4)), "topics": {str(rng.randrange(5))}}
        for x in reviewers
    }
    conflicts = {(a, b) for a in entries for b in reviewers if rng.random() < 0.1}
    match = {}
    for a in entries:
        for b in reviewers:
            points, _why = assignment.expertise(e[a], r[b])
            if points:
                match[(a, b)] = points
    return entries, reviewers, conflicts, match


def test_assign_keeps_the_three_guarantees_and_beats_the_baseline():
    entries, reviewers, conflicts, match = _case()
    result = assignment.assign(entries, reviewers, 3, conflicts=conflicts, match=match)
    assert result.ok and not result.unfilled
    assert all(len(set(rs)) == 3 for rs in result.by_entry.values())
    assert not set(result.pairs()) & conflicts
    assert (result.floor, result.ceil) == (10, 10)
    assert set(result.loads.values()) == {10}
    baseline = assignment.round_robin(entries, reviewers, 3, conflicts=conflicts, match=match)
    assert not set(baseline.pairs()) & conflicts
    assert result.total_match >= baseline.total_match
    summary = assignment.summary(result, conflicts=conflicts, match=match, baseline=baseline)
    assert summary["conflicts_in_result"] == 0
    assert summary["match_share"] >= summary["baseline_match_share"]


def test_assign_is_optimal_on_a_small_case():
    # Two entries, two reviewers, one each: the matching reviewers win.
    result = assignment.assign(
        ["a", "b"], ["x", "y"], 1, match={("a", "y"): 2, ("b", "x"): 1, ("a", "x"): 1}
    )
    assert result.by_entry == {"a": ["y"], "b": ["x"]}
    assert result.total_match == 3


def test_an_infeasible_case_says_which_entry_and_why():
    # Entry 0 conflicts with every reviewer but one: it cannot get 2 reviewers.
    conflicts = {(0, "r1"), (0, "r2")}
    result = assignment.assign([0, 1, 2], ["r0", "r1", "r2"], 2, conflicts=conflicts)
    assert not result.ok
    assert result.unfilled == [
        {"entry": 0, "assigned": 1, "needed": 2, "free": 1, "why": assignment.TOO_FEW_FREE}
    ]
    assert not set(result.pairs()) & conflicts


def test_severity_correction_ranks_out_the_lenient_reviewer():
    # A and B are alike; the lenient reviewer scored only A, the severe one only B.
    scores = [
        ("A", "r1", 80), ("A", "r2", 80), ("A", "lenient", 98),
        ("B", "r1", 82), ("B", "r2", 82), ("B", "severe", 64),
        ("C", "r1", 70), ("C", "r2", 70), ("C", "lenient", 90), ("C", "severe", 55),
        ("D", "r1", 90),
    ]  # fmt: skip
    ranking = severity.rank(scores, method=severity.FACETS, min_reviews=2)
    rows = {r.entry: r for r in ranking.entries}
    assert rows["A"].raw_rank == 1 and rows["B"].raw_rank == 2
    assert rows["B"].corrected_rank == 1 and rows["A"].corrected_rank == 2
    assert rows["D"].ranked is False and rows["D"].corrected_rank is None
    severities = {r.reviewer: r.severity for r in ranking.reviewers}
    assert severities["severe"] > 0 > severities["lenient"]
    assert sum(severities.values()) == pytest.approx(0, abs=1e-6)
    z = severity.rank(scores, method=severity.ZSCORE, min_reviews=2)
    assert [r.entry for r in z.entries][-1] == "D"


def test_ties_are_flagged_and_broken_by_the_raw_mean_then_reviews():
    scores = [("A", "r1", 80), ("B", "r1", 80), ("B", "r2", 80), ("A", "r2", 80)]
    ranking = severity.rank(scores, method=severity.NONE, min_reviews=1)
    assert [(r.entry, r.tie, r.corrected_rank) for r in ranking.entries] == [
        ("A", True, 1),
        ("B", True, 2),
    ]


def test_a_reviewer_with_one_score_is_taken_at_face_value():
    """Their severity cannot be estimated: the score is standardized against all scores,
    so a high single score still ranks high (it used to count as z = 0, the mean)."""
    ranking = severity.rank([("A", "solo", 99), ("B", "r", 60), ("B", "r2", 70)])
    rows = {r.entry: r for r in ranking.entries}
    mean, sd = ranking.overall_mean, ranking.overall_sd
    assert rows["A"].z_score == pytest.approx(mean + (99 - mean) / sd * sd)
    assert rows["A"].corrected_rank == 1


def test_the_bench_runs_on_a_small_synthetic_call_and_its_goal_is_checked():
    from bench.report import _selections_goals
    from bench.selections_assignment import measure_assignment, measure_ranking

    result = {**measure_assignment(entries=60, reviewers=15), **measure_ranking(scores=500)}
    assert result["conflicts_in_result"] == 0 and result["load_spread"] <= 1
    assert result["unfilled"] == 0 and result["match_share"] >= result["baseline_match_share"]
    goals = _selections_goals({"selections_assignment": result})
    assert [g["met"] for g in goals] == [True, True]
    assert [g["met"] for g in _selections_goals({})] == [None, None]
