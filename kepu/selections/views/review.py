"""Pages of the expert review of a call: the automatic assignment (loads, match share
beside the round-robin baseline, each entry's reviewers with the reason), the manual
override, the reviewer's queue and score sheet (phone-first), the ranking with severity
correction and its Excel export, the panel meeting and its votes, closing the review."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kepu.core import exports, jobs, scope
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
from kepu.core.views.jobs import form_job_key, job_page
from kepu.selections.choices import CallStatus
from kepu.selections.filters.review import ReviewFilter
from kepu.selections.forms.review import (
    VOTE_CHOICES,
    VOTE_LABELS,
    PanelForm,
    ReassignForm,
    ScoreForm,
    VoteForm,
)
from kepu.selections.models import Entry, PanelSeat, PanelVote, Review
from kepu.selections.permissions import get_call_for_user, get_review_for_user
from kepu.selections.services import panel as panel_services
from kepu.selections.services import review as services

P = "selections"
ASSIGNMENT = "selections:call_assignment"
RANKING = "selections:call_ranking"
PANEL = "selections:call_panel"
ENTRIES_PER_PAGE = 25
SEVERITY_ROWS = 30
RANKING_PER_PAGE = 25


def _call_links(call):
    """The call's detail page when the calls area is installed (its URL name)."""
    try:
        return reverse("selections:call_detail", args=[call.pk])
    except Exception:  # noqa: BLE001 - the calls area's page may not be merged yet
        return ""


# --- the assignment --------------------------------------------------------------------


@permission_required(f"{P}.call.assign")
def call_assignment(request, pk):
    call = get_call_for_user(request.user, pk, "assign")
    if request.method == "POST":
        if call.status != CallStatus.REVIEWING:
            messages.error(request, _("Reviewers are assigned during the expert review."))
            return redirect(ASSIGNMENT, pk=pk)
        large = (
            Entry.objects.filter(call=call, status__in=services.REVIEW_ENTRY_STATUSES)[
                : services.INLINE_ENTRIES + 1
            ].count()
            > services.INLINE_ENTRIES
        )
        if large:
            scope.check(request.user, call, "assign")
            job = jobs.start(
                "selections.assign", actor=request.user, region=call.region,
                params={"call": call.pk}, idem=form_job_key(request, "selections.assign"),
            )  # fmt: skip
            return redirect(job_page(job))
        return run_step(
            request,
            lambda: services.assign_reviewers(call, actor=request.user),
            back=reverse(ASSIGNMENT, args=[pk]),
            message=_("Reviewers assigned."),
        )
    entries = Entry.objects.filter(call=call, status__in=services.REVIEW_ENTRY_STATUSES).only(
        "title", "status", "discipline", "topic", "reviews_done", "call_id"
    )
    page = paginate(request, entries.order_by("pk"), per_page=ENTRIES_PER_PAGE)
    reviews = (
        Review.objects.filter(entry__in=[e.pk for e in page])
        .select_related("reviewer")
        .order_by("entry_id", "pk")
    )
    by_entry = {}
    for review in reviews:
        by_entry.setdefault(review.entry_id, []).append(review)
    rows = [(entry, by_entry.get(entry.pk, [])) for entry in page]
    submitted = Review.objects.filter(entry__call=call, submitted_at__isnull=False).exists()
    return render(
        request,
        "selections/call_assignment.html",
        {
            "call": call,
            "call_url": _call_links(call),
            "summary": call.assignment or {},
            "loads": services.cached_loads(call),
            "page": page,
            "rows": rows,
            "can_assign": call.status == CallStatus.REVIEWING and not submitted,
            "can_reassign": call.status == CallStatus.REVIEWING
            and has_permission(request.user, f"{P}.review.override"),
            "reviewing": call.status == CallStatus.REVIEWING,
        },
    )


@permission_required(f"{P}.review.override")
def review_reassign(request, pk):
    review = get_review_for_user(request.user, pk, "override")
    call = review.entry.call
    people = services.pool_reviewers(call)
    form = ReassignForm(request.POST or None, people=people)
    done = None
    if review.can_score():
        done = submit_form(
            request,
            form,
            lambda: services.reassign_review(
                review, actor=request.user, reviewer=form.cleaned_data["reviewer"],
                reason=form.cleaned_data["reason"],
            ),
            success=reverse(ASSIGNMENT, args=[call.pk]),
            message=_("Reviewer replaced."),
        )  # fmt: skip
    elif request.method == "POST":
        messages.error(request, _("Only a review not yet submitted can be given to someone else."))
        return redirect(ASSIGNMENT, pk=call.pk)
    return done or form_page(
        request,
        "selections/review_reassign.html",
        form,
        {"review": review, "call": call, "editable": review.can_score()},
    )


# --- the reviewer's queue and score sheet -----------------------------------------------


def _queue_rows(request):
    user = request.user
    rows = Review.objects.with_relations()
    if has_permission(user, f"{P}.review.score") and not has_permission(
        user, f"{P}.review.override"
    ):
        rows = rows.filter(reviewer__user=user)
    else:
        rows = visible_to(user, rows, public=False)
    filterset = ReviewFilter(request.GET or None, queryset=rows)
    return filterset


@require_safe
@permission_required(f"{P}.review.view")
def review_queue(request):
    """The reviewer's own reviews (to score first), or the officer's reviews in scope."""
    filterset = _queue_rows(request)
    rows = filterset.qs if filter_is_usable(filterset) else Review.objects.none()
    return render(
        request,
        "selections/review_queue.html",
        {
            "filter": filterset,
            "page": paginate(request, rows.order_by("submitted_at", "entry_id", "pk")),
            "query": query_without_page(request),
        },
    )


@permission_required(f"{P}.review.view")
def review_score(request, pk):
    review = get_review_for_user(request.user, pk)
    can_score = scope.can(request.user, review, "score")
    officer = has_permission(request.user, f"{P}.review.override")
    if not can_score and (request.method == "POST" or not officer):
        # A reviewer reads and scores only their own reviews (the object rule's reason).
        raise PermissionDenied(scope.refusal(request.user, review, "score"))
    criteria = list(review.rubric.criteria.all())
    form = ScoreForm(request.POST or None, criteria=criteria, initial=review.values)
    editable = can_score and review.can_score()
    done = None
    if editable:
        done = submit_form(
            request,
            form,
            lambda: services.score_review(
                review, actor=request.user, values=form.values(),
                comment=form.cleaned_data["comment"],
            ),
            success=reverse("selections:review_queue"),
            message=_("Review submitted."),
        )  # fmt: skip
    elif request.method == "POST":
        if review.submitted_at is not None:
            messages.error(request, _("This review has already been submitted."))
        else:
            messages.error(request, _("Scores are given during the expert review only."))
        return redirect("selections:review_score", pk=pk)
    return done or form_page(
        request,
        "selections/review_score.html",
        form,
        {"review": review, "entry": review.entry, "editable": editable},
    )


# --- the ranking -----------------------------------------------------------------------


@exports.builder("selections.ranking", permission=f"{P}.call.export", back="selections:call_list")
def ranking_rows(request, pk):
    call = get_call_for_user(request.user, pk, "rank")
    rows = Entry.objects.filter(call=call, raw_mean__isnull=False).select_related("region")
    return exports.Rows(
        queryset=rows.order_by("corrected_rank", "pk"),
        action="selections.call.ranking_exported",
        title=_("Ranking")[:31],
        columns=[
            Column("corrected_rank", _("Rank (corrected)"), text=False, width=10),
            Column("raw_rank", _("Rank (raw)"), text=False, width=10),
            Column("title", _("Name or title"), width=30),
            Column("region", _("Region"), width=14),
            Column("reviews", _("Reviews submitted"), text=False, width=10),
            Column("raw_mean", _("Mean score"), text=False, width=10),
            Column("corrected", _("Corrected score"), text=False, width=12),
            Column("tie", _("Tied"), width=8),
        ],
        to_values=lambda e: [
            e.corrected_rank,
            e.raw_rank,
            e.title,
            e.region.name,
            e.reviews_done,
            e.raw_mean,
            e.corrected,
            _("Yes") if e.tie else "",
        ],  # fmt: skip
        basename=f"ranking-{call.pk}",
        detail={"call": call.pk},
    )


@permission_required(f"{P}.call.rank")
def call_ranking(request, pk):
    call = get_call_for_user(request.user, pk, "rank")
    if request.method == "POST":
        return run_step(
            request,
            lambda: services.rank_entries(call, actor=request.user),
            back=reverse(RANKING, args=[pk]),
            message=_("Ranking stored."),
        )
    if request.GET.get("format") == "xlsx":
        if not has_permission(request.user, f"{P}.call.export"):
            raise PermissionDenied
        return export_list(request, "selections.ranking", pk=pk)
    ranking = services.cached_ranking(call)
    page = Paginator(ranking.entries, RANKING_PER_PAGE).get_page(request.GET.get("page"))
    titles = dict(Entry.objects.filter(pk__in=[r.entry for r in page]).values_list("pk", "title"))
    from kepu.people.models import Person

    # The most lenient and most severe first; a large call shows the first SEVERITY_ROWS
    # (all with ?reviewers=all, and in the export), its figures formatted here once.
    everyone = request.GET.get("reviewers") == "all"
    shown = sorted(ranking.reviewers, key=lambda r: -abs(r.severity))
    shown = shown if everyone else shown[:SEVERITY_ROWS]
    names = dict(
        Person.objects.filter(pk__in=[r.reviewer for r in shown]).values_list("pk", "name")
    )
    return render(
        request,
        "selections/call_ranking.html",
        {
            "call": call,
            "call_url": _call_links(call),
            "ranking": ranking,
            "rows": [(row, titles.get(row.entry, "")) for row in page],
            "page": page,
            "reviewers": [
                (
                    names.get(row.reviewer, ""),
                    row.reviews,
                    f"{row.mean:.2f}",
                    f"{row.sd:.2f}",
                    f"{row.severity:.2f}",
                )
                for row in shown
            ],  # fmt: skip
            "reviewers_total": len(ranking.reviewers),
            "reviewers_all": everyone,
            "reviewing": call.status == CallStatus.REVIEWING,
            "can_export": has_permission(request.user, f"{P}.call.export"),
        },
    )


@require_POST
@permission_required(f"{P}.call.rank")
def call_close_review(request, pk):
    call = get_call_for_user(request.user, pk, "rank")
    return run_step(
        request,
        lambda: services.close_review(call, actor=request.user),
        back=reverse(PANEL, args=[pk]),
        message=_("Expert review closed: the panel meeting follows."),
    )


# --- the panel meeting -----------------------------------------------------------------


@permission_required(f"{P}.call.vote")
def call_panel(request, pk):
    call = get_call_for_user(request.user, pk, "vote")
    people = services.pool_reviewers(call)
    seats = list(PanelSeat.objects.filter(call=call).select_related("person"))
    form = PanelForm(
        request.POST or None,
        people=people,
        initial={"people": [s.person_id for s in seats], "chair": next(
            (s.person_id for s in seats if s.chair), None)},
    )  # fmt: skip
    done = submit_form(
        request,
        form,
        lambda: panel_services.set_panel(
            call, actor=request.user, people=list(form.cleaned_data["people"]),
            chair=form.cleaned_data["chair"],
        ),
        success=reverse(PANEL, args=[pk]),
        message=_("Panel set."),
    )  # fmt: skip
    if done:
        return done
    entries = Entry.objects.filter(call=call, corrected_rank__isnull=False).only(
        "title", "status", "corrected_rank", "raw_rank", "corrected", "tie", "votes_for",
        "votes_against", "votes_abstain", "call_id",
    ).order_by("corrected_rank", "pk")  # fmt: skip
    page = paginate(request, entries, per_page=RANKING_PER_PAGE)
    votes = {}
    for vote in PanelVote.objects.filter(entry__in=[e.pk for e in page]).only(
        "entry_id", "member_id", "vote"
    ):
        votes[(vote.entry_id, vote.member_id)] = VOTE_LABELS.get(vote.vote, vote.vote)
    rows = [
        (
            entry,
            panel_services.outcome(
                call, len(seats), entry.votes_for, entry.votes_against, entry.votes_abstain
            ),
            [(seat, votes.get((entry.pk, seat.person_id), "")) for seat in seats],
        )
        for entry in page
    ]
    return form_page(
        request,
        "selections/call_panel.html",
        form,
        {
            "call": call,
            "call_url": _call_links(call),
            "seats": seats,
            "rows": rows,
            "page": page,
            "votes": VOTE_CHOICES,
            "meeting": call.status == CallStatus.PANEL,
            "can_seat": call.status in (CallStatus.REVIEWING, CallStatus.PANEL),
        },
    )


@require_POST
@permission_required(f"{P}.call.view")
def entry_vote(request, pk):
    """A vote on an entry: the panel member's own (an account holding a seat), or
    recorded by an officer of the call for the member named in the form."""
    entry = Entry.objects.select_related("call").filter(pk=pk).first()
    if entry is None:
        raise Http404
    own = PanelSeat.objects.filter(call_id=entry.call_id, person__user=request.user).first()
    form = VoteForm(request.POST)
    if own is not None:
        member = own.person
    else:
        call = get_call_for_user(request.user, entry.call_id, "vote")
        if entry.call_id != call.pk:  # pragma: no cover - the same row
            raise Http404
        seat = (
            PanelSeat.objects.filter(call=call, person_id=request.POST.get("member") or 0)
            .select_related("person")
            .first()
            if (request.POST.get("member") or "").isdigit()
            else None
        )
        member = seat.person if seat else None
    vote = form.data.get("vote", "")
    return run_step(
        request,
        lambda: panel_services.record_vote(entry, actor=request.user, member=member, vote=vote),
        back=reverse(PANEL, args=[entry.call_id])
        if own is None
        else reverse("selections:review_queue"),
        message=_("Vote recorded."),
    )
