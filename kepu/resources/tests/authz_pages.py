"""Matrix rows of the back-office catalog pages, over the objects of `authz.context`.

Officers reach the entries of their region's subtree (county A's entries: the province,
the city and county A; county B's: the province and county B; others get 404, and
published entries of another county are not in the back office either). The member unit
reaches its own unit's entry, the volunteer their own individual application. Steps
without the permission (the completeness check, the decision, management, the queue)
are 403 before any lookup; POST-only pages answer 405 to GET; denied POSTs change
nothing."""

from kepu.core.testing import Row, officers, statuses
from kepu.people.models import PoolMembership
from kepu.resources.tests.helpers import png_upload

# Who reaches an entry of county A (锦江区), of county B (涪城区), of the province level
# held by the member unit, and the volunteer's own entry (in county A).
A = {"county_b": 404, "member": 404, "volunteer": 404}
B = {"city": 404, "county_a": 404, "member": 404, "volunteer": 404}
MEMBER = {"city": 404, "county_a": 404, "county_b": 404, "member": 200, "volunteer": 404}
VOL = {"county_b": 404, "member": 404, "volunteer": 200}
# Applicants' steps (view, change, submit) are theirs too; officers' steps are 403 to them.
OFFICER_ONLY = {"member": 403, "volunteer": 403}


def _id(key):
    return lambda ctx: {"pk": ctx[key].pk}


def _file(key, file_key):
    return lambda ctx: {"pk": ctx[key].pk, "file_pk": ctx[file_key].pk}


def _version(key, number=1):
    return lambda ctx: {"pk": ctx[key].pk, "number": number}


def _manage(key, action):
    return lambda ctx: {"pk": ctx[key].pk, "action": action}


def _place(ctx, **over):
    data = {
        "type": "place",
        "organization": "锦江区科学技术协会",
        "title": "矩阵新建科普场馆",
        "summary": "矩阵测试用的科普场馆。",
        "region": "510104",
        "place_kind": "museum",
        "address": "成都市锦江区测试路1号",
        "latitude": "30.650000",
        "longitude": "104.080000",
        "groups": ["youth"],
    }
    data.update(over)
    return data


def _work(ctx, **over):
    data = {
        "title": "矩阵个人申报作品（修改）",
        "summary": "个人创作的科普短文，已修改。",
        "region": "510104",
        "work_kind": "article",
        "authors": "刘洋",
        "groups": ["youth"],
    }
    data.update(over)
    return data


def _vol_membership(ctx):
    assignment = ctx["assign_vol"]
    return PoolMembership.objects.get(pool=assignment.pool, person=assignment.reviewer)


ROWS = [
    # the list, the export, the queue
    Row(
        "res-pg-list",
        "resources:resource_list",
        expect=officers(200, member=200, volunteer=200),
    ),
    Row("res-pg-export", "resources:resource_export", expect=officers(200, member=200)),
    Row(
        "res-pg-owners",
        "resources:owner_search",
        expect=officers(200, member=200, volunteer=200),
    ),
    Row("res-pg-queue", "resources:queue", expect=officers(200)),
    # applying
    Row(
        "res-pg-new",
        "resources:resource_create",
        expect=officers(200, member=200, volunteer=200),
    ),
    # Officers whose scope holds the owner unit create; county B and the member unit
    # cannot name county A's association (the form says so, 400); the volunteer applies in
    # their own name (the unit is not theirs to give).
    Row(
        "res-pg-new-post",
        "resources:resource_create",
        "post",
        data=_place,
        expect=officers(302, county_b=400, member=400, volunteer=302),
        changes=("province", "city", "county_a", "volunteer"),
    ),
    Row(
        "res-pg-new-member-post",
        "resources:resource_create",
        "post",
        data=lambda c: _place(c, organization=str(c["res_member"].organization_id), region="51"),
        expect=officers(400, member=302, volunteer=302),
        changes=("member", "volunteer"),
    ),
    # the entry page
    Row(
        "res-pg-detail-a",
        "resources:resource_detail",
        kwargs=_id("res_a_draft"),
        expect=officers(200, **A),
    ),
    Row(
        "res-pg-detail-a-review",
        "resources:resource_detail",
        kwargs=_id("res_a_review"),
        expect=officers(200, **A),
    ),
    Row(
        "res-pg-detail-b-pub",
        "resources:resource_detail",
        kwargs=_id("res_b_pub"),
        expect=officers(200, **B),
    ),
    Row(
        "res-pg-detail-member",
        "resources:resource_detail",
        kwargs=_id("res_member"),
        expect=officers(200, **MEMBER),
    ),
    Row(
        "res-pg-detail-vol",
        "resources:resource_detail",
        kwargs=_id("res_vol"),
        expect=officers(200, **VOL),
    ),
    # editing
    Row(
        "res-pg-edit-a",
        "resources:resource_update",
        kwargs=_id("res_a_draft"),
        expect=officers(200, **A),
    ),
    Row(
        "res-pg-edit-a-post",
        "resources:resource_update",
        "post",
        kwargs=_id("res_a_draft"),
        data=lambda c: _place(c, title="矩阵改名的草稿资源"),
        expect=officers(302, **A),
        changes=("province", "city", "county_a"),
    ),
    Row(
        "res-pg-edit-b-pub-post",
        "resources:resource_update",
        "post",
        kwargs=_id("res_b_pub"),
        data=lambda c: _place(c, title="矩阵改名的涪城区资源", region="510703"),
        expect=officers(302, **B),
        changes=("province", "county_b"),
    ),
    Row(
        "res-pg-edit-vol-post",
        "resources:resource_update",
        "post",
        kwargs=_id("res_vol"),
        data=_work,
        expect=officers(302, **{**VOL, "volunteer": 302}),
        changes=("province", "city", "county_a", "volunteer"),
    ),
    # In review: the edit page sends back to the entry with a message, changing nothing.
    Row(
        "res-pg-edit-review-post",
        "resources:resource_update",
        "post",
        kwargs=_id("res_a_review"),
        data=lambda c: _place(c, title="矩阵不应改名"),
        expect=officers(302, **A),
    ),
    # submitting
    Row(
        "res-pg-submit-a",
        "resources:resource_submit",
        "post",
        kwargs=_id("res_a_draft"),
        expect=officers(302, **A),
        changes=("province", "city", "county_a"),
    ),
    Row(
        "res-pg-submit-vol",
        "resources:resource_submit",
        "post",
        kwargs=_id("res_vol"),
        expect=officers(302, **{**VOL, "volunteer": 302}),
        changes=("province", "city", "county_a", "volunteer"),
    ),
    Row(
        "res-pg-submit-get",
        "resources:resource_submit",
        kwargs=_id("res_a_draft"),
        expect=statuses(405),
    ),
    # the completeness check and the experts
    Row(
        "res-pg-check",
        "resources:resource_check",
        kwargs=_id("res_a_sub"),
        expect=officers(200, county_b=404, **OFFICER_ONLY),
    ),
    Row(
        "res-pg-check-incomplete-post",
        "resources:resource_check",
        "post",
        kwargs=_id("res_a_sub"),
        data=lambda c: {"outcome": "incomplete", "note": "矩阵：请补充开放时间"},
        expect=officers(302, county_b=404, **OFFICER_ONLY),
        changes=("province", "city", "county_a"),
    ),
    Row(
        "res-pg-check-complete-post",
        "resources:resource_check",
        "post",
        kwargs=_id("res_a_sub"),
        data=lambda c: {"outcome": "complete", "reviewers": [str(_vol_membership(c).pk)]},
        expect=officers(302, county_b=404, **OFFICER_ONLY),
        changes=("province", "city", "county_a"),
    ),
    # Nobody chosen: refused with a message, nothing changes.
    Row(
        "res-pg-add-reviewers-post",
        "resources:resource_add_reviewers",
        "post",
        kwargs=_id("res_a_review"),
        data=lambda c: {"reviewers": []},
        expect=officers(302, county_b=404, **OFFICER_ONLY),
    ),
    Row(
        "res-pg-decide-post",
        "resources:resource_decide",
        "post",
        kwargs=_id("res_a_review"),
        data=lambda c: {"decision": "return", "note": "矩阵：请按专家意见修改"},
        expect=officers(302, county_b=404, **OFFICER_ONLY),
        changes=("province", "city", "county_a"),
    ),
    Row(
        "res-pg-decide-b-get",
        "resources:resource_decide",
        kwargs=_id("res_b_pub"),
        expect=statuses(405),
    ),
    # management
    Row(
        "res-pg-manage-suspend-post",
        "resources:resource_manage",
        "post",
        kwargs=_manage("res_a_pub", "suspend"),
        data=lambda c: {"reason": "矩阵：场馆装修"},
        expect=officers(302, county_b=404, **OFFICER_ONLY),
        changes=("province", "city", "county_a"),
    ),
    Row(
        "res-pg-manage-renew-b-post",
        "resources:resource_manage",
        "post",
        kwargs=_manage("res_b_pub", "renew"),
        expect=officers(302, city=404, county_a=404, **OFFICER_ONLY),
        changes=("province", "county_b"),
    ),
    Row(
        "res-pg-manage-unknown-post",
        "resources:resource_manage",
        "post",
        kwargs=_manage("res_a_pub", "explode"),
        expect=officers(404, **OFFICER_ONLY),
    ),
    # versions
    Row(
        "res-pg-version-a",
        "resources:version_detail",
        kwargs=_version("res_a_pub"),
        expect=officers(200, **A),
    ),
    Row(
        "res-pg-version-vol",
        "resources:version_detail",
        kwargs=_version("res_vol"),
        expect=officers(200, **VOL),
    ),
    # attachments
    Row(
        "res-pg-upload-a-post",
        "resources:attachment_upload",
        "post",
        kwargs=_id("res_a_draft"),
        data=lambda c: {"file": png_upload("矩阵展厅.png"), "caption": "矩阵"},
        expect=officers(302, **A),
        changes=("province", "city", "county_a"),
    ),
    Row(
        "res-pg-upload-vol-post",
        "resources:attachment_upload",
        "post",
        kwargs=_id("res_vol"),
        data=lambda c: {"file": png_upload("矩阵插图.png"), "caption": ""},
        expect=officers(302, **{**VOL, "volunteer": 302}),
        changes=("province", "city", "county_a", "volunteer"),
    ),
    Row(
        "res-pg-download-a",
        "resources:attachment_download",
        kwargs=_file("res_a_draft", "attach_a"),
        expect=officers(200, **A),
    ),
    Row(
        "res-pg-download-pub",
        "resources:attachment_download",
        kwargs=_file("res_a_pub", "attach_pub"),
        expect=officers(200, **A),
    ),
    # A file reached through another entry than its own: 404 for everyone.
    Row(
        "res-pg-download-mismatch",
        "resources:attachment_download",
        kwargs=_file("res_a_sub", "attach_a"),
        expect=officers(404, **A),
    ),
    Row(
        "res-pg-thumb-a",
        "resources:attachment_thumbnail",
        kwargs=_file("res_a_draft", "attach_a"),
        expect=officers(200, **A),
    ),
    Row(
        "res-pg-delete-a-post",
        "resources:attachment_delete",
        "post",
        kwargs=_file("res_a_draft", "attach_a"),
        expect=officers(302, **A),
        changes=("province", "city", "county_a"),
    ),
    # A public file: removed by the officers (who manage the catalog).
    Row(
        "res-pg-delete-pub-post",
        "resources:attachment_delete",
        "post",
        kwargs=_file("res_a_pub", "attach_pub"),
        expect=officers(302, **A),
        changes=("province", "city", "county_a"),
    ),
]
