"""The funded projects' counters stay equal to the rows: after a random sequence of
service calls both metrics reconcile with no drift."""

import datetime
import random

import pytest

from kepu.core import clock, rollups
from kepu.core.errors import DomainError
from kepu.selections import choices as c
from kepu.selections.rollups import PROJECT_MONEY, PROJECTS
from kepu.selections.services import projects as services
from kepu.selections.tests.helpers_projects import GOOD, MEMBER_UNIT, UNIT_A, UNIT_B, make_project

pytestmark = pytest.mark.django_db


def test_counters_reconcile_after_random_service_calls():
    rollups.rebuild(PROJECTS)
    rollups.rebuild(PROJECT_MONEY)
    rng = random.Random(24)
    units = [UNIT_A, UNIT_B, MEMBER_UNIT]
    projects = [make_project(org=rng.choice(units), year=2025 + i % 2) for i in range(4)]
    today = clock.today()
    for _step in range(40):
        project = rng.choice(projects)
        project.refresh_from_db()
        action = rng.choice(["new", "change", "contract", "pay", "submit", "accept", "stop"])
        try:
            if action == "new":
                projects.append(make_project(org=rng.choice(units), mode=c.FundingMode.AFTER))
            elif action == "change":
                services.change_project(
                    project, actor=None, approved_amount=rng.randint(50, 99) * 1000
                )
            elif action == "contract":
                services.sign_contract(project, actor=None, number="HT", signed_on=today)
            elif action == "pay":
                services.record_disbursement(project, actor=None, amount=rng.randint(1, 20) * 1000)
            elif action == "submit":
                services.submit_for_acceptance(project, actor=None)
            elif action == "accept":
                services.record_check(
                    project, actor=None, kind="acceptance", values=GOOD, result="passed"
                )
            else:
                services.terminate_project(project, actor=None, reason="测试")
        except DomainError:
            pass  # refusals (wrong state, over the amount) write nothing
    assert rollups.reconcile(PROJECTS, fix=False) == []
    assert rollups.reconcile(PROJECT_MONEY, fix=False) == []
    assert rollups.total(PROJECTS, None, datetime.date(2000, 1, 1)) == len(projects)
