"""Public pages of calls (no login): the calls under way and finished, a call's notice
with its timeline, its 公示 candidates (with a written-objection form each) and, once
decided, its awardees; the awardees of all decided calls; the certificate check."""

import uuid

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from kepu.core import clock, ratelimit
from kepu.core.publiccache import public_page
from kepu.core.views.common import filter_is_usable, form_page, paginate, submit_form
from kepu.selections import choices as c
from kepu.selections.filters.results import PublicCallFilter, PublicResultFilter
from kepu.selections.forms.results import ObjectionForm, VerifyForm
from kepu.selections.models import Call, Entry, EntryMember
from kepu.selections.permissions import get_public_call
from kepu.selections.services import results

OBJECTION_LIMIT = 10  # objections per address and hour
VERIFY_LIMIT = 30  # code look-ups per address and minute (no enumeration)
TAG = results.PUBLIC_TAG


# A work's authors (its entry members: names only), shown where a work has no unit.
_AUTHORS = Prefetch(
    "members",
    queryset=EntryMember.objects.select_related("person").only("entry_id", "person__name"),
)


def _public(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _timeline(call):
    """The call's steps with their dates, the current one marked."""
    steps = [
        (c.CallStatus.OPEN, call.opens_on, call.closes_on),
        (c.CallStatus.CHECKING, None, call.check_by),
        (c.CallStatus.REVIEWING, None, call.review_by),
        (c.CallStatus.PANEL, None, None),
        (c.CallStatus.PUBLICITY, call.publicity_from, call.publicity_to),
        (c.CallStatus.DECIDED, call.decided_on, None),
    ]
    at = c.CALL_FLOW.index(call.status)
    return [
        {
            "label": c.CallStatus(code).label,
            "start": start,
            "end": end,
            "done": c.CALL_FLOW.index(code) < at,
            "current": code == call.status,
        }
        for code, start, end in steps
    ]


@require_safe
@public_page(TAG)
def public_call_list(request):
    rows = Call.objects.for_list().filter(status__in=c.PUBLIC_CALL_STATUSES)
    filterset = PublicCallFilter(request.GET or None, queryset=rows)
    if not filter_is_usable(filterset):
        rows = rows.none()
    elif filterset.is_bound:
        rows = filterset.qs
    return _public(
        render(
            request,
            "selections/public/call_list.html",
            {"filter": filterset, "page": paginate(request, rows.order_by("-year", "-pk"))},
        )
    )


@require_safe
@public_page(TAG)
def public_call(request, pk):
    call = get_public_call(pk)
    today = clock.today()
    shown = ()
    if call.status == c.CallStatus.PUBLICITY:
        shown = (c.EntryStatus.CANDIDATE,)
    elif call.status == c.CallStatus.DECIDED:
        shown = (c.EntryStatus.AWARDED,)
    entries = (
        Entry.objects.filter(call=call, status__in=shown)
        .select_related("region", "organization", "call")
        .only(
            "title",
            "category",
            "status",
            "certificate_number",
            "region__name",
            "organization__name",
            "call__categories",
        )  # fmt: skip
        .prefetch_related(_AUTHORS)
        .order_by("category", "corrected_rank", "pk")
        if shown
        else Entry.objects.none()
    )
    return _public(
        render(
            request,
            "selections/public/call_detail.html",
            {
                "call": call,
                "entries": entries,
                "timeline": _timeline(call),
                "open": call.publicity_open_on(today),
                "closed": call.status == c.CallStatus.PUBLICITY
                and not call.publicity_open_on(today),
            },
        )
    )


@never_cache
def public_objection(request, pk, entry_pk):
    call = get_public_call(pk)
    entry = (
        Entry.objects.filter(call=call, pk=entry_pk, status=c.EntryStatus.CANDIDATE)
        .select_related("region", "organization", "call")
        .first()
    )
    if entry is None:
        raise Http404
    if request.method == "POST" and not ratelimit.allow(
        request, "selections-objection", limit=OBJECTION_LIMIT, per_seconds=3600
    ):
        return render(request, "core/errors/429.html", status=429)
    form = ObjectionForm(request.POST or None, initial={"client_key": uuid.uuid4()})

    def run():
        data = form.cleaned_data
        return results.file_objection(
            entry, name=data["name"], phone=data["phone"], text=data["text"],
            client_key=data.get("client_key"),
        )  # fmt: skip

    done = submit_form(
        request,
        form,
        run,
        success=reverse("selections:public_call", args=[pk]),
        message=_("Your objection has been received; the officers will answer it in writing."),
    )
    if done is not None:
        return done
    return _public(
        form_page(
            request,
            "selections/public/objection_form.html",
            form,
            {"call": call, "entry": entry, "open": call.publicity_open_on(clock.today())},
        )
    )


@require_safe
@public_page(TAG)
def public_results(request):
    rows = (
        Entry.objects.filter(status=c.EntryStatus.AWARDED, call__status=c.CallStatus.DECIDED)
        .select_related("call", "region", "organization")
        .prefetch_related(_AUTHORS)
    )
    filterset = PublicResultFilter(request.GET or None, queryset=rows)
    if not filter_is_usable(filterset):
        rows = rows.none()
    elif filterset.is_bound:
        rows = filterset.qs
    calls = Call.objects.filter(status=c.CallStatus.DECIDED).only("title", "year")
    return _public(
        render(
            request,
            "selections/public/results.html",
            {
                "filter": filterset,
                "calls": calls.order_by("-year", "-pk")[:50],
                "page": paginate(
                    request,
                    rows.order_by("-call__decided_on", "call_id", "certificate_number", "pk"),
                ),
            },  # fmt: skip
        )
    )


@never_cache
@require_safe
def certificate_verify(request):
    form = VerifyForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return redirect(
            "selections:certificate_verify_code", code=form.cleaned_data["code"].strip()
        )
    return _public(render(request, "selections/public/verify.html", {"form": form}))


@never_cache
@require_safe
def certificate_verify_code(request, code):
    if not ratelimit.allow(request, "selections-verify", limit=VERIFY_LIMIT, per_seconds=60):
        return render(request, "core/errors/429.html", status=429)
    entry = results.find_certificate(code)
    return _public(
        render(
            request,
            "selections/public/verify.html",
            {"form": VerifyForm(), "entry": entry, "looked_up": True},
            status=200 if entry else 404,
        )
    )
