"""Authorization-matrix rows: rumours and rebuttals.

The leads of the back office lie in county A (锦江区: the province, the city of Chengdu
and county A reach them) or in county B (涪城区: the province and county B); the others
get 404, everyone without the officer's role 403 (anonymous: the login redirect). An
information officer (the volunteer persona) reports leads of their own region. Only the
expert asked decides a review: no persona is one (403). The public pages answer everyone.
"""

from kepu.core.testing import Row, officers, statuses
from kepu.emergency import choices as c
from kepu.emergency.tests import rumor_helpers as h


def context(ctx):
    expert = h.expert_person()
    incident = h.incident_with_experts(
        expert, title="矩阵谣言事件", region_code="51", affected=("510104", "510703")
    )
    ctx["rumor_incident"] = incident
    ctx["rumor_a"] = h.lead(incident, claim="矩阵谣言：锦江区明天还有大地震", code="510104")
    ctx["rumor_b_needs"] = h.lead(
        incident, claim="矩阵谣言：涪城区自来水被污染", triage=c.TriageDecision.NEEDS_REBUTTAL
    )
    ctx["rebuttal_b_draft"] = h.rebuttal(incident, claim="矩阵谣言：喝醋能预防传染病")
    ctx["rebuttal_b_approved"] = h.rebuttal(
        incident, claim="矩阵谣言：余震会持续一年", state="approved", reviewers=[expert]
    )
    ctx["rebuttal_b_published"] = h.rebuttal(
        incident, claim="矩阵谣言：地震云能预报地震", state="published", reviewers=[expert]
    )
    ctx["review_b"] = h.rebuttal(
        incident, claim="矩阵谣言：大坝已经决口", state="in_review", reviewers=[expert]
    ).reviews.get()
    ctx["rumor_expert"] = expert


def _id(key):
    return lambda ctx: {"pk": ctx[key].pk}


def _new_lead(ctx):
    return {"claim": "矩阵新线索：水里有毒", "topic": "health", "region": "510104"}


def _public_lead(ctx):
    return {"claim": "矩阵公众线索：明天停水", "topic": "health", "region": "510104"}


def _rebuttal(ctx):
    return {
        "title": "矩阵辟谣",
        "body": "经专家核实，此说法不实。",
        "approvals_required": 1,
        "review_hours": 4,
    }


A_SIDE = ("province", "city", "county_a")
B_SIDE = ("province", "county_b")
A_ONLY = {"county_b": 404}
B_ONLY = {"city": 404, "county_a": 404}
EVERYONE = statuses(200)

ROWS = [
    Row("rumor-list", "emergency:rumor_list", expect=officers(200)),
    Row("rumor-export", "emergency:rumor_export", expect=officers(200)),
    Row("rumor-trends", "emergency:rumor_trends", expect=officers(200)),
    Row("rumor-new", "emergency:rumor_create", expect=officers(200, volunteer=200)),
    Row("rumor-new-post", "emergency:rumor_create", "post", data=_new_lead,
        expect=officers(302, county_b=400, volunteer=302), changes=(*A_SIDE, "volunteer")),
    Row("rumor-a", "emergency:rumor_detail", kwargs=_id("rumor_a"), expect=officers(200, **A_ONLY)),
    Row("rumor-a-triage", "emergency:rumor_triage", "post", kwargs=_id("rumor_a"),
        data=lambda ctx: {"decision": "out_of_scope", "note": "矩阵：与本事件无关"},
        expect=officers(302, **A_ONLY), changes=A_SIDE),
    Row("rebuttal-new", "emergency:rebuttal_create", kwargs=_id("rumor_b_needs"),
        expect=officers(200, **B_ONLY)),
    Row("rebuttal-new-post", "emergency:rebuttal_create", "post", kwargs=_id("rumor_b_needs"),
        data=_rebuttal, expect=officers(302, **B_ONLY), changes=B_SIDE),
    Row("rebuttal-b", "emergency:rebuttal_detail", kwargs=_id("rebuttal_b_draft"),
        expect=officers(200, **B_ONLY)),
    Row("rebuttal-b-edit", "emergency:rebuttal_update", kwargs=_id("rebuttal_b_draft"),
        expect=officers(200, **B_ONLY)),
    Row("rebuttal-b-edit-post", "emergency:rebuttal_update", "post",
        kwargs=_id("rebuttal_b_draft"), data=_rebuttal, expect=officers(302, **B_ONLY),
        changes=B_SIDE),
    Row("rebuttal-b-submit", "emergency:rebuttal_submit", "post", kwargs=_id("rebuttal_b_draft"),
        data=lambda ctx: {"reviewers": [ctx["rumor_expert"].pk]},
        expect=officers(302, **B_ONLY), changes=B_SIDE),
    Row("rebuttal-b-publish", "emergency:rebuttal_publish", "post",
        kwargs=_id("rebuttal_b_approved"), expect=officers(302, **B_ONLY), changes=B_SIDE),
    Row("rebuttal-b-withdraw", "emergency:rebuttal_withdraw", "post",
        kwargs=_id("rebuttal_b_published"), data=lambda ctx: {"withdraw-reason": "矩阵撤回"},
        expect=officers(302, **B_ONLY), changes=B_SIDE),
    Row("incident-rumors", "emergency:incident_rumors", kwargs=_id("rumor_incident"),
        expect=officers(200)),
    Row("review-list", "emergency:review_list", expect=officers(200)),
    Row("review-decide", "emergency:review_decide", kwargs=_id("review_b"),
        expect=statuses(403, anonymous=302)),
    Row("review-decide-post", "emergency:review_decide", "post", kwargs=_id("review_b"),
        data=lambda ctx: {"decision": "approve"}, expect=statuses(403, anonymous=302)),
    Row("public-rumor-report", "emergency:public_rumor_report", expect=EVERYONE),
    Row("public-rumor-report-post", "emergency:public_rumor_report", "post", data=_public_lead,
        expect=statuses(302), changes=tuple(EVERYONE)),
    Row("public-rebuttals", "emergency:public_rebuttal_list", expect=EVERYONE),
    Row("public-rebuttal", "emergency:public_rebuttal_detail",
        kwargs=_id("rebuttal_b_published"), expect=EVERYONE),
    Row("rebuttal-feed-json", "emergency:rebuttal_feed_json", expect=EVERYONE),
    Row("rebuttal-feed-rss", "emergency:rebuttal_feed_rss", expect=EVERYONE),
]  # fmt: skip


def _api_lead(ctx):
    return {"claim": "矩阵接口线索：水里有毒", "topic": "health", "region": "510104"}


ROWS += [
    Row("api-rumors", "api:rumor-list", expect=officers(200, anonymous=401)),
    Row("api-rumors-post", "api:rumor-list", "post", data=_api_lead, json=True,
        expect=officers(201, anonymous=401, county_b=400, volunteer=400), changes=A_SIDE),
    Row("api-rumor-a", "api:rumor-detail", kwargs=_id("rumor_a"),
        expect=officers(200, anonymous=401, **A_ONLY)),
]  # fmt: skip
