"""Objects for the plan tests, made through the services."""

import datetime
import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kepu.core.models import Organization, Region
from kepu.plans import services
from kepu.plans.models import Plan

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def region(code):
    return Region.objects.get(code=code)


def org(name):
    return Organization.objects.get(name=name)


def pdf_upload(name="佐证材料.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def make_plan(
    *,
    code="51",
    title="四川省科普工作要点",
    lead="四川省教育厅",
    responsible=("四川省科学技术协会",),
    start=None,
    end=None,
    publish=True,
    today=None,
    **fields,
) -> Plan:
    """A plan for region `code` with one task (lead and responsible units by name),
    published (its reports opened up to `today`) unless `publish` is False."""
    today = today or timezone.localdate()
    start = start or datetime.date(today.year, 1, 1)
    end = end or datetime.date(today.year, 12, 31)
    plan = services.create_plan(
        actor=None,
        title=title,
        issuer=fields.pop("issuer", "四川省科学技术协会"),
        region=region(code),
        period_start=start,
        period_end=end,
        **fields,
    )
    section = services.add_section(plan, actor=None, number="一", title="重点任务")
    services.create_task(
        plan,
        actor=None,
        section=section,
        number="1",
        title="实施青少年科学素质提升行动",
        lead_unit=org(lead),
        responsible_units=[org(n) for n in responsible],
        deadline=end,
    )
    if publish:
        services.publish_plan(plan, actor=None, today=today)
    plan.refresh_from_db()
    return plan


def make_target(plan, **fields):
    values = {
        "name": "专职科普人员新增",
        "unit": "人",
        "region": plan.region,
        "source": "measured",
        "indicator": "people.fulltime_added",
        "baseline_date": plan.period_start,
        "baseline_value": 0,
        "target_value": 300,
        "deadline": plan.period_end,
    }
    values.update(fields)
    return services.create_target(plan, actor=None, **values)
