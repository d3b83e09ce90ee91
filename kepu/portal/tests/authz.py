"""Portal rows of the authorization matrix (run by the shared harness).

The public pages (home, region choice, search, notices) answer everyone. The notices of
the back office are county B's (涪城区): the province and county B reach them, the city
of Chengdu and county A get 404, everyone without the officer's role 403 (anonymous: the
login redirect)."""

from kepu.core.testing import Row, officers, statuses
from kepu.portal.tests.helpers import make_notice


def context(ctx):
    ctx["notice_b_draft"] = make_notice(title="矩阵草稿公告")
    ctx["notice_b_returned"] = make_notice(title="矩阵退回公告", state="returned")
    ctx["notice_b_sub"] = make_notice(title="矩阵待审公告", state="submitted")
    ctx["notice_b_pub"] = make_notice(title="矩阵已发布公告", state="published")


def _id(key):
    return lambda ctx: {"pk": ctx[key].pk}


def _review(key, step):
    return lambda ctx: {"pk": ctx[key].pk, "step": step}


def _new(ctx):
    return {
        "title": "矩阵新公告",
        "category": "announcement",
        "region": "510703",
        "issuer": "涪城区科学技术协会",
        "body": "关于开展科普活动的通知。",
    }


B_ONLY = {"city": 404, "county_a": 404}
B_SIDE = ("province", "county_b")
EVERYONE = statuses(200)

ROWS = [
    # public
    Row("portal-home", "portal:home", expect=EVERYONE),
    Row("portal-region", "portal:choose_region", expect=statuses(302)),
    Row("portal-search", "portal:search", expect=EVERYONE),
    Row("portal-public-notices", "portal:public_notice_list", expect=EVERYONE),
    Row("portal-public-notice", "portal:public_notice_detail", kwargs=_id("notice_b_pub"),
        expect=EVERYONE),
    Row("portal-public-notice-draft", "portal:public_notice_detail", kwargs=_id("notice_b_sub"),
        expect=statuses(404)),
    # back office
    Row("notice-list", "portal:notice_list", expect=officers(200)),
    Row("notice-queue", "portal:notice_queue", expect=officers(200)),
    Row("notice-export", "portal:notice_export", expect=officers(200)),
    Row("notice-new", "portal:notice_create", expect=officers(200)),
    Row("notice-new-post", "portal:notice_create", "post", data=_new,
        expect=officers(302, city=400, county_a=400), changes=B_SIDE),
    Row("notice-b", "portal:notice_detail", kwargs=_id("notice_b_sub"),
        expect=officers(200, **B_ONLY)),
    Row("notice-b-published", "portal:notice_detail", kwargs=_id("notice_b_pub"),
        expect=officers(200, **B_ONLY)),
    Row("notice-edit", "portal:notice_update", kwargs=_id("notice_b_draft"),
        expect=officers(200, **B_ONLY)),
    Row("notice-edit-post", "portal:notice_update", "post", kwargs=_id("notice_b_returned"),
        data=lambda c: {**_new(c), "title": "矩阵改过的公告"},
        expect=officers(302, **B_ONLY), changes=B_SIDE),
    Row("notice-submit", "portal:notice_submit", "post", kwargs=_id("notice_b_draft"),
        expect=officers(302, **B_ONLY), changes=B_SIDE),
    Row("notice-publish", "portal:notice_review", "post", kwargs=_review("notice_b_sub", "publish"),
        expect=officers(302, **B_ONLY), changes=B_SIDE),
    Row("notice-return", "portal:notice_review", "post", kwargs=_review("notice_b_sub", "return"),
        data=lambda c: {"reason": "请补充联系人"},
        expect=officers(302, **B_ONLY), changes=B_SIDE),
    Row("notice-withdraw", "portal:notice_withdraw", "post", kwargs=_id("notice_b_pub"),
        data=lambda c: {"withdraw-reason": "活动已取消"},
        expect=officers(302, **B_ONLY), changes=B_SIDE),
]  # fmt: skip
