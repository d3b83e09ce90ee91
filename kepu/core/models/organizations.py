from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kepu.core.choices import MemberSector, OrgType
from kepu.core.querysets import OrganizationQuerySet
from kepu.core.validators import normalize_credit_code, validate_credit_code


class Organization(models.Model):
    """A unit that takes part in science-popularization work: an association, a bureau,
    a member department, a school, a venue … placed in a region, optionally under a parent
    organization. Scoped by its region (and, for member-unit staff, by itself)."""

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=64, blank=True)
    org_type = models.CharField(_("type"), max_length=16, choices=OrgType.choices)
    sector = models.CharField(
        _("sector"),
        max_length=24,
        choices=MemberSector.choices,
        blank=True,
        help_text=_("For member departments of the joint conference."),
    )
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        validators=[validate_credit_code],
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("office phone"), max_length=32, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = OrganizationQuerySet.as_manager()

    # What users edit (pages, API, Excel); the audit trail also follows `is_active`.
    EDITABLE_FIELDS = (
        "name",
        "short_name",
        "org_type",
        "sector",
        "credit_code",
        "region",
        "parent",
        "address",
        "phone",
        "website",
        "description",
    )
    AUDIT_FIELDS = (*EDITABLE_FIELDS, "is_active")

    class Meta:
        ordering = ["region__code", "name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~Q(credit_code=""),
                name="core_org_credit_code_unique",
                violation_error_message=_(
                    "Another organization already has this unified social credit code."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["region", "org_type"]),
            models.Index(fields=["org_type", "name"]),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        self.credit_code = normalize_credit_code(self.credit_code)
        if self.sector and self.org_type != OrgType.MEMBER_DEPARTMENT:
            raise ValidationError(
                {"sector": _("Only member departments of the joint conference have a sector.")}
            )
        if self.parent_id:
            if self.pk and self.parent_id == self.pk:
                raise ValidationError({"parent": _("An organization cannot be its own parent.")})
            if self.pk and self._parent_chain_contains(self.pk):
                raise ValidationError(
                    {"parent": _("This parent would put the organization under itself.")}
                )

    def _parent_chain_contains(self, pk) -> bool:
        seen, current = set(), self.parent
        while current is not None and current.pk not in seen:
            if current.pk == pk:
                return True
            seen.add(current.pk)
            current = current.parent
        return False
