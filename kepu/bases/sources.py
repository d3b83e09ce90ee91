"""The registry values the rubric engine's computed criteria read about a base (seed 000
(四): talent structure and awards in the base evaluation indicators). Each source answers
for all bases at once in one grouped query; `context["year"]` is the year evaluated."""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from kepu.bases.models import Base
from kepu.rubrics.engine import register_source

SUBJECT = "bases.base"


# Past this many ids a source reads every base and keeps the asked ones: a province-wide
# evaluation asks for all 5,000 bases, and an IN list of thousands of literals costs the
# database more than reading the (narrow) whole table.
WHOLE_TABLE_FROM = 500


def _bases(ids, *fields):
    """{base id: (fields…)} of the bases `ids`."""
    rows = Base.objects.all() if len(ids) > WHOLE_TABLE_FROM else Base.objects.filter(pk__in=ids)
    wanted = set(ids)
    return {row[0]: row[1:] for row in rows.values_list("pk", *fields) if row[0] in wanted}


def _field(name):
    def compute(ids, context):
        return {pk: row[0] for pk, row in _bases(ids, name).items()}

    return compute


for _code, _label, _unit in (
    ("bases.open_days", _("Open days a year (registry)"), _("days")),
    ("bases.area_m2", _("Exhibition area (registry)"), "m²"),
    ("bases.staff", _("Full-time staff (registry)"), _("people")),
    ("bases.docents", _("Docents (registry)"), _("people")),
):
    register_source(_code, _label, _unit, SUBJECT)(_field(_code.split(".", 1)[1]))


def _by_unit(ids, rows, unit_lookup):
    """{base id: n} from `rows` grouped by their unit (`unit_lookup`), each base taking
    its unit's count."""
    units = {pk: row[0] for pk, row in _bases(ids, "organization_id").items()}
    if len(units) <= WHOLE_TABLE_FROM:
        rows = rows.filter(**{f"{unit_lookup}__in": set(units.values())})
    counts = dict(rows.values_list(unit_lookup).annotate(n=Count("pk")).order_by())
    return {pk: counts.get(unit, 0) for pk, unit in units.items()}


@register_source(
    "bases.activities_held", _("Published activities held in the year"), _("activities"), SUBJECT
)
def activities_held(ids, context):
    from kepu.activities.choices import ActivityStatus
    from kepu.activities.models import Activity

    rows = Activity.objects.filter(status=ActivityStatus.PUBLISHED)
    year = context.get("year")
    if year:
        rows = rows.filter(starts_at__year=year)
    return _by_unit(ids, rows, "organization_id")


@register_source(
    "bases.senior_staff", _("Registered staff with senior titles"), _("people"), SUBJECT
)
def senior_staff(ids, context):
    from kepu.people.choices import TitleLevel
    from kepu.people.models import Person

    rows = Person.objects.filter(
        title_level__in=(TitleLevel.SENIOR, TitleLevel.DEPUTY_SENIOR), erased_at=None
    )
    return _by_unit(ids, rows, "organization_id")


@register_source("bases.honours", _("Honours awarded to its people"), _("honours"), SUBJECT)
def honours(ids, context):
    from kepu.people.models import HonourAward

    rows = HonourAward.objects.filter(person__erased_at=None)
    year = context.get("year")
    if year:
        rows = rows.filter(year__lte=year)
    return _by_unit(ids, rows, "person__organization_id")
