"""A survey round (the year's 科普统计 of a province), its deadlines per level, the
approvals of each region's aggregate up the tree, and the exceptions to the lock."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kepu.core import clock
from kepu.stats import choices as c


def _user_fk(related_name="+"):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name=related_name,
    )


class SurveyRound(models.Model):
    """The survey of one data year in one region's tree (the province's 科普统计): units
    file by `units_due`; counties, cities and the province approve by their dates. After
    `units_due` the units' returns are locked unless the level above granted an
    exception."""

    data_set = models.ForeignKey(
        "stats.DataSet", verbose_name=_("data set"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("data year"))
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=c.RoundStatus.choices, default=c.RoundStatus.DRAFT
    )
    opens_on = models.DateField(_("opens on"))
    units_due = models.DateField(_("units file by"))
    county_due = models.DateField(_("counties approve by"))
    city_due = models.DateField(_("cities approve by"))
    province_due = models.DateField(_("province approves by"))
    created_by = _user_fk()
    created_at = models.DateTimeField(_("created at"), default=clock.now)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    AUDIT_FIELDS = (
        "title",
        "year",
        "status",
        "opens_on",
        "units_due",
        "county_due",
        "city_due",
        "province_due",
    )

    class Meta:
        ordering = ["-year", "region__code"]
        verbose_name = _("survey round")
        verbose_name_plural = _("survey rounds")
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="stats_round_once"),
            models.CheckConstraint(
                condition=models.Q(units_due__gte=models.F("opens_on"))
                & models.Q(county_due__gte=models.F("units_due"))
                & models.Q(city_due__gte=models.F("county_due"))
                & models.Q(province_due__gte=models.F("city_due")),
                name="stats_round_dates_in_order",
            ),
        ]

    def __str__(self):
        return self.title


class RegionApproval(models.Model):
    """A region's aggregate approved (DHIS2's data approval): a county once every unit
    it is responsible for is accepted, a city once every county below it approved, the
    province once every city did. A parent never approves before its children; the level
    above may return an approval with a reason, which reopens it."""

    round = models.ForeignKey(
        SurveyRound,
        verbose_name=_("survey round"),
        on_delete=models.CASCADE,
        related_name="approvals",
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=c.ApprovalStatus.choices,
        default=c.ApprovalStatus.PENDING,
    )
    approved_by = _user_fk()
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    returned_by = _user_fk()
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    reason = models.CharField(_("reason for returning"), max_length=500, blank=True)

    AUDIT_FIELDS = ("status", "reason")

    class Meta:
        ordering = ["round", "region__code"]
        verbose_name = _("regional approval")
        verbose_name_plural = _("regional approvals")
        constraints = [
            models.UniqueConstraint(fields=["round", "region"], name="stats_approval_once")
        ]

    def __str__(self):
        return f"{self.round} · {self.region}"


class LockException(models.Model):
    """Filing allowed after the deadline, granted by the level above: to one unit's
    return (the county grants it) or to a whole region (its parent grants it), until a
    date."""

    round = models.ForeignKey(
        SurveyRound,
        verbose_name=_("survey round"),
        on_delete=models.CASCADE,
        related_name="exceptions",
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    ret = models.ForeignKey(
        "stats.Return",
        verbose_name=_("return"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="exceptions",
    )
    until = models.DateField(_("open until"))
    reason = models.CharField(_("reason"), max_length=500)
    granted_by = _user_fk()
    granted_at = models.DateTimeField(_("granted at"), default=clock.now)

    AUDIT_FIELDS = ("region", "ret", "until", "reason")

    class Meta:
        ordering = ["-granted_at"]
        verbose_name = _("exception to the lock")
        verbose_name_plural = _("exceptions to the lock")

    def __str__(self):
        return f"{self.round} · {self.region} · {self.until}"
