"""Officer pages of the results area: the 公示 (choose the candidates from the ranking and
the panel's vote, start the notice), the objections and their answers, the decision, the
certificate PDF of an awardee and the certificates of a whole call (a job)."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kepu.core import audit, clock, scope
from kepu.core.models.publicity import ObjectionStatus
from kepu.core.pdf import pdf_response
from kepu.core.scope import visible_to
from kepu.core.views.common import (
    filter_is_usable,
    form_page,
    paginate,
    permission_required,
    submit_form,
)
from kepu.core.views.jobs import form_job_key, job_page
from kepu.core.workflow import held_back
from kepu.selections import certificates
from kepu.selections import choices as c
from kepu.selections.filters.results import ObjectionFilter
from kepu.selections.forms.results import AnswerForm, DecisionForm, PublicityForm
from kepu.selections.models import Entry, Objection
from kepu.selections.permissions import (
    get_call_for_user,
    get_entry_for_user,
    get_objection_for_user,
)
from kepu.selections.services import results


def _rows(call, ranked, result, chosen):
    """The ranking as the publicity page shows it (one dict per scored entry)."""
    for e in ranked:
        vote = result.get(e.pk)
        yield {
            "entry": e,
            "vote": vote,
            "passed": (not result) or bool(vote and vote.get("passed")),
            "chosen": e.pk in chosen,
        }


@permission_required("selections.call.view")
def call_publicity(request, pk):
    call = get_call_for_user(request.user, pk, "publicize")
    if call.status != c.CallStatus.PANEL:
        if request.method == "POST":
            messages.error(request, _("The public notice follows the panel meeting."))
            return redirect("selections:call_publicity", pk=pk)
        candidates = (
            Entry.objects.filter(
                call=call,
                status__in=(c.EntryStatus.CANDIDATE, c.EntryStatus.AWARDED),
            )
            .select_related("region", "organization")
            .order_by("corrected_rank", "pk")
        )
        return render(
            request,
            "selections/results/call_publicity.html",
            {"call": call, "open": False, "candidates": candidates},
        )
    ranked = results.ranked_entries(call)
    result = results.panel_result(call)
    default = results.default_candidates(call, ranked, result)
    form = PublicityForm(request.POST or None, entries=ranked, initial={"entries": default})
    done = submit_form(
        request,
        form,
        lambda: results.start_publicity(
            call, actor=request.user, entries=form.cleaned_data["entries"]
        ),
        success=reverse("selections:call_publicity", args=[pk]),
        message=_("The candidates are on public notice."),
    )
    return done or form_page(
        request,
        "selections/results/call_publicity.html",
        form,
        {
            "call": call,
            "open": True,
            "rows": list(_rows(call, ranked, result, set(default))),
            "has_panel": bool(result),
        },
    )


@require_safe
@permission_required("selections.objection.view")
def objection_list(request):
    rows = visible_to(request.user, Objection.objects.with_relations(), public=False)
    filterset = ObjectionFilter(request.GET or None, queryset=rows)
    usable = filter_is_usable(filterset)
    rows = filterset.qs if usable and filterset.is_bound else rows
    if not usable:
        rows = rows.none()
    return render(
        request,
        "selections/results/objection_list.html",
        {"filter": filterset, "page": paginate(request, rows.order_by("-filed_at", "-pk"))},
    )


@permission_required("selections.objection.view")
def objection_detail(request, pk):
    objection = get_objection_for_user(request.user, pk)
    can_answer = (
        objection.status == ObjectionStatus.PENDING
        and objection.entry.call.status == c.CallStatus.PUBLICITY
        and scope.can(request.user, objection, "answer")
    )
    form = AnswerForm(request.POST or None)
    done = None
    if can_answer:
        done = submit_form(
            request,
            form,
            lambda: results.answer_objection(
                objection, actor=request.user,
                upheld=form.cleaned_data["decision"] == "upheld",
                answer=form.cleaned_data["answer"],
            ),
            success=reverse("selections:objection_list") + "?state=pending",
            message=_("Answer recorded."),
        )  # fmt: skip
    elif request.method == "POST":
        get_objection_for_user(request.user, pk, "answer")  # 403 without the right
        messages.error(request, _("This objection has already been answered."))
        return redirect("selections:objection_detail", pk=pk)
    return done or form_page(
        request,
        "selections/results/objection_detail.html",
        form,
        {"objection": objection, "can_answer": can_answer},
    )


@permission_required("selections.call.view")
def call_decide(request, pk):
    call = get_call_for_user(request.user, pk, "publicize")
    # The decision's own right and the four-eyes rule (whoever started the notice).
    reason = held_back(request.user, call, "decide")
    if request.method == "POST" and reason is None:
        call = get_call_for_user(request.user, pk, "decide")
    form = DecisionForm(request.POST or None, initial={"decided_on": clock.today()})
    done = None
    if call.status == c.CallStatus.PUBLICITY and reason is None:
        done = submit_form(
            request,
            form,
            lambda: results.decide_call(
                call, actor=request.user,
                decision_number=form.cleaned_data["decision_number"],
                decided_on=form.cleaned_data["decided_on"],
            ),
            success=reverse("selections:call_decide", args=[pk]),
            message=lambda awarded: _("Results published: %(n)d awarded.") % {"n": len(awarded)},
        )  # fmt: skip
    elif request.method == "POST":
        messages.error(request, reason or _("The decision follows the public notice."))
        return redirect("selections:call_decide", pk=pk)
    entries = (
        Entry.objects.filter(
            call=call,
            status__in=(c.EntryStatus.CANDIDATE, c.EntryStatus.AWARDED, c.EntryStatus.NOT_AWARDED),
        )
        .exclude(status=c.EntryStatus.NOT_AWARDED, certificate_number="", objections=None)
        .select_related("organization", "region")
        .order_by("corrected_rank", "pk")
    )
    return done or form_page(
        request,
        "selections/results/call_decide.html",
        form,
        {
            "call": call,
            "checks": results.decision_checks(call),
            "entries": entries,
            "held_back": reason,
            "open": call.status == c.CallStatus.PUBLICITY,
        },
    )


@require_safe
@permission_required("selections.entry.view")
def entry_certificate(request, pk):
    entry = get_entry_for_user(request.user, pk)
    if entry.status != c.EntryStatus.AWARDED or not entry.certificate_code:
        raise Http404
    content = certificates.render(entry, base=request.build_absolute_uri("/"))
    audit.record(
        "selections.entry.certificate_downloaded", obj=entry, actor=request.user,
        detail={"number": entry.certificate_number},
    )  # fmt: skip
    return pdf_response(content, certificates.file_name(entry))


@require_POST
@permission_required("selections.call.publicize")
def call_certificates(request, pk):
    """Every certificate of a decided call, one PDF each in a ZIP made by a job (the
    organizers: the officers below may read a call, not act on it)."""
    call = get_call_for_user(request.user, pk, "publicize")
    form = forms.Form(request.POST)
    done = submit_form(
        request,
        form,
        lambda: certificates.start_batch(
            request.user, call, base=request.build_absolute_uri("/"),
            idem=form_job_key(request, certificates.BATCH),
        ),
        success=job_page,
        fallback=reverse("selections:call_decide", args=[pk]),
    )  # fmt: skip
    if done is not None:
        return done
    for error in form.non_field_errors():
        messages.error(request, error)
    return redirect("selections:call_decide", pk=pk)
