"""Annual self-report pages: the list of a year's reports with completeness by region
(one grouped query), the unit's form (phone-first), submit, return for correction,
accept, the report deadline, the Excel export."""

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kepu.bases import annual_choices as c
from kepu.bases.filters.annual import ReportFilter
from kepu.bases.forms.annual import ReportForm, ReturnForm, WindowForm
from kepu.bases.models import AnnualReport, Base, ReportWindow
from kepu.bases.services import annual as services
from kepu.core import audit, clock, exports, scope
from kepu.core.excel import Column
from kepu.core.forms import region_field
from kepu.core.models import Region
from kepu.core.scope import get_for_user, has_permission, visible_to
from kepu.core.uploads import file_response
from kepu.core.views.common import (
    export_list,
    filter_is_usable,
    form_page,
    paginate,
    permission_required,
    query_without_page,
    run_step,
    submit_form,
)

DETAIL = "bases:report_detail"
BADGES = {
    c.ReportStatus.DRAFT: "bg-secondary-lt",
    c.ReportStatus.SUBMITTED: "bg-blue-lt",
    c.ReportStatus.RETURNED: "bg-orange-lt",
    c.ReportStatus.ACCEPTED: "bg-green-lt",
}
MY_BASES = 20


def get_report_for_user(user, pk, action="view") -> AnnualReport:
    return get_for_user(AnnualReport.objects.with_relations(), user, pk, action, public=False)


def current_year() -> int:
    """Reports are on the year just ended."""
    return clock.today().year - 1


def _year(request) -> int:
    try:
        year = int(request.POST.get("year") or request.GET.get("year") or current_year())
    except ValueError:
        return current_year()
    return year if 2000 <= year <= 2100 else current_year()


def _filtered(request, queryset=None):
    queryset = visible_to(
        request.user,
        queryset if queryset is not None else AnnualReport.objects.with_relations(),
        public=False,
    )
    filterset = ReportFilter(request.GET or None, queryset=queryset)
    filterset.form.fields["region"] = region_field(
        request.user, AnnualReport, "view", required=False
    )
    return filterset


def completeness(user, year: int) -> list[dict]:
    """Per child region of the user's scope: listed bases, reports filed, accepted and
    late (two grouped queries, not one per row)."""
    roots = scope.scope_roots(user)
    if len(roots) != 1:
        return []
    root = roots[0]
    children = list(Region.objects.filter(parent=root).order_by("code"))
    if not children:
        children = [root]
    depth = len(children[0].path)

    def grouped(rows, **aggregates):
        out = {}
        for path, *values in (
            rows.filter(region__path__startswith=root.path)
            .values_list("region__path")
            .annotate(**aggregates)
            .order_by()
        ):
            key = path[:depth]
            out[key] = [a + b for a, b in zip(out.get(key, [0] * len(values)), values, strict=True)]
        return out

    bases = grouped(visible_to(user, Base.objects.listed(), public=False), n=Count("pk"))
    reports = grouped(
        visible_to(user, AnnualReport.objects.filter(year=year), public=False),
        filed=Count("pk", filter=Q(status__in=c.FILED_STATUSES)),
        accepted=Count("pk", filter=Q(status=c.ReportStatus.ACCEPTED)),
        late=Count("pk", filter=Q(late=True)),
    )
    table = []
    for region in children:
        n = (bases.get(region.path) or [0])[0]
        filed, accepted, late = reports.get(region.path) or [0, 0, 0]
        if not n and not filed:
            continue
        table.append(
            {
                "region": region,
                "bases": n,
                "filed": filed,
                "accepted": accepted,
                "late": late,
                "share": round(filed * 100 / n) if n else 0,
            }
        )
    return table


def my_bases(user, year: int):
    """Listed bases the user may file a report for, without one on `year` yet."""
    if not has_permission(user, "bases.annualreport.create"):
        return []
    rows = (
        visible_to(user, Base.objects.listed(), "change", public=False)
        .exclude(reports__year=year)
        .select_related("region")
        .order_by("name", "pk")
    )
    return list(rows[:MY_BASES])


@require_safe
@permission_required("bases.annualreport.view")
def report_list(request):
    filterset = _filtered(request)
    rows = filterset.qs if filter_is_usable(filterset) else AnnualReport.objects.none()
    page = paginate(request, rows.order_by("-year", "-pk"))
    for report in page:
        report.badge = BADGES.get(report.status, "bg-blue-lt")
    year = _year(request)
    user = request.user
    return render(
        request,
        "bases/annual_report_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query_without_page(request),
            "year": year,
            "completeness": completeness(user, year)
            if has_permission(user, "bases.annualreport.review")
            else [],
            "to_file": my_bases(user, year),
            "today": clock.today(),
            "can_export": has_permission(user, "bases.annualreport.export"),
            "can_set_window": has_permission(user, "bases.reportwindow.create"),
        },
    )


@require_POST
@permission_required("bases.annualreport.create")
def report_start(request, base):
    found = get_for_user(Base.objects.all(), request.user, base, "change", public=False)
    year = _year(request)
    holder = {}

    def run():
        holder["report"] = services.open_report(found, year, actor=request.user)

    response = run_step(request, run, back=reverse("bases:report_list"))
    if "report" in holder:
        return redirect("bases:report_edit", pk=holder["report"].pk)
    return response


@permission_required("bases.annualreport.change")
def report_edit(request, pk):
    report = get_report_for_user(request.user, pk, "change")
    if not report.is_editable():
        messages.error(request, _("This report has been submitted; it can no longer be changed."))
        return redirect(DETAIL, pk=pk)
    # The form checks the figures on a copy; the service saves them under a lock.
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        instance=AnnualReport.objects.get(pk=report.pk),
    )
    done = submit_form(
        request,
        form,
        lambda: services.save_report(
            report,
            actor=request.user,
            evidence=form.cleaned_data.get("evidence"),
            **form.service_fields(),
        ),
        success=reverse(DETAIL, args=[pk]),
        message=_("Report saved. Submit it when it is complete."),
    )
    return done or form_page(request, "bases/annual_report_form.html", form, {"report": report})


@require_safe
@permission_required("bases.annualreport.view")
def report_detail(request, pk):
    report = get_report_for_user(request.user, pk)
    user = request.user
    can_review = report.can_review() and scope.can(user, report, "review")
    return render(
        request,
        "bases/annual_report_detail.html",
        {
            "report": report,
            "badge": BADGES.get(report.status, "bg-blue-lt"),
            "evidence": list(report.evidence.all()),
            "can_edit": report.is_editable() and scope.can(user, report, "change"),
            "can_review": can_review,
            "overdue": report.is_editable()
            and report.due_on is not None
            and report.due_on < clock.today(),
        },
    )


@require_safe
@permission_required("bases.annualreport.view")
def report_evidence(request, pk, item):
    report = get_report_for_user(request.user, pk)
    evidence = report.evidence.filter(pk=item).first()
    if evidence is None:
        raise Http404
    audit.record(
        "bases.reportevidence.downloaded",
        obj=evidence,
        detail={"report": report.pk},
        region_code=report.region.code,
    )
    return file_response(
        evidence.file, content_type=evidence.content_type, name=evidence.name, download=True
    )


@require_POST
@permission_required("bases.annualreport.change")
def report_submit(request, pk):
    report = get_report_for_user(request.user, pk, "change")
    return run_step(
        request,
        lambda: services.submit_report(report, actor=request.user),
        back=reverse(DETAIL, args=[pk]),
        message=_("Report submitted."),
    )


@permission_required("bases.annualreport.review")
def report_return(request, pk):
    report = get_report_for_user(request.user, pk, "review")
    form = ReturnForm(request.POST or None)
    done = submit_form(
        request,
        form,
        lambda: services.return_report(
            report, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        success=reverse(DETAIL, args=[pk]),
        message=_("Report returned for correction."),
    )
    return done or form_page(request, "bases/annual_report_return.html", form, {"report": report})


@require_POST
@permission_required("bases.annualreport.review")
def report_accept(request, pk):
    report = get_report_for_user(request.user, pk, "review")
    return run_step(
        request,
        lambda: services.accept_report(report, actor=request.user),
        back=reverse(DETAIL, args=[pk]),
        message=_("Report accepted."),
    )


@permission_required("bases.reportwindow.create")
def report_window(request):
    form = WindowForm(request.POST or None, user=request.user, initial={"year": current_year()})
    done = submit_form(
        request,
        form,
        lambda: services.set_report_window(actor=request.user, **form.cleaned_data),
        success=reverse("bases:report_list"),
        message=lambda w: (
            _("Reports on %(year)s are due on %(day)s.")
            % {"year": w.year, "day": w.due_on.isoformat()}
        ),
    )
    if done:
        return done
    windows = visible_to(request.user, ReportWindow.objects.select_related("region"))[:20]
    return form_page(request, "bases/annual_window_form.html", form, {"windows": windows})


def _columns():
    return [
        Column("base", _("Base"), width=30),
        Column("region", _("Region"), width=14),
        Column("year", _("Year"), width=8),
        Column("status", _("Status"), width=12),
        Column("late", _("Filed late"), width=8),
        Column("open_days", _("Open days"), width=10),
        Column("visitors", _("Visitors"), width=12),
        Column("students", _("Of which students"), width=12),
        Column("activities", _("Activities held"), width=10),
        Column("published", _("Published on the platform"), width=10),
        Column("renewal", _("Renewal (%)"), width=10),
        Column("docents", _("Docents"), width=8),
        Column("submitted", _("Submitted at")),
    ]


def _values(report):
    return [
        report.base.name,
        report.region.name,
        report.year,
        report.get_status_display(),
        _("Yes") if report.late else _("No"),
        report.open_days,
        report.visitors,
        report.students,
        report.activities_held,
        report.activities_published,
        report.renewal_pct,
        report.docents,
        report.submitted_at.strftime("%Y-%m-%d %H:%M") if report.submitted_at else "",
    ]


@exports.builder(
    "bases.annualreport", permission="bases.annualreport.export", back="bases:report_list"
)
def report_export_rows(request):
    filterset = _filtered(request, AnnualReport.objects.with_relations())
    if not filter_is_usable(filterset):
        return None
    queryset = visible_to(request.user, filterset.qs, "export", public=False)
    return exports.Rows(
        queryset=queryset.order_by("-year", "-pk"),
        action="bases.annualreport.exported",
        title=_("Annual self-reports"),
        columns=_columns(),
        to_values=_values,
        basename="base-annual-reports",
    )


@require_safe
@permission_required("bases.annualreport.export")
def report_export(request):
    return export_list(request, "bases.annualreport")
