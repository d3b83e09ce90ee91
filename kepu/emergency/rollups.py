"""The counters of the emergency app (`kepu.core.rollups`).

Rumours and rebuttals (the misinformation log, 004 (18)), kept by `services.rumors` in
the same transaction as the fact; drills are left out:

- `emergency.rumors`: leads by the region where they circulate × the month reported,
  key the topic; one per lead (repeated reports merged into it are not counted), leads
  triaged as duplicates of another lead leave it;
- `emergency.rebuttals`: published rebuttals by region × the month published, key the
  lead's topic (a withdrawn rebuttal leaves it).
"""

from kepu.core import rollups


def _rumors():
    from kepu.emergency import choices as c
    from kepu.emergency.models import Rumor

    leads = Rumor.objects.filter(is_drill=False).exclude(status=c.RumorStatus.DUPLICATE)
    return rollups.monthly(leads, region="region_id", when="reported_at", key="topic")


def _rebuttals():
    from kepu.emergency.models import Rebuttal

    return rollups.monthly(
        Rebuttal.objects.public(), region="region_id", when="published_at", key="rumor__topic"
    )


# -- rumours and rebuttals --
rollups.register("emergency.rumors", _rumors, "Rumour leads by region, month and topic")
rollups.register(
    "emergency.rebuttals", _rebuttals, "Published rebuttals by region, month and topic"
)
