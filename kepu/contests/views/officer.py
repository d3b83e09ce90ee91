"""Officer pages of contests and rounds: the contests list (filters, export), create and
edit a contest, its page (rounds, steps: publish, finish, cancel), create and edit a
round, the round's page (settings, blueprint, the drawn set for the organizer, steps:
draw, open, close)."""

from django.db.models import Count
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kepu.contests.filters.officer import ContestFilter
from kepu.contests.forms.officer import ContestForm, RequiredReasonForm, RoundForm
from kepu.contests.models import Contest, RoundItem
from kepu.contests.permissions import get_contest_for_user, get_round_for_user
from kepu.contests.services import contests as services
from kepu.core import exports, scope
from kepu.core.excel import Column
from kepu.core.forms import region_field
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
from kepu.literacy.models import Dimension

CONTEST = "contests:contest_detail"
ROUND = "contests:round_detail"
ORDER = ("-year", "-pk")


def _filtered(request):
    rows = visible_to(request.user, Contest.objects.with_relations(), public=False)
    filterset = ContestFilter(request.GET or None, queryset=rows)
    filterset.form.fields["region"] = region_field(
        request.user, Contest, "view", required=False, label=_("Organizing region")
    )
    return filterset


@require_safe
@permission_required("contests.contest.view")
def contest_list(request):
    if request.GET.get("format") == "xlsx":
        return export_list(request, "contests.contest")
    filterset = _filtered(request)
    rows = filterset.qs if filter_is_usable(filterset) else Contest.objects.none()
    return render(
        request,
        "contests/officer/contest_list.html",
        {
            "filter": filterset,
            "page": paginate(request, rows.order_by(*ORDER)),
            "query": query_without_page(request),
            "can_create": has_permission(request.user, "contests.contest.create"),
            "can_export": has_permission(request.user, "contests.contest.export"),
        },
    )


@exports.builder("contests.contest", permission="contests.contest.export",
                 back="contests:contest_list")  # fmt: skip
def contest_export_rows(request):
    filterset = _filtered(request)
    if not filter_is_usable(filterset):
        return None
    return exports.Rows(
        queryset=visible_to(request.user, filterset.qs, "export").order_by(*ORDER),
        action="contests.contest.exported",
        title=_("Knowledge contests"),
        columns=[
            Column("title", _("Title"), width=30),
            Column("region", _("Organizing region"), width=14),
            Column("organizer", _("Host unit"), width=24),
            Column("year", _("Year"), width=8),
            Column("audience", _("Who may take part"), width=14),
            Column("status", _("Status"), width=10),
        ],
        to_values=lambda r: [
            r.title,
            r.region.name,
            r.organizer.name if r.organizer_id else "",
            r.year,
            r.get_audience_display(),
            r.get_status_display(),
        ],  # fmt: skip
        basename="contests",
    )


@permission_required("contests.contest.create")
def contest_create(request):
    form = ContestForm(request.POST or None, user=request.user)
    done = submit_form(
        request,
        form,
        lambda: services.create_contest(actor=request.user, **form.service_fields()),
        success=lambda contest: reverse(CONTEST, args=[contest.pk]),
        message=_("Contest saved as a draft: add its rounds."),
        fallback=reverse("contests:contest_list"),
    )
    return done or form_page(request, "contests/officer/contest_form.html", form, {"contest": None})


@permission_required("contests.contest.change")
def contest_edit(request, pk):
    contest = get_contest_for_user(request.user, pk, "change")
    form = ContestForm(request.POST or None, instance=contest, user=request.user)
    done = submit_form(
        request,
        form,
        lambda: services.change_contest(contest, actor=request.user, **form.service_fields()),
        success=reverse(CONTEST, args=[pk]),
        message=_("Changes saved."),
    )
    if done:
        return done
    contest.refresh_from_db()
    return form_page(request, "contests/officer/contest_form.html", form, {"contest": contest})


@require_safe
@permission_required("contests.contest.view")
def contest_detail(request, pk):
    contest = get_contest_for_user(request.user, pk)
    organizer = scope.can(request.user, contest, "change")
    rounds = list(
        contest.rounds.select_related("previous").annotate(drawn=Count("set_items"))
        .order_by("position", "pk")
    )  # fmt: skip
    return render(
        request,
        "contests/officer/contest_detail.html",
        {
            "contest": contest,
            "rounds": rounds,
            "organizer": organizer,
            "can_edit": organizer and services.can_change_contest(contest),
            "can_add_round": organizer and services.can_add_round(contest),
            "can_publish": organizer and services.can_publish_contest(contest),
            "can_finish": organizer and services.can_finish_contest(contest),
            "can_cancel": organizer and services.can_change_contest(contest),
            "reason_form": RequiredReasonForm() if organizer else None,
        },
    )


CONTEST_STEPS = {
    "publish": ("publish", services.publish_contest, _("The contest is published.")),
    "finish": ("change", services.finish_contest, _("The contest is finished.")),
    "cancel": ("change", services.cancel_contest, _("The contest is cancelled.")),
}


@require_POST
@permission_required("contests.contest.view")
def contest_step(request, pk, step):
    if step not in CONTEST_STEPS:
        raise Http404
    action, service, message = CONTEST_STEPS[step]
    contest = get_contest_for_user(request.user, pk, action)
    extra = {"reason": request.POST.get("reason", "")} if step == "cancel" else {}
    return run_step(
        request,
        lambda: service(contest, actor=request.user, **extra),
        back=reverse(CONTEST, args=[pk]),
        message=message,
    )


# --- rounds -----------------------------------------------------------------------------


@permission_required("contests.contestround.create")
def round_create(request, pk):
    contest = get_contest_for_user(request.user, pk, "change")
    form = RoundForm(request.POST or None, contest=contest)
    done = submit_form(
        request,
        form,
        lambda: services.create_round(contest, actor=request.user, **form.service_fields()),
        success=lambda r: reverse(ROUND, args=[r.pk]),
        message=_("Round saved: draw its questions from the bank."),
        fallback=reverse(CONTEST, args=[pk]),
    )
    return done or form_page(
        request, "contests/officer/round_form.html", form, {"contest": contest, "round": None}
    )


@permission_required("contests.contestround.change")
def round_edit(request, pk):
    round_ = get_round_for_user(request.user, pk, "change")
    form = RoundForm(request.POST or None, instance=round_, contest=round_.contest)
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
        request, "contests/officer/round_form.html", form,
        {"contest": round_.contest, "round": round_},
    )  # fmt: skip


def blueprint_rows(round_) -> list[dict]:
    names = dict(
        Dimension.objects.filter(instrument_id=round_.instrument_id).values_list("code", "name")
    )
    return [
        {
            "dimension": names.get(row.get("dimension"), row.get("dimension")),
            "difficulty": row.get("difficulty") or "",
            "count": row.get("count"),
        }
        for row in round_.blueprint or []
    ]


@require_safe
@permission_required("contests.contestround.view")
def round_detail(request, pk):
    round_ = get_round_for_user(request.user, pk)
    user = request.user
    organizer = scope.can(user, round_, "change")
    # The drawn questions are the organizer's: nobody else reads them before the round.
    drawn = (
        list(
            RoundItem.objects.filter(round=round_)
            .select_related("item", "item__dimension")
            .order_by("position")
        )
        if organizer
        else []
    )
    return render(
        request,
        "contests/officer/round_detail.html",
        {
            "round": round_,
            "contest": round_.contest,
            "organizer": organizer,
            "blueprint": blueprint_rows(round_),
            "drawn": drawn,
            "drawn_count": len(drawn) if organizer else round_.set_items.count(),
            "regions": list(round_.regions.order_by("path")),
            "can_edit": organizer and services.can_change_round(round_),
            "can_draw": organizer and services.can_change_round(round_),
            "can_open": organizer and services.can_open_round(round_),
            "can_close": organizer and services.can_close_round(round_),
            "can_attempts": has_permission(user, "contests.attempt.view"),
        },
    )


ROUND_STEPS = {
    "draw": ("draw", services.draw, lambda n: _("%(n)d questions drawn.") % {"n": n}),
    "open": ("open", services.open_round, _("The round is open.")),
    "close": (
        "close", services.close_round,
        lambda n: _("The round is closed; %(n)d attempts in progress were scored.") % {"n": n},
    ),
}  # fmt: skip


@require_POST
@permission_required("contests.contestround.view")
def round_step(request, pk, step):
    if step not in ROUND_STEPS:
        raise Http404
    action, service, message = ROUND_STEPS[step]
    round_ = get_round_for_user(request.user, pk, action)
    return run_step(
        request,
        lambda: service(round_, actor=request.user),
        back=reverse(ROUND, args=[pk]),
        message=message,
    )
