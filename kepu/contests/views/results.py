"""Officers' pages of the results area: a round's rankings (persons and regions, with the
Excel export), advancement, publication of the results, the report, item statistics,
the prize list with its 公示 (objections answered, prizes withdrawn, made final) and the
prize certificates in one ZIP."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST, require_safe

from kepu.contests import certificates
from kepu.contests import choices as c
from kepu.contests.jobs import ITEM_STATISTICS
from kepu.contests.models import Prize, PrizeList, PrizeObjection, Standing
from kepu.contests.permissions import get_prizelist_for_user, get_round_for_user
from kepu.contests.services import advancement, rankings, reports
from kepu.contests.services import prizes as prize_services
from kepu.contests.views.results_forms import AnswerForm, DraftPrizesForm, StandingFilter
from kepu.core import exports, jobs, scope
from kepu.core.errors import DomainError
from kepu.core.excel import Column
from kepu.core.forms import region_field
from kepu.core.scope import get_for_user, has_permission, visible_to
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
from kepu.core.views.jobs import form_job_key, job_page
from kepu.core.workflow import held_back


def _back(pk, name="contests:round_rankings"):
    return reverse(name, args=[pk])


def _filtered(request, round_):
    rows = visible_to(request.user, Standing.objects.all(), public=False)
    filterset = StandingFilter(request.GET or None, queryset=rows)
    filterset.form.fields["region"] = region_field(request.user, Standing, "view", required=False)
    return filterset


@require_safe
@permission_required("contests.standing.view")
def round_rankings(request, pk):
    round_ = get_round_for_user(request.user, pk)
    filterset = _filtered(request, round_)
    usable = filter_is_usable(filterset)
    rows = rankings.persons(round_, filterset.qs) if usable else Standing.objects.none()
    user = request.user
    page = paginate(request, rows)
    for standing in page:
        standing.time_text = rankings.seconds_text(standing.time_used_ms)
    return render(
        request,
        "contests/results/rankings.html",
        {
            "round": round_, "filter": filterset, "query": query_without_page(request),
            "page": page,
            "figures": reports.cached_report(round_, reports.report_region(user, round_)),
            "after_close": round_.status in advancement.AFTER_CLOSE,
            "can_advance": round_.status in advancement.AFTER_CLOSE
            and round_.advancement != c.Advancement.NONE
            and scope.can(user, round_, "advance"),
            "can_publish": round_.status == c.RoundStatus.CLOSED
            and scope.can(user, round_, "publish"),
            "publish_held": held_back(user, round_, "publish")
            if round_.status == c.RoundStatus.CLOSED else None,
            "can_export": has_permission(user, "contests.contestround.export"),
        },
    )  # fmt: skip


def _columns():
    return [
        Column("rank", _("No.")), Column("name", _("Full name")),
        Column("phone", _("Mobile phone"), text=True), Column("region", _("Region")),
        Column("unit", _("School or workplace")), Column("group", _("Group")),
        Column("score", _("Best score")), Column("time", _("Time used")),
        Column("attempts", pgettext("contest", "Attempts")), Column("advanced", _("Advanced")),
    ]  # fmt: skip


@exports.builder("contests.standing", permission="contests.contestround.export")
def rankings_export_rows(request, pk):
    # An unusable filter exports no rows (the list page, which needs the round, shows why).
    round_ = get_round_for_user(request.user, pk, "export")
    filterset = _filtered(request, round_)
    rows = filterset.qs if filter_is_usable(filterset) else Standing.objects.none()
    counter = iter(range(1, 10**9))
    return exports.Rows(
        queryset=rankings.persons(round_, rows),
        action="contests.standing.exported",
        title=_("Ranking"),
        columns=_columns(),
        to_values=lambda s: [
            next(counter), s.participant.name, s.participant.phone_masked, s.region.name,
            s.participant.unit, s.participant.get_group_display(), s.score,
            rankings.seconds_text(s.time_used_ms), s.attempts,
            _("Yes") if s.advanced else _("No"),
        ],
        basename=f"contest-ranking-{round_.pk}",
        detail={"round": round_.pk},
    )  # fmt: skip


@require_safe
@permission_required("contests.contestround.export")
def round_rankings_export(request, pk):
    return export_list(request, "contests.standing", pk=pk)


def _advanced_message(result):
    return _("%(n)d participants advance to the next round.") % {"n": result["advanced"]}


@require_POST
@permission_required("contests.contestround.advance")
def round_advance(request, pk):
    round_ = get_round_for_user(request.user, pk, "advance")
    return run_step(
        request, lambda: advancement.advance(round_, actor=request.user),
        back=_back(pk), message=_advanced_message,
    )  # fmt: skip


@require_POST
@permission_required("contests.contestround.publish")
def round_publish(request, pk):
    round_ = get_round_for_user(request.user, pk, "publish")
    return run_step(
        request, lambda: advancement.publish_results(round_, actor=request.user),
        back=_back(pk), message=_("The results of the round are published."),
    )  # fmt: skip


@require_safe
@permission_required("contests.standing.view")
def round_report(request, pk):
    round_ = get_round_for_user(request.user, pk)
    region = reports.report_region(request.user, round_)
    figures = reports.cached_report(round_, region)
    items = round_.set_items.select_related("item").order_by("position")
    return render(
        request,
        "contests/results/report.html",
        {
            "round": round_, "region": region, "figures": figures, "items": items,
            "chart": {
                "bands": [b["band"] for b in figures["histogram"]],
                "counts": [b["n"] for b in figures["histogram"]],
                "hours": [h["hour"] for h in figures["hours"]],
                "started": [h["n"] for h in figures["hours"]],
                "labels": {"participants": _("Participants"), "attempts": _("Attempts started")},
            },
            "can_compute": round_.status in advancement.AFTER_CLOSE
            and scope.can(request.user, round_, "change"),
        },
    )  # fmt: skip


@require_POST
@permission_required("contests.contestround.change")
def round_item_statistics(request, pk):
    round_ = get_round_for_user(request.user, pk, "change")
    form = forms.Form(request.POST)

    def run():
        if round_.status not in advancement.AFTER_CLOSE:
            raise DomainError(_("Item statistics are computed after the round closes."))
        return jobs.start(
            ITEM_STATISTICS, actor=request.user, region=round_.contest.region,
            params={"round": round_.pk}, idem=form_job_key(request, ITEM_STATISTICS),
            title=_("Item statistics of %(round)s") % {"round": str(round_)},
        )  # fmt: skip

    done = submit_form(
        request, form, run, success=job_page, fallback=_back(pk, "contests:round_report")
    )
    if done is not None:
        return done
    for error in form.non_field_errors():
        messages.error(request, error)
    return redirect("contests:round_report", pk=pk)


# --- prizes ---------------------------------------------------------------------------


@permission_required("contests.prizelist.view")
def prize_list(request, pk):
    """The round's prize list for its officers: the draft form (organizers), the prizes,
    the objections and the steps."""
    round_ = get_round_for_user(request.user, pk)
    plist = (
        visible_to(request.user, PrizeList.objects.with_relations(), public=False)
        .filter(round=round_)
        .first()
    )
    user = request.user
    may_draft = (
        round_.status == c.RoundStatus.PUBLISHED
        and (plist is None or plist.status == c.PrizeListStatus.DRAFT)
        and scope.can(user, round_, "change")
        and has_permission(user, "contests.prizelist.create")
    )
    form = DraftPrizesForm(request.POST or None) if may_draft else None
    if request.method == "POST":
        if form is None:
            if not scope.can(user, round_, "change"):
                raise PermissionDenied
            messages.error(request, _("The prize list can no longer be drafted."))
            return redirect("contests:prizelist_detail", pk=pk)
        done = submit_form(
            request, form,
            lambda: prize_services.draft_prizes(
                round_, actor=user,
                counts={t: form.cleaned_data[t] for t in prize_services.PERSON_TIERS},
                organizers=form.cleaned_data["organizers"],
                publicity_days=form.cleaned_data["publicity_days"],
                working_days=form.cleaned_data["working_days"],
            ),
            success=_back(pk, "contests:prizelist_detail"), message=_("The prize list is drafted."),
        )  # fmt: skip
        if done is not None:
            return done
    # The persons' prizes in rank order, then the organizers' (ranked among themselves).
    prizes = sorted(
        Prize.objects.filter(prize_list=plist).select_related("participant", "region")
        if plist else (),
        key=lambda p: (p.tier == c.PrizeTier.ORGANIZER, p.rank, p.pk),
    )  # fmt: skip
    objections = (
        PrizeObjection.objects.with_relations().filter(prize__prize_list=plist)
        if plist else PrizeObjection.objects.none()
    )  # fmt: skip
    context = {
        "round": round_, "plist": plist, "prizes": prizes, "objections": objections,
        "may_draft": may_draft,
        "can_change": plist is not None and scope.can(user, plist, "change"),
        "can_finalize": plist is not None and plist.status == c.PrizeListStatus.PUBLICITY
        and scope.can(user, plist, "finalize"),
        "finalize_held": held_back(user, plist, "finalize")
        if plist is not None and plist.status == c.PrizeListStatus.PUBLICITY else None,
        "pending": prize_services.pending_objections(plist) if plist else 0,
    }  # fmt: skip
    if form is None:
        return render(request, "contests/results/prize_list.html", context)
    return form_page(request, "contests/results/prize_list.html", form, context)


@require_POST
@permission_required("contests.prizelist.change")
def prize_list_publicize(request, pk):
    plist = get_prizelist_for_user(request.user, pk, "change")
    return run_step(
        request, lambda: prize_services.start_publicity(plist, actor=request.user),
        back=_back(plist.round_id, "contests:prizelist_detail"),
        message=_("The prize list is in public notice."),
    )  # fmt: skip


@require_POST
@permission_required("contests.prizelist.finalize")
def prize_list_finalize(request, pk):
    plist = get_prizelist_for_user(request.user, pk, "finalize")
    return run_step(
        request, lambda: prize_services.finalize_prizes(plist, actor=request.user),
        back=_back(plist.round_id, "contests:prizelist_detail"),
        message=_("The prize list is final."),
    )  # fmt: skip


@require_POST
@permission_required("contests.prizelist.change")
def prize_withdraw(request, pk):
    prize = Prize.objects.select_related("prize_list").filter(pk=pk).first()
    plist = get_prizelist_for_user(request.user, prize.prize_list_id if prize else 0, "change")
    return run_step(
        request, lambda: prize_services.withdraw_prize(prize, actor=request.user),
        back=_back(plist.round_id, "contests:prizelist_detail"),
        message=_("The prize is withdrawn."),
    )  # fmt: skip


@permission_required("contests.prizeobjection.answer")
def objection_answer(request, pk):
    objection = get_for_user(
        PrizeObjection.objects.with_relations(), request.user, pk, "answer", public=False
    )
    round_id = objection.prize.prize_list.round_id
    form = AnswerForm(request.POST or None)
    done = submit_form(
        request, form,
        lambda: prize_services.answer_objection(
            objection, actor=request.user, upheld=form.cleaned_data["upheld"],
            answer=form.cleaned_data["answer"],
        ),
        success=_back(round_id, "contests:prizelist_detail"), message=_("The answer is recorded."),
    )  # fmt: skip
    return done or form_page(
        request, "contests/results/objection_answer.html", form,
        {"objection": objection, "round_id": round_id},
    )  # fmt: skip


@require_POST
@permission_required("contests.contestround.change")
def prize_certificates(request, pk):
    round_ = get_round_for_user(request.user, pk, "change")
    form = forms.Form(request.POST)
    done = submit_form(
        request, form,
        lambda: certificates.start_batch(
            request.user, round_, base=request.build_absolute_uri("/"),
            idem=form_job_key(request, certificates.BATCH),
        ),
        success=job_page, fallback=_back(pk, "contests:prizelist_detail"),
    )  # fmt: skip
    if done is not None:
        return done
    for error in form.non_field_errors():
        messages.error(request, error)
    return redirect("contests:prizelist_detail", pk=pk)
