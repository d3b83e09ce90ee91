"""The reviewer assignment and the severity ranking of selections (issue 24: "assignment
of 2,000 entries × 300 reviewers × 5 reviews each ≤ 5 s, with 0 conflicts, load spread
≤ 1, and expertise-match share reported beside a naive round-robin baseline in the same
run; ranking with severity correction of 10,000 scores ≤ 1 s").

In-process and synthetic (no database): `kepu.selections.assignment` and
`kepu.selections.severity` are pure modules. The synthetic call is seeded (the same every
run): 2,000 entries over 30 disciplines (skewed: a few disciplines hold most entries, as
science popularization does) and 12 topics, 300 reviewers with a discipline and 1–3
topics, 400 units and 25 cities; a conflict where the reviewer works at the entry's unit
or lives in its city, plus declared relationships on 0.5% of the pairs (about 5% of all
pairs in conflict). The match points are `assignment.expertise` (discipline 2, topic 1). The ranking
scores: every assigned pair scored as ability − severity + noise, with a lenient and a
severe tail of reviewers, ranked by the additive rater-severity model (the heaviest
method; the z-score correction is timed too).

    python bench/selections_assignment.py     # prints the JSON
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENTRIES, REVIEWERS, K, SCORES = 2_000, 300, 5, 10_000
# Reviewers and entries spread over 25 places (the avoided "same region" of a provincial
# call is a city): with the same unit and the declared relationships about 5% of pairs.
COUNTIES = 25
SEED = 2024


def synthetic(seed: int = SEED, entries: int = ENTRIES, reviewers: int = REVIEWERS):
    from kepu.selections import assignment

    rng = random.Random(seed)
    weights = [1 / (i + 1) for i in range(30)]  # a few big disciplines, a long tail
    e_ids, r_ids = list(range(1, entries + 1)), list(range(1, reviewers + 1))
    e = {
        i: {
            "discipline": str(rng.choices(range(30), weights)[0]),
            "topic": str(rng.randrange(12)),
            "unit": rng.randrange(400),
            "county": rng.randrange(COUNTIES),
        }
        for i in e_ids
    }
    r = {
        i: {
            "discipline": str(rng.choices(range(30), weights)[0]),
            "topics": {str(rng.randrange(12)) for _ in range(rng.randint(1, 3))},
            "unit": rng.randrange(400),
            "county": rng.randrange(COUNTIES),
        }
        for i in r_ids
    }
    conflicts, match = set(), {}
    declared = {(rng.choice(e_ids), rng.choice(r_ids)) for _ in range(entries * reviewers // 200)}
    for a in e_ids:
        ea = e[a]
        for b in r_ids:
            rb = r[b]
            if ea["unit"] == rb["unit"] or ea["county"] == rb["county"] or (a, b) in declared:
                conflicts.add((a, b))
                continue
            points, _why = assignment.expertise(ea, rb)
            if points:
                match[(a, b)] = points
    return e_ids, r_ids, conflicts, match


def measure_assignment(entries: int = ENTRIES, reviewers: int = REVIEWERS) -> dict:
    from kepu.selections import assignment

    e_ids, r_ids, conflicts, match = synthetic(entries=entries, reviewers=reviewers)
    pairs = len(e_ids) * len(r_ids)
    started = time.perf_counter()
    result = assignment.assign(e_ids, r_ids, K, conflicts=conflicts, match=match)
    seconds = time.perf_counter() - started
    baseline = assignment.round_robin(e_ids, r_ids, K, conflicts=conflicts, match=match)
    summary = assignment.summary(result, conflicts=conflicts, match=match, baseline=baseline)
    return {
        "entries": len(e_ids),
        "reviewers": len(r_ids),
        "k": K,
        "conflict_share": round(len(conflicts) / pairs, 4),
        "assign_seconds": round(seconds, 3),
        "assigned": summary["assigned"],
        "unfilled": len(result.unfilled),
        "conflicts_in_result": summary["conflicts_in_result"],
        "load_min": summary["load_min"],
        "load_max": summary["load_max"],
        "load_spread": summary["load_max"] - summary["load_min"],
        "match_share": summary["match_share"],
        "baseline_match_share": summary["baseline_match_share"],
        "baseline_load_spread": summary["baseline_load_max"] - summary["baseline_load_min"],
        "baseline_conflicts": sum(1 for p in baseline.pairs() if p in conflicts),
        "total_match": result.total_match,
        "baseline_total_match": baseline.total_match,
    }


def measure_ranking(scores: int = SCORES, seed: int = SEED) -> dict:
    from kepu.selections import severity

    rng = random.Random(seed)
    n_entries = scores // K
    ability = {i: rng.gauss(75, 8) for i in range(n_entries)}
    harsh = {j: rng.gauss(0, 4) for j in range(REVIEWERS)}
    for j in range(10):  # a lenient and a severe tail
        harsh[j] = -12.0 if j % 2 else 12.0
    triples = []
    for i in range(n_entries):
        for j in rng.sample(range(REVIEWERS), K):
            total = ability[i] - harsh[j] + rng.gauss(0, 3)
            triples.append((i, j, round(max(0.0, min(100.0, total)), 2)))
    started = time.perf_counter()
    ranked = severity.rank(triples, method=severity.FACETS, min_reviews=3)
    facets = time.perf_counter() - started
    started = time.perf_counter()
    severity.rank(triples, method=severity.ZSCORE, min_reviews=3)
    z = time.perf_counter() - started
    moved = sum(1 for row in ranked.entries if row.moved)
    return {
        "scores": len(triples),
        "rank_seconds": round(facets, 3),
        "rank_z_seconds": round(z, 3),
        "rounds": ranked.rounds,
        "entries_moved": moved,
    }


def measure() -> dict:
    return {**measure_assignment(), **measure_ranking()}


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    json.dump(measure(), sys.stdout, indent=1)
    print()
