"""The benchmark report's pure functions (bench/report.py): goals, the wording of a
missed goal, the submission count check and the README section. No timing here: the
figures are made up."""

import pytest

from bench import report


def load(p95: float, *, errors: int = 0, rps: float = 100.0) -> dict:
    figures = {"p50_ms": p95 / 2, "p95_ms": p95, "p99_ms": p95 * 1.2, "rps": rps}
    sockets = {"connect": 0, "read": 0, "write": 0, "timeout": 0}
    return {
        "c1": {**figures, "errors": 0, "unexpected": {}, "socket_errors": sockets},
        "c16": {
            **figures,
            "errors": errors,
            "unexpected": {"429": errors} if errors else {},
            "socket_errors": sockets,
        },
    }


FLOOR = {"name": "floor", "path": "/accounts/session/", "persona": "demo-province", **load(20)}


@pytest.mark.parametrize(
    "value, limit, unit, at_least, expected",
    [
        (212, 150, "ms", False, (False, "62 ms (41%) over 150 ms")),
        (150, 150, "ms", False, (True, "met")),
        (4.5, 3, "×", False, (False, "1.5× (50%) over 3.0×")),
        (12, 20, "×", True, (False, "8.0× (40%) short of 20.0×")),
        (0.38, 0.5, "%", True, (False, "12 points short of 50%")),
        (0.6, 0.5, "%", True, (True, "met")),
        (3, 0, "", False, (False, "3 over 0")),
        (1.25, 1, "s", False, (False, "0.25 s (25%) over 1.00 s")),
    ],
)
def test_verdict_says_by_how_much_a_goal_is_missed(value, limit, unit, at_least, expected):
    assert report.verdict(value, limit, unit, at_least=at_least) == expected


def test_figures():
    assert report.figure(4.25, "ms") == "4.2 ms"
    assert report.figure(212.4, "ms") == "212 ms"
    assert report.figure(1234, "") == "1,234"
    assert report.figure(None, "ms") == "–"


def test_endpoint_goals_against_the_limit_and_the_floor():
    goals = report.endpoint_goals({"name": "people", **load(80)}, FLOOR)
    assert goals["ratio"] == 4.0 and goals["errors"] == 0
    assert goals["latency"] == {"met": True, "result": "met"}
    assert goals["relative"] == {"met": False, "result": "missed: 1.0× (33%) over 3.0×"}


def test_failed_requests_miss_both_latency_goals():
    goals = report.endpoint_goals({"name": "people", **load(5, errors=7)}, FLOOR)
    assert goals["latency"] == {"met": False, "result": "missed: 7 failed"}
    assert goals["relative"]["met"] is False


def test_an_endpoint_without_any_answer_in_time_misses_both_goals():
    entry = {"name": "slow", **load(5)}
    entry["c16"].update(p95_ms=None, errors=1)
    goals = report.endpoint_goals(entry, FLOOR)
    assert goals["ratio"] is None
    assert goals["latency"]["met"] is False and goals["relative"]["met"] is False


def test_submission_check_counts_lost_duplicated_and_in_flight():
    check = report.submission_check(
        answered=["A1", "A2", "A3", "A3"],
        replayed=["A1", "Z9"],
        stored={"rows": 5, "distinct": 4, "ids": ["A1", "A2", "B1", "B2", "B2"]},
    )
    # A3 acknowledged but not stored, Z9 replayed but not stored; one row beyond its key
    # and A3 acknowledged as new twice; B1 and B2 stored but never answered.
    assert check == {"rows": 5, "lost": 2, "duplicated": 2, "in_flight": 2}


def test_submission_goal():
    clean = {"rows": 10, "lost": 0, "duplicated": 0, "in_flight": 0}
    good = report.submission_goal({"ok_rps": 60, "errors": 0, "check": clean}, 100)
    assert good == {"share": 0.6, "met": True, "result": "met"}
    bad = report.submission_goal({"ok_rps": 40, "errors": 3, "check": {**clean, "lost": 1}}, 100)
    assert bad["met"] is False
    assert bad["result"] == ("missed: throughput 10 points short of 50%; 1 lost; 3 failed")


def results(**extra) -> dict:
    entry = {"name": "人员列表 people", "path": "/people/", "persona": "demo-city", **load(212)}
    entry["goals"] = report.endpoint_goals(entry, FLOOR)
    return {
        "date": "2026-12-01T10:00:00+00:00",
        "command": "make bench",
        "commit": "abc1234",
        "options": {"scale": "province"},
        "machine": {"cpu": "Test CPU", "cores": 2, "memory_gib": 7.8},
        "software": {"database": "PostgreSQL 15.20", "python": "3.11.7", "django": "5.2",
                     "gunicorn": "23", "wrk": "wrk 4.1.0"},
        "server": {"workers": 5, "notes": []},
        "dataset": {"kind": "generated", "scale": "province", "seed": 1, "seconds": 61.5,
                    "reused": False, "sizes": {"people.Person": 1_000_000}, "output": "done"},
        "latency": {"c1_seconds": 5, "c16_seconds": 10, "floor": FLOOR, "endpoints": [entry]},
        "submissions": {},
        "inprocess": None,
        **extra,
    }  # fmt: skip


def test_goals_table_says_what_was_missed_and_what_was_not_measured():
    goals = {g["goal"]: g for g in report.evaluate_goals(results())}
    latency = goals["Key pages and endpoints: p95 at concurrency 16 ≤ 150 ms"]
    assert latency["met"] is False
    assert latency["measured"] == "0 of 1 met; highest 212 ms (人员列表 people)"
    assert latency["result"] == "missed: 1 of 1, see the latency table"
    search = goals[
        "Search: first page of every search page ≤ 150 ms p95 at c16, identical rows to the scan"
    ]
    assert search["met"] is None and search["result"] == "not measured"
    floor = goals["Floor CPU per request halved: floor req/s at c16 ≥ 2× 194/s (before)"]
    assert floor["measured"].startswith("100/s now against 194/s before (0.5×)")
    assert floor["result"] == "missed: 1.5× (74%) short of 2.0×"


def test_inprocess_goals():
    inprocess = {
        "search": [
            {"table": "people.Person", "query": "科普", "indexed_ms": 2.0, "scan_ms": 100.0,
             "identical": True},
            {"table": "people.Person", "query": "地震", "indexed_ms": 10.0, "scan_ms": 100.0,
             "identical": False},
        ],
        "import": {"rows": 100_000, "read_floor_s": 4.0, "dry_run_s": 5.0, "apply_s": 9.0},
        "rollups": [{"what": "bulletins", "ms": 400.0}, {"what": "indicators", "ms": 1500.0}],
    }  # fmt: skip
    goals = report.evaluate_goals(results(inprocess=inprocess))
    search, imports = goals[3], goals[4]
    rollups = next(g for g in goals if g["goal"].startswith("Rollups"))
    assert search["result"] == "missed: 1 with different rows"
    assert "rows differ: people.Person “地震”" in search["measured"]
    assert imports["result"] == "missed: 0.5× (17%) over 3.0×"
    assert rollups["measured"] == "1 of 2 met; slowest 1.50 s (indicators)"
    assert rollups["result"] == "missed: 0.50 s (50%) over 1.00 s"


def test_emergency_goals():
    inprocess = {
        "emergency_activation": {"activation_to_group_s": 0.13, "max_s": 0.2, "group_size": 9,
                                 "pool_memberships": 9214, "queries": 26},
        "emergency_push": {"expected": 24619, "create_push_seconds": 0.09, "deliver_seconds": 5.9,
                           "workers": 1, "lost": 0, "duplicated_targets": 0},
    }  # fmt: skip

    def by_start(goals, start):
        return next(g for g in goals if g["goal"].startswith(start))

    goals = report.evaluate_goals(results(inprocess=inprocess))
    activation = by_start(goals, "Emergency: activation")
    assert activation["met"] is True and activation["measured"].startswith("0.13 s median")
    push = by_start(goals, "Emergency: a push")
    assert push["met"] is True and "lost 0, duplicated 0" in push["measured"]
    inprocess["emergency_push"].update(expected=1200, lost=3)
    push = by_start(report.evaluate_goals(results(inprocess=inprocess)), "Emergency: a push")
    assert push["met"] is False and "only 1200 recipients" in push["result"]
    assert "3 lost" in push["result"]


def test_markdown_report_and_readme_section():
    data = results()
    data["goals"] = report.evaluate_goals(data)
    markdown = report.render_markdown(data)
    assert markdown.startswith("# Kepu benchmark: province scale, PostgreSQL 15.20")
    assert "| 人员列表 people `/people/` | demo-city | 106 ms | 212 ms |" in markdown
    assert "62 ms (41%) over 150 ms" in markdown
    block = report.readme_block(data)
    assert "Measured with `make bench` on 2026-12-01" in block
    assert "| 人员列表 people | 212 ms | 212 ms | 10.6× | no |" in block


def test_readme_markers_are_replaced_and_nothing_else():
    readme = "# Title\n\n### Performance\n\n<!-- bench:start -->\nold\n<!-- bench:end -->\n\nTail\n"
    updated = report.replace_marked(readme, "new table")
    assert updated == (
        "# Title\n\n### Performance\n\n<!-- bench:start -->\nnew table\n<!-- bench:end -->\n"
        "\nTail\n"
    )
    assert report.replace_marked(updated, "new table") == updated
    with pytest.raises(ValueError):
        report.replace_marked("# No markers\n", "table")
