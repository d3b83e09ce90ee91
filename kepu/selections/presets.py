"""Rubric presets of selections (评分细则), registered into `kepu.rubrics.presets.PRESETS`
at app start so officers can create a call's rubric from them (one block per area)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kepu.rubrics import choices as rc

# -- review --


def _manual(code, name, weight, evidence):
    return dict(code=code, name=name, weight=weight, method=rc.Method.MANUAL, evidence=evidence)


def tianfu_envoy_criteria():
    """天府科普使者 and similar honours of individuals: 100 points, all scored by the
    experts (科学性 30, 传播效果 30, 创新性 20, 示范带动 20)."""
    return [
        _manual(
            "science", _("Scientific soundness"), 30,
            _("Accuracy of the content, professional background, no errors found"),
        ),
        _manual(
            "reach", _("Reach and effect"), 30,
            _("Activities held, audience, service hours, coverage in the last three years"),
        ),
        _manual(
            "innovation", _("Innovation"), 20,
            _("New forms, media or topics of science popularization"),
        ),
        _manual(
            "example", _("Example and leadership"), 20,
            _("Teams led, people trained, honours, what others took up"),
        ),
    ]  # fmt: skip


def works_criteria():
    """Excellent science-popularization works (优秀科普作品): 100 points, all scored by
    the experts."""
    return [
        _manual(
            "science", _("Scientific soundness"), 30,
            _("Accuracy of the facts and the sources, no misleading simplification"),
        ),
        _manual(
            "craft", _("Expression and craft"), 25,
            _("Clarity, language, images or production quality for the audience"),
        ),
        _manual(
            "reach", _("Reach and effect"), 25,
            _("Readers, viewers or visitors, reprints, audience response"),
        ),
        _manual(
            "innovation", _("Innovation"), 20,
            _("Originality of the subject, the form or the medium"),
        ),
    ]  # fmt: skip


REVIEW_PRESETS = {
    "selection_envoy": (
        tianfu_envoy_criteria,
        gettext_lazy("Honours of individuals (天府科普使者 and similar, 100 points)"),
    ),
    "selection_works": (works_criteria, gettext_lazy("Excellent works (100 points)")),
}


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
            method=rc.Method.MANUAL,
            evidence=_("The application's implementation plan, the project summary and photos"),
        ),
        dict(
            code="budget_use",
            group=_("Money"),
            name=_("Use of the budget"),
            weight=20,
            method=rc.Method.MANUAL,
            evidence=_("The budget table (预算表), itemised spending and payment records"),
        ),
        dict(
            code="targets",
            group=_("Results"),
            name=_("Performance targets met"),
            weight=30,
            method=rc.Method.MANUAL,
            evidence=_("The performance-target table (绩效目标表) with target and actual values"),
        ),
        dict(
            code="beneficiaries",
            group=_("Results"),
            name=_("Beneficiaries' views"),
            weight=20,
            method=rc.Method.MANUAL,
            evidence=_("Satisfaction survey or interviews of the audience reached"),
        ),
    ]


PROJECT_PRESETS = {
    "project_acceptance": (
        project_acceptance_criteria,
        gettext_lazy("Acceptance of a funded project (100 points)"),
    ),
}


def register() -> None:
    """Add the presets to the rubric engine's list and to the rubric form's choices."""
    from kepu.rubrics import forms, presets

    for key, (criteria, label) in (REVIEW_PRESETS | PROJECT_PRESETS).items():
        presets.PRESETS.setdefault(key, criteria)
        if all(choice[0] != key for choice in forms.PRESET_CHOICES):
            forms.PRESET_CHOICES.append((key, label))


register()
