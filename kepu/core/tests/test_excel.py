"""The Excel framework through the organization import and export."""

import io

import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile

from kepu.core.organizations_io import organization_columns


def workbook(rows, headers=None, name="orgs.xlsx") -> SimpleUploadedFile:
    """An upload made like a user's file: the template's header row, then `rows`."""
    headers = headers or [c.header for c in organization_columns()]
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet()
    for c, title in enumerate(headers):
        sheet.write_string(0, c, title)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value not in ("", None):
                sheet.write(r, c, value)
    book.close()
    return SimpleUploadedFile(
        name,
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


# --- the import through the pages -------------------------------------------------------

import pytest  # noqa: E402
from django.urls import reverse  # noqa: E402
from python_calamine import CalamineWorkbook  # noqa: E402

from kepu.core.models import AuditEntry, ImportJob, Organization  # noqa: E402
from kepu.core.validators import credit_code_check_char  # noqa: E402

pytestmark = pytest.mark.django_db


def code(n: int) -> str:
    body = f"5251010400{n:07d}"
    return body + credit_code_check_char(body)


@pytest.fixture
def county_a(as_persona, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return as_persona("county_a")


def upload(client, rows, **kwargs):
    response = client.post(
        reverse("core:import_start", args=["core.organization"]), {"file": workbook(rows, **kwargs)}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return ImportJob.objects.get(pk=response.url.rstrip("/").split("/")[-1])


def test_template_has_the_columns_and_an_explanation(county_a):
    response = county_a.get(reverse("core:import_template", args=["core.organization"]))
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    header = book.get_sheet_by_index(0).to_python()[0]
    assert header[:3] == ["名称", "简称", "单位类型"]
    assert book.sheet_names[1] == "填写说明"


def test_dry_run_reports_every_bad_row_and_writes_nothing(county_a):
    before = Organization.objects.count()
    job = upload(
        county_a,
        [
            ["锦江区好单位", "", "学校", "", code(1), "510104"],
            ["", "", "学校", "", "", "510104"],  # row 3: no name
            ["越权单位", "", "学校", "", "", "510703"],  # row 4: region outside scope
            ["类型错误单位", "", "火箭", "", "", "510104"],  # row 5: unknown type
            ["校验位错误", "", "学校", "", code(2)[:-1] + "0", "510104"],  # row 6: check digit
            ["重复代码", "", "学校", "", code(1), "510104"],  # row 7: same code as row 2
            ["无上级", "", "学校", "", "", "510104", code(9)],  # row 8: unknown parent
        ],
    )
    assert job.status == "invalid" and Organization.objects.count() == before
    problems = {(e["row"], e["column"]) for e in job.errors}
    assert {
        (3, "名称"),
        (4, "行政区划代码"),
        (5, "单位类型"),
        (7, "统一社会信用代码"),
        (8, "上级单位统一社会信用代码"),
    } <= problems
    assert any(e["row"] == 6 and e["column"] == "统一社会信用代码" for e in job.errors)
    page = county_a.get(reverse("core:import_job", args=[job.pk])).content.decode()
    assert "未导入任何数据" in page
    report = county_a.get(reverse("core:import_job_errors", args=[job.pk]))
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(b"".join(report.streaming_content)))
        .get_sheet_by_index(0)
        .to_python()
    )
    assert rows[0] == ["行号", "列", "问题说明"] and len(rows) == len(job.errors) + 1
    confirm = county_a.post(reverse("core:import_job_confirm", args=[job.pk]))
    assert confirm.status_code == 302 and Organization.objects.count() == before


def test_confirm_imports_everything_and_reimport_updates(county_a):
    rows = [
        ["锦江区导入一号", "一号", "科学技术协会（科协）", "", code(11), "510104"],
        ["锦江区导入二号", "", "school", "", code(12), "510104017", code(11)],
        ["锦江区无代码单位", "", "企业", "", "", "510104"],
    ]
    job = upload(county_a, rows)
    assert (job.status, job.to_create, job.to_update) == ("validated", 3, 0)
    assert not Organization.objects.filter(name="锦江区导入一号").exists()  # a dry run
    response = county_a.post(reverse("core:import_job_confirm", args=[job.pk]))
    assert response.status_code == 302
    second = Organization.objects.get(credit_code=code(12))
    assert second.parent.credit_code == code(11) and second.region.code == "510104017"
    assert AuditEntry.objects.filter(
        action="core.organization.created", object_id=str(second.pk)
    ).exists()
    total = Organization.objects.count()

    rows[0][1] = "新简称"
    again = upload(county_a, rows[:2])
    assert (again.to_create, again.to_update) == (0, 2)
    county_a.post(reverse("core:import_job_confirm", args=[again.pk]))
    assert Organization.objects.count() == total
    assert Organization.objects.get(credit_code=code(11)).short_name == "新简称"
    # A job is applied once.
    county_a.post(reverse("core:import_job_confirm", args=[again.pk]))
    assert Organization.objects.count() == total


def test_wrong_file_and_wrong_header(county_a):
    bad = SimpleUploadedFile("x.xlsx", b"not a workbook")
    response = county_a.post(
        reverse("core:import_start", args=["core.organization"]), {"file": bad}
    )
    job = ImportJob.objects.get(pk=response.url.rstrip("/").split("/")[-1])
    assert job.status == "invalid" and "无法" in job.errors[0]["message"]
    job = upload(county_a, [["x"]], headers=["Name"])
    assert job.errors[0]["row"] == 1 and "名称" in job.errors[0]["message"]
    txt = SimpleUploadedFile("x.csv", b"a,b")
    page = county_a.post(reverse("core:import_start", args=["core.organization"]), {"file": txt})
    assert page.status_code == 200 and ".xlsx" in page.content.decode()


def test_import_rechecks_at_confirm(county_a, demo_orgs):
    job = upload(county_a, [["后来冲突", "", "学校", "", code(21), "510104"]])
    Organization.objects.create(
        name="抢先登记", org_type="school", region=demo_orgs["b"].region, credit_code=code(21)
    )
    county_a.post(reverse("core:import_job_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "invalid" and not Organization.objects.filter(name="后来冲突").exists()
