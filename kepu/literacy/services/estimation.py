"""A round's estimation (the job `literacy.estimate`) and its publication.

`estimate_round` reads the kept responses once, weights them (design weights from the
strata, the non-response adjustment where the interviewers recorded eligible
non-respondents, raking to each city's census margins with the round's trimming
bounds), estimates the literate share and the mean score (or, for a satisfaction round,
each opinion item's weighted mean and the participation shares) for the round's
region, its cities and counties and by group, by Taylor linearization, jackknife and
bootstrap, fits the Fay–Herriot model for the counties and publishes, per county, the
direct estimate while its CV stays within the round's threshold and the model-based one
above it; it also computes the classical item statistics. Everything is written in one
transaction: the previous run stays current until the new one is complete."""

from __future__ import annotations

import time

import numpy as np
from django.db import transaction
from django.utils.translation import gettext as _

from kepu.core import audit, clock, publiccache, scope
from kepu.core.errors import DomainError, StateConflict
from kepu.literacy import choices as c
from kepu.literacy import reports
from kepu.literacy.estimation.errors import EstimationError
from kepu.literacy.models import Estimate, EstimationRun, Response, SurveyRound
from kepu.literacy.services import engine
from kepu.literacy.services import estimation_parts as parts

PUBLIC_TAG = "literacy-results"


def require(actor, obj, action) -> None:
    """The actor may `action` `obj` (in scope, no object rule refuses); the system
    (actor None) always may."""
    if actor is None:
        return
    if not scope.visible_to(actor, type(obj), action, public=False).filter(pk=obj.pk).exists():
        raise DomainError(_("This is outside your scope."))
    scope.check(actor, obj, action)


def _locked(rnd) -> SurveyRound:
    return (
        SurveyRound.objects.select_for_update(of=("self",))
        .select_related("region", "instrument")
        .get(pk=rnd.pk)
    )


STEP_NAMES = {0: "read", 1: "weigh", 3: "estimate", 5: "small_areas", 6: "items", 7: "write"}


def _step(progress, done, message, steps=None):
    """Report progress; `steps` ({name: seconds}) gets the time since the last step."""
    if steps is not None:
        now = time.perf_counter()
        last = steps.pop("_at", now)
        if steps.get("_name"):
            steps[steps.pop("_name")] = round(now - last, 3)
        steps["_at"], steps["_name"] = now, STEP_NAMES[done]
    if progress is not None:
        progress(done, 8, message)


@transaction.atomic
def estimate_round(rnd, *, actor, progress=None) -> EstimationRun:
    """Estimate a closed (or re-estimate an estimated) round; see the module docstring.
    Refuses (nothing written) when nothing sensible can be estimated: no kept response,
    strata without populations."""
    rnd = _locked(rnd)
    require(actor, rnd, "estimate")
    if not rnd.can_estimate():
        raise StateConflict(_("Only a closed round can be estimated."))
    started = time.perf_counter()
    warnings: list[str] = []
    steps: dict = {}  # seconds per step, in the run's report
    try:
        _step(progress, 0, _("Reading the responses"), steps)
        sample = engine.load_sample(rnd)
    except EstimationError:
        raise DomainError(_("This round has no valid response to estimate from.")) from None
    try:
        _step(progress, 1, _("Weighting"), steps)
        weighting = parts.weigh(rnd, sample, warnings)
        _step(progress, 3, _("Estimating"), steps)
        found = parts.estimate_all(rnd, sample, weighting.weights, warnings)
        _step(progress, 5, _("Small-area model for the counties"), steps)
        counties = parts.small_areas(rnd, sample, found, warnings)
        _step(progress, 6, _("Item analysis"), steps)
        item_stats = parts.item_statistics(rnd, sample)
    except EstimationError as exc:
        raise DomainError(engine.translated(exc)) from None
    _step(progress, 7, _("Writing the results"), steps)
    report = {
        "counts": {
            "respondents": sample.n,
            "strata": int(np.unique(sample.stratum).size),
            "psus": int(np.unique(sample.psu).size),
            "excluded": Response.objects.filter(round=rnd, quality=c.Quality.EXCLUDED).count(),
        },
        "weights": weighting.report,
        "rake": weighting.rake,
        "methods": found.comparison,
        "counties": counties.report,
        "tiers": _tier_shares(sample, weighting.weights),
        "warnings": warnings,
        "seconds": round(time.perf_counter() - started, 2),
    }  # fmt: skip
    run = EstimationRun.objects.create(
        round=rnd, status=c.RunStatus.WARNING if warnings else c.RunStatus.OK,
        options={
            "trim": [float(rnd.trim_low), float(rnd.trim_high)],
            "replicates": rnd.replicates, "cv_threshold": float(rnd.cv_threshold),
            "seed": rnd.pk,
        },
        report=report, is_current=False, started_by=parts.user_or_none(actor),
        finished_at=clock.now(),
    )  # fmt: skip
    rows = [
        Estimate(run=run, round=rnd, **{k: v for k, v in row.items() if k != "_domain"})
        for row in (*found.rows, *counties.rows)
    ]
    Estimate.objects.bulk_create(rows, batch_size=2000)
    parts.write_weights(sample, weighting)
    parts.record_item_statistics(run, item_stats)
    EstimationRun.objects.filter(round=rnd, is_current=True).update(is_current=False)
    run.is_current = True
    _step(None, 7, "", steps)  # closes the write step
    report["page"] = reports.build_page(rnd, run)
    run.report = {**report, "steps": {k: v for k, v in steps.items() if k[0] != "_"},
                  "seconds": round(time.perf_counter() - started, 2)}  # fmt: skip
    run.save(update_fields=["is_current", "report"])
    status_before = rnd.status
    rnd.status = c.RoundStatus.ESTIMATED
    rnd.save(update_fields=["status"])
    audit.record(
        "literacy.surveyround.estimated", obj=rnd, actor=actor,
        changes={"status": [status_before, rnd.status]} if status_before != rnd.status else {},
        detail={"run": run.pk, "respondents": sample.n, "estimates": len(rows),
                "warnings": len(warnings)},
    )  # fmt: skip
    return run


def _tier_shares(sample, weights) -> dict:
    """The weighted share of each tier (the report's pyramid), kept in the run's report
    so the page does not aggregate the responses."""
    total = float(weights.sum())
    codes = sorted({t for t in sample.tiers.tolist() if t})
    return {t: float(weights[sample.tiers == t].sum() / total) for t in codes} if total else {}


@transaction.atomic
def publish_round(rnd, *, actor) -> SurveyRound:
    """Make an estimated round's published figures public. Four-eyes: the officer who
    ran the current estimation does not publish it."""
    rnd = _locked(rnd)
    require(actor, rnd, "publish")
    if not rnd.can_publish():
        raise StateConflict(_("Only an estimated round can be published."))
    if not EstimationRun.objects.filter(round=rnd, is_current=True).exists():
        raise StateConflict(_("Estimate the round before publishing it."))
    rnd.status = c.RoundStatus.PUBLISHED
    rnd.published_at = clock.now()
    rnd.save(update_fields=["status", "published_at"])
    audit.record(
        "literacy.surveyround.published", obj=rnd, actor=actor,
        changes={"status": [c.RoundStatus.ESTIMATED, c.RoundStatus.PUBLISHED]},
    )  # fmt: skip
    publiccache.bump(PUBLIC_TAG)
    return rnd


def start_estimation(rnd, *, actor, idem=None):
    """Start the estimation job of a round (`idem`: the posting form's key, so a double
    click is one job)."""
    from kepu.core import jobs

    require(actor, rnd, "estimate")
    if not rnd.can_estimate():
        raise StateConflict(_("Only a closed round can be estimated."))
    return jobs.start(
        "literacy.estimate", actor=actor, region=rnd.region, params={"round": rnd.pk}, idem=idem
    )
