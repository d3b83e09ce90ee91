"""The steps of a round's estimation (`services.estimation.estimate_round`): weighting,
the direct estimates by region and group, the counties' small-area model, the item
analysis, and writing the weights and item statistics back. Each step reads arrays the
engine adapter (`services.engine`) made and returns plain rows; nothing here commits."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext as _

from kepu.core import clock
from kepu.core.models import Region
from kepu.literacy import choices as c
from kepu.literacy.estimation.errors import EstimationError
from kepu.literacy.models import FormItem, Item, ItemStatistic, Response, Stratum
from kepu.literacy.services import engine

Z95 = 1.959963984540054


def user_or_none(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _names(pks) -> dict[int, str]:
    return dict(Region.objects.filter(pk__in=list(pks)).values_list("pk", "name"))


# --- weighting -------------------------------------------------------------------------


@dataclass
class Weighting:
    design: np.ndarray
    weights: np.ndarray
    report: dict
    rake: dict


def _summary(w: np.ndarray) -> dict:
    total = float(w.sum())
    return {
        "sum": round(total), "min": float(w.min()), "max": float(w.max()),
        "mean": float(w.mean()),
        # Kish's design effect of unequal weighting: n·Σw²/(Σw)².
        "kish_deff": float(w.size * np.sum(w * w) / (total * total)) if total else None,
    }  # fmt: skip


def _margin_columns(sample, tables, by_city: bool, warnings) -> dict:
    """{variable: (codes, targets)}: by city × category (or by category for the whole
    region). A respondent category the margins do not have drops that variable."""
    cities = sorted(tables)
    city_index = {pk: i for i, pk in enumerate(cities)}
    columns = {}
    for var in engine.MARGIN_VARS:
        cats = sorted({cat for t in tables.values() for cat in t.get(var, {})})
        if not cats:
            continue
        index = {cat: k for k, cat in enumerate(cats)}
        values = sample.groups[var]
        unknown = sorted({v for v in set(values.tolist()) if v not in index})
        if unknown:
            warnings.append(
                _("Margins of %(var)s have no category %(cats)s: not raked on it.")
                % {"var": c.MarginVar(var).label, "cats": ", ".join(map(str, unknown))}
            )
            continue
        k = len(cats)
        cat_codes = np.array([index[v] for v in values.tolist()], dtype=np.int64)
        if by_city:
            city_codes = np.array([city_index[p] for p in sample.city.tolist()], dtype=np.int64)
            codes = city_codes * k + cat_codes
            targets = np.zeros(len(cities) * k)
            for pk, table in tables.items():
                for cat, n in table.get(var, {}).items():
                    targets[city_index[pk] * k + index[cat]] = n
        else:
            codes = cat_codes
            targets = np.zeros(k)
            for table in tables.values():
                for cat, n in table.get(var, {}).items():
                    targets[index[cat]] += n
        columns[str(c.MarginVar(var).label)] = (codes, targets)
    return columns


def _city_tables(sample, warnings):
    """The census margins of each city in the sample (a city without its own margins
    gets the sum of its counties'); None when a city has neither."""
    cities = sorted(set(sample.city.tolist()))
    year = engine.census_year(cities) or engine.census_year(sample.counties)
    if year is None:
        warnings.append(_("No census margins: the weights are not raked."))
        return None, None
    own = engine.margins(cities, year)
    tables = {}
    missing = [pk for pk in cities if pk not in own]
    if missing:
        below = engine.margins([k for k, city in sample.counties.items() if city in missing], year)
        for county, table in below.items():
            into = tables.setdefault(sample.counties[county], {})
            for var, cats in table.items():
                for cat, n in cats.items():
                    into.setdefault(var, {})[cat] = into.get(var, {}).get(cat, 0) + n
    tables.update({pk: own[pk] for pk in cities if pk in own})
    lacking = [pk for pk in cities if pk not in tables]
    if lacking:
        names = _names(lacking)
        warnings.append(
            _("No census margins for %(regions)s: the weights are not raked.")
            % {"regions": "、".join(names.get(pk, str(pk)) for pk in lacking)}
        )
        return None, year
    return tables, year


def weigh(rnd, sample, warnings) -> Weighting:
    populations = engine.strata_populations(rnd)
    dw = engine.design_weights(sample, populations)
    report: dict = {"design": _summary(dw.weights)}
    if dw.empty_strata:
        strata = Stratum.objects.filter(pk__in=dw.empty_strata).select_related("region")
        warnings.append(
            _(
                "%(n)d strata have no respondent (%(people)s people not covered by the "
                "design weights; the raking carries them): %(strata)s."
            )
            % {
                "n": len(dw.empty_strata),
                "people": f"{round(dw.uncovered):,}",
                "strata": "、".join(str(s) for s in strata[:20]),
            }  # fmt: skip
        )
    missing = engine.nonrespondents(rnd)
    w = dw.weights
    if any(missing.values()):
        w = engine.nonresponse_adjust(sample, w, missing)
        report["nonresponse"] = {"strata": len(missing), "nonrespondents": sum(missing.values())}
    else:
        report["nonresponse"] = None
    bounds = (float(rnd.trim_low), float(rnd.trim_high))
    tables, year = _city_tables(sample, warnings)
    rake_report = {"level": None}
    if tables:
        for by_city in (True, False):
            columns = _margin_columns(sample, tables, by_city, warnings if by_city else [])
            if not columns:
                break
            try:
                result = engine.rake(w, columns, bounds=bounds)
            except EstimationError as exc:
                warnings.append(
                    (_("Raking by city: %(reason)s") if by_city else _("Raking: %(reason)s"))
                    % {"reason": engine.translated(exc)}
                )
                continue
            w = result.weights
            rake_report = {**result.report(), "level": "city" if by_city else "region",
                           "year": year, "bounds": list(bounds)}  # fmt: skip
            if not result.converged:
                warnings.append(
                    _(
                        "The rake did not converge in %(n)d iterations: the largest gap to "
                        "a margin is %(gap)s; the weights are the last iteration's."
                    )
                    % {"n": result.iterations, "gap": f"{float(result.max_error.max()):.2%}"}
                )
            break
        if rake_report["level"] == "region":
            warnings.append(_("Raked to the region's margins only (not by city)."))
    report["final"] = _summary(w)
    return Weighting(design=dw.weights, weights=w, report=report, rake=rake_report)


# --- direct estimates ------------------------------------------------------------------


@dataclass
class Found:
    rows: list = field(default_factory=list)
    comparison: list = field(default_factory=list)
    county_direct: dict = field(default_factory=dict)  # county pk -> literate Taylor row


def _dense(values) -> tuple[np.ndarray, list]:
    levels = sorted(set(values))
    index = {v: k for k, v in enumerate(levels)}
    return np.array([index[v] for v in values], dtype=np.int64), levels


def _domain_vars(rnd, sample) -> tuple[dict, dict]:
    """({name: codes}, {name: [(region pk, group var, group value) per code]})."""
    codes, meta = {}, {}
    codes["all"] = np.zeros(sample.n, dtype=np.int64)
    meta["all"] = [(rnd.region_id, c.GroupVar.ALL, "")]
    city_codes, cities = _dense(sample.city.tolist())
    by_city = cities != [rnd.region_id]
    if by_city:
        codes["city"], meta["city"] = city_codes, [(pk, c.GroupVar.ALL, "") for pk in cities]
    county_codes, counties = _dense(sample.county.tolist())
    if counties != cities:
        codes["county"] = county_codes
        meta["county"] = [(pk, c.GroupVar.ALL, "") for pk in counties]
    for var in engine.GROUP_VARS:
        values = sample.groups[var].tolist()
        g_codes, levels = _dense(values)
        codes[f"g:{var}"] = g_codes
        meta[f"g:{var}"] = [(rnd.region_id, var, v) for v in levels]
        if by_city:
            k = len(levels)
            codes[f"cg:{var}"] = city_codes * k + g_codes
            meta[f"cg:{var}"] = [(pk, var, v) for pk in cities for v in levels]
    return codes, meta


def _number(value):
    return None if value is None or not math.isfinite(value) else float(value)


def _rows(results, meta, measure, *, item=None, published_vars=("all", "city")) -> list:
    out = []
    for method, est in results.items():
        for j in range(est.code.size):
            name = est.names[est.variable[j]]
            region, var, value = meta[name][int(est.code[j])]
            estimate = _number(est.estimate[j])
            if estimate is None or est.n[j] == 0:
                continue
            out.append({
                "region_id": region, "measure": measure, "item_id": item, "group_var": var,
                "group_value": value, "method": method, "n": int(est.n[j]),
                "estimate": estimate, "se": _number(est.se[j]),
                "ci_low": _number(est.lower[j]), "ci_high": _number(est.upper[j]),
                "deff": _number(est.deff[j]), "cv": _number(est.cv[j]),
                "published": method == c.Method.TAYLOR and (
                    name in published_vars or name.startswith("g:") or name.startswith("cg:")
                ),
                "_domain": name,
            })  # fmt: skip
    return out


def _opinion_items(rnd) -> list:
    return list(
        Item.objects.filter(slots__form__round=rnd, kind__in=(c.ItemKind.LIKERT,
                                                              c.ItemKind.TRUE_FALSE))
        .distinct().order_by("dimension__position", "code").values_list("pk", "kind")
    )  # fmt: skip


def _opinion_value(kind, answer):
    """A rating's value (1–5), or 1 for a yes ("T"/"Y"/"1") and 0 for a no; None when
    not answered."""
    text = str(answer or "").strip().upper()
    if not text:
        return None
    if kind == c.ItemKind.LIKERT:
        return float(text) if text.isdigit() else None
    return 1.0 if text in ("T", "Y", "1") else 0.0


def estimate_all(rnd, sample, weights, warnings) -> Found:
    dsn = engine.design(sample)
    if dsn.singletons.size:
        warnings.append(
            _("%(n)d strata have a single sample point and add nothing to the variances.")
            % {"n": int(dsn.singletons.size)}
        )
    factors = engine.replicate_factors(dsn, replicates=rnd.replicates, seed=rnd.pk)
    codes, meta = _domain_vars(rnd, sample)
    found = Found()
    if rnd.kind == c.RoundKind.LITERACY:
        doms = engine.domains(dsn, codes)
        for measure, y, proportion in (
            (c.Measure.LITERATE, sample.literate, True),
            (c.Measure.MEAN, np.nan_to_num(sample.total), False),
        ):
            results = engine.estimates(dsn, doms, weights, y, proportion=proportion,
                                       factors=factors)  # fmt: skip
            found.rows.extend(_rows(results, meta, measure))
        found.county_direct = {
            r["region_id"]: r for r in found.rows
            if r["_domain"] == "county" and r["method"] == c.Method.TAYLOR
            and r["measure"] == c.Measure.LITERATE
        }  # fmt: skip
    else:
        kept = {k: v for k, v in codes.items() if k in ("all", "city")}
        for item, kind in _opinion_items(rnd):
            values = [_opinion_value(kind, a.get(str(item))) for a in sample.answers]
            answered = np.array([v is not None for v in values])
            if not answered.any():
                continue
            y = np.array([v if v is not None else 0.0 for v in values])
            masked = {k: np.where(answered, v, -1) for k, v in kept.items()}
            results = engine.estimates(
                dsn, engine.domains(dsn, masked), weights, y,
                proportion=kind != c.ItemKind.LIKERT, factors=factors,
            )  # fmt: skip
            found.rows.extend(_rows(results, meta, c.Measure.SATISFACTION, item=item))
    found.comparison = _comparison(found.rows)
    return found


def _comparison(rows) -> list:
    """Taylor vs jackknife vs bootstrap standard errors of the headline measure for the
    region and each city (the estimation report's table)."""
    measure = c.Measure.LITERATE
    table: dict = {}
    for r in rows:
        if r["group_var"] != c.GroupVar.ALL or r["_domain"] not in ("all", "city"):
            continue
        if r["measure"] != measure and r["item_id"] is None:
            continue
        if r["item_id"] is not None:
            continue
        key = r["region_id"]
        entry = table.setdefault(key, {"region": key, "n": r["n"], "estimate": r["estimate"]})
        entry[r["method"]] = r["se"]
    return list(table.values())


# --- small areas -----------------------------------------------------------------------


@dataclass
class Counties:
    rows: list = field(default_factory=list)
    report: dict = field(default_factory=dict)


def _covariates(counties, sample) -> dict[int, list[float]]:
    """{county pk: [share with senior secondary or more, urban share]} from the census."""
    year = engine.census_year(counties)
    if year is None:
        return {}
    tables = engine.margins(counties, year)
    out = {}
    for pk, table in tables.items():
        edu, area = table.get("education", {}), table.get("area", {})
        edu_total, area_total = sum(edu.values()), sum(area.values())
        if edu_total and area_total:
            senior = sum(n for cat, n in edu.items() if cat in engine.SENIOR_OR_MORE)
            out[pk] = [senior / edu_total, area.get(c.AreaType.URBAN, 0) / area_total]
    return out


def _model_row(county, n, estimate, mse, published) -> dict:
    se = math.sqrt(max(mse, 0.0))
    return {
        "region_id": county, "measure": c.Measure.LITERATE, "item_id": None,
        "group_var": c.GroupVar.ALL, "group_value": "", "method": c.Method.FAY_HERRIOT,
        "n": n, "estimate": float(estimate), "se": se,
        "ci_low": max(0.0, estimate - Z95 * se), "ci_high": min(1.0, estimate + Z95 * se),
        "deff": None, "cv": se / estimate if estimate > 0 else None, "published": published,
    }  # fmt: skip


def small_areas(rnd, sample, found: Found, warnings) -> Counties:
    """The Fay–Herriot model of the counties' literate shares: fitted on the counties
    with a usable direct estimate, the EBLUP published where the direct CV is above the
    round's threshold, the synthetic estimate for counties of the frame without one."""
    out = Counties()
    for r in found.rows:
        if r["_domain"] == "county" and r["method"] == c.Method.TAYLOR:
            r["published"] = True  # until the model says otherwise
    if rnd.kind != c.RoundKind.LITERACY or not found.county_direct:
        return out
    frame = set(Stratum.objects.filter(round=rnd).values_list("region_id", flat=True))
    counties = sorted(frame | set(found.county_direct))
    cov = _covariates(counties, sample)
    usable = [
        k for k in counties
        if k in cov and k in found.county_direct and found.county_direct[k]["n"] >= 2
        and (found.county_direct[k]["se"] or 0) > 0
    ]  # fmt: skip
    others = [k for k in counties if k in cov and k not in usable]
    threshold = float(rnd.cv_threshold)
    if len(usable) < 4:
        warnings.append(_("Too few counties with a direct estimate for the small-area model."))
        out.report = {"modelled": 0, "direct": len(found.county_direct), "threshold": threshold}
        return out
    direct = np.array([found.county_direct[k]["estimate"] for k in usable])
    variance = np.array([found.county_direct[k]["se"] ** 2 for k in usable])
    try:
        fit, (syn, syn_mse) = engine.fay_herriot(
            direct, variance, np.array([cov[k] for k in usable]),
            np.array([cov[k] for k in others]).reshape(len(others), 2),
        )  # fmt: skip
    except EstimationError as exc:
        warnings.append(_("Small-area model: %(reason)s") % {"reason": engine.translated(exc)})
        out.report = {"modelled": 0, "direct": len(found.county_direct), "threshold": threshold}
        return out
    cvs = np.array([found.county_direct[k]["cv"] or np.inf for k in usable])
    use_model = engine.choose(cvs, threshold)
    model_based = 0
    for k, estimate, mse, chosen in zip(usable, fit.eblup, fit.mse, use_model, strict=True):
        found.county_direct[k]["published"] = not chosen
        model_based += bool(chosen)
        out.rows.append(_model_row(k, found.county_direct[k]["n"], estimate, mse, bool(chosen)))
    for k, estimate, mse in zip(others, syn, syn_mse, strict=True):
        if k in found.county_direct:
            found.county_direct[k]["published"] = False
        n = found.county_direct[k]["n"] if k in found.county_direct else 0
        out.rows.append(_model_row(k, n, min(max(estimate, 0.0), 1.0), mse, True))
        model_based += 1
    missing = [k for k in counties if k not in cov]
    if missing:
        warnings.append(
            _("%(n)d counties have no census covariates and keep their direct estimate only.")
            % {"n": len(missing)}
        )
    out.report = {
        "modelled": len(usable) + len(others), "model_based": model_based,
        "direct": len(usable) - int(np.sum(use_model)), "threshold": threshold,
        "sigma2_v": fit.sigma2_v, "beta": [float(b) for b in fit.beta],
        "converged": bool(fit.converged), "iterations": int(fit.iterations),
        "covariates": [_("share with senior secondary education or more"), _("urban share")],
    }  # fmt: skip
    return out


# --- item analysis ---------------------------------------------------------------------


def item_statistics(rnd, sample) -> list[dict]:
    """Classical statistics of every scored item, form by form (an item on several
    forms keeps the form where most answered it)."""
    if rnd.kind != c.RoundKind.LITERACY:
        return []
    from kepu.literacy.scoring import key_text, normalize

    slots = (
        FormItem.objects.filter(form__round=rnd, item__kind__in=c.SCORED_ITEM_KINDS)
        .order_by("form_id", "position")
        .values_list("form_id", "item_id", "item__kind", "item__key", "item__options", "points")
    )
    by_form: dict = {}
    for form, item, kind, key, options, points in slots:
        keys = [str(o.get("key")) for o in options or []] or ["T", "F"]
        by_form.setdefault(form, []).append((item, (kind, key_text(kind, key), keys, points)))
    best: dict = {}
    for form, items in by_form.items():
        rows = np.flatnonzero(sample.forms == form)
        if rows.size < 2 or len(items) < 3:
            continue
        answers = [
            [normalize(spec[0], sample.answers[i].get(str(item), "")) for item, spec in items]
            for i in rows
        ]
        stats = engine.item_statistics([spec for _item, spec in items], answers)
        for (item, _spec), s in zip(items, stats, strict=True):
            if item not in best or s["n"] > best[item]["n"]:
                best[item] = {"item": item, **s}
    return list(best.values())


def record_item_statistics(run, stats) -> None:
    """Write the item statistics of the run and the latest analysis onto each item (the
    bank's `record_item_statistics` where it exists)."""
    try:
        from kepu.literacy.services.bank import record_item_statistics as bank_record
    except ImportError:
        bank_record = None
    if bank_record is not None:
        bank_record(run, stats)
        return
    ItemStatistic.objects.bulk_create([
        ItemStatistic(run=run, item_id=s["item"], n=s["n"], p_value=s["p_value"],
                      discrimination=s["discrimination"], options=s["options"],
                      alpha_if_deleted=s["alpha_if_deleted"])
        for s in stats
    ])  # fmt: skip
    now = clock.now()
    items = [
        Item(pk=s["item"], p_value=s["p_value"], discrimination=s["discrimination"],
             stats_n=s["n"], stats_at=now)
        for s in stats
    ]  # fmt: skip
    Item.objects.bulk_update(items, ["p_value", "discrimination", "stats_n", "stats_at"],
                             batch_size=500)  # fmt: skip


def write_weights(sample, weighting: Weighting) -> None:
    """Each kept response's design and final weight. On PostgreSQL one statement joins
    the arrays (a bulk update's CASE over 2,000 ids per batch took minutes at 200,000
    responses)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Response._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} AS r SET design_weight = v.d, weight = v.w "  # noqa: S608
                "FROM unnest(%s::bigint[], %s::float8[], %s::float8[]) AS v(id, d, w) "
                "WHERE r.id = v.id",
                [
                    [int(pk) for pk in sample.pk],
                    [float(d) for d in weighting.design],
                    [float(w) for w in weighting.weights],
                ],
            )
        return
    rows = [
        Response(pk=int(pk), design_weight=float(d), weight=float(w))
        for pk, d, w in zip(sample.pk, weighting.design, weighting.weights, strict=True)
    ]
    Response.objects.bulk_update(rows, ["design_weight", "weight"], batch_size=2000)
