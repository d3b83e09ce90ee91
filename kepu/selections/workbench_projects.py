"""Workbench item of funded projects (`kepu.core.workbench`): officers — the open projects
of their scope past their next due date (a milestone or the end)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kepu.core import scope, workbench
from kepu.selections.flags import overdue_q
from kepu.selections.models import Project

workbench.link("selections.project", "selections:project_detail")


@workbench.register
def overdue_projects(user, focus):
    if not scope.has_permission(user, "selections.project.change"):
        return
    rows = scope.actionable(user, Project.objects.filter(overdue_q()), "change")
    yield workbench.todo(
        "selections.project.overdue",
        _("Overdue funded projects"),
        f"{reverse('selections:project_list')}?overdue=true",
        rows,
        date_field="next_due",
        overdue=rows,
        icon="alert-triangle",
    )
