"""The volunteer service counters stay equal to the raw rows whatever the services do."""

import contextlib
import datetime
import random

import pytest
from django.utils import timezone

from kepu.core import periods, rollups
from kepu.core.errors import DomainError, StateConflict
from kepu.volunteering import choices as c
from kepu.volunteering import rollups as counters
from kepu.volunteering import services, stats
from kepu.volunteering.models import HourEntry, ServiceOrder
from kepu.volunteering.tests.helpers import (
    make_order,
    make_team,
    make_volunteer,
    officer,
    org,
    region,
)

pytestmark = pytest.mark.django_db
S = c.OrderStatus
METRICS = (
    counters.ORDERS,
    counters.ORDER_FIGURES,
    counters.ORDER_FIGURES_COUNTY,
    counters.ORDER_KINDS_COUNTY,
    counters.HOURS,
    counters.HOURS_COUNTY,
    counters.LEDGER,
    counters.ACTIVE,
)


def _random_step(rng, order, team, people):
    """One service call on `order` chosen at random among those its state allows."""
    order.refresh_from_db()
    status = order.status
    now = timezone.now()
    choices = []
    if status == S.SUBMITTED:
        choices += [
            lambda: services.dispatch(order, actor=officer(), team=team),
            lambda: services.dispatch(order, actor=officer(), department=org("四川省教育厅")),
            lambda: services.reject(order, actor=officer(), reason="不在服务范围"),
        ]
    if status == S.DISPATCHED:
        choices.append(lambda: services.claim(order, actor=None, team=team))
    if status == S.AWAITING_TEAM:
        picked = rng.sample(people, rng.randint(1, len(people)))
        choices.append(lambda: services.accept(order, actor=None, volunteers=picked))
    if status in (S.DISPATCHED, S.AWAITING_TEAM, S.ACCEPTED):
        choices.append(lambda: services.return_order(order, actor=officer(), reason="再派"))
    if status in (S.SUBMITTED, S.DISPATCHED, S.AWAITING_TEAM, S.ACCEPTED):
        choices.append(lambda: services.cancel_order(order, reason="不需要了"))
    if status in (S.ACCEPTED, S.IN_SERVICE):
        for a in order.assignments.all():
            if not a.checked_in_at:
                start = now - datetime.timedelta(days=rng.randint(0, 90), hours=rng.randint(3, 9))
                choices.append(lambda a=a, start=start: services.check_in(a, actor=None, at=start))
            elif not a.checked_out_at:
                end = a.checked_in_at + datetime.timedelta(minutes=rng.randint(30, 150))
                choices.append(lambda a=a, end=end: services.check_out(a, actor=None, at=end))
        choices.append(lambda: services.complete(order, actor=None))
    if status == S.SERVED:
        choices += [
            lambda: services.rate(order, rating=rng.randint(1, 5)),
            lambda: services.close(order, actor=officer()),
        ]
    if not choices:
        return
    with contextlib.suppress(DomainError, StateConflict):  # a refused step changes nothing
        rng.choice(choices)()


def test_counters_reconcile_after_random_service_calls():
    rng = random.Random(16)
    people = [make_volunteer(name=f"随机{i}") for i in range(4)]
    team = make_team(leader=people[0], members=people)
    orders = [make_order(category=rng.choice(["health", "ecology"])) for _i in range(6)]
    for _step in range(60):
        _random_step(rng, rng.choice(orders), team, people)
    # Manual entries, approved and rejected, some in the same month as the services.
    for i in range(6):
        end = timezone.now() - datetime.timedelta(days=rng.randint(1, 60), hours=i)
        try:
            entry = services.add_manual_entry(
                actor=None,
                person=rng.choice(people),
                team=team,
                started_at=end - datetime.timedelta(hours=1),
                ended_at=end,
                description="手工登记",
            )
        except DomainError:
            continue
        if i % 3:
            services.decide_entry(entry, actor=None, approve=i % 3 == 1, reason="重复登记")
    assert set(ServiceOrder.objects.values_list("status", flat=True)) - {S.SUBMITTED}
    assert HourEntry.objects.filter(status=c.HourStatus.APPROVED).exists()
    for name in METRICS:
        assert rollups.reconcile(name, fix=False) == [], name
    _figures_equal_the_rows()


def _figures_equal_the_rows():
    """The tabs, ledger totals and approval count read from the counters equal the rows."""
    from django.db.models import Count

    from kepu.core import scope
    from kepu.core.models import User
    from kepu.volunteering import figures
    from kepu.volunteering.permissions import orders_for_user

    for username in ("demo-county-a", "demo-city", "demo-province", "demo-volunteer"):
        user = User.objects.get(username=username)
        orders = orders_for_user(user)
        counted = figures.order_status_counts(user, {}, None, orders)
        if counted is not None:
            raw = dict(orders.order_by().values_list("status").annotate(n=Count("pk")))
            assert {k: v for k, v in counted.items() if v} == raw, username
        entries = scope.visible_to(user, HourEntry, public=False)
        for status in ("", c.HourStatus.APPROVED, c.HourStatus.PENDING):
            data = {"status": status}
            shown = entries.filter(status=status) if status else entries
            totals = figures.hour_totals(user, data, shown)
            raw = figures._raw_totals(shown)
            for key in ("approved", "pending"):
                if status and status != key:
                    continue
                assert totals[key]["entries"] == raw[key]["entries"], (username, key)
                assert (totals[key]["hours"] or 0) == (raw[key]["hours"] or 0), (username, key)
            if status != c.HourStatus.PENDING:
                assert totals["approved"]["people"] == raw["approved"]["people"], username
        if scope.has_permission(user, "volunteering.hourentry.approve"):
            actionable = scope.actionable(user, HourEntry, "approve").filter(
                status=c.HourStatus.PENDING
            )
            assert figures.awaiting_approval(user) == (actionable.count(), False), username


def test_the_bulletin_from_counters_equals_the_raw_bulletin():
    people = [make_volunteer(name=f"通报{i}") for i in range(3)]
    team = make_team(leader=people[0], members=people)
    for i in range(3):
        order = make_order(days=0)
        order = services.dispatch(order, actor=officer(), team=team)
        order = services.accept(order, actor=None, volunteers=people[: i + 1])
        start = timezone.now() - datetime.timedelta(hours=5 + 3 * i)
        for a in order.assignments.all():
            services.check_in(a, actor=None, at=start)
            services.check_out(a, actor=None, at=start + datetime.timedelta(hours=2))
        order.refresh_from_db()
        order = services.complete(order, actor=None)
        if i:
            services.rate(order, rating=4 + i % 2)
    make_order(days=2, category="ecology")
    period = periods.period_containing(timezone.localdate(), periods.QUARTER)
    for code in ("51", "5101", "510104"):
        fast = stats.compute(region(code), period)
        slow = stats.compute(region(code), period, raw=True)
        assert fast.total == slow.total, code
        assert fast.direct == slow.direct, code
        assert fast.rows == slow.rows, code
        assert fast.categories == slow.categories and fast.groups == slow.groups
