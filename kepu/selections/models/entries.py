"""Entries (申报 / 推荐) of a call with their materials and their own people, the expert
reviews (one per assigned reviewer, on the call's rubric), the panel's votes and the 公示
objections."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kepu.core import clock
from kepu.core.models.publicity import ObjectionBase
from kepu.core.querysets import ScopedQuerySet
from kepu.rubrics.models import ScoresheetBase
from kepu.selections import choices as c
from kepu.selections.models.calls import Call


class EntryQuerySet(ScopedQuerySet):
    def with_relations(self):
        return self.select_related(
            "call", "call__region", "person", "organization", "region", "nominating_region",
            "nominating_organization",
        )  # fmt: skip

    def for_list(self):
        return self.select_related("region", "call").only(
            "title", "status", "category", "route", "rank", "raw_mean", "corrected",
            "raw_rank", "corrected_rank", "submitted_at", "region__name", "region__code",
            "call__title", "call__categories", "call__status",
        )  # fmt: skip

    def live(self):
        return self.filter(status__in=c.LIVE_ENTRY_STATUSES)


class Entry(models.Model):
    """An application or nomination to a call: a person, a unit, a work or a project
    proposal (`subject_kind`, from the call), in the call's category, through a route (a
    region's recommendation carries its rank in the region's list)."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.PROTECT, related_name="entries"
    )
    subject_kind = models.CharField(_("entry is"), max_length=12, choices=c.SubjectKind.choices)
    person = models.ForeignKey(
        "people.Person", verbose_name=_("nominee"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    organization = models.ForeignKey(
        "core.Organization", verbose_name=_("unit"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    title = models.CharField(_("name or title"), max_length=200)
    category = models.CharField(_("category"), max_length=30, blank=True)
    discipline = models.CharField(_("discipline"), max_length=3, blank=True)
    topic = models.CharField(_("topic"), max_length=16, blank=True)
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    route = models.CharField(_("route"), max_length=8, choices=c.Route.choices)
    nominating_region = models.ForeignKey(
        "core.Region", verbose_name=_("recommending region"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    nominating_organization = models.ForeignKey(
        "core.Organization", verbose_name=_("recommending unit"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    rank = models.PositiveSmallIntegerField(_("rank in the recommendation"), null=True, blank=True)
    summary = models.TextField(_("summary of deeds"), max_length=4000)
    amount_requested = models.DecimalField(
        _("amount requested (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=12, choices=c.EntryStatus.choices, default=c.EntryStatus.SUBMITTED
    )
    check_note = models.CharField(_("formal check note"), max_length=500, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    reviews_done = models.PositiveSmallIntegerField(_("reviews submitted"), default=0)
    raw_mean = models.DecimalField(
        _("mean score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    corrected = models.DecimalField(
        _("corrected score"), max_digits=7, decimal_places=3, null=True, blank=True
    )
    raw_rank = models.PositiveIntegerField(_("rank (raw)"), null=True, blank=True)
    corrected_rank = models.PositiveIntegerField(_("rank (corrected)"), null=True, blank=True)
    tie = models.BooleanField(_("tied"), default=False)
    votes_for = models.PositiveSmallIntegerField(default=0)
    votes_against = models.PositiveSmallIntegerField(default=0)
    votes_abstain = models.PositiveSmallIntegerField(default=0)
    honour = models.ForeignKey(
        "people.HonourAward", verbose_name=_("honour"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    certificate_number = models.CharField(_("certificate number"), max_length=40, blank=True)
    certificate_code = models.CharField(max_length=32, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=clock.now)
    client_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = EntryQuerySet.as_manager()

    AUDIT_FIELDS = (
        "title", "subject_kind", "person", "organization", "category", "discipline", "topic",
        "route", "rank", "status", "check_note", "raw_mean", "corrected", "corrected_rank",
        "certificate_number",
    )  # fmt: skip

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        indexes = [
            models.Index(fields=["call", "status", "-submitted_at", "-id"], name="sel_entry_idx"),
            models.Index(fields=["region", "-submitted_at", "-id"], name="sel_entry_region_idx"),
            # The province's first page (every region in scope): a walk of this index.
            models.Index(fields=["-submitted_at", "-id"], name="sel_entry_recent_idx"),
            models.Index(fields=["call", "corrected_rank"], name="sel_entry_rank_idx"),
            models.Index(fields=["certificate_code"], name="sel_entry_cert_idx"),
        ]
        constraints = [
            # One live entry per person per call (a double nomination is refused).
            models.UniqueConstraint(
                fields=["call", "person"],
                condition=Q(person__isnull=False) & ~Q(status="withdrawn"),
                name="sel_entry_person_once",
            ),
        ]

    def __str__(self):
        return self.title

    def can_withdraw(self) -> bool:
        return self.status in (c.EntryStatus.SUBMITTED, c.EntryStatus.RETURNED)

    def can_complete(self) -> bool:
        """Returned for completion: the submitter adds what is missing and resubmits."""
        return self.status == c.EntryStatus.RETURNED

    def category_label(self) -> str:
        return self.call.category_label(self.category) if self.category else ""


class EntryMember(models.Model):
    """A person of an entry besides its nominee (a work's authors, a team's members, a
    project's staff): reviewers related to them are in conflict."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=40, blank=True)

    class Meta:
        ordering = ["entry", "pk"]
        verbose_name = _("entry member")
        verbose_name_plural = _("entry members")
        constraints = [models.UniqueConstraint(fields=["entry", "person"], name="sel_member_once")]

    def __str__(self):
        return str(self.person)


def _material_path(instance, filename):
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"selections/entries/{instance.entry_id}/{uuid.uuid4().hex}.{ext}"


class EntryMaterial(models.Model):
    """A file of an entry, one of the call's required materials (`code`), checked by its
    content on upload."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="materials")
    code = models.CharField(_("material"), max_length=30)
    file = models.FileField(upload_to=_material_path)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("entry material")
        verbose_name_plural = _("entry materials")

    def __str__(self):
        return self.name


class ReviewQuerySet(ScopedQuerySet):
    def with_relations(self):
        return self.select_related("entry", "entry__call", "entry__region", "reviewer")

    def submitted(self):
        return self.filter(submitted_at__isnull=False)


class Review(ScoresheetBase):
    """One reviewer's review of one entry on the call's rubric. Made by the automatic
    assignment (`reason`: why this reviewer, `match`: the expertise points) or by an
    officer's audited override (`manual`)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        "people.Person", verbose_name=_("reviewer"), on_delete=models.PROTECT, related_name="+"
    )
    match = models.PositiveSmallIntegerField(_("expertise match"), default=0)
    reason = models.CharField(_("why assigned"), max_length=300, blank=True)
    manual = models.BooleanField(_("assigned by hand"), default=False)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=clock.now)

    objects = ReviewQuerySet.as_manager()

    AUDIT_FIELDS = ("reviewer", "values", "total", "grade", "comment", "manual", "reason")

    class Meta:
        ordering = ["entry", "pk"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        indexes = [
            models.Index(fields=["reviewer", "submitted_at"], name="sel_review_reviewer_idx")
        ]
        constraints = [
            models.UniqueConstraint(fields=["entry", "reviewer"], name="sel_review_once")
        ]

    def __str__(self):
        return f"{self.reviewer} · {self.entry}"

    def can_score(self) -> bool:
        return self.submitted_at is None and self.entry.call.status == c.CallStatus.REVIEWING


class PanelVote(models.Model):
    """A panel member's vote on an entry at the panel meeting (会议评审)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    vote = models.CharField(_("vote"), max_length=8, choices=c.Vote.choices)
    cast_at = models.DateTimeField(_("cast at"), default=clock.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    AUDIT_FIELDS = ("member", "vote")

    class Meta:
        ordering = ["entry", "pk"]
        verbose_name = _("panel vote")
        verbose_name_plural = _("panel votes")
        constraints = [models.UniqueConstraint(fields=["entry", "member"], name="sel_vote_once")]

    def __str__(self):
        return f"{self.member} · {self.get_vote_display()}"


class ObjectionQuerySet(ScopedQuerySet):
    def with_relations(self):
        return self.select_related("entry", "entry__call")


class Objection(ObjectionBase):
    """A written objection to a candidate of a call's 公示 (rules: `kepu.core.publicity`)."""

    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="objections")

    objects = ObjectionQuerySet.as_manager()

    class Meta:
        ordering = ["-filed_at", "-pk"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        indexes = [models.Index(fields=["status", "-filed_at", "-id"], name="sel_objection_idx")]

    def __str__(self):
        return f"{self.name} · {self.entry}"
