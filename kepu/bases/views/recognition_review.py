"""Pages of recognition rounds, second half: the panel (draw, conflicts with reasons),
the expert's assignments and score sheet, the ranking with the cut-off for the 公示, the
objections to answer, the naming, the certificate PDF; and the public pages: the 公示
with its objection form, and the certificate check."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from kepu.bases import choices as bc
from kepu.bases.forms.recognition import (
    AnswerForm,
    ConflictForm,
    CutoffForm,
    NamingForm,
    ObjectionForm,
    ScoreForm,
)
from kepu.bases.models import Application, Base, Objection, PanelMember, ScoreSheet
from kepu.bases.models.recognition import AppStatus, ObjectionStatus, RoundStatus
from kepu.bases.services import recognition_review as review
from kepu.bases.views.recognition import ROUND, get_round_for_user
from kepu.core import audit, clock, ratelimit, scope
from kepu.core.pdf import pdf_response, qr_svg, render_pdf
from kepu.core.scope import get_for_user, visible_to
from kepu.core.uploads import file_response
from kepu.core.views.common import (
    form_page,
    paginate,
    permission_required,
    run_step,
    submit_form,
)

OBJECTION_LIMIT = 10  # objections per address and hour
VERIFY_LIMIT = 60


# --- the panel -------------------------------------------------------------------------


@permission_required("bases.recognitionround.panel")
def round_panel(request, pk):
    rnd = get_round_for_user(request.user, pk, "panel")
    if request.method == "POST":
        return run_step(
            request,
            lambda: review.draw_panel(rnd, actor=request.user),
            back=reverse("bases:round_panel", args=[pk]),
            message=_("Panel drawn; each expert has a score sheet for every application."),
        )
    panel = list(PanelMember.objects.filter(round=rnd).select_related("person__organization"))
    sheets = (
        ScoreSheet.objects.filter(application__round=rnd)
        .select_related("application", "expert")
        .order_by("application__name", "expert_id")
    )
    return render(
        request,
        "bases/round_panel.html",
        {
            "round": rnd,
            "panel": panel,
            "sheets": sheets,
            "conflicts": [s for s in sheets if s.conflict],
            "candidates": review.pool_candidates(rnd).count(),
            "can_draw": rnd.status == RoundStatus.REVIEWING
            and not any(s.submitted_at for s in sheets),
        },
    )


def get_sheet_for_user(user, pk, action="view"):
    return get_for_user(ScoreSheet.objects.with_relations(), user, pk, action, public=False)


@require_safe
@permission_required("bases.scoresheet.view")
def sheet_queue(request):
    """The expert's own assignments (officers: the paper sheets they may record)."""
    user = request.user
    rows = ScoreSheet.objects.with_relations().filter(
        application__round__status=RoundStatus.REVIEWING
    )
    if scope.has_permission(user, "bases.scoresheet.score"):
        rows = rows.filter(expert__user=user)
    else:
        rows = scope.actionable(user, rows, "record")
    return render(
        request,
        "bases/sheet_queue.html",
        {"page": paginate(request, rows.order_by("submitted_at", "application_id", "pk"))},
    )


@permission_required("bases.scoresheet.view")
def sheet_score(request, pk):
    sheet = get_sheet_for_user(request.user, pk)
    user = request.user
    can_score = scope.can(user, sheet, "score")
    on_behalf = not can_score and scope.can(user, sheet, "record")
    if request.method == "POST" and not (can_score or on_behalf):
        raise PermissionDenied
    app = sheet.application
    criteria = list(sheet.rubric.criteria.all())
    form = ScoreForm(request.POST or None, criteria=criteria, initial=sheet.values)
    editable = sheet.can_score() and (can_score or on_behalf)
    done = None
    if editable:
        done = submit_form(
            request,
            form,
            lambda: review.submit_score(
                sheet, actor=user, values=form.values(),
                comment=form.cleaned_data["comment"], on_behalf=on_behalf,
            ),
            success=reverse("bases:sheet_queue"),
            message=_("Score submitted."),
        )  # fmt: skip
    elif request.method == "POST":
        messages.error(request, _("This score sheet can no longer be changed."))
        return redirect("bases:sheet_score", pk=pk)
    return done or form_page(
        request,
        "bases/sheet_score.html",
        form,
        {
            "sheet": sheet,
            "app": app,
            "materials": app.materials.all(),
            "editable": editable,
            "conflict_form": ConflictForm(),
        },
    )


@require_safe
@permission_required("bases.scoresheet.view")
def sheet_material(request, pk, file_pk):
    """A material of the application a score sheet is about (experts read it here)."""
    sheet = get_sheet_for_user(request.user, pk)
    material = sheet.application.materials.filter(pk=file_pk).first()
    if material is None:
        raise Http404
    audit.record(
        "bases.applicationmaterial.downloaded", obj=material,
        detail={"application": sheet.application_id, "sheet": sheet.pk},
        region_code=sheet.application.round.region.code,
    )  # fmt: skip
    return file_response(
        material.file, content_type=material.content_type, name=material.name, download=True
    )


@require_POST
@permission_required("bases.scoresheet.score")
def sheet_conflict(request, pk):
    sheet = get_sheet_for_user(request.user, pk, "score")
    form = ConflictForm(request.POST)
    reason = form.data.get("reason", "")
    return run_step(
        request,
        lambda: review.declare_conflict(sheet, actor=request.user, reason=reason),
        back=reverse("bases:sheet_queue"),
        message=_("Conflict declared: this application is no longer yours to score."),
    )


# --- ranking, 公示, objections, naming --------------------------------------------------


@permission_required("bases.recognitionround.view")
def round_ranking(request, pk):
    rnd = get_round_for_user(request.user, pk, "publicize")
    form = CutoffForm(request.POST or None)
    done = None
    if rnd.status == RoundStatus.REVIEWING:
        done = submit_form(
            request,
            form,
            lambda: review.start_publicity(
                rnd, actor=request.user, cutoff=form.cleaned_data["cutoff"]
            ),
            success=reverse(ROUND, args=[pk]),
            message=_("The candidates are on public notice."),
        )
    elif request.method == "POST":
        messages.error(request, _("The public notice follows the expert review."))
        return redirect(ROUND, pk=pk)
    return done or form_page(
        request,
        "bases/round_ranking.html",
        form,
        {"round": rnd, "groups": review.ranking(rnd), "open": rnd.status == RoundStatus.REVIEWING},
    )


@require_safe
@permission_required("bases.objection.view")
def objection_queue(request):
    rows = visible_to(request.user, Objection.objects.with_relations(), public=False)
    if request.GET.get("all") != "1":
        rows = rows.filter(status=ObjectionStatus.PENDING)
    return render(
        request,
        "bases/objection_queue.html",
        {
            "page": paginate(request, rows.order_by("-filed_at", "-pk")),
            "all": request.GET.get("all"),
        },
    )


@permission_required("bases.objection.answer")
def objection_answer(request, pk):
    objection = get_for_user(
        Objection.objects.with_relations(), request.user, pk, "answer", public=False
    )
    form = AnswerForm(request.POST or None)
    done = None
    if objection.status == ObjectionStatus.PENDING:
        done = submit_form(
            request,
            form,
            lambda: review.answer_objection(
                objection, actor=request.user,
                upheld=form.cleaned_data["decision"] == "upheld",
                answer=form.cleaned_data["answer"],
            ),
            success=reverse("bases:objection_queue"),
            message=_("Answer recorded."),
        )  # fmt: skip
    return done or form_page(request, "bases/objection_answer.html", form, {"objection": objection})


@permission_required("bases.recognitionround.view")
def round_naming(request, pk):
    rnd = get_round_for_user(request.user, pk, "name")
    form = NamingForm(request.POST or None, initial={"decided_on": clock.today()})
    done = submit_form(
        request,
        form,
        lambda: review.name_bases(
            rnd, actor=request.user, decided_on=form.cleaned_data["decided_on"]
        ),
        success=reverse(ROUND, args=[pk]),
        message=lambda bases: (
            _("%(n)d bases named and entered in the registry.") % {"n": len(bases)}
        ),
    )
    candidates = rnd.applications.filter(
        status__in=(AppStatus.PUBLICITY, AppStatus.NAMED)
    ).select_related("base", "organization")
    return done or form_page(
        request,
        "bases/round_naming.html",
        form,
        {
            "round": rnd,
            "candidates": candidates.order_by("-score", "pk"),
            "pending": Objection.objects.filter(
                application__round=rnd, status=ObjectionStatus.PENDING
            ).count(),
            "open": rnd.status == RoundStatus.PUBLICITY,
        },
    )


# --- certificates ----------------------------------------------------------------------


def verify_url(request, number: str) -> str:
    return request.build_absolute_uri(reverse("bases:verify_number", args=[number]))


@require_safe
@permission_required("bases.base.view")
def certificate_pdf(request, pk):
    base = get_for_user(
        Base.objects.with_relations().exclude(number=""), request.user, pk, public=False
    )
    url = verify_url(request, base.number)
    named_by = Application.objects.filter(base=base).select_related("round__region").first()
    issuer = named_by.round.region if named_by else base.region
    with translation.override(settings.LANGUAGE_CODE):
        content = render_pdf(
            "bases/pdf/certificate.html",
            {
                "base": base,
                "issuer": issuer,
                "level": base.get_level_display(),
                "valid_from": formats.date_format(base.valid_from, "DATE_FORMAT"),
                "valid_to": formats.date_format(base.valid_to, "DATE_FORMAT"),
                "verify_url": url,
                "qr": qr_svg(url),
            },
        )
    audit.record(
        "bases.base.certificate_downloaded", obj=base, actor=request.user,
        detail={"number": base.number},
    )  # fmt: skip
    return pdf_response(content, f"certificate-{base.number}.pdf")


# --- public pages ----------------------------------------------------------------------


def _public(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _publicity_round(pk):
    from kepu.bases.models import RecognitionRound

    rnd = (
        RecognitionRound.objects.select_related("region")
        .filter(pk=pk, status__in=(RoundStatus.PUBLICITY, RoundStatus.NAMED, RoundStatus.CLOSED))
        .first()
    )
    if rnd is None or rnd.publicity_from is None:
        raise Http404
    return rnd


@require_safe
def public_publicity(request, pk):
    rnd = _publicity_round(pk)
    candidates = (
        Application.objects.filter(round=rnd, status__in=(AppStatus.PUBLICITY, AppStatus.NAMED))
        .select_related("organization", "region")
        .order_by("category", "-score", "pk")
    )
    return render(
        request,
        "bases/public/publicity.html",
        {
            "round": rnd,
            "candidates": candidates,
            "open": rnd.publicity_open_on(clock.today()),
        },
    )


@never_cache
def public_objection(request, pk):
    rnd = _publicity_round(pk)
    is_open = rnd.publicity_open_on(clock.today())
    candidates = Application.objects.filter(round=rnd, status=AppStatus.PUBLICITY).order_by("name")
    form = ObjectionForm(
        request.POST or None, candidates=candidates, initial={"client_key": uuid.uuid4()}
    )
    if request.method == "POST" and not ratelimit.allow(
        request, "bases-objection", limit=OBJECTION_LIMIT, per_seconds=3600
    ):
        return render(request, "core/errors/429.html", status=429)
    back = reverse("bases:public_publicity", args=[pk])

    def run():
        data = form.cleaned_data
        return review.file_objection(
            data["application"], name=data["name"], phone=data["phone"], text=data["text"],
            client_key=data.get("client_key"),
        )  # fmt: skip

    done = submit_form(
        request,
        form,
        run,
        success=back,
        message=_("Your objection has been received; the officers will answer it in writing."),
    )
    if done is not None:
        return done
    return _public(
        form_page(
            request, "bases/public/objection_form.html", form, {"round": rnd, "open": is_open}
        )
    )


@never_cache
@require_safe
def verify_number(request, number):
    if not ratelimit.allow(request, "base-verify", limit=VERIFY_LIMIT, per_seconds=60):
        return render(request, "core/errors/429.html", status=429)
    base = (
        Base.objects.select_related("organization", "region").filter(number=number[:40]).first()
        if number
        else None
    )
    return _public(
        render(
            request,
            "bases/public/verify.html",
            {
                "number": number[:40],
                "base": base,
                "listed": base is not None and base.is_listed(),
                "expired": base is not None and base.status == bc.BaseStatus.EXPIRED,
                "revoked": base is not None and base.status == bc.BaseStatus.REVOKED,
            },
            status=200 if base else 404,
        )
    )
