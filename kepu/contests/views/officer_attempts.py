"""Officer pages of taking part: a round's attempts (filters, keyset pages, capped count,
masked export; a job when large), an attempt with its answers, server times and flags,
exclude and restore (the organizer's, with a reason); a contest's participants (masked)
and the organizer's access-logged reveal of a phone number."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from kepu.contests import choices as c
from kepu.contests.filters.officer import AttemptFilter, ParticipantFilter
from kepu.contests.forms.officer import RequiredReasonForm, RevealForm
from kepu.contests.models import Attempt, Participant
from kepu.contests.permissions import (
    get_attempt_for_user,
    get_contest_for_user,
    get_round_for_user,
)
from kepu.contests.services import contests as services
from kepu.contests.services import paper as papers
from kepu.contests.services.rankings import masked_name
from kepu.core import exports, scope
from kepu.core.excel import Column
from kepu.core.forms import region_field
from kepu.core.scope import get_for_user, has_permission, visible_to
from kepu.core.views.common import (
    export_list,
    filter_is_usable,
    paginate,
    permission_required,
    query_without_page,
    run_step,
)

ORDER = ("-started_at", "-pk")
FLAG_LABELS = dict(c.Flag.choices)


def flag_labels(attempt) -> list:
    return [FLAG_LABELS[f] for f in attempt.flags or [] if f in FLAG_LABELS]


def _attempts(request, round_):
    rows = visible_to(request.user, Attempt.objects.with_relations()).filter(round=round_)
    filterset = AttemptFilter(request.GET or None, queryset=rows.defer("answers", "times"))
    filterset.form.fields["region"] = region_field(request.user, Attempt, "view", required=False)
    return filterset


@require_safe
@permission_required("contests.attempt.view")
def attempt_list(request, pk):
    round_ = get_round_for_user(request.user, pk)
    if request.GET.get("format") == "xlsx":
        return export_list(request, "contests.attempt", pk=pk)
    filterset = _attempts(request, round_)
    rows = filterset.qs if filter_is_usable(filterset) else Attempt.objects.none()
    page = paginate(request, rows.order_by(*ORDER))
    return render(
        request,
        "contests/officer/attempt_list.html",
        {
            "round": round_,
            "filter": filterset,
            "page": page,
            "rows": [(a, masked_name(a.participant.name), flag_labels(a)) for a in page],
            "query": query_without_page(request),
            "can_export": has_permission(request.user, "contests.attempt.export"),
        },
    )


@exports.builder("contests.attempt", permission="contests.attempt.export",
                 back="contests:contest_list")  # fmt: skip
def attempt_export_rows(request, pk):
    round_ = get_round_for_user(request.user, pk)
    filterset = _attempts(request, round_)
    if not filter_is_usable(filterset):
        return None
    return exports.Rows(
        queryset=visible_to(request.user, filterset.qs, "export").order_by(*ORDER),
        action="contests.attempt.exported",
        title=_("Contest attempts"),
        columns=[
            Column("id", _("Attempt"), width=10),
            Column("name", _("Participant"), width=8),
            Column("phone", _("Mobile phone"), width=14),
            Column("region", _("Region"), width=12),
            Column("group", _("Population group"), width=12),
            Column("number", _("Attempt number"), width=8),
            Column("status", _("Status"), width=10),
            Column("score", _("Score"), width=8),
            Column("seconds", _("Time used (s)"), width=10),
            Column("started", _("Started at"), width=16),
            Column("flags", _("Anti-cheat flags"), width=30),
            Column("reason", _("Why excluded"), width=30),
        ],
        to_values=lambda a: [
            a.pk,
            masked_name(a.participant.name),
            a.participant.phone_masked,
            a.region.name,
            a.participant.get_group_display(),
            a.number,
            a.get_status_display(),
            a.score,
            round(a.time_used_ms / 1000, 1) if a.time_used_ms is not None else None,
            a.started_at.strftime("%Y-%m-%d %H:%M:%S"),
            "、".join(str(label) for label in flag_labels(a)),
            a.excluded_reason,
        ],  # fmt: skip
        basename="contest-attempts",
        detail={"round": round_.pk},
    )


def answer_rows(attempt, show_keys: bool) -> list[dict]:
    """Per question of the attempt's paper: the question, the answer given, right or
    wrong and the key (when `show_keys`), and the server's time of the answer."""
    paper = papers.paper(attempt.round, attempt.seed)
    answers, times = attempt.answers or {}, attempt.times or {}
    rows = []
    for position, question in enumerate(paper.questions, start=1):
        given = answers.get(str(position), "")
        ms = times.get(str(position))
        rows.append({
            "position": position, "question": question, "given": given,
            "right": (bool(given) and question.slot.is_right(given)) if show_keys else None,
            "key": question.key if show_keys else "",
            "seconds": round(int(ms) / 1000, 1) if ms is not None else None,
        })  # fmt: skip
    return rows


@require_safe
@permission_required("contests.attempt.view")
def attempt_detail(request, pk):
    attempt = get_attempt_for_user(request.user, pk)
    round_ = attempt.round
    organizer = scope.can(request.user, round_, "close")
    # Keys and right or wrong only for the organizer while the round runs (an officer
    # below must not learn the answers during it).
    show_keys = organizer or round_.status in (c.RoundStatus.CLOSED, c.RoundStatus.PUBLISHED)
    can_judge = organizer and services.can_judge(attempt)
    return render(
        request,
        "contests/officer/attempt_detail.html",
        {
            "attempt": attempt,
            "round": round_,
            "name": masked_name(attempt.participant.name),
            "flags": flag_labels(attempt),
            "rows": answer_rows(attempt, show_keys),
            "show_keys": show_keys,
            "can_judge": can_judge,
            "reason_form": RequiredReasonForm() if can_judge else None,
        },
    )


def _judge(request, pk, service, message):
    attempt = get_attempt_for_user(request.user, pk, "exclude")
    if not scope.can(request.user, attempt.round, "close"):
        raise PermissionDenied
    return run_step(
        request,
        lambda: service(attempt, actor=request.user, reason=request.POST.get("reason", "")),
        back=reverse("contests:attempt_detail", args=[pk]),
        message=message,
    )


@require_POST
@permission_required("contests.attempt.exclude")
def attempt_exclude(request, pk):
    return _judge(request, pk, services.exclude_attempt, _("Attempt excluded."))


@require_POST
@permission_required("contests.attempt.exclude")
def attempt_restore(request, pk):
    return _judge(request, pk, services.restore_attempt, _("Attempt restored."))


# --- participants -----------------------------------------------------------------------


@require_safe
@permission_required("contests.participant.view")
def participant_list(request, pk):
    contest = get_contest_for_user(request.user, pk)
    rows = visible_to(request.user, Participant.objects.with_relations()).filter(contest=contest)
    filterset = ParticipantFilter(request.GET or None, queryset=rows.defer("phone_enc"))
    filterset.form.fields["region"] = region_field(
        request.user, Participant, "view", required=False
    )
    rows = filterset.qs if filter_is_usable(filterset) else Participant.objects.none()
    page = paginate(request, rows.order_by("-pk"))
    return render(
        request,
        "contests/officer/participant_list.html",
        {
            "contest": contest,
            "filter": filterset,
            "page": page,
            "rows": [(p, masked_name(p.name)) for p in page],
            "query": query_without_page(request),
            "can_reveal": scope.can(request.user, contest, "change")
            and has_permission(request.user, "contests.participant.reveal"),
        },
    )


@never_cache
@permission_required("contests.participant.reveal")
def participant_reveal(request, pk):
    """The organizer sees a participant's full number once, after giving a reason
    (audited); GET shows the form."""
    participant = get_for_user(Participant.objects.with_relations(), request.user, pk, "reveal")
    if not scope.can(request.user, participant.contest, "change"):
        raise PermissionDenied
    form = RevealForm(request.POST or None)
    phone, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            phone = services.reveal_phone(
                participant, actor=request.user, reason=form.cleaned_data["reason"]
            )
        else:
            status = 400
    return render(
        request,
        "contests/officer/participant_reveal.html",
        {"participant": participant, "name": masked_name(participant.name), "form": form,
         "phone": phone},
        status=status,
    )  # fmt: skip
