"""The published, public assessment results on the portal: the frozen result of each
round marked public (totals, grades and ranks; no self-assessments, evidence or
officers' names), served from the shared cache."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from kepu.core.pagination import paginate
from kepu.core.publiccache import public_page
from kepu.plans.models import AssessmentRound
from kepu.plans.permissions import get_public_assessment
from kepu.plans.services.assessment import PUBLIC_TAG
from kepu.plans.views.assessment import GRADE_BADGES
from kepu.rubrics.choices import Grade


@require_safe
@public_page(PUBLIC_TAG)
def public_assessment_list(request):
    rounds = AssessmentRound.objects.public().with_relations().order_by("-year", "-pk")
    return render(request, "plans/public/assessment_list.html", {"page": paginate(request, rounds)})


@require_safe
@public_page(PUBLIC_TAG)
def public_assessment_detail(request, pk):
    round_ = get_public_assessment(pk)
    rows = [
        {
            **row,
            "grade_label": Grade(row["grade"]).label if row["grade"] else "",
            "badge": GRADE_BADGES.get(row["grade"], "bg-secondary-lt"),
        }
        for row in round_.results
    ]
    return render(request, "plans/public/assessment_detail.html", {"round": round_, "rows": rows})
