"""Workbench items of the results area: objections to call candidates awaiting an answer.
(Imported by `jobs.py`, which the app's `ready()` loads.)"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kepu.core import scope, workbench
from kepu.core.models.publicity import ObjectionStatus
from kepu.selections.models import Objection

workbench.link("selections.objection", "selections:objection_detail")


@workbench.register
def objections(user, focus):
    if scope.has_permission(user, "selections.objection.answer"):
        rows = scope.actionable(user, Objection, "answer").filter(status=ObjectionStatus.PENDING)
        yield workbench.todo(
            "selections.objections", _("Objections to call candidates to answer"),
            reverse("selections:objection_list") + "?state=pending", rows,
            date_field="filed_at", icon="flag",
        )  # fmt: skip
