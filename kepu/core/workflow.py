"""Four-eyes (四眼原则) on the approval workflows: whoever submitted an activity, a
resource version, a registration or a progress report does not approve it; another
officer must. One helper, used by each app's rules module, registers the rule as an object
rule (`kepu.core.scope.object_rule`), so pages (buttons and the explanation), the API
(`ScopedViewSet.get_object`: 403 with the reason), the services (`scope.check`) and the
review queues (`scope.actionable`) all apply it. Each workflow can be switched off with
KEPU_FOUR_EYES_OFF (settings.KEPU_FOUR_EYES), e.g. for a unit with a single officer."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db.models import Model, Q
from django.utils.translation import gettext as _

from kepu.core import scope

_NOTHING = Q(pk__in=[])


def four_eyes_on(workflow: str) -> bool:
    return settings.KEPU_FOUR_EYES.get(workflow, True)


def four_eyes_message() -> str:
    return _("You submitted this yourself; another officer must approve it.")


def four_eyes(
    workflow: str,
    model: type[Model],
    *actions: str,
    submitter: Callable[[Model], int | None] = lambda obj: obj.submitted_by_id,
    submitted_by: Callable[[int], Q] = lambda user_pk: Q(submitted_by=user_pk),
) -> None:
    """Refuse `actions` on rows of `model` to the user who submitted them.

    submitter(obj):        the id of the user who submitted `obj` (None: nobody known,
                           e.g. a public application or a row made by the system);
                           by default the row's `submitted_by`;
    submitted_by(user_pk): the same rule as a Q of the rows that user submitted.
    """
    if workflow not in settings.FOUR_EYES_WORKFLOWS:
        raise ValueError(f"unknown four-eyes workflow {workflow!r}")

    def exclude(user) -> Q:
        if not four_eyes_on(workflow) or getattr(user, "pk", None) is None:
            return _NOTHING
        return submitted_by(user.pk)

    def refuse(obj, user) -> str | None:
        if not four_eyes_on(workflow):
            return None
        submitted = submitter(obj)
        if submitted is not None and submitted == getattr(user, "pk", None):
            return four_eyes_message()
        return None

    scope.object_rule(model, *actions, exclude=exclude)(refuse)


def held_back(user, obj: Model, action: str) -> str | None:
    """For pages: why an object rule keeps `user` from an `action` their role and scope
    allow on `obj` (e.g. "you submitted this yourself"), to show where the button would
    be; None when the action is allowed or not theirs anyway."""
    reason = scope.refusal(user, obj, action)
    if reason is None:
        return None
    if not scope.visible_to(user, type(obj), action, public=False).filter(pk=obj.pk).exists():
        return None
    return reason
