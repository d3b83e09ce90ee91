from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Audience(models.TextChoices):
    """Who may take part: everyone, or one of the 纲要's key groups (重点人群)."""

    OPEN = "open", _("Everyone")
    YOUTH = "youth", _("Young people")
    FARMERS = "farmers", _("Farmers")
    WORKERS = "workers", _("Industrial workers")
    ELDERLY = "elderly", _("Older people")
    CADRES = "cadres", _("Civil servants and cadres")


class Group(models.TextChoices):
    """The group a participant says they belong to (reports break participation down by
    it; an audience other than "everyone" admits only its own group)."""

    OTHER = "other", _("Other residents")
    YOUTH = "youth", _("Young people")
    FARMERS = "farmers", _("Farmers")
    WORKERS = "workers", _("Industrial workers")
    ELDERLY = "elderly", _("Older people")
    CADRES = "cadres", _("Civil servants and cadres")


class ContestStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("contest status", "Draft")
    PUBLISHED = "published", pgettext_lazy("contest status", "Published")
    FINISHED = "finished", pgettext_lazy("contest status", "Finished")
    CANCELLED = "cancelled", pgettext_lazy("contest status", "Cancelled")


PUBLIC_CONTEST_STATUSES = (ContestStatus.PUBLISHED, ContestStatus.FINISHED)


class Stage(models.TextChoices):
    PRELIMINARY = "prelim", _("Online preliminary")
    SEMIFINAL = "semi", _("Semi-final")
    FINAL = "final", _("Final")


class RoundStatus(models.TextChoices):
    """A round is drafted, its question set drawn (ready), then opened by its window;
    closed when the window ends; its results are published (rankings, explanations,
    certificates) by a second officer."""

    DRAFT = "draft", pgettext_lazy("round status", "Draft")
    READY = "ready", pgettext_lazy("round status", "Questions drawn")
    OPEN = "open", pgettext_lazy("round status", "Open")
    CLOSED = "closed", pgettext_lazy("round status", "Closed")
    PUBLISHED = "published", pgettext_lazy("round status", "Results published")


class Advancement(models.TextChoices):
    NONE = "none", _("Nobody advances (last round)")
    TOP_N = "top_n", _("The top N of each region")
    MIN_SCORE = "min_score", _("Everyone with at least the score X")
    TOP_N_OVERALL = "top_overall", _("The top N overall")


class AttemptStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("attempt status", "In progress")
    SUBMITTED = "submitted", pgettext_lazy("attempt status", "Submitted")
    EXPIRED = "expired", pgettext_lazy("attempt status", "Time ran out")
    EXCLUDED = "excluded", pgettext_lazy("attempt status", "Excluded")


COUNTED_ATTEMPT_STATUSES = (AttemptStatus.SUBMITTED, AttemptStatus.EXPIRED)


class Flag(models.TextChoices):
    """Anti-cheat signals on an attempt. `too_fast` and `shared_device` flag (the organizer
    looks); `impossible` excludes (answers faster than anyone can read)."""

    TOO_FAST = "too_fast", _("Answered some questions faster than the minimum time")
    SHARED_DEVICE = "shared_device", _("Same device as another participant")
    IMPOSSIBLE = "impossible", _("Impossible timing (all answers faster than reading)")
    LATE = "late", _("Answers arrived after the time limit (ignored)")


class PrizeTier(models.TextChoices):
    FIRST = "first", _("First prize")
    SECOND = "second", _("Second prize")
    THIRD = "third", _("Third prize")
    EXCELLENCE = "excellence", _("Excellence award")
    ORGANIZER = "organizer", _("Outstanding organizer award")


class PrizeListStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("prize list status", "Draft")
    PUBLICITY = "publicity", pgettext_lazy("prize list status", "In public notice")
    FINAL = "final", pgettext_lazy("prize list status", "Final")


class CertificateKind(models.TextChoices):
    PARTICIPATION = "participation", _("Certificate of participation")
    PRIZE = "prize", _("Prize certificate")
