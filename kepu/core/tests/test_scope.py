"""The scope engine: subtrees, deny by default, 404 outside scope, 403 without the right."""

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from kepu.core.models import Organization, Region, User
from kepu.core.querysets import subtree_bounds
from kepu.core.scope import allowed_regions, get_for_user, scope_roots, visible_to

pytestmark = pytest.mark.django_db


def user(name):
    return User.objects.get(username=name)


def test_subtree_bounds_are_exact():
    low, high = subtree_bounds("51/5101/")
    inside = ["51/5101/", "51/5101/510104/", "51/5101/510104/510104017/"]
    outside = ["51/5102/", "51/51010/", "51/", "52/5101/"]
    assert all(low <= p < high for p in inside)
    assert not any(low <= p < high for p in outside)


def test_subtree_is_one_indexed_query():
    chengdu = Region.objects.get(code="5101")
    with CaptureQueriesContext(connection) as queries:
        codes = set(Region.objects.subtree(chengdu).values_list("code", flat=True))
    assert len(queries) == 1
    expected = {r.code for r in Region.objects.all() if r.path.startswith(chengdu.path)}
    assert codes == expected and "510104017" in codes and "5107" not in codes


def test_county_officer_sees_only_their_county():
    visible = visible_to(user("demo-county-a"), Organization)
    regions = set(visible.values_list("region__path", flat=True))
    assert visible.exists()
    assert all(path.startswith("51/5101/510104/") for path in regions)
    assert not visible.filter(name="涪城区科学技术协会").exists()


def test_city_and_province_see_their_subtrees():
    city = visible_to(user("demo-city"), Organization)
    province = visible_to(user("demo-province"), Organization)
    assert city.filter(name="锦江区科学技术协会").exists()
    assert not city.filter(name="绵阳市科学技术协会").exists()
    assert province.count() == Organization.objects.filter(region__code__startswith="51").count()


def test_member_staff_see_their_own_unit():
    visible = visible_to(user("demo-member"), Organization)
    assert list(visible.values_list("name", flat=True)) == ["四川省教育厅"]


def test_admin_roles_and_volunteers_see_no_business_data():
    for name in ("demo-sysadmin", "demo-secadmin", "demo-auditor", "demo-volunteer"):
        assert not visible_to(user(name), Organization).exists(), name


def test_unregistered_model_is_invisible():
    assert not visible_to(user("demo-province"), Session).exists()


def test_get_for_user_404_outside_scope_403_without_right(demo_orgs):
    county_a, member = user("demo-county-a"), user("demo-member")
    with pytest.raises(Http404):
        get_for_user(Organization, county_a, demo_orgs["b"].pk)
    with pytest.raises(Http404):
        get_for_user(Organization, county_a, 10**9)
    # The reviewer role may view but not change organizations.
    from kepu.core import services

    reviewer = services.create_user(actor=None, username="rev", password="Review#2025x")
    services.assign_role(reviewer, actor=None, role="reviewer", region=demo_orgs["a"].region)
    assert get_for_user(Organization, reviewer, demo_orgs["a"].pk) == demo_orgs["a"]
    with pytest.raises(PermissionDenied):
        get_for_user(Organization, reviewer, demo_orgs["a"].pk, "change")
    assert get_for_user(Organization, member, demo_orgs["member"].pk, "change")


def test_allowed_regions_and_roots():
    county_a = user("demo-county-a")
    regions = allowed_regions(county_a, Organization, "create")
    assert regions.filter(code="510104").exists()
    assert regions.filter(code="510104017").exists()
    assert not regions.filter(code="5101").exists()
    assert [r.code for r in scope_roots(county_a)] == ["510104"]
    assert not allowed_regions(user("demo-member"), Organization, "create").exists()
