"""The annual report's headings say what they hold: the statistics form (统计数据, not the
discipline 统计学) and the problems found (存在问题, not a count of problems 问题数)."""

import pytest
from django.urls import reverse
from django.utils.translation import pgettext

from kepu.bases.models import AnnualReport
from kepu.bases.tests.annual_helpers import STATS, member_unit_base

pytestmark = pytest.mark.django_db


def test_the_report_headings_are_those_of_an_annual_report(as_persona):
    base = member_unit_base("省教育厅措辞基地")
    member = as_persona("member")
    member.post(reverse("bases:report_start", args=[base.pk]), {"year": 2025})
    report = AnnualReport.objects.get(base=base, year=2025)
    form = member.get(reverse("bases:report_edit", args=[report.pk])).content.decode()
    assert pgettext("annual report", "Statistics") in form and "统计学" not in form
    data = {**STATS, "problems": "展品更新资金不足"}
    member.post(reverse("bases:report_edit", args=[report.pk]), data)
    detail = member.get(reverse("bases:report_detail", args=[report.pk])).content.decode()
    assert "展品更新资金不足" in detail
    assert pgettext("annual report", "Problems") in detail and "问题数" not in detail
