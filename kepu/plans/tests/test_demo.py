"""The demo plans: the Qingyuan division-of-work table row for row against the annex of
seed 001, and the Sichuan talent plan's targets measured live."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.db.models import Sum

from kepu.plans import demo
from kepu.plans.models import Plan, Target

pytestmark = pytest.mark.django_db

# The annex of seed 001 (工作分工表), transcribed by hand: number, task, lead unit,
# responsible units in the order listed.
QINGYUAN_TABLE = [
    (
        "1",
        "实施青少年科学素质提升行动。",
        "市教育局",
        "市委宣传部、市委网信办、市科技局、市人力资源社会保障局、市卫生健康局、团市委、市科协",
    ),
    (
        "2",
        "实施农民科学素质提升行动。",
        "市农业农村局",
        "市委组织部、市委宣传部、市教育局、市科技局、市妇联、市科协",
    ),
    (
        "3",
        "实施产业工人科学素质提升行动。",
        "市总工会",
        "市教育局、市科技局、市人力资源社会保障局、市市场监管局、团市委、市妇联、市科协",
    ),
    (
        "4",
        "实施老年人科学素质提升行动。",
        "市卫生健康局",
        "市委宣传部、市委网信办、市委老干部局、市民政局、市文化广电旅游体育局、市市场监管局、市科协",
    ),
    (
        "5",
        "实施领导干部和公务员科学素质提升行动。",
        "市委组织部",
        "市人力资源社会保障局、市科技局、市科协",
    ),
    (
        "6",
        "实施科普基础设施建设工程。",
        "市科协",
        "市委宣传部、市发展改革局、市教育局、市科技局、市自然资源局、市生态环境局、"
        "市住房城乡建设局、市文化广电旅游体育局、市林业局",
    ),
    (
        "7",
        "实施基层科普公共服务能力提升工程。",
        "市科协",
        "市委组织部、市委宣传部、市精神文明办、市民族宗教事务局、市民政局、市应急管理局、团市委、"
        "市气象局、市消防救援支队",
    ),
    (
        "8",
        "实施科普人才队伍建设工程。",
        "市科协",
        "市人力资源社会保障局、市教育局、市文化广电旅游体育局、市科技局、市卫生健康局、市总工会、"
        "团市委、市气象局、市城市管理综合执法局、市精神文明办、市妇联",
    ),
    (
        "9",
        "实施科技资源科普化工程。",
        "市科技局",
        "市教育局、市文化广电旅游体育局、市人力资源社会保障局、市科协",
    ),
    ("10", "实施科学素质跨区域交流与合作工程。", "市科协", "市委外办、市教育局、市科技局、团市委"),
]

SEED = Path("/work/shared/seeds/001_1ebe94789f387882.txt")


@pytest.fixture(scope="module")
def demo_plans(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        demo.load_demo(300)
        yield
        from kepu.plans.models import AssessmentRound
        from kepu.rubrics.models import Rubric

        AssessmentRound.objects.all().delete()  # they hold their plan and rubric (PROTECT)
        Rubric.objects.filter(purpose="assessment").delete()
        Plan.objects.all().delete()


def test_annex_copy_is_verbatim_from_the_seed():
    if not SEED.exists():
        pytest.skip("the seed documents are not on this machine")
    copy = demo.ANNEX.read_text(encoding="utf-8").splitlines()
    body = [line for line in copy if not line.startswith("#")]
    seed = SEED.read_text(encoding="utf-8").splitlines()
    assert body == seed[240:339]


def test_the_parsed_annex_is_the_table():
    rows = demo.parse_annex(demo.ANNEX.read_text(encoding="utf-8"))
    parsed = [
        (
            r["number"],
            demo.ANNEX_CORRECTIONS.get(r["title"], r["title"]),
            r["lead"],
            "、".join(r["responsible"]),
        )
        for r in rows
    ]
    assert parsed == QINGYUAN_TABLE
    assert [r["section"] for r in rows] == ["提升行动"] * 5 + ["重点工程"] * 5


def test_qingyuan_plan_matches_the_annex_row_for_row(demo_plans):
    plan = Plan.objects.get(region__code="4418")
    tasks = (
        plan.tasks.filter(parent=None).order_by("position").prefetch_related("units__organization")
    )
    table = [
        (
            t.number,
            t.title,
            t.lead_unit().short_name,
            "、".join(u.short_name for u in t.responsible_units()),
        )
        for t in tasks
    ]
    assert table == QINGYUAN_TABLE
    assert [str(t.section) for t in tasks] == ["三、提升行动"] * 5 + ["四、重点工程"] * 5
    assert tasks[0].lead_unit().name == "清远市教育局"


def test_qingyuan_targets(demo_plans):
    plan = Plan.objects.get(region__code="4418")
    targets = {t.name: t for t in plan.targets.all()}
    literacy = targets["公民具备科学素质的比例"]
    assert (literacy.baseline_value, literacy.target_value, literacy.unit) == (
        Decimal("9.8"),
        Decimal("16"),
        "%",
    )
    assert targets["国家级科普教育基地"].target_value == 1
    assert targets["省级科普教育基地"].target_value == 50
    assert targets["科普小镇"].target_value == 1
    assert targets["2025年培训科技辅导员"].target_value == 200
    assert not literacy.additive


def test_sichuan_talent_targets_are_measured_and_add_up(demo_plans):
    plan = Plan.objects.get(issuer="四川省科学技术厅")
    targets = {t.name: t for t in plan.targets.filter(parent=None)}
    assert {n: int(t.target_value) for n, t in targets.items()} == {
        "专职科普人员新增": 300,
        "兼职科普人员新增": 5000,
        "科普志愿者新增": 1000,
        "评选天府科普使者": 1000,
    }
    for t in targets.values():
        assert t.source == "measured"
        assert t.baseline_date == datetime.date(2023, 12, 20)
        assert t.deadline == datetime.date(2025, 12, 31)
    full_time = targets["专职科普人员新增"]
    assert full_time.parts.count() == 21
    assert full_time.parts.aggregate(s=Sum("target_value"))["s"] == 300
    assert Target.objects.filter(parent=targets["评选天府科普使者"]).count() == 0


def test_the_demo_holds_the_invariants(demo_plans):
    from kepu.core import invariants

    assert "report_status_matches_its_times" in invariants.registered()["plans"]
    assert invariants.check(["plans"]) == []


def test_the_invariants_name_a_broken_row(demo_plans):
    from kepu.core import invariants
    from kepu.plans.models import ProgressReport

    report = ProgressReport.objects.filter(status="accepted").first()
    ProgressReport.objects.filter(pk=report.pk).update(reviewed_at=None)
    try:
        problems = invariants.check(["plans"])
    finally:
        ProgressReport.objects.filter(pk=report.pk).update(reviewed_at=report.reviewed_at)
    assert problems == [
        f"plans.report_status_matches_its_times: progressreport {report.pk}: "
        "reviewed without a review time after its submission"
    ]


def test_every_plans_action_code_of_the_demo_has_a_label(demo_plans):
    from kepu.core.audit import ACTION_LABELS
    from kepu.core.models import AuditEntry

    codes = set(
        AuditEntry.objects.filter(action__startswith="plans.").values_list("action", flat=True)
    )
    assert codes and not codes - set(ACTION_LABELS)
