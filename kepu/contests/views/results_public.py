"""Public pages of the results area (no login): the live leaderboard of a round (from the
shared cache, with the visitor's own rank when their participant cookie is present), the
prize list with its 公示 and the objection form, the participant's certificate download
and the public certificate check."""

import uuid

from django.core.cache import cache
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from kepu.contests import certificates
from kepu.contests import choices as c
from kepu.contests.models import ContestRound, Prize, PrizeList
from kepu.contests.services import prizes as prize_services
from kepu.contests.services import rankings
from kepu.contests.views import taking_common
from kepu.contests.views.results_forms import ObjectionForm
from kepu.core import clock, publicity, ratelimit
from kepu.core.errors import DomainError
from kepu.core.pdf import pdf_response
from kepu.core.publiccache import public_page
from kepu.core.scope import get_for_user
from kepu.core.views.common import form_page, submit_form

BOARD_STATUSES = (c.RoundStatus.OPEN, c.RoundStatus.CLOSED, c.RoundStatus.PUBLISHED)
OBJECTION_LIMIT = 10  # objections per address and hour
VERIFY_LIMIT = 30  # code look-ups per address and minute (no enumeration)


def _public(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def public_round(request, pk, statuses=BOARD_STATUSES) -> ContestRound:
    """A round of a published contest in one of `statuses`, else 404."""
    round_ = get_for_user(ContestRound.objects.with_relations(), request.user, pk, "view")
    if round_.status not in statuses:
        raise Http404
    return round_


def participant_of(request, round_: ContestRound):
    """The participant of this round's contest on this browser (the registration's
    cookie) or signed in, or None."""
    return taking_common.participant_of(request, round_.contest)


def _board_html(round_: ContestRound, tab: str, language: str) -> str:
    """The leaderboard's figures, tabs and table as HTML, rendered once per refresh of the
    cached board (`rankings.live_board`), tab and language: hundreds of rows rendered
    per request would cost more than everything else on the page."""
    board = rankings.live_board(round_)
    key = f"contests:board-html:{round_.pk}:{tab}:{language}:{board['at'].timestamp()}"
    html = cache.get(key)
    if html is None:
        html = render_to_string(
            "contests/results/_board.html", {"round": round_, "board": board, "tab": tab}
        )
        cache.set(key, html, 5 * rankings.LIVE_SECONDS)
    return html


@never_cache
@require_safe
def leaderboard(request, pk):
    round_ = public_round(request, pk)
    participant = participant_of(request, round_)
    tab = request.GET.get("tab")
    tab = tab if tab in ("cities", "counties") else "persons"
    return _public(
        render(
            request,
            "contests/results/leaderboard.html",
            {
                "round": round_,
                "board_html": _board_html(round_, tab, get_language()),
                "mine": rankings.my_rank(round_, participant) if participant else None,
            },
        )
    )


def _prize_list(round_):
    plist = PrizeList.objects.filter(
        round=round_, status__in=(c.PrizeListStatus.PUBLICITY, c.PrizeListStatus.FINAL)
    ).first()
    if plist is None:
        raise Http404
    return plist


@require_safe
@public_page(prize_services.PUBLIC_TAG)
def prizes_public(request, pk):
    round_ = public_round(request, pk, (c.RoundStatus.PUBLISHED,))
    plist = _prize_list(round_)
    rows = Prize.objects.filter(prize_list=plist).select_related(
        "participant", "region", "region__parent"
    ).order_by("tier", "rank", "pk")  # fmt: skip
    order = {t: i for i, t in enumerate(c.PrizeTier.values)}
    shown = sorted(
        (
            {
                "pk": p.pk, "tier": p.get_tier_display(), "rank": p.rank,
                "name": rankings.masked_name(p.participant.name) if p.participant_id else "",
                "unit": rankings.masked_unit(p.participant.unit) if p.participant_id else "",
                "region": p.region.name, "score": p.score, "withdrawn": p.withdrawn,
                "organizer": p.tier == c.PrizeTier.ORGANIZER, "order": order[p.tier],
            }
            for p in rows
        ),
        key=lambda r: (r["order"], r["rank"]),
    )  # fmt: skip
    return _public(
        render(
            request,
            "contests/results/prizes_public.html",
            {
                "round": round_,
                "plist": plist,
                "prizes": shown,
                "open": plist.status == c.PrizeListStatus.PUBLICITY
                and publicity.is_open(plist.publicity_start, plist.publicity_end),
            },
        )  # fmt: skip
    )


@never_cache
def prize_objection(request, pk, prize_pk):
    round_ = public_round(request, pk, (c.RoundStatus.PUBLISHED,))
    plist = _prize_list(round_)
    prize = (
        Prize.objects.filter(prize_list=plist, pk=prize_pk, withdrawn=False)
        .select_related("participant", "region")
        .first()
    )
    if prize is None:
        raise Http404
    if request.method == "POST" and not ratelimit.allow(
        request, "contests-objection", limit=OBJECTION_LIMIT, per_seconds=3600
    ):
        return render(request, "core/errors/429.html", status=429)
    form = ObjectionForm(request.POST or None, initial={"client_key": uuid.uuid4()})

    def run():
        data = form.cleaned_data
        return prize_services.file_objection(
            prize, name=data["name"], phone=data["phone"], text=data["text"],
            client_key=data.get("client_key"),
        )  # fmt: skip

    done = submit_form(
        request, form, run, success=reverse("contests:prizes_public", args=[pk]),
        message=_("Your objection has been received; the officers will answer it in writing."),
    )  # fmt: skip
    if done is not None:
        return done
    return _public(
        form_page(
            request,
            "contests/results/objection_form.html",
            form,
            {
                "round": round_,
                "plist": plist,
                "prize": prize,
                "name": rankings.masked_name(prize.participant.name)
                if prize.participant_id
                else "",
                "open": plist.status == c.PrizeListStatus.PUBLICITY
                and publicity.is_open(plist.publicity_start, plist.publicity_end),
            },
        )  # fmt: skip
    )


@never_cache
@require_safe
def certificate(request, pk):
    """The participant's own certificate (participation, or `?kind=prize`), named by
    their cookie; issued the first time it is downloaded."""
    round_ = public_round(request, pk, (c.RoundStatus.PUBLISHED,))
    participant = participant_of(request, round_)
    if participant is None:
        raise Http404
    kind = request.GET.get("kind") or c.CertificateKind.PARTICIPATION
    if kind not in c.CertificateKind.values:
        raise Http404
    try:
        cert = certificates.issue(round_, participant, kind)
    except DomainError as exc:
        return render(
            request, "contests/results/certificate_refused.html",
            {"round": round_, "reason": exc.messages[0]},
            status=404,
        )  # fmt: skip
    cert.round, cert.participant = round_, participant
    content = certificates.render(cert, base=request.build_absolute_uri("/"))
    return pdf_response(content, certificates.file_name(cert))


@never_cache
@require_safe
def certificate_verify(request, code):
    if not ratelimit.allow(request, "contests-verify", limit=VERIFY_LIMIT, per_seconds=60):
        return render(request, "core/errors/429.html", status=429)
    cert = certificates.find(code)
    if cert is None:
        raise Http404
    return _public(
        render(
            request,
            "contests/results/certificate_verify.html",
            {"shown": certificates.verification(cert), "code": cert.code, "at": clock.now()},
        )  # fmt: skip
    )
