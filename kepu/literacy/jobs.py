"""Background jobs of the literacy app (`kepu.core.jobs`), one block per area."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kepu.core import jobs, schedules
from kepu.core.errors import DomainError

# -- estimation, reports and the index --


def _report_link(job):
    from django.urls import reverse

    return reverse("literacy:round_report", args=[job.params["round"]])


@jobs.kind(
    "literacy.estimate",
    title=gettext_lazy("Estimate a science-literacy survey round"),
    link=_report_link,
)
def estimate(run) -> dict:
    """The estimation of a round (weights, estimates with their standard errors, the
    counties' small-area model, the item analysis); repeating it makes a new current run,
    so it is not retried automatically."""
    from kepu.literacy.models import SurveyRound
    from kepu.literacy.services.estimation import estimate_round

    rnd = SurveyRound.objects.filter(pk=run.params["round"]).first()
    if rnd is None:
        raise DomainError(_("This survey round no longer exists."))
    result = estimate_round(rnd, actor=run.actor, progress=run.progress)
    warnings = result.report.get("warnings", [])
    run.outcome = _("%(n)d respondents estimated, %(w)d warnings.") % {
        "n": result.report["counts"]["respondents"],
        "w": len(warnings),
    }
    return {"run": result.pk, "warnings": warnings[:20]}


def _index_link(job):
    from django.urls import reverse

    return reverse("literacy:index_detail", args=[job.params["index"]])


@jobs.kind(
    "literacy.index",
    title=gettext_lazy("Compute a science-popularization index"),
    retries=1,
    link=_index_link,
)
def compute(run) -> dict:
    """The computation of an index (its values are replaced whole, so a retry is
    harmless)."""
    from kepu.literacy.models import IndexTree
    from kepu.literacy.services.index import compute_index

    tree = IndexTree.objects.filter(pk=run.params["index"]).first()
    if tree is None:
        raise DomainError(_("This index no longer exists."))
    summary = compute_index(tree, actor=run.actor, progress=run.progress)
    run.outcome = _("%(r)d regions compared on %(i)d indicators.") % {
        "r": summary["regions"],
        "i": summary["indicators"],
    }
    return {"left_out": summary["left_out"], "notes": summary["notes"]}


def _report_pdf_link(job):
    from django.urls import reverse

    return reverse("literacy:round_report", args=[job.params["round"]])


@jobs.kind(
    "literacy.report_pdf",
    title=gettext_lazy("PDF of a survey round's report"),
    retries=1,
    link=_report_pdf_link,
)
def report_pdf(run) -> dict:
    """The PDF of a big round's report (rendering it reads nothing but stored results, so
    a retry is harmless)."""
    from kepu.literacy.models import SurveyRound
    from kepu.literacy.reports import report_pdf_bytes

    rnd = SurveyRound.objects.filter(pk=run.params["round"]).first()
    if rnd is None:
        raise DomainError(_("This survey round no longer exists."))
    run.progress(0, 1, _("Rendering the report"))
    run.save_file(f"literacy-report-{rnd.pk}.pdf", report_pdf_bytes(rnd))
    run.progress(1, 1)
    return {}


# -- rounds and fielding: the schedule that closes the rounds whose window has ended --


@jobs.kind("literacy.close_due", title=gettext_lazy("Close survey rounds whose window ended"),
           retries=1)  # fmt: skip
def close_due(run) -> dict:
    """Close every round in the field past its `closes_at` (closing twice is refused
    under the row lock, so a retry is harmless)."""
    from kepu.literacy.services.rounds import close_due_rounds

    closed = close_due_rounds()
    run.outcome = _("%(n)d survey rounds closed.") % {"n": len(closed)}
    return {"closed": closed}


def _points_link(job):
    from django.urls import reverse

    return reverse("literacy:round_points", args=[job.params["round"]])


@jobs.kind(
    "literacy.points_pdf",
    title=gettext_lazy("QR sheet of a survey round's sample points"),
    retries=1,
    queue="bulk",
    link=_points_link,
)
def points_sheet(run) -> dict:
    """The interviewers' QR sheet of a big round (it writes nothing but its file, so a
    retry is harmless). The round and its points are read with the starter's scope as it
    is now: a role revoked since the start fails the job."""
    from kepu.core.scope import visible_to
    from kepu.literacy import points_pdf
    from kepu.literacy.models import SurveyRound

    rnd = None
    if run.actor is not None:
        rnd = visible_to(run.actor, SurveyRound.objects.with_relations(), public=False)
        rnd = rnd.filter(pk=run.params["round"]).first()
    if rnd is None:
        raise DomainError(_("This survey round no longer exists."))
    points = list(points_pdf.points_for(run.actor, rnd))
    run.progress(0, 1, _("Rendering the QR sheet"))
    run.save_file(
        points_pdf.file_name(rnd), points_pdf.sheet_bytes(rnd, points, base=run.params["base"])
    )
    run.progress(1, 1)
    run.outcome = _("%(n)d sample points on the sheet.") % {"n": len(points)}
    return {"points": len(points)}


schedules.every(
    "literacy.close_due", "literacy.close_due",
    title=gettext_lazy("Close survey rounds whose window ended"), minutes=15,
)  # fmt: skip
