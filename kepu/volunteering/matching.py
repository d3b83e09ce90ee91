"""Suggestions of teams and volunteers for a service order, each with a score out of 100
and a readable explanation of it.

The score adds four parts:

- specialty fit (40): words of the service category found in the specialties and
  discipline (see `choices.CATEGORY_KEYWORDS`);
- distance (30): by coordinates when both sides have them (full marks within 2 km, none
  beyond 50 km), else by the region tree (same township, county, city, province);
- availability (15): no other assignment overlapping the order's time window;
- current load (15): fewer services in the last 90 days rank higher, so work spreads.

Volunteers are searched nearest first: the order's township, then county, city and
province, widening only until enough candidates are found, so a province of 300k
volunteers is never scanned whole. Only certified volunteer registrations count. Once a
team holds the order, the suggestions are the team's own members (it assigns from them).
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kepu.core.models import Region
from kepu.core.querysets import subtree_bounds
from kepu.people import choices as pc
from kepu.people.models import Person, Registration, Team, TeamMembership
from kepu.volunteering import choices as c
from kepu.volunteering.models import Assignment, ServiceOrder
from kepu.volunteering.services import ancestor_paths

FIT, DISTANCE, AVAILABILITY, LOAD = 40, 30, 15, 15
LOAD_DAYS = 90
ENOUGH_CANDIDATES = 30
MAX_CANDIDATES = 300
BUSY_STATUSES = (c.OrderStatus.ACCEPTED, c.OrderStatus.IN_SERVICE)


@dataclass
class Suggestion:
    obj: object
    score: int
    reasons: list[str] = field(default_factory=list)


def _keywords(order: ServiceOrder) -> tuple[str, ...]:
    return c.CATEGORY_KEYWORDS.get(order.category, ())


def _fit(order, text: str, discipline: str = "") -> tuple[float, list[str]]:
    """(0..1, the matching words): two matches (words or the discipline) are a full fit."""
    keywords = _keywords(order)
    if not keywords:
        return 0.5, []
    found = [k for k in keywords if k in (text or "")]
    if discipline and discipline in c.CATEGORY_DISCIPLINES.get(order.category, ()):
        found.append(str(pc.Discipline(discipline).label))
    return min(1.0, len(found) / 2), found


def _km(lat1, lon1, lat2, lon2) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp, dl = p2 - p1, math.radians(float(lon2) - float(lon1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(a))


TREE_CLOSENESS = {4: 1.0, 3: 0.8, 2: 0.5, 1: 0.2}


def _tree_distance(order_path: str, other_path: str) -> tuple[float, str]:
    """Closeness by the deepest common region level, with its wording."""
    a, b = order_path.strip("/").split("/"), other_path.strip("/").split("/")
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    if common >= len(a) or common >= len(b):
        # One contains the other: a team of the county serves all its townships.
        level = min(len(a), len(b))
        return TREE_CLOSENESS.get(level, 0.0), _("covers the place of service")
    words = {
        4: _("same township"),
        3: _("same county"),
        2: _("same city"),
        1: _("same province"),
    }
    return TREE_CLOSENESS.get(common, 0.0), words.get(common, _("another province"))


def _distance(order, other_region_path, lat=None, lon=None) -> tuple[float, str]:
    if order.latitude is not None and lat is not None:
        km = _km(order.latitude, order.longitude, lat, lon)
        closeness = 1.0 if km <= 2 else max(0.0, 1 - (km - 2) / 48)
        return closeness, _("%(km).1f km away") % {"km": km}
    return _tree_distance(order.region.path, other_region_path)


def _load_words(count: int) -> str:
    if count == 0:
        return _("no services in the last 90 days")
    return ngettext(
        "%(n)d service in the last 90 days", "%(n)d services in the last 90 days", count
    ) % {"n": count}


def _score(fit, closeness, free, load_count) -> int:
    load = 1 / (1 + load_count)
    return round(FIT * fit + DISTANCE * closeness + AVAILABILITY * free + LOAD * load)


# --- teams --------------------------------------------------------------------------------


def suggest_teams(order: ServiceOrder, limit: int = 8) -> list[Suggestion]:
    """Teams that serve the order's place (their region contains it), best first."""
    paths = ancestor_paths(order.region)
    since = timezone.now() - datetime.timedelta(days=LOAD_DAYS)

    # Per team, correlated counts on the foreign-key indexes: joining memberships and
    # orders together multiplied the rows (291,806 for a province's teams) before the
    # DISTINCT counts.
    def count(queryset):
        counted = queryset.order_by().values("team_id").annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(counted, output_field=IntegerField()), 0)

    mine = ServiceOrder.objects.filter(team_id=OuterRef("pk"))
    teams = (
        # Only certified, active teams take orders (issue 26: pending, suspended and
        # dissolved teams are in the registry too).
        Team.objects.filter(region__path__in=paths, status=pc.TeamStatus.ACTIVE)
        .select_related("region", "organization")
        .annotate(
            members=count(TeamMembership.objects.filter(team_id=OuterRef("pk"))),
            recent=count(mine.filter(accepted_at__gte=since)),
            busy=Exists(
                mine.filter(
                    status__in=BUSY_STATUSES,
                    window_start__lt=order.window_end,
                    window_end__gt=order.window_start,
                ).exclude(pk=order.pk)
            ),
        )
    )
    result = []
    for team in teams:
        fit, found = _fit(order, team.specialties)
        closeness, where = _distance(order, team.region.path, team.latitude, team.longitude)
        free = 0.0 if team.busy else 1.0
        reasons = [
            _("specialties: %(words)s") % {"words": "、".join(found)}
            if found
            else _("no specialty named for this service"),
            where,
            _("free in the time window") if free else _("another service in the time window"),
            _load_words(team.recent),
            _("%(n)d members") % {"n": team.members},
        ]
        result.append(Suggestion(team, _score(fit, closeness, free, team.recent), reasons))
    result.sort(key=lambda s: (-s.score, s.obj.pk))
    return result[:limit]


# --- volunteers ---------------------------------------------------------------------------


def _certified_volunteers():
    return Person.objects.filter(
        erased_at__isnull=True,
    ).filter(
        Exists(
            Registration.objects.filter(
                person=OuterRef("pk"),
                kind=pc.RegistrationKind.VOLUNTEER,
                status=pc.RegistrationStatus.CERTIFIED,
            )
        )
    )


def _fit_annotation(order):
    """The number of matches, computed in SQL to rank candidates before loading them."""
    keywords = _keywords(order)
    if not keywords:
        return Value(0, output_field=IntegerField())
    total = Case(
        When(discipline__in=c.CATEGORY_DISCIPLINES.get(order.category, ()), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    for word in keywords:
        total = total + Case(
            When(specialties__contains=word, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    return total


def _tiers(region: Region):
    """The order's region and its ancestors up to the province, nearest first."""
    return ancestor_paths(region)[::-1]


def volunteer_candidates(order: ServiceOrder):
    """Up to MAX_CANDIDATES certified volunteers, nearest tier first, best fit first."""
    if order.team_id:
        base = _certified_volunteers().filter(
            Exists(TeamMembership.objects.filter(team_id=order.team_id, person=OuterRef("pk")))
        )
        tiers = [None]
    else:
        base = _certified_volunteers()
        tiers = _tiers(order.region)
    chosen: dict[int, Person] = {}
    for path in tiers:
        queryset = base
        if path is not None:
            low, high = subtree_bounds(path)
            queryset = queryset.filter(
                region__in=Region.objects.filter(path__gte=low, path__lt=high).values("pk")
            )
        queryset = (
            queryset.exclude(pk__in=list(chosen))
            .annotate(fit_words=_fit_annotation(order))
            .select_related("region")
            .only("pk", "name", "specialties", "discipline", "region__path", "region__name")
            .order_by("-fit_words", "pk")[: MAX_CANDIDATES - len(chosen)]
        )
        for person in queryset:
            chosen[person.pk] = person
        if len(chosen) >= ENOUGH_CANDIDATES:
            break
    return list(chosen.values())


def suggest_volunteers(order: ServiceOrder, limit: int = 12) -> list[Suggestion]:
    candidates = volunteer_candidates(order)
    if not candidates:
        return []
    ids = [p.pk for p in candidates]
    since = timezone.now() - datetime.timedelta(days=LOAD_DAYS)
    recent = dict(
        Assignment.objects.filter(person_id__in=ids, assigned_at__gte=since)
        .values("person_id")
        .annotate(n=Count("pk"))
        .values_list("person_id", "n")
    )
    busy = set(
        Assignment.objects.filter(
            person_id__in=ids,
            order__status__in=BUSY_STATUSES,
            order__window_start__lt=order.window_end,
            order__window_end__gt=order.window_start,
        )
        .exclude(order=order)
        .values_list("person_id", flat=True)
    )
    result = []
    for person in candidates:
        fit, found = _fit(order, person.specialties, person.discipline)
        closeness, where = _distance(order, person.region.path)
        free = 0.0 if person.pk in busy else 1.0
        load_count = recent.get(person.pk, 0)
        reasons = [
            _("specialties: %(words)s") % {"words": "、".join(found)}
            if found
            else _("no specialty named for this service"),
            f"{where}（{person.region.name}）",
            _("free in the time window") if free else _("another service in the time window"),
            _load_words(load_count),
        ]
        result.append(Suggestion(person, _score(fit, closeness, free, load_count), reasons))
    result.sort(key=lambda s: (-s.score, s.obj.pk))
    return result[:limit]
