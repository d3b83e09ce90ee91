"""Officer pages of survey rounds: the list (filters, export), create and edit a draft,
the round page (status steps and the next action, the design in words, the strata and
the fielding by county, links and QR codes), the steps, and the interviewers."""

import segno
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kepu.core import audit, exports, jobs, scope
from kepu.core.excel import Column
from kepu.core.forms import region_field
from kepu.core.models import Region, User
from kepu.core.pdf import pdf_response
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
from kepu.core.views.jobs import job_page
from kepu.literacy import choices as c
from kepu.literacy import points_pdf
from kepu.literacy.filters.rounds import RoundFilter
from kepu.literacy.forms.rounds import InterviewerForm, RoundForm
from kepu.literacy.models import SurveyRound
from kepu.literacy.permissions import get_round_for_user
from kepu.literacy.services import rounds as services

ROUND = "literacy:round_detail"
ORDER = ("-year", "-pk")


def _filtered(request):
    rows = visible_to(request.user, SurveyRound.objects.with_relations(), public=False)
    filterset = RoundFilter(request.GET or None, queryset=rows)
    filterset.form.fields["region"] = region_field(
        request.user, SurveyRound, "view", required=False
    )
    return filterset


@require_safe
@permission_required("literacy.surveyround.view")
def round_list(request):
    if request.GET.get("format") == "xlsx":
        return export_list(request, "literacy.surveyround")
    filterset = _filtered(request)
    rows = filterset.qs if filter_is_usable(filterset) else SurveyRound.objects.none()
    return render(
        request,
        "literacy/rounds/round_list.html",
        {
            "filter": filterset,
            "page": paginate(request, rows.order_by(*ORDER)),
            "query": query_without_page(request),
            "can_create": has_permission(request.user, "literacy.surveyround.create"),
            "can_export": has_permission(request.user, "literacy.surveyround.export"),
        },
    )


@exports.builder(
    "literacy.surveyround", permission="literacy.surveyround.export", back="literacy:round_list"
)
def round_export_rows(request):
    filterset = _filtered(request)
    if not filter_is_usable(filterset):
        return None
    return exports.Rows(
        queryset=visible_to(request.user, filterset.qs, "export").order_by(*ORDER),
        action="literacy.surveyround.exported",
        title=_("Survey rounds"),
        columns=[
            Column("name", _("Name"), width=30),
            Column("region", _("Organizing region"), width=14),
            Column("year", _("Year"), width=8),
            Column("kind", _("Kind"), width=18),
            Column("sample", _("Designed sample"), width=10),
            Column("responses", _("Responses"), width=10),
            Column("valid", _("Valid responses"), width=10),
            Column("status", _("Status"), width=12),
        ],
        to_values=lambda r: [
            r.name,
            r.region.name,
            r.year,
            r.get_kind_display(),
            r.sample_size,
            r.response_count,
            r.valid_count,
            r.get_status_display(),
        ],  # fmt: skip
        basename="survey-rounds",
    )


def _organizing_region(user):
    allowed = scope.allowed_regions(user, SurveyRound, "create")
    roots = [r for r in scope.scope_roots(user) if allowed.filter(pk=r.pk).exists()]
    if not roots:
        raise Http404
    return roots[0]


@permission_required("literacy.surveyround.create")
def round_create(request):
    region = _organizing_region(request.user)
    form = RoundForm(request.POST or None)
    done = submit_form(
        request,
        form,
        lambda: services.create_round(region, actor=request.user, **form.service_fields()),
        success=lambda r: reverse(ROUND, args=[r.pk]),
        message=_("Round saved as a draft: build its frame, allocate and assemble the forms."),
        fallback=reverse("literacy:round_list"),
    )
    return done or form_page(
        request, "literacy/rounds/round_form.html", form, {"round": None, "region": region}
    )


@permission_required("literacy.surveyround.change")
def round_edit(request, pk):
    round_ = get_round_for_user(request.user, pk, "change")
    form = RoundForm(request.POST or None, instance=round_)
    done = submit_form(
        request,
        form,
        lambda: services.change_round(round_, actor=request.user, **form.service_fields()),
        success=reverse(ROUND, args=[pk]),
        message=_("Changes saved."),
    )
    if done:
        return done
    round_.refresh_from_db()
    return form_page(
        request, "literacy/rounds/round_form.html", form, {"round": round_, "region": round_.region}
    )


def qr_svg(url: str) -> str:
    """An inline SVG data URI of a QR code (no script, no external request)."""
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


def design_words(round_, design, strata=0) -> str:
    return _(
        "For a margin of error of at most ±%(moe)s percentage points at a %(conf)s%% "
        "confidence level (z = %(z).2f), an expected literate share of %(p)s%% needs "
        "n = %(n0)s valid responses by simple random sampling; with a design effect of "
        "%(deff)s that is %(n1)s; at an expected response rate of %(rr)s%% the design "
        "fields %(n2)s."
    ) % {
        "moe": f"{float(round_.target_moe) * 100:.1f}",
        "conf": f"{float(round_.confidence) * 100:g}",
        "z": design.z,
        "p": f"{float(round_.expected_rate) * 100:g}",
        "n0": f"{design.effective:,}",
        "deff": f"{float(round_.design_effect):g}",
        "n1": f"{design.with_deff:,}",
        "rr": f"{float(round_.response_rate) * 100:g}",
        "n2": f"{design.designed:,}",
    } + (
        " "
        + _(
            "At least %(min)s per stratum over %(strata)s strata raises the designed "
            "sample to %(n)s."
        )
        % {"min": round_.min_per_stratum, "strata": f"{strata:,}", "n": f"{round_.sample_size:,}"}
        if strata and round_.sample_size > design.designed
        else ""
    )


def fielding_by_area(round_, strata) -> list[dict]:
    """Allocated, responses and valid responses per region one level below the round's
    (a province's round by city, a city's by county; a county's own strata by itself),
    from the strata's counters."""
    top = round_.region.path
    rows: dict = {}
    for s in strata:
        rest = s.region.path[len(top) :].split("/")[0] if s.region.path.startswith(top) else ""
        code = rest or round_.region.code
        row = rows.setdefault(code, {"code": code, "allocated": 0, "responses": 0, "valid": 0})
        row["allocated"] += s.allocated
        row["responses"] += s.responses
        row["valid"] += s.valid
    names = dict(Region.objects.filter(code__in=rows).values_list("code", "name"))
    for row in rows.values():
        row["name"] = names.get(row["code"], row["code"])
        row["share"] = round(100 * row["valid"] / row["allocated"]) if row["allocated"] else None
    return list(rows.values())


def _next_step(round_):
    """(step, label) of the next preparation step, or None."""
    if round_.status == c.RoundStatus.DRAFT:
        if not round_.strata.exists():
            return "frame", _("Build the sampling frame")
        if round_.kind == c.RoundKind.LITERACY and not round_.sample_size:
            return "allocate", _("Allocate the sample")
        if not round_.forms.exists():
            return "forms", _("Assemble the forms")
        return "open", _("Open the round for fielding")
    if round_.status == c.RoundStatus.OPEN:
        return "close", _("Close the fielding")
    return None


@require_safe
@permission_required("literacy.surveyround.view")
def round_detail(request, pk):
    round_ = get_round_for_user(request.user, pk)
    user = request.user
    organizer = scope.can(user, round_, "change")
    strata = list(round_.strata.select_related("region").order_by("region__path", "area"))
    areas = fielding_by_area(round_, strata)
    step = _next_step(round_) if organizer or scope.can(user, round_, "close") else None
    survey_url = request.build_absolute_uri(reverse("literacy:survey", args=[round_.token]))
    forms = list(round_.forms.order_by("label"))
    return render(
        request,
        "literacy/rounds/round_detail.html",
        {
            "round": round_,
            "flow": [
                (s, s.label, c.ROUND_FLOW.index(s) <= c.ROUND_FLOW.index(round_.status))
                for s in c.ROUND_FLOW
            ],  # fmt: skip
            "step": step,
            "organizer": organizer,
            "can_change": round_.can_change() and organizer,
            "design": design_words(round_, services.design_of(round_), len(strata)),
            "strata": strata,
            "areas": areas,
            "points": round_.points.count(),
            "forms": forms,
            "overlap": services.forms_overlap(round_) if len(forms) > 1 else 0,
            "survey_url": survey_url,
            "survey_qr": qr_svg(survey_url) if round_.status != c.RoundStatus.DRAFT else None,
            "interviewers": round_.interviewers.order_by("username"),
            "interviewer_form": InterviewerForm() if organizer else None,
            "totals": round_.strata.aggregate(pop=Sum("population")),
        },
    )


@require_safe
@permission_required("literacy.surveyround.view")
def round_points(request, pk):
    """The sample points with their links and QR codes, for printing for interviewers."""
    round_ = get_round_for_user(request.user, pk)
    if round_.status == c.RoundStatus.DRAFT:
        raise Http404
    page = paginate(request, points_pdf.points_for(request.user, round_), per_page=24)
    rows = []
    for point in page:
        url = request.build_absolute_uri(reverse("literacy:survey_point", args=[point.token]))
        rows.append((point, url, qr_svg(url)))
    return render(
        request, "literacy/rounds/round_points.html", {"round": round_, "page": page, "rows": rows}
    )


@require_safe
@permission_required("literacy.surveyround.view")
def round_points_pdf(request, pk):
    """The interviewers' QR sheet as a PDF (the points the user gets on the points page):
    rendered here up to `INLINE_POINTS`, by a job above (a province's sheet)."""
    round_ = get_round_for_user(request.user, pk)
    if round_.status == c.RoundStatus.DRAFT:
        raise Http404
    points = points_pdf.points_for(request.user, round_)
    count = points[: points_pdf.INLINE_POINTS + 1].count()
    big = count > points_pdf.INLINE_POINTS
    audit.record(
        "literacy.samplepoint.exported", obj=round_, actor=request.user,
        detail={"points": None if big else count, "job": big},
    )  # fmt: skip
    base = request.build_absolute_uri("/")
    if big:
        job = jobs.start(
            points_pdf.JOB, actor=request.user, region=round_.region,
            params={"round": round_.pk, "base": base},
            title=_("QR sheet of %(round)s") % {"round": round_.name},
        )  # fmt: skip
        return redirect(job_page(job))
    content = points_pdf.sheet_bytes(round_, points, base=base)
    return pdf_response(content, points_pdf.file_name(round_))


STEPS = {
    "frame": ("change", services.build_frame, _("Sampling frame built.")),
    "allocate": ("change", services.allocate_sample, _("Sample allocated.")),
    "forms": ("change", services.assemble_forms, _("Forms assembled.")),
    "open": ("open", services.open_round, _("The round is in the field.")),
    "close": ("close", services.close_round, _("The round is closed.")),
}


@require_POST
@permission_required("literacy.surveyround.view")
def round_step(request, pk, step):
    if step not in STEPS:
        raise Http404
    action, service, message = STEPS[step]
    round_ = get_round_for_user(request.user, pk, action)
    return run_step(
        request,
        lambda: service(round_, actor=request.user),
        back=reverse(ROUND, args=[pk]),
        message=message,
    )


@require_POST
@permission_required("literacy.surveyround.change")
def round_interviewer_add(request, pk):
    round_ = get_round_for_user(request.user, pk, "change")
    form = InterviewerForm(request.POST)

    def run():
        if not form.is_valid():
            raise services.DomainError(_("Give a username."))
        user = User.objects.filter(username=form.cleaned_data["username"]).first()
        if user is None:
            raise services.DomainError(_("No user with this username."))
        services.add_interviewer(round_, user, actor=request.user)

    return run_step(request, run, back=reverse(ROUND, args=[pk]), message=_("Interviewer added."))


@require_POST
@permission_required("literacy.surveyround.change")
def round_interviewer_remove(request, pk, user_pk):
    round_ = get_round_for_user(request.user, pk, "change")
    user = round_.interviewers.filter(pk=user_pk).first()
    if user is None:
        raise Http404
    return run_step(
        request,
        lambda: services.remove_interviewer(round_, user, actor=request.user),
        back=reverse(ROUND, args=[pk]),
        message=_("Interviewer removed."),
    )
