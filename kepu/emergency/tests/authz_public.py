"""Authorization-matrix rows: public incident pages, expert answers, the review report.

The incident is the city of Mianyang's (绵阳市, responsible region 5107) affecting county B
(涪城区): the province and Mianyang's officers act on it; county B's officers read it (the
report and its PDF, by scope reach) but do not act; Chengdu and county A do not reach it
(404). The public pages answer everyone, a drill's included (by its address)."""

from kepu.core.testing import Row, officers, statuses
from kepu.emergency.tests.helpers import make_incident, make_member


def _expert():
    from kepu.people.models import PoolMembership

    return (
        PoolMembership.objects.filter(pool__kind="emergency")
        .select_related("person")
        .order_by("pk")
        .first()
        .person
    )


def context(ctx):
    incident = make_incident(title="矩阵公开地震", region_code="5107", affected=("510703",))
    ctx["public_incident"] = incident
    ctx["public_expert"] = _expert()
    make_member(incident, ctx["public_expert"])
    ctx["public_drill"] = make_incident(
        title="矩阵防汛演练", hazard="flood", region_code="5107", affected=("510703",),
        is_drill=True,
    )  # fmt: skip


def _id(key):
    return lambda ctx: {"pk": ctx[key].pk}


def _answer(ctx):
    return {
        "question": "余震还会持续多久？",
        "answer": "余震一般会持续数周，请远离危险建筑。",
        "person": ctx["public_expert"].pk,
    }


EVERYONE = statuses(200)
# Mianyang's incident: Chengdu and county A do not reach it.
NOT_CHENGDU = {"city": 404, "county_a": 404}

ROWS = [
    Row("emergency-public-list", "emergency:public_incident_list", expect=EVERYONE),
    Row("emergency-public-incident", "emergency:public_incident_detail",
        kwargs=_id("public_incident"), expect=EVERYONE),
    Row("emergency-public-drill", "emergency:public_incident_detail",
        kwargs=_id("public_drill"), expect=EVERYONE),
    Row("emergency-public-missing", "emergency:public_incident_detail",
        kwargs=lambda ctx: {"pk": 99999999}, expect=statuses(404)),
    Row("emergency-report", "emergency:incident_report", kwargs=_id("public_incident"),
        expect=officers(200, **NOT_CHENGDU)),
    Row("emergency-report-pdf", "emergency:incident_report_pdf", kwargs=_id("public_incident"),
        expect=officers(200, **NOT_CHENGDU)),
    Row("emergency-answer-new", "emergency:answer_create", kwargs=_id("public_incident"),
        expect=officers(200, county_b=403, **NOT_CHENGDU)),
    Row("emergency-answer-new-post", "emergency:answer_create", "post",
        kwargs=_id("public_incident"), data=_answer,
        expect=officers(302, county_b=403, **NOT_CHENGDU), changes=("province",)),
]  # fmt: skip
