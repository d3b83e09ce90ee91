"""Objects for the assessment tests, made through the services."""

from django.utils import timezone

from kepu.plans.assessment_presets import region_assessment_criteria, unit_assessment_criteria
from kepu.plans.services import assessment as services
from kepu.plans.tests.helpers import region
from kepu.rubrics import services as rubric_services


def rubric(kind="regions", code="51"):
    criteria = region_assessment_criteria() if kind == "regions" else unit_assessment_criteria()
    return rubric_services.create_rubric(
        actor=None,
        name="考核评分细则" if kind == "regions" else "成员单位考核评分细则",
        purpose="assessment",
        region=region(code),
        criteria=criteria,
        activate=True,
    )


def city_round(**fields):
    """成都市 assesses its counties (锦江区, county A, among them) for last year."""
    return services.create_round(
        actor=None,
        name=fields.pop("name", "成都市区县科普工作考核"),
        region=region("5101"),
        kind="regions",
        year=timezone.localdate().year - 1,
        rubric=fields.pop("rubric", None) or rubric(),
        **fields,
    )


def unit_round(plan, **fields):
    """四川省 assesses the member units named on `plan`'s tasks."""
    return services.create_round(
        actor=None,
        name=fields.pop("name", "省级成员单位考核"),
        region=region("51"),
        kind="units",
        plan=plan,
        year=timezone.localdate().year,
        rubric=fields.pop("rubric", None) or rubric("units"),
        **fields,
    )


MANUAL_REGION = {"leadership": "12", "innovation": "8", "publicity": "7"}
MANUAL_UNIT = {"duties": "16", "cooperation": "8", "innovation": "6"}
