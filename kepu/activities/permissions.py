"""Checked single-row fetches for the back office (public rows left out: an officer
reaches only the activities of their own scope here, whatever the portal shows)."""

from django.db.models import Q

from kepu.activities.models import Activity, Campaign, MobileFacility
from kepu.core.models import Region
from kepu.core.querysets import subtree_bounds
from kepu.core.scope import allowed_regions, get_for_user, member_units, visible_to


def get_activity_for_user(user, pk, action="view") -> Activity:
    return get_for_user(Activity.objects.with_relations(), user, pk, action, public=False)


def get_campaign_for_user(user, pk, action="view") -> Campaign:
    return get_for_user(Campaign.objects.select_related("region"), user, pk, action)


def get_facility_for_user(user, pk, action="view") -> MobileFacility:
    return get_for_user(
        MobileFacility.objects.select_related("region", "organization"), user, pk, action
    )


def bookable_facilities(user):
    """The mobile facilities `user` may plan stops of (`activities.mobilefacility.book` in
    a scope holding the facility: its region's officers and those above; never through
    the tours being public)."""
    return visible_to(user, MobileFacility, "book", public=False).filter(is_active=True)


def own_units(user, action) -> list:
    """The organizations for which `user` holds `action` on activities as member staff."""
    return member_units(user, Activity, action)


def placement_regions(user, action):
    """Where `user` may hold activities (the rule of `services.require_placement`): an
    officer's regions, widened for member-unit staff with their unit's region and
    everything below it."""
    queryset = allowed_regions(user, Activity, action)
    units = own_units(user, action)
    if not units:
        return queryset
    inside = Q(pk__in=queryset.values("pk"))
    for unit in units:
        low, high = subtree_bounds(unit.region.path)
        inside |= Q(path__gte=low, path__lt=high)
    return Region.objects.filter(inside)
