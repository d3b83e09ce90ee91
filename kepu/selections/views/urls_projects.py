"""Pages of the projects area of the selections app."""

from django.urls import path

from kepu.selections.views import project_parts as parts
from kepu.selections.views import projects as v

P = "selections/projects/<int:pk>/"

urlpatterns = [
    path("selections/projects/", v.project_list, name="project_list"),
    path("selections/projects/export/", v.project_list_export, name="project_list_export"),
    path("selections/projects/stats/", v.project_stats, name="project_stats"),
    path("selections/projects/new/", v.project_create, name="project_create"),
    path(P, v.project_detail, name="project_detail"),
    path(f"{P}edit/", v.project_edit, name="project_edit"),
    path(f"{P}budget/", parts.project_budget, name="project_budget"),
    path(f"{P}contract/", parts.project_contract, name="project_contract"),
    path(f"{P}milestones/", parts.project_milestones, name="project_milestones"),
    path(
        f"{P}milestones/<int:mid>/done/",
        parts.project_milestone_done,
        name="project_milestone_done",
    ),
    path(f"{P}targets/", parts.project_targets, name="project_targets"),
    path(f"{P}targets/actuals/", parts.project_actuals, name="project_actuals"),
    path(f"{P}checks/", parts.project_checks, name="project_checks"),
    path(f"{P}disbursements/", parts.project_disbursements, name="project_disbursements"),
    path(f"{P}outputs/", parts.project_outputs, name="project_outputs"),
    path(f"{P}submit/", parts.project_submit, name="project_submit"),
    path(f"{P}terminate/", parts.project_terminate, name="project_terminate"),
]
