"""Rubric sources and the preset of talent evaluation (`kepu.rubrics`): the computed
criteria read the figures frozen into each application when it was submitted, so a score
never changes when the registries do. One query for all applications asked."""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _lz

from kepu.rubrics import choices as rc
from kepu.rubrics.engine import register_source

SUBJECT = "people.talentapplication"


def _figure(name):
    def compute(ids, context):
        from kepu.people.models import TalentApplication

        rows = TalentApplication.objects.filter(pk__in=ids).values_list("pk", "figures")
        return {pk: Decimal(str((figures or {}).get(name) or 0)) for pk, figures in rows}

    return compute


for _code, _label, _unit in (
    ("talents.hours", gettext_lazy("Approved volunteer service hours (ledger)"), "h"),
    ("talents.works", gettext_lazy("Published works in the resource catalog"), _lz("works")),
    ("talents.activities", gettext_lazy("Published activities organized"), _lz("activities")),
    ("talents.training_hours", gettext_lazy("Training hours (registry)"), "h"),
    ("talents.honours", gettext_lazy("Honours in the registry"), _lz("honours")),
):
    register_source(_code, _label, _unit, SUBJECT)(_figure(_code.split(".", 1)[1]))


def _bands(*rows):
    return [{"min": lo, "max": hi, "share": share} for lo, hi, share in rows]


def talent_evaluation_criteria():
    """Science-popularization performance in a title or honour evaluation (seed 000 (五):
    科普工作业绩 counted in 职称评审), 100 points: the record from the registries 60, the
    experts' judgement 40."""
    record, judgement = _("Record in the registries"), _("Experts' judgement")
    return [
        dict(code="hours", group=record, name=_("Volunteer service hours"), weight=20,
             method=rc.Method.AUTO, source="talents.hours", unit=_("hours"),
             bands=_bands((None, 20, 0), (20, 100, 40), (100, 300, 70), (300, None, 100)),
             evidence=_("The volunteer service ledger")),
        dict(code="works", group=record, name=_("Science-popularization works"), weight=15,
             method=rc.Method.AUTO, source="talents.works", unit=_("works"),
             bands=_bands((None, 1, 0), (1, 3, 60), (3, None, 100)),
             evidence=_("Works in the resource catalog")),
        dict(code="activities", group=record, name=_("Activities organized"), weight=10,
             method=rc.Method.AUTO, source="talents.activities", unit=_("activities"),
             bands=_bands((None, 1, 0), (1, 5, 60), (5, None, 100)),
             evidence=_("Published activities")),
        dict(code="training", group=record, name=_("Training hours"), weight=10,
             method=rc.Method.AUTO, source="talents.training_hours", unit=_("hours"),
             bands=_bands((None, 8, 0), (8, 24, 60), (24, None, 100)),
             evidence=_("Training records")),
        dict(code="honours", group=record, name=_("Honours"), weight=5,
             method=rc.Method.AUTO, source="talents.honours", unit=_("honours"),
             bands=_bands((None, 1, 0), (1, None, 100)), evidence=_("Honours registry")),
        dict(code="quality", group=judgement, name=_("Scientific soundness and quality"),
             weight=25, method=rc.Method.MANUAL,
             evidence=_("The statement, the works and the self-declared items")),
        dict(code="influence", group=judgement, name=_("Influence and example"), weight=15,
             method=rc.Method.MANUAL, evidence=_("Reach, people trained, what others took up")),
    ]  # fmt: skip


def register_preset() -> None:
    from kepu.rubrics import forms, presets

    presets.PRESETS.setdefault("talent_evaluation", talent_evaluation_criteria)
    if all(choice[0] != "talent_evaluation" for choice in forms.PRESET_CHOICES):
        forms.PRESET_CHOICES.append(
            ("talent_evaluation", gettext_lazy("Talent evaluation (record and judgement)"))
        )


register_preset()
