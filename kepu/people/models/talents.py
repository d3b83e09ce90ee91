"""Talent evaluation rounds with the applicants' science-popularization record as
evidence (seeds 000 (五), 003 (八), 004 (24)), and the contact-and-service list of
high-level talents (seed 000 (六))."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kepu.core import clock
from kepu.core.querysets import ScopedQuerySet
from kepu.people import choices as pc
from kepu.people.talents import choices as c
from kepu.rubrics.models import ScoresheetBase


class RoundQuerySet(ScopedQuerySet):
    def with_relations(self):
        return self.select_related("region", "rubric")


class EvaluationRound(models.Model):
    """An evaluation round (评价/评审轮次) of a region: science-communication professional
    titles of a level, or an honour (天府科普使者 …). Draft → open (applications) →
    reviewing (unit recommendation, region review and scoring) → published (the result
    is written on the people: the honour or the title)."""

    name = models.CharField(_("name"), max_length=120)
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=c.RoundKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    title_level = models.CharField(
        _("title level"), max_length=12, choices=pc.TitleLevel.choices, blank=True
    )
    title = models.CharField(
        _("professional title"),
        max_length=64,
        blank=True,
        help_text=_("E.g. 高级工程师（科学传播）."),
    )
    honour = models.CharField(_("honour"), max_length=12, choices=pc.Honour.choices, blank=True)
    opens_on = models.DateField(_("applications open"))
    closes_on = models.DateField(_("applications close"))
    eligibility = models.TextField(_("eligibility"), blank=True, max_length=2000)
    min_hours = models.DecimalField(
        _("minimum volunteer service hours"), max_digits=7, decimal_places=1, default=0
    )
    quota = models.PositiveIntegerField(
        _("places"), default=0, help_text=_("0: every application reaching the pass mark.")
    )
    pass_mark = models.DecimalField(_("pass mark"), max_digits=5, decimal_places=2, default=60)
    rubric = models.ForeignKey(
        "rubrics.Rubric",
        verbose_name=_("scoring rubric"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=c.RoundStatus.choices, default=c.RoundStatus.DRAFT
    )
    application_count = models.PositiveIntegerField(_("applications"), default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = RoundQuerySet.as_manager()

    AUDIT_FIELDS = (
        "name",
        "region",
        "kind",
        "year",
        "title_level",
        "title",
        "honour",
        "opens_on",
        "closes_on",
        "min_hours",
        "quota",
        "pass_mark",
        "rubric",
        "status",
    )

    class Meta:
        ordering = ["-year", "-pk"]
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        indexes = [models.Index(fields=["-year", "-id"], name="people_round_year")]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="people_round_window",
                violation_error_message=_("The round cannot close before it opens."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="honour") | ~Q(honour=""),
                name="people_round_honour_named",
                violation_error_message=_("Choose the honour the round awards."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="title") | ~Q(title_level=""),
                name="people_round_title_level",
                violation_error_message=_("Choose the title level the round awards."),
            ),
        ]

    def __str__(self):
        return self.name

    def can_edit(self) -> bool:
        return self.status == c.RoundStatus.DRAFT

    def can_open(self) -> bool:
        return self.status == c.RoundStatus.DRAFT

    def can_close(self) -> bool:
        return self.status == c.RoundStatus.OPEN

    def can_publish(self) -> bool:
        return self.status == c.RoundStatus.REVIEWING

    def accepts_applications(self) -> bool:
        return self.status == c.RoundStatus.OPEN

    def what(self) -> str:
        """What the round awards, as a phrase."""
        if self.kind == c.RoundKind.HONOUR:
            return str(self.get_honour_display())
        return self.title or str(self.get_title_level_display())


class ApplicationQuerySet(ScopedQuerySet):
    def with_relations(self):
        return self.select_related("round", "person", "region", "organization")


class TalentApplication(models.Model):
    """A person's application in a round, filed by the person or by their unit's officer.
    Submitting freezes the science-popularization record assembled from the registries
    (`evidence`, each item naming its source) and its `figures`; the unit recommends (or
    returns it), the region's reviewers score it on the round's rubric (never the
    applicant, the filer or the recommender), the ranking orders the mean totals and the
    publication decides."""

    round = models.ForeignKey(
        EvaluationRound,
        verbose_name=_("evaluation round"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="talent_applications",
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "core.Organization",
        verbose_name=_("recommending unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    statement = models.TextField(_("summary of science-popularization work"), max_length=4000)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=c.ApplicationStatus.choices,
        default=c.ApplicationStatus.DRAFT,
    )
    evidence = models.JSONField(_("record"), default=list, blank=True, editable=False)
    figures = models.JSONField(_("figures"), default=dict, blank=True, editable=False)
    submitted_by = models.ForeignKey(  # who filed it (the applicant's account or an officer)
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recommended_at = models.DateTimeField(_("recommended at"), null=True, blank=True)
    return_reason = models.CharField(_("reason for return"), max_length=300, blank=True)
    score = models.DecimalField(
        _("mean score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    sheet_count = models.PositiveSmallIntegerField(_("score sheets"), default=0)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=clock.now)

    objects = ApplicationQuerySet.as_manager()

    AUDIT_FIELDS = (
        "round",
        "person",
        "region",
        "organization",
        "statement",
        "status",
        "return_reason",
        "score",
        "rank",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("talent application")
        verbose_name_plural = _("talent applications")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "person"],
                name="people_talent_application_once",
                violation_error_message=_("This person has already applied in this round."),
            )
        ]
        indexes = [
            # The list of a round (newest first) and the ranking (best score first).
            models.Index(
                fields=["round", "-created_at", "-id"],
                include=["region", "status"],
                name="people_tapp_round_new",
            ),
            models.Index(fields=["round", "rank", "id"], name="people_tapp_round_rank"),
            # The provisional ranking of a round under review (best mean score first).
            models.Index(
                fields=["round", "status", "-score", "submitted_at", "id"],
                name="people_tapp_provisional",
            ),
            models.Index(fields=["-created_at", "-id"], name="people_tapp_new"),
            models.Index(fields=["status", "round"], name="people_tapp_status"),
        ]

    def __str__(self):
        return f"{self.person} · {self.round}"

    def can_edit(self) -> bool:
        return self.status in c.EDITABLE_STATUSES

    def can_submit(self) -> bool:
        return self.status in c.EDITABLE_STATUSES and self.round.accepts_applications()

    def can_recommend(self) -> bool:
        return self.status == c.ApplicationStatus.SUBMITTED

    def can_score(self) -> bool:
        return (
            self.status == c.ApplicationStatus.RECOMMENDED
            and self.round.status == c.RoundStatus.REVIEWING
        )


class ApplicationItem(models.Model):
    """An item the applicant adds to the record (a work, a talk, an award not in the
    registries), with an optional attachment: always marked self-declared."""

    application = models.ForeignKey(
        TalentApplication, on_delete=models.CASCADE, related_name="items"
    )
    title = models.CharField(_("item"), max_length=200)
    date = models.DateField(_("date"), null=True, blank=True)
    description = models.CharField(_("description"), max_length=500, blank=True)
    attachment = models.FileField(
        _("attachment"), upload_to="talents/%Y/%m/", max_length=200, blank=True
    )
    created_at = models.DateTimeField(_("added at"), default=clock.now)

    AUDIT_FIELDS = ("application", "title", "date", "description")

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("self-declared item")
        verbose_name_plural = _("self-declared items")

    def __str__(self):
        return self.title


class ApplicationScore(ScoresheetBase):
    """One reviewer's score sheet of an application on the round's rubric."""

    application = models.ForeignKey(
        TalentApplication, on_delete=models.CASCADE, related_name="scores"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    AUDIT_FIELDS = ("application", "reviewer", "values", "total", "grade", "comment")

    class Meta:
        ordering = ["application", "pk"]
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="people_talent_score_once"
            )
        ]

    def __str__(self):
        return f"{self.application} · {self.total}"


class TalentQuerySet(ScopedQuerySet):
    def with_relations(self):
        return self.select_related("person", "person__organization", "region", "contact")

    def not_contacted_for(self, months: int):
        """Talents whose last contact is older than `months` months (or never)."""
        cutoff = clock.today() - datetime.timedelta(days=round(months * 30.44))
        return self.filter(Q(last_contact_on__isnull=True) | Q(last_contact_on__lt=cutoff))


class HighLevelTalent(models.Model):
    """A person on the contact-and-service list of high-level talents (高层次人才联系服务,
    seed 000 (六)): category, the contact officer of their region, when they were last
    contacted and how many needs are open (both kept by the service that records a
    contact)."""

    person = models.OneToOneField(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="high_level",
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(_("category"), max_length=12, choices=c.TalentCategory.choices)
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact officer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    since = models.DateField(_("on the list since"), default=clock.today)
    note = models.CharField(_("note"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    last_contact_on = models.DateField(_("last contact"), null=True, blank=True)
    open_needs = models.PositiveIntegerField(_("open needs"), default=0)

    objects = TalentQuerySet.as_manager()

    AUDIT_FIELDS = ("person", "region", "category", "contact", "since", "note", "is_active")

    class Meta:
        ordering = ["last_contact_on", "pk"]
        verbose_name = _("high-level talent")
        verbose_name_plural = _("high-level talents")
        indexes = [
            # The list: the longest without contact first (never contacted first of all).
            models.Index(
                fields=["last_contact_on", "id"],
                include=["region", "category", "contact"],
                condition=Q(is_active=True),
                name="people_hlt_contact",
            ),
            models.Index(
                fields=["contact", "last_contact_on"],
                condition=Q(is_active=True),
                name="people_hlt_by_contact",
            ),
        ]

    def __str__(self):
        return str(self.person)


class ServiceRecord(models.Model):
    """One contact with a high-level talent: a visit, a need they raised, help given, a
    follow-up. A need stays open until it is marked resolved."""

    talent = models.ForeignKey(HighLevelTalent, on_delete=models.CASCADE, related_name="services")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=c.ServiceKind.choices)
    summary = models.CharField(_("summary"), max_length=500)
    is_open = models.BooleanField(_("open need"), default=False)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), default=clock.now)

    AUDIT_FIELDS = ("talent", "date", "kind", "summary", "is_open", "resolved_on")

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        indexes = [models.Index(fields=["talent", "-date", "-id"], name="people_service_log")]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_open=False) | Q(kind="need"), name="people_service_open_is_need"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.date}"
