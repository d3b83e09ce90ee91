"""Activities and campaigns (seeds 001 四(二)3, 003 (五)(十四), 004 (8)): theme campaigns,
activities with review and after-event reports, public sign-up with a waiting list and QR
check-in, and the tours of mobile exhibitions."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kepu.activities import choices as c
from kepu.activities.querysets import SEARCH_FIELDS, ActivityQuerySet, SignUpQuerySet
from kepu.core import clock
from kepu.core.choices import KeyGroup


class Campaign(models.Model):
    """A theme campaign of one year (全国科普日, 科技活动周, a theme day …), organized by a
    region; activities may join it."""

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=c.CampaignKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    region = models.ForeignKey(
        "core.Region",
        verbose_name=_("organizing region"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    EDITABLE_FIELDS = ["name", "kind", "year", "theme", "start_date", "end_date", "description"]
    AUDIT_FIELDS = [*EDITABLE_FIELDS, "region"]

    class Meta:
        ordering = ["-start_date", "name"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="campaign_dates_ordered",
                violation_error_message=_("The campaign cannot end before it starts."),
            ),
            models.UniqueConstraint(
                fields=["region", "name"],
                name="campaign_unique_name",
                violation_error_message=_("This region already has a campaign of this name."),
            ),
        ]

    def __str__(self):
        return self.name


class MobileFacility(models.Model):
    """A 科普大篷车 or 流动科技馆: it tours regions, each stop an activity."""

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=c.FacilityKind.choices)
    organization = models.ForeignKey(
        "core.Organization",
        verbose_name=_("operating organization"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("home region"), on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("in service"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    EDITABLE_FIELDS = ["name", "kind", "description", "is_active"]
    AUDIT_FIELDS = [*EDITABLE_FIELDS, "organization", "region"]

    class Meta:
        ordering = ["region__code", "name"]
        verbose_name = _("mobile facility")
        verbose_name_plural = _("mobile facilities")

    def __str__(self):
        return self.name


class Activity(models.Model):
    """One science-popularization activity: drafted by its organizer, reviewed by the
    officers of the region where it is held, published, reported on afterwards."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    organization = models.ForeignKey(
        "core.Organization",
        verbose_name=_("organizer"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    kind = models.CharField(_("type"), max_length=16, choices=c.ActivityKind.choices)
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    online_url = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    signup_required = models.BooleanField(_("sign-up required"), default=False)
    volunteers_needed = models.PositiveSmallIntegerField(_("volunteers needed"), default=0)
    expected_audience = models.PositiveIntegerField(_("expected audience"), default=0)
    brand = models.CharField(
        _("brand"),
        max_length=64,
        blank=True,
        help_text=_("A brand activity this belongs to, e.g. 天府科技云讲堂."),
    )
    description = models.TextField(_("description"), blank=True)
    facility = models.ForeignKey(
        MobileFacility,
        verbose_name=_("mobile facility"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stops",
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=c.ActivityStatus.choices,
        default=c.ActivityStatus.DRAFT,
        db_index=True,
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(  # four-eyes: never its approver (kepu.core.workflow)
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_note = models.TextField(_("review note"), blank=True)
    report_due = models.DateField(_("report due"), null=True, blank=True)
    confirmed_count = models.PositiveIntegerField(_("confirmed sign-ups"), default=0)
    waiting_count = models.PositiveIntegerField(_("waiting list"), default=0)
    search_text = models.TextField(blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ActivityQuerySet.as_manager()

    SEARCH_FIELDS = SEARCH_FIELDS

    EDITABLE_FIELDS = [
        "title",
        "organization",
        "campaign",
        "kind",
        "region",
        "address",
        "latitude",
        "longitude",
        "starts_at",
        "ends_at",
        "online_url",
        "capacity",
        "signup_required",
        "volunteers_needed",
        "expected_audience",
        "brand",
        "description",
    ]
    AUDIT_FIELDS = [*EDITABLE_FIELDS, "facility", "status", "report_due"]

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [
            # With the unit included, the count of a year's published activities per unit
            # (the bases' evaluation criterion, kepu/bases/sources.py) reads the index alone.
            models.Index(
                fields=["status", "starts_at"],
                include=["organization"],
                name="activity_status_start",
            ),
            models.Index(fields=["facility", "starts_at"], name="activity_facility_start"),
            # The back-office list's default sort, within a county (region ids) and
            # province-wide (every row); the public calendar's upcoming events.
            models.Index(fields=["region", "-starts_at", "-id"], name="activity_region_start"),
            models.Index(fields=["-starts_at", "-id"], name="activity_start_id"),
            models.Index(
                fields=["status", "ends_at"], include=["starts_at"], name="activity_status_end"
            ),
            # Reports falling due this month (the statistics' overdue count).
            models.Index(fields=["status", "report_due"], name="activity_status_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")),
                name="activity_times_ordered",
                violation_error_message=_("The activity cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=c.ActivityStatus.values), name="activity_status_valid"
            ),
            # The last line of defence against overbooking (the service locks and counts).
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(confirmed_count__lte=models.F("capacity")),
                name="activity_not_overbooked",
                violation_error_message=_("There cannot be fewer places than confirmed sign-ups."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_editable(self) -> bool:
        return self.status in c.EDITABLE_STATUSES

    @property
    def has_ended(self) -> bool:
        return self.ends_at <= clock.now()

    @property
    def takes_signups(self) -> bool:
        return (
            self.signup_required
            and self.status == c.ActivityStatus.PUBLISHED
            and self.starts_at > clock.now()
        )

    @property
    def places_left(self):
        if self.capacity is None:
            return None
        return max(self.capacity - self.confirmed_count, 0)

    @property
    def report_overdue(self) -> bool:
        """Published, over, no report, and past the due date."""
        return (
            self.status == c.ActivityStatus.PUBLISHED
            and self.report_due is not None
            and self.report_due < clock.today()
            and not hasattr(self, "report")
        )

    def codes(self, kind) -> list[str]:
        return [t.code for t in self.tags.all() if t.kind == kind]

    def group_labels(self) -> list[str]:
        return [KeyGroup(code).label for code in self.codes(c.TagKind.GROUP)]

    def topic_labels(self) -> list[str]:
        from kepu.core.choices import Topic

        return [Topic(code).label for code in self.codes(c.TagKind.TOPIC)]


class ActivityTag(models.Model):
    """A key group or topic of an activity (several of each; counted in SQL)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="tags")
    kind = models.CharField(max_length=8, choices=c.TagKind.choices)
    code = models.CharField(max_length=16)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["activity", "kind", "code"], name="activity_tag_once")
        ]
        indexes = [models.Index(fields=["kind", "code"], name="activity_tag_code")]


class ReviewDecision(models.Model):
    """One review of a submitted activity; the pass rate is counted over these."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="decisions")
    decision = models.CharField(_("decision"), max_length=10, choices=c.Decision.choices)
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-decided_at", "-pk"]
        verbose_name = _("review decision")
        verbose_name_plural = _("review decisions")


class ActivityReport(models.Model):
    """What happened: filed by the organizer after the event, within the set number of
    days (late reports are flagged)."""

    activity = models.OneToOneField(Activity, on_delete=models.CASCADE, related_name="report")
    onsite_attendance = models.PositiveIntegerField(_("on-site attendance"))
    online_views = models.PositiveIntegerField(_("online views"), default=0)
    volunteers_served = models.PositiveIntegerField(_("volunteers who served"), default=0)
    summary = models.TextField(_("summary"))
    links = models.TextField(
        _("news and video links"), blank=True, help_text=_("One address per line.")
    )
    filed_at = models.DateTimeField(_("filed at"), default=timezone.now)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_late = models.BooleanField(_("filed late"), default=False)

    AUDIT_FIELDS = ["onsite_attendance", "online_views", "volunteers_served", "is_late"]

    class Meta:
        verbose_name = _("activity report")
        verbose_name_plural = _("activity reports")


def _photo_path(instance, filename):
    ext = filename.rsplit(".", 1)[-1].lower()
    return f"activities/reports/{instance.report.activity_id}/{uuid.uuid4().hex}.{ext}"


class ReportPhoto(models.Model):
    report = models.ForeignKey(ActivityReport, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to=_photo_path)
    content_type = models.CharField(max_length=32)
    uploaded_at = models.DateTimeField(default=timezone.now)


def _ticket_code():
    from kepu.activities.services import new_ticket_code

    return new_ticket_code()


class SignUp(models.Model):
    """One person's place at an activity (or on its waiting list). The phone number is
    encrypted and masked like every personal identifier; the private link (`token`) lets
    the person see the QR ticket and cancel."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="signups")
    name = models.CharField(_("full name"), max_length=64)
    phone_enc = models.TextField(editable=False)
    phone_hash = models.CharField(max_length=64, editable=False)
    phone_masked = models.CharField(_("mobile phone"), max_length=20, editable=False)
    key_group = models.CharField(
        _("key group"), max_length=16, choices=KeyGroup.choices, default=KeyGroup.GENERAL
    )
    status = models.CharField(_("status"), max_length=10, choices=c.SignUpStatus.choices)
    ticket_code = models.CharField(_("ticket code"), max_length=12, unique=True)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    notice = models.ForeignKey(
        "core.PrivacyNotice", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("signed up at"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    promoted_at = models.DateTimeField(_("moved up at"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked in by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = SignUpQuerySet.as_manager()

    # The name stays out of the trail (the masked phone identifies the sign-up there).
    AUDIT_FIELDS = ["activity", "phone_masked", "key_group", "status", "ticket_code"]

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        indexes = [models.Index(fields=["activity", "status", "created_at"], name="signup_queue")]
        constraints = [
            # One live sign-up per phone number and activity (a double submit, or the
            # same person twice, cannot take two places).
            models.UniqueConstraint(
                fields=["activity", "phone_hash"],
                condition=~Q(status="cancelled"),
                name="signup_once_per_phone",
            ),
            models.CheckConstraint(
                condition=Q(status__in=c.SignUpStatus.values), name="signup_status_valid"
            ),
        ]

    def __str__(self):
        return self.ticket_code
