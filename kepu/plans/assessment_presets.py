"""Ready-made rubrics for the assessment of regions and member units (seeds 001 五(一)2,
五(二)3; 004 (25)): the live indicators (plans, registries, statistics, literacy) and
the criteria the assessing officers score on the evidence. Officers copy and adapt
them on /rubrics/; the bands below are starting points, not official thresholds."""

from django.utils.translation import gettext as _

from kepu.rubrics import choices as c
from kepu.rubrics.presets import PRESETS


def _bands(*rows):
    return [{"min": lo, "max": hi, "share": share} for lo, hi, share in rows]


RATE = _bands((None, 60, 0), (60, 80, 50), (80, 95, 80), (95, None, 100))


def region_assessment_criteria():
    """100 points: 65 from the registries, 35 scored on the evidence."""
    work, results, own = _("Plan implementation"), _("Resources and results"), _("Work scored")
    return [
        dict(code="on_time", group=work, name=_("Progress reports on time"), weight=10,
             method=c.Method.AUTO, source="plans.region_on_time", unit="%", bands=RATE,
             evidence=_("Progress reports due in the year")),
        dict(code="tasks_done", group=work, name=_("Plan tasks done"), weight=10,
             method=c.Method.AUTO, source="plans.region_tasks_done", unit="%", bands=RATE,
             evidence=_("Tasks of the region's plans due in the year")),
        dict(code="targets_met", group=work, name=_("Plan targets met"), weight=10,
             method=c.Method.AUTO, source="plans.region_targets_met", unit="%", bands=RATE,
             evidence=_("Targets of the region and its parts due in the year")),
        dict(code="volunteers", group=results, name=_("Certified volunteers per 10,000"),
             weight=10, method=c.Method.AUTO, source="people.region_volunteers_per_10k",
             unit=_("per 10,000"),
             bands=_bands((None, 5, 0), (5, 10, 40), (10, 20, 70), (20, None, 100)),
             evidence=_("Volunteer registry and the region's resident population")),
        dict(code="teams", group=results, name=_("Volunteer service teams"), weight=5,
             method=c.Method.AUTO, source="people.region_teams", unit=_("teams"),
             bands=_bands((None, 2, 0), (2, 5, 50), (5, 20, 80), (20, None, 100)),
             evidence=_("Team registry")),
        dict(code="funding", group=results, name=_("Funding per resident"), weight=10,
             method=c.Method.AUTO, source="stats.region_funding_per_capita", unit=_("yuan"),
             bands=_bands((None, 2, 0), (2, 5, 50), (5, 10, 80), (10, None, 100)),
             evidence=_("Science-popularization statistics of the year (KJ100)")),
        dict(code="literacy", group=results, name=_("Scientific literacy rate"), weight=10,
             method=c.Method.AUTO, source="literacy.region_rate", unit="%",
             bands=_bands((None, 10, 0), (10, 12, 50), (12, 15, 80), (15, None, 100)),
             evidence=_("Latest published literacy estimate")),
        dict(code="leadership", group=own, name=_("Leadership and working mechanism"),
             weight=15, method=c.Method.MANUAL,
             evidence=_("Joint-conference records, work plans, division of work")),
        dict(code="innovation", group=own, name=_("Innovation and distinctive work"),
             weight=10, method=c.Method.MANUAL, evidence=_("Cases, reports, awards")),
        dict(code="publicity", group=own, name=_("Publicity and social impact"), weight=10,
             method=c.Method.MANUAL, evidence=_("Media coverage, public feedback")),
    ]  # fmt: skip


def unit_assessment_criteria():
    """100 points for a member unit: 60 from the registries, 40 scored on the evidence."""
    work, own = _("Plan implementation"), _("Work scored")
    return [
        dict(code="on_time", group=work, name=_("Progress reports on time"), weight=15,
             method=c.Method.AUTO, source="plans.unit_on_time", unit="%", bands=RATE,
             evidence=_("The unit's progress reports due in the year")),
        dict(code="targets_met", group=work, name=_("Targets met"), weight=10,
             method=c.Method.AUTO, source="plans.unit_targets_met", unit="%", bands=RATE,
             evidence=_("Targets assigned to the unit due in the year")),
        dict(code="tasks_done", group=work, name=_("Tasks done"), weight=20,
             method=c.Method.AUTO, source="plans.unit_tasks_done", unit="%", bands=RATE,
             evidence=_("Tasks naming the unit (lead or responsible)")),
        dict(code="activities", group=work, name=_("Activities held"), weight=15,
             method=c.Method.AUTO, source="activities.unit_held", unit=_("activities"),
             bands=_bands((None, 2, 0), (2, 5, 50), (5, 12, 80), (12, None, 100)),
             evidence=_("Activities published on the platform")),
        dict(code="duties", group=own, name=_("Duties fulfilled"), weight=20,
             method=c.Method.MANUAL, evidence=_("Work summary of the year")),
        dict(code="cooperation", group=own, name=_("Cooperation with other units"), weight=10,
             method=c.Method.MANUAL, evidence=_("Joint activities, meeting attendance")),
        dict(code="innovation", group=own, name=_("Innovation and distinctive work"),
             weight=10, method=c.Method.MANUAL, evidence=_("Cases, reports, awards")),
    ]  # fmt: skip


PRESETS.setdefault("assessment", region_assessment_criteria)
