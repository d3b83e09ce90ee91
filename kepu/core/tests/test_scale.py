"""The province-scale building blocks of the shared layer: cached role lists, literal
scope conditions, capped counts and keyset pages, rollup counters, the public cache."""

import datetime
import random

import pytest
from django.db import connection
from django.db.models import IntegerField
from django.db.models.functions import Cast
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kepu.core import publiccache, rollups
from kepu.core.choices import Role
from kepu.core.models import AuditEntry, Organization, Region, RoleAssignment, Rollup, User
from kepu.core.pagination import COUNT_CAP, capped_count, count_label, paginate
from kepu.core.scope import scope_q, visible_to

pytestmark = pytest.mark.django_db


def fresh(username):
    return User.objects.get(username=username)


# --- role lists -----------------------------------------------------------------------


def test_role_list_is_cached_between_requests_and_follows_changes():
    county = fresh("demo-county-a")
    assert county.assignments()
    with CaptureQueriesContext(connection) as queries:
        again = fresh("demo-county-a")
        roles = again.roles()
    assert len(queries) == 1  # the user row only: the assignments came from the cache
    city = Region.objects.get(code="5101")
    RoleAssignment.objects.create(user=again, role=Role.REGIONAL_OFFICER, region=city)
    assert fresh("demo-county-a").access_version == again.access_version + 1
    regions = {a.region_id for a in fresh("demo-county-a").assignments() if a.region_id}
    assert city.pk in regions  # the grant counts from the next request
    RoleAssignment.objects.filter(user=again, region=city).delete()
    assert fresh("demo-county-a").roles() == roles


# --- scope ----------------------------------------------------------------------------


def test_scope_writes_the_subtree_ids_and_merges_nested_assignments():
    county = fresh("demo-county-a")
    sql = str(visible_to(county, Organization).query)
    assert "ARRAY" not in sql and "SELECT" not in sql.split("WHERE", 1)[1]
    before = set(visible_to(county, Organization).values_list("pk", flat=True))
    # A second assignment inside the first one's subtree adds no condition.
    township = Region.objects.filter(path__startswith=county.assignments()[0].region.path)
    township = township.exclude(pk=county.assignments()[0].region_id).first()
    RoleAssignment.objects.create(user=county, role=Role.REGIONAL_OFFICER, region=township)
    county = fresh("demo-county-a")
    assert (
        str(visible_to(county, Organization).query)
        == str(visible_to(fresh("demo-county-a"), Organization).query)
        or len(scope_q(county, Organization)) <= 8
    )
    assert set(visible_to(county, Organization).values_list("pk", flat=True)) == before


def test_the_whole_tree_is_no_condition_on_the_region():
    province = fresh("demo-province")
    sql = str(visible_to(province, Organization).query)
    assert " IN (" not in sql
    assert (
        visible_to(province, Organization).count()
        == Organization.objects.filter(region__isnull=False).count()
    )


# --- lists ----------------------------------------------------------------------------


def test_capped_count():
    assert capped_count(Region.objects.filter(level=1)) == (
        Region.objects.filter(level=1).count(),
        False,
    )
    n, capped = capped_count(Region.objects.all())
    assert capped and n == COUNT_CAP
    assert count_label(COUNT_CAP, True) == "10,000+"


def _ids(page):
    return [r.pk for r in page]


def test_keyset_pages_follow_the_numbered_ones_and_stay_stable_under_inserts():
    factory = RequestFactory()
    regions = Region.objects.order_by("-code", "-pk")
    first = paginate(factory.get("/", {"page": "20"}), regions, 25)
    assert first.number == 20 and first.start_index() == 476 and first.count_display == "10,000+"
    assert "after=" in first.next_query
    second = paginate(factory.get("/?" + first.next_query), regions, 25)
    assert second.number is None and second.start_index() == 501
    expected = list(regions.values_list("pk", flat=True)[500:525])
    assert _ids(second) == expected
    # A row inserted before the cursor does not shift the next page.
    Region.objects.create(code="999999999999", name="新", level=4, path="99/9999/")
    again = paginate(factory.get("/?" + first.next_query), regions, 25)
    assert _ids(again) == expected
    # A cursor that does not parse is the first page, not an error.
    broken = paginate(factory.get("/", {"after": "%%%"}), regions, 25)
    assert broken.number == 1 and broken.start_index() == 1


# --- rollups --------------------------------------------------------------------------


def _source():
    entries = AuditEntry.objects.filter(action__startswith="test.rollup").annotate(
        region_pk=Cast("object_id", IntegerField())
    )
    return rollups.monthly(entries, region="region_pk", when="created_at", key="action")


def test_rollups_add_read_and_reconcile():
    rollups.register("test.entries", _source)
    chengdu = Region.objects.get(code="5101")
    county = Region.objects.get(code="510104")
    township = Region.objects.filter(parent=county).first()
    other_city = Region.objects.get(code="5107")
    may = datetime.date(2026, 5, 10)
    rollups.add("test.entries", county, may, "a", 2)
    rollups.add("test.entries", township, may, "b", 3)
    rollups.add("test.entries", other_city, may, "a", 1)
    rollups.move("test.entries", township, may, "b", "a")
    rollups.add("test.entries", chengdu, datetime.date(2026, 6, 1), "a", 5)
    province = Region.objects.get(code="51")
    assert rollups.total("test.entries", province) == 11
    assert (
        rollups.total("test.entries", chengdu, datetime.date(2026, 5, 1), datetime.date(2026, 6, 1))
        == 5
    )
    assert rollups.by_key("test.entries", chengdu) == {"a": 8, "b": 2}
    children, direct = rollups.by_child("test.entries", chengdu)
    assert dict((r.code, n) for r, n in children)["510104"] == 5 and direct == 5
    children, _direct = rollups.by_child("test.entries", province, split_keys=True)
    assert dict((r.code, n) for r, n in children)["5101"] == {"a": 8, "b": 2}
    # The raw definition holds no entries: everything above is drift, and reconcile
    # rewrites the metric from the raw rows.
    drift = rollups.reconcile("test.entries", fix=False)
    assert {(d["key"], d["stored"], d["raw"]) for d in drift} >= {("a", 5, 0)}
    assert rollups.reconcile("test.entries") and rollups.reconcile("test.entries") == []
    assert not Rollup.objects.filter(metric="test.entries").exists()


def test_rollups_equal_raw_after_random_changes():
    rollups.register("test.entries", _source)
    counties = list(Region.objects.filter(parent__code="5101")[:5])
    rng = random.Random(16)
    for _ in range(40):
        region = rng.choice(counties)
        action = rng.choice(["test.rollup.a", "test.rollup.b"])
        AuditEntry.objects.create(action=action, object_id=str(region.pk), object_type="x")
        rollups.add("test.entries", region, timezone.now(), action)
    assert rollups.reconcile("test.entries", fix=False) == []


# --- the public cache -----------------------------------------------------------------


def test_public_page_is_shared_and_a_change_shows_after_the_refresh(
    settings, django_capture_on_commit_callbacks
):
    settings.KEPU_PUBLIC_CACHE_SYNC = True
    state = {"text": "v1", "renders": 0}

    @publiccache.public_page("test-tag")
    def view(request):
        state["renders"] += 1
        return HttpResponse(state["text"])

    factory = RequestFactory()

    def get():
        request = factory.get("/x/")
        request.user = type("Anonymous", (), {"is_authenticated": False})()
        return view(request).content.decode()

    assert get() == "v1" and get() == "v1" and state["renders"] == 1
    state["text"] = "v2"
    with django_capture_on_commit_callbacks(execute=True):
        publiccache.bump("test-tag")
    assert get() == "v1"  # the stale page is served while it is made again
    assert get() == "v2" and state["renders"] == 2
