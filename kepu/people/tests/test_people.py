"""The people registry through its services and pages: personal information protection,
deduplication, search, import, self-registration and review, pools, teams, statistics."""

import io
import random

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from python_calamine import CalamineWorkbook

from kepu.core import crypto, pii
from kepu.core.choices import Topic
from kepu.core.errors import DomainError
from kepu.core.models import AuditEntry, Region, User
from kepu.core.search import search
from kepu.core.tests.matrix import PHONE_PATTERN, real_ids
from kepu.core.tests.test_excel import workbook
from kepu.people import services
from kepu.people.choices import PoolKind, RegistrationStatus
from kepu.people.io import person_columns
from kepu.people.models import Person, Registration
from kepu.people.tests.authz import valid_id

pytestmark = pytest.mark.django_db


def county(code="510104"):
    return Region.objects.get(code=code)


def make_person(name="测试人", body="51010419880808001", phone="13812345678", **kw):
    return services.create_person(
        actor=None,
        name=name,
        id_number=valid_id(body),
        phone=phone,
        region=kw.pop("region", county()),
        **kw,
    )


# --- identifiers and encryption ------------------------------------------------------------


def test_identifiers_are_encrypted_hashed_and_masked():
    person = make_person()
    number = valid_id("51010419880808001")
    assert person.id_masked == "5101" + "*" * 10 + number[-4:]
    assert person.phone_masked == "138****5678"
    assert person.birth_date.isoformat() == "1988-08-08" and person.gender == "M"
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM people_person WHERE id = %s", [person.pk])
        raw = " ".join(str(v) for v in cursor.fetchone())
    assert number not in raw and "13812345678" not in raw
    assert crypto.open_sealed(person.id_number_enc) == number
    assert services.find_by_document(number.lower()) == person


def test_tampered_or_unknown_key_fails_closed(settings):
    token = crypto.seal("13800001111")
    kid, body = token.split("$")
    raw = bytearray(__import__("base64").b64decode(body))
    raw[-1] ^= 1
    tampered = kid + "$" + __import__("base64").b64encode(bytes(raw)).decode()
    with pytest.raises(crypto.CryptoError):
        crypto.open_sealed(tampered)
    settings.FIELD_KEYS = f"other:{crypto.new_key()}"
    with pytest.raises(crypto.CryptoError):
        crypto.open_sealed(token)


def test_key_rotation(settings):
    person = make_person()
    old_spec = settings.FIELD_KEYS
    settings.FIELD_KEYS = f"k9:{crypto.new_key()},{old_spec}"
    assert services.rotate_keys() >= 1
    person.refresh_from_db()
    assert crypto.key_id(person.id_number_enc) == "k9"
    settings.FIELD_KEYS = settings.FIELD_KEYS.split(",")[0]  # the old key is gone
    assert crypto.open_sealed(person.phone_enc) == "13812345678"


@pytest.mark.parametrize("value", ["51010419880808001", "5101041988080800", "x" * 18])
def test_invalid_resident_ids_are_refused(value):
    number = (
        value if len(value) != 17 else value + ("0" if pii.id_check_char(value) != "0" else "1")
    )
    with pytest.raises(ValidationError):
        pii.validate_resident_id(number)


def test_a_document_number_registers_one_person():
    make_person()
    with pytest.raises(ValidationError):
        make_person(name="另一个人")


# --- search ---------------------------------------------------------------------------------


def test_two_character_search_equals_contains():
    rng = random.Random(7)
    words = ["科普", "地震", "应急救护", "科学实验", "本学科普遍", "天地震撼", "健康", "AI科普"]
    for i in range(120):
        make_person(
            name=f"搜{rng.choice('甲乙丙丁')}{i}",
            body=f"51010419800101{i:03d}",
            phone="",
            specialties="、".join(rng.sample(words, 2)),
            title=rng.choice(["科普讲师", "工程师", "地震研究员", ""]),
        )
    queryset = Person.objects.filter(name__startswith="搜")
    for query in ["科普", "地震", "应急救护", "救护 科学", "学科", "普遍", "AI", "科", "研究员"]:
        found = set(
            search(queryset, query, fields=Person.SEARCH_FIELDS).values_list("pk", flat=True)
        )
        # The registry's own search (the stored vector on PostgreSQL) finds the same rows.
        assert set(queryset.matching(query).values_list("pk", flat=True)) == found, query
        expected = set(queryset.values_list("pk", flat=True))
        for term in query.split():
            expected &= {
                p.pk
                for p in queryset.select_related("organization")
                if any(
                    term.lower() in (v or "").lower()
                    for v in (
                        p.name,
                        p.specialties,
                        p.title,
                        p.organization.name if p.organization_id else "",
                    )
                )
            }
        assert found == expected, query
        assert query != "科普" or len(found) > 10


def test_search_by_full_phone_or_id_number(as_persona):
    person = make_person()
    client = as_persona("county_a")
    page = client.get(reverse("people:person_list"), {"q": "138 1234 5678"}).content.decode()
    assert f'/people/{person.pk}/"' in page
    page = client.get(reverse("people:person_list"), {"q": valid_id("51010419880808001")})
    assert f'/people/{person.pk}/"' in page.content.decode()


# --- reveal, export, erase ------------------------------------------------------------------


def test_reveal_needs_a_reason_and_is_audited_without_values(as_persona):
    person = make_person()
    client = as_persona("province")
    url = reverse("people:person_reveal", args=[person.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    response = client.post(url, {"reason": "核实保险信息"})
    html = response.content.decode()
    assert valid_id("51010419880808001") in html and "13812345678" in html
    assert "no-store" in response["Cache-Control"]
    entry = AuditEntry.objects.get(action="people.person.revealed", object_id=str(person.pk))
    assert entry.actor_username == "demo-province" and entry.detail["reason"] == "核实保险信息"
    stored = str(entry.changes) + str(entry.detail)
    assert "13812345678" not in stored and valid_id("51010419880808001") not in stored


def test_exports_are_masked_unless_full_is_allowed(as_persona):
    make_person()

    def rows(client, **params):
        response = client.get(reverse("people:person_export"), params)
        assert response.status_code == 200
        book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
        return book.get_sheet_by_index(0).to_python()

    masked = rows(as_persona("county_a"))
    assert not real_ids(str(masked)) and not PHONE_PATTERN.search(str(masked))
    assert (
        as_persona("county_a").get(reverse("people:person_export"), {"full": "1"}).status_code
        == 403
    )
    no_reason = as_persona("province").get(reverse("people:person_export"), {"full": "1"})
    assert no_reason.status_code == 302
    full = rows(as_persona("province"), full="1", region="510104", reason="保险投保名单")
    assert valid_id("51010419880808001") in str(full)
    entry = AuditEntry.objects.get(action="people.person.exported_full")
    assert entry.detail["reason"] == "保险投保名单" and "13812345678" not in str(entry.detail)


def test_erasure_keeps_an_anonymous_tombstone_for_statistics(as_persona):
    person = make_person()
    services.add_registration(person, actor=None, kind="volunteer")
    before = Registration.objects.filter(
        region__code="510104", kind="volunteer", status="certified"
    ).count()
    response = as_persona("county_a").post(
        reverse("people:person_erase", args=[person.pk]), {"reason": "本人申请删除 2025-07"}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.is_erased and person.id_number_enc == "" and person.phone_hash == ""
    assert person.name == "（已删除）" or person.name == "(erased)"
    assert services.find_by_document(valid_id("51010419880808001")) is None
    after = Registration.objects.filter(
        region__code="510104", kind="volunteer", status="certified"
    ).count()
    assert after == before
    assert AuditEntry.objects.filter(action="people.person.erased", object_id=str(person.pk))


# --- import -----------------------------------------------------------------------------------


def test_importing_the_same_file_twice_keeps_the_count(as_persona, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = as_persona("county_a")
    headers = [c.header for c in person_columns()]
    rows = [
        [
            f"导入人{i}",
            "居民身份证",
            valid_id(f"51010419900101{i:03d}"),
            f"1390000{i:04d}",
            "",
            "510104",
            "",
            "本科",
            "中级",
            "工程师",
            "170",
            "地震科普",
            "科技志愿者",
        ]
        for i in range(20)
    ]

    def upload():
        response = client.post(
            reverse("core:import_start", args=["people.person"]),
            {"file": workbook(rows, headers=headers)},
        )
        job_id = response.url.rstrip("/").split("/")[-1]
        client.post(reverse("core:import_job_confirm", args=[job_id]))
        return job_id

    upload()
    count = Person.objects.count()
    assert Person.objects.filter(name__startswith="导入人").count() == 20
    assert (
        Registration.objects.filter(person__name__startswith="导入人", kind="volunteer").count()
        == 20
    )
    rows[0][0] = "导入人改名"
    rows[1][5] = "510104017"  # moves to a town of the county
    rows[2][9] = "研究员"
    rows[2][8] = "正高级"  # a high-level title now
    upload()
    assert Person.objects.count() == count
    assert Person.objects.filter(name="导入人改名").exists()
    assert (
        Registration.objects.filter(person__name__startswith="导入人", kind="volunteer").count()
        == 20
    )
    assert Person.objects.get(name="导入人2").title_level == "senior"
    assert Person.objects.get(name="导入人1").region.code == "510104017"
    # The registry's counters follow the imported and the changed people.
    from kepu.core import rollups
    from kepu.people import rollups as counters

    for name in counters.METRICS:
        assert rollups.reconcile(name, fix=False) == [], name


def test_import_reports_bad_rows(as_persona, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = as_persona("county_a")
    headers = [c.header for c in person_columns()]
    rows = [["", "", "51010419900101001X", "123", "", "510703"]]
    response = client.post(
        reverse("core:import_start", args=["people.person"]),
        {"file": workbook(rows, headers=headers)},
    )
    from kepu.core.models import ImportJob

    job = ImportJob.objects.get(pk=response.url.rstrip("/").split("/")[-1])
    columns = {e["column"] for e in job.errors}
    assert {"姓名", "证件号码", "行政区划代码"} <= columns
    assert any("手机" in e["message"] or e["column"] == "手机号码" for e in job.errors)


# --- self-registration, review, statistics -----------------------------------------------------


def test_self_registration_review_and_count():
    public = Client()
    data = {
        "name": "自主报名",
        "doc_type": "id",
        "id_number": valid_id("51010419950505002"),
        "phone": "13600001234",
        "region": "510104017",
        "consent": "on",
        "specialties": "科学实验",
    }
    without_consent = public.post(
        reverse("people:join_form", args=["volunteer"]), {**data, "consent": ""}
    )
    assert without_consent.status_code == 400 and not Person.objects.filter(name="自主报名")
    data["form_token"] = "e" * 32
    response = public.post(reverse("people:join_form", args=["volunteer"]), data)
    assert response.status_code == 302
    again = public.post(reverse("people:join_form", args=["volunteer"]), data)
    assert again.url == response.url  # a repeated submission lands on the same application
    registration = Registration.objects.get(person__name="自主报名")
    assert registration.status == "pending" and registration.notice.version == "2025-1"
    status_page = public.get(response.url).content.decode()
    assert "待审核" in status_page and "13600001234" not in status_page

    from kepu.core.testing import login_client

    officer = login_client(Client(), "demo-county-a")
    stats_url = reverse("people:stats") + "?region=510104"
    before = officer.get(stats_url).context["total"]["volunteer"]
    other = login_client(Client(), "demo-county-b")
    denied = other.post(reverse("people:registration_certify", args=[registration.pk]))
    assert denied.status_code == 404
    officer.post(reverse("people:registration_certify", args=[registration.pk]))
    registration.refresh_from_db()
    assert (
        registration.status == "certified" and registration.reviewed_by.username == "demo-county-a"
    )
    assert officer.get(stats_url).context["total"]["volunteer"] == before + 1
    assert "已认证" in public.get(response.url).content.decode()


def test_rejection_needs_a_reason():
    person = make_person()
    registration = services.add_registration(
        person, actor=None, kind="expert", status=RegistrationStatus.PENDING
    )
    with pytest.raises(DomainError):
        services.reject_registration(registration, actor=None, reason=" ")
    services.reject_registration(registration, actor=None, reason="材料不全")
    with pytest.raises(DomainError):
        services.certify_registration(registration, actor=None)


def test_statistics_match_the_registry(as_persona):
    response = as_persona("province").get(reverse("people:stats"), {"region": "51"})
    rows = dict((r.code, f) for r, f in response.context["rows"])
    chengdu = Registration.objects.filter(region__path__startswith="51/5101/", status="certified")
    assert rows["5101"]["volunteer"] == chengdu.filter(kind="volunteer").count()
    assert rows["5101"]["expert"] == chengdu.filter(kind="expert").count()
    assert (
        response.context["total"]["volunteer"]
        == Registration.objects.filter(
            region__path__startswith="51/", status="certified", kind="volunteer"
        ).count()
    )


def test_information_officers_per_10k_after_population_is_set(as_persona):
    client = as_persona("city")
    client.post(reverse("people:population_update") + "?region=5101", {"pop_510104": "500000"})
    assert Region.objects.get(code="510104").population == 500000
    rows = dict(
        (r.code, f)
        for r, f in client.get(reverse("people:stats"), {"region": "5101"}).context["rows"]
    )
    officers = Registration.objects.filter(
        region__path__startswith="51/5101/510104/", kind="info_officer", status="certified"
    ).count()
    assert rows["510104"]["officers_per_10k"] == round(officers * 10000 / 500000, 2)


# --- pools and teams ---------------------------------------------------------------------------


def test_available_emergency_earthquake_experts_in_a_city_in_one_query():
    pool = services.create_pool(
        actor=None, name="测试应急库", kind=PoolKind.EMERGENCY, region=county("51")
    )
    near = make_person(name="成都专家", body="51010419700101001")
    far = make_person(name="绵阳专家", body="51070319700101002", region=county("510703"))
    busy = make_person(name="忙碌专家", body="51010419700101003")
    services.add_pool_member(pool, near, actor=None, topics=[Topic.EARTHQUAKE])
    services.add_pool_member(pool, far, actor=None, topics=[Topic.EARTHQUAKE])
    member = services.add_pool_member(pool, busy, actor=None, topics=[Topic.EARTHQUAKE])
    services.set_member_availability(member, actor=None, available=False)
    client = Client()
    from kepu.core.testing import login_client

    login_client(client, "demo-province")
    from kepu.core.regiontree import subtree_ids

    subtree_ids(county("5101"))  # a subtree's ids are read once per process and kept
    client.get(reverse("api:expert-list"))  # warm: the region tree's per-process copies
    with CaptureQueriesContext(connection) as queries:
        data = client.get(
            reverse("api:expert-list"),
            {
                "pool_kind": "emergency",
                "topic": "earthquake",
                "region": "5101",
                "available": "true",
            },
        ).json()
    names = {r["person_name"] for r in data["results"]}
    # The lookup itself is a single SQL query.
    from kepu.core.scope import visible_to
    from kepu.people.models import PoolMembership

    province = User.objects.get(username="demo-province")
    province.assignments()  # the roles are read once per request, before the lookup
    with CaptureQueriesContext(connection) as lookup:
        found = list(
            visible_to(province, PoolMembership)
            .filter(
                pool__kind="emergency",
                topics__topic="earthquake",
                person__region__path__startswith="51/5101/",
            )
            .available_on(__import__("datetime").date.today())
            .values_list("person__name", flat=True)
        )
    assert "成都专家" in found and len(lookup) == 1
    assert "成都专家" in names and "绵阳专家" not in names and "忙碌专家" not in names
    assert len(queries) <= 10, [q["sql"][:90] for q in queries.captured_queries]


def test_a_person_belongs_to_at_most_five_teams():
    person = make_person()
    teams = [services.create_team(actor=None, name=f"队{i}", region=county()) for i in range(6)]
    for team in teams[:5]:
        services.add_team_member(team, person, actor=None)
    with pytest.raises(DomainError):
        services.add_team_member(teams[5], person, actor=None)


def test_person_list_query_count(as_persona, django_assert_max_num_queries):
    client = as_persona("province")
    with django_assert_max_num_queries(16):
        assert client.get(reverse("people:person_list")).status_code == 200


def test_volunteer_sees_only_their_own_record(as_persona):
    page = as_persona("volunteer").get(reverse("people:person_list"))
    assert page.context["page"].paginator.count == 1
    assert User.objects.get(username="demo-volunteer").person.name == "刘洋"


def test_rotate_command(settings, capsys):
    from django.core.management import call_command

    make_person()
    settings.FIELD_KEYS = f"k5:{crypto.new_key()},{settings.FIELD_KEYS}"
    call_command("rotate_field_keys")
    assert "re-encrypted with key k5" in capsys.readouterr().out
    assert not Person.objects.exclude(id_number_enc="").exclude(id_number_enc__startswith="k5$")


def test_the_total_counts_distinct_disciplines_over_the_whole_region(as_persona):
    data = as_persona("province").get(reverse("api:people-stats"), {"region": "51"}).json()
    expected = (
        Person.objects.live()
        .filter(region__path__startswith="51/")
        .exclude(discipline="")
        .values("discipline")
        .distinct()
        .count()
    )
    assert data["total"]["disciplines"] == expected > 0
