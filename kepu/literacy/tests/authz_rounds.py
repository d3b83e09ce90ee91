"""Authorization-matrix rows of the rounds area.

The round is the province's (四川省, 51), in the field, with the member-unit staff as its
interviewer; a draft round beside it; one response from 锦江区 (county A). The province
runs the rounds; Chengdu and the counties read them (county B does not reach county A's
response); the member interviews; the public answers by link."""

import datetime
from decimal import Decimal

from kepu.core import clock
from kepu.core.models import User
from kepu.core.testing import Row, officers, statuses
from kepu.literacy import choices as c
from kepu.literacy.services import fielding
from kepu.literacy.services import rounds as services
from kepu.literacy.tests import helpers_rounds as h


def context(ctx):
    h.bank(h.region("51"), prefix="MX")
    h.margins()
    round_ = h.make_round("51", name="矩阵调查轮次")
    member = User.objects.get(username="demo-member")
    services.add_interviewer(round_, member, actor=None)
    ctx["rounds_open"] = round_
    ctx["rounds_member"] = member
    ctx["rounds_draft"] = h.make_round("51", status="draft", name="矩阵草稿轮次")
    form = round_.forms.first()
    ctx["rounds_response"] = fielding.submit_response(
        round_, form=form, region=h.region("510104"), mode=c.Mode.SELF,
        answers=h.answers_for(form), item_seconds={},
        started_at=clock.now() - datetime.timedelta(minutes=10),
        demographics=h.DEMOGRAPHICS, idem="matrix-response",
    )  # fmt: skip
    ctx["rounds_point"] = round_.points.order_by("pk").first()
    # A county's own round (锦江区, county A's): few enough points for its QR sheet to be
    # rendered in the request (the province's 732 are a job).
    ctx["rounds_county"] = h.make_round("510104", name="矩阵区县轮次", target_moe=Decimal("0.05"))


def _pk(key):
    return lambda ctx: {"pk": ctx[key].pk}


def _round_data(ctx):
    now = clock.now()
    return {
        "name": "矩阵新轮次", "kind": "literacy", "instrument": ctx["rounds_open"].instrument_id,
        "year": now.year, "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + datetime.timedelta(days=20)).strftime("%Y-%m-%dT%H:%M"),
        "target_moe": "0.02", "confidence": "0.95", "expected_rate": "0.13",
        "design_effect": "1.5", "response_rate": "0.8", "allocation": "proportional",
        "min_per_stratum": 30, "form_count": 2, "consent_text": "矩阵告知",
        "min_seconds_per_item": 2, "straightline_share": "0.9",
    }  # fmt: skip


def _margin_data(ctx):
    """锦江区's margins with one person more in one category of every variable (they
    still add up), as the edit page posts them."""
    from kepu.literacy.services.margins import margins_of

    data = {"source": "矩阵手工录入"}
    for var, cats in margins_of(h.region("510104")).items():
        for i, (cat, n) in enumerate(sorted(cats.items())):
            data[f"{var}__{cat}"] = n + (1 if i == 0 else 0)
    return data


def _code(code):
    return lambda ctx: {"code": code}


READERS = officers(200, member=200)
ROUND_READERS = officers(200, member=200)
ORGANIZER = officers(403, province=200, member=403)
POST_ORGANIZER = officers(403, province=302)
A_RESPONSE = officers(200, county_b=404)
PUBLIC = statuses(200)

ROWS = [
    Row("rounds-list", "literacy:round_list", expect=READERS),
    Row("rounds-new", "literacy:round_create", expect=officers(200)),
    Row("rounds-new-post", "literacy:round_create", "post", data=_round_data,
        expect=officers(302), changes=("province", "city", "county_a", "county_b")),
    Row("rounds-detail", "literacy:round_detail", kwargs=_pk("rounds_open"), expect=ROUND_READERS),
    Row("rounds-draft", "literacy:round_detail", kwargs=_pk("rounds_draft"),
        expect=officers(200, member=404)),
    Row("rounds-edit", "literacy:round_edit", kwargs=_pk("rounds_draft"),
        expect=officers(403, province=200, member=403)),
    Row("rounds-points", "literacy:round_points", kwargs=_pk("rounds_open"), expect=ROUND_READERS),
    # The sheet of county A's own round (a few points, rendered in the request): the
    # province and Chengdu read it; county B and the member (no interviewer of it) do not.
    Row("rounds-points-pdf", "literacy:round_points_pdf", kwargs=_pk("rounds_county"),
        expect=officers(200, county_b=404, member=404)),
    Row("rounds-points-pdf-draft", "literacy:round_points_pdf", kwargs=_pk("rounds_draft"),
        expect=officers(404, member=404)),
    Row("rounds-close", "literacy:round_step", "post",
        kwargs=lambda ctx: {"pk": ctx["rounds_open"].pk, "step": "close"},
        expect=officers(403, province=302, member=403), changes=("province",)),
    Row("rounds-interviewer-add", "literacy:round_interviewer_add", "post",
        kwargs=_pk("rounds_open"), data=lambda ctx: {"username": "demo-county-a"},
        expect=POST_ORGANIZER, changes=("province",)),
    Row("rounds-interviewer-remove", "literacy:round_interviewer_remove", "post",
        kwargs=lambda ctx: {"pk": ctx["rounds_open"].pk, "user_pk": ctx["rounds_member"].pk},
        expect=POST_ORGANIZER, changes=("province",)),
    Row("rounds-dispositions", "literacy:round_dispositions", kwargs=_pk("rounds_open"),
        expect=ROUND_READERS),
    Row("rounds-interviews", "literacy:interview_list", expect=officers(200, member=200)),
    Row("rounds-interview", "literacy:interview", kwargs=_pk("rounds_open"),
        expect=officers(403, member=200)),
    Row("rounds-contact", "literacy:contact_create", "post", kwargs=_pk("rounds_open"),
        data=lambda ctx: {"point": ctx["rounds_point"].pk, "outcome": "refusal"},
        expect=officers(403, member=302), changes=("member",)),
    Row("rounds-responses", "literacy:response_list", expect=officers(200)),
    Row("rounds-response", "literacy:response_detail", kwargs=_pk("rounds_response"),
        expect=A_RESPONSE),
    Row("rounds-response-exclude", "literacy:response_exclude", "post",
        kwargs=_pk("rounds_response"), data=lambda ctx: {"reason": "矩阵排除"},
        expect=officers(302, county_b=404), changes=("province", "city", "county_a")),
    Row("rounds-response-restore", "literacy:response_restore", "post",
        kwargs=_pk("rounds_response"), data=lambda ctx: {"reason": "矩阵恢复"},
        expect=officers(302, county_b=404)),
    Row("rounds-margins", "literacy:margin_list", expect=officers(200)),
    Row("rounds-margin-edit", "literacy:margin_edit", kwargs=_code("510104"),
        expect=officers(200, county_b=404)),
    Row("rounds-margin-edit-province", "literacy:margin_edit", kwargs=_code("51"),
        expect=officers(404, province=200)),
    Row("rounds-margin-edit-post", "literacy:margin_edit", "post", kwargs=_code("510104"),
        data=_margin_data, expect=officers(302, county_b=404),
        changes=("province", "city", "county_a")),
    Row("rounds-survey", "literacy:survey", kwargs=lambda ctx: {"token": ctx["rounds_open"].token},
        expect=PUBLIC),
    Row("rounds-survey-point", "literacy:survey_point",
        kwargs=lambda ctx: {"token": ctx["rounds_point"].token}, expect=PUBLIC),
    Row("rounds-survey-done", "literacy:survey_done",
        kwargs=lambda ctx: {"token": ctx["rounds_open"].token}, expect=PUBLIC),
    Row("rounds-api-list", "api:literacy-round-list",
        expect=officers(200, member=200, anonymous=401)),
    Row("rounds-api-detail", "api:literacy-round-detail", kwargs=_pk("rounds_open"),
        expect=officers(200, member=200, anonymous=401)),
    Row("rounds-api-responses", "api:literacy-response-list", expect=officers(200, anonymous=401)),
    Row("rounds-api-response", "api:literacy-response-detail", kwargs=_pk("rounds_response"),
        expect=officers(200, county_b=404, anonymous=401)),
]  # fmt: skip
