"""The work of Kepu China information officers (科普中国信息员, seeds 003 (十一), 001 四(三)3,
004 (23)): what they shared, where and how far it reached; the monthly figures per region
(registrations, registrations per 10,000 residents, monthly actives, shares) with the
rank among sibling regions; and the monthly feedback a region sends to the regions
below it (定期反馈各地工作开展情况)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kepu.core.querysets import ScopedQuerySet
from kepu.people import choices as c


class ActivityQuerySet(ScopedQuerySet):
    def with_relations(self):
        return self.select_related("person", "region")


class OfficerActivity(models.Model):
    """One piece of science content an information officer shared: title and link, the
    channel, the day, and its reach (views, shares). Entered by Excel import or the API;
    a client-supplied key makes a resubmission the same row."""

    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("information officer"),
        on_delete=models.CASCADE,
        related_name="officer_activities",
    )
    # The officer's region when the row was recorded (scope and the monthly figures).
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=12, choices=c.Channel.choices)
    title = models.CharField(_("content title"), max_length=200)
    link = models.URLField(_("link"), max_length=500, blank=True)
    views = models.PositiveIntegerField(_("views"), default=0)
    shares = models.PositiveIntegerField(_("shares"), default=0)
    client_key = models.CharField(
        _("client key"),
        max_length=64,
        blank=True,
        help_text=_("Sent by the client: the same key again returns the first row."),
    )
    source = models.CharField(
        _("source"), max_length=8, choices=c.ActivitySource.choices, default=c.ActivitySource.API
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = ActivityQuerySet.as_manager()

    AUDIT_FIELDS = ("person", "region", "date", "channel", "title", "link", "views", "shares")

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("information officer activity")
        verbose_name_plural = _("information officer activities")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "client_key"],
                condition=~Q(client_key=""),
                name="people_officer_activity_key",
            ),
        ]
        indexes = [
            # The log, newest first, for any scope (region id ranges read the include).
            models.Index(fields=["-date", "-id"], include=["region"], name="people_act_date"),
            models.Index(fields=["region", "-date", "-id"], name="people_act_region_date"),
            models.Index(fields=["person", "-date", "-id"], name="people_act_person_date"),
            # One channel's log, and its capped count, read from the index alone (the
            # province's count of a channel was a parallel scan of the table: 26 ms).
            models.Index(
                fields=["channel", "-date", "-id"],
                include=["region", "person"],
                name="people_act_channel_date",
            ),
        ]

    def __str__(self):
        return self.title


class OfficerPersonMonth(models.Model):
    """One officer's month: kept by the services that record activity (F() increments in
    the same transaction). A row is one monthly active; the person ranking reads it."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    month = models.DateField(_("month"))
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    # The county and city ids of `region` (equality filters for the ranking's scope).
    county_id = models.IntegerField()
    city_id = models.IntegerField()
    activities = models.PositiveIntegerField(_("items shared"), default=0)
    views = models.PositiveBigIntegerField(_("views"), default=0)
    shares = models.PositiveBigIntegerField(_("shares"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-month", "-shares", "pk"]
        verbose_name = _("officer's month")
        verbose_name_plural = _("officers' months")
        constraints = [
            models.UniqueConstraint(fields=["person", "month"], name="people_officer_month_one")
        ]
        indexes = [
            models.Index(fields=["month", "-shares", "id"], name="people_opm_month_shares"),
            models.Index(fields=["month", "city_id", "-shares"], name="people_opm_city_shares"),
            models.Index(fields=["month", "county_id", "-shares"], name="people_opm_cnty_shares"),
        ]

    def __str__(self):
        return f"{self.person_id} · {self.month:%Y-%m}"


class OfficerMonth(models.Model):
    """A region's month of information-officer work (province, cities, counties): the
    figures and the rank of each among the region's siblings. Written by the job
    `people.officer_months` (daily, and after an import), never aggregated per request."""

    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.CASCADE, related_name="+"
    )
    parent = models.ForeignKey(
        "core.Region", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField(_("month"))
    registrations = models.PositiveIntegerField(_("registered officers"), default=0)
    new_registrations = models.PositiveIntegerField(_("new this month"), default=0)
    actives = models.PositiveIntegerField(_("monthly actives"), default=0)
    activities = models.PositiveIntegerField(_("items shared"), default=0)
    views = models.PositiveBigIntegerField(_("views"), default=0)
    shares = models.PositiveBigIntegerField(_("shares"), default=0)
    population = models.PositiveIntegerField(_("resident population"), null=True, blank=True)
    per_10k = models.DecimalField(
        _("officers per 10,000 residents"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    siblings = models.PositiveSmallIntegerField(_("regions ranked"), default=1)
    rank_registrations = models.PositiveSmallIntegerField(default=1)
    rank_per_10k = models.PositiveSmallIntegerField(null=True, blank=True)
    rank_actives = models.PositiveSmallIntegerField(default=1)
    rank_shares = models.PositiveSmallIntegerField(default=1)
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-month", "region__code"]
        verbose_name = _("officers' monthly figures")
        verbose_name_plural = _("officers' monthly figures")
        constraints = [
            models.UniqueConstraint(fields=["region", "month"], name="people_officer_region_month")
        ]
        indexes = [models.Index(fields=["parent", "month"], name="people_om_parent_month")]

    def __str__(self):
        return f"{self.region_id} · {self.month:%Y-%m}"


class OfficerFeedback(models.Model):
    """The monthly feedback of a region to the regions below it: each receives its own
    figures and rank (a reminder on their workbench). Sending again updates the time."""

    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField(_("month"))
    note = models.CharField(_("note to the regions"), max_length=500, blank=True)
    recipients = models.PositiveSmallIntegerField(_("regions informed"), default=0)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    AUDIT_FIELDS = ("region", "month", "note", "recipients")

    class Meta:
        ordering = ["-month", "-sent_at"]
        verbose_name = _("monthly feedback")
        verbose_name_plural = _("monthly feedback")
        constraints = [
            models.UniqueConstraint(fields=["region", "month"], name="people_feedback_one")
        ]

    def __str__(self):
        return f"{self.region_id} · {self.month:%Y-%m}"
