"""Organizations through the pages: list, filters, detail, create, edit, export."""

import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from kepu.core.models import AuditEntry, Organization
from kepu.core.validators import credit_code_check_char, validate_credit_code

pytestmark = pytest.mark.django_db


def table(response) -> str:
    """The list table's body (the page also lists region names in the switcher)."""
    html = response.content.decode()
    return html[html.index("<tbody>") : html.index("</tbody>")]


def valid_code(body="51510104MA6CXXXX0"):
    return body + credit_code_check_char(body)


def test_credit_code_check_digit():
    validate_credit_code("91350100M000100Y43")  # a published example
    code = valid_code()
    validate_credit_code(code)
    from django.core.exceptions import ValidationError

    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    with pytest.raises(ValidationError) as info:
        validate_credit_code(wrong)
    assert info.value.code == "credit_code_check"
    with pytest.raises(ValidationError):
        validate_credit_code("12345")
    with pytest.raises(ValidationError):
        validate_credit_code("91350100M000100YI3")  # I is not in the alphabet


def test_list_filters_by_type_region_and_text(as_persona):
    client = as_persona("province")
    url = reverse("core:organization_list")
    page = table(client.get(url, {"org_type": "kx", "region": "5107"}))
    assert "绵阳市科学技术协会" in page and "涪城区科学技术协会" in page
    assert "锦江区科学技术协会" not in page and "四川大学" not in page
    page = table(client.get(url, {"q": "锦江"}))
    assert "锦江区科学技术协会" in page and "绵阳" not in page


def test_region_filter_outside_scope_shows_nothing(as_persona):
    page = as_persona("county_a").get(reverse("core:organization_list"), {"region": "510703"})
    assert "涪城区" not in table(page) and "没有符合筛选条件的单位" in table(page)


def test_list_query_count_does_not_grow(as_persona, django_assert_max_num_queries):
    client = as_persona("province")
    with django_assert_max_num_queries(14):
        response = client.get(reverse("core:organization_list"))
    assert response.status_code == 200


def test_create_validates_and_audits(as_persona):
    client = as_persona("county_a")
    url = reverse("core:organization_create")
    code = valid_code()
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    bad = client.post(url, {"name": "", "org_type": "kx", "region": "510104", "credit_code": wrong})
    assert bad.status_code == 400  # the form is shown again with its errors
    text = bad.content.decode()
    assert "统一社会信用代码校验位不正确，请核对。" in text and "该字段是必填项。" in text
    assert not Organization.objects.filter(credit_code=wrong).exists()

    response = client.post(
        url,
        {
            "name": "锦江区青少年科技馆",
            "org_type": "venue",
            "region": "510104017",
            "credit_code": code.lower(),
            "parent_ref": "锦江区科学技术协会",
        },
    )
    org = Organization.objects.get(credit_code=code)
    assert response.status_code == 302 and response.url == reverse(
        "core:organization_detail", args=[org.pk]
    )
    assert org.region.code == "510104017" and org.parent.name == "锦江区科学技术协会"
    entry = AuditEntry.objects.get(action="core.organization.created", object_id=str(org.pk))
    assert entry.actor_username == "demo-county-a"
    assert entry.changes["name"] == [None, "锦江区青少年科技馆"]
    assert entry.request_id and entry.ip == "127.0.0.1"


def test_create_refuses_a_region_outside_scope(as_persona):
    client = as_persona("county_a")
    response = client.post(
        reverse("core:organization_create"),
        {"name": "越权单位", "org_type": "kx", "region": "510703"},
    )
    assert response.status_code == 400  # the form is shown again with its errors
    assert not Organization.objects.filter(name="越权单位").exists()


def test_duplicate_credit_code_is_refused(as_persona, demo_orgs):
    client = as_persona("province")
    response = client.post(
        reverse("core:organization_create"),
        {
            "name": "重复单位",
            "org_type": "kx",
            "region": "51",
            "credit_code": demo_orgs["a"].credit_code,
        },
    )
    assert response.status_code == 400  # the form is shown again with its errors
    assert not Organization.objects.filter(name="重复单位").exists()


def test_edit_records_before_and_after(as_persona, demo_orgs):
    org = demo_orgs["a"]
    client = as_persona("county_a")
    response = client.post(
        reverse("core:organization_update", args=[org.pk]),
        {
            "name": org.name,
            "org_type": org.org_type,
            "region": org.region.code,
            "credit_code": org.credit_code,
            "address": "成都市锦江区东大街 1 号",
            "parent_ref": org.parent.credit_code,
        },
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.filter(action="core.organization.updated").latest("pk")
    assert entry.changes == {"address": [org.address, "成都市锦江区东大街 1 号"]}


def test_parent_cannot_be_a_descendant(as_persona, demo_orgs):
    province = demo_orgs["province"]
    client = as_persona("province")
    response = client.post(
        reverse("core:organization_update", args=[province.pk]),
        {
            "name": province.name,
            "org_type": "kx",
            "region": "51",
            "credit_code": province.credit_code,
            "parent_ref": "成都市科学技术协会",
        },
    )
    assert response.status_code == 400  # the form is shown again with its errors
    province.refresh_from_db()
    assert province.parent is None


def test_export_is_the_filtered_list_and_is_audited(as_persona):
    client = as_persona("city")
    response = client.get(reverse("core:organization_export"), {"org_type": "kx"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    names = [row[0] for row in rows[1:]]
    assert "锦江区科学技术协会" in names and "成都市科学技术协会" in names
    assert "绵阳市科学技术协会" not in names and all("学校" not in str(r[2]) for r in rows[1:])
    assert all(len(str(row[4])) == 18 for row in rows[1:])  # credit codes stay text
    entry = AuditEntry.objects.filter(action="core.organization.exported").latest("pk")
    assert entry.detail["rows"] == len(names)


def test_double_submit_creates_one_organization(as_persona):
    client = as_persona("county_a")
    form = client.get(reverse("core:organization_create")).content.decode()
    token = form.split('name="form_token" value="')[1].split('"')[0]
    data = {"name": "双击单位", "org_type": "school", "region": "510104", "form_token": token}
    first = client.post(reverse("core:organization_create"), data)
    second = client.post(reverse("core:organization_create"), data)
    assert Organization.objects.filter(name="双击单位").count() == 1
    assert first.status_code == second.status_code == 302 and first.url == second.url
    # A failed submission does not use up its token.
    bad = {**data, "name": "", "form_token": "t2"}
    client.post(reverse("core:organization_create"), bad)
    client.post(reverse("core:organization_create"), {**bad, "name": "补填名称"})
    assert Organization.objects.filter(name="补填名称").count() == 1
