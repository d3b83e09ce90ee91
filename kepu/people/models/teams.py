"""Volunteer teams, second pass (issue 26): designated service groups assigned to counties
(定点服务团, seed 003 (十六): 12 groups for 12 priority counties) and team honours
(优秀科技志愿服务队, seeds 004 (23), 003 (十)). A team's certification and its parent
team are fields of `Team` itself (registry.py)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kepu.core.querysets import ScopedQuerySet
from kepu.people import choices as c
from kepu.people.models.registry import Team


class ServiceGroupQuerySet(ScopedQuerySet):
    def with_relations(self):
        return self.select_related("region", "lead_team", "lead_organization").prefetch_related(
            "counties"
        )

    def serving(self, region):
        """Groups assigned to `region` or to a county within it."""
        from kepu.core.models import Region

        counties = ServiceGroupCounty.objects.filter(county__in=Region.objects.subtree(region))
        return self.filter(pk__in=counties.values("group_id"))


class ServiceGroup(models.Model):
    """A designated service group (定点服务团/服务组) a region sends to the counties it is
    assigned to for a period, led by a volunteer team or a unit."""

    name = models.CharField(_("name"), max_length=120)
    region = models.ForeignKey(
        "core.Region", verbose_name=_("organized by"), on_delete=models.PROTECT, related_name="+"
    )
    lead_team = models.ForeignKey(
        Team,
        verbose_name=_("lead team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_groups",
    )
    lead_organization = models.ForeignKey(
        "core.Organization",
        verbose_name=_("lead unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    counties = models.ManyToManyField(
        "core.Region",
        through="ServiceGroupCounty",
        verbose_name=_("counties served"),
        related_name="+",
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    description = models.TextField(_("tasks"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = ServiceGroupQuerySet.as_manager()

    AUDIT_FIELDS = (
        "name",
        "region",
        "lead_team",
        "lead_organization",
        "period_start",
        "period_end",
    )

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("designated service group")
        verbose_name_plural = _("designated service groups")
        indexes = [models.Index(fields=["name", "id"], name="people_group_name")]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="people_group_period",
                violation_error_message=_("The period ends before it starts."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.lead_team_id is None and self.lead_organization_id is None:
            raise ValidationError(_("Name the lead team or the lead unit."))
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period ends before it starts.")})


class ServiceGroupCounty(models.Model):
    """A county a service group is assigned to."""

    group = models.ForeignKey(ServiceGroup, on_delete=models.CASCADE, related_name="assignments")
    county = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("county served")
        verbose_name_plural = _("counties served")
        constraints = [
            models.UniqueConstraint(fields=["group", "county"], name="people_group_county_once")
        ]
        indexes = [models.Index(fields=["county", "group"], name="people_group_county")]

    def __str__(self):
        return f"{self.group} · {self.county}"


class TeamHonour(models.Model):
    """An honour a team received in a year (优秀科技志愿服务队 …), and who awarded it."""

    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="honours"
    )
    honour = models.CharField(_("honour"), max_length=12, choices=c.TeamHonourKind.choices)
    title = models.CharField(_("title as awarded"), max_length=120, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    awarded_by = models.CharField(_("awarded by"), max_length=200)

    objects = ScopedQuerySet.as_manager()

    AUDIT_FIELDS = ("team", "honour", "title", "year", "awarded_by")

    class Meta:
        ordering = ["-year", "-pk"]
        verbose_name = _("team honour")
        verbose_name_plural = _("team honours")
        indexes = [models.Index(fields=["-year", "-id"], name="people_team_honour_year")]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "honour", "year"],
                name="people_team_honour_once",
                violation_error_message=_("The team already has this honour for this year."),
            )
        ]

    def __str__(self):
        return self.title or self.get_honour_display()
