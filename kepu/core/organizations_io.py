"""Excel import and export of organizations (the first user of the Excel framework)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kepu.core import audit
from kepu.core.choices import MemberSector, OrgType
from kepu.core.excel import Column, RowError
from kepu.core.imports import ImportSpec, Plan, choice_map, register_spec
from kepu.core.models import Organization
from kepu.core.scope import allowed_regions, visible_to
from kepu.core.validators import normalize_credit_code


def organization_columns() -> list[Column]:
    return [
        Column("name", _("Name"), required=True, example="四川省科学技术协会", width=30),
        Column("short_name", _("Short name"), example="四川省科协"),
        Column(
            "org_type",
            _("Type"),
            required=True,
            choices=[str(label) for label in OrgType.labels],
            example=str(OrgType.SCIENCE_ASSOCIATION.label),
            width=24,
        ),
        Column(
            "sector",
            _("Sector"),
            choices=[str(label) for label in MemberSector.labels],
            help=_("Only for member departments of the joint conference."),
        ),
        Column(
            "credit_code",
            _("Unified social credit code"),
            example="51510000450717541T",
            help=_("18 characters. Rows with a code already registered update that unit."),
            width=22,
        ),
        Column(
            "region",
            _("Region code"),
            required=True,
            example="51",
            help=_("Administrative division code, e.g. 51 (province), 5101, 510104, 510104001."),
        ),
        Column(
            "parent",
            _("Parent unit credit code"),
            help=_("Credit code of the parent unit: registered, or in an earlier row."),
            width=22,
        ),
        Column("address", _("Address"), width=30),
        Column("phone", _("Office phone")),
        Column("website", _("Website"), width=24),
        Column("description", _("Description"), width=40),
    ]


def organization_export_columns() -> list[Column]:
    return [
        *organization_columns()[:6],
        Column("region_name", _("Region")),
        *organization_columns()[6:],
        Column("is_active", _("Active")),
    ]


def organization_export_values(org: Organization) -> list:
    return [
        org.name,
        org.short_name,
        org.get_org_type_display(),
        org.get_sector_display() if org.sector else "",
        org.credit_code,
        org.region.code,
        org.region.name,
        org.parent.credit_code if org.parent else "",
        org.address,
        org.phone,
        org.website,
        org.description,
        _("Yes") if org.is_active else _("No"),
    ]


class OrganizationImport(ImportSpec):
    key = "core.organization"
    title = gettext_lazy("Organizations")
    permission = "core.organization.import"
    filename = "organizations.xlsx"

    def columns(self):
        return organization_columns()

    def list_url(self):
        return reverse("core:organization_list")

    def plan(self, rows, actor) -> Plan:
        plan = Plan()
        headers = {c.key: c.header for c in self.columns()}
        regions = {r.code: r for r in allowed_regions(actor, Organization, "import")}
        types, sectors = choice_map(OrgType), choice_map(MemberSector)
        codes = [normalize_credit_code(v["credit_code"]) for _n, v in rows if v.get("credit_code")]
        existing = {}
        for i in range(0, len(codes), 5000):
            for org in Organization.objects.filter(credit_code__in=codes[i : i + 5000]):
                existing[org.credit_code] = org
        updatable = set(
            visible_to(actor, Organization, "change")
            .filter(pk__in=[o.pk for o in existing.values()])
            .values_list("pk", flat=True)
        )
        seen_codes: dict[str, int] = {}
        by_code_in_file: dict[str, Organization] = {}
        parents_wanted = []

        def err(row, key, message):
            plan.errors.append(RowError(row, headers.get(key, ""), message))

        for row, values in rows:
            before_errors = len(plan.errors)
            code = normalize_credit_code(values.get("credit_code", ""))
            org_type = types.get(values.get("org_type", "").lower())
            if values.get("org_type") and org_type is None:
                err(row, "org_type", _("“%(v)s” is not a known type.") % {"v": values["org_type"]})
            sector = ""
            if values.get("sector"):
                sector = sectors.get(values["sector"].lower())
                if sector is None:
                    err(
                        row, "sector", _("“%(v)s” is not a known sector.") % {"v": values["sector"]}
                    )
                    sector = ""
            region = regions.get(values.get("region", ""))
            if not values.get("region"):
                err(row, "region", _("The region code is required."))
            elif region is None:
                err(
                    row,
                    "region",
                    _("Region code “%(v)s” does not exist or is outside your scope.")
                    % {"v": values["region"]},
                )
            if code:
                if code in seen_codes:
                    err(
                        row,
                        "credit_code",
                        _("This credit code already appears in row %(r)d.")
                        % {"r": seen_codes[code]},
                    )
                seen_codes.setdefault(code, row)
            target = existing.get(code) if code else None
            if target is not None and target.pk not in updatable:
                err(
                    row,
                    "credit_code",
                    _("This credit code belongs to a unit outside your scope."),
                )
            org = target if target is not None else Organization(created_by=actor)
            before = audit.snapshot(org) if target is not None else None
            org.name = values.get("name", "")
            org.short_name = values.get("short_name", "")
            org.org_type = org_type or ""
            org.sector = sector
            org.credit_code = code
            if region is not None:
                org.region = region
            org.address = values.get("address", "")
            org.phone = values.get("phone", "")
            org.website = values.get("website", "")
            org.description = values.get("description", "")
            try:
                org.clean_fields(exclude=["region", "parent", "created_by"])
                org.clean()
            except ValidationError as exc:
                for key, messages in exc.message_dict.items():
                    for message in messages:
                        err(row, key, message)
            if values.get("parent"):
                parents_wanted.append((row, org, normalize_credit_code(values["parent"])))
            if len(plan.errors) > before_errors:
                continue
            if code:
                by_code_in_file[code] = org
            if target is None:
                plan.creates.append(org)
            else:
                plan.updates.append((org, before))

        known_parents = {
            o.credit_code: o
            for o in visible_to(actor, Organization).filter(
                credit_code__in=[p for _r, _o, p in parents_wanted]
            )
        }
        for row, org, parent_code in parents_wanted:
            parent = by_code_in_file.get(parent_code) or known_parents.get(parent_code)
            if parent is None:
                err(row, "parent", _("No unit with credit code “%(v)s”.") % {"v": parent_code})
            elif parent is org:
                err(row, "parent", _("An organization cannot be its own parent."))
            else:
                org._import_parent = parent
        if plan.errors:
            plan.creates, plan.updates = [], []
        return plan

    def apply(self, plan: Plan, actor) -> None:
        Organization.objects.bulk_create(plan.creates, batch_size=1000)
        with_parent = [o for o in plan.creates if getattr(o, "_import_parent", None)]
        for org in with_parent:
            org.parent = org._import_parent
        Organization.objects.bulk_update(with_parent, ["parent"], batch_size=1000)
        audit.bulk_record(
            "core.organization.created", plan.creates, actor=actor, detail={"via": "import"}
        )
        changed = []
        for org, before in plan.updates:
            if getattr(org, "_import_parent", None):
                org.parent = org._import_parent
            changes = audit.diff(before, audit.snapshot(org))
            if changes:
                changed.append(org)
                audit.record(
                    "core.organization.updated",
                    obj=org,
                    actor=actor,
                    changes=changes,
                    detail={"via": "import"},
                )
        Organization.objects.bulk_update(changed, Organization.EDITABLE_FIELDS, batch_size=1000)


register_spec(OrganizationImport())
