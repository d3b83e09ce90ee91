"""The last-mile push (seed 001 四(二)1: 推送到基层"最后一公里"): vetted resources of the
emergency library sent to the channels of the affected regions, delivered by a
background job (one `Delivery` per recipient), acknowledged by each recipient with how far
it forwarded the message; the reach statistics (`ReachTally`) are kept with F().

Recipients of a channel in the push's regions (each with its subtree):
- team: the volunteer teams (`people.Team`); the leader's account answers;
- info_officer: the certified information officers (`people.Registration`); their account;
- community: the community and village committees (`core.Organization`, community);
- member_unit: the member units (`core.Organization`, member); their staff answer.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext as _

from kepu.core import audit, clock, jobs, mail, publiccache, scope
from kepu.core.choices import OrgType
from kepu.core.errors import DomainError, StateConflict
from kepu.core.models import Organization, Region
from kepu.core.scope import region_q, require_region
from kepu.emergency import choices as c
from kepu.emergency.models import Delivery, Incident, Push, ReachTally
from kepu.emergency.services.incidents import mark_responding
from kepu.people.choices import RegistrationKind, RegistrationStatus, TeamStatus
from kepu.people.models import Registration, Team
from kepu.resources.choices import ResourceStatus
from kepu.resources.models import Resource

DELIVER_JOB = "emergency.deliver_push"
# Rows written per chunk by the delivery job (one INSERT each).
CHUNK = 2000
# Sane upper bounds of a recipient's report (a county has fewer people than this).
MAX_GROUPS = 10_000
MAX_PEOPLE = 5_000_000


# -- recipients ---------------------------------------------------------------------------


def recipients(channel: str, regions):
    """The recipients of `channel` in `regions` (each with its subtree), as a queryset of
    dicts (key: the recipient's primary key, name, region_id, user_id for the channels
    whose recipient has an account), ordered by the key (keyset chunks)."""
    if channel == c.Channel.TEAM:
        return (
            # Certified, active teams only (issue 26).
            Team.objects.filter(region_q("region_id", regions), status=TeamStatus.ACTIVE)
            .order_by("pk")
            .values("name", "region_id", key=F("pk"), user_id=F("leader__user_id"))
        )
    if channel == c.Channel.INFO_OFFICER:
        # One live registration of a kind per person (a matching application waiting
        # beside it may repeat the person: the target is unique, counted by person).
        return (
            Registration.objects.filter(
                region_q("region_id", regions),
                kind=RegistrationKind.INFO_OFFICER,
                status=RegistrationStatus.CERTIFIED,
                matches_person=False,
            )
            .order_by("person_id")
            .values(
                "region_id",
                key=F("person_id"),
                name=F("person__name"),
                user_id=F("person__user_id"),
            )
        )
    org_type = OrgType.COMMUNITY if channel == c.Channel.COMMUNITY else OrgType.MEMBER_DEPARTMENT
    return (
        Organization.objects.filter(region_q("region_id", regions), org_type=org_type)
        .order_by("pk")
        .values("name", "region_id", key=F("pk"))
    )


def _target(channel: str, pk: int) -> str:
    prefix = {c.Channel.TEAM: "team", c.Channel.INFO_OFFICER: "person"}.get(channel, "org")
    return f"{prefix}:{pk}"


def count_recipients(channel: str, regions) -> int:
    """How many recipients `channel` has in `regions` (one indexed COUNT)."""
    return recipients(channel, regions).order_by().count()


def channel_counts(regions) -> dict[str, int]:
    """{channel: recipients} in `regions` (a COUNT per channel), for the push form."""
    return {channel: count_recipients(channel, regions) for channel in c.Channel.values}


# -- the push -------------------------------------------------------------------------------


def _check_push(incident, title, resources, channels, regions) -> tuple[list, list, list]:
    errors: dict[str, list] = {}
    if not (title or "").strip():
        errors["title"] = [_("Give the push a title.")]
    resources = list(resources or [])
    ids = {getattr(r, "pk", r) for r in resources}
    if not ids:
        errors["resources"] = [_("Choose at least one resource of the emergency library.")]
    else:
        found = list(
            Resource.objects.filter(
                pk__in=ids, is_emergency=True, status=ResourceStatus.PUBLISHED
            ).order_by("pk")
        )
        if len(found) != len(ids):
            errors["resources"] = [
                _("Only published resources of the emergency library can be pushed.")
            ]
        resources = found
    channels = list(dict.fromkeys(channels or []))
    if not channels:
        errors["channels"] = [_("Choose at least one channel.")]
    elif any(ch not in c.Channel.values for ch in channels):
        errors["channels"] = [_("Unknown channel.")]
    regions = list(dict.fromkeys(regions or []))
    affected = list(Region.objects.filter(pk__in=incident.affected.values("region_id")))
    if not regions:
        errors["regions"] = [_("Choose at least one region.")]
    elif any(not any(r.is_within(a) for a in affected) for r in regions):
        errors["regions"] = [_("Push only to the regions affected by the incident.")]
    if errors:
        raise DomainError(errors)
    return resources, channels, regions


@transaction.atomic
def create_push(incident, *, actor, title, message="", resources, channels, regions) -> Push:
    """Record a push of `resources` to `channels` in `regions` and start its delivery
    job (committed with the push). `expected` is the number of recipients now."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if not incident.is_open:
        raise StateConflict(_("This incident is closed: nothing more can be pushed."))
    if actor is not None:
        require_region(actor, Push, "create", incident.region)
    resources, channels, regions = _check_push(incident, title, resources, channels, regions)
    now = clock.now()
    push = Push(
        incident=incident,
        title=title.strip(),
        message=(message or "").strip(),
        channels=channels,
        expected=sum(count_recipients(ch, regions) for ch in channels),
        created_by=actor,
        created_at=now,
    )
    push.full_clean()
    push.save()
    push.resources.set(resources)
    push.regions.set(regions)
    audit.created(
        push,
        actor=actor,
        detail={
            "resources": [r.pk for r in resources],
            "regions": [r.code for r in regions],
        },
    )
    mark_responding(incident, when=now)
    job = jobs.start(
        DELIVER_JOB,
        actor=actor,
        region=incident.region,
        params={"push": push.pk},
        title=_("Deliver the push “%(title)s”") % {"title": push.title},
        idem=f"{DELIVER_JOB}:{push.pk}",
    )
    Push.objects.filter(pk=push.pk).update(job=job)
    publiccache.bump(c.PUBLIC_TAG)
    return Push.objects.with_relations().get(pk=push.pk)


# -- delivery (run by the job) ------------------------------------------------------------


def deliver_chunks(push: Push, *, size: int = CHUNK):
    """Write the deliveries of `push`, a chunk at a time (keyset over each channel's
    recipients). Idempotent: a target already written is skipped by the unique
    constraint, so a retried or repeated chunk writes nothing twice. Yields the number
    of recipients handled after each chunk."""
    regions = list(push.regions.all())
    done = 0
    for channel in push.channels:
        rows = recipients(channel, regions)
        key = "person_id" if channel == c.Channel.INFO_OFFICER else "pk"
        last = 0
        while True:
            chunk = list(rows.filter(**{f"{key}__gt": last})[:size])
            if not chunk:
                break
            last = chunk[-1]["key"]
            now = clock.now()
            Delivery.objects.bulk_create(
                [
                    Delivery(
                        push_id=push.pk,
                        incident_id=push.incident_id,
                        channel=channel,
                        target=_target(channel, row["key"]),
                        name=row["name"][:200],
                        region_id=row["region_id"],
                        organization_id=None if "user_id" in row else row["key"],
                        user_id=row.get("user_id"),
                        delivered_at=now,
                    )
                    for row in chunk
                ],
                ignore_conflicts=True,
            )
            done += len(chunk)
            yield done


def _add_tallies(incident_id: int, by_region: dict[int, dict]) -> None:
    """Add counts to the incident's reach tallies (F(); rows made when missing)."""
    if not by_region:
        return
    ReachTally.objects.bulk_create(
        [ReachTally(incident_id=incident_id, region_id=r) for r in by_region],
        ignore_conflicts=True,
    )
    for region_id, counts in by_region.items():
        ReachTally.objects.filter(incident_id=incident_id, region_id=region_id).update(
            **{field: F(field) + value for field, value in counts.items()}
        )


@transaction.atomic
def finish_delivery(push: Push) -> Push:
    """Once every chunk is written: `delivered` from a COUNT, the status, the tallies
    added from the push's own rows (so a retry never doubles them), one mail job to the
    recipients with an address, one audit entry. Runs once (the status under a lock)."""
    push = Push.objects.select_for_update().get(pk=push.pk)
    if push.status == c.PushStatus.DELIVERED:
        return push
    before = audit.snapshot(push)
    rows = Delivery.objects.filter(push=push)
    per_region = rows.order_by().values("region_id").annotate(n=Count("pk"))
    _add_tallies(push.incident_id, {r["region_id"]: {"deliveries": r["n"]} for r in per_region})
    push.delivered = rows.count()
    push.status = c.PushStatus.DELIVERED
    push.delivered_at = clock.now()
    push.save(update_fields=["delivered", "status", "delivered_at"])
    emails = list(
        rows.filter(user__isnull=False, user__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
        .distinct()
    )
    if emails:
        subject = _("Emergency science: %(title)s") % {"title": push.title}
        body = _(
            "%(message)s\n\nPlease open your inbox on the platform, forward the message "
            "and acknowledge it with how many groups and people it reached."
        ) % {"message": push.message or push.title}
        mail.send_later(
            [(subject, body, settings.DEFAULT_FROM_EMAIL, [e]) for e in emails],
            actor=push.created_by,
        )
    audit.record(
        "emergency.push.delivered",
        obj=push,
        actor=push.created_by,
        changes=audit.diff(before, audit.snapshot(push)),
        detail={"delivered": push.delivered, "expected": push.expected},
    )
    publiccache.bump(c.PUBLIC_TAG)
    return push


def start_delivering(push: Push) -> Push | None:
    """queued → delivering (a conditional UPDATE); None when already delivered."""
    Push.objects.filter(pk=push.pk, status=c.PushStatus.QUEUED).update(
        status=c.PushStatus.DELIVERING
    )
    push = Push.objects.select_related("incident").get(pk=push.pk)
    return None if push.status == c.PushStatus.DELIVERED else push


# -- acknowledgement --------------------------------------------------------------------


def _whole(value, field: str, upper: int, errors: dict) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        errors[field] = [_("Enter a whole number.")]
        return 0
    if value < 0:
        errors[field] = [_("Enter a number of 0 or more.")]
    elif value > upper:
        errors[field] = [_("Enter at most %(n)s.") % {"n": f"{upper:,}"}]
    return value


@transaction.atomic
def _acknowledge(delivery, *, actor, action, via, groups_forwarded, people_reached) -> Delivery:
    delivery = Delivery.objects.select_for_update().select_related("push").get(pk=delivery.pk)
    if not delivery.can_acknowledge():
        raise StateConflict(_("This message has already been acknowledged."))
    if actor is not None and not scope.can(actor, delivery, action):
        # The scope (the recipient's own, the unit's, the officer's region) and the rule.
        raise DomainError(
            scope.refusal(actor, delivery, action) or _("This message is outside your scope.")
        )
    errors: dict[str, list] = {}
    groups = _whole(groups_forwarded, "groups_forwarded", MAX_GROUPS, errors)
    people = _whole(people_reached, "people_reached", MAX_PEOPLE, errors)
    if errors:
        raise DomainError(errors)
    before = audit.snapshot(delivery)
    delivery.acknowledged_at = clock.now()
    delivery.acknowledged_via = via
    delivery.acknowledged_by = actor
    delivery.groups_forwarded, delivery.people_reached = groups, people
    delivery.save(
        update_fields=[
            "acknowledged_at",
            "acknowledged_via",
            "acknowledged_by",
            "groups_forwarded",
            "people_reached",
        ]
    )
    Push.objects.filter(pk=delivery.push_id).update(acknowledged=F("acknowledged") + 1)
    _add_tallies(
        delivery.incident_id,
        {
            delivery.region_id: {
                "acknowledged": 1,
                "groups_forwarded": groups,
                "people_reached": people,
            }
        },
    )
    code = "emergency.delivery.acknowledged" if via == c.Via.SELF else "emergency.delivery.recorded"
    audit.record(
        code, obj=delivery, actor=actor, changes=audit.diff(before, audit.snapshot(delivery))
    )
    publiccache.bump(c.PUBLIC_TAG)
    return delivery


def acknowledge_delivery(delivery, *, actor, groups_forwarded, people_reached) -> Delivery:
    """The recipient (its account, or a member unit's staff) acknowledges the message and
    reports how many groups it forwarded it to and about how many people it reached."""
    return _acknowledge(
        delivery,
        actor=actor,
        action="acknowledge",
        via=c.Via.SELF,
        groups_forwarded=groups_forwarded,
        people_reached=people_reached,
    )


def record_acknowledgement(delivery, *, actor, groups_forwarded, people_reached) -> Delivery:
    """An officer of the recipient's region records the acknowledgement after a call."""
    return _acknowledge(
        delivery,
        actor=actor,
        action="record",
        via=c.Via.OFFICER,
        groups_forwarded=groups_forwarded,
        people_reached=people_reached,
    )


# -- reads ----------------------------------------------------------------------------------


def inbox(user):
    """The deliveries addressed to `user`: their own account's, and those of the member
    units they work for (no account of its own), waiting first, newest first."""
    units = [o.pk for o in scope.member_units(user, Delivery, "acknowledge")]
    q = Q(user=user)
    if units:
        q |= Q(organization_id__in=units, user__isnull=True)
    return (
        Delivery.objects.filter(q)
        .select_related("push", "incident", "region")
        .order_by(F("acknowledged_at").asc(nulls_first=True), "-delivered_at", "-pk")
    )


def _county_path(path: str) -> str:
    """The path of the county a region belongs to (a city or the province stays itself)."""
    return "/".join(path.strip("/").split("/")[:3]) + "/"


def county_reach(incident) -> list[dict]:
    """The incident's tallies summed up to the county: a township's recipients count for
    its county, so the province reads dozens of rows, not hundreds of townships. Reads the
    tallies only (one query for them, one for the counties), ordered by region code."""
    sums: dict[str, list[int]] = {}
    rows = ReachTally.objects.filter(incident=incident).values_list(
        "region__path", "deliveries", "acknowledged", "groups_forwarded", "people_reached"
    )
    for path, *figures in rows:
        total = sums.setdefault(_county_path(path), [0, 0, 0, 0])
        for i, value in enumerate(figures):
            total[i] += value
    regions = {r.path: r for r in Region.objects.filter(path__in=list(sums))}
    keys = ("deliveries", "acknowledged", "groups_forwarded", "people_reached")
    return [
        {"region": regions[path], **dict(zip(keys, sums[path], strict=True))}
        for path in sorted(sums)
        if path in regions
    ]


def reach_rows(incident) -> tuple[list, dict]:
    """The reach by county from the tallies (no aggregate over deliveries) and a total."""
    rows = [SimpleNamespace(**row) for row in county_reach(incident)]
    total = {
        "deliveries": sum(r.deliveries for r in rows),
        "acknowledged": sum(r.acknowledged for r in rows),
        "groups_forwarded": sum(r.groups_forwarded for r in rows),
        "people_reached": sum(r.people_reached for r in rows),
    }
    for row in [*rows, None]:
        target = row.__dict__ if row is not None else total
        n = target["deliveries"]
        target["share"] = round(100 * target["acknowledged"] / n) if n else 0
    return rows, total


def raw_reach(incident) -> dict[int, dict]:
    """The same figures summed from the deliveries (tests and invariants)."""
    return {
        r["region_id"]: r
        for r in Delivery.objects.filter(incident=incident)
        .order_by()
        .values("region_id")
        .annotate(
            deliveries=Count("pk"),
            acknowledged=Count("pk", filter=Q(acknowledged_at__isnull=False)),
            groups_forwarded=Sum("groups_forwarded"),
            people_reached=Sum("people_reached"),
        )
    }
