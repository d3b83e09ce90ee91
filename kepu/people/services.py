"""Every state change of the people registry. Each runs in a transaction and writes its
audit entry there; personal identifiers never reach the audit trail unmasked."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kepu.core import audit, clock, crypto, pii, rollups, scope
from kepu.core.choices import NoticePurpose, RegionLevel
from kepu.core.errors import DomainError, StateConflict
from kepu.core.models import PrivacyNotice
from kepu.core.scope import require_region
from kepu.core.search import search_text
from kepu.core.validators import validate_clean_line
from kepu.people import choices as c
from kepu.people import rollups as counters
from kepu.people.models import (
    CreditEntry,
    ExpertPool,
    HonourAward,
    MembershipTopic,
    Person,
    PoolMembership,
    Registration,
    Team,
    TeamMembership,
    Training,
)

# --- identifiers ------------------------------------------------------------------------


def validate_document(doc_type: str, number: str) -> str:
    number = pii.normalize_id(number)
    if doc_type == c.DocType.RESIDENT_ID:
        pii.validate_resident_id(number)
    elif number and not (4 <= len(number) <= 30 and number.isalnum()):
        raise ValidationError(_("Enter the document number without spaces or symbols."))
    return number


def find_by_document(number: str) -> Person | None:
    digest = crypto.blind_index(pii.normalize_id(number))
    return Person.objects.filter(id_hash=digest).first() if digest else None


def _set_identifiers(person: Person, *, id_number=None, phone=None) -> None:
    """Encrypt, hash and mask; derive birth date and gender from a resident ID."""
    if id_number is not None:
        try:
            number = validate_document(person.doc_type, id_number)
        except ValidationError as exc:  # named by its field (the API's `fields`)
            raise DomainError({"id_number": exc.messages}) from None
        person.id_number_enc = crypto.seal(number)
        person.id_hash = crypto.blind_index(number)
        person.id_masked = pii.mask_id(number)
        if number and person.doc_type == c.DocType.RESIDENT_ID:
            person.birth_date = pii.birth_date_from_id(number)
            person.gender = pii.gender_from_id(number)
    if phone is not None:
        phone = pii.normalize_phone(phone)
        try:
            if phone:
                pii.validate_mobile(phone)
        except ValidationError as exc:
            raise DomainError({"phone": exc.messages}) from None
        person.phone_enc = crypto.seal(phone)
        person.phone_hash = crypto.blind_index(phone)
        person.phone_masked = pii.mask_phone(phone) if phone else ""


def _refresh_search(person: Person) -> None:
    org = person.organization.name if person.organization_id else ""
    person.search_text = search_text(person.name, person.specialties, person.title, org)


# --- people -----------------------------------------------------------------------------


@transaction.atomic
def create_person(*, actor, id_number="", phone="", **fields) -> Person:
    fields.setdefault("created_at", clock.now())
    person = Person(**fields)
    _set_identifiers(person, id_number=id_number, phone=phone)
    require_region(actor, Person, "create", person.region)
    _refresh_search(person)
    person.full_clean()
    person.save()
    counters.person_moved(person, None, counters.person_state(person))
    audit.created(person, actor=actor)
    return person


@transaction.atomic
def update_person(person: Person, *, actor, id_number=None, phone=None, **fields) -> Person:
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.is_erased:
        raise StateConflict(_("This person's data has been erased."))
    before = audit.snapshot(person)
    counted = counters.person_state(person)
    for name, value in fields.items():
        setattr(person, name, value)
    _set_identifiers(person, id_number=id_number, phone=phone)
    if person.region_id != before["region"]:
        require_region(actor, Person, "change", person.region)
    _refresh_search(person)
    person.full_clean()
    changes = audit.diff(before, audit.snapshot(person))
    person.save()
    counters.person_moved(person, counted, counters.person_state(person))
    if changes:
        audit.record("people.person.updated", obj=person, actor=actor, changes=changes)
    return person


def reveal(person: Person, *, actor, reason: str, fields=("id_number", "phone")) -> dict:
    """The full values of `fields` for a user holding the reveal permission. The audit
    entry records who saw which fields of whom and why — never the values."""
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise DomainError({"reason": [_("Give the reason for viewing the full information.")]})
    values = {}
    if "id_number" in fields:
        values["id_number"] = crypto.open_sealed(person.id_number_enc)
    if "phone" in fields:
        values["phone"] = crypto.open_sealed(person.phone_enc)
    audit.record(
        "people.person.revealed",
        obj=person,
        actor=actor,
        detail={"fields": list(values), "reason": reason[:300]},
    )
    return values


@transaction.atomic
def erase_person(person: Person, *, actor, reason: str) -> Person:
    """Delete a person's personal information on request (PIPL Art. 47). The row stays as
    an anonymous tombstone so counts by region and registration keep working."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.is_erased:
        return person
    counted = counters.person_state(person)
    if not (reason or "").strip():
        raise DomainError(
            {"reason": [_("Give the reason for erasing (e.g. the request's reference).")]}
        )
    person.name = _("(erased)")
    person.id_number_enc = person.id_hash = person.id_masked = ""
    person.phone_enc = person.phone_hash = person.phone_masked = ""
    person.email = person.specialties = person.languages = person.title = ""
    person.birth_date = None
    person.user = None
    person.search_text = ""
    person.erased_at = clock.now()
    person.save()
    counters.person_moved(person, counted, None)
    person.pool_memberships.all().delete()
    for team_id in person.team_memberships.values_list("team_id", flat=True):
        Team.objects.filter(pk=team_id).update(member_count=F("member_count") - 1)
    person.team_memberships.all().delete()
    audit.record(
        "people.person.erased", obj=person, actor=actor, detail={"reason": reason.strip()[:300]}
    )
    return person


@transaction.atomic
def rotate_keys() -> int:
    """Re-seal every encrypted value with the active key; returns rows changed."""
    active = crypto.active_key_id()
    changed = 0
    stale = Person.objects.exclude(id_number_enc="", phone_enc="").select_for_update()
    for person in stale.iterator(chunk_size=2000):
        updates = {}
        for field in ("id_number_enc", "phone_enc"):
            token = getattr(person, field)
            if token and crypto.key_id(token) != active:
                updates[field] = crypto.seal(crypto.open_sealed(token))
        if updates:
            Person.objects.filter(pk=person.pk).update(**updates)
            changed += 1
    audit.record(
        "people.person.keys_rotated",
        object_type="people.person",
        detail={"rows": changed, "key": active},
    )
    return changed


# --- registrations ----------------------------------------------------------------------


@transaction.atomic
def add_registration(
    person: Person,
    *,
    actor,
    kind,
    region=None,
    organization=None,
    status=c.RegistrationStatus.CERTIFIED,
    source=c.Source.OFFICER,
    start_date=None,
    notice=None,
) -> Registration:
    Person.objects.select_for_update().filter(pk=person.pk).first()
    if person.registrations.filter(kind=kind, status__in=c.ACTIVE_STATUSES).exists():
        raise StateConflict(_("This person already has this registration."))
    region = region or person.region
    require_region(actor, Registration, "create", region)
    from kepu.people.officers import check_kind_place

    check_kind_place(kind, region, organization=organization)
    registration = Registration(
        person=person,
        kind=kind,
        region=region,
        organization=organization,
        status=status,
        source=source,
        start_date=start_date or clock.today(),
        applied_at=clock.now(),
        notice=notice,
        consented_at=clock.now() if notice else None,
    )
    if status == c.RegistrationStatus.PENDING and source == c.Source.OFFICER:
        # An officer files it for someone: four-eyes, another officer certifies it.
        registration.submitted_by = actor if getattr(actor, "is_authenticated", False) else None
    if status != c.RegistrationStatus.PENDING:
        registration.reviewed_by, registration.reviewed_at = actor, registration.applied_at
    registration.full_clean()
    registration.save()
    rollups.add_many(counters.registration_changes(registration, 1))
    audit.created(registration, actor=actor)
    return registration


@transaction.atomic
def self_register(
    *,
    kind,
    notice,
    name,
    doc_type,
    id_number,
    phone,
    email,
    region,
    organization_name="",
    specialties="",
    title="",
) -> Registration:
    """A public application (no account); always a new pending registration, reached
    only through its own private link. The answer is the same whether or not the document
    number is already registered: an application matching a registered person is flagged
    for the officer (`matches_person`), never joined to that person's other registrations,
    and the public form never shows or changes an existing person's data."""
    if notice is None:
        raise DomainError(_("The privacy notice must be accepted."))
    PrivacyNotice.check_purpose(notice, NoticePurpose.REGISTRATION)
    try:  # kept on the application as typed when it matches a registered person
        validate_clean_line(name)
    except ValidationError as exc:
        raise DomainError({"name": exc.messages}) from None
    if region is None or region.level < RegionLevel.COUNTY:
        raise DomainError({"region": _("Choose down to the county (district) level.")})
    from kepu.people.officers import check_kind_place

    check_kind_place(kind, region, unit_name=organization_name, unit_field="organization_name")
    number = validate_document(doc_type, id_number)
    person = find_by_document(number)
    matches = person is not None
    if person is None:
        person = _new_applicant(
            name=name,
            doc_type=doc_type,
            number=number,
            phone=phone,
            email=email,
            region=region,
            specialties=specialties,
            title=title,
        )
    if person is None:  # a concurrent application with this number made the person first
        person, matches = find_by_document(number), True
    registration = Registration(
        person=person,
        kind=kind,
        region=region,
        status=c.RegistrationStatus.PENDING,
        source=c.Source.SELF,
        start_date=clock.today(),
        notice=notice,
        applied_at=clock.now(),
        consented_at=clock.now(),
        matches_person=matches,
        unit_name=(organization_name or "").strip()[:200],
    )
    if matches:
        phone = pii.normalize_phone(phone)
        registration.applicant_name = (name or "").strip()[:64]
        registration.applicant_phone_masked = pii.mask_phone(phone) if phone else ""
    registration.save(force_insert=True)
    rollups.add_many(counters.registration_changes(registration, 1))
    audit.record(
        "people.registration.applied",
        obj=registration,
        actor=None,
        detail={
            "notice": notice.version,
            "organization": organization_name[:200],
            "matches_person": matches,
        },
    )
    return registration


def _new_applicant(**fields) -> Person | None:
    """The person of a first public application, or None when a concurrent application
    with the same document number made it first (the unique index on the hash)."""
    person = Person(
        created_at=clock.now(),
        name=fields["name"],
        doc_type=fields["doc_type"],
        email=fields["email"],
        region=fields["region"],
        specialties=fields["specialties"],
        title=fields["title"],
    )
    _set_identifiers(person, id_number=fields["number"], phone=fields["phone"])
    _refresh_search(person)
    person.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:
        return None
    counters.person_moved(person, None, counters.person_state(person))
    audit.record(
        "people.person.created", obj=person, actor=None, detail={"via": "self-registration"}
    )
    return person


DUPLICATE_APPLICATION = gettext_lazy(
    "This person already has a registration of this kind awaiting review or certified; "
    "reject this application as a duplicate."
)


def _has_active(registration: Registration) -> bool:
    """Whether the person of a flagged application holds a live registration of its kind."""
    return (
        Registration.objects.filter(
            person_id=registration.person_id,
            kind=registration.kind,
            status__in=c.ACTIVE_STATUSES,
            matches_person=False,
        )
        .exclude(pk=registration.pk)
        .exists()
    )


@transaction.atomic
def certify_registration(registration: Registration, *, actor) -> Registration:
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("person")
        .get(pk=registration.pk)
    )
    scope.check(actor, registration, "review")
    if not registration.can_review():
        raise StateConflict(_("Only a registration awaiting review can be certified."))
    changes = {"status": ["pending", "certified"]}
    if registration.matches_person and _has_active(registration):
        raise StateConflict(DUPLICATE_APPLICATION)
    if registration.matches_person:
        # The officer confirms the applicant is the registered person: from now on it is
        # that person's registration, one live one of each kind (the constraint).
        changes["matches_person"] = [True, False]
    registration.status = c.RegistrationStatus.CERTIFIED
    registration.matches_person = False
    registration.reviewed_by, registration.reviewed_at = actor, clock.now()
    try:
        with transaction.atomic():
            registration.save(
                update_fields=["status", "matches_person", "reviewed_by", "reviewed_at"]
            )
    except IntegrityError:  # the other one was certified a moment ago
        raise StateConflict(DUPLICATE_APPLICATION) from None
    counters.registration_status_changed(registration, c.RegistrationStatus.PENDING)
    audit.record("people.registration.certified", obj=registration, actor=actor, changes=changes)
    return registration


@transaction.atomic
def reject_registration(registration: Registration, *, actor, reason: str) -> Registration:
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("person")
        .get(pk=registration.pk)
    )
    scope.check(actor, registration, "review")
    if not registration.can_review():
        raise StateConflict(_("Only a registration awaiting review can be rejected."))
    if not (reason or "").strip():
        raise DomainError(
            {"reason": [_("Give the reason for rejection; the applicant will see it.")]}
        )
    registration.status = c.RegistrationStatus.REJECTED
    registration.reject_reason = reason.strip()[:300]
    registration.reviewed_by, registration.reviewed_at = actor, clock.now()
    registration.save(update_fields=["status", "reject_reason", "reviewed_by", "reviewed_at"])
    counters.registration_status_changed(registration, c.RegistrationStatus.PENDING)
    audit.record(
        "people.registration.rejected",
        obj=registration,
        actor=actor,
        changes={"status": ["pending", "rejected"]},
        detail={"reason": reason[:300]},
    )
    return registration


# --- pools and teams --------------------------------------------------------------------


@transaction.atomic
def create_pool(*, actor, **fields) -> ExpertPool:
    pool = ExpertPool(**fields)
    pool.full_clean()
    require_region(actor, ExpertPool, "create", pool.region)
    pool.save()
    audit.created(pool, actor=actor)
    return pool


@transaction.atomic
def add_pool_member(
    pool: ExpertPool,
    person: Person,
    *,
    actor,
    topics=(),
    available=True,
    term_start=None,
    term_end=None,
) -> PoolMembership:
    # Lock the person: a concurrent change of their region moves their pool counters.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    if person.is_erased:
        raise StateConflict(_("This person's data has been erased."))
    membership = PoolMembership(
        pool=pool,
        person=person,
        available=available,
        term_start=term_start or clock.today(),
        term_end=term_end,
    )
    membership.full_clean()
    if membership.term_end and membership.term_end < membership.term_start:
        raise DomainError({"term_end": [_("The term cannot end before it starts.")]})
    membership.save()
    counters.membership_changed(person.pk, pool.pk, membership.available, 1)
    MembershipTopic.objects.bulk_create(
        [MembershipTopic(membership=membership, topic=t) for t in sorted(set(topics))]
    )
    audit.created(
        membership,
        actor=actor,
        detail={"topics": sorted(set(topics))},
    )
    return membership


@transaction.atomic
def set_member_availability(membership: PoolMembership, *, actor, available: bool):
    # The person first (as every service that moves their counters), then the row.
    Person.objects.select_for_update().filter(pk=membership.person_id).first()
    membership = PoolMembership.objects.select_for_update().get(pk=membership.pk)
    before = audit.snapshot(membership)
    if membership.available != available:
        counters.membership_changed(
            membership.person_id, membership.pool_id, membership.available, -1
        )
        counters.membership_changed(membership.person_id, membership.pool_id, available, 1)
    membership.available = available
    membership.save(update_fields=["available"])
    audit.record(
        "people.poolmembership.updated",
        obj=membership,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(membership)),
    )
    return membership


@transaction.atomic
def create_team(*, actor, **fields) -> Team:
    """A team already certified (loaders, imports of existing teams); a new team is filed
    for certification through `team_services.file_team`."""
    fields.setdefault("created_at", clock.now())
    fields.setdefault("certified_at", fields["created_at"])
    team = Team(**fields)
    team.full_clean()
    require_region(actor, Team, "create", team.region)
    team.save()
    audit.created(team, actor=actor)
    return team


@transaction.atomic
def add_team_member(team: Team, person: Person, *, actor) -> TeamMembership:
    # Lock the person so two concurrent joins cannot both pass the five-team check.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    if person.team_memberships.count() >= c.MAX_TEAMS_PER_PERSON:
        raise StateConflict(
            _("A person can belong to at most %(n)d teams.") % {"n": c.MAX_TEAMS_PER_PERSON}
        )
    membership = TeamMembership(team=team, person=person, joined_at=clock.today())
    membership.full_clean()
    membership.save()
    Team.objects.filter(pk=team.pk).update(member_count=F("member_count") + 1)
    audit.created(membership, actor=actor)
    return membership


# --- training, credits, honours -----------------------------------------------------------

_RECORD_MODELS = {"training": Training, "credit": CreditEntry, "honour": HonourAward}


@transaction.atomic
def add_record(kind: str, person: Person, *, actor, **fields):
    """A training record, a credits-ledger line or an honour."""
    model = _RECORD_MODELS[kind]
    record = model(person=person, **fields)
    record.full_clean()
    record.save()
    audit.created(record, actor=actor)
    return record


def refresh_member_counts(teams=None) -> int:
    """Recount `Team.member_count` from the memberships (all teams, or the given ones):
    for loaders that write memberships in bulk. Returns the number of teams updated."""
    from django.db.models import Count, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    counts = (
        TeamMembership.objects.filter(team=OuterRef("pk"))
        .order_by()
        .values("team")
        .annotate(n=Count("pk"))
        .values("n")
    )
    queryset = Team.objects.all() if teams is None else Team.objects.filter(pk__in=teams)
    return queryset.update(member_count=Coalesce(Subquery(counts), 0))
