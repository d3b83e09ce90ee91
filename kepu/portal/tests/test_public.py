"""The public home page, the region cookie, the unified search and the public notice
pages, through HTTP: what shows, what never shows (drafts, returned, withdrawn), and that
hostile input does not break them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kepu.core.models import Region
from kepu.portal.tests.helpers import make_notice
from kepu.portal.views.home import REGION_COOKIE

pytestmark = pytest.mark.django_db

LINKS = (
    "activities:calendar",
    "volunteering:order_new",
    "people:join_start",
    "resources:map",
    "resources:emergency",
    "resources:policies",
    "resources:open_data",
    "volunteering:verify",
    "plans:public_plan_list",
    "portal:public_notice_list",
)


@pytest.fixture
def notices(db):
    return {
        "province": make_notice("51", title="省级科普日通知", state="published", pinned=True),
        "county_a": make_notice("510104", title="锦江区科普周动态", state="published"),
        "county_b": make_notice("510703", title="涪城区农技服务动态", state="published"),
        "draft": make_notice("510104", title="锦江区未提交草稿"),
        "submitted": make_notice("510104", title="锦江区待审公告", state="submitted"),
        "returned": make_notice("510104", title="锦江区退回公告", state="returned"),
        "withdrawn": make_notice("510104", title="锦江区撤回公告", state="withdrawn"),
    }


HIDDEN = ("draft", "submitted", "returned", "withdrawn")


def test_the_home_page_offers_every_public_service(client, notices):
    client.cookies["django_language"] = "en"
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    for name in LINKS:
        assert f'href="{reverse(name)}' in page, name
    for group in ("youth", "farmers", "workers", "elderly", "officials"):
        assert reverse("resources:menu", args=[group]) in page
    assert reverse("portal:search") in page
    for key in ("province", "county_a", "county_b"):
        assert notices[key].title in page
    for key in HIDDEN:
        assert notices[key].title not in page
    # The pinned notice comes first.
    assert page.index("省级科普日通知") < page.index("涪城区农技服务动态")
    assert "Go to my workbench" not in page


def test_a_signed_in_user_sees_the_home_page_with_a_workbench_link(as_persona):
    client = as_persona("county_a")
    client.cookies["django_language"] = "en"
    response = client.get("/")
    assert response.status_code == 200
    assert "Go to my workbench" in response.content.decode()


def test_the_region_is_remembered_and_the_page_cached_per_region(client, notices):
    response = client.get(reverse("portal:choose_region"), {"region": "510104"})
    assert response.status_code == 302 and response["Location"] == "/#near"
    assert client.cookies[REGION_COOKIE].value == "510104"
    client.cookies["django_language"] = "en"
    page = client.get("/").content.decode()
    assert "This week in 锦江区" in page
    # Notices for the region and the regions above it; not another county's.
    assert "锦江区科普周动态" in page and "省级科普日通知" in page
    assert "涪城区农技服务动态" not in page
    # Another region: another cache entry.
    client.cookies[REGION_COOKIE] = "510703"
    page = client.get("/").content.decode()
    assert "This week in 涪城区" in page and "锦江区科普周动态" not in page
    # A township is remembered as its county; garbage or nothing forgets the choice.
    township = Region.objects.filter(parent__code="510104").first()
    client.get(reverse("portal:choose_region"), {"region": township.code})
    assert client.cookies[REGION_COOKIE].value == "510104"
    client.get(reverse("portal:choose_region"), {"region": "x" * 500})
    assert client.cookies[REGION_COOKIE].value == ""
    client.cookies[REGION_COOKIE] = "<script>"
    assert client.get("/").status_code == 200


def test_this_weeks_activities_near_me(client):
    from kepu.activities.tests.helpers import make_activity

    soon = make_activity(status="published", days=3, title="本周锦江区地震科普讲座")
    later = make_activity(status="published", days=12, title="下月锦江区科普讲座")
    elsewhere = make_activity(
        status="published",
        days=2,
        code="510703",
        organizer="涪城区科学技术协会",
        title="涪城区本周科普讲座",
    )
    client.cookies[REGION_COOKIE] = "510104"
    page = client.get("/").content.decode()
    assert soon.title in page
    assert later.title not in page and elsewhere.title not in page
    client.cookies[REGION_COOKIE] = ""
    page = client.get("/").content.decode()
    assert soon.title in page and elsewhere.title in page


def test_search_groups_results_by_kind_and_shows_nothing_unpublished(client, notices):
    client.cookies["django_language"] = "en"
    response = client.get(reverse("portal:search"), {"q": "锦江区"})
    assert response.status_code == 200
    groups = {g["key"]: g for g in response.context["groups"]}
    assert list(groups) == ["activities", "venues", "resources", "policies", "notices"]
    titles = [n.title for n in groups["notices"]["rows"]]
    assert titles == ["锦江区科普周动态"]
    assert groups["notices"]["count"] == 1
    assert (
        groups["notices"]["more_url"]
        == reverse("portal:public_notice_list") + "?q=%E9%94%A6%E6%B1%9F%E5%8C%BA"
    )
    page = response.content.decode()
    for key in HIDDEN:
        assert notices[key].title not in page
    for group in groups.values():
        for row in group["rows"]:
            assert getattr(row, "status", "published") == "published"


def test_search_runs_one_query_per_kind_at_most_twice(client, notices):
    url = reverse("portal:search")
    client.get(url, {"q": "科普"})
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, {"q": "科普"}).status_code == 200
    assert len(queries) <= 12


@pytest.mark.parametrize(
    "q", ["", "   ", "!!!", "科", "a" * 5000, "地震 " * 300, "\x00", "%", "' OR 1=1 --", "🙂"]
)
def test_search_takes_any_words(client, q):
    response = client.get(reverse("portal:search"), {"q": q})
    assert response.status_code == 200
    if not q.strip() or q in ("!!!", "%", "\x00"):
        assert response.context["groups"] == []


def test_the_public_notice_list_filters_and_hides_the_unpublished(client, notices):
    url = reverse("portal:public_notice_list")
    page = client.get(url).content.decode()
    for key in ("province", "county_a", "county_b"):
        assert notices[key].title in page
    for key in HIDDEN:
        assert notices[key].title not in page
    page = client.get(url, {"region": "5107"}).content.decode()
    assert "涪城区农技服务动态" in page and "锦江区科普周动态" not in page
    page = client.get(url, {"q": "农技"}).content.decode()
    assert "涪城区农技服务动态" in page and "省级科普日通知" not in page
    assert client.get(url, {"category": "nonsense", "region": "999"}).status_code == 200
    for key in HIDDEN:
        detail = reverse("portal:public_notice_detail", args=[notices[key].pk])
        assert client.get(detail).status_code == 404


def test_every_public_page_has_the_menu_and_the_footer_links(client):
    page = client.get(reverse("activities:calendar")).content.decode()
    for name in (
        "portal:home",
        "portal:public_notice_list",
        "portal:search",
        "resources:map",
        "resources:policies",
        "resources:emergency",
        "resources:open_data",
        "volunteering:verify",
        "plans:public_plan_list",
    ):
        assert f'href="{reverse(name)}' in page, name
    assert 'id="public-menu"' in page
