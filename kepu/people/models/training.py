"""Training as a process (seeds 001 三(一)6: 200 science tutors trained a year in
Qingyuan; 000 (三): Sichuan's training actions): courses, training bases, sessions of a
course with enrolment and a waiting list, attendance, completion and certificates.

A completion is the one source of a person's training history and credits: the
completion service writes the person's `Training` record and, when the course carries
credit, a `CreditEntry`, linked from the enrolment (records typed by hand before stay
as they are)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kepu.people import choices as c
from kepu.people.querysets import (
    CourseQuerySet,
    EnrolmentQuerySet,
    SessionQuerySet,
    TrainingBaseQuerySet,
)


class TrainingBase(models.Model):
    """A training base (培训基地) of a unit, recognized by the officers of its region."""

    name = models.CharField(_("name"), max_length=120)
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "core.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("trainees at a time"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=c.BaseStatus.choices, default=c.BaseStatus.PROPOSED
    )
    recognized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recognized by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recognized_on = models.DateField(_("recognized on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = TrainingBaseQuerySet.as_manager()

    AUDIT_FIELDS = ("name", "region", "organization", "address", "capacity", "status")

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("training base")
        verbose_name_plural = _("training bases")
        indexes = [models.Index(fields=["name", "id"], name="people_tbase_name")]

    def __str__(self):
        return self.name

    def can_recognize(self) -> bool:
        return self.status == c.BaseStatus.PROPOSED


class Course(models.Model):
    """A training course (培训课程 / 培训班): what is taught, to whom, for how many hours
    and credits; organized by a unit of a region."""

    title = models.CharField(_("title"), max_length=160)
    topic = models.CharField(_("topic"), max_length=160, blank=True)
    audience = models.CharField(
        pgettext_lazy("training", "audience"), max_length=12, choices=c.Audience.choices
    )
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1)
    credit = models.DecimalField(_("credit"), max_digits=5, decimal_places=1, default=0)
    region = models.ForeignKey(
        "core.Region",
        verbose_name=_("organizing region"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    organization = models.ForeignKey(
        "core.Organization",
        verbose_name=pgettext_lazy("training", "organizing unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CourseQuerySet.as_manager()

    EDITABLE_FIELDS = (
        "title",
        "topic",
        "audience",
        "hours",
        "credit",
        "region",
        "organization",
        "description",
    )
    AUDIT_FIELDS = EDITABLE_FIELDS

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="people_course_hours_positive"),
            models.CheckConstraint(condition=Q(credit__gte=0), name="people_course_credit_min"),
        ]
        indexes = [
            models.Index(
                fields=["-created_at", "-id"], include=["region"], name="people_course_new"
            ),
            models.Index(fields=["audience", "-created_at", "-id"], name="people_course_aud"),
        ]

    def __str__(self):
        return self.title


class TrainingSession(models.Model):
    """One session (期次) of a course: dates, place, capacity and enrolment window.
    draft → open → closed → finished (a closed session may open again). The counts of
    enrolled and waiting people are kept by the enrolment services (lists show them
    without counting)."""

    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("course")
    )
    name = models.CharField(_("session"), max_length=80, help_text=_("E.g. 2026 first session."))
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    base = models.ForeignKey(
        TrainingBase,
        verbose_name=_("training base"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    capacity = models.PositiveIntegerField(_("places"))
    enrol_from = models.DateField(_("enrolment opens"), null=True, blank=True)
    enrol_until = models.DateField(_("enrolment closes"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=c.SessionStatus.choices,
        default=c.SessionStatus.DRAFT,
    )
    enrolled_count = models.PositiveIntegerField(_("enrolled"), default=0, editable=False)
    waiting_count = models.PositiveIntegerField(_("waiting"), default=0, editable=False)
    completed_count = models.PositiveIntegerField(_("completed"), default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SessionQuerySet.as_manager()

    EDITABLE_FIELDS = (
        "name",
        "base",
        "place",
        "starts_on",
        "ends_on",
        "capacity",
        "enrol_from",
        "enrol_until",
    )
    AUDIT_FIELDS = (*EDITABLE_FIELDS, "course", "region", "status")

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="people_session_dates"
            ),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="people_session_capacity"),
        ]
        indexes = [
            models.Index(
                fields=["-starts_on", "-id"], include=["region"], name="people_sess_start"
            ),
            models.Index(fields=["status", "-starts_on", "-id"], name="people_sess_status"),
            models.Index(fields=["course", "-starts_on", "-id"], name="people_sess_course"),
        ]

    def __str__(self):
        return f"{self.course} · {self.name}"

    def takes_enrolments(self, today) -> bool:
        if self.status != c.SessionStatus.OPEN:
            return False
        if self.enrol_from and today < self.enrol_from:
            return False
        return not (self.enrol_until and today > self.enrol_until)

    def can_step(self, step: str) -> bool:
        sources, _target = c.SESSION_STEPS[step]
        return self.status in sources

    def can_complete(self) -> bool:
        return self.status in (c.SessionStatus.CLOSED, c.SessionStatus.FINISHED) or (
            self.status == c.SessionStatus.OPEN
        )

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.enrolled_count - self.completed_count, 0)


class Enrolment(models.Model):
    """A registered person in a session: enrolled (a place), waiting (the list, first
    come first served), withdrawn, or completed (结业, with the course's hours and credit
    and a certificate number). One row per person and session: enrolling again (a double
    submission, or after withdrawing) finds the same row."""

    session = models.ForeignKey(
        TrainingSession,
        on_delete=models.CASCADE,
        related_name="enrolments",
        verbose_name=_("session"),
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.CASCADE,
        related_name="enrolments",
        verbose_name=_("person"),
    )
    # The session's region and the course's audience, kept on the row: the statistics,
    # the plan indicators and the scope read them without joins.
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "core.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    audience = models.CharField(
        pgettext_lazy("training", "audience"), max_length=12, choices=c.Audience.choices
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=c.EnrolmentStatus.choices,
        default=c.EnrolmentStatus.ENROLLED,
    )
    self_enrolled = models.BooleanField(_("enrolled themselves"), default=False)
    enrolled_at = models.DateTimeField(_("enrolled at"), default=timezone.now)
    attended = models.BooleanField(_("attended"), default=False)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1, null=True, blank=True)
    credit = models.DecimalField(_("credit"), max_digits=5, decimal_places=1, null=True, blank=True)
    certificate_number = models.CharField(
        _("certificate number"), max_length=24, null=True, blank=True, unique=True
    )
    training = models.OneToOneField(
        "people.Training",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enrolment",
    )
    credit_entry = models.OneToOneField(
        "people.CreditEntry",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enrolment",
    )

    objects = EnrolmentQuerySet.as_manager()

    AUDIT_FIELDS = ("session", "person", "status", "attended", "completed_on", "hours", "credit")

    class Meta:
        ordering = ["enrolled_at", "pk"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"],
                name="people_enrolment_once",
                violation_error_message=_("This person is already enrolled in the session."),
            )
        ]
        indexes = [
            models.Index(fields=["session", "status", "enrolled_at", "id"], name="people_enr_q"),
            models.Index(fields=["person", "-enrolled_at"], name="people_enr_person"),
            # The enrolment list and API across a scope, in their order (a status filter
            # and the scope's region ranges read from the index).
            models.Index(
                fields=["enrolled_at", "id"],
                include=["region", "status", "person"],
                name="people_enr_time",
            ),
            # Completions in a date window by audience (the plan indicators, the rollup).
            models.Index(
                fields=["audience", "completed_on"],
                include=["region"],
                condition=Q(status="completed"),
                name="people_enr_completed",
            ),
        ]

    def __str__(self):
        return f"{self.person} · {self.session}"

    @property
    def is_live(self) -> bool:
        return self.status in c.LIVE_ENROLMENT

    def can_withdraw(self) -> bool:
        return self.status in (c.EnrolmentStatus.ENROLLED, c.EnrolmentStatus.WAITING)

    def can_complete(self) -> bool:
        return self.status == c.EnrolmentStatus.ENROLLED
