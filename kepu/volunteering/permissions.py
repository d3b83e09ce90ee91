"""Checked single-row fetches and scoped lists for the volunteer service pages and API."""

from kepu.core.scope import get_for_user, visible_to
from kepu.people.models import Person, Team
from kepu.volunteering.models import Assignment, Certificate, HourEntry, ServiceOrder


def get_order_for_user(user, pk, action="view") -> ServiceOrder:
    return get_for_user(ServiceOrder.objects.with_relations(), user, pk, action)


def orders_for_user(user, action="view"):
    return visible_to(user, ServiceOrder.objects.with_relations(), action)


def get_assignment_for_user(user, pk, action="view") -> Assignment:
    return get_for_user(
        Assignment.objects.select_related("order", "order__region", "order__team", "person"),
        user,
        pk,
        action,
    )


def get_entry_for_user(user, pk, action="view") -> HourEntry:
    return get_for_user(
        HourEntry.objects.select_related("person", "team", "order", "region"), user, pk, action
    )


def get_certificate_for_user(user, pk, action="view") -> Certificate:
    return get_for_user(
        Certificate.objects.select_related("person", "team", "team__organization"),
        user,
        pk,
        action,
    )


def get_person_for_user(user, pk) -> Person:
    """A volunteer's ledger page: the person as the people registry scopes them (which
    includes oneself), or a member of a team the user leads (the leader records and
    certifies the team's hours: 谁记录谁证明)."""
    queryset = Person.objects.select_related("region")
    if user.is_authenticated:
        led = queryset.filter(
            pk=pk, team_memberships__team__leader__user=user, erased_at__isnull=True
        ).first()
        if led is not None:
            return led
    return get_for_user(queryset, user, pk, "view")


def teams_for_user(user):
    """Teams the user may act for: in their region or unit scope, or led by them."""
    return (
        visible_to(user, Team.objects.all()) | Team.objects.filter(leader__user=user)
    ).distinct()
