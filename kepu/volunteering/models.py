"""Technology volunteer service orders (群众点单 → 社区派单 → 部门领单 → 服务队接单 → 服务 →
评单), the volunteers' hour ledger and service record certificates.

Every state change goes through `kepu.volunteering.services`; this module only declares
the data and its constraints.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from kepu.core import clock
from kepu.core.choices import KeyGroup
from kepu.volunteering import choices as c
from kepu.volunteering.querysets import HourEntryQuerySet, ServiceOrderQuerySet


class ServiceOrder(models.Model):
    """A request for a volunteer service, placed by a citizen (no account: name and phone)
    or a community account, and carried through dispatch, claim, acceptance, service and
    rating. `client_key` makes submission idempotent: a retried or doubled submission
    carries the same key and finds the first order."""

    number = models.CharField(_("order number"), max_length=20, unique=True)
    client_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    requester_kind = models.CharField(
        _("placed by"), max_length=10, choices=c.RequesterKind.choices
    )
    requester_name = models.CharField(_("contact name"), max_length=64)
    requester_phone_enc = models.TextField(editable=False)
    requester_phone_hash = models.CharField(max_length=64, editable=False, db_index=True)
    requester_phone_masked = models.CharField(_("contact phone"), max_length=20, editable=False)
    requester_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("community account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requester_organization = models.ForeignKey(
        "core.Organization",
        verbose_name=_("community"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    notice = models.ForeignKey(
        "core.PrivacyNotice", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    category = models.CharField(
        _("service category"), max_length=20, choices=c.ServiceCategory.choices
    )
    key_group = models.CharField(_("target group"), max_length=16, choices=KeyGroup.choices)
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("address"), max_length=200)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    window_start = models.DateTimeField(_("preferred from"))
    window_end = models.DateTimeField(_("preferred until"))
    expected_attendees = models.PositiveIntegerField(_("expected attendees"))
    description = models.TextField(_("what is needed"), max_length=2000)

    status = models.CharField(
        _("status"), max_length=16, choices=c.OrderStatus.choices, default=c.OrderStatus.SUBMITTED
    )
    department = models.ForeignKey(
        "core.Organization",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_orders",
    )
    team = models.ForeignKey(
        "people.Team",
        verbose_name=_("service team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_orders",
    )
    submitted_at = models.DateTimeField(_("ordered at"), default=timezone.now, db_index=True)
    dispatch_due = models.DateTimeField(_("dispatch due"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    accept_due = models.DateTimeField(_("acceptance due"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    served_at = models.DateTimeField(_("served at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Whether each deadline was kept (set when the step happens; the on-time rate).
    dispatched_on_time = models.BooleanField(null=True, blank=True)
    accepted_on_time = models.BooleanField(null=True, blank=True)
    # The region an overdue order was escalated to (the level above its own).
    escalated_to = models.ForeignKey(
        "core.Region",
        verbose_name=_("escalated to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.CharField(_("comment"), max_length=500, blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ServiceOrderQuerySet.as_manager()

    # The contact name and phone stay out of the trail (the masked phone identifies it).
    AUDIT_FIELDS = [
        "number",
        "requester_kind",
        "requester_phone_masked",
        "category",
        "key_group",
        "region",
        "window_start",
        "window_end",
        "expected_attendees",
        "status",
        "department",
        "team",
    ]

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("service order")
        verbose_name_plural = _("service orders")
        indexes = [
            # Orders served in a date window, by region (plan indicators' partial months).
            models.Index(
                fields=["served_at"],
                include=["region"],
                condition=Q(served_at__isnull=False),
                name="volunteering_order_served",
            ),
            # The list's default order, under a status tab and within a region.
            models.Index(fields=["status", "-submitted_at", "-id"], name="order_status_recent"),
            models.Index(fields=["region", "-submitted_at", "-id"], name="order_region_recent"),
            models.Index(fields=["region", "status"], name="order_region_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=c.OrderStatus.values), name="order_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="order_rating_range",
            ),
            models.CheckConstraint(
                condition=Q(window_end__gt=models.F("window_start")), name="order_window_order"
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.get_category_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in c.OPEN_STATUSES

    @property
    def overdue(self) -> bool:
        now = clock.now()
        if self.status in c.WAITING_DISPATCH:
            return bool(self.dispatch_due and now > self.dispatch_due)
        if self.status in c.WAITING_ACCEPT:
            return bool(self.accept_due and now > self.accept_due)
        return False


class OrderEvent(models.Model):
    """One step on an order's timeline (also in the audit trail)."""

    order = models.ForeignKey(ServiceOrder, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("step"), max_length=12, choices=c.OrderAction.choices)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("by"), max_length=120, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("order step")
        verbose_name_plural = _("order steps")

    def __str__(self):
        return f"{self.order.number} {self.get_action_display()}"

    # The requester's and the system's labels were stored in the language of the request
    # that wrote the step ("点单人"); they are shown in the reader's language.
    _TRANSLATED_LABELS = {
        "点单人": gettext_noop("Requester"),
        "Requester": gettext_noop("Requester"),
        "系统": gettext_noop("System"),
        "System": gettext_noop("System"),
    }

    @property
    def shown_actor_label(self) -> str:
        msgid = self._TRANSLATED_LABELS.get(self.actor_label)
        return gettext(msgid) if msgid else self.actor_label


class Assignment(models.Model):
    """A volunteer assigned to an order by the accepting team; check-in and check-out on
    a phone produce the volunteer's hour entry."""

    order = models.ForeignKey(ServiceOrder, on_delete=models.CASCADE, related_name="assignments")
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("volunteer"),
        on_delete=models.PROTECT,
        related_name="service_assignments",
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    hour_entry = models.OneToOneField(
        "volunteering.HourEntry",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assignment",
    )

    AUDIT_FIELDS = ["order", "person", "checked_in_at", "checked_out_at"]

    class Meta:
        ordering = ["order_id", "pk"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(fields=["order", "person"], name="assignment_once"),
        ]

    def __str__(self):
        return f"{self.order.number} · {self.person.name}"


class HourEntry(models.Model):
    """One period of service in a volunteer's ledger. Entries of one person never overlap
    (checked under a lock on the person); only approved entries count."""

    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("volunteer"),
        on_delete=models.PROTECT,
        related_name="hour_entries",
    )
    team = models.ForeignKey(
        "people.Team",
        verbose_name=_("service team"),
        on_delete=models.PROTECT,
        related_name="hour_entries",
    )
    order = models.ForeignKey(
        ServiceOrder,
        verbose_name=_("service order"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hour_entries",
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("from"))
    ended_at = models.DateTimeField(_("until"))
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=2)
    source = models.CharField(_("source"), max_length=10, choices=c.HourSource.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=c.HourStatus.choices, default=c.HourStatus.PENDING
    )
    description = models.CharField(_("service given"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("entered at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reject_reason = models.CharField(_("reason for rejection"), max_length=300, blank=True)

    objects = HourEntryQuerySet.as_manager()

    AUDIT_FIELDS = [
        "person",
        "team",
        "order",
        "started_at",
        "ended_at",
        "hours",
        "source",
        "status",
    ]

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("hour entry")
        verbose_name_plural = _("hour entries")
        indexes = [
            models.Index(fields=["person", "started_at"], name="hours_person_time"),
            # The ledger's default order: all, under a status, within a region.
            models.Index(fields=["-started_at", "-id"], name="hours_recent"),
            models.Index(fields=["status", "-started_at", "-id"], name="hours_status_recent"),
            models.Index(fields=["region", "-started_at", "-id"], name="hours_region_recent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__gt=models.F("started_at")), name="hours_period_order"
            ),
            models.CheckConstraint(condition=Q(hours__gt=0), name="hours_positive"),
        ]

    def __str__(self):
        return f"{self.person.name} {self.hours} h"


class Certificate(models.Model):
    """A service record certificate (志愿服务记录证明): the approved hours of one volunteer
    with one team over a period, issued in the name of the team that recorded them
    (谁记录谁证明). Its number is random and checked on the public verification page."""

    number = models.CharField(_("certificate number"), max_length=24, unique=True)
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("volunteer"),
        on_delete=models.PROTECT,
        related_name="service_certificates",
    )
    team = models.ForeignKey(
        "people.Team",
        verbose_name=_("issued in the name of"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    holder_name = models.CharField(_("holder"), max_length=64)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    total_hours = models.DecimalField(_("hours"), max_digits=8, decimal_places=2)
    entries = models.PositiveIntegerField(_("services"))
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoke_reason = models.CharField(_("reason for revoking"), max_length=300, blank=True)

    AUDIT_FIELDS = ["number", "person", "team", "period_start", "period_end", "total_hours"]

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("service record certificate")
        verbose_name_plural = _("service record certificates")

    def __str__(self):
        return self.number
