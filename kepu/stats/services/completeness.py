"""Completeness and timeliness of a round per region (DHIS2's reporting rate): for the
region's children (the cities below the province, the counties below a city) and the
region's own units, how many units are assigned, not started, being filled, submitted,
returned, accepted, on time or late, and overdue (deadline passed, not submitted).

ONE grouped query over the `stats_return_progress` index (round, region, status), the
responsible regions being counties (or the city or province for their own units), and
the counties rolled up to their city in Python (a province has ~200 counties)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q

from kepu.core import clock
from kepu.core.models import Region
from kepu.core.scope import region_q
from kepu.stats import choices as c
from kepu.stats.models import RegionApproval, Return, SurveyRound
from kepu.stats.services import figures_cache

S = c.ReturnStatus
SUBMITTED_ONCE = (S.SUBMITTED, S.ACCEPTED)
ATTR = {
    S.NOT_STARTED: "not_started", S.DRAFT: "draft", S.SUBMITTED: "submitted",
    S.RETURNED: "returned", S.ACCEPTED: "accepted",
}  # fmt: skip


@dataclass
class Progress:
    region: Region | None
    own: bool = False  # the region's own units (not a child region)
    assigned: int = 0
    not_started: int = 0
    draft: int = 0
    submitted: int = 0
    returned: int = 0
    accepted: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    approval: str = c.ApprovalStatus.PENDING
    statuses: dict = field(default_factory=dict)

    def add(self, status: str, n: int, late: int, overdue: bool) -> None:
        self.assigned += n
        attr = ATTR[status]
        setattr(self, attr, getattr(self, attr) + n)
        if status in SUBMITTED_ONCE:
            self.late += late
            self.on_time += n - late
        elif overdue:
            self.overdue += n

    def merge(self, other: Progress) -> None:
        for name in ("assigned", "not_started", "draft", "submitted", "returned", "accepted",
                     "on_time", "late", "overdue"):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def completeness(self) -> float | None:
        return round(100 * self.accepted / self.assigned, 1) if self.assigned else None

    @property
    def timeliness(self) -> float | None:
        return round(100 * self.on_time / self.assigned, 1) if self.assigned else None

    @property
    def approved(self) -> bool:
        return self.approval == c.ApprovalStatus.APPROVED

    def get_approval_display(self):
        return c.ApprovalStatus(self.approval).label


def _grouped(survey_ids, region: Region):
    """(region_id, status, count, late count) rows: one index-only grouped query."""
    return (
        Return.objects.filter(region_q("region", [region]), round_id__in=survey_ids)
        .values_list("region_id", "status")
        .annotate(n=Count("pk"), late_n=Count("pk", filter=Q(late=True)))
        .order_by()
    )


def overview(surveys, region: Region) -> dict[int, Progress]:
    """Each round's totals over the region's subtree (one grouped query for all)."""
    today = clock.today()
    by_id = {s.pk: s for s in surveys}
    out = {pk: Progress(region) for pk in by_id}
    rows = (
        Return.objects.filter(region_q("region", [region]), round_id__in=list(by_id))
        .values("round_id", "status")
        .annotate(n=Count("pk"), late_n=Count("pk", filter=Q(late=True)))
        .order_by()
    )
    for row in rows:
        survey = by_id[row["round_id"]]
        out[survey.pk].add(row["status"], row["n"], row["late_n"], today > survey.units_due)
    return out


def breakdown(survey: SurveyRound, region: Region) -> tuple[Progress, list[Progress]]:
    """(the region's total, one row per child region with returns and, first, the
    region's own units when it has any), from the shared cache while the round's data
    has not changed."""
    return figures_cache.cached(
        survey.pk, f"breakdown:{region.pk}", lambda: _breakdown(survey, region)
    )


def _breakdown(survey: SurveyRound, region: Region) -> tuple[Progress, list[Progress]]:
    today = clock.today()
    overdue = today > survey.units_due
    rows = list(_grouped([survey.pk], region))
    paths = dict(Region.objects.filter(pk__in={r[0] for r in rows}).values_list("pk", "path"))
    depth = region.level + 1
    # Region id → the code of its ancestor right below `region` ("" for the region itself).
    child_of = {}
    for pk, path in paths.items():
        codes = [p for p in path.split("/") if p]
        child_of[pk] = codes[depth - 1] if len(codes) >= depth else ""
    total = Progress(region)
    own = Progress(region, own=True)
    children: dict[str, Progress] = {}
    for region_id, status, n, late in rows:
        code = child_of[region_id]
        target = (
            own if not code else children.get(code) or children.setdefault(code, Progress(None))
        )
        target.add(status, n, late, overdue)
        total.add(status, n, late, overdue)
    regions = {r.code: r for r in Region.objects.filter(code__in=list(children))}
    approvals = dict(
        RegionApproval.objects.filter(
            round=survey, region_id__in=[r.pk for r in regions.values()] + [region.pk]
        )
        .order_by()
        .values_list("region_id", "status")
    )
    out = [own] if own.assigned else []
    for code in sorted(children):
        row = children[code]
        row.region = regions[code]
        row.approval = approvals.get(row.region.pk, c.ApprovalStatus.PENDING)
        out.append(row)
    total.approval = own.approval = approvals.get(region.pk, c.ApprovalStatus.PENDING)
    return total, out
