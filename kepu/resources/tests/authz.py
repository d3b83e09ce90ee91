"""Catalog rows of the authorization matrix (collected by kepu/core/tests): the
back-office pages (authz_pages), the expert review pages (authz_review), the public
catalog and open data (authz_public) and the API (authz_api), over the objects made here.

County A (锦江区) holds a draft, a submitted entry, an entry in review and a published
one; county B (涪城区) a draft and a published one; the member unit (四川省教育厅) a
draft of its own; the volunteer persona applied for one entry as an individual and is
also the expert assigned to review county A's entry in review (`assign_vol`); another
expert's review of the same version (`assign_other`) is theirs alone.
"""

from kepu.core.models import User
from kepu.people.models import Person
from kepu.resources import services
from kepu.resources.tests.helpers import (
    make_expert,
    make_resource,
    org,
    png_upload,
    publish,
    region,
    to_review,
)


def _rows():
    rows = []
    for name in ("authz_pages", "authz_review", "authz_public", "authz_api"):
        try:
            module = __import__(f"kepu.resources.tests.{name}", fromlist=["ROWS"])
        except ModuleNotFoundError:
            continue
        rows.extend(module.ROWS)
    return rows


def context(ctx):
    volunteer = User.objects.get(username="demo-volunteer")
    vol_person = Person.objects.get(user=volunteer)
    if vol_person.organization_id == org("锦江区教育局").pk:
        Person.objects.filter(pk=vol_person.pk).update(organization=None)
    vol_membership = make_expert(volunteer.username, vol_person.name, organization="")[2]
    other_membership = make_expert("matrix-expert", "矩阵专家", organization="")[2]

    ctx["res_a_draft"] = make_resource(title="矩阵锦江区草稿资源")
    ctx["attach_a"] = services.add_attachment(ctx["res_a_draft"], actor=None, upload=png_upload())
    ctx["res_a_sub"] = make_resource(title="矩阵锦江区待审查资源", submit=True)
    ctx["res_a_review"] = make_resource(title="矩阵锦江区审核中资源", organization="锦江区教育局")
    ctx["attach_review"] = services.add_attachment(
        ctx["res_a_review"], actor=None, upload=png_upload()
    )
    version = to_review(ctx["res_a_review"], memberships=[vol_membership, other_membership])
    ctx["assign_vol"] = version.assignments.get(reviewer=vol_person)
    ctx["assign_other"] = version.assignments.exclude(reviewer=vol_person).get()
    ctx["res_a_pub"] = make_resource(title="矩阵锦江区已发布资源")
    ctx["attach_pub"] = services.add_attachment(ctx["res_a_pub"], actor=None, upload=png_upload())
    publish(ctx["res_a_pub"], memberships=[other_membership])
    ctx["attach_pub"].refresh_from_db()

    ctx["res_b_draft"] = make_resource(
        title="矩阵涪城区草稿资源",
        organization="涪城区科学技术协会",
        code="510703",
        latitude="31.467500",
        longitude="104.679000",
        address="绵阳市涪城区临园路1号",
    )
    ctx["res_b_pub"] = make_resource(
        title="矩阵涪城区已发布资源",
        organization="涪城区科学技术协会",
        code="510703",
        latitude="31.467500",
        longitude="104.679000",
        address="绵阳市涪城区临园路1号",
    )
    publish(ctx["res_b_pub"], memberships=[other_membership])
    ctx["res_member"] = make_resource(
        title="矩阵教育厅资源", organization="四川省教育厅", code="51"
    )
    ctx["res_vol"] = services.create_resource(
        actor=volunteer,
        resource_type="work",
        organization=None,
        content={
            "title": "矩阵个人申报作品",
            "region": region("510104"),
            "summary": "个人创作的科普短文。",
            "work_kind": "article",
            "authors": vol_person.name,
            "groups": ["youth"],
        },
    )


ROWS = _rows()
