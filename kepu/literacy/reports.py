"""What the report, trend and index pages show, read from the stored results (the
current estimation run's estimates, the index values): a bounded number of indexed
queries whatever the round's size, nothing aggregated over the responses but the tier
shares (one grouped query on the round's rows)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kepu.core.models import Region
from kepu.literacy import choices as c
from kepu.literacy.models import Estimate, EstimationRun, IndexValue, Item

DATA = Path(__file__).resolve().parent / "data"
SHADES = 5  # classes of the county map
BODY_SECONDS = 6 * 3600


@lru_cache(maxsize=1)
def national_series() -> dict:
    return json.loads((DATA / "national_series.json").read_text(encoding="utf-8"))


def current_run(rnd, *, light=False) -> EstimationRun | None:
    """The round's current run (`light`: without its report, for a page that shows the
    cached body)."""
    runs = EstimationRun.objects.filter(round=rnd, is_current=True)
    return (runs.defer("report", "options") if light else runs).first()


def body_html(rnd, run, template: str, make) -> str:
    """A part of the report page that depends only on the run and the language (the
    report's body, the item analysis), rendered once per run and language and then read
    from the shared cache: at province size the body renders several thousand template
    values (183 counties, twice), more than a request's CPU budget. A new run is a new
    key; BODY_SECONDS bounds how long a renamed region or item keeps its old name."""
    stamp = run.finished_at.timestamp() if run.finished_at else ""
    key = f"literacy:body:{template}:{run.pk}:{stamp}:{get_language()}"
    html = cache.get(key)
    if html is None:
        html = str(render_to_string(f"literacy/results/{template}.html", make()))
        cache.set(key, html, BODY_SECONDS)
    return mark_safe(html)  # noqa: S308 - our own template's output


def _pct(value):
    return None if value is None else round(value * 100, 2)


def _row(e: Estimate, percent=True) -> dict:
    scale = _pct if percent else (lambda v: None if v is None else round(v, 2))
    return {
        "region": e.region, "group_var": e.group_var, "group_value": e.group_value,
        "method": e.method, "model": e.method == c.Method.FAY_HERRIOT, "n": e.n,
        "estimate": scale(e.estimate), "ci_low": scale(e.ci_low), "ci_high": scale(e.ci_high),
        "se": scale(e.se), "deff": None if e.deff is None else round(e.deff, 2),
        "cv": None if e.cv is None else round(e.cv * 100, 1),
    }  # fmt: skip


def _group_label(var, value) -> str:
    choices = {
        c.GroupVar.SEX: c.Sex, c.GroupVar.AGE: c.AgeBand, c.GroupVar.EDUCATION: c.Education,
        c.GroupVar.AREA: c.AreaType, c.GroupVar.OCCUPATION: c.Occupation,
        c.GroupVar.KEY_GROUP: c.KeyGroup,
    }.get(var)  # fmt: skip
    try:
        return str(choices(value).label) if choices else value
    except ValueError:
        return value


GROUP_ORDER = (
    c.GroupVar.SEX, c.GroupVar.AGE, c.GroupVar.EDUCATION, c.GroupVar.AREA,
    c.GroupVar.OCCUPATION, c.GroupVar.KEY_GROUP,
)  # fmt: skip


def _order(var, value) -> int:
    """The position of a group's value in its choices (the release's order)."""
    choices = {
        c.GroupVar.SEX: c.Sex, c.GroupVar.AGE: c.AgeBand, c.GroupVar.EDUCATION: c.Education,
        c.GroupVar.AREA: c.AreaType, c.GroupVar.OCCUPATION: c.Occupation,
        c.GroupVar.KEY_GROUP: c.KeyGroup,
    }[var]  # fmt: skip
    values = list(choices.values)
    return values.index(value) if value in values else len(values)


def _tiers(rnd, run) -> list[dict]:
    """The weighted share of each tier (the pyramid), from the top, as the estimation
    stored it."""
    shares = run.report.get("tiers", {})
    return [
        {"code": t["code"],
         "label": str(c.Tier(t["code"]).label) if t["code"] in c.Tier.values else t["code"],
         "share": _pct(shares.get(t["code"], 0.0)) if shares else None}
        for t in rnd.instrument.tiers or []
    ]  # fmt: skip


def _shade(value, low, high) -> int:
    if value is None or high <= low:
        return 0
    return min(SHADES - 1, int((value - low) / (high - low) * SHADES))


def _region(r) -> dict:
    """What the report shows of a region, stored with the run's page (JSON)."""
    return {"pk": r.pk, "name": r.name, "code": r.code, "level": r.level,
            "parent_id": r.parent_id}  # fmt: skip


def county_map(estimates) -> dict:
    """The counties' published figures as a tile cartogram grouped by city (no county
    geometry is bundled): each tile shaded into one of SHADES classes. `estimates`: rows
    whose region is a `_region` dict."""
    counties = [e for e in estimates if e["region"]["level"] == 3]
    values = [e["estimate"] for e in counties if e["estimate"] is not None]
    low, high = (min(values), max(values)) if values else (0, 0)
    parents = {e["region"]["parent_id"] for e in counties}
    names = dict(Region.objects.filter(pk__in=parents).values_list("pk", "name"))
    cities: dict = {}
    for e in sorted(counties, key=lambda e: e["region"]["code"]):
        e["shade"] = _shade(e["estimate"], low, high)
        cities.setdefault(e["region"]["parent_id"], []).append(e)
    step = (high - low) / SHADES if high > low else 0
    legend = [
        {"shade": k, "low": round(low + k * step, 1), "high": round(low + (k + 1) * step, 1)}
        for k in range(SHADES)
    ]
    return {
        "cities": [{"name": names.get(pk, ""), "counties": rows} for pk, rows in cities.items()],
        "legend": legend,
        "model_based": sum(1 for e in counties if e["model"]),
    }


def build_page(rnd, run) -> dict:
    """What the report shows of a run, as JSON: computed once when the run is written
    (`services.estimation` stores it in the run's report under "page") so that a request
    reads one row; the labels that depend on the language are added on reading
    (`report`). Regions are dicts (`_region`)."""
    out: dict = {}
    if rnd.kind == c.RoundKind.LITERACY:
        literate, mean = [], []
        for e in (
            Estimate.objects.filter(run=run, published=True, item=None,
                                    measure__in=(c.Measure.LITERATE, c.Measure.MEAN))
            .select_related("region")
            .order_by("region__code", "group_var", "group_value")
        ):  # fmt: skip
            share = e.measure == c.Measure.LITERATE
            row = _row(e, percent=share)
            row["region"] = _region(e.region)
            (literate if share else mean).append(row)
        top = rnd.region_id

        def head(found):
            return next((r for r in found if r["region"]["pk"] == top
                         and r["group_var"] == c.GroupVar.ALL), None)  # fmt: skip

        groups: dict = {}
        for r in literate:
            if r["region"]["pk"] == top and r["group_var"] != c.GroupVar.ALL:
                groups.setdefault(r["group_var"], []).append(r)
        below = [r for r in literate if r["group_var"] == c.GroupVar.ALL
                 and r["region"]["pk"] != top]  # fmt: skip
        out.update({
            "headline": head(literate), "mean": head(mean),
            "groups": [
                {"var": var,
                 "rows": sorted(groups[var], key=lambda r: _order(var, r["group_value"]))}
                for var in GROUP_ORDER if var in groups
            ],
            "cities": [r for r in below if r["region"]["level"] < 3
                       or r["region"]["parent_id"] == top],
            "map": county_map([r for r in below if r["region"]["level"] == 3]),
        })  # fmt: skip
    names = dict(
        Region.objects.filter(
            pk__in=[m["region"] for m in run.report.get("methods", [])]
        ).values_list("pk", "name")
    )
    out["methods"] = [
        {**m, "name": names.get(m["region"], ""),
         **{k: _pct(m.get(k)) for k in ("estimate", "taylor", "jackknife", "bootstrap")}}
        for m in run.report.get("methods", [])
    ]  # fmt: skip
    return out


def report(rnd) -> dict:
    """Everything the report page and its PDF show for a round's current run: the page
    stored with the run (a run written before it was stored is built on the spot), with
    the labels of the current language."""
    run = current_run(rnd)
    if run is None:
        return {"run": None}
    page = run.report.get("page") or build_page(rnd, run)
    out = {"run": run, "kind": rnd.kind, "methods": page["methods"]}
    if rnd.kind == c.RoundKind.LITERACY:
        groups = [
            {"var": g["var"], "label": str(c.GroupVar(g["var"]).label),
             "rows": [{**r, "label": _group_label(g["var"], r["group_value"])}
                      for r in g["rows"]]}
            for g in page["groups"]
        ]  # fmt: skip
        out.update({
            "headline": page["headline"], "mean": page["mean"], "tiers": _tiers(rnd, run),
            "groups": groups, "cities": page["cities"], "map": page["map"],
        })  # fmt: skip
    else:
        out["items"] = satisfaction(rnd, run)
    return out


def satisfaction(rnd, run) -> list[dict]:
    """Each opinion item's weighted result for the round's region: a rating's mean
    (1–5) or a participation item's share, with the 95% CI."""
    rows = (
        Estimate.objects.filter(run=run, measure=c.Measure.SATISFACTION, published=True,
                                region=rnd.region, group_var=c.GroupVar.ALL)
        .select_related("item", "item__dimension", "region")
        .order_by("item__dimension__position", "item__code")
    )  # fmt: skip
    out = []
    for e in rows:
        rating = e.item.kind == c.ItemKind.LIKERT
        row = _row(e, percent=not rating)
        row.update({"item": e.item, "rating": rating, "dimension": e.item.dimension.name})
        out.append(row)
    return out


def latest_rates(regions, *, until_year=None) -> dict[int, tuple[float, object]]:
    """{region pk: (literate share in percent, round)} from the latest published round
    with a published estimate for the region (direct, or model-based for a county)."""
    rows = Estimate.objects.filter(
        region__in=[r.pk for r in regions], measure=c.Measure.LITERATE,
        group_var=c.GroupVar.ALL, published=True, run__is_current=True,
        round__status__in=c.PUBLIC_ROUND_STATUSES,
    )  # fmt: skip
    if until_year is not None:
        rows = rows.filter(round__year__lte=until_year)
    rows = rows.select_related("round").order_by(
        "region_id", "-round__year", "-round__published_at", "-pk"
    )
    out: dict = {}
    for e in rows.only("region_id", "estimate", "round__year", "round__name",
                       "round__published_at"):  # fmt: skip
        out.setdefault(e.region_id, (round(e.estimate * 100, 2), e.round))
    return out


def trend(region) -> dict:
    """The national series and the region's published rounds with their CIs."""
    rows = (
        Estimate.objects.filter(
            region=region,
            measure=c.Measure.LITERATE,
            group_var=c.GroupVar.ALL,
            published=True,
            run__is_current=True,
            round__status__in=c.PUBLIC_ROUND_STATUSES,
            round__kind=c.RoundKind.LITERACY,
        )  # fmt: skip
        .select_related("round")
        .order_by("round__year", "round__published_at")
    )
    own = [
        {"year": e.round.year, "round": e.round, **_row(e)}
        for e in rows.only(
            "estimate",
            "ci_low",
            "ci_high",
            "se",
            "n",
            "cv",
            "deff",
            "method",
            "group_var",
            "group_value",
            "region",
            "round__year",
            "round__name",
            "round__published_at",
        )  # fmt: skip
    ]
    national = national_series()
    return {
        "national": national,
        "own": own,
        "chart": {
            "years": sorted({p["year"] for p in national["series"]} | {r["year"] for r in own}),
            "national": {p["year"]: p["rate"] for p in national["series"]},
            "unverified": [p["year"] for p in national["series"] if not p["verified"]],
            "own": {r["year"]: [r["estimate"], r["ci_low"], r["ci_high"]] for r in own},
            "labels": {"national": _("National"), "own": region.name, "ci": _("95% CI")},
        },
    }


def index_table(tree) -> dict:
    """The index's values by region: total, rank and the score of each first-level
    indicator (the decomposition), and each indicator's raw and normalized values."""
    # Plain tuples, not model instances: a 21-region index has ~700 values.
    values = list(
        IndexValue.objects.filter(tree=tree).order_by("rank", "region_id")
        .values_list("region_id", "node_id", "raw", "normalized", "weight", "score", "rank")
    )  # fmt: skip
    nodes = list(tree.nodes.all())
    parent_of = {n.pk: n.parent_id for n in nodes}
    firsts = [n for n in nodes if n.parent_id is None]
    leaves = [n for n in nodes if n.parent_id is not None]
    regions = Region.objects.only("pk", "name", "code", "level", "parent_id").in_bulk(
        {v[0] for v in values}
    )
    by_region: dict = {}
    for region_id, node_id, raw, normalized, _weight, score, rank in values:
        entry = by_region.setdefault(
            region_id, {"region": regions[region_id], "parts": {}, "raw": {}}
        )
        if node_id is None:
            entry["total"], entry["rank"] = round(score, 2), rank
        elif parent_of.get(node_id) is None:
            entry["parts"][node_id] = round(score, 2)
        else:
            entry["raw"][node_id] = (raw, normalized)
    rows = sorted(by_region.values(), key=lambda r: (r.get("rank") or 9999, r["region"].code))
    weights = {v[1]: v[4] for v in values if v[1] is not None}
    used = [n for n in leaves if n.pk in weights]
    from kepu.literacy import index_sources
    from kepu.literacy.services.index import method_note

    notes = []
    for leaf in leaves:
        if leaf.pk not in weights:
            source = index_sources.SOURCES.get(leaf.source)
            notes.append(
                _("%(name)s: no source yet, left out of the weights.") % {"name": leaf.name}
                if source is None or not source.available
                else _("%(name)s: no value for some regions, left out.") % {"name": leaf.name}
            )
    note = (
        method_note(tree, len(rows), used, {n.code: weights[n.pk] for n in used}, notes)
        if used else ""
    )  # fmt: skip
    return {
        "rows": [{**r, "cells": [r["parts"].get(f.pk) for f in firsts]} for r in rows],
        "firsts": [{"node": f, "weight": weights.get(f.pk)} for f in firsts],
        "leaves": [
            {"node": n, "weight": weights.get(n.pk), "source": index_sources.SOURCES.get(n.source)}
            for n in leaves
        ],  # fmt: skip
        "note": note,
        "chart": {
            "regions": [r["region"].name for r in rows],
            "series": [
                {"name": f.name, "data": [r["parts"].get(f.pk) for r in rows]}
                for f in firsts
                if f.pk in weights
            ],  # fmt: skip
        },
    }


def item_analysis(run, limit=200) -> list:
    """The run's item statistics, hardest first."""
    from kepu.literacy.models import ItemStatistic

    return list(
        ItemStatistic.objects.filter(run=run).select_related("item", "item__dimension")
        .order_by("p_value", "item__code")[:limit]
    )  # fmt: skip


def report_pdf_bytes(rnd) -> bytes:
    from kepu.core.pdf import render_pdf

    return render_pdf("literacy/results/report_pdf.html", {"round": rnd, **report(rnd)})


__all__ = ["Item", "latest_rates", "national_series", "report", "trend"]
