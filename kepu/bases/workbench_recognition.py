"""Workbench items of the recognition area: recommendations to make, formal checks to
do, scores to submit, objections to answer."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kepu.bases.models import Application, Objection, RecognitionRound, ScoreSheet
from kepu.bases.models.recognition import AppStatus, ObjectionStatus, RoundStatus
from kepu.bases.services.recognition import awaiting_recommendation
from kepu.core import scope, workbench

workbench.link("bases.application", "bases:application_detail")


@workbench.register
def recognition(user, focus):
    if scope.has_permission(user, "bases.application.recommend"):
        rows = awaiting_recommendation(user)
        yield workbench.todo(
            "bases.recognition.recommend", _("Applications to recommend"),
            reverse("bases:recommend_queue"), rows, date_field="submitted_at", icon="user-check",
        )  # fmt: skip
    if scope.has_permission(user, "bases.application.check"):
        rounds = scope.visible_to(user, RecognitionRound, "check", public=False)
        rows = scope.actionable(user, Application, "check").filter(
            status=AppStatus.RECOMMENDED,
            round__status=RoundStatus.CHECKING,
            round__in=rounds.values("pk"),
        )
        yield workbench.todo(
            "bases.recognition.check", _("Formal checks to do"), reverse("bases:check_queue"),
            rows, date_field="submitted_at",
        )  # fmt: skip
    if scope.has_permission(user, "bases.scoresheet.score"):
        rows = ScoreSheet.objects.filter(
            expert__user=user, conflict="", submitted_at__isnull=True,
            application__round__status=RoundStatus.REVIEWING,
        )  # fmt: skip
        yield workbench.todo(
            "bases.recognition.score", _("Applications to score"), reverse("bases:sheet_queue"),
            rows, date_field="application__submitted_at", icon="star",
        )  # fmt: skip
    if scope.has_permission(user, "bases.objection.answer"):
        rows = scope.actionable(user, Objection, "answer").filter(status=ObjectionStatus.PENDING)
        yield workbench.todo(
            "bases.recognition.objections", _("Objections to answer"),
            reverse("bases:objection_queue"), rows, date_field="filed_at",
            icon="flag",
        )  # fmt: skip
