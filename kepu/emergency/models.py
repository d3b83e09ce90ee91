"""Emergency science communication (应急科普; seeds 001 四(二)1, 002 三(三)5, 004 (18)).

When an earthquake, flood or epidemic strikes, an officer of a province or a city
activates an *incident*; the platform proposes an *expert group* from the emergency and
health pools; vetted resources of the emergency library are *pushed* to the last-mile
channels of the affected regions (volunteer teams, information officers, communities,
member units), each of which acknowledges and reports its reach; *rumours* reported by
officers, information officers and the public are triaged and answered with
*rebuttals* that experts of the group approve before they are published. A drill is an
incident flagged as an exercise: it runs the same way and is left out of statistics.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kepu.emergency import choices as c
from kepu.emergency.querysets import (
    DeliveryQuerySet,
    IncidentQuerySet,
    MemberQuerySet,
    PushQuerySet,
    RebuttalQuerySet,
    RumorQuerySet,
)

_USER = settings.AUTH_USER_MODEL


def _user_fk(**kwargs):
    return models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", **kwargs
    )


class Incident(models.Model):
    """An emergency for which science communication is activated. `region` is the
    responsible region (a province or a city, the activating officer's); the affected
    regions (`IncidentRegion`) lie in its subtree, and their officers read the incident
    (scope reach). The level decides who may activate (`choices.ACTIVATING_LEVELS`)."""

    title = models.CharField(_("title"), max_length=120)
    hazard = models.CharField(_("hazard"), max_length=16, choices=c.HAZARD_CHOICES)
    level = models.PositiveSmallIntegerField(_("level"), choices=c.Level.choices)
    region = models.ForeignKey(
        "core.Region",
        verbose_name=_("responsible region"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    summary = models.TextField(_("situation"), max_length=4000, blank=True)
    started_at = models.DateTimeField(_("started at"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=c.IncidentStatus.choices,
        default=c.IncidentStatus.ACTIVATED,
    )
    is_drill = models.BooleanField(
        _("drill"),
        default=False,
        help_text=_("An exercise: runs like a real incident and is left out of statistics."),
    )
    activated_by = _user_fk()
    activated_at = models.DateTimeField(_("activated at"))
    # When the first expert accepted or the first push went out (the response began).
    responding_at = models.DateTimeField(_("responding since"), null=True, blank=True)
    closed_by = _user_fk()
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    lessons = models.TextField(_("lessons learned"), max_length=8000, blank=True)

    AUDIT_FIELDS = (
        "title",
        "hazard",
        "level",
        "region",
        "summary",
        "status",
        "is_drill",
        "lessons",
    )
    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-activated_at", "-pk"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        indexes = [
            models.Index(fields=["-activated_at", "-id"], name="incident_newest"),
            models.Index(fields=["status", "-activated_at", "-id"], name="incident_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False),
                name="incident_closed_has_a_time",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def colour(self) -> str:
        return c.LEVEL_COLOUR[self.level]

    @property
    def is_open(self) -> bool:
        return self.status in c.OPEN_STATUSES

    def can_close(self) -> bool:
        return self.is_open

    def can_change(self) -> bool:
        return self.is_open


class IncidentRegion(models.Model):
    """A region affected by an incident (a city, county or township of the responsible
    region's subtree). Pushes go to the channels of these regions."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="affected")
    region = models.ForeignKey(
        "core.Region",
        verbose_name=_("affected region"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("affected region")
        verbose_name_plural = _("affected regions")
        constraints = [
            models.UniqueConstraint(fields=["incident", "region"], name="incident_region_unique")
        ]
        indexes = [models.Index(fields=["region", "incident"], name="incident_region_by_region")]

    def __str__(self):
        return f"{self.incident} · {self.region}"


class GroupMember(models.Model):
    """An expert of the incident's group: proposed by the platform with its reasons
    (`reasons`: pool, topic match, distance, load), confirmed by the officer (invited),
    then accepted or declined by the expert (or recorded by an officer after a call). A
    decline makes the platform propose a replacement (`replaces`)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        "people.Person", verbose_name=_("expert"), on_delete=models.PROTECT, related_name="+"
    )
    pool = models.ForeignKey(
        "people.ExpertPool", verbose_name=_("pool"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=c.MemberStatus.choices,
        default=c.MemberStatus.PROPOSED,
    )
    is_lead = models.BooleanField(_("group lead"), default=False)
    rank = models.PositiveSmallIntegerField(_("rank"), default=0)
    score = models.FloatField(_("score"), default=0)
    # {"topic": bool, "distance": "county"|"city"|"province"|"other", "load": int,
    #  "pool": name, "title_level": code} — shown as the proposal's reasons.
    reasons = models.JSONField(_("reasons"), default=dict)
    replaces = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replacements",
        verbose_name=_("replaces"),
    )
    proposed_at = models.DateTimeField(_("proposed at"))
    invited_at = models.DateTimeField(_("invited at"), null=True, blank=True)
    invited_by = _user_fk()
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    responded_via = models.CharField(_("answered"), max_length=8, choices=c.Via.choices, blank=True)
    recorded_by = _user_fk()
    decline_reason = models.CharField(_("reason"), max_length=300, blank=True)

    AUDIT_FIELDS = ("incident", "person", "pool", "status", "is_lead", "decline_reason")
    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["incident_id", "rank", "pk"]
        verbose_name = _("group expert")
        verbose_name_plural = _("group experts")
        constraints = [
            models.UniqueConstraint(fields=["incident", "person"], name="group_member_unique"),
        ]
        indexes = [
            models.Index(fields=["person", "status"], name="group_member_person"),
            models.Index(fields=["incident", "status", "rank"], name="group_member_incident"),
        ]

    def __str__(self):
        return f"{self.person} · {self.incident}"

    def can_invite(self) -> bool:
        return self.status == c.MemberStatus.PROPOSED and self.incident.is_open

    def can_respond(self) -> bool:
        return self.status == c.MemberStatus.INVITED and self.incident.is_open

    def can_withdraw(self) -> bool:
        return self.status in (c.MemberStatus.PROPOSED, c.MemberStatus.INVITED)


class DutyShift(models.Model):
    """An hour range an accepted expert is on duty for the group. An expert is never on
    duty for two groups at the same hour (checked by the service under a lock on the
    person)."""

    member = models.ForeignKey(GroupMember, on_delete=models.CASCADE, related_name="shifts")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("to"))
    created_by = _user_fk()

    AUDIT_FIELDS = ("member", "starts_at", "ends_at")

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("duty shift")
        verbose_name_plural = _("duty shifts")
        indexes = [models.Index(fields=["person", "starts_at"], name="duty_person_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="duty_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.member} {self.starts_at:%Y-%m-%d %H:%M}"


class Push(models.Model):
    """Vetted resources sent to the last-mile channels of (some of) the affected regions.
    Delivery is a background job: one `Delivery` row per recipient, written in chunks by
    the workers; `expected` is fixed when the push is enqueued and `delivered` counts the
    rows written (equal when nothing is lost)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="pushes")
    title = models.CharField(_("title"), max_length=120)
    message = models.TextField(_("message"), max_length=2000, blank=True)
    resources = models.ManyToManyField(
        "resources.Resource", verbose_name=_("resources"), related_name="+"
    )
    channels = models.JSONField(_("channels"), default=list)
    regions = models.ManyToManyField("core.Region", verbose_name=_("regions"), related_name="+")
    status = models.CharField(
        _("status"), max_length=12, choices=c.PushStatus.choices, default=c.PushStatus.QUEUED
    )
    expected = models.PositiveIntegerField(_("recipients"), default=0)
    delivered = models.PositiveIntegerField(_("delivered"), default=0)
    acknowledged = models.PositiveIntegerField(_("acknowledged"), default=0)
    job = models.ForeignKey(
        "core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = _user_fk()
    created_at = models.DateTimeField(_("sent at"))
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    AUDIT_FIELDS = ("incident", "title", "channels", "status", "expected", "delivered")
    objects = PushQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("push")
        verbose_name_plural = _("pushes")
        indexes = [models.Index(fields=["incident", "-created_at"], name="push_incident")]

    def __str__(self):
        return self.title


class Delivery(models.Model):
    """One recipient of a push: a volunteer team (its leader answers), an information
    officer, a community (township) or a member unit. The recipient acknowledges and
    reports how far it forwarded the message; an officer may record that after a call.
    `target` ("team:12", "person:7", "region:…", "org:3") is unique within the push, so
    a chunk delivered twice writes each recipient once."""

    push = models.ForeignKey(Push, on_delete=models.CASCADE, related_name="deliveries")
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("channel"), max_length=12, choices=c.Channel.choices)
    target = models.CharField(max_length=32)
    name = models.CharField(_("recipient"), max_length=200)
    # The county (or the region) the recipient belongs to: scope and reach statistics.
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    # The member unit (channel member_unit): its staff acknowledge for it.
    organization = models.ForeignKey(
        "core.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The account that acknowledges in its inbox (team leader, information officer,
    # unit staff), when the recipient has one.
    user = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    delivered_at = models.DateTimeField(_("delivered at"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_via = models.CharField(
        _("acknowledged"), max_length=8, choices=c.Via.choices, blank=True
    )
    acknowledged_by = _user_fk()
    groups_forwarded = models.PositiveIntegerField(_("groups forwarded to"), default=0)
    people_reached = models.PositiveIntegerField(_("people reached"), default=0)

    AUDIT_FIELDS = (
        "push",
        "channel",
        "name",
        "acknowledged_at",
        "groups_forwarded",
        "people_reached",
    )
    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["push_id", "pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["push", "target"], name="delivery_once_per_target"),
        ]
        indexes = [
            models.Index(fields=["user", "acknowledged_at"], name="delivery_inbox"),
            models.Index(fields=["incident", "region"], name="delivery_incident_region"),
            models.Index(fields=["push", "acknowledged_at", "id"], name="delivery_push_ack"),
        ]

    def __str__(self):
        return f"{self.name} · {self.push}"

    def can_acknowledge(self) -> bool:
        return self.acknowledged_at is None


class ReachTally(models.Model):
    """Running totals of an incident's deliveries by region (the recipient's region),
    kept with F() by the delivery and acknowledgement services: the near-real-time reach
    statistics read these rows, never the deliveries."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="tallies")
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    deliveries = models.PositiveIntegerField(default=0)
    acknowledged = models.PositiveIntegerField(default=0)
    groups_forwarded = models.PositiveIntegerField(default=0)
    people_reached = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("reach tally")
        verbose_name_plural = _("reach tallies")
        constraints = [
            models.UniqueConstraint(fields=["incident", "region"], name="reach_tally_unique")
        ]

    def __str__(self):
        return f"{self.incident} · {self.region}"


class Rumor(models.Model):
    """A rumour lead (线索), reported by an officer, an information officer or the public,
    during an incident or in normal times (`incident` empty: the misinformation log). The
    same claim reported again is merged (`report_count`), never stored twice: `claim_key`
    is the hash of the normalized claim, unique per incident (and among normal-time
    leads)."""

    incident = models.ForeignKey(
        Incident,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="rumors",
        verbose_name=_("incident"),
    )
    claim = models.TextField(_("what is being said"), max_length=1000)
    claim_key = models.CharField(max_length=64, editable=False)
    topic = models.CharField(_("topic"), max_length=16, choices=c.TOPIC_CHOICES)
    region = models.ForeignKey(
        "core.Region",
        verbose_name=_("where it circulates"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(_("reported by"), max_length=16, choices=c.RumorSource.choices)
    seen_on = models.CharField(_("seen on"), max_length=100, blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)
    reported_by = _user_fk()
    reported_at = models.DateTimeField(_("reported at"))
    report_count = models.PositiveIntegerField(_("reports"), default=1)
    status = models.CharField(
        _("status"), max_length=16, choices=c.RumorStatus.choices, default=c.RumorStatus.NEW
    )
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("duplicate of"),
    )
    triaged_by = _user_fk()
    triaged_at = models.DateTimeField(_("triaged at"), null=True, blank=True)
    triage_note = models.CharField(_("note"), max_length=500, blank=True)
    is_drill = models.BooleanField(default=False, editable=False)
    search_text = models.TextField(blank=True, editable=False)

    AUDIT_FIELDS = ("incident", "claim", "topic", "region", "source", "status", "triage_note")
    objects = RumorQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_at", "-pk"]
        verbose_name = _("rumour lead")
        verbose_name_plural = _("rumour leads")
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "claim_key"], name="rumor_once_per_incident"
            ),
            models.UniqueConstraint(
                fields=["claim_key"],
                condition=Q(incident__isnull=True),
                name="rumor_once_in_normal_times",
            ),
        ]
        indexes = [
            models.Index(fields=["-reported_at", "-id"], name="rumor_newest"),
            models.Index(fields=["incident", "status", "-reported_at"], name="rumor_incident"),
            models.Index(fields=["status", "-reported_at", "-id"], name="rumor_status"),
        ]

    def __str__(self):
        return self.claim[:40]

    def can_triage(self) -> bool:
        return self.status == c.RumorStatus.NEW

    def can_draft_rebuttal(self) -> bool:
        """Triaged as needing a rebuttal, and none drafted yet (one per lead)."""
        return (
            self.status == c.RumorStatus.NEEDS_REBUTTAL
            and not Rebuttal.objects.filter(rumor_id=self.pk).exists()
        )


class Rebuttal(models.Model):
    """The answer to a rumour (辟谣): drafted by an officer, approved by one or two experts
    (`approvals_required`) within hours, then published on the incident's page, the
    portal and the feeds. Never published without the experts' approval."""

    rumor = models.OneToOneField(Rumor, on_delete=models.CASCADE, related_name="rebuttal")
    incident = models.ForeignKey(
        Incident, null=True, blank=True, on_delete=models.CASCADE, related_name="rebuttals"
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("rebuttal"), max_length=8000)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=c.RebuttalStatus.choices,
        default=c.RebuttalStatus.DRAFT,
    )
    approvals_required = models.PositiveSmallIntegerField(
        _("expert approvals needed"), default=1, choices=[(1, "1"), (2, "2")]
    )
    review_hours = models.PositiveSmallIntegerField(
        _("hours for the review"), default=c.DEFAULT_REVIEW_HOURS
    )
    created_by = _user_fk()
    created_at = models.DateTimeField(_("drafted at"))
    submitted_at = models.DateTimeField(_("sent for review at"), null=True, blank=True)
    published_by = _user_fk()
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # Seconds from the lead's report to publication (shown, and summed up in the review).
    seconds_to_publish = models.PositiveIntegerField(null=True, blank=True, editable=False)
    is_drill = models.BooleanField(default=False, editable=False)
    search_text = models.TextField(blank=True, editable=False)

    AUDIT_FIELDS = ("title", "body", "status", "approvals_required", "review_hours")
    objects = RebuttalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("rebuttal")
        verbose_name_plural = _("rebuttals")
        indexes = [
            models.Index(fields=["status", "-published_at", "-id"], name="rebuttal_public"),
            models.Index(fields=["incident", "status", "-published_at"], name="rebuttal_incident"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="rebuttal_published_has_a_time",
            ),
        ]

    def __str__(self):
        return self.title

    def can_edit(self) -> bool:
        return self.status == c.RebuttalStatus.DRAFT

    def can_submit(self) -> bool:
        return self.status == c.RebuttalStatus.DRAFT

    def can_publish(self) -> bool:
        return self.status == c.RebuttalStatus.APPROVED

    def can_withdraw(self) -> bool:
        return self.status == c.RebuttalStatus.PUBLISHED


class RebuttalReview(models.Model):
    """An expert's review of a rebuttal, due within hours. Only the expert (through their
    own account) decides; a request for changes returns the rebuttal to its draft."""

    rebuttal = models.ForeignKey(Rebuttal, on_delete=models.CASCADE, related_name="reviews")
    person = models.ForeignKey(
        "people.Person", verbose_name=_("expert"), on_delete=models.PROTECT, related_name="+"
    )
    due_at = models.DateTimeField(_("due"))
    decision = models.CharField(
        _("decision"),
        max_length=12,
        choices=c.ReviewDecision.choices,
        default=c.ReviewDecision.PENDING,
    )
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    round = models.PositiveSmallIntegerField(default=1)

    AUDIT_FIELDS = ("rebuttal", "person", "decision", "comment")

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("rebuttal review")
        verbose_name_plural = _("rebuttal reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["rebuttal", "person", "round"], name="rebuttal_review_once"
            )
        ]
        indexes = [models.Index(fields=["person", "decision"], name="rebuttal_review_person")]

    def __str__(self):
        return f"{self.person} · {self.rebuttal}"

    def can_decide(self) -> bool:
        return (
            self.decision == c.ReviewDecision.PENDING
            and self.rebuttal.status == c.RebuttalStatus.IN_REVIEW
        )


class ExpertAnswer(models.Model):
    """A question people ask, answered by an expert of the group, on the incident's
    public page (expert Q&A). Entered by an officer with the expert's answer."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="answers")
    question = models.CharField(_("question"), max_length=300)
    answer = models.TextField(_("answer"), max_length=4000)
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = _user_fk()
    published_at = models.DateTimeField(_("published at"))

    AUDIT_FIELDS = ("incident", "question", "answer", "person")

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("expert answer")
        verbose_name_plural = _("expert answers")

    def __str__(self):
        return self.question
