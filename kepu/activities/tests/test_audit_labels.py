"""Every audit action code the app records has a readable label, in the past tense."""

import re
from pathlib import Path

from kepu.activities import services
from kepu.activities.models import Activity, ActivityReport, Campaign, MobileFacility, SignUp
from kepu.core.audit import ACTION_LABELS

APP = Path(__file__).resolve().parent.parent


def recorded_codes() -> set[str]:
    codes = set()
    for path in APP.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text()
        codes |= set(re.findall(r'audit\.record\(\s*"(activities\.[a-z_.]+)"', text))
        codes |= set(re.findall(r'action="(activities\.[a-z_.]+)"', text))
    # audit.created(obj) and the review decisions (f"activities.activity.{decision}").
    for model in (Campaign, MobileFacility, Activity, SignUp, ActivityReport):
        codes.add(f"activities.{model._meta.model_name}.created")
    codes |= {f"activities.activity.{d}" for d in services.DECISIONS.values()}
    return codes


def test_every_action_code_has_a_label_and_one_tense():
    codes = recorded_codes()
    assert "activities.signup.checked_in" in codes and "activities.stats.exported" in codes
    assert codes - set(ACTION_LABELS) == set()
    assert [c for c in codes if not c.rsplit(".", 1)[1].split("_")[0].endswith("ed")] == []
