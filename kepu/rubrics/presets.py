"""Ready-made criteria for the usual rubrics, as data (the demo and new rounds start from
them; officers copy and adapt). The annual-evaluation rubric follows the 科普教育基地运行
情况考核自评表 (domain.md §7.2) with seed 000 (四)'s talent and awards indicators."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

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
            group=pgettext("rubric group", "Conditions"),
            name=_("Facilities and exhibits"),
            weight=30,
            method=c.Method.MANUAL,
            evidence=_("Area, exhibits, floor plan, photos"),
        ),
        dict(
            code="organization",
            group=pgettext("rubric group", "Conditions"),
            name=_("Organization, staff and funding"),
            weight=20,
            method=c.Method.MANUAL,
            evidence=_("Organizing body, full-time staff and docents, budget"),
        ),
        dict(
            code="activities",
            group=pgettext("rubric group", "Activities"),
            name=_("Science activities"),
            weight=30,
            method=c.Method.MANUAL,
            evidence=_("Activities of the last year with evidence"),
        ),
        dict(
            code="results",
            group=pgettext("rubric group", "Results"),
            name=_("Results and demonstration role"),
            weight=20,
            method=c.Method.MANUAL,
            evidence=_("Visitors, coverage, honours"),
        ),
    ]


def demonstration_midterm_criteria():
    """Mid-term evaluation of a demonstration area's creation cycle (示范县/示范社区/科普
    小镇; seeds 003 (七), 001 四(一)3): values the area reports in its self-assessment,
    scored by bands, and the evaluators' points for what a number cannot say. No
    registry source describes a region yet, so nothing is computed."""
    work, results, own = _("Organization"), _("Work and results"), _("Distinctive work")
    return [
        dict(
            code="leadership",
            group=work,
            name=_("Organization and leadership"),
            weight=15,
            method=c.Method.MANUAL,
            evidence=_("Leading group, work plan, science popularization in the local plan"),
        ),
        dict(
            code="funding",
            group=work,
            name=_("Science funding per head"),
            weight=15,
            method=c.Method.BANDED,
            unit=_("yuan"),
            bands=_bands((None, 1, 0), (1, 2, 50), (2, 3, 80), (3, None, 100)),
            evidence=_("Budget lines of the year"),
        ),
        dict(
            code="venues",
            group=work,
            name=_("Venues and bases per 10,000 residents"),
            weight=10,
            method=c.Method.BANDED,
            unit=_("per 10,000"),
            bands=_bands((None, 0.5, 0), (0.5, 1, 60), (1, 2, 80), (2, None, 100)),
            evidence=_("List of venues, bases and galleries"),
        ),
        dict(
            code="activities",
            group=results,
            name=_("Science activities held in the year"),
            weight=15,
            method=c.Method.BANDED,
            unit=_("activities"),
            bands=_bands((None, 20, 0), (20, 50, 50), (50, 100, 80), (100, None, 100)),
            evidence=_("Activities with evidence"),
        ),
        dict(
            code="literacy",
            group=results,
            name=_("Citizens with basic science literacy"),
            weight=15,
            method=c.Method.BANDED,
            unit="%",
            bands=_bands((None, 8, 0), (8, 10, 50), (10, 12, 80), (12, None, 100)),
            evidence=_("The latest literacy survey"),
        ),
        dict(
            code="volunteers",
            group=results,
            name=_("Science volunteers per 10,000 residents"),
            weight=10,
            method=c.Method.BANDED,
            unit=_("per 10,000"),
            bands=_bands((None, 10, 0), (10, 30, 60), (30, 60, 80), (60, None, 100)),
            evidence=_("Registered volunteers"),
        ),
        dict(
            code="innovation",
            group=own,
            name=_("Innovation and distinctive work"),
            weight=10,
            method=c.Method.MANUAL,
            evidence=_("Distinctive projects, brands, reports"),
        ),
        dict(
            code="publicity",
            group=own,
            name=_("Publicity and public satisfaction"),
            weight=10,
            method=c.Method.MANUAL,
            evidence=_("Media coverage, satisfaction survey"),
        ),
    ]


# The presets a new rubric may start from, by purpose (the create page offers them).
PRESETS = {
    "base_annual": base_annual_criteria,
    "base_recognition": base_recognition_criteria,
    "midterm": demonstration_midterm_criteria,
}
