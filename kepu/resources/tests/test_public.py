"""The public catalog through HTTP: search with 2-character Chinese words and facets,
the group menus, the emergency and policy libraries, the entry pages and their files,
the map points, and the open data (CSV/XLSX/JSON, DCAT, rate limit). Only published
entries and live files ever appear, and nothing names the applicant."""

import csv
import datetime
import io
import json
import zipfile

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from kepu.core import services as core_services
from kepu.core.choices import Role
from kepu.resources import services
from kepu.resources.models import ResourceAttachment
from kepu.resources.tests.helpers import (
    make_resource,
    org,
    pdf_upload,
    png_upload,
    publish,
    region,
)

pytestmark = pytest.mark.django_db


def make_policy(title="全民科学素质行动实施方案", body=None, *, published=True):
    resource = services.create_resource(
        actor=None,
        resource_type="policy",
        organization=org("四川省科学技术协会"),
        content={
            "title": title,
            "region": region("51"),
            "summary": "省政府印发的实施方案。",
            "issuer": "四川省人民政府",
            "doc_number": "川府发〔2024〕3号",
            "issued_on": datetime.date(2024, 3, 1),
            "body": body
            or "第一条 为提升全民科学素质，制定本方案。\n\n第二条 加强科普基础设施建设。",
            "groups": ["officials"],
        },
    )
    return publish(resource) if published else resource


def place(title, *, code="510104", groups=("youth",), published=True, **over):
    resource = make_resource(
        title=title,
        code=code,
        keywords="场馆",
        description="",
        summary="向公众开放的场馆。",
        groups=list(groups),
        topics=["space"],
        **over,
    )
    return publish(resource) if published else resource


def work(title="地震来了怎么办", *, published=True, **over):
    resource = make_resource(resource_type="work", title=title, **over)
    return publish(resource) if published else resource


def titles(response, name="page"):
    return [r.title for r in response.context[name].object_list]


def body_bytes(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


# --- search ------------------------------------------------------------------------------


def test_search_finds_two_character_words_in_title_and_body_and_never_drafts(as_persona):
    quake = work("地震来了怎么办", authors="四川省地震局宣传处")
    policy = make_policy(body="第一条 加强科普基础设施建设。\n\n第二条 附则。")
    place("地震科普馆草稿", published=False)
    client = as_persona("anonymous")

    response = client.get(reverse("resources:public_search"), {"q": "地震"})
    assert response.status_code == 200
    assert titles(response) == [quake.title]

    response = client.get(reverse("resources:public_search"), {"q": "科普"})
    assert titles(response) == [policy.title]
    assert "地震科普馆草稿" not in response.content.decode()


def test_facets_count_the_current_result_by_the_other_filters(as_persona):
    place("成都青少年天文馆", groups=["youth"])
    place("绵阳农业科技馆", code="510703", groups=["farmers"])
    work("地震来了怎么办", groups=["youth", "elderly"])
    place("锦江区未发布馆", published=False)
    client = as_persona("anonymous")

    def facet(response, name):
        found = [f for f in response.context["facets"] if f["name"] == name]
        return {i["value"]: i["count"] for i in found[0]["items"]} if found else {}

    response = client.get(reverse("resources:public_search"))
    assert response.context["page"].paginator.count == 3
    assert facet(response, "type") == {"place": 2, "work": 1}
    assert facet(response, "group") == {"youth": 2, "farmers": 1, "elderly": 1}
    assert facet(response, "region") == {"5101": 2, "5107": 1}
    assert facet(response, "emergency") == {"1": 1}

    response = client.get(reverse("resources:public_search"), {"type": "place"})
    assert response.context["page"].paginator.count == 2
    assert facet(response, "type") == {"place": 2, "work": 1}  # one can switch the type
    assert facet(response, "group") == {"youth": 1, "farmers": 1}
    chips = response.context["chips"]
    assert len(chips) == 1 and chips[0]["url"] == reverse("resources:public_search")

    response = client.get(reverse("resources:public_search"), {"region": "5101"})
    assert response.context["page"].paginator.count == 2
    assert facet(response, "region") == {"510104": 2}  # drill down to the counties

    response = client.get(reverse("resources:public_search"), {"type": "nonsense"})
    assert response.status_code == 200 and response.context["page"].paginator.count == 0


def test_the_topic_facet_does_not_repeat_the_hazard_facet(as_persona):
    # issue 19: 主题领域 listed 地震, 洪水 … exactly as 灾种 did (a hazard entry carries its
    # hazard as a topic too); the hazards are offered once, in their own facet
    place("成都青少年天文馆")  # topic: space
    work("地震来了怎么办")  # topic and hazard: earthquake
    client = as_persona("anonymous")

    def facet(response, name):
        found = [f for f in response.context["facets"] if f["name"] == name]
        return {i["value"]: i["count"] for i in found[0]["items"]} if found else {}

    response = client.get(reverse("resources:public_search"))
    assert facet(response, "topic") == {"space": 1}
    assert facet(response, "hazard") == {"earthquake": 1}
    page = response.content.decode()
    assert page.count("?topic=earthquake") == 0 and page.count("?hazard=earthquake") == 1

    # an address that still selects a hazard as a topic filters, and shows it to remove
    response = client.get(reverse("resources:public_search"), {"topic": "earthquake"})
    assert titles(response) == ["地震来了怎么办"]
    assert facet(response, "topic") == {"earthquake": 1, "space": 1}  # the other filters count


def test_search_page_queries_do_not_grow_with_the_results(
    as_persona, django_assert_max_num_queries
):
    for n in range(3):
        place(f"成都科技馆{n}")
    client = as_persona("anonymous")
    with django_assert_max_num_queries(20):
        response = client.get(reverse("resources:public_search"), {"q": "科技"})
    assert response.status_code == 200 and len(titles(response)) == 3


# --- menus and libraries -----------------------------------------------------------------


def test_the_youth_menu_lists_youth_entries_and_not_farmers_only_ones(as_persona):
    place("成都青少年天文馆", groups=["youth"])
    place("绵阳农业科技馆", code="510703", groups=["farmers"])
    client = as_persona("anonymous")
    response = client.get(reverse("resources:menu", args=["youth"]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "成都青少年天文馆" in content and "绵阳农业科技馆" not in content
    sections = response.context["sections"]
    assert [s["type"].value for s in sections] == ["place"]

    response = client.get(reverse("resources:menu", args=["youth"]), {"region": "510703"})
    assert response.context["sections"] == []
    response = client.get(reverse("resources:menu", args=["farmers"]), {"region": "5107"})
    assert "绵阳农业科技馆" in response.content.decode()


def test_an_unknown_group_menu_is_404(as_persona):
    assert as_persona("anonymous").get("/catalog/groups/students/").status_code == 404


def test_the_emergency_library_filters_by_hazard(as_persona):
    work("地震来了怎么办")
    work("洪水来了怎么办", topics=["flood"], hazards=["flood"])
    place("成都青少年天文馆")  # not in the emergency library
    client = as_persona("anonymous")
    response = client.get(reverse("resources:emergency"))
    assert sorted(titles(response)) == ["地震来了怎么办", "洪水来了怎么办"]
    counts = {i["value"]: i["count"] for i in response.context["hazards"]["items"]}
    assert counts == {"earthquake": 1, "flood": 1}

    response = client.get(reverse("resources:emergency"), {"hazard": "earthquake"})
    assert titles(response) == ["地震来了怎么办"]
    counts = {i["value"]: i["count"] for i in response.context["hazards"]["items"]}
    assert counts == {"earthquake": 1, "flood": 1}


def test_the_policy_library_searches_the_full_text(as_persona):
    policy = make_policy(body="第一条 推进科普基地建设。\n\n第二条 本方案自印发之日起施行。")
    work("地震来了怎么办")
    client = as_persona("anonymous")
    response = client.get(reverse("resources:policies"))
    assert titles(response) == [policy.title]
    response = client.get(reverse("resources:policies"), {"q": "科普基地"})
    assert titles(response) == [policy.title]
    response = client.get(reverse("resources:policies"), {"q": "航天"})
    assert titles(response) == []

    response = client.get(reverse("resources:public_detail", args=[policy.uid]))
    content = response.content.decode()
    assert "<p>第一条 推进科普基地建设。</p>" in content
    assert "川府发〔2024〕3号" in content and policy.listing_number in content


# --- entry pages and files ---------------------------------------------------------------


def test_only_published_entries_have_a_public_page(as_persona):
    client = as_persona("anonymous")
    live = place("成都青少年天文馆")
    assert client.get(reverse("resources:public_detail", args=[live.uid])).status_code == 200
    draft = place("锦江区草稿馆", published=False)
    suspended = services.manage(place("暂停馆"), actor=None, action="suspend", reason="整改")
    withdrawn = services.manage(place("撤销馆"), actor=None, action="withdraw", reason="关闭")
    for resource in (draft, suspended, withdrawn):
        url = reverse("resources:public_detail", args=[resource.uid])
        assert client.get(url).status_code == 404


def test_the_entry_page_shows_public_facts_and_no_applicant(as_persona):
    applicant = core_services.create_user(
        actor=None,
        username="qiu-applicant-5521",
        password="Blue-Heron#7391q",
        full_name="邱申报人",
        email="qiu5521@example.cn",
    )
    core_services.assign_role(applicant, actor=None, role=Role.VOLUNTEER)
    resource = services.create_resource(
        actor=applicant,
        resource_type="work",
        organization=None,
        content={
            "title": "个人科普短文",
            "region": region("510104"),
            "summary": "一篇讲天气的短文。",
            "work_kind": "article",
            "authors": "科普写作组",
            "groups": ["youth"],
        },
    )
    publish(resource)
    response = as_persona("anonymous").get(reverse("resources:public_detail", args=[resource.uid]))
    content = response.content.decode()
    assert response.status_code == 200 and "科普写作组" in content
    assert "邱申报人" not in content and "qiu-applicant-5521" not in content


def test_live_files_are_served_inline_and_others_are_404(as_persona):
    resource = make_resource(title="成都青少年天文馆")
    image = services.add_attachment(resource, actor=None, upload=png_upload("展厅.png"))
    document = services.add_attachment(resource, actor=None, upload=pdf_upload("说明书.pdf"))
    publish(resource)
    later = services.add_attachment(resource, actor=None, upload=png_upload("新展厅.png"))
    client = as_persona("anonymous")

    response = client.get(reverse("resources:public_file", args=[resource.uid, image.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    assert "filename*=utf-8''%E5%B1%95%E5%8E%85.png" in response["Content-Disposition"]
    assert body_bytes(response).startswith(b"\x89PNG")

    response = client.get(reverse("resources:public_thumbnail", args=[resource.uid, image.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    response = client.get(reverse("resources:public_file", args=[resource.uid, document.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"

    # Added after publication: waits for the next version's review.
    assert not ResourceAttachment.objects.get(pk=later.pk).is_live
    for name in ("resources:public_file", "resources:public_thumbnail"):
        assert client.get(reverse(name, args=[resource.uid, later.pk])).status_code == 404
    # Another entry's uid with this file's number, and a draft's file: 404.
    other = place("绵阳农业科技馆", code="510703")
    assert (
        client.get(reverse("resources:public_file", args=[other.uid, image.pk])).status_code == 404
    )
    draft = make_resource(title="草稿馆")
    pending = services.add_attachment(draft, actor=None, upload=png_upload())
    url = reverse("resources:public_file", args=[draft.uid, pending.pk])
    assert client.get(url).status_code == 404

    page = client.get(reverse("resources:public_detail", args=[resource.uid])).content.decode()
    assert reverse("resources:public_thumbnail", args=[resource.uid, image.pk]) in page
    assert reverse("resources:public_file", args=[resource.uid, document.pk]) in page
    assert reverse("resources:public_file", args=[resource.uid, later.pk]) not in page


# --- the map -----------------------------------------------------------------------------


def test_map_points_are_published_places_with_coordinates_filtered_by_group(as_persona):
    youth = place("成都青少年天文馆", groups=["youth"])
    farmers = place("绵阳农业科技馆", code="510703", groups=["farmers"], latitude="31.4675",
                    longitude="104.679")  # fmt: skip
    place("草稿馆", published=False)
    work("地震来了怎么办")  # no coordinates: not on the map
    client = as_persona("anonymous")

    response = client.get(reverse("resources:map_points"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=300"
    data = response.json()
    assert data["count"] == 2 and data["truncated"] is False
    assert {p["title"] for p in data["points"]} == {youth.title, farmers.title}
    point = next(p for p in data["points"] if p["title"] == youth.title)
    assert set(point) == {
        "uid", "title", "type", "type_label", "lon", "lat", "region", "address", "url"
    }  # fmt: skip
    assert point["lat"] == pytest.approx(30.6516) and point["lon"] == pytest.approx(104.083)
    assert point["url"] == reverse("resources:public_detail", args=[youth.uid])

    data = client.get(reverse("resources:map_points"), {"group": "youth"}).json()
    assert [p["title"] for p in data["points"]] == [youth.title]
    data = client.get(reverse("resources:map_points"), {"region": "5107"}).json()
    assert [p["title"] for p in data["points"]] == [farmers.title]

    response = client.get(reverse("resources:map"))
    assert response.status_code == 200
    config = response.context["config"]
    assert config["province"] == "51" and config["geojson"] == "/maps/51.json"
    assert {"code": "5101", "name": "成都市"} in config["cities"]


# --- open data ---------------------------------------------------------------------------


@pytest.fixture
def catalog(db):
    """A published entry applied for by an individual with a distinctive account, a
    published unit's entry and a draft."""
    applicant = core_services.create_user(
        actor=None,
        username="wangxiaoer-applicant-8812",
        password="Blue-Heron#7391q",
        full_name="王小二申报人",
        email="wangxiaoer8812@example.cn",
    )
    core_services.assign_role(applicant, actor=None, role=Role.VOLUNTEER)
    personal = services.create_resource(
        actor=applicant,
        resource_type="work",
        organization=None,
        content={
            "title": "个人科普短文",
            "region": region("510104"),
            "summary": "一篇讲天气的短文。",
            "work_kind": "article",
            "authors": "科普写作组",
            "groups": ["youth"],
            "topics": ["weather"],
        },
    )
    return {
        "personal": publish(personal),
        "unit": place("成都青少年天文馆", groups=["youth", "general"]),
        "draft": place("锦江区草稿馆", published=False),
    }


def test_csv_download_has_a_bom_a_header_and_only_published_rows(as_persona, catalog):
    response = as_persona("anonymous").get(reverse("resources:download", args=["csv"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    raw = body_bytes(response)
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("uid,listing_number,type,title,summary,owner,region_code")
    assert len(lines) == 3
    text = raw.decode("utf-8-sig")
    assert "成都青少年天文馆" in text and "个人科普短文" in text and "锦江区草稿馆" not in text
    for secret in (b"wangxiaoer", b"8812@example", "王小二".encode()):
        assert secret not in raw
    unit_line = next(line for line in lines if "成都青少年天文馆" in line)
    assert "锦江区科学技术协会" in unit_line and "general;youth" in unit_line
    assert str(catalog["unit"].uid) in unit_line and catalog["unit"].listing_number in unit_line

    response = as_persona("anonymous").get(
        reverse("resources:download", args=["csv"]), {"type": "work"}
    )
    lines = body_bytes(response).decode("utf-8-sig").splitlines()
    assert len(lines) == 2 and "个人科普短文" in lines[1]


FORMULA = '=HYPERLINK("http://evil.example/","点击领奖")'


def test_open_data_never_hands_a_formula_to_a_spreadsheet(as_persona):
    """Security #7: a published title or summary starting with =, +, -, @ reaches the CSV
    cell prefixed with a quote (text, not a formula); the workbook holds it as a string
    cell (no formula element), as it was written."""
    publish(
        make_resource(
            title=FORMULA, summary="+86 (28) 8888", opening_hours="-2+3", address="@SUM(A1:A9)"
        )
    )
    response = as_persona("anonymous").get(reverse("resources:download", args=["csv"]))
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(body_bytes(response).decode("utf-8-sig"))))
    row = next(r for r in rows if "HYPERLINK" in r["title"])
    assert row["title"] == "'" + FORMULA
    assert row["summary"] == "'+86 (28) 8888"
    assert row["opening_hours"] == "'-2+3"
    assert row["address"] == "'@SUM(A1:A9)"
    assert row["latitude"] == "30.6516"  # numbers untouched

    response = as_persona("anonymous").get(reverse("resources:download", args=["xlsx"]))
    raw = body_bytes(response)
    with zipfile.ZipFile(io.BytesIO(raw)) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet
    rows = CalamineWorkbook.from_filelike(io.BytesIO(raw)).get_sheet_by_index(0).to_python()
    assert FORMULA in [r[3] for r in rows]


def test_xlsx_download_opens(as_persona, catalog):
    response = as_persona("anonymous").get(reverse("resources:download", args=["xlsx"]))
    assert response.status_code == 200
    raw = body_bytes(response)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(raw)).get_sheet_by_index(0).to_python()
    assert len(rows) == 3
    assert {rows[1][3], rows[2][3]} == {"成都青少年天文馆", "个人科普短文"}
    assert b"wangxiaoer" not in raw


def test_json_download_parses_with_a_meta_block(as_persona, catalog):
    response = as_persona("anonymous").get(reverse("resources:download", args=["json"]))
    assert response.status_code == 200
    raw = body_bytes(response)
    data = json.loads(raw)
    assert data["meta"]["count"] == 2 and data["meta"]["license"].startswith("https://")
    by_title = {r["title"]: r for r in data["resources"]}
    assert set(by_title) == {"成都青少年天文馆", "个人科普短文"}
    unit = by_title["成都青少年天文馆"]
    assert unit["groups"] == ["general", "youth"] and unit["emergency"] is False
    assert unit["latitude"] == pytest.approx(30.6516)
    assert unit["detail_url"] == "http://testserver" + reverse(
        "resources:public_detail", args=[catalog["unit"].uid]
    )
    assert by_title["个人科普短文"]["owner"] not in ("", "王小二申报人")
    assert b"wangxiaoer" not in raw and "王小二".encode() not in raw


def test_unknown_download_format_is_404(as_persona):
    url = reverse("resources:download", args=["xml"])
    assert as_persona("anonymous").get(url).status_code == 404


def test_dcat_describes_the_dataset_and_its_distributions(as_persona, catalog):
    response = as_persona("anonymous").get(reverse("resources:dcat"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    data = json.loads(response.content)
    assert "@context" in data and data["@type"] == "dcat:Catalog"
    dataset = data["dcat:dataset"][0]
    assert dataset["@type"] == "dcat:Dataset" and "dct:modified" in dataset
    assert dataset["dct:spatial"]["dct:identifier"] == "51"
    assert dataset["dct:publisher"]["foaf:name"] == "四川省科学技术协会"
    distributions = dataset["dcat:distribution"]
    assert {d["dcat:mediaType"] for d in distributions} == {
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/json",
    }
    assert len(distributions) == 4
    for d in distributions:
        assert d["dcat:accessURL"]["@id"].startswith("http://testserver/")
    csv_url = next(d for d in distributions if d["dct:format"] == "CSV")["dcat:downloadURL"]
    assert csv_url["@id"] == "http://testserver" + reverse("resources:download", args=["csv"])


def test_downloads_are_rate_limited_per_client(as_persona):
    client = as_persona("anonymous")
    url = reverse("resources:download", args=["csv"])
    for _ in range(30):
        assert client.get(url).status_code == 200
    response = client.get(url)
    assert response.status_code == 429 and response["Retry-After"] == "3600"


def test_the_open_data_page_links_the_downloads(as_persona, catalog):
    response = as_persona("anonymous").get(reverse("resources:open_data"), {"type": "place"})
    assert response.status_code == 200
    content = response.content.decode()
    for fmt in ("csv", "xlsx", "json"):
        assert reverse("resources:download", args=[fmt]) + "?type=place" in content
    assert reverse("resources:dcat") in content and "/api/v1/public/resources/" in content
