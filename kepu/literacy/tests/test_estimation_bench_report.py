"""The benchmark report's literacy goals (bench/report.py), on made-up figures."""

from bench import report


def _result(**change):
    result = {
        "respondents": 1_000_000,
        "domains": 588,
        "replicate_method": "Rao–Wu bootstrap, R = 200",
        "steps_seconds": {"scoring": 0.2, "raking": 0.07, "index": 0.37, "replicate": 0.34},
        "required_seconds": 0.98,
        "pipeline_seconds": 1.17,
        "jackknife_seconds": 0.5,
        "jackknife_replicates": 2928,
        "rake_converged": True,
        "samplics": {
            "subset": "成都市 × sex",
            "subset_seconds": 74.0,
            "engine_subset_seconds": 0.15,
            "speedup_measured": 493.3,
            "projected_all_domains_seconds": 10_000,
            "speedup_projected": 8500,
        },
        "max_abs_difference": {"taylor": 1.7e-13, "replicate": 2e-15},
        "max_rel_difference_weights": 4e-14,
    }
    result.update(change)
    return {"inprocess": {"literacy_estimation": result}}


def test_literacy_goals_met_missed_and_not_measured():
    pipeline, speed = report._literacy_goals(_result()["inprocess"])
    assert pipeline["met"] is True and speed["met"] is True
    assert pipeline["measured"].startswith("1,000,000 responses, 588 domains × 2 estimates: 0.98 s")
    assert "493.3× on 成都市 × sex" in speed["measured"]
    slow, unequal = report._literacy_goals(
        _result(required_seconds=2.5, max_abs_difference={"taylor": 1e-6, "replicate": 0})[
            "inprocess"
        ]
    )
    assert slow["result"] == "missed: 0.50 s (25%) over 2.00 s"
    assert unequal["result"] == "missed: estimates differ by 1.0e-06"
    absent = report._literacy_goals({})
    assert [g["result"] for g in absent] == ["not measured", "not measured"]
    goals = [g["goal"] for g in report.evaluate_goals({"inprocess": None})]
    assert sum(g.startswith("Literacy:") for g in goals) == 2
