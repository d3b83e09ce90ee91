"""Automatic balanced reviewer assignment (issue 24), pure: plain data in, plain data out,
no ORM, so the bench can time it on synthetic data.

`assign(entries, reviewers, k, conflicts=..., match=...)` gives each entry k distinct
reviewers such that

1. no conflicted (entry, reviewer) pair is ever assigned;
2. every reviewer's load is within ±1 of every other's (floor or ceil of total/reviewers);
3. the total expertise match is maximal under 1 and 2.

It is solved as a min-cost flow (OR-tools): source → entry (capacity k), entry → reviewer
(capacity 1, cost −match, only pairs without a conflict), reviewer → sink as two arcs
(capacity floor at a large negative cost, so every reviewer reaches the floor whenever
that is possible, and capacity 1 at cost 0 for the remainder, which makes the ceiling).
When the conflicts make the rules impossible, the result says which entries cannot be
filled and why (`unfilled`) and `ok` is False: the rule is never silently broken.

`round_robin(...)` is the naive baseline (cyclic, skipping conflicts), for comparison.
"""

from __future__ import annotations

import time
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

# Larger than any total of matches, so reaching every reviewer's floor comes first.
_FLOOR_BONUS = 1_000_000

# Why an entry is short (codes; the service words them).
TOO_FEW_FREE = "too_few_free"  # fewer reviewers without a conflict than k
BALANCE = "balance"  # the load rule and the conflicts cannot both hold


@dataclass
class Assignment:
    """The result: `by_entry` {entry: [reviewers]}, `loads` {reviewer: n}, `unfilled`
    [{"entry", "assigned", "needed", "free", "why"}], and the figures of the run."""

    k: int
    by_entry: dict = field(default_factory=dict)
    loads: dict = field(default_factory=dict)
    unfilled: list = field(default_factory=list)
    floor: int = 0
    ceil: int = 0
    total_match: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.unfilled and self.spread() <= 1

    def pairs(self) -> list[tuple]:
        return [(e, r) for e, rs in self.by_entry.items() for r in rs]

    def spread(self) -> int:
        if not self.loads:
            return 0
        return max(self.loads.values()) - min(self.loads.values())


def expertise(entry: Mapping, reviewer: Mapping) -> tuple[int, list[tuple[str, str]]]:
    """Match points of a reviewer for an entry and why: the same discipline (2 points),
    the entry's topic among the reviewer's topics (1), a word of the entry's keywords in
    the reviewer's specialties (1). `entry`: {"discipline", "topic", "keywords"};
    `reviewer`: {"discipline", "topics", "specialties"}. Returns (points, [(kind, what)])."""
    points, why = 0, []
    discipline = entry.get("discipline")
    if discipline and discipline == reviewer.get("discipline"):
        points += 2
        why.append(("discipline", discipline))
    topic = entry.get("topic")
    if topic and topic in (reviewer.get("topics") or ()):
        points += 1
        why.append(("topic", topic))
    specialties = reviewer.get("specialties") or ""
    for word in entry.get("keywords") or ():
        if word and word in specialties:
            points += 1
            why.append(("specialty", word))
            break
    return points, why


def _index(items: Sequence[Hashable]) -> dict:
    index = {item: i for i, item in enumerate(items)}
    if len(index) != len(items):
        raise ValueError("duplicate ids")
    return index


def _matrices(entries, reviewers, conflicts, match):
    import numpy as np

    ei, ri = _index(entries), _index(reviewers)
    blocked = np.zeros((len(entries), len(reviewers)), dtype=bool)
    rows = [(ei[e], ri[r]) for e, r in conflicts if e in ei and r in ri]
    if rows:
        at = np.array(rows, dtype=np.int64)
        blocked[at[:, 0], at[:, 1]] = True
    points = np.zeros((len(entries), len(reviewers)), dtype=np.int64)
    rows = [(ei[e], ri[r], p) for (e, r), p in (match or {}).items() if e in ei and r in ri]
    if rows:
        at = np.array(rows, dtype=np.int64)
        points[at[:, 0], at[:, 1]] = at[:, 2]
    return blocked, points


def assign(
    entries: Sequence[Hashable],
    reviewers: Sequence[Hashable],
    k: int,
    *,
    conflicts: Iterable[tuple] = (),
    match: Mapping | None = None,
) -> Assignment:
    """Each entry gets k distinct reviewers, loads within ±1, no conflicted pair, the
    total match maximal. `conflicts`: (entry, reviewer) pairs; `match`: {(entry,
    reviewer): points} (missing pairs score 0)."""
    import numpy as np
    from ortools.graph.python import min_cost_flow

    started = time.perf_counter()
    result = Assignment(k=k)
    n_e, n_r = len(entries), len(reviewers)
    if n_e == 0:
        result.seconds = time.perf_counter() - started
        return result
    if n_r == 0 or k < 1:
        result.unfilled = [
            {"entry": e, "assigned": 0, "needed": k, "free": 0, "why": TOO_FEW_FREE}
            for e in entries
        ]
        return result
    blocked, points = _matrices(entries, reviewers, conflicts, match)
    free = n_r - blocked.sum(axis=1)  # reviewers without a conflict, per entry
    need = np.minimum(free, k)
    total = int(need.sum())
    floor, extra = divmod(total, n_r)
    result.floor, result.ceil = floor, floor + (1 if extra else 0)

    # Nodes: 0 source, 1..E entries, E+1..E+R reviewers, E+R+1 sink.
    source, sink = 0, n_e + n_r + 1
    e_nodes = np.arange(1, n_e + 1, dtype=np.int32)
    r_nodes = np.arange(n_e + 1, n_e + n_r + 1, dtype=np.int32)
    ok_e, ok_r = np.nonzero(~blocked)
    tails = [np.zeros(n_e, np.int32), e_nodes[ok_e]]
    heads = [e_nodes, r_nodes[ok_r]]
    caps = [need.astype(np.int64), np.ones(len(ok_e), np.int64)]
    costs = [np.zeros(n_e, np.int64), -points[ok_e, ok_r]]
    if floor:
        tails.append(r_nodes)
        heads.append(np.full(n_r, sink, np.int32))
        caps.append(np.full(n_r, floor, np.int64))
        costs.append(np.full(n_r, -_FLOOR_BONUS, np.int64))
    if extra:
        tails.append(r_nodes)
        heads.append(np.full(n_r, sink, np.int32))
        caps.append(np.ones(n_r, np.int64))
        costs.append(np.zeros(n_r, np.int64))
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate(tails), np.concatenate(heads), np.concatenate(caps), np.concatenate(costs)
    )
    flow.set_node_supply(source, total)
    flow.set_node_supply(sink, -total)
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:  # pragma: no cover - the graph is always well formed
        raise RuntimeError(f"min cost flow: status {status}")
    pair_arcs = arcs[n_e : n_e + len(ok_e)]
    used = flow.flows(pair_arcs) > 0
    chosen_e, chosen_r = ok_e[used], ok_r[used]

    by_entry = {e: [] for e in entries}
    loads = dict.fromkeys(reviewers, 0)
    for ie, ir in zip(chosen_e.tolist(), chosen_r.tolist(), strict=True):
        by_entry[entries[ie]].append(reviewers[ir])
        loads[reviewers[ir]] += 1
    result.by_entry, result.loads = by_entry, loads
    result.total_match = int(points[chosen_e, chosen_r].sum())
    for ie, e in enumerate(entries):
        got = len(by_entry[e])
        if got < k:
            why = TOO_FEW_FREE if free[ie] < k else BALANCE
            result.unfilled.append(
                {"entry": e, "assigned": got, "needed": k, "free": int(free[ie]), "why": why}
            )
    if not result.unfilled and result.spread() > 1:
        # Every entry is full but some reviewer stayed under the floor: the conflicts
        # leave no balanced way; say so on the entries of the idle reviewers' conflicts.
        low = {r for r, n in loads.items() if n < floor}
        for ie, e in enumerate(entries):
            if any(blocked[ie, reviewers.index(r)] for r in low):
                result.unfilled.append(
                    {"entry": e, "assigned": k, "needed": k, "free": int(free[ie]), "why": BALANCE}
                )
                break
    result.seconds = time.perf_counter() - started
    return result


def round_robin(
    entries: Sequence[Hashable],
    reviewers: Sequence[Hashable],
    k: int,
    *,
    conflicts: Iterable[tuple] = (),
    match: Mapping | None = None,
) -> Assignment:
    """The naive baseline: reviewers taken in turn, skipping a conflicted one (no
    expertise, no balance guarantee beyond what the turn gives)."""
    started = time.perf_counter()
    blocked = set(conflicts)
    result = Assignment(k=k, loads=dict.fromkeys(reviewers, 0))
    n_r, turn = len(reviewers), 0
    for e in entries:
        chosen = []
        for step in range(n_r):
            r = reviewers[(turn + step) % n_r]
            if (e, r) not in blocked:
                chosen.append(r)
                if len(chosen) == k:
                    turn = (turn + step + 1) % n_r
                    break
        else:
            turn = (turn + k) % max(n_r, 1)
        result.by_entry[e] = chosen
        for r in chosen:
            result.loads[r] += 1
        if len(chosen) < k:
            result.unfilled.append(
                {"entry": e, "assigned": len(chosen), "needed": k, "free": len(chosen),
                 "why": TOO_FEW_FREE}
            )  # fmt: skip
    result.total_match = sum(
        (match or {}).get((e, r), 0) for e, rs in result.by_entry.items() for r in rs
    )
    result.seconds = time.perf_counter() - started
    return result


def match_share(result: Assignment, match: Mapping | None) -> float:
    """The share of assigned pairs whose reviewer matches the entry at all (discipline,
    topic or specialty), 0–1."""
    pairs = result.pairs()
    if not pairs:
        return 0.0
    match = match or {}
    return sum(1 for p in pairs if match.get(p, 0) > 0) / len(pairs)


def summary(
    result: Assignment, *, conflicts: Iterable[tuple] = (), match=None, baseline=None
) -> dict:
    """The figures shown on the assignment page and stored on the call (JSON-able)."""
    blocked = set(conflicts)
    loads = list(result.loads.values())
    out = {
        "k": result.k,
        "entries": len(result.by_entry),
        "reviewers": len(result.loads),
        "assigned": sum(loads),
        "load_min": min(loads) if loads else 0,
        "load_max": max(loads) if loads else 0,
        "floor": result.floor,
        "ceil": result.ceil,
        "conflicts_in_result": sum(1 for p in result.pairs() if p in blocked),
        "match_share": round(match_share(result, match), 4),
        "total_match": result.total_match,
        "unfilled": [
            {key: (str(v) if key == "entry" else v) for key, v in row.items()}
            for row in result.unfilled
        ],
        "seconds": round(result.seconds, 4),
    }
    if baseline is not None:
        base_loads = list(baseline.loads.values()) or [0]
        out["baseline_match_share"] = round(match_share(baseline, match), 4)
        out["baseline_load_min"], out["baseline_load_max"] = min(base_loads), max(base_loads)
    return out
