"""Excel import of resource lists (资源名录批量申报). Every row becomes a catalog entry
applied for by the importer, through the same service and the same checks as the form:
complete rows are submitted to the completeness check, incomplete ones stay drafts.
Nothing is ever published by an import: imported entries go through the review."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from kepu.core import audit
from kepu.core.choices import KeyGroup, Topic
from kepu.core.excel import Column, RowError
from kepu.core.imports import ImportSpec, Plan, choice_map, register_spec
from kepu.core.models import Organization, Region
from kepu.core.scope import visible_to
from kepu.core.validators import normalize_credit_code
from kepu.resources import choices as c
from kepu.resources import services
from kepu.resources.models import Resource
from kepu.resources.permissions import may_apply_as_individual, own_units, require_applicant

MAX_ROWS = 1000
SEPARATORS = re.compile(r"[、,，;；\n]+")
DATE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)
# The model field that the "kind" column feeds, per type.
KIND_FIELDS = {
    c.ResourceType.PLACE: ("place_kind", c.PlaceKind),
    c.ResourceType.WORK: ("work_kind", c.WorkKind),
    c.ResourceType.HERITAGE: ("heritage_kind", c.HeritageKind),
}
TAG_MAPS = {"groups": KeyGroup, "topics": Topic, "hazards": None}
INTEGER_FIELDS = {"capacity", "quantity", "duration_minutes"}
DECIMAL_FIELDS = {"latitude", "longitude"}
DATE_FIELDS = {"published_on", "issued_on"}
# Columns read as text, numbers or dates, by model field (the header is its name).
LOCATION_FIELDS = [
    "keywords",
    "url",
    "address",
    "latitude",
    "longitude",
    "opening_hours",
    "capacity",
    "booking_info",
]
DETAIL_FIELDS = [
    "specification",
    "quantity",
    "sharing_terms",
    "authors",
    "publisher",
    "published_on",
    "duration_minutes",
    "scientific_name",
    "plain_description",
    "issuer",
    "doc_number",
    "issued_on",
    "body",
]
VALUE_FIELDS = ["description", *LOCATION_FIELDS, *DETAIL_FIELDS]


def _field_header(name) -> str:
    # Two field names are shared with other apps in another sense ("summary" of an
    # activity, "document number" of an ID card): their headers get their own context.
    if name == "summary":
        return pgettext("resource catalog", "Summary")
    if name == "doc_number":
        return pgettext("resource catalog", "Document number")
    return capfirst(str(Resource._meta.get_field(name).verbose_name))


def _labels(choices) -> str:
    return "、".join(str(label) for _value, label in choices)


def _types_for(name) -> str:
    return "、".join(
        str(label)
        for value, label in c.ResourceType.choices
        if name in Resource.TYPE_FIELDS.get(value, [])
    )


FIELD_EXAMPLES = {
    "description": "设有机器人、航天、地震科普等展区，周末开展科学实验课。",
    "keywords": "科技馆、青少年、地震科普",
    "address": "成都市锦江区东大街100号",
    "latitude": "30.6516",
    "longitude": "104.083",
    "opening_hours": "周二至周日 9:00—17:00",
    "capacity": "800",
    "booking_info": "提前一天在官网预约",
}


def _text_column(name) -> Column:
    field = Resource._meta.get_field(name)
    help_parts = []
    if name not in Resource.COMMON_FIELDS:
        help_parts.append(_("Only for: %(types)s.") % {"types": _types_for(name)})
    if name in DATE_FIELDS:
        help_parts.append(_("A date such as 2024-05-01."))
    elif name in DECIMAL_FIELDS:
        help_parts.append(_("Decimal degrees (WGS-84), e.g. 30.6516 and 104.083."))
    elif name in INTEGER_FIELDS:
        help_parts.append(_("A whole number."))
    elif name == "keywords":
        help_parts.append(str(field.help_text))
    elif name == "url":
        help_parts.append(_("A full address starting with https:// or http://."))
    wide = name in ("description", "plain_description", "body", "address", "url")
    return Column(
        name,
        _field_header(name),
        example=FIELD_EXAMPLES.get(name, ""),
        help=" ".join(help_parts),
        width=30 if wide else 18,
    )


def resource_columns() -> list[Column]:
    kinds = "；".join(
        f"{c.ResourceType(t).label}：{_labels(kind.choices)}"
        for t, (_f, kind) in KIND_FIELDS.items()
    )
    return [
        Column(
            "resource_type",
            _field_header("resource_type"),
            required=True,
            choices=[str(label) for label in c.ResourceType.labels],
            example=str(c.ResourceType.PLACE.label),
            width=16,
        ),
        Column(
            "title", _field_header("title"), required=True, example="锦江区青少年科技馆", width=28
        ),
        Column(
            "summary",
            _field_header("summary"),
            required=True,
            example="面向中小学生的综合性科技馆，常设展厅六个。",
            help=_("At most 300 characters."),
            width=36,
        ),
        _text_column("description"),
        Column(
            "region",
            _("Region code"),
            required=True,
            example="510104",
            help=_("Administrative division code where the resource is, e.g. 510104."),
        ),
        Column(
            "organization",
            _field_header("organization"),
            example="锦江区科学技术协会",
            help=_(
                "Its exact name or unified social credit code. Member units: leave empty for "
                "your own unit. Leave empty when you apply in your own name."
            ),
            width=24,
        ),
        Column(
            "groups",
            services.field_label("groups"),
            required=True,
            example="、".join(str(g.label) for g in (KeyGroup.YOUTH, KeyGroup.GENERAL)),
            help=_("One or more, separated by “、” or commas: %(values)s.")
            % {"values": _labels(KeyGroup.choices)},
            width=22,
        ),
        Column(
            "topics",
            services.field_label("topics"),
            example=str(Topic.SPACE.label),
            help=_("One or more, separated by “、” or commas: %(values)s.")
            % {"values": _labels(Topic.choices)},
            width=22,
        ),
        Column(
            "is_emergency",
            _field_header("is_emergency"),
            choices=[_("Yes"), _("No")],
            example=_("No"),
            help=_("Yes puts it in the emergency library; then name its hazard types."),
            width=12,
        ),
        Column(
            "hazards",
            services.field_label("hazards"),
            help=_("One or more, separated by “、” or commas: %(values)s.")
            % {"values": _labels(c.HAZARD_CHOICES)},
            width=20,
        ),
        *(_text_column(name) for name in LOCATION_FIELDS),
        Column(
            "kind",
            _("Kind of place, work or heritage"),
            example=str(c.PlaceKind.SCIENCE_MUSEUM.label),
            help=_("Required for places, works and natural heritage. %(kinds)s.")
            % {"kinds": kinds},
            width=20,
        ),
        *(_text_column(name) for name in DETAIL_FIELDS),
    ]


def _yes_no() -> dict:
    mapping = {"是": True, "否": False, "yes": True, "no": False, "y": True, "n": False}
    mapping.update({"true": True, "false": False, "1": True, "0": False})
    for language in ("zh-hans", "en"):
        with translation.override(language):
            mapping[_("Yes").lower()] = True
            mapping[_("No").lower()] = False
    return mapping


def _tag_maps() -> dict:
    return {
        name: choice_map(choices or SimpleNamespace(choices=c.HAZARD_CHOICES))
        for name, choices in TAG_MAPS.items()
    }


def items_given(text) -> bool:
    return any(p.strip() for p in SEPARATORS.split(text))


def _parse_date(text) -> datetime.date:
    match = DATE.fullmatch(text.strip())
    if match is None:
        raise ValueError
    return datetime.date(*(int(part) for part in match.groups()))


@dataclass
class Entry:
    """One row checked and ready to be applied for."""

    row: int
    resource_type: str
    organization: Organization | None
    content: dict
    complete: bool


class ResourceImport(ImportSpec):
    key = "resources.resource"
    title = gettext_lazy("Resources")
    permission = "resources.resource.create"
    filename = "resources.xlsx"

    def columns(self):
        return resource_columns()

    def list_url(self):
        return reverse("resources:resource_list")

    def plan(self, rows, actor) -> Plan:
        plan = Plan()
        headers = {col.key: col.header for col in self.columns()}
        for _kind, (name, _choices) in KIND_FIELDS.items():
            headers[name] = headers["kind"]

        def err(row, key, message):
            plan.errors.append(RowError(row, headers.get(key, ""), str(message)))

        if len(rows) > MAX_ROWS:
            err(
                rows[MAX_ROWS][0],
                "",
                _("A file holds at most %(n)d entries: split it into several files.")
                % {"n": MAX_ROWS},
            )
            return plan
        types = choice_map(c.ResourceType)
        kinds = {t: choice_map(kind) for t, (_f, kind) in KIND_FIELDS.items()}
        tags = _tag_maps()
        yes_no = _yes_no()
        regions = {
            r.code: r
            for r in Region.objects.filter(code__in={v.get("region", "") for _r, v in rows})
        }
        refs = {v["organization"].strip() for _r, v in rows if v.get("organization", "").strip()}
        units = list(
            visible_to(actor, Organization).filter(
                Q(credit_code__in={normalize_credit_code(ref) for ref in refs}) | Q(name__in=refs)
            )
        )
        mine = own_units(actor)
        units.extend(mine)
        individual = may_apply_as_individual(actor)
        existing = self._existing(rows, actor)
        allowed: dict = {}  # (organization, region) -> error raised by require_applicant
        seen: dict = {}

        for row, values in rows:
            count = len(plan.errors)
            raw_type = values.get("resource_type", "")
            resource_type = types.get(raw_type.lower()) if raw_type else None
            if not raw_type:
                err(row, "resource_type", _("The resource type is required."))
            elif resource_type is None:
                err(
                    row,
                    "resource_type",
                    _("“%(v)s” is not one of the allowed values.") % {"v": raw_type},
                )
            region = regions.get(values.get("region", ""))
            if not values.get("region"):
                err(row, "region", _("The region code is required."))
            elif region is None:
                err(
                    row,
                    "region",
                    _("Region code “%(v)s” does not exist.") % {"v": values["region"]},
                )
            organization = None
            ref = values.get("organization", "").strip()
            if ref and individual:
                err(
                    row,
                    "organization",
                    _("Leave the owner unit empty: you apply in your own name."),
                )
            elif ref:
                found = {
                    u.pk: u
                    for u in units
                    if u.credit_code == normalize_credit_code(ref) or u.name == ref
                }
                if len(found) == 1:
                    organization = next(iter(found.values()))
                elif found:
                    err(
                        row,
                        "organization",
                        _("Several units are named “%(v)s”: give its credit code.") % {"v": ref},
                    )
                else:
                    err(
                        row,
                        "organization",
                        _("No unit you can see has this name or credit code: “%(v)s”.")
                        % {"v": ref},
                    )
            elif len(mine) == 1:
                organization = mine[0]  # member-unit staff apply for their own unit
            content = {"title": values.get("title", ""), "summary": values.get("summary", "")}
            if region is not None:
                content["region"] = region
            for key in ("title", "summary"):
                if not content[key]:
                    err(row, key, _("This column is required."))
            self._read_fields(values, resource_type, content, kinds, yes_no, tags, err, row)
            if len(plan.errors) > count:
                continue
            key = (organization, region)
            if key not in allowed:
                try:
                    require_applicant(actor, organization, region)
                    allowed[key] = None
                except ValidationError as exc:
                    allowed[key] = exc
            if allowed[key] is not None:
                self._service_errors(allowed[key], err, row, default="region")
                continue
            try:
                services.check_content(resource_type, content)
                resource = Resource(
                    resource_type=resource_type, organization=organization, region=region
                )
                services.set_fields(resource, content)
                resource.clean_fields(
                    exclude=["search_text", "region", "organization", "created_by"]
                )
            except ValidationError as exc:
                self._service_errors(exc, err, row, default="")
                continue
            identity = (
                resource_type,
                content["title"],
                organization.pk if organization else None,
                region.code,
            )
            if identity in seen:
                err(
                    row,
                    "title",
                    _("The same entry already appears in row %(r)d.") % {"r": seen[identity]},
                )
                continue
            seen[identity] = row
            if identity[:3] in existing:
                err(
                    row,
                    "title",
                    _("This entry is already in the catalog (same type, title and owner)."),
                )
                continue
            complete = not services.missing_fields(resource_type, content)
            plan.creates.append(Entry(row, resource_type, organization, content, complete))
        if plan.errors:
            plan.creates = []
        return plan

    @staticmethod
    def _existing(rows, actor) -> set:
        """(type, title, owner unit) of the live catalog entries with the file's titles
        (an individual's own entries when no unit): importing a file twice is refused."""
        titles = {v.get("title", "") for _r, v in rows} - {""}
        found = set()
        queryset = Resource.objects.filter(title__in=titles).exclude(
            status__in=[c.ResourceStatus.WITHDRAWN, c.ResourceStatus.REJECTED]
        )
        for resource_type, title, organization_id, created_by_id in queryset.values_list(
            "resource_type", "title", "organization_id", "created_by_id"
        ):
            if organization_id is not None or created_by_id == actor.pk:
                found.add((resource_type, title, organization_id))
        return found

    @staticmethod
    def _service_errors(exc, err, row, *, default):
        if hasattr(exc, "error_dict"):
            for key, messages in exc.message_dict.items():
                for message in messages:
                    err(row, key if key != "__all__" else default, message)
        else:
            for message in exc.messages:
                err(row, default, message)

    @staticmethod
    def _read_fields(values, resource_type, content, kinds, yes_no, tags, err, row):
        """Fill `content` from the row's columns; the type's own fields only (the others
        are left empty by the service anyway)."""
        own = set(Resource.COMMON_FIELDS)
        if resource_type:
            own |= set(Resource.TYPE_FIELDS[resource_type])
        for name in VALUE_FIELDS:
            text = values.get(name, "").strip()
            if name not in own:
                continue
            if not text:
                content[name] = None if Resource._meta.get_field(name).null else ""
                continue
            try:
                if name in INTEGER_FIELDS:
                    if not text.isdigit():
                        raise ValueError
                    value = int(text)
                elif name in DECIMAL_FIELDS:
                    value = Decimal(text).quantize(Decimal("0.000001"))
                elif name in DATE_FIELDS:
                    value = _parse_date(text)
                else:
                    value = text
            except (ValueError, InvalidOperation, ArithmeticError):
                if name in DATE_FIELDS:
                    message = _("“%(v)s” is not a date such as 2024-05-01.")
                elif name in INTEGER_FIELDS:
                    message = _("“%(v)s” is not a whole number.")
                else:
                    message = _("“%(v)s” is not a number.")
                err(row, name, message % {"v": text})
                continue
            content[name] = value
        if resource_type in KIND_FIELDS:
            field, _choices = KIND_FIELDS[resource_type]
            raw = values.get("kind", "").strip()
            content[field] = kinds[resource_type].get(raw.lower(), "") if raw else ""
            if raw and not content[field]:
                err(
                    row,
                    "kind",
                    _("“%(v)s” is not a kind of %(type)s.")
                    % {"v": raw, "type": c.ResourceType(resource_type).label},
                )
        raw = values.get("is_emergency", "").strip().lower()
        content["is_emergency"] = yes_no.get(raw, False) if raw else False
        if raw and raw not in yes_no:
            err(row, "is_emergency", _("Answer yes or no."))
        for name, mapping in tags.items():
            items = [p.strip() for p in SEPARATORS.split(values.get(name, "")) if p.strip()]
            unknown = [item for item in items if item.lower() not in mapping]
            if unknown:
                err(row, name, _("Unknown values: %(values)s.") % {"values": "、".join(unknown)})
            content[name] = sorted({mapping[i.lower()] for i in items if i.lower() in mapping})
        if not items_given(values.get("groups", "")):
            err(row, "groups", _("Choose at least one audience group."))

    def apply(self, plan: Plan, actor) -> None:
        submitted = 0
        for entry in plan.creates:
            resource = services.create_resource(
                actor=actor,
                resource_type=entry.resource_type,
                organization=entry.organization,
                content=entry.content,
                submit=entry.complete,
                audit_entry=False,
            )
            audit.created(resource, actor=actor, detail={"via": "import", "row": entry.row})
            submitted += entry.complete
        audit.record(
            "resources.resource.imported",
            actor=actor,
            object_type="resources.resource",
            detail={
                "created": len(plan.creates),
                "submitted": submitted,
                "drafts": len(plan.creates) - submitted,
            },
        )


register_spec(ResourceImport())
