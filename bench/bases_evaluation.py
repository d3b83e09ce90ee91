"""The annual evaluation of all bases at province scale (issue 23: "5,000 bases, 25,000
annual reports: evaluation of all bases ≤ 1 s"). Run in-process on the bench database
(Django set up by the caller, e.g. bench/measure.py):

- opens one round per level at the province for the latest year with reports, on the
  province's annual rubric (made from the preset when the dataset has none); of kind
  mid-term, so that it never clashes with the year's real annual rounds (the
  computation is the same);
- times `compute_evaluation_round` of each (what the `bases.compute_evaluation_round`
  job runs: the accepted reports, the registry sources, the engine over every base,
  the results upserted in chunks) and sums them: all bases evaluated;
- counts in the database: one result per listed base, every total within 0–100, the
  grade distribution adding up; the rounds (and a rubric it made) are deleted
  afterwards, so the dataset stays as generated.

Returns one JSON-able dict. `python bench/bases_evaluation.py` prints it."""

from __future__ import annotations

import json
import time

RUBRIC = "四川省科普教育基地年度评估细则（2025版）"


def _rubric():
    from kepu.core.models import Region
    from kepu.rubrics import presets
    from kepu.rubrics.choices import Purpose, RubricStatus
    from kepu.rubrics.models import Rubric
    from kepu.rubrics.services import create_rubric

    found = Rubric.objects.filter(
        name=RUBRIC, purpose=Purpose.BASE_ANNUAL, status=RubricStatus.IN_USE
    ).first()
    if found is not None:
        return found, False
    create_rubric(
        actor=None,
        name=f"{RUBRIC}（基准测试）",
        purpose=Purpose.BASE_ANNUAL,
        region=Region.objects.get(code="51"),
        criteria=presets.base_annual_criteria(),
        activate=True,
    )
    return Rubric.objects.get(name=f"{RUBRIC}（基准测试）"), True


def evaluate_all(year: int | None = None) -> dict:
    from django.db.models import Max

    from kepu.bases import annual_choices as ac
    from kepu.bases.choices import BaseLevel
    from kepu.bases.models import AnnualEvaluation, AnnualReport, Base, EvaluationRound
    from kepu.bases.services import annual_evaluation as evaluation
    from kepu.core.models import Region

    listed = Base.objects.listed().filter(region__path__startswith="51/").count()
    if not listed:
        return {"error": "no listed bases in the dataset"}
    year = year or AnnualReport.objects.aggregate(y=Max("year"))["y"]
    if year is None:
        return {"error": "no annual reports in the dataset", "bases": listed}
    rubric, made = _rubric()
    province = Region.objects.get(code="51")
    rounds, seconds, per_level = [], 0.0, {}
    try:
        for level in BaseLevel.values:
            round_ = evaluation.create_evaluation_round(
                actor=None,
                region=province,
                year=year,
                level=level,
                rubric=rubric,
                # Of kind mid-term (the same computation): never clashes with the year's
                # real annual rounds, and never counts in the published scores.
                kind=ac.RoundKind.MIDTERM,
                title=f"基准测试 {level}",
            )
            rounds.append(round_)
            started = time.perf_counter()
            summary = evaluation.compute_evaluation_round(round_)
            took = time.perf_counter() - started
            seconds += took
            per_level[level] = {"bases": summary["bases"], "seconds": round(took, 3)}
        results = AnnualEvaluation.objects.filter(round__in=rounds)
        evaluated = results.count()
        out_of_range = results.exclude(total__gte=0, total__lte=100).count()
        grades: dict[str, int] = {}
        for round_ in EvaluationRound.objects.filter(pk__in=[r.pk for r in rounds]):
            for grade, n in round_.grades.items():
                grades[grade] = grades.get(grade, 0) + n
        no_report = results.filter(no_report=True).count()
    finally:
        EvaluationRound.objects.filter(pk__in=[r.pk for r in rounds]).delete()
        if made:
            rubric.criteria.all().delete()
            rubric.delete()
    return {
        "year": year,
        "bases": listed,
        "evaluated": evaluated,
        "evaluate_all_seconds": round(seconds, 3),
        "per_level": per_level,
        "grades": grades,
        "grades_add_up": sum(grades.values()) == evaluated,
        "totals_out_of_range": out_of_range,
        "no_report": no_report,
    }


if __name__ == "__main__":
    import os
    import sys
    from pathlib import Path

    import django

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kepu.settings")
    django.setup()
    print(json.dumps(evaluate_all(), ensure_ascii=False, indent=1, default=str))
