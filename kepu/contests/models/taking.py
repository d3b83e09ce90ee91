"""Taking part: a participant (registered once per contest), their attempts at a round,
and their standing in it (the best attempt, one row per participant and round, which
the rankings read).

Nothing a participant does touches a shared row: no counter on the contest or the round
is incremented per participant or per answer (a hot row serializes a burst). Counts come
from the standings, aggregated in the background (`services.rankings`)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kepu.contests import choices as c
from kepu.core import clock
from kepu.core.querysets import ScopedQuerySet


class ParticipantQuerySet(ScopedQuerySet):
    def with_relations(self):
        return self.select_related("contest", "region")


class Participant(models.Model):
    """One person in one contest. The phone is encrypted, blind-indexed (one participant
    per phone and contest) and masked; the name is shown masked outside the organizer's
    own pages. `person` links a signed-in registered person."""

    contest = models.ForeignKey(
        "contests.Contest", on_delete=models.CASCADE, related_name="participants"
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("full name"), max_length=40)
    phone_enc = models.TextField(editable=False)
    phone_hash = models.CharField(max_length=64, editable=False)
    phone_masked = models.CharField(_("mobile phone"), max_length=20, editable=False)
    group = models.CharField(
        _("group"), max_length=10, choices=c.Group.choices, default=c.Group.OTHER
    )
    unit = models.CharField(_("school or workplace"), max_length=80, blank=True)
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    consent_at = models.DateTimeField(_("consented at"))
    notice_version = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField(_("registered at"), default=clock.now)

    objects = ParticipantQuerySet.as_manager()

    AUDIT_FIELDS = ("contest", "region", "phone_masked", "group")

    class Meta:
        ordering = ["contest", "pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "phone_hash"], name="contest_participant_once",
                violation_error_message=_("This mobile number is already registered."),
            ),
            models.CheckConstraint(
                condition=Q(group__in=c.Group.values), name="contest_participant_group"
            ),
        ]  # fmt: skip
        indexes = [models.Index(fields=["contest", "region"], name="contest_part_region")]

    def __str__(self):
        return f"{self.name[:1]}* {self.phone_masked}"


class AttemptQuerySet(ScopedQuerySet):
    def with_relations(self):
        return self.select_related("round", "round__contest", "participant", "region")


class Attempt(models.Model):
    """One go at a round. The question order and each question's option order follow from
    `seed` (nothing the client sends decides them). `answers`: {"<position>": "<option
    keys of the item, e.g. "AC">"}; `times`: {"<position>": milliseconds after the start at
    which the server stored the answer}. The server's clock decides: `deadline` is the
    start plus the round's time limit; an answer after it is refused."""

    round = models.ForeignKey(
        "contests.ContestRound", on_delete=models.PROTECT, related_name="attempts"
    )
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="attempts")
    # The participant's region, copied so the organizer's lists scope without a join.
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField(_("attempt"), default=1)
    practice = models.BooleanField(_("practice"), default=False)
    seed = models.PositiveIntegerField()
    status = models.CharField(
        _("status"), max_length=10, choices=c.AttemptStatus.choices,
        default=c.AttemptStatus.ACTIVE,
    )  # fmt: skip
    started_at = models.DateTimeField(_("started at"), default=clock.now)
    deadline = models.DateTimeField(_("time limit ends"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    times = models.JSONField(_("answer times (ms)"), default=dict, blank=True)
    score = models.PositiveIntegerField(_("score"), null=True, blank=True)
    correct = models.PositiveSmallIntegerField(_("correct answers"), null=True, blank=True)
    time_used_ms = models.PositiveIntegerField(_("time used (ms)"), null=True, blank=True)
    device = models.CharField(_("device"), max_length=64, blank=True)
    flags = models.JSONField(_("flags"), default=list, blank=True)
    excluded_reason = models.CharField(_("why excluded"), max_length=200, blank=True)
    excluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    objects = AttemptQuerySet.as_manager()

    AUDIT_FIELDS = ("round", "region", "number", "status", "score", "flags", "excluded_reason")

    class Meta:
        ordering = ["round", "-started_at", "-pk"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        constraints = [
            # One active attempt per person and round (a double tap on "start" resumes).
            models.UniqueConstraint(
                fields=["round", "participant"], condition=Q(status="active"),
                name="contest_attempt_one_active",
            ),
            # The n-th scored attempt exists once (a replayed "start" cannot add one).
            models.UniqueConstraint(
                fields=["round", "participant", "number"], condition=Q(practice=False),
                name="contest_attempt_number_once",
            ),
            models.CheckConstraint(
                condition=Q(status__in=c.AttemptStatus.values), name="contest_attempt_status"
            ),
        ]  # fmt: skip
        indexes = [
            models.Index(fields=["round", "region", "-started_at", "-id"], name="contest_att_list"),
            # A round's attempts newest first over many regions (a province's officers):
            # one index range in order, the scope filtering along the way, no sort of a
            # million rows.
            models.Index(fields=["round", "-started_at", "-id"], name="contest_att_newest"),
            # The attempts left open past their deadline (scored by a schedule).
            models.Index(
                fields=["deadline"], condition=Q(status="active"), name="contest_att_open_due"
            ),
            models.Index(fields=["round", "device"], name="contest_att_device"),
        ]

    def __str__(self):
        return f"{self.round_id}/{self.participant_id}#{self.number}"


class Standing(models.Model):
    """A participant's best scored attempt in a round: best score, then least time used,
    then the earliest submission (the real contests' tie-break). One row per participant
    and round, written when an attempt is submitted (or excluded, which recomputes it)."""

    round = models.ForeignKey(
        "contests.ContestRound", on_delete=models.CASCADE, related_name="standings"
    )
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    group = models.CharField(max_length=10, choices=c.Group.choices)
    attempt = models.ForeignKey(Attempt, null=True, on_delete=models.SET_NULL, related_name="+")
    score = models.PositiveIntegerField(_("best score"))
    time_used_ms = models.PositiveIntegerField(_("time used (ms)"))
    submitted_at = models.DateTimeField(_("submitted at"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    advanced = models.BooleanField(_("advanced to the next round"), default=False)

    class Meta:
        ordering = ["round", "-score", "time_used_ms", "submitted_at", "pk"]
        verbose_name = _("standing")
        verbose_name_plural = _("standings")
        constraints = [
            models.UniqueConstraint(fields=["round", "participant"], name="contest_standing_once")
        ]
        indexes = [
            # The leaderboard: one index range in ranking order.
            models.Index(
                fields=["round", "-score", "time_used_ms", "submitted_at", "id"],
                name="contest_standing_rank",
            ),
            models.Index(
                fields=["round", "region", "-score", "time_used_ms", "submitted_at", "id"],
                name="contest_standing_region",
            ),
        ]
