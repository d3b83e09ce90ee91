"""The registry of people: talents, experts and volunteers (seeds 000 (二), 001 四(三),
002 三(三)5, 003 (十)(十一), 004 (23))."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kepu.core.choices import Topic
from kepu.people import choices as c
from kepu.people.querysets import (
    MembershipQuerySet,
    PersonQuerySet,
    PoolQuerySet,
    RegistrationQuerySet,
    TeamQuerySet,
)


class Person(models.Model):
    """One natural person, identified by a document number (deduplicated on its keyed
    hash). ID and phone numbers are stored encrypted; lists show only the stored masks.
    Erasure (PIPL Art. 47) blanks the personal fields and keeps an anonymous tombstone so
    that counts by region and registration kind stay correct."""

    name = models.CharField(_("full name"), max_length=64)
    gender = models.CharField(
        _("gender"), max_length=1, choices=c.Gender.choices, default=c.Gender.UNKNOWN
    )
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    doc_type = models.CharField(
        _("document type"), max_length=12, choices=c.DocType.choices, default=c.DocType.RESIDENT_ID
    )
    id_number_enc = models.TextField(blank=True, editable=False)
    # Looked up through the partial unique index below (a plain index beside it only
    # slowed every insert: 100k-row imports).
    id_hash = models.CharField(max_length=64, blank=True, editable=False)
    id_masked = models.CharField(_("document number"), max_length=40, blank=True, editable=False)
    phone_enc = models.TextField(blank=True, editable=False)
    phone_hash = models.CharField(max_length=64, blank=True, editable=False)
    phone_masked = models.CharField(_("mobile phone"), max_length=20, blank=True, editable=False)
    email = models.EmailField(_("email"), blank=True)
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "core.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    education = models.CharField(
        pgettext_lazy("schooling", "education"),
        max_length=12,
        choices=c.Education.choices,
        blank=True,
    )
    title_level = models.CharField(
        _("title level"), max_length=12, choices=c.TitleLevel.choices, default=c.TitleLevel.NONE
    )
    title = models.CharField(_("professional title"), max_length=64, blank=True)
    discipline = models.CharField(
        _("discipline"), max_length=3, choices=c.Discipline.choices, blank=True
    )
    specialties = models.CharField(
        _("specialties"),
        max_length=300,
        blank=True,
        help_text=_("Separate several with “、” or commas."),
    )
    languages = models.CharField(
        _("languages"),
        max_length=120,
        blank=True,
        help_text=_("Including minority languages, e.g. 藏语、彝语."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    search_text = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)

    objects = PersonQuerySet.as_manager()

    SEARCH_FIELDS = ["name", "specialties", "title", "organization__name"]
    # What users edit (pages, API, Excel); identifiers are written through the service.
    EDITABLE_FIELDS = (
        "name",
        "doc_type",
        "email",
        "region",
        "organization",
        "education",
        "title_level",
        "title",
        "discipline",
        "specialties",
        "languages",
    )
    AUDIT_FIELDS = (*EDITABLE_FIELDS, "gender", "birth_date", "id_masked", "phone_masked")

    class Meta:
        # By name: an index walk serves the first page of any scope or search (ordering
        # by region code joined every region and sorted the whole scope).
        ordering = ["name", "pk"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                fields=["id_hash"],
                condition=~Q(id_hash=""),
                name="people_person_document_unique",
                violation_error_message=_(
                    "A person with this document number is already registered."
                ),
            )
        ]
        indexes = [
            models.Index(fields=["region", "title_level"]),
            # Live people of a title level per unit (the bases' talent criterion, seed 000
            # (四)), from the index alone.
            models.Index(
                fields=["title_level"],
                include=["organization"],
                condition=Q(erased_at__isnull=True),
                name="people_person_live_title",
            ),
            # Equality lookups only: no LIKE variant (db_index made one).
            models.Index(fields=["phone_hash"], name="people_person_phone_hash"),
            # The list (live people by name) and its scope branches: with every branch
            # on a partial index of live rows, the capped count needs no heap row.
            models.Index(
                fields=["name", "id"],
                condition=Q(erased_at__isnull=True),
                name="people_person_live_name",
            ),
            models.Index(
                fields=["region"],
                condition=Q(erased_at__isnull=True),
                name="people_person_live_region",
            ),
            models.Index(
                fields=["user"],
                condition=Q(erased_at__isnull=True, user__isnull=False),
                name="people_person_live_user",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    @property
    def specialty_list(self) -> list[str]:
        import re

        return [s for s in re.split(r"[、,，;；\s]+", self.specialties) if s]


class Registration(models.Model):
    """A role a person holds in science popularization: full-time or part-time staff,
    volunteer, information officer, expert. Self-registrations wait for certification by
    an officer of the person's region."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=c.RegistrationKind.choices)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=c.RegistrationStatus.choices,
        default=c.RegistrationStatus.PENDING,
    )
    source = models.CharField(
        _("source"), max_length=8, choices=c.Source.choices, default=c.Source.OFFICER
    )
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
    start_date = models.DateField(_("start date"), default=timezone.localdate)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    # The unit as the applicant typed it (a science and technology envoy's sending unit).
    unit_name = models.CharField(_("unit as given"), max_length=200, blank=True)
    applied_at = models.DateTimeField(_("applied at"), default=timezone.now)
    # The officer who filed a pending registration for someone (None for a public
    # application): four-eyes, never its reviewer (kepu.core.workflow).
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reject_reason = models.CharField(_("reason for rejection"), max_length=300, blank=True)
    notice = models.ForeignKey(
        "core.PrivacyNotice",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("privacy notice accepted"),
    )
    consented_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    tracking_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # A public application whose document number is already a registered person's: it
    # waits for an officer to confirm that the applicant is that person (the applicant is
    # never told). Certification clears the flag; the name and the masked phone the
    # applicant typed stay beside it for that comparison.
    matches_person = models.BooleanField(
        _("matches a registered person"),
        default=False,
        help_text=_(
            "The document number of this public application is already registered: "
            "check that the applicant is that person before certifying."
        ),
    )
    applicant_name = models.CharField(_("name given by the applicant"), max_length=64, blank=True)
    applicant_phone_masked = models.CharField(
        _("mobile phone given by the applicant"), max_length=20, blank=True, editable=False
    )

    objects = RegistrationQuerySet.as_manager()

    AUDIT_FIELDS = (
        "person",
        "kind",
        "status",
        "region",
        "organization",
        "start_date",
        "end_date",
        "reject_reason",
        "matches_person",
    )

    class Meta:
        ordering = ["-applied_at", "-pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            # One live registration of each kind per person (a double-submitted
            # self-registration cannot create a second one). Applications that match a
            # registered person wait beside it until an officer decides; certifying one
            # clears its flag, and then this constraint holds for it too.
            models.UniqueConstraint(
                fields=["person", "kind"],
                condition=Q(status__in=["pending", "certified"], matches_person=False),
                name="people_registration_one_active_per_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["region", "kind", "status"]),
            # Registrations of a kind certified in a date window, by region (the plan
            # indicators' partial months, the bulletin's registered volunteers).
            models.Index(
                fields=["kind", "status", "start_date"],
                include=["region"],
                name="people_reg_kind_start",
            ),
            # The review queue: a status, newest first (scope columns included so that
            # the capped count reads the index alone).
            models.Index(
                fields=["status", "-applied_at", "-id"],
                include=["region", "person"],
                name="people_reg_status_applied",
            ),
        ]

    def __str__(self):
        return f"{self.person} · {self.get_kind_display()}"

    def can_review(self) -> bool:
        return self.status == c.RegistrationStatus.PENDING


class ExpertPool(models.Model):
    """A configurable pool of experts (科普专家库, 应急科普专家库, 讲师团 …) kept by a region."""

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=12, choices=c.PoolKind.choices)
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = PoolQuerySet.as_manager()

    AUDIT_FIELDS = ("name", "kind", "region", "description", "is_active")

    class Meta:
        ordering = ["region__code", "kind", "name"]
        verbose_name = _("expert pool")
        verbose_name_plural = _("expert pools")

    def __str__(self):
        return self.name


class PoolMembership(models.Model):
    """A person in an expert pool, with the domains they cover, availability and term."""

    pool = models.ForeignKey(
        ExpertPool, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("pool")
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="pool_memberships", verbose_name=_("person")
    )
    available = models.BooleanField(_("available"), default=True)
    term_start = models.DateField(_("term start"), default=timezone.localdate)
    term_end = models.DateField(_("term end"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    AUDIT_FIELDS = ("pool", "person", "available", "term_start", "term_end")

    class Meta:
        ordering = ["pool_id", "person__name"]
        verbose_name = _("pool membership")
        verbose_name_plural = _("pool memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["pool", "person"],
                name="people_pool_member_unique",
                violation_error_message=_("This person is already in the pool."),
            )
        ]
        indexes = [models.Index(fields=["available", "term_end"])]

    def __str__(self):
        return f"{self.person} · {self.pool}"


class MembershipTopic(models.Model):
    """One domain (earthquake, epidemic …) a pool member covers."""

    membership = models.ForeignKey(PoolMembership, on_delete=models.CASCADE, related_name="topics")
    topic = models.CharField(_("topic"), max_length=16, choices=Topic.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["membership", "topic"], name="people_topic_unique")
        ]
        indexes = [models.Index(fields=["topic", "membership"])]

    def __str__(self):
        return self.get_topic_display()


class Team(models.Model):
    """A science and technology volunteer service team (科技志愿服务队)."""

    name = models.CharField(_("name"), max_length=120)
    organization = models.ForeignKey(
        "core.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="teams",
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    specialties = models.CharField(_("specialties"), max_length=300, blank=True)
    # Where the team is based (optional): service-order matching measures distance with it.
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    leader = models.ForeignKey(
        Person,
        verbose_name=_("leader"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # Kept by the services that add and remove members (lists show it without counting).
    member_count = models.PositiveIntegerField(_("members"), default=0, editable=False)
    # Certification and hierarchy (issue 26; services in kepu/people/team_services.py).
    # Active by default: rows written by loaders and the other apps' bulk paths are teams
    # already certified; the filing and application services set "pending" themselves.
    status = models.CharField(
        _("status"), max_length=12, choices=c.TeamStatus.choices, default=c.TeamStatus.ACTIVE
    )
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sub_teams",
    )
    sub_team_count = models.PositiveIntegerField(_("sub-teams"), default=0, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    certified_at = models.DateTimeField(_("certified at"), null=True, blank=True)

    objects = TeamQuerySet.as_manager()

    AUDIT_FIELDS = (
        "name",
        "organization",
        "region",
        "specialties",
        "leader",
        "status",
        "status_reason",
        "parent",
    )

    class Meta:
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["name", "id"], name="people_team_name"),
            models.Index(fields=["status", "name", "id"], name="people_team_status"),
            models.Index(fields=["parent", "name", "id"], name="people_team_parent"),
        ]
        verbose_name = _("volunteer team")
        verbose_name_plural = _("volunteer teams")

    def __str__(self):
        return self.name

    def can_certify(self) -> bool:
        return self.status == c.TeamStatus.PENDING

    def can_suspend(self) -> bool:
        return self.status == c.TeamStatus.ACTIVE

    def can_reinstate(self) -> bool:
        return self.status == c.TeamStatus.SUSPENDED

    def can_dissolve(self) -> bool:
        return self.status in (c.TeamStatus.ACTIVE, c.TeamStatus.SUSPENDED)

    def can_move(self) -> bool:
        """Under another parent team (a dissolved or refused team stays where it was)."""
        return self.status not in (c.TeamStatus.DISSOLVED, c.TeamStatus.REJECTED)


class TeamMembership(models.Model):
    """A person in a team; a person belongs to at most MAX_TEAMS_PER_PERSON teams."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="team_memberships")
    joined_at = models.DateField(_("joined"), default=timezone.localdate)

    AUDIT_FIELDS = ("team", "person", "joined_at")

    class Meta:
        ordering = ["team_id", "person__name"]
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "person"],
                name="people_team_member_unique",
                violation_error_message=_("This person is already in the team."),
            )
        ]

    def __str__(self):
        return f"{self.person} · {self.team}"


class Training(models.Model):
    """A training course a person attended."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="trainings")
    course = models.CharField(_("course"), max_length=200)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1)
    organizer = models.CharField(_("organizer"), max_length=200, blank=True)
    date = models.DateField(_("date"))

    AUDIT_FIELDS = ("person", "course", "hours", "organizer", "date")

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="people_training_hours_positive")
        ]

    def __str__(self):
        return self.course


class CreditEntry(models.Model):
    """A line of the credits ledger (e.g. 研究生科普学分制): who granted how many credits."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="credits")
    credits = models.DecimalField(_("credits"), max_digits=5, decimal_places=1)
    reason = models.CharField(_("for"), max_length=200)
    granted_by = models.CharField(_("granted by"), max_length=200)
    granted_on = models.DateField(_("date"))

    AUDIT_FIELDS = ("person", "credits", "reason", "granted_by", "granted_on")

    class Meta:
        ordering = ["-granted_on", "-pk"]
        verbose_name = _("credit entry")
        verbose_name_plural = _("credits ledger")

    def __str__(self):
        return f"{self.credits} · {self.reason}"


class HonourAward(models.Model):
    """An honour or title awarded to a person in a year (天府科普使者, 科普大使 …)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="honours")
    honour = models.CharField(_("honour"), max_length=12, choices=c.Honour.choices)
    title = models.CharField(_("title as awarded"), max_length=120, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    awarded_by = models.CharField(_("awarded by"), max_length=200, blank=True)

    AUDIT_FIELDS = ("person", "honour", "title", "year", "awarded_by")

    class Meta:
        ordering = ["-year", "-pk"]
        verbose_name = _("honour")
        verbose_name_plural = _("honours")
        indexes = [models.Index(fields=["honour", "year"])]

    def __str__(self):
        return self.title or self.get_honour_display()
