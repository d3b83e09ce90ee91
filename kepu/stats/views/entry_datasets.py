"""The data sets (reference data: tables, sections, indicators and their rules, read by
every signed-in user), and the province officers' changes: a validation rule added or
changed (the engine compiles it on the form), the shipped data set loaded for a year."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kepu.core import scope
from kepu.core.choices import RegionLevel
from kepu.core.views.common import form_page, paginate, permission_required, submit_form
from kepu.stats import prefill as registry
from kepu.stats import tables as shipped
from kepu.stats.forms.entry import IndicatorForm, LoadDataSetForm, RuleForm
from kepu.stats.models import DataSet, Indicator, ValidationRule
from kepu.stats.services import entry_indicators, entry_rules

DETAIL = "stats:dataset_detail"


def province_officer(user) -> bool:
    """May change the data sets: `stats.dataset.change` held at the province level (the
    survey's tables are the province's, not a city's or a county's)."""
    return scope.has_permission(user, "stats.dataset.change") and any(
        r.level == RegionLevel.PROVINCE for r in scope.scope_roots(user)
    )


def require_province_officer(user) -> None:
    if not province_officer(user):
        raise PermissionDenied


@require_safe
@login_required
def dataset_list(request):
    rows = DataSet.objects.order_by("-year", "code", "pk")
    return render(
        request,
        "stats/entry/dataset_list.html",
        {
            "page": paginate(request, rows),
            "can_change": province_officer(request.user),
            "load_form": LoadDataSetForm(),
        },
    )


@require_safe
@login_required
def dataset_detail(request, pk):
    data_set = get_object_or_404(DataSet, pk=pk)
    indicators = list(
        Indicator.objects.filter(data_set=data_set)
        .select_related("table", "section", "parent")
        .order_by("table__order", "order", "code")
    )
    tables: list[dict] = []
    for indicator in indicators:
        if not tables or tables[-1]["table"].pk != indicator.table_id:
            tables.append({"table": indicator.table, "rows": []})
        source = registry.SOURCES.get(indicator.prefill)
        tables[-1]["rows"].append({"indicator": indicator, "source": source})
    return render(
        request,
        "stats/entry/dataset_detail.html",
        {
            "data_set": data_set,
            "tables": tables,
            "rules": list(ValidationRule.objects.filter(data_set=data_set).order_by("code")),
            "can_change": province_officer(request.user),
        },
    )


@permission_required("stats.dataset.change")
def rule_create(request, pk):
    require_province_officer(request.user)
    data_set = get_object_or_404(DataSet, pk=pk)
    form = RuleForm(request.POST or None, data_set=data_set)
    done = submit_form(
        request,
        form,
        lambda: entry_rules.create_rule(data_set, actor=request.user, **form.service_fields()),
        success=reverse(DETAIL, args=[data_set.pk]),
        message=_("Rule saved: the next validation applies it."),
    )
    return done or form_page(
        request, "stats/entry/rule_form.html", form, {"data_set": data_set, "rule": None}
    )


@permission_required("stats.dataset.change")
def rule_edit(request, pk):
    require_province_officer(request.user)
    rule = get_object_or_404(ValidationRule.objects.select_related("data_set"), pk=pk)
    form = RuleForm(request.POST or None, instance=rule, data_set=rule.data_set)
    done = submit_form(
        request,
        form,
        lambda: entry_rules.change_rule(rule, actor=request.user, **form.service_fields()),
        success=reverse(DETAIL, args=[rule.data_set_id]),
        message=_("Changes saved."),
    )
    if done:
        return done
    rule.refresh_from_db()
    return form_page(
        request, "stats/entry/rule_form.html", form, {"data_set": rule.data_set, "rule": rule}
    )


def _indicator_page(request, data_set, indicator):
    form = IndicatorForm(request.POST or None, instance=indicator, data_set=data_set)

    def run():
        if indicator is None:
            return entry_indicators.create_indicator(
                data_set, actor=request.user, **form.service_fields()
            )
        return entry_indicators.change_indicator(
            indicator, actor=request.user, **form.service_fields()
        )

    done = submit_form(
        request,
        form,
        run,
        success=reverse(DETAIL, args=[data_set.pk]),
        message=_("Indicator saved."),
    )
    if done:
        return done
    if indicator is not None:
        indicator.refresh_from_db()
    return form_page(
        request,
        "stats/entry/indicator_form.html",
        form,
        {"data_set": data_set, "indicator": indicator},
    )


@permission_required("stats.dataset.change")
def indicator_create(request, pk):
    require_province_officer(request.user)
    return _indicator_page(request, get_object_or_404(DataSet, pk=pk), None)


@permission_required("stats.dataset.change")
def indicator_edit(request, pk):
    require_province_officer(request.user)
    indicator = get_object_or_404(Indicator.objects.select_related("data_set"), pk=pk)
    return _indicator_page(request, indicator.data_set, indicator)


@require_POST
@permission_required("stats.dataset.change")
def dataset_load(request):
    """Load the shipped tables, indicators and rules for a year (once; loading a year
    that exists changes nothing)."""
    require_province_officer(request.user)
    form = LoadDataSetForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("stats:dataset_list")
    year = form.cleaned_data["year"]
    done = submit_form(
        request,
        form,
        lambda: shipped.load_data_set(year, actor=request.user),
        success=lambda ds: reverse(DETAIL, args=[ds.pk]),
        message=_("The %(year)s data set is loaded.") % {"year": year},
        fallback=reverse("stats:dataset_list"),
    )
    return done or redirect("stats:dataset_list")
