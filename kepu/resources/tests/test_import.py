"""The Excel import of resource lists through the core import pages: the dry run
reports every bad row and writes nothing; confirming creates every entry through the
catalog service (complete ones submitted, the rest drafts, none published), all or
nothing; member units import for their own unit only."""

import datetime
import io

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from python_calamine import CalamineWorkbook

from kepu.core.models import AuditEntry, ImportJob
from kepu.resources.choices import ResourceStatus, ResourceType, VersionStatus
from kepu.resources.io import resource_columns
from kepu.resources.models import Resource, ResourceVersion
from kepu.resources.tests.helpers import make_resource

pytestmark = pytest.mark.django_db

SPEC = "resources.resource"


def columns():
    with translation.override("zh-hans"):
        return resource_columns()


def workbook(rows, name="resources.xlsx") -> SimpleUploadedFile:
    """A file as a user fills the template: the header row, then one row per dict
    (column key -> value; dates are written as Excel date cells)."""
    cols = columns()
    keys = [col.key for col in cols]
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet = book.add_worksheet()
    for i, col in enumerate(cols):
        sheet.write_string(0, i, col.header)
    for r, row in enumerate(rows, start=1):
        for key, value in row.items():
            if isinstance(value, datetime.date):
                sheet.write_datetime(r, keys.index(key), value, date_format)
            elif value not in ("", None):
                sheet.write(r, keys.index(key), value)
    book.close()
    return SimpleUploadedFile(
        name,
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def header(key):
    return next(col.header for col in columns() if col.key == key)


def upload(client, rows) -> ImportJob:
    response = client.post(reverse("core:import_start", args=[SPEC]), {"file": workbook(rows)})
    assert response.status_code == 302, response.content.decode()[:500]
    return ImportJob.objects.get(pk=response.url.rstrip("/").split("/")[-1])


def place(**over):
    row = {
        "resource_type": "场馆与基地",
        "title": "导入测试青少年科技馆",
        "summary": "面向中小学生的综合性科技馆。",
        "description": "设有机器人、航天展区。",
        "region": "510104",
        "organization": "锦江区科学技术协会",
        "groups": "youth、社会公众",
        "topics": "航天与天文",
        "is_emergency": "否",
        "address": "成都市锦江区东大街100号",
        "latitude": 30.6516,
        "longitude": "104.083",
        "opening_hours": "周二至周日 9:00—17:00",
        "capacity": 800,
        "kind": "科技馆",
    }
    row.update(over)
    return row


def work(**over):
    row = {
        "resource_type": "work",
        "title": "导入测试地震避险动画",
        "summary": "十分钟动画短片。",
        "region": "510104",
        "organization": "锦江区科学技术协会",
        "groups": "Young people, Older people",
        "is_emergency": "是",
        "hazards": "地震",
        "kind": "video",
        "authors": "四川省地震局科普团队",
        "publisher": "四川科学技术出版社",
        "published_on": datetime.date(2024, 5, 12),
        "duration_minutes": "10",
    }
    row.update(over)
    return row


def policy(**over):
    row = {
        "resource_type": "Policy document",
        "title": "导入测试科普工作实施意见",
        "summary": "锦江区关于加强新时代科普工作的实施意见。",
        "region": "510104",
        "organization": "锦江区科学技术协会",
        "groups": "general",
        "issuer": "锦江区人民政府办公室",
        "doc_number": "锦府办发〔2024〕12号",
        "issued_on": "2024年3月1日",
        "body": "一、总体要求\n二、重点任务",
    }
    row.update(over)
    return row


@pytest.fixture
def county_a(as_persona, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return as_persona("county_a")


def test_the_template_has_the_columns_and_instructions(county_a):
    response = county_a.get(reverse("core:import_template", args=[SPEC]))
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    assert book.get_sheet_by_index(0).to_python()[0] == [col.header for col in columns()]
    assert len(book.sheet_names) == 2


def test_a_good_file_creates_entries_for_review_and_publishes_none(county_a):
    before = Resource.objects.count()
    job = upload(
        county_a, [place(), work(), policy(), work(title="导入测试未完成作品", authors="")]
    )
    assert (job.status, job.to_create, job.error_count) == ("validated", 4, 0), job.errors
    assert Resource.objects.count() == before  # a dry run writes nothing
    response = county_a.post(reverse("core:import_job_confirm", args=[job.pk]))
    assert response.status_code == 302 and response.url == reverse("resources:resource_list")
    imported = Resource.objects.filter(title__startswith="导入测试").order_by("pk")
    assert imported.count() == 4 == Resource.objects.count() - before
    assert not imported.filter(status=ResourceStatus.PUBLISHED).exists()
    assert set(imported.values_list("status", flat=True)) == {ResourceStatus.DRAFT}
    versions = {
        v.resource.title: v.status
        for v in ResourceVersion.objects.filter(resource__in=imported).select_related("resource")
    }
    assert versions == {
        "导入测试青少年科技馆": VersionStatus.SUBMITTED,
        "导入测试地震避险动画": VersionStatus.SUBMITTED,
        "导入测试科普工作实施意见": VersionStatus.SUBMITTED,
        "导入测试未完成作品": VersionStatus.DRAFT,  # authors missing: stays a draft
    }
    venue, video, document = imported[0], imported[1], imported[2]
    assert (venue.resource_type, venue.place_kind, venue.capacity) == (
        ResourceType.PLACE,
        "sciencemuseum",
        800,
    )
    assert str(venue.latitude) == "30.651600" and venue.organization.name == "锦江区科学技术协会"
    assert venue.codes("group") == ["general", "youth"] and venue.codes("topic") == ["space"]
    assert video.is_emergency and video.codes("hazard") == ["earthquake"]
    assert (video.work_kind, video.published_on, video.duration_minutes) == (
        "video",
        datetime.date(2024, 5, 12),
        10,
    )
    assert document.issued_on == datetime.date(2024, 3, 1)
    assert document.doc_number == "锦府办发〔2024〕12号"
    assert venue.created_by.username == "demo-county-a"
    summary = AuditEntry.objects.get(action="resources.resource.imported")
    assert summary.detail == {"created": 4, "submitted": 3, "drafts": 1}
    assert (
        AuditEntry.objects.filter(
            action="resources.resource.created", object_id__in=[str(r.pk) for r in imported]
        ).count()
        == 4
    )
    assert AuditEntry.objects.filter(
        action="resources.resource.submitted", object_id=str(venue.pk)
    ).exists()
    # The same file again is refused: the entries are already in the catalog.
    again = upload(county_a, [place()])
    assert again.status == "invalid" and again.errors[0]["column"] == header("title")


def test_bad_rows_are_each_reported_and_nothing_is_written(county_a):
    before = Resource.objects.count()
    rows = [
        place(),
        work(resource_type="火箭"),  # row 3
        policy(),
        place(title="导入测试第二馆", region="999999", groups="", latitude="北纬30度"),  # row 5
        work(title="导入测试应急作品", hazards="", kind="电影"),  # row 6
    ]
    job = upload(county_a, rows)
    assert job.status == "invalid" and Resource.objects.count() == before
    problems = {(e["row"], e["column"]) for e in job.errors}
    assert problems == {
        (3, header("resource_type")),
        (5, header("region")),
        (5, header("groups")),
        (5, header("latitude")),
        (6, header("kind")),
    }
    assert all(e["message"] for e in job.errors)
    page = county_a.get(reverse("core:import_job", args=[job.pk]))
    assert page.status_code == 200 and "火箭" in page.content.decode()
    response = county_a.post(reverse("core:import_job_confirm", args=[job.pk]))
    assert response.status_code == 302 and Resource.objects.count() == before
    # With the kind fixed, row 6 still needs its hazards (the service's content check).
    job = upload(county_a, [work(title="导入测试应急作品", hazards="")])
    assert {(e["row"], e["column"]) for e in job.errors} == {(2, header("hazards"))}


def test_rows_outside_the_importers_scope_are_refused(county_a):
    rows = [
        place(organization="涪城区科学技术协会", region="510703"),
        place(title="导入测试越界", region="510703", organization=""),
        work(organization="没有这个单位"),
    ]
    job = upload(county_a, rows)
    assert job.status == "invalid"
    assert {e["row"] for e in job.errors} == {2, 3, 4}
    assert {e["column"] for e in job.errors if e["row"] == 4} == {header("organization")}


def test_a_file_repeating_an_entry_is_refused(county_a):
    job = upload(county_a, [place(), work(), place()])
    assert [(e["row"], e["column"]) for e in job.errors] == [(4, header("title"))]


def test_member_units_import_for_their_own_unit_only(as_persona, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    member = as_persona("member")
    job = upload(member, [place(organization="锦江区科学技术协会")])
    assert job.status == "invalid"
    assert [e["column"] for e in job.errors] == [header("organization")]
    job = upload(member, [place(organization="", region="51"), work(organization="四川省教育厅")])
    assert job.status == "validated", job.errors
    response = member.post(reverse("core:import_job_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "imported", (response.status_code, job.errors)
    owners = set(
        Resource.objects.filter(title__startswith="导入测试").values_list(
            "organization__name", flat=True
        )
    )
    assert owners == {"四川省教育厅"}


def test_only_those_who_may_apply_can_import(as_persona):
    assert as_persona("auditor").get(reverse("core:import_start", args=[SPEC])).status_code == 403
    assert as_persona("county_a").get(reverse("core:import_start", args=[SPEC])).status_code == 200


def test_an_existing_entry_of_another_owner_does_not_block(county_a):
    make_resource(title="导入测试青少年科技馆", organization="锦江区教育局")
    job = upload(county_a, [place()])
    assert job.status == "validated", job.errors


def test_an_individual_imports_in_their_own_name(as_persona, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    volunteer = as_persona("volunteer")
    job = upload(volunteer, [work(organization="锦江区科学技术协会")])
    assert [e["column"] for e in job.errors] == [header("organization")]
    job = upload(volunteer, [work(organization="")])
    assert job.status == "validated", job.errors
    volunteer.post(reverse("core:import_job_confirm", args=[job.pk]))
    entry = Resource.objects.get(title="导入测试地震避险动画")
    assert entry.organization is None and entry.created_by.username == "demo-volunteer"
    assert entry.open_version().status == VersionStatus.SUBMITTED
