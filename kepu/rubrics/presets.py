"""Ready-made criteria for the usual rubrics, as data (the demo and new rounds start from
them; officers copy and adapt). The annual-evaluation rubric follows the 科普教育基地运行
情况考核自评表 (domain.md §7.2) with seed 000 (四)'s talent and awards indicators."""

from django.utils.translation import gettext as _

from kepu.rubrics import choices as c


def _bands(*rows):
    """[(min, max, share %), ...] → the bands' JSON."""
    return [{"min": lo, "max": hi, "share": share} for lo, hi, share in rows]


def base_annual_criteria():
    """100 points: facilities 25, operations 50, people and results 25."""
    facilities, operations, people = _("Facilities"), _("Operations"), _("People and results")
    return [
        dict(
            code="area",
            group=facilities,
            name=_("Exhibition area"),
            weight=10,
            method=c.Method.AUTO,
            source="bases.area_m2",
            unit="m²",
            bands=_bands((None, 150, 25), (150, 500, 50), (500, 1000, 75), (1000, None, 100)),
            evidence=_("Floor plan of the exhibition space"),
        ),
        dict(
            code="renewal",
            group=facilities,
            name=_("Exhibits renewed in the year"),
            weight=5,
            method=c.Method.BANDED,
            unit="%",
            bands=_bands((None, 5, 0), (5, 10, 40), (10, 15, 70), (15, None, 100)),
            evidence=_("List of new or renewed exhibits"),
        ),
        dict(
            code="safety",
            group=facilities,
            name=_("Safety and environment"),
            weight=10,
            method=c.Method.MANUAL,
            evidence=_("Safety rules, inspection records, the self-report's safety section"),
        ),
        dict(
            code="open_days",
            group=operations,
            name=_("Open days in the year"),
            weight=10,
            method=c.Method.BANDED,
            unit=_("days"),
            bands=_bands((None, 200, 0), (200, 251, 60), (251, 301, 80), (301, None, 100)),
            evidence=_("Opening calendar"),
        ),
        dict(
            code="visitors",
            group=operations,
            name=_("Visitors in the year"),
            weight=15,
            method=c.Method.BANDED,
            unit=_("visits"),
            bands=_bands(
                (None, 1000, 0), (1000, 10000, 50), (10000, 30000, 80), (30000, None, 100)
            ),
            evidence=_("Visitor statistics"),
        ),
        dict(
            code="activities",
            group=operations,
            name=_("Activities held"),
            weight=15,
            method=c.Method.AUTO,
            source="bases.activities_held",
            unit=_("activities"),
            bands=_bands((None, 2, 0), (2, 5, 50), (5, 12, 80), (12, None, 100)),
            evidence=_("Activities published on the platform"),
        ),
        dict(
            code="free",
            group=operations,
            name=_("Free or discounted admissions"),
            weight=10,
            method=c.Method.MANUAL,
            evidence=_("Admission policy, free days for students"),
        ),
        dict(
            code="talent",
            group=people,
            name=_("Staff with senior titles"),
            weight=10,
            method=c.Method.AUTO,
            source="bases.senior_staff",
            unit=_("people"),
            bands=_bands((None, 1, 0), (1, 3, 60), (3, None, 100)),
            evidence=_("Registered staff and their titles"),
        ),
        dict(
            code="honours",
            group=people,
            name=_("Honours of its people"),
            weight=5,
            method=c.Method.AUTO,
            source="bases.honours",
            unit=_("honours"),
            bands=_bands((None, 1, 0), (1, 3, 60), (3, None, 100)),
            evidence=_("Honours recorded in the registry"),
        ),
        dict(
            code="docents",
            group=people,
            name=_("Docents"),
            weight=10,
            method=c.Method.AUTO,
            source="bases.docents",
            unit=_("people"),
            bands=_bands((None, 2, 0), (2, 5, 60), (5, 10, 80), (10, None, 100)),
            evidence=_("Docent roster"),
        ),
    ]


def base_recognition_criteria():
    """The expert panel's 终评 rubric (科普活动, 工作成效, 条件建设; domain.md §7.1): all
    criteria scored by the experts."""
    return [
        dict(
            code="conditions",
            group=_("Conditions"),
            name=_("Facilities and exhibits"),
            weight=30,
            method=c.Method.MANUAL,
            evidence=_("Area, exhibits, floor plan, photos"),
        ),
        dict(
            code="organization",
            group=_("Conditions"),
            name=_("Organization, staff and funding"),
            weight=20,
            method=c.Method.MANUAL,
            evidence=_("Organizing body, full-time staff and docents, budget"),
        ),
        dict(
            code="activities",
            group=_("Activities"),
            name=_("Science activities"),
            weight=30,
            method=c.Method.MANUAL,
            evidence=_("Activities of the last year with evidence"),
        ),
        dict(
            code="results",
            group=_("Results"),
            name=_("Results and demonstration role"),
            weight=20,
            method=c.Method.MANUAL,
            evidence=_("Visitors, coverage, honours"),
        ),
    ]
