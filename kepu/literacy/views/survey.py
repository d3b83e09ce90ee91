"""The public questionnaire (no login): the round's link asks the county and urban or
rural, a sample point's link (its QR code) fixes them. Notice and consent, the
respondent's demographics (no direct identifier), the questions, one post: a response is
stored whole or not at all. Also the interviewer's entry of the same questionnaire."""

import datetime
import re

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from kepu.core import ratelimit
from kepu.core.errors import DomainError
from kepu.literacy import choices as c
from kepu.literacy.forms.rounds import RespondentForm
from kepu.literacy.models import Response, SamplePoint
from kepu.literacy.permissions import get_fielding_point, get_fielding_round
from kepu.literacy.services import fielding
from kepu.literacy.services.fielding import outside_population
from kepu.literacy.views import questionnaire as q

SUBMIT_LIMIT = 600  # responses per address and hour (a school or a village shares one)


def _public(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _counties(round_):
    """The round's counties as choices; grouped by city when they span several (a
    province's 183 counties are not one list to scroll on a phone)."""
    groups: dict = {}
    for county in fielding.frame_of(round_).counties:
        groups.setdefault(county.parent, []).append((str(county.pk), county.name))
    if len(groups) < 2:
        return [choice for rows in groups.values() for choice in rows]
    return [(city.name if city else "", rows) for city, rows in groups.items()]


def fill(request, round_, *, point=None, interviewer=None, template, done_url):
    """Show or take the questionnaire (shared by the public and interviewer pages)."""
    if not round_.is_fielding():
        return render(request, template, {"round": round_, "closed": True}, status=200)
    counties = None if point is not None else _counties(round_)
    form = RespondentForm(request.POST or None, counties=counties)
    error, device, new_device = None, "", None
    if interviewer is None:
        device, new_device = q.device_of(request, round_)
    start = q.read_token(request.POST.get("start"), round_) if request.method == "POST" else None
    if request.method == "POST" and start is None:
        error = _("This questionnaire page has expired: please start again.")
    if start is None:
        survey_form = q.choose_form(round_)
        token = q.start_token(round_, survey_form, point)
        start = q.read_token(token, round_)
    else:
        token = request.POST["start"]
        survey_form = fielding.frame_of(round_).form(start["f"])
    if survey_form is None:
        raise Http404
    if request.method == "POST" and error is None:
        if not ratelimit.allow(request, "literacy-survey", limit=SUBMIT_LIMIT, per_seconds=3600):
            error = _("Too many questionnaires from this network: please try again later.")
        elif form.is_valid():
            demographics = form.demographics()
            if not round_.age_min <= demographics["age"] <= round_.age_max:
                return _public(render(request, template, {
                    "round": round_, "outside": outside_population(round_)}))  # fmt: skip
            region = None
            if point is None:
                chosen = int(form.cleaned_data["county"])
                region = next(
                    (r for r in fielding.frame_of(round_).counties if r.pk == chosen), None
                )
            try:
                response = fielding.submit_response(
                    round_, form=survey_form, point=point, region=region,
                    mode=c.Mode.INTERVIEWER if interviewer else c.Mode.SELF,
                    answers=q.posted_answers(request.POST),
                    item_seconds=q.posted_seconds(request.POST),
                    started_at=datetime.datetime.fromtimestamp(start["t"], tz=datetime.UTC),
                    demographics=demographics, device=device, idem=start["n"],
                    interviewer=interviewer, user_agent=q.user_agent_kind(request),
                    order_seed=start["s"],
                )  # fmt: skip
            except DomainError as exc:
                error = " ".join(str(m) for m in exc.messages)
            else:
                return q.set_device(redirect(done_url(response)), new_device)
    page = render(
        request,
        template,
        {
            "round": round_, "point": point, "form": form, "start": token, "error": error,
            "sections": q.questions(
                survey_form, start["s"],
                q.posted_answers(request.POST) if request.method == "POST" else None,
            ),
            "already": bool(device)
            and Response.objects.filter(round=round_, device=device).exists(),
        },
        status=400 if request.method == "POST" else 200,
    )  # fmt: skip
    return _public(q.set_device(page, new_device))


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def survey(request, token):
    round_ = get_fielding_round(token)
    return fill(
        request, round_, template="literacy/survey/survey.html",
        done_url=lambda r: _done_url(round_, r),
    )  # fmt: skip


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def survey_point(request, token):
    point = get_fielding_point(token)
    return fill(
        request, point.round, point=point, template="literacy/survey/survey.html",
        done_url=lambda r: _done_url(point.round, r),
    )  # fmt: skip


def _done_url(round_, response) -> str:
    """The thank-you page with the response's receipt number."""
    receipt = fielding.receipt_of(response.idem)
    return reverse("literacy:survey_done", args=[round_.token]) + f"?receipt={receipt}"


@require_safe
def survey_done(request, token):
    round_ = get_fielding_round(token)
    receipt = request.GET.get("receipt", "")
    receipt = receipt if re.fullmatch(r"[0-9a-f]{12}", receipt) else ""
    return _public(
        render(request, "literacy/survey/done.html", {"round": round_, "receipt": receipt})
    )


def point_of(round_, pk):
    point = (
        SamplePoint.objects.select_related("stratum__region").filter(pk=pk, round=round_).first()
    )
    if point is None:
        raise Http404
    return point
