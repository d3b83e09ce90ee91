"""Officer pages of fielding: the responses (filters, keyset pages, export; no answers in
the list), a response with its answers right or wrong, its times and flags, exclude and
restore; the dispositions; the census margins; and the interviewer's pages."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kepu.core import exports, scope
from kepu.core.excel import Column
from kepu.core.forms import region_field
from kepu.core.models import Region
from kepu.core.scope import has_permission, visible_to
from kepu.core.views.common import (
    export_list,
    filter_is_usable,
    paginate,
    permission_required,
    query_without_page,
    run_step,
)
from kepu.literacy import choices as c
from kepu.literacy import scoring
from kepu.literacy.filters.rounds import ResponseFilter
from kepu.literacy.forms.rounds import ContactForm, ReasonForm
from kepu.literacy.models import Contact, PopulationMargin, Response, SurveyRound
from kepu.literacy.permissions import get_response_for_user, get_round_for_user
from kepu.literacy.services import fielding
from kepu.literacy.services import margins as margin_services
from kepu.literacy.views.survey import fill, point_of

ORDER = ("-submitted_at", "-pk")


def _filtered(request):
    rows = visible_to(request.user, Response.objects.with_relations())
    filterset = ResponseFilter(request.GET or None, queryset=rows)
    filterset.form.fields["region"] = region_field(request.user, Response, "view", required=False)
    return filterset


@require_safe
@permission_required("literacy.response.view")
def response_list(request):
    if request.GET.get("format") == "xlsx":
        return export_list(request, "literacy.response")
    filterset = _filtered(request)
    rows = filterset.qs if filter_is_usable(filterset) else Response.objects.none()
    round_ = None
    if (
        filterset.is_bound
        and filter_is_usable(filterset)
        and filterset.form.cleaned_data.get("round")
    ):
        round_ = (
            visible_to(request.user, SurveyRound)
            .filter(pk=filterset.form.cleaned_data["round"])
            .first()
        )
    return render(
        request,
        "literacy/rounds/response_list.html",
        {
            "filter": filterset,
            "round": round_,
            "page": paginate(request, rows.defer("answers", "item_seconds").order_by(*ORDER)),
            "query": query_without_page(request),
            "can_export": has_permission(request.user, "literacy.response.export"),
        },
    )


@exports.builder(
    "literacy.response", permission="literacy.response.export", back="literacy:response_list"
)
def response_export_rows(request):
    filterset = _filtered(request)
    if not filter_is_usable(filterset):
        return None
    return exports.Rows(
        queryset=visible_to(request.user, filterset.qs, "export")
        .defer("answers", "item_seconds")
        .order_by(*ORDER),
        action="literacy.response.exported",
        title=_("Survey responses"),
        columns=[
            Column("id", _("Response"), width=10),
            Column("round", _("Survey round"), width=24),
            Column("county", _("County"), width=12),
            Column("area", _("Urban or rural")),
            Column("sex", _("Sex"), width=6),
            Column("age", _("Age"), width=8),
            Column("education", _("Education")),
            Column("occupation", _("Occupation")),
            Column("key_group", _("Key group")),
            Column("mode", _("Mode")),
            Column("form", _("Form"), width=6),
            Column("seconds", _("Time taken (s)"), width=8),
            Column("total", _("Score"), width=8),
            Column("tier", _("Tier")),
            Column("quality", _("Quality"), width=8),
            Column("flags", _("Quality flags")),
            Column("submitted", _("Submitted at")),
        ],  # fmt: skip
        to_values=lambda r: [
            r.pk,
            r.round.name,
            r.region.name,
            r.get_area_display(),
            r.get_sex_display(),
            r.age_band,
            r.get_education_display(),
            r.get_occupation_display(),
            r.get_key_group_display(),
            r.get_mode_display(),
            r.form.label,
            r.seconds,
            r.total,
            r.get_tier_display(),
            r.get_quality_display(),
            "、".join(str(c.QualityFlag(f).label) for f in r.flags if f in c.QualityFlag.values),
            r.submitted_at.strftime("%Y-%m-%d %H:%M"),
        ],  # fmt: skip
        basename="survey-responses",
    )


@require_safe
@permission_required("literacy.response.view")
def response_detail(request, pk):
    response = get_response_for_user(request.user, pk)
    slots = fielding.slots_of(response.form)
    items = {fi.item_id: fi.item for fi in response.form.slots.select_related("item__dimension")}
    rows = []
    for slot in slots:
        answer = response.answers.get(str(slot.item), "")
        rows.append({
            "item": items[slot.item], "answer": answer, "key": slot.key,
            "right": slot.is_right(scoring.normalize(slot.kind, answer)) if slot.key else None,
            "seconds": response.item_seconds.get(str(slot.item)),
        })  # fmt: skip
    can_judge = scope.can(request.user, response, "exclude") and response.round.status in (
        c.RoundStatus.OPEN, c.RoundStatus.CLOSED,
    )  # fmt: skip
    return render(
        request,
        "literacy/rounds/response_detail.html",
        {
            "response": response, "rows": rows,
            "flags": [c.QualityFlag(f).label for f in response.flags if f in c.QualityFlag.values],
            "can_judge": can_judge, "reason_form": ReasonForm() if can_judge else None,
        },
    )  # fmt: skip


def _judge(request, pk, service, message):
    response = get_response_for_user(request.user, pk, "exclude")
    form = ReasonForm(request.POST)
    reason = form.data.get("reason", "")
    return run_step(
        request,
        lambda: service(response, actor=request.user, reason=reason),
        back=reverse("literacy:response_detail", args=[pk]),
        message=message,
    )


@require_POST
@permission_required("literacy.response.exclude")
def response_exclude(request, pk):
    return _judge(request, pk, fielding.exclude_response, _("Response excluded."))


@require_POST
@permission_required("literacy.response.exclude")
def response_restore(request, pk):
    return _judge(request, pk, fielding.restore_response, _("Response restored."))


@require_safe
@permission_required("literacy.surveyround.view")
def round_dispositions(request, pk):
    round_ = get_round_for_user(request.user, pk)
    contacts = visible_to(request.user, Contact).filter(round=round_)
    return render(
        request,
        "literacy/rounds/round_dispositions.html",
        {
            "round": round_,
            "d": fielding.dispositions(round_, contacts),
            "outcomes": Contact.Outcome.choices,
        },  # fmt: skip
    )


@require_safe
@permission_required("literacy.populationmargin.view")
def margin_list(request):
    """The margins of one region (the user's own by default) with the check that every
    variable adds up, and the regions below with theirs."""
    field = region_field(request.user, PopulationMargin, "view", required=False)
    code = request.GET.get("region") or ""
    roots = scope.scope_roots(request.user)
    region = Region.objects.filter(code=code).first() if code else (roots[0] if roots else None)
    if region is None or not field.queryset.filter(pk=region.pk).exists():
        raise Http404
    table = margin_services.margins_of(region)
    variables = []
    for var, categories in margin_services.CATEGORIES.items():
        cats = table.get(var, {})
        variables.append({
            "label": c.MarginVar(var).label,
            "rows": [(label, cats.get(value)) for value, label in categories.choices if value],
            "total": sum(cats.values()) if cats else None,
        })  # fmt: skip
    children = list(region.children.order_by("code"))
    with_margins = set(
        PopulationMargin.objects.filter(region__in=children, year=margin_services.CENSUS_YEAR)
        .values_list("region_id", flat=True)
        .distinct()
    )
    return render(
        request,
        "literacy/rounds/margin_list.html",
        {
            "region": region, "variables": variables,
            "errors": margin_services.check_margins(region) if table else [],
            "children": [(child, child.pk in with_margins) for child in children],
            "parent": region.parent if region.parent_id and field.queryset.filter(
                pk=region.parent_id).exists() else None,
            "can_import": has_permission(request.user, "literacy.populationmargin.change"),
            "can_edit": scope.allowed_regions(request.user, PopulationMargin, "change")
            .filter(pk=region.pk).exists(),
            "year": margin_services.CENSUS_YEAR,
        },
    )  # fmt: skip


@require_safe
@permission_required("literacy.surveyround.interview")
def interview_list(request):
    rounds = (
        SurveyRound.objects.with_relations()
        .filter(interviewers=request.user, status=c.RoundStatus.OPEN)
        .order_by("-year", "-pk")
    )
    return render(request, "literacy/rounds/interview_list.html", {"rounds": rounds})


@permission_required("literacy.surveyround.interview")
def interview(request, pk):
    """The interviewer fills the questionnaire for a respondent at a sample point."""
    round_ = get_round_for_user(request.user, pk, "interview")
    if not scope.can(request.user, round_, "interview"):
        raise PermissionDenied
    points = list(round_.points.select_related("stratum__region").order_by("code"))
    point_pk = request.GET.get("point") or request.POST.get("point")
    if not point_pk or not str(point_pk).isdigit():
        return render(
            request, "literacy/rounds/interview_points.html",
            {"round": round_, "points": points, "contact_form": ContactForm()},
        )  # fmt: skip
    point = point_of(round_, int(point_pk))
    return fill(
        request, round_, point=point, interviewer=request.user,
        template="literacy/rounds/interview.html",
        done_url=lambda r: reverse("literacy:interview", args=[pk]) + "?done=1",
    )  # fmt: skip


@require_POST
@permission_required("literacy.contact.create")
def contact_create(request, pk):
    round_ = get_round_for_user(request.user, pk, "interview")
    if not scope.can(request.user, round_, "interview"):
        raise PermissionDenied
    form = ContactForm(request.POST)
    back = reverse("literacy:interview", args=[pk])

    def run():
        if not form.is_valid():
            raise fielding.DomainError(_("Choose the sample point and the outcome."))
        point = point_of(round_, form.cleaned_data["point"])
        return fielding.record_contact(
            point, actor=request.user, outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
        )  # fmt: skip

    return run_step(request, run, back=back, message=_("Contact recorded."))
