"""Joint-conference meetings (联席会议, seeds 004 (21), 003 (四)): a region's conference of
member units, its meetings (date, place, units present, topics), the decisions taken and
the plan tasks they assign, and the minutes."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kepu.core.querysets import ScopedQuerySet
from kepu.plans.models.plans import Plan, Section, Task


class JointConference(models.Model):
    """A region's joint conference of member units (科普工作联席会议). Its assigned work
    is supervised through a plan of the region (`decisions_plan`, made with the first
    decision that assigns work), one section per meeting."""

    name = models.CharField(_("name"), max_length=120)
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    office = models.CharField(
        _("office"),
        max_length=200,
        blank=True,
        help_text=_("Where the conference's office sits (e.g. the science association)."),
    )
    members = models.ManyToManyField(
        "core.Organization",
        through="ConferenceMember",
        verbose_name=_("member units"),
        related_name="+",
    )
    decisions_plan = models.ForeignKey(
        Plan,
        verbose_name=_("plan of assigned work"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    meeting_count = models.PositiveIntegerField(_("meetings"), default=0, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    AUDIT_FIELDS = ("name", "region", "office")

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("joint conference")
        verbose_name_plural = _("joint conferences")
        indexes = [models.Index(fields=["name", "id"], name="plans_conference_name")]

    def __str__(self):
        return self.name


class ConferenceMember(models.Model):
    """A member unit of a joint conference."""

    conference = models.ForeignKey(
        JointConference, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        "core.Organization", on_delete=models.PROTECT, related_name="conference_memberships"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["conference_id", "position", "pk"]
        verbose_name = _("member unit")
        verbose_name_plural = _("member units")
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "organization"], name="plans_conference_member_once"
            )
        ]

    def __str__(self):
        return str(self.organization)


class MeetingQuerySet(ScopedQuerySet):
    def with_relations(self):
        return self.select_related("conference", "conference__region")


class Meeting(models.Model):
    """A meeting of a joint conference (第N次全体会议): when, where, who came, what it
    discussed. Its decisions are `MeetingDecision` rows."""

    conference = models.ForeignKey(
        JointConference,
        verbose_name=_("joint conference"),
        on_delete=models.CASCADE,
        related_name="meetings",
    )
    number = models.PositiveSmallIntegerField(_("meeting number"))
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    chaired_by = models.CharField(_("chaired by"), max_length=100, blank=True)
    present = models.ManyToManyField(
        "core.Organization",
        through="MeetingAttendance",
        verbose_name=_("units present"),
        related_name="+",
    )
    attendees = models.TextField(
        _("named attendees"),
        blank=True,
        help_text=_("Optional: one per line, e.g. “省教育厅 张三（副厅长）”."),
    )
    topics = models.TextField(_("topics"), help_text=_("One topic per line."))
    # The section of the decisions plan holding this meeting's tasks (made with the first).
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = MeetingQuerySet.as_manager()

    AUDIT_FIELDS = ("conference", "number", "title", "date", "place", "chaired_by", "topics")

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [
            models.Index(fields=["-date", "-id"], name="plans_meeting_date"),
            models.Index(fields=["conference", "-date", "-id"], name="plans_meeting_conf"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "number"],
                name="plans_meeting_number_once",
                violation_error_message=_("The conference already has a meeting with this number."),
            )
        ]

    def __str__(self):
        return self.title

    def topic_list(self) -> list[str]:
        return [line.strip() for line in self.topics.splitlines() if line.strip()]

    def attendee_list(self) -> list[str]:
        return [line.strip() for line in self.attendees.splitlines() if line.strip()]


class MeetingAttendance(models.Model):
    """A member unit present at a meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    organization = models.ForeignKey(
        "core.Organization", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("unit present")
        verbose_name_plural = _("units present")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "organization"], name="plans_attended_once")
        ]

    def __str__(self):
        return str(self.organization)


class MeetingDecision(models.Model):
    """A decision of a meeting (议定事项). One that assigns work has its plan task, with
    the lead and responsible units, supervised like every task of a plan."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="decisions"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("decision"))
    task = models.OneToOneField(
        Task,
        verbose_name=_("task assigned"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decision",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    AUDIT_FIELDS = ("meeting", "number", "text", "task")

    class Meta:
        ordering = ["meeting_id", "number"]
        verbose_name = _("meeting decision")
        verbose_name_plural = _("meeting decisions")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="plans_decision_number_once")
        ]

    def __str__(self):
        return self.text[:60]


def _minutes_path(instance, filename):
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"plans/minutes/{instance.meeting_id}/{uuid.uuid4().hex}.{ext}"


class MeetingMinutes(models.Model):
    """A file of minutes (会议纪要) of a meeting, checked by content on upload."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minutes")
    file = models.FileField(upload_to=_minutes_path)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    AUDIT_FIELDS = ("meeting", "name", "size")

    class Meta:
        ordering = ["pk"]
        verbose_name = pgettext_lazy("meeting", "minutes")
        verbose_name_plural = pgettext_lazy("meeting", "minutes")

    def __str__(self):
        return self.name
