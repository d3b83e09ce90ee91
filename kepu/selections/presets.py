"""Rubric presets of the selections app (data; the services and the demo make rubrics
from them), registered into `kepu.rubrics.presets.PRESETS` at start. One block per area."""

from django.utils.translation import gettext as _

from kepu.rubrics import presets as rubric_presets
from kepu.rubrics.choices import Method

# -- funded projects --


def project_acceptance_criteria():
    """The acceptance (结题验收) of a funded project, 100 points, against the application's
    plan, the budget table (预算表) and the performance-target table (绩效目标表), with the
    deliverables the provinces ask for (a summary and photos) and the beneficiaries'
    views (domain-wave2 §2: Guizhou 2022, 大足)."""
    return [
        dict(
            code="completion",
            group=_("Delivery"),
            name=_("Completion of the plan"),
            weight=30,
            method=Method.MANUAL,
            evidence=_("The application's implementation plan, the project summary and photos"),
        ),
        dict(
            code="budget_use",
            group=_("Money"),
            name=_("Use of the budget"),
            weight=20,
            method=Method.MANUAL,
            evidence=_("The budget table (预算表), itemised spending and payment records"),
        ),
        dict(
            code="targets",
            group=_("Results"),
            name=_("Performance targets met"),
            weight=30,
            method=Method.MANUAL,
            evidence=_("The performance-target table (绩效目标表) with target and actual values"),
        ),
        dict(
            code="beneficiaries",
            group=_("Results"),
            name=_("Beneficiaries' views"),
            weight=20,
            method=Method.MANUAL,
            evidence=_("Satisfaction survey or interviews of the audience reached"),
        ),
    ]


rubric_presets.PRESETS.setdefault("project_acceptance", project_acceptance_criteria)
