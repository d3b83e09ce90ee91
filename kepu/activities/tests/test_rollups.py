"""The activity counters (`kepu.activities.rollups`) stay equal to their raw definitions
through any sequence of service calls, and the statistics read from them match the
statistics counted from the rows."""

import datetime
import random

import pytest
from django.utils import timezone

from kepu.activities import rollups as counters
from kepu.activities import services, stats
from kepu.activities.models import Activity, SignUp
from kepu.activities.tests.helpers import org, region
from kepu.core import clock, periods, rollups
from kepu.core.errors import DomainError, StateConflict
from kepu.core.models import Region, User

pytestmark = pytest.mark.django_db

PLACES = [("510104", "锦江区科学技术协会"), ("510703", "涪城区科学技术协会")]
GROUPS = ["youth", "general", "elderly"]
TOPICS = ["earthquake", "ai", "health"]


def _create(rng, now):
    code, organizer = rng.choice(PLACES)
    start = now + datetime.timedelta(days=rng.randint(1, 40), hours=rng.randint(0, 12))
    capacity = rng.choice([None, 1, 2])
    return services.create_activity(
        actor=None,
        title=f"随机活动{rng.randint(1, 999)}",
        organization=org(organizer),
        kind="lecture",
        region=region(code),
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=rng.choice([2, 30, 24 * 40])),
        capacity=capacity,
        signup_required=capacity is not None,
        groups=rng.sample(GROUPS, rng.randint(1, 2)),
        topics=rng.sample(TOPICS, rng.randint(0, 2)),
    )


def _step(rng, now):
    activities = list(Activity.objects.filter(title__startswith="随机活动").order_by("pk"))
    if not activities or rng.random() < 0.2:
        return _create(rng, now)
    activity = rng.choice(activities)
    action = rng.choice(
        ["submit", "approve", "return", "reject", "cancel", "update", "report", "signup", "unsign"]
    )
    if action == "submit":
        services.submit_activity(activity, actor=None)
    elif action in ("approve", "return", "reject"):
        services.review_activity(activity, actor=None, step=action, reason="理由充分")
    elif action == "cancel":
        services.cancel_activity(activity, actor=None, reason="天气原因")
    elif action == "update":
        code, organizer = rng.choice(PLACES)
        shift = datetime.timedelta(days=rng.randint(-5, 40))
        services.update_activity(
            activity,
            actor=None,
            region=region(code),
            organization=org(organizer),
            starts_at=activity.starts_at + shift,
            ends_at=activity.ends_at + shift,
            groups=rng.sample(GROUPS, 1),
        )
    elif action == "report":
        with clock.frozen(activity.ends_at + datetime.timedelta(days=rng.choice([1, 20]))):
            services.file_report(
                activity,
                actor=None,
                onsite_attendance=rng.randint(0, 90),
                online_views=rng.randint(0, 500),
                summary="顺利举办",
            )
    elif action == "signup":
        services.sign_up(
            activity, name="张三", phone=f"1380000{rng.randint(1000, 1009)}", key_group="general"
        )
    else:
        signup = SignUp.objects.filter(activity=activity).live().first()
        if signup is not None:
            services.cancel_signup(signup)
    return activity


def test_the_counters_match_the_rows_after_random_service_calls():
    rng = random.Random(16)
    now = timezone.now()
    done = 0
    for _i in range(90):
        try:
            _step(rng, now)
            done += 1
        except (DomainError, StateConflict):
            pass  # a refused call changes nothing, and so no counter
    assert done > 30
    mine = Activity.objects.filter(title__startswith="随机活动")
    # Whatever the draw, the sequence ends with a report, a sign-up and its cancellation.
    start = now + datetime.timedelta(days=3)
    last = services.create_activity(
        actor=None,
        title="随机活动终",
        organization=org("锦江区科学技术协会"),
        kind="lecture",
        region=region("510104"),
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        capacity=1,
        signup_required=True,
        groups=["youth"],
        topics=["ai"],
    )
    services.submit_activity(last, actor=None)
    services.review_activity(last, actor=None, step="approve")
    signup, _created = services.sign_up(last, name="李四", phone="13900001111", key_group="general")
    services.cancel_signup(signup)
    with clock.frozen(last.ends_at + datetime.timedelta(days=30)):
        services.file_report(last, actor=None, onsite_attendance=9, online_views=3, summary="好")
        services.cancel_activity(last, actor=None, reason="补记撤销")
    assert mine.filter(status="cancelled").exists() and mine.filter(status="rejected").exists()
    assert mine.filter(report__isnull=False).exists()
    assert SignUp.objects.filter(activity__in=mine, status="cancelled").exists()
    for name in counters.METRICS:
        assert rollups.reconcile(name, fix=False) == [], name


def test_statistics_from_the_counters_equal_the_counted_rows(monkeypatch):
    rng = random.Random(7)
    past = timezone.now() - datetime.timedelta(days=45)
    for i in range(50):
        try:
            with clock.frozen(past + datetime.timedelta(hours=i)):
                _step(rng, past)
        except (DomainError, StateConflict):
            pass
    user = User.objects.get(username="demo-province")
    this_year = periods.year_period(timezone.localdate().year)
    for code in ("51", "5101"):
        focus = Region.objects.get(code=code)
        assert stats._from_counters(user, focus, None)
        for period in (None, this_year):
            counted = _everything(user, focus, period)
            monkeypatch.setattr(stats, "_from_counters", lambda *args: False)
            raw = _everything(user, focus, period)
            monkeypatch.undo()
            assert counted == raw, (code, period)


def _everything(user, focus, period):
    rows, total = stats.by_region(user, focus, period=period)
    return {
        "rows": [(region.code, {k: v for k, v in f.items() if k != "total"}) for region, f in rows],
        "total": {k: v for k, v in total.items() if k != "total"},
        "tags": {
            kind: sorted((t["code"], t["n"], t["onsite"], t["online"]) for t in tags)
            for kind, tags in stats.by_tags(user, focus, period=period).items()
        },
        "organizers": stats.by_organizer(user, focus, period=period),
        "statuses": stats.by_status(user, focus, period=period),
    }
