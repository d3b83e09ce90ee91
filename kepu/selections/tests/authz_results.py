"""Matrix rows of the results area.

The calls are the province's (四川省, region 51); the entries are people of county A
(锦江区). The province runs the 公示 and the decision; the officers below read the public
call but may not act on it (403); the objections lie with the province (others 404);
an awardee's certificate is read where the entry lies (county B and member staff: 404).
The public pages answer everyone."""

import datetime
from unittest import mock

from kepu.core import clock
from kepu.core.testing import Row, officers, statuses
from kepu.selections.services import results
from kepu.selections.tests import helpers_results as h

READERS = {"city": 403, "county_a": 403, "county_b": 403, "member": 403}
PROVINCE_ONLY = {"city": 404, "county_a": 404, "county_b": 404}
EVERYONE = statuses(200)


def context(ctx):
    with mock.patch.object(results, "panel_result", lambda call: {}):
        ctx["res_panel"] = panel = h.make_call(
            title="矩阵评选（会议评审）", certificate_prefix="MXP-"
        )
        h.scored_entry(panel, "矩阵候选甲", 1)
        pub = h.make_call(title="矩阵评选（公示）", certificate_prefix="MXQ-")
        ctx["res_candidate"] = h.scored_entry(pub, "矩阵候选乙", 1)
        results.start_publicity(pub, actor=None, entries=[ctx["res_candidate"]])
        ctx["res_pub"] = pub
        ctx["res_objection"], _new = results.file_objection(
            ctx["res_candidate"], name="王某某", phone="13912345678",
            text="该同志事迹材料与实际不符，请核实。",
        )  # fmt: skip
        done = h.make_call(title="矩阵评选（已发布）", certificate_prefix="MXR-")
        ctx["res_awarded"] = h.scored_entry(done, "矩阵获奖丙", 1)
        results.start_publicity(done, actor=None, entries=[ctx["res_awarded"]])
        with clock.frozen(clock.now() + datetime.timedelta(days=30)):
            results.decide_call(done, actor=None, decision_number="矩阵〔2026〕1号")
        ctx["res_awarded"].refresh_from_db()
        ctx["res_decided"] = done


def _pk(key):
    return lambda ctx: {"pk": ctx[key].pk}


ROWS = [
    Row("res-publicity", "selections:call_publicity", kwargs=_pk("res_panel"),
        expect=officers(200, **READERS)),
    Row("res-publicity-post", "selections:call_publicity", "post", kwargs=_pk("res_panel"),
        data=lambda ctx: {"entries": "99999999"}, expect=officers(400, **READERS)),
    Row("res-decide", "selections:call_decide", kwargs=_pk("res_pub"),
        expect=officers(200, **READERS)),
    Row("res-decide-post", "selections:call_decide", "post", kwargs=_pk("res_pub"),
        data=lambda ctx: {"decision_number": "矩阵〔2026〕2号"},
        expect=officers(400, **READERS)),
    Row("res-certificates", "selections:call_certificates", "post", kwargs=_pk("res_decided"),
        expect=officers(302, **READERS), changes=("province",)),
    Row("res-objections", "selections:objection_list", expect=officers(200)),
    Row("res-objection", "selections:objection_detail", kwargs=_pk("res_objection"),
        expect=officers(200, **PROVINCE_ONLY)),
    Row("res-objection-post", "selections:objection_detail", "post",
        kwargs=_pk("res_objection"),
        data=lambda ctx: {"decision": "dismissed", "answer": "经核实，不属实。"},
        expect=officers(302, **PROVINCE_ONLY), changes=("province",)),
    Row("res-certificate", "selections:entry_certificate", kwargs=_pk("res_awarded"),
        expect=officers(200, county_b=404, member=404, volunteer=404)),
    Row("res-public-calls", "selections:public_call_list", expect=EVERYONE),
    Row("res-public-call", "selections:public_call", kwargs=_pk("res_pub"), expect=EVERYONE),
    Row("res-public-objection", "selections:public_objection",
        kwargs=lambda ctx: {"pk": ctx["res_pub"].pk, "entry_pk": ctx["res_candidate"].pk},
        expect=EVERYONE),
    Row("res-public-objection-post", "selections:public_objection", "post",
        kwargs=lambda ctx: {"pk": ctx["res_pub"].pk, "entry_pk": ctx["res_candidate"].pk},
        data=lambda ctx: {"name": "李某某", "phone": "13812345678",
                          "text": "候选人材料存在夸大，请核实。"},
        expect=statuses(302), changes=tuple(EVERYONE)),
    Row("res-public-results", "selections:public_results", expect=EVERYONE),
    Row("res-verify", "selections:certificate_verify", expect=EVERYONE),
    Row("res-verify-code", "selections:certificate_verify_code",
        kwargs=lambda ctx: {"code": ctx["res_awarded"].certificate_code}, expect=EVERYONE),
]  # fmt: skip
