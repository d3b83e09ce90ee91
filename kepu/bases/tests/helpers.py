"""Test data for the bases app, through the services."""

import datetime

from kepu.bases import choices as c
from kepu.bases import services
from kepu.core.choices import OrgType
from kepu.core.models import Organization, Region


def make_unit(name: str, region_code: str = "510104", org_type=OrgType.VENUE) -> Organization:
    region = Region.objects.get(code=region_code)
    unit, _created = Organization.objects.get_or_create(
        name=name, defaults={"org_type": org_type, "region": region}
    )
    return unit


def make_base(
    name: str = "锦江区科技馆",
    *,
    region_code: str = "510104",
    level=c.BaseLevel.COUNTY,
    category=c.BaseCategory.VENUE,
    valid_from=datetime.date(2024, 3, 1),
    **fields,
):
    unit = make_unit(fields.pop("unit_name", name), region_code)
    fields.setdefault("open_days", 280)
    fields.setdefault("area_m2", 1200)
    return services.register_base(
        actor=None,
        organization=unit,
        level=level,
        category=category,
        valid_from=valid_from,
        name=name,
        **fields,
    )
