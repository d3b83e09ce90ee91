"""The catalog at province scale: the counters stay equal to the raw rows whatever the
services do, the facets read from them equal the raw facets, the indexed search finds
exactly what a scan finds, and the cached public pages show a published change."""

import random

import pytest
from django.db import transaction
from django.db.models import Count, Q
from django.test import RequestFactory
from django.urls import reverse

from kepu.core import rollups
from kepu.core.models import Region
from kepu.core.scope import visible_to
from kepu.core.search import search
from kepu.resources import services
from kepu.resources.choices import Decision, ResourceStatus
from kepu.resources.models import Resource
from kepu.resources.rollups import ENTRIES, PUBLIC
from kepu.resources.tests.helpers import make_resource, publish, to_review
from kepu.resources.views.catalog import CatalogQuery, _region_facet, _tags, _type_counts
from kepu.resources.views.public import _facet_counts

pytestmark = pytest.mark.django_db


def _regions():
    town = Region.objects.filter(parent__code="510104").order_by("code").first()
    return ["510104", "510104", "510703", "5101", town.code]


def _emergency(flag: bool) -> dict:
    return {"is_emergency": flag, "hazards": ["earthquake"] if flag else []}


def _random_calls(rng, n):
    """`n` random service calls over a handful of entries: applications, edits of drafts
    (region, tags, emergency), publications, rejections, edits of live entries and the
    dynamic management."""
    codes = _regions()
    entries = []
    for _step in range(n):
        live = [r for r in entries if r.status == ResourceStatus.PUBLISHED]
        drafts = [r for r in entries if r.status == ResourceStatus.DRAFT]
        suspended = [r for r in entries if r.status == ResourceStatus.SUSPENDED]
        choice = rng.choice(["create", "create", "edit", "publish", "reject", "manage", "live"])
        if choice == "create" or not entries:
            kind = rng.choice(["place", "work"])
            entries.append(
                make_resource(
                    resource_type=kind,
                    code=rng.choice(codes),
                    groups=rng.sample(["youth", "farmers", "elderly", "general"], 2),
                    **_emergency(rng.random() < 0.4),
                )
            )
        elif choice == "edit" and drafts:
            resource = rng.choice(drafts)
            services.update_content(
                resource,
                actor=None,
                content={
                    "region": Region.objects.get(code=rng.choice(codes)),
                    "groups": rng.sample(["youth", "workers", "officials"], 1),
                    **_emergency(rng.random() < 0.5),
                },
            )
        elif choice == "publish" and drafts:
            publish(rng.choice(drafts))
        elif choice == "reject" and drafts:
            resource = rng.choice(drafts)
            to_review(resource)
            services.decide(resource, actor=None, decision=Decision.REJECT, note="不符合要求")
        elif choice == "live" and live:
            resource = rng.choice(live)
            services.update_content(
                resource,
                actor=None,
                content={"groups": ["elderly"], **_emergency(not resource.is_emergency)},
            )
            publish(resource)
        elif choice == "manage" and (live or suspended):
            resource = rng.choice(live + suspended)
            if resource.status == ResourceStatus.SUSPENDED:
                action = rng.choice(["reinstate", "withdraw"])
            else:
                action = rng.choice(["suspend", "withdraw", "renew"])
            services.manage(resource, actor=None, action=action, reason="定期复核")
        for resource in entries:
            resource.refresh_from_db()
    return entries


@pytest.fixture(scope="class")
def calls_made_once(request, django_db_setup, django_db_blocker):
    """The class's seeded service calls (`CALLS`: seed and number; the same seed makes the
    same calls), made once for all its tests instead of once per test: inside a
    transaction of the class, rolled back at its end, as the authorization matrix does;
    each test's own transaction brings the data back to this state."""
    seed, n = request.cls.CALLS
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            _random_calls(random.Random(seed), n)
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_the_counters_equal_the_raw_rows_after_random_service_calls():
    assert rollups.reconcile(ENTRIES, fix=False) == []
    assert rollups.reconcile(PUBLIC, fix=False) == []
    entries = _random_calls(random.Random(1606), 45)
    statuses = {r.status for r in entries}
    assert ResourceStatus.PUBLISHED in statuses and ResourceStatus.DRAFT in statuses
    assert rollups.reconcile(ENTRIES, fix=False) == []
    assert rollups.reconcile(PUBLIC, fix=False) == []


class _Raw:
    """Facet counts that never answer from the counters (the raw reference)."""

    def answers(self, name):
        return False

    def answers_regions(self, focus):
        return False


QUERIES = [
    {},
    {"type": "place"},
    {"region": "5101"},
    {"region": "510104"},
    {"group": "youth"},
    {"region": "5101", "type": "work", "emergency": "1"},
    {"hazard": "earthquake", "region": "51"},
    {"topic": "earthquake", "type": "work"},
    {"q": "科技"},
    {"q": "地震", "type": "work"},
    {"q": "科技馆", "region": "5101", "group": "youth"},
    {"q": "锦江", "emergency": "1"},
]


@pytest.mark.usefixtures("calls_made_once")
class TestFacets:
    CALLS = (7, 30)

    @pytest.mark.parametrize("params", QUERIES)
    def test_facets_from_the_counters_equal_the_raw_facets(self, params):
        request = RequestFactory().get("/catalog/", params)
        query = CatalogQuery.from_request(request)
        counted, raw = _facet_counts(query, Resource.objects.published()), _Raw()
        assert counted.usable
        for name in ("type", "group", "topic", "hazard"):
            if not counted.answers(name):
                continue
            if name == "type":
                assert _type_counts(query, counted) == _type_counts(query, raw)
            else:
                assert _tags(query, counted, name) == _tags(query, raw, name), name
        published = Resource.objects.published()
        if counted.answers("emergency"):
            library = query.apply(published, skip=("emergency",)).filter(is_emergency=True)
            assert counted.emergency_count() == library.count()
        result = query.apply(published)
        assert _region_facet(query, "/", result, counted) == _region_facet(query, "/", result, raw)


@pytest.mark.parametrize("words", ["科普", "地震", "地", "锦江 科技馆", "天文台"])
def test_the_indexed_search_finds_what_a_scan_finds(words):
    make_resource(title="成都天文台开放日", summary="天文台对公众开放")
    make_resource(resource_type="work", authors="地震局科普团队")
    scan = Resource.objects.all()
    for term in words.split():
        any_field = Q()
        for field in Resource.SEARCH_FIELDS:
            any_field |= Q(**{f"{field}__icontains": term})
        scan = scan.filter(any_field)
    indexed = search(Resource.objects.all(), words, fields=Resource.SEARCH_FIELDS)
    assert set(indexed.values_list("pk", flat=True)) == set(scan.values_list("pk", flat=True))
    assert scan.exists()


@pytest.mark.parametrize(
    "url",
    [
        reverse("resources:public_search") + "?q=天文",
        reverse("resources:public_search") + "?region=5101&type=place",
        reverse("resources:map_points"),
        reverse("resources:download", args=["json"]) + "?region=510104",
        reverse("api:public-resource-list") + "?q=天文",
        reverse("api:public-resource-facets") + "?q=天文",
    ],
)
def test_a_published_entry_appears_on_the_cached_page_after_the_refresh(
    client, settings, django_capture_on_commit_callbacks, url
):
    settings.KEPU_PUBLIC_CACHE_SYNC = True
    title = "锦江区青少年天文台"

    def body():
        response = client.get(url)
        assert response.status_code == 200
        return response.content.decode()

    before = body()
    assert title not in before
    if url.startswith("/catalog/?"):
        assert client.get(url)["X-Kepu-Cache"] == "shared"
    assert body() == before  # from the cache
    with django_capture_on_commit_callbacks(execute=True):
        publish(make_resource(title=title))
    body()  # the stale page, while it is made again (synchronously here)
    after = body()
    assert title in after or ("facets" in url and after != before)


def test_the_owner_filter_finds_units_as_one_types_within_the_scope(as_persona):
    make_resource()  # owned by 锦江区科学技术协会
    make_resource(code="510703", organization="涪城区科学技术协会")
    url = reverse("resources:owner_search")
    names = [u["name"] for u in as_persona("county_a").get(url, {"q": "科学"}).json()["results"]]
    assert "锦江区科学技术协会" in names
    assert "涪城区科学技术协会" not in names
    assert as_persona("county_a").get(url).json() == {"results": []}


@pytest.mark.usefixtures("calls_made_once")
class TestStatusTabs:
    CALLS = (3, 25)

    @pytest.mark.parametrize("persona", ["province", "city", "county_a", "member"])
    @pytest.mark.parametrize("params", [{}, {"type": "work"}, {"region": "510104"}])
    def test_the_status_tabs_count_what_the_list_holds(self, as_persona, persona, params):
        client = as_persona(persona)
        response = client.get(reverse("resources:resource_list"), params)
        assert response.status_code == 200
        shown = {row["status"]: row["count"] for row in response.context["counts"]}
        user = response.wsgi_request.user
        rows = visible_to(user, Resource, "view", public=False)
        if "type" in params:
            rows = rows.filter(resource_type=params["type"])
        if "region" in params:
            rows = rows.filter(region__path__startswith=Region.objects.get(code="510104").path)
        raw = dict(rows.order_by().values_list("status").annotate(n=Count("pk")))
        assert shown == {s: raw.get(s, 0) for s in ResourceStatus.values}
        assert response.context["total"] == sum(raw.values())


def test_a_renamed_owner_unit_is_found_by_its_new_name_as_a_scan_finds_it():
    from kepu.core.services import update_organization
    from kepu.resources.tests.helpers import org

    resource = make_resource()
    update_organization(org("锦江区科学技术协会"), actor=None, name="锦江区星空探索协会")
    for words in ("星空探索", "科学技术协会"):
        any_field = Q()
        for field in Resource.SEARCH_FIELDS:
            any_field |= Q(**{f"{field}__icontains": words})
        scan = set(Resource.objects.filter(any_field).values_list("pk", flat=True))
        indexed = search(Resource.objects.all(), words, fields=Resource.SEARCH_FIELDS)
        assert set(indexed.values_list("pk", flat=True)) == scan
        assert (resource.pk in scan) == (words == "星空探索")


def test_a_withdrawn_entry_page_is_gone_at_once(
    client, settings, django_capture_on_commit_callbacks
):
    settings.KEPU_PUBLIC_CACHE_SYNC = True
    with django_capture_on_commit_callbacks(execute=True):
        resource = publish(make_resource(title="锦江区临时展馆"))
    url = reverse("resources:public_detail", args=[resource.uid])
    assert client.get(url).status_code == 200
    assert client.get(url)["X-Kepu-Cache"] == "shared"
    with django_capture_on_commit_callbacks(execute=True):
        services.manage(resource, actor=None, action="withdraw", reason="场馆关闭")
    assert client.get(url).status_code == 404
