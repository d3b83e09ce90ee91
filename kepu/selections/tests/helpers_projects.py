"""Funded projects for the tests, in the state asked for, made through the projects
services (the call and entry of a funded-project call are written directly: the calls
and results slices' services make them in the real flow)."""

import datetime
from decimal import Decimal

from kepu.core import clock
from kepu.core.models import Organization, Region
from kepu.selections import choices as c
from kepu.selections.models import Call, Entry
from kepu.selections.services import projects as services

UNIT_A = "锦江区科学技术协会"
UNIT_B = "涪城区科学技术协会"
MEMBER_UNIT = "四川省教育厅"
GOOD = {"completion": "27", "budget_use": "18", "targets": "26", "beneficiaries": "17"}
POOR = {"completion": "10", "budget_use": "8", "targets": "10", "beneficiaries": "8"}
S = c.ProjectStatus
_serial = [0]


def unit(name=UNIT_A) -> Organization:
    return Organization.objects.get(name=name)


def make_project(
    status=S.APPROVED,
    *,
    org=UNIT_A,
    mode=c.FundingMode.PREFUNDED,
    amount="80000",
    level=c.ProjectLevel.GENERAL,
    year=None,
    starts=None,
    ends=None,
    actor=None,
    title=None,
):
    today = clock.today()
    _serial[0] += 1
    project = services.create_project(
        actor=actor,
        organization=unit(org),
        title=title or f"测试科普专项{_serial[0]}",
        year=year or today.year,
        project_type=c.ProjectType.ACTIVITY,
        level=level,
        funding_mode=mode,
        approved_amount=Decimal(amount),
        starts_on=starts or today - datetime.timedelta(days=60),
        ends_on=ends or today + datetime.timedelta(days=200),
        summary="测试",
    )
    if status == S.APPROVED:
        return project
    if status == S.TERMINATED:
        return services.terminate_project(project, actor=None, reason="单位放弃")
    project = services.sign_contract(
        project,
        actor=None,
        number=f"HT-{_serial[0]}",
        signed_on=today - datetime.timedelta(days=30),
    )
    if status == S.CONTRACTED:
        return project
    project = services.submit_for_acceptance(project, actor=None)
    if status == S.ACCEPTANCE:
        return project
    result = c.CheckResult.PASSED if status == S.ACCEPTED else c.CheckResult.FAILED
    services.record_check(
        project,
        actor=None,
        kind=c.CheckKind.ACCEPTANCE,
        values=GOOD if status == S.ACCEPTED else POOR,
        result=result,
    )
    project.refresh_from_db()
    return project


def awarded_entry(*, org=UNIT_A, amount="60000", title="社区科普大讲堂"):
    """An awarded entry of a decided funded-project call of 四川省 (written directly)."""
    today = clock.today()
    organization = unit(org)
    call = Call.objects.create(
        title="测试科普专项申报",
        kind=c.CallKind.PROJECT,
        region=Region.objects.get(code="51"),
        year=today.year,
        subject_kind=c.SubjectKind.PROJECT,
        opens_on=today - datetime.timedelta(days=90),
        closes_on=today - datetime.timedelta(days=60),
        status=c.CallStatus.DECIDED,
        rubric=services.acceptance_rubric(),
    )
    return Entry.objects.create(
        call=call,
        subject_kind=c.SubjectKind.PROJECT,
        organization=organization,
        title=title,
        region=organization.region,
        route=c.Route.UNIT,
        summary="面向社区居民的系列科普讲座",
        amount_requested=Decimal(amount),
        status=c.EntryStatus.AWARDED,
    )
