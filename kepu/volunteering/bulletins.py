"""The volunteer service bulletin as a document (科技志愿服务工作通报): who may read
which region's bulletin, its title and issuer, the PDF, the audit entry of an export, and
the batch of the bulletins of every region under one (a background job).

When a PDF is made in the request: one region's bulletin is one document of a few pages,
about 0.6 s at province scale (the figures ~0.1 s from the counters, WeasyPrint ~0.5 s;
measured for issue 17), so it stays in the request. Several regions' bulletins (a
province's 21 cities, ~15 s) are always a job: the rule is "one document inline, a batch
in the background".
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import QueryDict
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from kepu.core import audit, jobs, periods
from kepu.core.choices import ROLE_SCOPE, OrgType, ScopeKind
from kepu.core.errors import DomainError
from kepu.core.models import Organization, Region
from kepu.core.pdf import render_pdf, zip_job_output
from kepu.core.scope import role_permissions
from kepu.volunteering import io, stats

PERMISSION = "volunteering.bulletin.view"
BATCH = "volunteering.bulletin_batch"


def bulletin_roots(user) -> list[Region]:
    """The top regions where the user may read bulletins (nested ones left out)."""
    regions = {
        a.region.path: a.region
        for a in user.assignments()
        if a.region_id
        and ROLE_SCOPE[a.role] == ScopeKind.REGION
        and PERMISSION in role_permissions(a.role)
    }
    paths = sorted(regions)
    return [regions[p] for p in paths if not any(p != o and p.startswith(o) for o in paths)]


def readable(region: Region, roots) -> bool:
    return any(region.is_within(root) for root in roots)


def subordinate_regions(focus: Region) -> list[Region]:
    """The regions one level under `focus`, in code order (one PDF each in a batch)."""
    return list(Region.objects.filter(parent=focus).order_by("code"))


def issuer(user, roots, focus) -> str:
    """Who issues the bulletin: the user's own organization, else the science and
    technology association of the user's scope (the region of their assignment that holds
    `focus`), else that association named after the region."""
    own = getattr(user, "organization", None)
    if own is not None:
        return own.name
    root = max((r for r in roots if focus.is_within(r)), key=lambda r: r.level)
    association = (
        Organization.objects.filter(region=root, org_type=OrgType.SCIENCE_ASSOCIATION)
        .order_by("pk")
        .first()
    )
    if association is not None:
        return association.name
    return _("%(region)s Association for Science and Technology") % {"region": root.name}


def title(focus, period) -> str:
    return _("%(region)s technology volunteer service bulletin (%(period)s)") % {
        "region": focus.name,
        "period": period.label,
    }


def pdf_name(focus, period) -> str:
    return f"volunteer-bulletin-{focus.code}-{period.slug}.pdf"


def record(focus, period, fmt: str, rows: int, **more) -> None:
    """The audit entry of a bulletin leaving the platform (a workbook, a PDF, a batch)."""
    audit.record(
        "volunteering.bulletin.exported",
        object_type="core.region",
        object_id=str(focus.pk),
        object_repr=focus.name,
        region_code=focus.code,
        detail={
            "region": focus.code,
            **period.audit_detail(),
            "format": fmt,
            "rows": rows,
            **more,
        },
    )


def render(user, roots, focus, period, data=None) -> bytes:
    """The PDF bulletin of `focus` over `period` (the caller checked `readable`)."""
    data = data or stats.compute(focus, period)
    labels = dict(io.bulletin_figures())
    return render_pdf(
        "volunteering/bulletin_pdf.html",
        {
            "focus": focus,
            "period": period,
            "data": data,
            "total": data.total,
            "ranked": data.ranked("completed"),
            "summary": stats.summary(data),
            "definitions": [(labels[key], text) for key, text in stats.definitions()],
            "title": title(focus, period),
            "issuer": issuer(user, roots, focus),
            "issued_on": formats.date_format(timezone.localdate(), "DATE_FORMAT"),
        },
    )


# --- the batch: every subordinate region's bulletin in one ZIP -------------------------


def start_batch(user, focus: Region, period, *, idem: str | None = None):
    """Start the job making the PDF bulletin of each region under `focus`."""
    return jobs.start(
        BATCH,
        actor=user,
        region=focus,
        params={"region": focus.code, "period": urlencode(period.params())},
        title=_("Bulletins of the regions under %(region)s (%(period)s)")
        % {"region": focus.name, "period": period.label},
        idem=idem,
    )


@jobs.kind(BATCH, title=gettext_lazy("Bulletins of subordinate regions"), retries=2, queue="bulk")
def _batch_job(run) -> dict:
    user = run.actor
    roots = bulletin_roots(user) if user is not None else []
    focus = Region.objects.filter(code=run.params["region"]).first()
    # The scope as it is now: a role revoked since the start fails the job.
    if focus is None or not readable(focus, roots):
        raise DomainError(_("You may no longer read the bulletins of this region."))
    period, _errors = periods.parse_period(QueryDict(run.params["period"]))
    children = subordinate_regions(focus)
    if not children:
        raise DomainError(_("%(region)s has no subordinate regions.") % {"region": focus.name})
    documents = [
        (pdf_name(c, period), c.name, lambda c=c: render(user, roots, c, period)) for c in children
    ]
    count = zip_job_output(run, documents, f"volunteer-bulletins-{focus.code}-{period.slug}.zip")
    record(focus, period, "zip", count, regions=[child.code for child in children])
    run.outcome = ngettext(
        "%(n)d bulletin in the ZIP file.", "%(n)d bulletins in the ZIP file.", count
    ) % {"n": count}
    return {"bulletins": count}
