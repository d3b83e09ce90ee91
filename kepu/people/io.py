"""Excel import and export of people. Rows are deduplicated on the document number:
a number already registered updates that person instead of creating a second one."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from kepu.core import audit, clock, crypto, pii, rollups, staging
from kepu.core.excel import Column, RowError
from kepu.core.imports import ImportSpec, Plan, choice_map, register_spec
from kepu.core.models import Organization, Region
from kepu.core.scope import allowed_regions, visible_to
from kepu.core.search import search_text
from kepu.core.staging import db_value
from kepu.people import choices as c
from kepu.people import rollups as counters
from kepu.people import services
from kepu.people.models import Person, Registration


def person_columns() -> list[Column]:
    return [
        Column("name", _("Full name"), required=True, example="张三", width=12),
        Column(
            "doc_type",
            _("Document type"),
            choices=[str(x) for x in c.DocType.labels],
            example=str(c.DocType.RESIDENT_ID.label),
            width=16,
        ),
        Column(
            "id_number",
            _("Document number"),
            required=True,
            example="51010419900101123X",
            help=_("A number already registered updates that person."),
            width=22,
        ),
        Column("phone", _("Mobile phone"), example="13800001234", width=14),
        Column("email", _("Email"), width=20),
        Column("region", _("Region code"), required=True, example="510104"),
        Column("organization", _("Organization credit code"), width=22),
        Column(
            "education",
            pgettext("schooling", "Education"),
            choices=[str(x) for x in c.Education.labels],
        ),
        Column("title_level", _("Title level"), choices=[str(x) for x in c.TitleLevel.labels]),
        Column("title", _("Professional title"), example="高级工程师"),
        Column(
            "discipline",
            _("Discipline code"),
            example="170",
            help=_("First-level code of GB/T 13745, e.g. 170 earth sciences."),
        ),
        Column("specialties", _("Specialties"), example="地震科普、应急救护", width=24),
        Column(
            "kind",
            _("Registration"),
            choices=[str(x) for x in c.RegistrationKind.labels],
            help=_("Optional: adds a certified registration of this kind."),
        ),
    ]


def person_export_columns(full: bool) -> list[Column]:
    return [
        Column("name", _("Full name"), width=12),
        Column("gender", _("Gender"), width=6),
        Column("id", _("Document number") if full else _("Document number (masked)"), width=22),
        Column("phone", _("Mobile phone") if full else _("Mobile phone (masked)"), width=14),
        Column("region", _("Region code")),
        Column("region_name", _("Region")),
        Column("organization", _("Organization"), width=24),
        Column("title", _("Professional title")),
        Column("discipline", _("Discipline")),
        Column("specialties", _("Specialties"), width=24),
        Column("registrations", _("Registrations"), width=30),
    ]


def person_export_values(full: bool):
    def values(p: Person) -> list:
        kinds = "、".join(
            str(r.get_kind_display()) for r in p.registrations.all() if r.status == "certified"
        )
        return [
            p.name,
            p.get_gender_display(),
            crypto.open_sealed(p.id_number_enc) if full else p.id_masked,
            crypto.open_sealed(p.phone_enc) if full else p.phone_masked,
            p.region.code,
            p.region.name,
            p.organization.name if p.organization_id else "",
            p.title,
            p.get_discipline_display() if p.discipline else "",
            p.specialties,
            kinds,
        ]

    return values


# The columns of a new person staged per row (the rest come from the model's defaults at
# apply time, see core.staging), and of its registration.
PERSON_COLUMNS = [
    "name",
    "gender",
    "birth_date",
    "doc_type",
    "id_number_enc",
    "id_hash",
    "id_masked",
    "phone_enc",
    "phone_hash",
    "phone_masked",
    "email",
    "region_id",
    "organization_id",
    "education",
    "title_level",
    "title",
    "discipline",
    "specialties",
    "search_text",
]
REGISTRATION_COLUMNS = ["kind", "region_id", "organization_id", "tracking_token"]
# Checked with the model's own field validation (length, format); the choice columns are
# checked against their choices, the identifiers by the people service.
CHECKED_FIELDS = ("name", "email", "title", "specialties")


class _Identifiers:
    """What `services._set_identifiers` fills, without a model instance per row."""

    def __init__(self, doc_type):
        self.doc_type = doc_type
        self.gender = c.Gender.UNKNOWN
        self.birth_date = None


def _identifiers(doc_type, number: str, digest: str, phone: str) -> _Identifiers:
    """`services._set_identifiers` for a row whose document number and phone the row
    check has validated already (`number` normalized, `digest` its blind index): the
    same values without validating and hashing the number a second time."""
    ids = _Identifiers(doc_type)
    # `digest` was made from the same normalization (blind_index normalizes as
    # pii.normalize_id does), so it is the number's blind index.
    ids.id_number_enc = crypto.seal(number)
    ids.id_hash = digest
    ids.id_masked = pii.mask_id(number)
    if number and doc_type == c.DocType.RESIDENT_ID:
        ids.birth_date = pii.birth_date_from_id(number)
        ids.gender = pii.gender_from_id(number)
    phone = pii.normalize_phone(phone)
    ids.phone_enc = crypto.seal(phone)
    ids.phone_hash = crypto.blind_index(phone)
    ids.phone_masked = pii.mask_phone(phone) if phone else ""
    return ids


class PersonImport(ImportSpec):
    """People from Excel. The dry run validates every row once and stages what is to be
    written (encrypted and hashed identifiers included); applying inserts the staged
    people and registrations with one statement each and writes one audit entry naming
    the rows (`core.staging`). Rows for people already registered update them (few:
    applied one by one, each with its audited change)."""

    key = "people.person"
    title = gettext_lazy("People")
    permission = "people.person.import"
    filename = "people.xlsx"
    staged = True

    def columns(self):
        return person_columns()

    def list_url(self):
        return reverse("people:person_list")

    def plan(self, rows, actor) -> Plan:
        plan = Plan()
        headers = {col.key: col.header for col in self.columns()}
        regions = {r.code: r for r in allowed_regions(actor, Person, "import")}
        maps = {
            "doc_type": choice_map(c.DocType),
            "education": choice_map(c.Education),
            "title_level": choice_map(c.TitleLevel),
            "kind": choice_map(c.RegistrationKind),
        }
        disciplines = set(c.Discipline.values)
        checked = [Person._meta.get_field(name) for name in CHECKED_FIELDS]
        hashes = {}
        for row, values in rows:
            number = pii.normalize_id(values.get("id_number", ""))
            if number:
                hashes[row] = crypto.blind_index(number)
        existing = {}
        digests = list(set(hashes.values()))
        for i in range(0, len(digests), 5000):
            for person in Person.objects.filter(id_hash__in=digests[i : i + 5000]):
                existing[person.id_hash] = person
        updatable = set(
            visible_to(actor, Person, "change")
            .filter(pk__in=[p.pk for p in existing.values()])
            .values_list("pk", flat=True)
        )
        codes = {v["organization"].upper() for _r, v in rows if v.get("organization")}
        organizations = {
            o.credit_code: o for o in Organization.objects.filter(credit_code__in=codes)
        }
        seen: dict[str, int] = {}
        active = set(
            Registration.objects.filter(
                person__in=list(existing.values()), status__in=c.ACTIVE_STATUSES
            ).values_list("person_id", "kind")
        )
        token = Registration._meta.get_field("tracking_token")

        def err(row, key, message):
            plan.errors.append(RowError(row, headers.get(key, ""), str(message)))

        for row, values in rows:
            count = len(plan.errors)
            choices = {}
            for key, mapping in maps.items():
                raw = values.get(key, "")
                choices[key] = mapping.get(raw.lower()) if raw else ""
                if raw and choices[key] is None:
                    err(row, key, _("“%(v)s” is not one of the allowed values.") % {"v": raw})
            doc_type = choices["doc_type"] or c.DocType.RESIDENT_ID
            number = ""
            if not values.get("id_number"):
                err(row, "id_number", _("The document number is required."))
            else:
                try:
                    number = services.validate_document(doc_type, values["id_number"])
                except ValidationError as exc:
                    err(row, "id_number", exc.messages[0])
            digest = hashes.get(row, "")
            if digest in seen:
                err(
                    row,
                    "id_number",
                    _("This document number already appears in row %(r)d.") % {"r": seen[digest]},
                )
            elif digest:
                seen[digest] = row
            region = regions.get(values.get("region", ""))
            if region is None:
                err(
                    row,
                    "region",
                    _("Region code “%(v)s” does not exist or is outside your scope.")
                    % {"v": values.get("region", "")},
                )
            organization = None
            if values.get("organization"):
                organization = organizations.get(values["organization"].upper())
                if organization is None:
                    err(row, "organization", _("No unit with this credit code."))
            discipline = values.get("discipline", "")
            if discipline and discipline not in disciplines:
                err(
                    row,
                    "discipline",
                    _("“%(v)s” is not a first-level discipline code.") % {"v": discipline},
                )
            target = existing.get(digest)
            if target is not None and target.pk not in updatable:
                err(row, "id_number", _("This person is registered outside your scope."))
            phone = values.get("phone", "")
            try:
                if phone:
                    pii.validate_mobile(phone)
            except ValidationError as exc:
                err(row, "phone", exc.messages[0])
                phone = None
            fields = {
                "name": values.get("name", ""),
                "email": values.get("email", ""),
                "title": values.get("title", ""),
                "specialties": values.get("specialties", ""),
            }
            for model_field in checked:
                value = fields[model_field.name]
                if value or not model_field.blank:
                    try:
                        model_field.clean(value, None)
                    except ValidationError as exc:
                        for message in exc.messages:
                            err(row, model_field.name, message)
            if len(plan.errors) > count:
                continue
            kind = choices["kind"] or ""
            if target is not None:
                before = audit.snapshot(target)
                person = self._updated(target, fields, doc_type, number, phone, region, choices)
                person.organization = organization
                person.discipline = discipline
                services._refresh_search(person)
                if kind and (target.pk, kind) in active:
                    kind = ""  # already holds it: nothing to add
                plan.updates.append((row, person, before, kind))
                continue
            ids = _identifiers(doc_type, number, digest, phone)
            data = {
                **fields,
                "gender": ids.gender,
                "birth_date": ids.birth_date.isoformat() if ids.birth_date else None,
                "doc_type": doc_type,
                "id_number_enc": ids.id_number_enc,
                "id_hash": ids.id_hash,
                "id_masked": ids.id_masked,
                "phone_enc": ids.phone_enc,
                "phone_hash": ids.phone_hash,
                "phone_masked": ids.phone_masked,
                "region_id": region.pk,
                "organization_id": organization.pk if organization else None,
                "education": choices["education"] or "",
                "title_level": choices["title_level"] or c.TitleLevel.NONE,
                "discipline": discipline,
                "search_text": search_text(
                    fields["name"],
                    fields["specialties"],
                    fields["title"],
                    organization.name if organization else "",
                ),
            }
            if kind:
                data["_kind"] = db_value(token, uuid.uuid4()), kind
            plan.creates.append((row, data))
        if plan.errors:
            plan.creates, plan.updates = [], []
        return plan

    @staticmethod
    def _updated(person, fields, doc_type, number, phone, region, choices) -> Person:
        for name, value in fields.items():
            setattr(person, name, value)
        person.doc_type = doc_type
        person.region = region
        person.education = choices["education"] or ""
        person.title_level = choices["title_level"] or c.TitleLevel.NONE
        services._set_identifiers(person, id_number=number, phone=phone)
        return person

    def stage(self, plan: Plan):
        for row, data in plan.creates:
            registration = data.pop("_kind", None)
            yield ("people.person", row, None, data)
            if registration:
                yield ("people.registration", row, None, _registration(data, *registration))
        for row, person, before, kind in plan.updates:
            values = {
                f.attname: db_value(f, getattr(person, f.attname))
                for f in (Person._meta.get_field(name) for name in UPDATED_FIELDS)
            }
            changes = audit.diff(before, audit.snapshot(person))
            yield ("people.person", row, person.pk, {"values": values, "changes": changes})
            if kind:
                token = db_value(Registration._meta.get_field("tracking_token"), uuid.uuid4())
                yield ("people.registration", row, None, _registration(values, token, kind))

    def recheck(self, job, actor) -> list[RowError]:
        """Scope may have changed since the dry run: every staged region must still be
        the actor's to import into, every person updated still theirs to change."""
        header = {col.key: col.header for col in self.columns()}
        errors = []
        people = staging.staged(job, "people.person")
        new = people.filter(target_id__isnull=True)
        regions = set(new.values_list("data__region_id", flat=True).distinct())
        lost = regions - set(
            allowed_regions(actor, Person, "import")
            .filter(pk__in=list(regions))
            .values_list("pk", flat=True)
        )
        if lost:
            for row in new.filter(data__region_id__in=list(lost)).values_list("row", flat=True):
                errors.append(RowError(row, header["region"], _("Outside your scope.")))
        targets = dict(people.filter(target_id__isnull=False).values_list("target_id", "row"))
        if targets:
            changeable = set(
                visible_to(actor, Person, "change")
                .filter(pk__in=list(targets))
                .values_list("pk", flat=True)
            )
            for pk in set(targets) - changeable:
                errors.append(RowError(targets[pk], header["id_number"], _("Outside your scope.")))
        return sorted(errors, key=lambda e: e.row)

    def apply_staged(self, job, actor) -> dict:
        moment = clock.now()
        updated = self._apply_updates(job, actor)
        people = staging.insert(job, "people.person", Person, PERSON_COLUMNS)
        registrations = staging.insert(
            job,
            "people.registration",
            Registration,
            REGISTRATION_COLUMNS,
            fixed={
                "status": c.RegistrationStatus.CERTIFIED,
                "source": c.Source.IMPORT,
                "start_date": timezone.localdate(moment),
                "applied_at": moment,
                "reviewed_by": actor.pk,
                "reviewed_at": moment,
            },
            lookups={"person_id": staging.Lookup("people_person", "id_hash", "_person")},
        )
        written = {"people.person": {**people.as_dict(), "updated_ids": updated}}
        written["people.registration"] = registrations.as_dict()
        count_imported(job, moment)
        return written

    def _apply_updates(self, job, actor) -> list[int]:
        rows = list(staging.staged(job, "people.person", targets=True))
        if not rows:
            return []
        people = Person.objects.select_for_update().in_bulk([r.target_id for r in rows])
        changed, moves = [], []
        for staged_row in rows:
            person = people[staged_row.target_id]
            before = counters.person_state(person)
            for attname, value in staged_row.data["values"].items():
                setattr(person, attname, Person._meta.get_field(attname).to_python(value))
            if staged_row.data["changes"]:
                changed.append(person)
                moves.append((person, before))
                audit.record(
                    "people.person.updated",
                    obj=person,
                    actor=actor,
                    changes=staged_row.data["changes"],
                    detail={"via": "import", "job": str(job.pk)},
                )
        Person.objects.bulk_update(changed, UPDATED_FIELDS, batch_size=1000)
        # The registry's counters follow the people changed in place (region, title
        # level, discipline), as `update_person` moves them.
        for person, before in moves:
            counters.person_moved(person, before, counters.person_state(person))
        return [p.pk for p in changed]

    def conflicts(self, job) -> list[RowError]:
        """Rows whose document number was registered since the dry run."""
        header = {col.key: col.header for col in self.columns()}
        staged = dict(
            staging.staged(job, "people.person", targets=False).values_list("data__id_hash", "row")
        )
        taken = Person.objects.filter(id_hash__in=list(staged)).values_list("id_hash", flat=True)
        message = _("A person with this document number is already registered.")
        return sorted(
            (RowError(staged[digest], header["id_number"], message) for digest in taken),
            key=lambda e: e.row,
        )


UPDATED_FIELDS = [
    *(f for f in Person.EDITABLE_FIELDS if f != "languages"),
    "gender",
    "birth_date",
    "id_number_enc",
    "id_hash",
    "id_masked",
    "phone_enc",
    "phone_hash",
    "phone_masked",
    "search_text",
]


def count_imported(job, moment) -> None:
    """The registry's counters for what this import inserted, in its transaction while
    the staged rows are still there: the new people are exactly those whose document hash
    is in the job's staged rows (an id range could include rows inserted by others
    meanwhile), its registrations those certified at this import's moment; each counted with
    one GROUP BY into `rollups.add_many`."""
    from django.db.models import Count
    from django.db.models.fields.json import KT

    # KT: the key as text (a JSON value does not compare with a varchar on PostgreSQL).
    hashes = staging.staged(job, "people.person", targets=False).values(h=KT("data__id_hash"))
    people = (
        Person.objects.filter(id_hash__in=hashes)
        .values_list("region_id", "title_level", "discipline")
        .annotate(n=Count("pk"))
        .order_by()
    )
    # This import's registrations: certified from the import at its own moment (the
    # status and moment lead the review queue's index). Joined to the staged hashes,
    # the planner chose a plan of minutes for 100k rows.
    registrations = (
        Registration.objects.filter(
            status=c.RegistrationStatus.CERTIFIED, applied_at=moment, source=c.Source.IMPORT
        )
        .values_list("region_id", "kind", "status", "start_date")
        .annotate(n=Count("pk"))
        .order_by()
    )
    people, registrations = list(people), list(registrations)
    regions = Region.objects.in_bulk({row[0] for row in [*people, *registrations]})
    changes = []
    for region_id, title_level, discipline, n in people:
        state = counters.state_of(regions[region_id], title_level, discipline)
        changes += counters.person_changes(state, n)
    for region_id, kind, status, start_date, n in registrations:
        registration = Registration(
            region=regions[region_id], kind=kind, status=status, start_date=start_date
        )
        changes += counters.registration_changes(registration, n)
    rollups.add_many(changes)


def _registration(person: dict, token: str, kind: str) -> dict:
    """A staged certified registration of the staged (or updated) person `person`."""
    return {
        "_person": person["id_hash"],
        "kind": kind,
        "region_id": person["region_id"],
        "organization_id": person["organization_id"],
        "tracking_token": token,
    }


register_spec(PersonImport())
