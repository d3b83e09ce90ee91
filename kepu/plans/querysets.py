from django.db import models
from django.db.models import Q

from kepu.core import clock
from kepu.plans import choices as c


class PlanQuerySet(models.QuerySet):
    def with_relations(self):
        return self.select_related("region")

    def public(self):
        return self.filter(status__in=c.PUBLIC_PLAN_STATUSES)


class TaskQuerySet(models.QuerySet):
    def with_units(self):
        return self.select_related("plan", "plan__region", "section", "parent").prefetch_related(
            "units__organization"
        )

    def overdue(self, today=None):
        today = today or clock.today()
        return self.filter(deadline__lt=today).exclude(status=c.TaskStatus.DONE)


class ProgressReportQuerySet(models.QuerySet):
    def with_relations(self):
        return self.select_related(
            "task", "task__plan", "task__plan__region", "organization", "submitted_by"
        )

    def owed(self):
        return self.filter(status__in=c.OWED_REPORT_STATUSES)

    def overdue(self, today=None):
        today = today or clock.today()
        return self.owed().filter(due_date__lt=today)

    def due(self, today=None):
        """Reports whose due date has come (the ones on-time reporting is judged on)."""
        today = today or clock.today()
        return self.filter(Q(due_date__lt=today) | ~Q(status__in=c.OWED_REPORT_STATUSES))


class AssessmentRoundQuerySet(models.QuerySet):
    def with_relations(self):
        return self.select_related("region", "rubric", "plan")

    def public(self):
        return self.filter(status="published", is_public=True)


class AssessmentEntryQuerySet(models.QuerySet):
    def with_relations(self):
        return self.select_related("round", "round__region", "region", "organization")
