"""Demo rubrics of Sichuan, in use, made from the presets through the services: the
bases' annual evaluation and recognition rubrics (the bases demo looks them up by name)
and the mid-term evaluation of demonstration areas. Idempotent."""

from django.utils import translation

from kepu.core.models import Region
from kepu.rubrics import choices as c
from kepu.rubrics import presets, services
from kepu.rubrics.models import Rubric

BASE_ANNUAL = "四川省科普教育基地年度评估细则（2025版）"
BASE_RECOGNITION = "四川省科普教育基地认定评分细则（2024版）"
MIDTERM = "四川省科普示范县（市、区）创建中期评估细则（2025版）"

RUBRICS = (
    (BASE_ANNUAL, c.Purpose.BASE_ANNUAL, presets.base_annual_criteria),
    (BASE_RECOGNITION, c.Purpose.BASE_RECOGNITION, presets.base_recognition_criteria),
    (MIDTERM, c.Purpose.MIDTERM, presets.demonstration_midterm_criteria),
)


def demo_rubric(name: str) -> Rubric:
    """The demo rubric `name` of the province, created in use if it is missing."""
    found = Rubric.objects.filter(name=name, region__code="51").first()
    if found is not None:
        return found
    _name, purpose, criteria = next(r for r in RUBRICS if r[0] == name)
    # The criteria's names and groups are stored in the province's language.
    with translation.override("zh-hans"):
        rows = criteria()
    return services.create_rubric(
        actor=None,
        name=name,
        purpose=purpose,
        region=Region.objects.get(code="51"),
        criteria=rows,
        activate=True,
    )


def load_demo(size: int = 3000) -> dict:
    created = 0
    for name, _purpose, _criteria in RUBRICS:
        if not Rubric.objects.filter(name=name, region__code="51").exists():
            demo_rubric(name)
            created += 1
    return {"rubrics": created}
