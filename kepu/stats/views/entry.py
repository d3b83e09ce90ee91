"""Entry pages: a return's form (one table at a time: values, registry counts, last
year's values, the findings and the warnings' explanations; save and submit), its
history, and "my returns" (the unit's returns across rounds, or the returns a region
fills on behalf of units without accounts)."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kepu.core import exports, scope
from kepu.core.excel import Column
from kepu.core.scope import has_permission, visible_to
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
from kepu.stats import choices as c
from kepu.stats import prefill as registry
from kepu.stats.filters.entry import MyReturnFilter
from kepu.stats.forms.entry import ReturnTableForm, explain_name, reason_name
from kepu.stats.models import Indicator, Return, StatTable, Value
from kepu.stats.permissions import get_return_for_user, get_round_for_user, returns_with_relations
from kepu.stats.services import prefill as prefill_service
from kepu.stats.services import returns as services

FORM = "stats:return_form"


def number(value) -> str:
    """A stored value as the form shows it (12, 3.5; empty for not applicable)."""
    if value is None:
        return ""
    text = f"{value.normalize():f}"
    return text


def readonly_reason(ret: Return, can_fill: bool) -> tuple[str, str]:
    """(why the return cannot be changed, its kind) or ("", "") when it can."""
    S = c.ReturnStatus
    if ret.status == S.SUBMITTED:
        return (
            _("Submitted on %(date)s: waiting for the county to accept or return it.")
            % {"date": ret.submitted_at.date().isoformat() if ret.submitted_at else "—"},
            "submitted",
        )
    if ret.status == S.ACCEPTED:
        return (
            _(
                "Accepted by the county: its values count in the totals. To change it, ask "
                "the county to return it."
            ),
            "accepted",
        )
    if ret.round.status != c.RoundStatus.OPEN:
        return _("The survey is not open for filing."), "closed"
    if services.locked(ret):
        return (
            _(
                "The deadline (%(date)s) has passed: the return is locked. Ask the level above "
                "for an exception."
            )
            % {"date": ret.round.units_due.isoformat()},
            "locked",
        )
    if not can_fill:
        return _("You may read this return but not fill it."), "readonly"
    return "", ""


def _table(ret: Return, code: str | None) -> tuple[StatTable, list[StatTable]]:
    tables = list(StatTable.objects.filter(data_set_id=ret.round.data_set_id).order_by("order"))
    if not tables:
        raise Http404
    if not code:
        return tables[0], tables
    for table in tables:
        if table.code == code:
            return table, tables
    raise Http404


def _findings_by_code(findings):
    by_code = defaultdict(list)
    for finding in findings:
        for code in finding.get("codes") or ():
            by_code[code].append(finding)
    return by_code


def _sections(ret, table, form, values, previous, by_code, field_errors):
    """The table's indicators grouped by section, breakdowns under their total."""
    sections: list[dict] = []
    for indicator in form.indicators:
        if not sections or sections[-1]["section"] != indicator.section_id:
            sections.append(
                {
                    "section": indicator.section_id,
                    "name": indicator.section.name if indicator.section else "",
                    "rows": [],
                }
            )
        stored = values.get(indicator.pk)
        source = registry.SOURCES.get(indicator.prefill)
        has_registry = stored is not None and stored.registry is not None
        current = form[indicator.code].value() if form.is_bound else None
        if form.is_bound:
            differs = has_registry and (current or "").strip() != number(stored.registry)
        else:
            differs = has_registry and stored.value != stored.registry
        sections[-1]["rows"].append(
            {
                "indicator": indicator,
                "field": form[indicator.code],
                "reason": form[reason_name(indicator.code)],
                "stored": stored,
                "source": source,
                "registry": number(stored.registry) if has_registry else None,
                "differs": differs,
                "previous": number(previous.get(indicator.code))
                if previous.get(indicator.code) is not None
                else None,
                "findings": by_code.get(indicator.code, []),
                "errors": field_errors.get(indicator.code, []),
            }
        )
    return sections


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required("stats.return.view")
def return_form(request, pk):
    """GET shows a table of the return (?table=KP-1); POST saves it, or saves and
    submits it (`action=submit`)."""
    ret = get_return_for_user(request.user, pk)
    if request.method == "POST":
        get_return_for_user(request.user, pk, "fill")
    can_fill = scope.can(request.user, ret, "fill")
    table, tables = _table(ret, request.GET.get("table"))
    indicators = list(
        Indicator.objects.filter(table=table)
        .select_related("section", "parent")
        .order_by("order", "code")
    )
    warnings = [f for f in ret.findings if f.get("importance") == c.Importance.WARNING]
    banner, banner_kind = readonly_reason(ret, can_fill)
    values = {v.indicator_id: v for v in Value.objects.filter(ret=ret, indicator__in=indicators)}
    initial = {}
    for indicator in indicators:
        stored = values.get(indicator.pk)
        if stored is not None:
            initial[indicator.code] = number(stored.value)
            initial[reason_name(indicator.code)] = stored.reason
    for finding in warnings:
        initial[explain_name(finding["key"])] = ret.explanations.get(finding["key"], "")
    form = ReturnTableForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        indicators=indicators,
        warnings=warnings,
        readonly=bool(banner),
    )
    url = f"{reverse(FORM, args=[ret.pk])}?table={table.code}"

    def run():
        fresh = Return.objects.get(pk=ret.pk)
        findings = services.save_values(
            fresh,
            form.raw_values(),
            actor=request.user,
            reasons=form.reasons(),
            explanations=form.explanations(),
        )
        if form.submitting:
            services.submit(fresh, actor=request.user)
            return _("Submitted to the county.")
        errors = sum(f.is_error for f in findings)
        return _("Saved: %(errors)s errors, %(warnings)s warnings.") % {
            "errors": errors,
            "warnings": len(findings) - errors,
        }

    if request.method == "POST":
        done = submit_form(request, form, run, success=url, message=lambda text: text)
        if done:
            return done
        ret = get_return_for_user(request.user, pk)  # what was saved before a refusal
        banner, banner_kind = readonly_reason(ret, can_fill)
    previous = services.previous_values(ret)
    findings = ret.findings
    field_errors = {code: form.errors.get(code, []) for code in form.errors}
    sections = _sections(ret, table, form, values, previous, _findings_by_code(findings),
                         field_errors)  # fmt: skip
    explain_fields = [{"finding": f, "field": form[explain_name(f["key"])]} for f in warnings]
    return form_page(
        request,
        "stats/entry/return_form.html",
        form,
        {
            "ret": ret,
            "table": table,
            "tables": tables,
            "sections": sections,
            "errors": [f for f in findings if f.get("importance") == c.Importance.ERROR],
            "explain_fields": explain_fields,
            "banner": banner,
            "banner_kind": banner_kind,
            "editable": not banner,
            "can_fill": can_fill,
            "can_prefill": not banner and any(i.prefill in registry.SOURCES for i in indicators),
            "has_previous": bool(previous),
            "returned": _returned_because(ret),
        },
    )


def _returned_because(ret: Return):
    """The county's last return of the return (reason, who, when), shown to the unit
    while it corrects it."""
    if ret.status != c.ReturnStatus.RETURNED:
        return None
    return ret.events.filter(action=c.EventAction.RETURN).order_by("-at", "-pk").first()


@require_POST
@permission_required("stats.return.fill")
def return_prefill(request, pk):
    """Fetch the registry counts again for this return (the unit's typed values stay)."""
    ret = get_return_for_user(request.user, pk, "fill")
    back = request.POST.get("table") or ""
    url = reverse(FORM, args=[ret.pk]) + (f"?table={back}" if back.isascii() and back else "")
    banner, _kind = readonly_reason(ret, True)
    if banner:
        messages.error(request, banner)
        return redirect(url)
    return run_step(
        request,
        lambda: prefill_service.prefill(ret, actor=request.user),
        back=url,
        message=_("The registry counts are up to date."),
    )


@require_safe
@permission_required("stats.return.view")
def return_detail(request, pk):
    """The return's history (who did what, when, with which reason) and the registry
    values it overrides, with their reasons."""
    ret = get_return_for_user(request.user, pk)
    events = list(ret.events.select_related("actor").order_by("at", "pk"))
    overrides = list(
        Value.objects.filter(ret=ret)
        .filter(Q(source=c.ValueSource.OVERRIDDEN) | ~Q(reason=""))
        .select_related("indicator")
        .order_by("indicator__order")
    )
    return render(
        request,
        "stats/entry/return_detail.html",
        {
            "ret": ret,
            "events": events,
            "overrides": [
                {"value": v, "now": number(v.value), "registry": number(v.registry)}
                for v in overrides
            ],
            "can_fill": scope.can(request.user, ret, "fill"),
        },
    )


# -- my returns --------------------------------------------------------------------------


def my_returns_queryset(user):
    """The unit's own returns (staff), and the returns the user's region fills on behalf
    of units without accounts (officers)."""
    rows = visible_to(user, returns_with_relations(), "fill", public=False)
    units = [o.pk for o in scope.member_units(user, Return, "fill")]
    mine = Q(organization_id__in=units) if units else Q(pk__in=[])
    if scope.scope_roots(user):
        mine |= Q(filled_by_region=True)
    return rows.filter(mine)


def _filtered(request):
    return MyReturnFilter(request.GET or None, queryset=my_returns_queryset(request.user))


@require_safe
@permission_required("stats.return.fill")
def my_returns(request):
    if request.GET.get("format") == "xlsx":
        return export_list(request, "stats.myreturns")
    filterset = _filtered(request)
    rows = filterset.qs if filter_is_usable(filterset) else Return.objects.none()
    return render(
        request,
        "stats/entry/my_returns.html",
        {
            "filter": filterset,
            "page": paginate(request, rows.order_by("-pk")),
            "query": query_without_page(request),
            "can_export": has_permission(request.user, "stats.return.export"),
        },
    )


@exports.builder("stats.myreturns", permission="stats.return.export", back="stats:my_returns")
def my_returns_export(request):
    filterset = _filtered(request)
    if not filter_is_usable(filterset):
        return None
    return exports.Rows(
        queryset=visible_to(request.user, filterset.qs, "export").order_by("-pk"),
        action="stats.return.exported",
        title=_("My statistics returns"),
        columns=[
            Column("round", _("Statistics survey"), width=28),
            Column("organization", _("Reporting unit"), width=28),
            Column("region", _("Responsible region"), width=14),
            Column("status", _("Status"), width=12),
            Column("due", _("Filing deadline"), width=12),
            Column("errors", _("Validation errors"), width=8),
            Column("warnings", _("Validation warnings"), width=8),
        ],
        to_values=lambda r: [
            r.round.title,
            r.organization.name,
            r.region.name,
            r.get_status_display(),
            r.round.units_due,
            r.errors,
            r.warnings,
        ],
        basename="stats-returns",
    )


@require_POST
@permission_required("stats.surveyround.assign")
def round_prefill(request, pk):
    """Pre-fill every editable return of a round from the registries (a background job:
    a province has 20,000 units). The round's own officers start it."""
    from kepu.core import jobs
    from kepu.core.views.jobs import form_job_key, job_page

    survey = get_round_for_user(request.user, pk, "assign")
    job = jobs.start(
        "stats.prefill",
        actor=request.user,
        region=survey.region,
        params={"round": survey.pk},
        idem=form_job_key(request, "stats.prefill"),
    )
    return redirect(job_page(job))
