"""Talent evaluation pages (seeds 000 (五), 003 (八), 004 (24)): rounds, applications with
the record assembled from the registries, the unit's recommendation, the region's scoring,
the ranking and the results."""

from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kepu.core import exports, scope
from kepu.core.excel import Column
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
from kepu.people.models import EvaluationRound, Person, TalentApplication
from kepu.people.talents import choices as c
from kepu.people.talents import services
from kepu.people.talents.filters import ApplicationFilter, RoundFilter
from kepu.people.talents.forms import ApplicationForm, ItemForm, ReturnForm, RoundForm, ScoreForm

R, A = "people.evaluationround", "people.talentapplication"


def get_round_for_user(user, pk, action="view") -> EvaluationRound:
    return get_for_user(EvaluationRound.objects.with_relations(), user, pk, action)


def get_application_for_user(user, pk, action="view") -> TalentApplication:
    return get_for_user(
        TalentApplication.objects.with_relations().select_related("round__rubric"),
        user,
        pk,
        action,
        public=False,
    )


# -- rounds --------------------------------------------------------------------------------


@require_safe
@permission_required(f"{R}.view")
def round_list(request):
    queryset = visible_to(request.user, EvaluationRound.objects.with_relations()).order_by(
        "-year", "-pk"
    )
    filterset = RoundFilter(request.GET or None, queryset=queryset)
    rows = filterset.qs if filter_is_usable(filterset) else queryset.none()
    return render(
        request,
        "people/talent_round_list.html",
        {
            "filter": filterset,
            "page": paginate(request, rows),
            "query": query_without_page(request),
            "can_create": has_permission(request.user, f"{R}.create"),
        },
    )


@permission_required(f"{R}.create")
def round_create(request):
    form = RoundForm(request.POST or None, user=request.user)
    done = submit_form(
        request,
        form,
        lambda: services.create_round(actor=request.user, **form.cleaned_data),
        success=lambda rnd: reverse("people:talent_round_detail", args=[rnd.pk]),
        message=lambda rnd: _("Evaluation round “%(name)s” created.") % {"name": rnd},
    )
    return done or form_page(request, "people/talent_round_form.html", form)


@permission_required(f"{R}.change")
def round_update(request, pk):
    rnd = get_round_for_user(request.user, pk, "change")
    if not rnd.can_edit():
        messages.error(request, _("Only a draft round can be changed."))
        return redirect("people:talent_round_detail", pk=rnd.pk)
    form = RoundForm(request.POST or None, instance=rnd, user=request.user, action="change")
    done = submit_form(
        request,
        form,
        lambda: services.update_round(rnd, actor=request.user, **form.cleaned_data),
        success=reverse("people:talent_round_detail", args=[rnd.pk]),
        message=_("The round is saved."),
    )
    return done or form_page(request, "people/talent_round_form.html", form, {"round": rnd})


@require_safe
@permission_required(f"{R}.view")
def round_detail(request, pk):
    rnd = get_round_for_user(request.user, pk)
    user = request.user
    counts = dict(
        visible_to(user, TalentApplication.objects.filter(round=rnd))
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    can_manage = scope.can(user, rnd, "publish")
    return render(
        request,
        "people/talent_round_detail.html",
        {
            "round": rnd,
            "counts": [
                (value, label, counts.get(value, 0)) for value, label in c.ApplicationStatus.choices
            ],
            "can_manage": can_manage,
            "can_edit": can_manage and rnd.can_edit(),
            "can_apply": rnd.accepts_applications() and has_permission(user, f"{A}.create"),
            "criteria": list(rnd.rubric.criteria.all()) if rnd.rubric_id else [],
        },
    )


def _round_step(request, pk, service, message):
    rnd = get_round_for_user(request.user, pk, "publish")
    return run_step(
        request,
        lambda: service(rnd, actor=request.user),
        back=reverse("people:talent_round_detail", args=[rnd.pk]),
        message=message,
    )


@require_POST
@permission_required(f"{R}.publish")
def round_open(request, pk):
    return _round_step(request, pk, services.open_round, _("The round is open for applications."))


@require_POST
@permission_required(f"{R}.publish")
def round_close(request, pk):
    return _round_step(request, pk, services.close_round, _("Applications are closed; review."))


@require_POST
@permission_required(f"{R}.publish")
def round_publish(request, pk):
    return _round_step(
        request, pk, services.publish_round, _("The results are published and recorded.")
    )


def _ranking_rows(user, rnd):
    return (
        visible_to(user, TalentApplication.objects.with_relations())
        .filter(round=rnd, rank__isnull=False)
        .order_by("rank", "pk")
    )


def _provisional(user, rnd):
    """Before publication: the scored applications by mean score (the ranking to come)."""
    return (
        visible_to(user, TalentApplication.objects.with_relations())
        .filter(round=rnd, status=c.ApplicationStatus.RECOMMENDED, score__isnull=False)
        .order_by("-score", "submitted_at", "pk")
    )


@require_safe
@permission_required(f"{R}.view")
def round_ranking(request, pk):
    rnd = get_round_for_user(request.user, pk)
    published = rnd.status == c.RoundStatus.PUBLISHED
    rows = _ranking_rows(request.user, rnd) if published else _provisional(request.user, rnd)
    page = paginate(request, rows)
    offset = (page.number - 1) * page.paginator.per_page if hasattr(page, "number") else 0
    return render(
        request,
        "people/talent_round_ranking.html",
        {
            "round": rnd,
            "page": page,
            "offset": offset,
            "published": published,
            "query": query_without_page(request),
            "can_export": has_permission(request.user, f"{A}.export"),
        },
    )


def _application_columns():
    return [
        Column("rank", _("Rank"), text=False, width=6),
        Column("name", _("Applicant"), width=12),
        Column("region", _("Region")),
        Column("unit", _("Recommending unit"), width=24),
        Column("status", _("Status"), width=16),
        Column("score", _("Mean score"), text=False, width=10),
        Column("sheets", _("Score sheets"), text=False, width=8),
        Column("hours", _("Service hours"), text=False, width=10),
        Column("works", _("Works"), text=False, width=8),
        Column("activities", _("Activities"), text=False, width=8),
        Column("training", _("Training hours"), text=False, width=10),
    ]


def _application_values(a) -> list:
    f = a.figures or {}
    return [
        a.rank,
        a.person.name,
        a.region.name,
        a.organization.name if a.organization_id else "",
        str(a.get_status_display()),
        float(a.score) if a.score is not None else None,
        a.sheet_count,
        float(f.get("hours") or 0),
        int(f.get("works") or 0),
        int(f.get("activities") or 0),
        float(f.get("training_hours") or 0),
    ]


@exports.builder("people.talentranking", permission=f"{A}.export", back="people:talent_round_list")
def ranking_export_rows(request, pk):
    rnd = get_round_for_user(request.user, pk)
    published = rnd.status == c.RoundStatus.PUBLISHED
    rows = _ranking_rows(request.user, rnd) if published else _provisional(request.user, rnd)
    return exports.Rows(
        queryset=visible_to(request.user, rows, "export"),
        action="people.evaluationround.exported",
        title=_("Ranking"),
        columns=_application_columns(),
        to_values=_application_values,
        basename=f"talent-ranking-{rnd.pk}",
        detail={"round": rnd.pk},
    )


@require_safe
@permission_required(f"{A}.export")
def round_ranking_export(request, pk):
    return export_list(request, "people.talentranking", pk=pk)


# -- applications ----------------------------------------------------------------------------


def _application_filter(request):
    queryset = visible_to(request.user, TalentApplication.objects.with_relations())
    return ApplicationFilter(request.GET or None, queryset=queryset, request=request)


@require_safe
@permission_required(f"{A}.view")
def application_list(request):
    filterset = _application_filter(request)
    rows = filterset.qs if filter_is_usable(filterset) else TalentApplication.objects.none()
    rounds = visible_to(request.user, EvaluationRound.objects.all()).order_by("-year", "-pk")[:50]
    return render(
        request,
        "people/talent_application_list.html",
        {
            "filter": filterset,
            "page": paginate(request, rows.order_by("-created_at", "-pk")),
            "query": query_without_page(request),
            "rounds": rounds,
            "can_export": has_permission(request.user, f"{A}.export"),
        },
    )


@exports.builder("people.talentapplication", permission=f"{A}.export",
                 back="people:talent_application_list")  # fmt: skip
def application_export_rows(request):
    filterset = _application_filter(request)
    if not filter_is_usable(filterset):
        return None
    return exports.Rows(
        queryset=visible_to(request.user, filterset.qs, "export").order_by("-created_at", "-pk"),
        action="people.talentapplication.exported",
        title=_("Talent applications"),
        columns=_application_columns(),
        to_values=_application_values,
        basename="talent-applications",
    )


@require_safe
@permission_required(f"{A}.export")
def application_export(request):
    return export_list(request, "people.talentapplication")


def _own_person(user):
    return Person.objects.filter(user=user, erased_at__isnull=True).first()


@permission_required(f"{A}.create")
def application_create(request, pk):
    rnd = get_round_for_user(request.user, pk)
    if not rnd.accepts_applications():
        messages.error(request, _("This round does not take applications now."))
        return redirect("people:talent_round_detail", pk=rnd.pk)
    own = _own_person(request.user)
    form = ApplicationForm(request.POST or None, user=request.user, own_person=own)
    done = submit_form(
        request,
        form,
        lambda: services.create_application(
            rnd,
            actor=request.user,
            person=form.cleaned_data.get("person") or own,
            statement=form.cleaned_data["statement"],
        ),
        success=lambda a: reverse("people:talent_application_detail", args=[a.pk]),
        message=_("The application is saved as a draft: check the record, then submit it."),
    )
    return done or form_page(request, "people/talent_application_form.html", form, {"round": rnd})


@permission_required(f"{A}.change")
def application_update(request, pk):
    application = get_application_for_user(request.user, pk, "change")
    form = ApplicationForm(
        request.POST or None,
        user=request.user,
        editing=True,
        initial={"statement": application.statement},
    )
    done = submit_form(
        request,
        form,
        lambda: services.update_application(
            application, actor=request.user, statement=form.cleaned_data["statement"]
        ),
        success=reverse("people:talent_application_detail", args=[application.pk]),
        message=_("The application is saved."),
    )
    return done or form_page(
        request,
        "people/talent_application_form.html",
        form,
        {"round": application.round, "application": application},
    )


@require_safe
@permission_required(f"{A}.view")
def application_detail(request, pk):
    application = get_application_for_user(request.user, pk)
    return render(
        request, "people/talent_application_detail.html", _detail_context(request, application)
    )


def _detail_context(request, application, **extra):
    user = request.user
    items, figures = (
        (application.evidence, application.figures)
        if application.submitted_at and application.status not in c.EDITABLE_STATUSES
        else services.preview(application)
    )
    can_change = application.can_edit() and scope.can(user, application, "change")
    rubric = application.round.rubric
    can_score = application.can_score() and scope.can(user, application, "score")
    sheets = list(application.scores.select_related("reviewer").order_by("pk"))
    context = {
        "application": application,
        "round": application.round,
        "items": [{**item, "label": _source_label(item.get("source"))} for item in items],
        "figures": [(label, figures.get(key, 0)) for key, label in _figure_labels()],
        "frozen": not application.can_edit(),
        "self_items": list(application.items.all()),
        "can_change": can_change,
        "can_submit": can_change and application.can_submit(),
        "can_recommend": application.can_recommend() and scope.can(user, application, "recommend"),
        "can_return": application.status
        in (c.ApplicationStatus.SUBMITTED, c.ApplicationStatus.RECOMMENDED)
        and scope.can(user, application, "recommend"),
        "held_back": (
            held_back(user, application, "recommend")
            if application.can_recommend()
            else held_back(user, application, "score")
            if application.can_score()
            else None
        ),
        "can_score": can_score,
        "score_form": ScoreForm(rubric=rubric) if can_score and rubric else None,
        "item_form": ItemForm() if can_change else None,
        "return_form": ReturnForm(),
        "sheets": sheets,
        "show_sheets": has_permission(user, f"{A}.score")
        or application.round.status == c.RoundStatus.PUBLISHED,
    }
    context.update(extra)
    return context


def _source_label(source) -> str:
    try:
        return str(c.EvidenceSource(source).label)
    except ValueError:
        return source or ""


def _figure_labels():
    return [
        ("hours", _("Approved service hours")),
        ("works", _("Works in the catalog")),
        ("activities", _("Activities organized")),
        ("trainings", _("Training courses")),
        ("training_hours", _("Training hours")),
        ("credits", _("Credits")),
        ("honours", _("Honours")),
        ("pools", _("Expert pools")),
        ("self_declared", _("Self-declared items")),
    ]


@require_POST
@permission_required(f"{A}.change")
def item_add(request, pk):
    application = get_application_for_user(request.user, pk, "change")
    form = ItemForm(request.POST, request.FILES)
    done = submit_form(
        request,
        form,
        lambda: services.add_item(application, actor=request.user, **form.cleaned_data),
        success=reverse("people:talent_application_detail", args=[application.pk]),
        message=_("The item is added, marked self-declared."),
    )
    return done or form_page(
        request,
        "people/talent_application_detail.html",
        form,
        _detail_context(request, application, item_form=form),
    )


@require_safe
@permission_required(f"{A}.view")
def item_file(request, pk, item):
    application = get_application_for_user(request.user, pk)
    entry = get_object_or_404(application.items, pk=item)
    if not entry.attachment:
        raise Http404
    from kepu.core.uploads import KINDS, extension

    kind = KINDS.get(extension(entry.attachment.name), ("application/octet-stream",))[0]
    return file_response(
        entry.attachment, content_type=kind, name=entry.attachment.name.rsplit("/", 1)[-1]
    )


def _application_step(request, pk, action, run, message):
    application = get_application_for_user(request.user, pk, action)
    return run_step(
        request,
        lambda: run(application),
        back=reverse("people:talent_application_detail", args=[application.pk]),
        message=message,
    )


@require_POST
@permission_required(f"{A}.change")
def application_submit(request, pk):
    return _application_step(
        request,
        pk,
        "change",
        lambda a: services.submit_application(a, actor=request.user),
        _("The application is submitted with its record; the unit recommends it next."),
    )


@require_POST
@permission_required(f"{A}.recommend")
def application_recommend(request, pk):
    return _application_step(
        request,
        pk,
        "recommend",
        lambda a: services.recommend_application(a, actor=request.user),
        _("The application is recommended to the region's review."),
    )


@require_POST
@permission_required(f"{A}.recommend")
def application_return(request, pk):
    return _application_step(
        request,
        pk,
        "recommend",
        lambda a: services.return_application(
            a, actor=request.user, reason=request.POST.get("reason", "")
        ),
        _("The application is returned to the applicant."),
    )


@require_POST
@permission_required(f"{A}.score")
def application_score(request, pk):
    application = get_application_for_user(request.user, pk, "score")
    rubric = application.round.rubric
    if rubric is None:
        raise Http404
    form = ScoreForm(request.POST, rubric=rubric)
    done = submit_form(
        request,
        form,
        lambda: services.score_application(
            application,
            actor=request.user,
            values=form.values(),
            comment=form.cleaned_data["comment"],
        ),
        success=reverse("people:talent_application_detail", args=[application.pk]),
        message=_("Your score sheet is saved."),
    )
    return done or form_page(
        request,
        "people/talent_application_detail.html",
        form,
        _detail_context(request, application, score_form=form),
    )
