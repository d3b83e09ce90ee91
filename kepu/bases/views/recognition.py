"""Pages of recognition rounds, first half: the rounds (list, create, edit, detail with
the step button), the applications (list and export, "my applications" by scope, the
form, the detail with its whole history, withdraw, materials), the recommendation queue
and form, the formal-check queue and form."""

from django.db.models import Count
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_POST, require_safe

from kepu.bases import choices as bc
from kepu.bases.filters.recognition import ApplicationFilter
from kepu.bases.forms.recognition import ApplicationForm, CheckForm, RecommendForm, RoundForm
from kepu.bases.models import Application, RecognitionRound
from kepu.bases.models.recognition import AppStatus, RoundStatus
from kepu.bases.services import recognition as services
from kepu.core import audit, clock, exports, scope
from kepu.core.excel import Column
from kepu.core.forms import region_field
from kepu.core.models import AuditEntry
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
from kepu.core.workflow import held_back

ROUND = "bases:round_detail"
APPLICATION = "bases:application_detail"
STEP_LABELS = {
    RoundStatus.DRAFT: gettext_lazy("Open the call"),
    RoundStatus.OPEN: gettext_lazy("Close applications"),
    RoundStatus.RECOMMENDING: gettext_lazy("Close recommendation"),
    RoundStatus.CHECKING: gettext_lazy("Close the formal check"),
    RoundStatus.NAMED: gettext_lazy("Close the round"),
}


def get_round_for_user(user, pk, action="view"):
    return get_for_user(RecognitionRound.objects.with_relations(), user, pk, action)


def get_application_for_user(user, pk, action="view"):
    return get_for_user(Application.objects.with_relations(), user, pk, action, public=False)


# --- rounds ----------------------------------------------------------------------------


@require_safe
@permission_required("bases.recognitionround.view")
def round_list(request):
    rounds = visible_to(request.user, RecognitionRound.objects.with_relations())
    return render(
        request,
        "bases/round_list.html",
        {
            "page": paginate(request, rounds.order_by("-year", "-pk")),
            "can_create": has_permission(request.user, "bases.recognitionround.create"),
        },
    )


def _round_region(user):
    roots = scope.scope_roots(user)
    allowed = scope.allowed_regions(user, RecognitionRound, "create")
    roots = [r for r in roots if allowed.filter(pk=r.pk).exists()]
    if not roots:
        raise Http404
    return roots[0]


@permission_required("bases.recognitionround.create")
def round_create(request):
    region = _round_region(request.user)
    form = RoundForm(request.POST or None, user=request.user)
    done = submit_form(
        request,
        form,
        lambda: services.create_round(actor=request.user, region=region, **form.service_fields()),
        success=lambda rnd: reverse(ROUND, args=[rnd.pk]),
        message=_("Round created as a draft. Open the call when it is ready."),
        fallback=reverse("bases:round_list"),
    )
    return done or form_page(request, "bases/round_form.html", form, {"round": None})


@permission_required("bases.recognitionround.change")
def round_update(request, pk):
    rnd = get_round_for_user(request.user, pk, "change")
    form = RoundForm(request.POST or None, instance=rnd, user=request.user)
    done = submit_form(
        request,
        form,
        lambda: services.change_round(rnd, actor=request.user, **form.service_fields()),
        success=reverse(ROUND, args=[pk]),
        message=_("Changes saved."),
    )
    if done:
        rnd.refresh_from_db()
    return done or form_page(request, "bases/round_form.html", form, {"round": rnd})


@require_safe
@permission_required("bases.recognitionround.view")
def round_detail(request, pk):
    rnd = get_round_for_user(request.user, pk)
    user = request.user
    counts = dict(
        visible_to(user, Application, public=False)
        .filter(round=rnd)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    officer = scope.can(user, rnd, "advance")
    return render(
        request,
        "bases/round_detail.html",
        {
            "round": rnd,
            "counts": [(label, counts.get(value, 0)) for value, label in AppStatus.choices],
            "officer": officer,
            "step_label": STEP_LABELS.get(rnd.status) if officer else None,
            "can_change": officer and rnd.can_change(),
            "can_apply": rnd.is_open_on(clock.today())
            and has_permission(user, "bases.application.create"),
            "criteria": rnd.rubric.criteria.all(),
            "eligibility": rnd.eligibility,
            "min_areas": [
                (label, (rnd.eligibility.get("min_area") or {}).get(value))
                for value, label in bc.BaseCategory.choices
                if (rnd.eligibility.get("min_area") or {}).get(value)
            ],
        },
    )


@require_POST
@permission_required("bases.recognitionround.advance")
def round_advance(request, pk):
    rnd = get_round_for_user(request.user, pk, "advance")
    return run_step(
        request,
        lambda: services.advance_round(rnd, actor=request.user),
        back=reverse(ROUND, args=[pk]),
        message=lambda r: _("The round is now: %(status)s.") % {"status": r.get_status_display()},
    )


# --- applications ----------------------------------------------------------------------


def _filtered(request, queryset=None):
    queryset = visible_to(
        request.user,
        queryset if queryset is not None else Application.objects.with_relations(),
        public=False,
    )
    filterset = ApplicationFilter(request.GET or None, queryset=queryset)
    filterset.form.fields["region"] = region_field(
        request.user, Application, "view", required=False
    )
    return filterset


@require_safe
@permission_required("bases.application.view")
def application_list(request):
    filterset = _filtered(request)
    queryset = filterset.qs if filter_is_usable(filterset) else Application.objects.none()
    return render(
        request,
        "bases/application_list.html",
        {
            "filter": filterset,
            "page": paginate(request, queryset.order_by("-submitted_at", "-pk")),
            "query": query_without_page(request),
            "can_export": has_permission(request.user, "bases.application.export"),
        },
    )


def _columns():
    return [
        Column("round", _("Round"), width=30),
        Column("name", _("Base name"), width=30),
        Column("unit", _("Unit"), width=30),
        Column("region", _("Region"), width=14),
        Column("category", pgettext("base", "Category"), width=16),
        Column("status", _("Status"), width=16),
        Column("recommended_by", _("Recommended by"), width=20),
        Column("score", _("Score"), width=8),
        Column("submitted", _("Submitted at"), width=18),
    ]


def _values(app):
    rec = getattr(app, "recommendation", None)
    return [
        app.round.title,
        app.name,
        app.organization.name,
        app.region.name,
        app.get_category_display(),
        app.get_status_display(),
        rec.body_name if rec else "",
        app.score,
        timezone.localtime(app.submitted_at).strftime("%Y-%m-%d %H:%M"),
    ]


@exports.builder(
    "bases.application", permission="bases.application.export", back="bases:application_list"
)
def application_export_rows(request):
    filterset = _filtered(request)
    if not filter_is_usable(filterset):
        return None
    queryset = visible_to(request.user, filterset.qs, "export", public=False)
    return exports.Rows(
        queryset=queryset.order_by("-submitted_at", "-pk"),
        action="bases.application.exported",
        title=_("Recognition applications"),
        columns=_columns(),
        to_values=_values,
        basename="recognition-applications",
    )


@require_safe
@permission_required("bases.application.export")
def application_export(request):
    return export_list(request, "bases.application")


@permission_required("bases.application.create")
def application_create(request, pk):
    rnd = get_round_for_user(request.user, pk)
    if not rnd.is_open_on(clock.today()):
        raise Http404
    units = scope.member_units(request.user, Application, "create")
    form = ApplicationForm(
        request.POST or None, request.FILES or None, user=request.user, units=units
    )
    done = submit_form(
        request,
        form,
        lambda: services.submit_application(rnd, actor=request.user, **form.service_fields()),
        success=lambda app: reverse(APPLICATION, args=[app.pk]),
        message=_("Application submitted. It now awaits the recommending body."),
        fallback=reverse(ROUND, args=[pk]),
    )
    return done or form_page(
        request, "bases/application_form.html", form, {"round": rnd, "units": units}
    )


def history(obj) -> list:
    return list(
        AuditEntry.objects.filter(
            object_type=f"{obj._meta.app_label}.{obj._meta.model_name}", object_id=str(obj.pk)
        )
        .select_related("actor")
        .order_by("created_at", "pk")[:100]
    )


@require_safe
@permission_required("bases.application.view")
def application_detail(request, pk):
    app = get_application_for_user(request.user, pk)
    user = request.user
    rec = getattr(app, "recommendation", None)
    sheets = []
    if scope.can(user, app.round, "panel"):
        sheets = list(app.sheets.select_related("expert"))
    return render(
        request,
        "bases/application_detail.html",
        {
            "app": app,
            "rec": rec,
            "materials": app.materials.all(),
            "history": history(app),
            "check_items": [
                (label, app.check_items.get(code))
                for code, label in services.check_item_labels(app)
            ],
            "sheets": sheets,
            "can_withdraw": app.can_withdraw() and scope.can(user, app, "withdraw"),
            "can_recommend": services.awaiting_recommendation(user).filter(pk=app.pk).exists(),
            "can_check": app.status == AppStatus.RECOMMENDED
            and app.round.status == RoundStatus.CHECKING
            and scope.can(user, app, "check")
            and scope.can(user, app.round, "check"),
            "held_back": held_back(user, app, "check") or held_back(user, app, "recommend"),
        },
    )


@require_POST
@permission_required("bases.application.withdraw")
def application_withdraw(request, pk):
    app = get_application_for_user(request.user, pk, "withdraw")
    return run_step(
        request,
        lambda: services.withdraw_application(app, actor=request.user),
        back=reverse(APPLICATION, args=[pk]),
        message=_("Application withdrawn."),
    )


@require_safe
@permission_required("bases.application.view")
def material_download(request, pk, file_pk):
    app = get_application_for_user(request.user, pk)
    material = app.materials.filter(pk=file_pk).first()
    if material is None:
        raise Http404
    audit.record(
        "bases.applicationmaterial.downloaded", obj=material, detail={"application": app.pk},
        region_code=app.region.code,
    )  # fmt: skip
    return file_response(
        material.file, content_type=material.content_type, name=material.name, download=True
    )


# --- recommendation and formal check ---------------------------------------------------


@require_safe
@permission_required("bases.application.recommend")
def recommend_queue(request):
    rows = services.awaiting_recommendation(request.user, Application.objects.with_relations())
    return render(
        request,
        "bases/recommend_queue.html",
        {"page": paginate(request, rows.order_by("-submitted_at", "-pk"))},
    )


@permission_required("bases.application.recommend")
def application_recommend(request, pk):
    app = get_application_for_user(request.user, pk, "recommend")
    form = RecommendForm(request.POST or None)
    done = submit_form(
        request,
        form,
        lambda: services.recommend_application(app, actor=request.user, **form.service_fields()),
        success=reverse(APPLICATION, args=[pk]),
        message=_("Recommendation recorded."),
    )
    return done or form_page(request, "bases/application_recommend.html", form, {"app": app})


@require_safe
@permission_required("bases.application.check")
def check_queue(request):
    rows = scope.actionable(request.user, Application.objects.with_relations(), "check")
    rows = rows.filter(
        status=AppStatus.RECOMMENDED,
        round__status=RoundStatus.CHECKING,
        round__in=visible_to(request.user, RecognitionRound, "check", public=False).values("pk"),
    )
    return render(
        request,
        "bases/check_queue.html",
        {"page": paginate(request, rows.order_by("-submitted_at", "-pk"))},
    )


@permission_required("bases.application.check")
def application_check(request, pk):
    app = get_application_for_user(request.user, pk, "check")
    get_round_for_user(request.user, app.round_id, "check")  # the round's own officers
    form = CheckForm(request.POST or None, items=services.check_item_labels(app))
    done = submit_form(
        request,
        form,
        lambda: services.check_application(app, actor=request.user, **form.service_fields()),
        success=reverse(APPLICATION, args=[pk]),
        message=_("Formal check recorded."),
    )
    return done or form_page(request, "bases/application_check.html", form, {"app": app})
