"""The base registry: one row per recognized base or venue, whatever its level."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kepu.bases import choices as c
from kepu.bases.querysets import BaseQuerySet
from kepu.core import clock

# An office (landline) number: a mobile number is personal data and is not kept here.
OFFICE_PHONE = RegexValidator(
    r"^(0\d{2,3}-?)?\d{7,8}(-\d{1,6})?$|^400-?\d{3}-?\d{4}$",
    _("Give an office number such as 028-86123456 (a mobile number is not kept here)."),
)


class Base(models.Model):
    """A science-education base (科普教育基地) or venue at one level, run by a unit. Its
    place on the map is the unit's catalog place entry (`place`: one record, not two); the
    registry adds what recognition needs: level, category, the batch and certificate
    number, the five-year validity, and its status in dynamic management (active →
    warned → under rectification → kept or revoked; expired at the end of the cycle).
    `region` is where it lies: the officers of that region and above manage it."""

    name = models.CharField(_("name"), max_length=120)
    level = models.CharField(_("level"), max_length=10, choices=c.BaseLevel.choices)
    category = models.CharField(
        pgettext_lazy("base", "category"), max_length=12, choices=c.BaseCategory.choices
    )
    organization = models.ForeignKey(
        "core.Organization",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="bases",
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    place = models.ForeignKey(
        "resources.Resource",
        verbose_name=_("catalog place"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bases",
        help_text=_("The unit's place in the resource catalog: address and map position."),
    )
    batch = models.CharField(_("recognition batch"), max_length=60, blank=True)
    number = models.CharField(_("certificate number"), max_length=40, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    status = models.CharField(
        _("status"), max_length=12, choices=c.BaseStatus.choices, default=c.BaseStatus.ACTIVE
    )
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    contact_name = models.CharField(_("liaison"), max_length=40, blank=True)
    contact_phone = models.CharField(
        _("office phone"), max_length=24, blank=True, validators=[OFFICE_PHONE]
    )
    open_days = models.PositiveSmallIntegerField(_("open days a year"), default=0)
    opening_hours = models.CharField(_("opening hours"), max_length=120, blank=True)
    area_m2 = models.PositiveIntegerField(_("exhibition area (m²)"), default=0)
    staff = models.PositiveSmallIntegerField(_("full-time staff"), default=0)
    docents = models.PositiveSmallIntegerField(_("docents"), default=0)
    description = models.TextField(_("introduction"), blank=True, max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = BaseQuerySet.as_manager()

    EDITABLE_FIELDS = (
        "name",
        "category",
        "place",
        "contact_name",
        "contact_phone",
        "open_days",
        "opening_hours",
        "area_m2",
        "staff",
        "docents",
        "description",
    )
    AUDIT_FIELDS = (
        *EDITABLE_FIELDS,
        "level",
        "organization",
        "region",
        "batch",
        "number",
        "valid_from",
        "valid_to",
        "status",
        "status_reason",
    )

    class Meta:
        ordering = ["-valid_from", "-pk"]
        verbose_name = _("science-education base")
        verbose_name_plural = _("science-education bases")
        constraints = [
            # A unit holds one base per level at a time (a re-recognition renews it).
            models.UniqueConstraint(
                fields=["organization", "level"],
                condition=Q(status__in=["active", "warned", "rectifying"]),
                name="bases_base_one_listed_per_unit_level",
            ),
            models.UniqueConstraint(
                fields=["number"], condition=~Q(number=""), name="bases_base_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__gt=models.F("valid_from")), name="bases_base_valid_span"
            ),
        ]
        indexes = [
            models.Index(fields=["region", "level", "status"], name="bases_base_region_idx"),
            # The list's default order (newest recognition first): a province-wide first
            # page reads 26 rows from it instead of sorting every base.
            models.Index(fields=["-valid_from", "-id"], name="bases_base_recent_idx"),
            models.Index(
                fields=["level", "status", "-valid_from", "-id"], name="bases_base_list_idx"
            ),
        ]

    def __str__(self):
        return self.name

    def is_listed(self) -> bool:
        return self.status in c.LISTED_STATUSES

    def is_expired_on(self, day) -> bool:
        return day > self.valid_to
