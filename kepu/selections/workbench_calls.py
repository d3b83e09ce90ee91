"""Workbench to-do of the calls area: entries awaiting the formal check."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kepu.core import scope, workbench
from kepu.selections.services.entries import awaiting_check

workbench.link("selections.entry", "selections:entry_detail")


@workbench.register
def calls(user, focus):
    if scope.has_permission(user, "selections.entry.check"):
        yield workbench.todo(
            "selections.calls.check", _("Entries awaiting the formal check"),
            reverse("selections:check_queue"), awaiting_check(user), date_field="submitted_at",
            icon="checklist",
        )  # fmt: skip
