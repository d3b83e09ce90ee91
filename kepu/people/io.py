"""Excel import and export of people. Rows are deduplicated on the document number:
a number already registered updates that person instead of creating a second one."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from kepu.core import audit, clock, crypto, pii, rollups
from kepu.core.excel import Column, RowError
from kepu.core.imports import ImportSpec, Plan, choice_map, register_spec
from kepu.core.models import Organization, Region
from kepu.core.scope import allowed_regions, visible_to
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


class PersonImport(ImportSpec):
    key = "people.person"
    title = gettext_lazy("People")
    permission = "people.person.import"
    filename = "people.xlsx"

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
        hashes = {}
        for row, values in rows:
            number = values.get("id_number", "").replace(" ", "").upper()
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
            person = target or Person()
            before = audit.snapshot(person) if target else None
            person.name = values.get("name", "")
            person.doc_type = doc_type
            person.email = values.get("email", "")
            if region is not None:
                person.region = region
            person.organization = organization
            person.education = choices["education"] or ""
            person.title_level = choices["title_level"] or c.TitleLevel.NONE
            person.title = values.get("title", "")
            person.discipline = discipline
            person.specialties = values.get("specialties", "")
            phone = values.get("phone", "")
            try:
                if phone:
                    pii.validate_mobile(phone)
            except ValidationError as exc:
                err(row, "phone", exc.messages[0])
                phone = None
            try:
                if number and phone is not None:
                    services._set_identifiers(person, id_number=number, phone=phone)
                person.clean_fields(exclude=["region", "organization", "user"])
            except ValidationError as exc:
                for key, messages in exc.message_dict.items():
                    for message in messages:
                        err(row, key, message)
            if len(plan.errors) > count:
                continue
            services._refresh_search(person)
            person._import_kind = choices["kind"] or ""
            if person._import_kind and target and (target.pk, person._import_kind) in active:
                person._import_kind = ""  # already holds it: nothing to add
            if target is None:
                plan.creates.append(person)
            else:
                plan.updates.append((person, before))
        if plan.errors:
            plan.creates, plan.updates = [], []
        return plan

    def apply(self, plan: Plan, actor) -> None:
        Person.objects.bulk_create(plan.creates, batch_size=1000)
        rollups.add_many(
            change
            for person in plan.creates
            for change in counters.person_changes(counters.person_state(person), 1)
        )
        audit.bulk_record(
            "people.person.created", plan.creates, actor=actor, detail={"via": "import"}
        )
        changed = []
        for person, before in plan.updates:
            changes = audit.diff(before, audit.snapshot(person))
            if changes:
                changed.append(person)
                audit.record(
                    "people.person.updated",
                    obj=person,
                    actor=actor,
                    changes=changes,
                    detail={"via": "import"},
                )
        fields = [*Person.EDITABLE_FIELDS, "phone_enc", "phone_hash", "phone_masked", "search_text"]
        Person.objects.bulk_update(changed, fields, batch_size=1000)
        _move_counts(plan.updates)
        moment = clock.now()
        registrations = [
            Registration(
                person=p,
                kind=p._import_kind,
                region=p.region,
                organization=p.organization,
                status=c.RegistrationStatus.CERTIFIED,
                source=c.Source.IMPORT,
                start_date=timezone.localdate(moment),
                applied_at=moment,
                reviewed_by=actor,
                reviewed_at=moment,
            )
            for p in [*plan.creates, *(p for p, _b in plan.updates)]
            if p._import_kind
        ]
        Registration.objects.bulk_create(registrations, batch_size=1000)
        rollups.add_many(
            change for r in registrations for change in counters.registration_changes(r, 1)
        )
        audit.bulk_record(
            "people.registration.created", registrations, actor=actor, detail={"via": "import"}
        )


def _move_counts(updates) -> None:
    """The registry's counters follow the people an import changed (region, title level
    or discipline); pool memberships move only with a change of county."""
    regions = Region.objects.in_bulk({before["region"] for _p, before in updates})
    for person, before in updates:
        old = counters.state_of(
            regions[before["region"]], before["title_level"], before["discipline"]
        )
        counters.person_moved(person, old, counters.person_state(person))


register_spec(PersonImport())
