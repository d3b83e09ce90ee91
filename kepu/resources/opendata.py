"""Open data of the catalog: every published entry as CSV, XLSX or JSON, and a DCAT-AP
description of the dataset (JSON-LD) for data portals.

Only published entries, only public fields: the owner is the unit's name or the
"individual applicant" label — never the applicant's name or account. Rows are read in
keyset batches (`values()`, tags for a whole batch in one query), so 100,000 entries
stream in constant memory with a few dozen queries.
"""

from __future__ import annotations

import datetime
import io
import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Max, Min, Sum
from django.db.models.functions import Substr
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kepu.core import csvcells
from kepu.core.choices import KeyGroup, OrgType, Topic
from kepu.core.excel import Column, Writer
from kepu.core.models import Organization, Region, Rollup
from kepu.resources import choices as c
from kepu.resources.models import Resource, ResourceTag
from kepu.resources.rollups import PUBLIC

BATCH = 2000
FORMATS = ("csv", "xlsx", "json")
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
PUBLIC_API_PATH = "/api/v1/public/resources/"
HOME_PROVINCE_CACHE_KEY = "kepu:resources:home-province"
MEDIA_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


@dataclass(frozen=True)
class Field:
    """One column of the open data: its stable key (CSV header, JSON key), its title
    (the XLSX header; by default the model field's name) and what it holds."""

    key: str
    label: object = None  # lazy translation; None: the verbose name of `Resource.<key>`
    help: object = ""
    width: int = 16

    @property
    def title(self) -> str:
        if self.label is not None:
            return str(self.label)
        return capfirst(str(Resource._meta.get_field(self.key).verbose_name))


FIELDS = [
    Field("uid", gettext_lazy("Identifier"), gettext_lazy("Stable identifier (UUID)."), 38),
    Field("listing_number", width=20),
    Field(
        "type",
        gettext_lazy("Resource type"),
        gettext_lazy("place, facility, product, work, info, heritage or policy."),
    ),
    Field("title", width=36),
    Field("summary", width=50),
    Field(
        "owner",
        gettext_lazy("Owner unit"),
        gettext_lazy("The unit that offers the resource; individuals are not named."),
        30,
    ),
    Field("region_code", gettext_lazy("Region code"), gettext_lazy("GB/T 2260 code.")),
    Field("region_name", gettext_lazy("Region")),
    Field(
        "groups",
        gettext_lazy("Key groups"),
        gettext_lazy(
            "Codes separated by semicolons: youth, farmers, workers, elderly, officials, general."
        ),
    ),
    Field("topics", gettext_lazy("Topics"), gettext_lazy("Topic codes separated by semicolons.")),
    Field(
        "hazards", gettext_lazy("Hazard types"), gettext_lazy("Hazard codes (emergency library).")
    ),
    Field("emergency", gettext_lazy("In the emergency library"), gettext_lazy("true or false.")),
    Field("address", width=30),
    Field("latitude", help=gettext_lazy("WGS-84 decimal degrees.")),
    Field("longitude", help=gettext_lazy("WGS-84 decimal degrees.")),
    Field("opening_hours", width=24),
    Field("authors", width=24),
    Field("publisher", width=24),
    Field("published_on", help=gettext_lazy("YYYY-MM-DD.")),
    Field("issuer", width=24),
    Field("doc_number", width=20),
    Field("issued_on", help=gettext_lazy("YYYY-MM-DD.")),
    Field("url", width=30),
    Field("detail_url", gettext_lazy("Catalog page"), width=40),
    Field(
        "first_published",
        gettext_lazy("Listed since"),
        gettext_lazy("When the entry was first published (ISO 8601)."),
        22,
    ),
    Field(
        "last_updated",
        gettext_lazy("Last updated"),
        gettext_lazy("When the entry last changed (ISO 8601)."),
        22,
    ),
]
KEYS = [f.key for f in FIELDS]

_VALUES = [
    "pk",
    "uid",
    "listing_number",
    "resource_type",
    "title",
    "summary",
    "organization__name",
    "region__code",
    "region__name",
    "is_emergency",
    "address",
    "latitude",
    "longitude",
    "opening_hours",
    "authors",
    "publisher",
    "published_on",
    "issuer",
    "doc_number",
    "issued_on",
    "url",
    "published_at",
    "updated_at",
]


def public_api_path() -> str:
    """The public catalog API (kepu.resources.api)."""
    try:
        return reverse("api:public-resource-list")
    except NoReverseMatch:
        return PUBLIC_API_PATH


def _iso(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value.isoformat()


def rows(queryset, *, detail_url) -> Iterator[dict]:
    """Each published entry of `queryset` as a dict keyed by KEYS (plain values: text,
    numbers, booleans, lists of codes). `detail_url(uid)` gives the absolute URL of its
    catalog page."""
    queryset = queryset.filter(status=c.ResourceStatus.PUBLISHED).order_by()
    individual = _("Individual applicant")
    last = 0
    while True:
        batch = list(queryset.filter(pk__gt=last).order_by("pk").values(*_VALUES)[:BATCH])
        if not batch:
            return
        last = batch[-1]["pk"]
        tags = defaultdict(lambda: defaultdict(list))
        for resource_id, kind, code in (
            ResourceTag.objects.filter(resource_id__in=[r["pk"] for r in batch])
            .order_by("resource_id", "kind", "code")
            .values_list("resource_id", "kind", "code")
        ):
            tags[resource_id][kind].append(code)
        for r in batch:
            own = tags[r["pk"]]
            yield {
                "uid": str(r["uid"]),
                "listing_number": r["listing_number"],
                "type": r["resource_type"],
                "title": r["title"],
                "summary": r["summary"],
                "owner": r["organization__name"] or individual,
                "region_code": r["region__code"],
                "region_name": r["region__name"],
                "groups": own[c.TagKind.GROUP],
                "topics": own[c.TagKind.TOPIC],
                "hazards": own[c.TagKind.HAZARD],
                "emergency": r["is_emergency"],
                "address": r["address"],
                "latitude": float(r["latitude"]) if r["latitude"] is not None else None,
                "longitude": float(r["longitude"]) if r["longitude"] is not None else None,
                "opening_hours": r["opening_hours"],
                "authors": r["authors"],
                "publisher": r["publisher"],
                "published_on": _iso(r["published_on"]),
                "issuer": r["issuer"],
                "doc_number": r["doc_number"],
                "issued_on": _iso(r["issued_on"]),
                "url": r["url"],
                "detail_url": detail_url(r["uid"]),
                "first_published": _iso(r["published_at"]),
                "last_updated": _iso(r["updated_at"]),
            }


def _flat(value) -> str | float:
    """A value as a CSV cell."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(value)
    if value is None:
        return ""
    return value


class _Line:
    """A file-like object whose writes the CSV writer hands back as one line."""

    def write(self, value):
        return value


def csv_chunks(records) -> Iterator[str]:
    """The CSV file in pieces: a UTF-8 BOM (so that Excel reads the Chinese text), the
    header of stable keys, one line per entry (text that a spreadsheet would run as a
    formula is escaped: `core.csvcells`)."""
    writer = csvcells.writer(_Line())
    yield "\ufeff" + writer.writerow(KEYS)
    buffer = io.StringIO()
    lines = csvcells.writer(buffer)
    for n, record in enumerate(records, start=1):
        lines.writerow([_flat(record[k]) for k in KEYS])
        if n % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def json_chunks(records, meta: dict) -> Iterator[str]:
    """The JSON document in pieces: {"meta": {...}, "resources": [{...}, ...]}."""
    yield '{"meta": ' + json.dumps(meta, ensure_ascii=False) + ', "resources": ['
    buffer = []
    for n, record in enumerate(records):
        buffer.append(("," if n else "") + json.dumps(record, ensure_ascii=False))
        if len(buffer) >= 500:
            yield "".join(buffer)
            buffer = []
    yield "".join(buffer) + "]}"


def _labels(choices, codes) -> str:
    labels = dict(choices)
    return "、".join(str(labels.get(code, code)) for code in codes)


def xlsx_response(records, filename: str):
    """The workbook (constant memory): translated headers, labels instead of codes."""
    columns = [Column(f.key, f.title, width=f.width) for f in FIELDS]
    writer = Writer()
    sheet = writer.sheet(str(_("Resource catalog"))[:31], columns)
    yes, no = _("Yes"), _("No")
    for row, record in enumerate(records, start=1):
        values = dict(record)
        values["type"] = str(c.ResourceType(record["type"]).label)
        values["groups"] = _labels(KeyGroup.choices, record["groups"])
        values["topics"] = _labels(Topic.choices, record["topics"])
        values["hazards"] = _labels(Topic.choices, record["hazards"])
        values["emergency"] = yes if record["emergency"] else no
        writer.write_row(sheet, row, [values[k] for k in KEYS])
    return writer.close(filename)


def meta(request, *, count: int, filters: dict) -> dict:
    """The `meta` block of the JSON download."""
    return {
        "title": _("Science popularization resource catalog"),
        "publisher": publisher_name(),
        "license": LICENSE_URL,
        "license_note": _("Open data: free to reuse, including commercially, with attribution."),
        "generated": timezone.localtime().isoformat(timespec="seconds"),
        "count": count,
        "filters": filters,
        "fields": {f.key: f.title for f in FIELDS},
        "source": request.build_absolute_uri(reverse("resources:open_data")),
    }


# --- DCAT ------------------------------------------------------------------------------


def home_province() -> Region | None:
    """The province whose catalog this is: the one holding the most published entries
    (counted from the catalog's counters, a few thousand rows; cached for a few
    minutes)."""

    def busiest() -> str:
        top = (
            Rollup.objects.filter(metric=PUBLIC, key__endswith="|", value__gt=0)
            .annotate(_province=Substr("path", 1, 2))
            .values("_province")
            .annotate(n=Sum("value"))
            .order_by("-n", "_province")
            .first()
        )
        return top["_province"] if top else ""

    code = cache.get(HOME_PROVINCE_CACHE_KEY)
    if code is None:
        code = busiest()
        if not code:  # an empty catalog: ask again next time
            return None
        cache.set(HOME_PROVINCE_CACHE_KEY, code, 600)
    return Region.objects.filter(code=code, level=1).first()


def publisher_name() -> str:
    """The science association of the province (the organization, not a person), else
    the platform."""
    province = home_province()
    if province is not None:
        unit = (
            Organization.objects.filter(
                region=province, org_type=OrgType.SCIENCE_ASSOCIATION, parent__isnull=True
            )
            .order_by("pk")
            .first()
        )
        if unit is not None:
            return unit.name
    return _("Kepu — science popularization platform")


def dcat(request) -> dict:
    """A DCAT-AP (https://semiceu.github.io/DCAT-AP/) catalog with the one dataset of the
    published catalog and its distributions."""
    absolute = request.build_absolute_uri
    published = Resource.objects.published()
    span = published.aggregate(
        modified=Max("updated_at"), start=Min("published_at"), end=Max("published_at")
    )
    province = home_province()
    publisher = {
        "@type": "foaf:Organization",
        "foaf:name": publisher_name(),
        "foaf:homepage": absolute("/"),
    }
    page = absolute(reverse("resources:open_data"))
    dataset_id = absolute(reverse("resources:open_data")) + "#dataset"
    distributions = []
    for fmt in FORMATS:
        url = absolute(reverse("resources:download", args=[fmt]))
        distributions.append(
            {
                "@id": url,
                "@type": "dcat:Distribution",
                "dct:title": _("Resource catalog (%(format)s)") % {"format": fmt.upper()},
                "dcat:accessURL": {"@id": url},
                "dcat:downloadURL": {"@id": url},
                "dcat:mediaType": MEDIA_TYPES[fmt],
                "dct:format": fmt.upper(),
                "dct:license": {"@id": LICENSE_URL},
            }
        )
    api = absolute(public_api_path())
    distributions.append(
        {
            "@id": api,
            "@type": "dcat:Distribution",
            "dct:title": _("Public API (JSON)"),
            "dcat:accessURL": {"@id": api},
            "dcat:mediaType": "application/json",
            "dct:format": "API",
            "dct:conformsTo": {"@id": absolute(reverse("api:schema"))},
            "dct:license": {"@id": LICENSE_URL},
        }
    )
    dataset = {
        "@id": dataset_id,
        "@type": "dcat:Dataset",
        "dct:identifier": "kepu-resource-catalog",
        "dct:title": _("Science popularization resource catalog"),
        "dct:description": _(
            "The published entries of the science popularization resource catalog: places "
            "and venues, facilities, products, works, information, natural heritage and "
            "policy documents, with their key groups, topics and locations."
        ),
        "dcat:keyword": [
            _("science popularization"),
            _("science literacy"),
            _("science venues"),
            _("emergency science"),
            _("policy documents"),
        ],
        "dcat:theme": [
            {"@id": "http://publications.europa.eu/resource/authority/data-theme/EDUC"},
            {"@id": "http://publications.europa.eu/resource/authority/data-theme/TECH"},
        ],
        "dct:publisher": publisher,
        "dcat:contactPoint": {
            "@type": "vcard:Organization",
            "vcard:fn": publisher_name(),
            "vcard:hasURL": {"@id": page},
        },
        "dct:license": {"@id": LICENSE_URL},
        "dct:accessRights": {
            "@id": "http://publications.europa.eu/resource/authority/access-right/PUBLIC"
        },
        "dcat:landingPage": {"@id": page},
        "dct:accrualPeriodicity": {
            "@id": "http://publications.europa.eu/resource/authority/frequency/CONT"
        },
        "dcat:distribution": distributions,
    }
    if span["modified"]:
        dataset["dct:modified"] = {
            "@value": _iso(span["modified"]),
            "@type": "xsd:dateTime",
        }
    if span["start"]:
        dataset["dct:temporal"] = {
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": {"@value": _iso(span["start"].date()), "@type": "xsd:date"},
            "dcat:endDate": {"@value": _iso(span["end"].date()), "@type": "xsd:date"},
        }
    if province is not None:
        dataset["dct:spatial"] = {
            "@type": "dct:Location",
            "locn:geographicName": province.name,
            "dct:identifier": province.code,
        }
    return {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "vcard": "http://www.w3.org/2006/vcard/ns#",
            "locn": "http://www.w3.org/ns/locn#",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@id": absolute(reverse("resources:dcat")),
        "@type": "dcat:Catalog",
        "dct:title": _("Kepu open data"),
        "dct:description": _(
            "Open data of the science popularization platform, free to reuse with attribution."
        ),
        "dct:publisher": publisher,
        "dct:language": {"@id": "http://publications.europa.eu/resource/authority/language/ZHO"},
        "foaf:homepage": {"@id": page},
        "dct:license": {"@id": LICENSE_URL},
        "dcat:dataset": [dataset],
    }
