"""The 科普指数 (science-popularization index) of a region: its subordinate regions
compared on an indicator tree read from the registries, normalized (min–max to 0–100 or
z-score) and weighted (by experts, by coefficient of variation or by entropy), with a
total, a ranking, the decomposition by first-level indicator and a method note written
from the settings. Computed as a job (`literacy.index`), published to the portal."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
from django.db import transaction
from django.utils.translation import gettext as _

from kepu.core import audit, clock, publiccache, scope
from kepu.core.errors import DomainError, StateConflict
from kepu.core.models import Region
from kepu.literacy import choices as c
from kepu.literacy import index_sources
from kepu.literacy.models import IndexNode, IndexTree, IndexValue

PUBLIC_TAG = "literacy-index"


def require(actor, obj, action) -> None:
    """The actor may `action` `obj` (in scope, no object rule refuses); the system
    (actor None) always may."""
    if actor is None:
        return
    if not scope.visible_to(actor, type(obj), action, public=False).filter(pk=obj.pk).exists():
        raise DomainError(_("This is outside your scope."))
    scope.check(actor, obj, action)


def _locked(tree) -> IndexTree:
    return (
        IndexTree.objects.select_for_update(of=("self",)).select_related("region").get(pk=tree.pk)
    )


@transaction.atomic
def create_index(
    region, *, actor, year, name="", normalization=c.Normalization.MINMAX,
    weighting=c.Weighting.CV, method_note="",
) -> IndexTree:  # fmt: skip
    """A new index of `region` for `year` with the default indicator tree."""
    scope.require_region(actor, IndexTree, "create", region)
    if not Region.objects.filter(parent=region).exists():
        raise DomainError(_("An index compares the subordinate regions: this region has none."))
    tree = IndexTree(
        region=region, year=year,
        name=name or _("%(region)s science-popularization index %(year)s")
        % {"region": region.name, "year": year},
        normalization=normalization, weighting=weighting, method_note=method_note,
        created_by=actor,
    )  # fmt: skip
    tree.full_clean()
    tree.save()
    position = 0
    for code, label, weight, leaves in index_sources.DEFAULT_TREE:
        parent = IndexNode.objects.create(
            tree=tree, code=code, name=label, expert_weight=Decimal(weight), position=position
        )
        position += 1
        for leaf_code, leaf_label, source, per_capita, leaf_weight in leaves:
            IndexNode.objects.create(
                tree=tree, parent=parent, code=leaf_code, name=leaf_label, source=source,
                per_capita=per_capita, expert_weight=Decimal(leaf_weight), position=position,
            )  # fmt: skip
            position += 1
    audit.created(tree, actor=actor)
    return tree


@transaction.atomic
def change_index(tree, *, actor, **fields) -> IndexTree:
    """Change the settings (name, year, normalization, weighting, note) of an index not
    yet published; its values are computed again by the next computation."""
    tree = _locked(tree)
    require(actor, tree, "change")
    if tree.published_at is not None:
        raise StateConflict(_("A published index is not changed."))
    before = audit.snapshot(tree, IndexTree.AUDIT_FIELDS)
    for name, value in fields.items():
        if name not in IndexTree.EDITABLE_FIELDS:
            raise ValueError(name)
        setattr(tree, name, value)
    tree.full_clean()
    tree.save(update_fields=list(fields))
    audit.record(
        "literacy.indextree.changed", obj=tree, actor=actor,
        changes=audit.diff(before, audit.snapshot(tree, IndexTree.AUDIT_FIELDS)),
    )  # fmt: skip
    return tree


@transaction.atomic
def set_expert_weights(tree, *, actor, weights: dict[str, Decimal]) -> IndexTree:
    """The experts' weights of the nodes ({node code: weight ≥ 0}); siblings' weights are
    used in proportion, so they need not add up to 1."""
    tree = _locked(tree)
    require(actor, tree, "change")
    if tree.published_at is not None:
        raise StateConflict(_("A published index is not changed."))
    nodes = {n.code: n for n in tree.nodes.all()}
    unknown = sorted(set(weights) - set(nodes))
    if unknown:
        raise DomainError(_("Unknown indicators: %(codes)s.") % {"codes": ", ".join(unknown)})
    changed = {}
    for code, weight in weights.items():
        weight = Decimal(weight)
        if weight < 0:
            raise DomainError(_("A weight cannot be negative."))
        if nodes[code].expert_weight != weight:
            changed[code] = [str(nodes[code].expert_weight), str(weight)]
            nodes[code].expert_weight = weight
            nodes[code].save(update_fields=["expert_weight"])
    audit.record("literacy.indextree.weighted", obj=tree, actor=actor, changes=changed)
    return tree


# --- the computation ---------------------------------------------------------------


def _normalize(values: np.ndarray, how: str) -> np.ndarray:
    """Min–max to 0–100 (all equal: 100 each) or z-scores (all equal: 0 each)."""
    if how == c.Normalization.ZSCORE:
        sd = values.std()
        return np.zeros_like(values) if sd == 0 else (values - values.mean()) / sd
    low, high = values.min(), values.max()
    return np.full_like(values, 100.0) if high == low else (values - low) / (high - low) * 100


def objective_weights(matrix: np.ndarray, how: str) -> np.ndarray:
    """Weights of the columns of `matrix` (regions × indicators, raw values): by the
    coefficient of variation (sd / mean: an indicator on which the regions differ more
    weighs more) or by entropy (1 − the normalized Shannon entropy of each column's
    shares after min–max scaling to (0, 1]). Columns with no variation get 0; all zero:
    equal weights."""
    k = matrix.shape[1]
    if how == c.Weighting.CV:
        means = matrix.mean(axis=0)
        sds = matrix.std(axis=0)
        raw = np.divide(sds, np.abs(means), out=np.zeros(k), where=means != 0)
    else:
        low, high = matrix.min(axis=0), matrix.max(axis=0)
        span = np.where(high > low, high - low, 1.0)
        scaled = (matrix - low) / span + 1e-9  # (0, 1]: the log is defined
        shares = scaled / scaled.sum(axis=0)
        n = matrix.shape[0]
        entropy = -(shares * np.log(shares)).sum(axis=0) / np.log(n) if n > 1 else np.ones(k)
        raw = np.where(high > low, 1 - entropy, 0.0)
    total = raw.sum()
    return raw / total if total > 0 else np.full(k, 1 / k)


def _leaf_values(tree, regions, leaves) -> tuple[dict, list[str]]:
    """{leaf code: {region pk: value}} of the leaves with a source, per 10,000
    inhabitants where asked; and the notes on what could not be read."""
    notes = []
    values = {}
    populations = None
    for leaf in leaves:
        source = index_sources.SOURCES.get(leaf.source)
        if source is None or not source.available:
            notes.append(
                _("%(name)s: no source yet, left out of the weights.") % {"name": leaf.name}
            )
            continue
        read = source.read(regions, tree.year)
        if leaf.per_capita:
            if populations is None:
                populations = index_sources.population(regions, tree.year)
            missing = [r.name for r in regions if r.pk not in populations]
            if missing:
                notes.append(
                    _("%(name)s: no population for %(regions)s, left out.")
                    % {"name": leaf.name, "regions": "、".join(missing)}
                )
                continue
            read = {pk: v * 10000 / populations[pk] for pk, v in read.items()}
        if any(read.get(r.pk) is None for r in regions):
            notes.append(_("%(name)s: no value for some regions, left out.") % {"name": leaf.name})
            continue
        values[leaf.code] = {r.pk: float(read[r.pk]) for r in regions}
    return values, notes


def _weights(tree, firsts, used, matrix) -> dict[str, float]:
    """The global weight of each used leaf (adding up to 1)."""
    if tree.weighting == c.Weighting.EXPERT:
        by_parent = {}
        for leaf in used:
            by_parent.setdefault(leaf.parent_id, []).append(leaf)
        top = {f.pk: float(f.expert_weight) for f in firsts if f.pk in by_parent}
        top_total = sum(top.values()) or 1.0
        out = {}
        for parent_id, leaves in by_parent.items():
            inner = sum(float(x.expert_weight) for x in leaves) or float(len(leaves))
            for leaf in leaves:
                share = (float(leaf.expert_weight) or 1.0 * (inner == len(leaves))) / inner
                out[leaf.code] = top[parent_id] / top_total * share
        return out
    found = objective_weights(matrix, tree.weighting)
    return {leaf.code: float(w) for leaf, w in zip(used, found, strict=True)}


def method_note(tree, n, used, weights, notes) -> str:
    """The method note, written from the settings and what was computed."""
    norm = c.Normalization(tree.normalization).label
    how = c.Weighting(tree.weighting).label
    lines = [
        _(
            "The index compares the %(n)d subordinate regions of %(region)s in %(year)d. "
            "Each indicator is read from the platform's registries (per 10,000 inhabitants "
            "where marked, with the census population), normalized by %(norm)s and weighted "
            "by %(how)s; a region's score is the weighted sum of its normalized values, and "
            "a first-level indicator's score the sum of its indicators'."
        )
        % {
            "n": n,
            "region": tree.region.name,
            "year": tree.year,
            "norm": str(norm),
            "how": str(how),
        },  # fmt: skip
        _("Weights: %(w)s.")
        % {"w": "; ".join(f"{leaf.name} {weights[leaf.code]:.3f}" for leaf in used)},
        *notes,
    ]
    if tree.method_note:
        lines.append(tree.method_note)
    return "\n".join(lines)


@transaction.atomic
def compute_index(tree, *, actor, progress=None) -> dict:
    """Read every source for the subordinate regions, normalize, weigh, score and rank;
    the values are replaced all at once (one transaction). Refuses when no indicator
    has a source."""
    tree = _locked(tree)
    require(actor, tree, "compute")
    if tree.published_at is not None:
        raise StateConflict(_("A published index is not computed again."))
    regions = list(Region.objects.filter(parent=tree.region).order_by("code"))
    if len(regions) < 2:
        raise DomainError(_("An index needs at least two subordinate regions to compare."))
    nodes = list(tree.nodes.all())
    firsts = [n for n in nodes if n.parent_id is None]
    leaves = [n for n in nodes if n.parent_id is not None]
    values, notes = _leaf_values(tree, regions, leaves)
    used = [leaf for leaf in leaves if leaf.code in values]
    if not used:
        raise DomainError(_("No indicator of this index has a source with values yet."))
    matrix = np.array([[values[leaf.code][r.pk] for leaf in used] for r in regions])
    weights = _weights(tree, firsts, used, matrix)
    normalized = {
        leaf.code: _normalize(matrix[:, j], tree.normalization) for j, leaf in enumerate(used)
    }
    IndexValue.objects.filter(tree=tree).delete()
    rows = []
    by_first = {f.pk: np.zeros(len(regions)) for f in firsts}
    for leaf in used:
        score = normalized[leaf.code] * weights[leaf.code]
        by_first[leaf.parent_id] += score
        for i, r in enumerate(regions):
            rows.append(IndexValue(
                tree=tree, node=leaf, region=r, raw=values[leaf.code][r.pk],
                normalized=float(normalized[leaf.code][i]), weight=weights[leaf.code],
                score=float(score[i]),
            ))  # fmt: skip
    total = np.zeros(len(regions))
    for first in firsts:
        weight = sum(weights[leaf.code] for leaf in used if leaf.parent_id == first.pk)
        if not weight:
            continue
        total += by_first[first.pk]
        order = _ranks(by_first[first.pk])
        for i, r in enumerate(regions):
            rows.append(IndexValue(
                tree=tree, node=first, region=r, raw=None, normalized=None, weight=weight,
                score=float(by_first[first.pk][i]), rank=order[i],
            ))  # fmt: skip
    order = _ranks(total)
    for i, r in enumerate(regions):
        rows.append(IndexValue(tree=tree, node=None, region=r, score=float(total[i]),
                               rank=order[i]))  # fmt: skip
    IndexValue.objects.bulk_create(rows)
    tree.computed_at = clock.now()
    tree.save(update_fields=["computed_at"])
    summary = {
        "regions": len(regions), "indicators": len(used),
        "left_out": [leaf.code for leaf in leaves if leaf.code not in values],
        "notes": notes, "note": method_note(tree, len(regions), used, weights, notes),
        "weights": {code: round(w, 6) for code, w in weights.items()},
    }  # fmt: skip
    audit.record("literacy.indextree.computed", obj=tree, actor=actor, detail=summary)
    return summary


def _ranks(scores: np.ndarray) -> list[int]:
    """1 for the highest score; equal scores share the better rank."""
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    ranks = [0] * len(scores)
    for place, i in enumerate(order):
        prev = order[place - 1] if place else None
        same = prev is not None and scores[prev] == scores[i]
        ranks[i] = ranks[prev] if same else place + 1
    return ranks


@transaction.atomic
def publish_index(tree, *, actor) -> IndexTree:
    """Make a computed index public (the portal's page of indices)."""
    tree = _locked(tree)
    require(actor, tree, "publish")
    if tree.computed_at is None:
        raise StateConflict(_("Compute the index before publishing it."))
    if tree.published_at is not None:
        raise StateConflict(_("This index is already published."))
    tree.published_at = clock.now()
    tree.save(update_fields=["published_at"])
    audit.record("literacy.indextree.published", obj=tree, actor=actor)
    publiccache.bump(PUBLIC_TAG)
    return tree
