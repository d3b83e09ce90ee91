"""Volunteer service's workbench items (`kepu.core.workbench`): orders waiting for
dispatch, a claim or a team's acceptance, hours awaiting the user's approval, and for a
volunteer their service tasks, hours awaiting approval and new certificates."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kepu.core import clock, scope, workbench
from kepu.people.models import Person
from kepu.volunteering import choices as c
from kepu.volunteering import figures
from kepu.volunteering.models import Assignment, Certificate, HourEntry, ServiceOrder

S = c.OrderStatus
NEW_CERTIFICATE_DAYS = 30

workbench.link("volunteering.serviceorder", "volunteering:order_detail")


def _orders(user, action, status, label, *, overdue_field, icon):
    if not scope.has_permission(user, f"volunteering.serviceorder.{action}"):
        return None
    waiting = scope.actionable(user, ServiceOrder, action).filter(status=status)
    return workbench.todo(
        f"volunteering.orders_{status}",
        label,
        reverse("volunteering:order_list") + f"?status={status}",
        waiting,
        date_field="submitted_at",
        overdue=waiting.filter(**{f"{overdue_field}__lt": clock.now()}),
        icon=icon,
    )


@workbench.register
def orders(user, focus):
    yield _orders(
        user,
        "dispatch",
        S.SUBMITTED,
        _("Service orders to dispatch"),
        overdue_field="dispatch_due",
        icon="send",
    )
    yield _orders(
        user,
        "claim",
        S.DISPATCHED,
        _("Service orders awaiting a department's claim"),
        overdue_field="accept_due",
        icon="clipboard-list",
    )
    yield _orders(
        user,
        "accept",
        S.AWAITING_TEAM,
        _("Service orders awaiting a team's acceptance"),
        overdue_field="accept_due",
        icon="users",
    )


@workbench.register
def hours(user, focus):
    if not scope.has_permission(user, "volunteering.hourentry.approve"):
        return
    n, capped = figures.awaiting_approval(user)
    if not n:
        return
    pending = scope.actionable(user, HourEntry, "approve").filter(status=c.HourStatus.PENDING)
    yield workbench.Item(
        key="volunteering.hours",
        label=_("Service hours to approve"),
        url=reverse("volunteering:hour_list") + "?mine=true",
        count=n,
        capped=capped,
        oldest=workbench.oldest(pending, "created_at"),
        icon="clock",
    )


@workbench.register
def volunteer(user, focus):
    """The volunteer's own: tasks to serve, hours others still have to approve, and
    certificates issued lately."""
    person = Person.objects.filter(user=user).only("pk").first()
    if person is None:
        return
    tasks = Assignment.objects.filter(
        person=person,
        order__status__in=(S.ACCEPTED, S.IN_SERVICE),
        checked_out_at__isnull=True,
    )
    n, capped = workbench.count(tasks)
    if n:
        yield workbench.Item(
            key="volunteering.my_tasks",
            label=_("My service tasks to serve"),
            url=reverse("volunteering:my_tasks"),
            count=n,
            capped=capped,
            icon="map-pin",
        )
    mine = reverse("volunteering:person_hours", args=[person.pk])
    pending = HourEntry.objects.filter(person=person, status=c.HourStatus.PENDING)
    n, capped = workbench.count(pending)
    if n:
        yield workbench.Item(
            key="volunteering.my_hours",
            label=_("My service hours awaiting approval"),
            url=mine,
            count=n,
            capped=capped,
            kind=workbench.REMINDER,
            icon="clock",
        )
    since = timezone.now() - datetime.timedelta(days=NEW_CERTIFICATE_DAYS)
    new = Certificate.objects.filter(person=person, issued_at__gte=since)
    n, capped = workbench.count(new)
    if n:
        yield workbench.Item(
            key="volunteering.my_certificates",
            label=_("New service certificates"),
            url=mine,
            count=n,
            capped=capped,
            kind=workbench.REMINDER,
            icon="certificate",
        )
