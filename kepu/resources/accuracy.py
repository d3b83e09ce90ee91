"""The experts' accuracy review (科学性审核), shared by the catalog and by other registries
that have their content checked by experts (the science-literacy item bank imports it;
this module imports neither).

What is common, defined once:
- the review's fields (`AccuracyReview`, an abstract model): the expert, who asked and
  when, by when, three yes/no questions, the verdict, the comments, when it was filed;
- the verdicts (`Verdict`);
- the filing rule (`check_filing`): a verdict must be chosen, and one other than
  "accurate" needs comments;
- the candidate experts (`candidate_memberships`, `rank_candidates`): members of an
  available, active pool kept by the region of the content or above it (or one the
  officer can see), in term, with an account, not erased, and without a conflict of
  interest; and the refusal of a chosen one who has a conflict (`check_reviewers`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kepu.core import clock
from kepu.core.errors import DomainError


class Verdict(models.TextChoices):
    ACCURATE = "accurate", gettext_lazy("Scientifically accurate")
    REVISE = "revise", gettext_lazy("Needs revision")
    REJECT = "reject", gettext_lazy("Reject")


class AccuracyReview(models.Model):
    """An expert asked to review some content for scientific accuracy, and the structured
    review they file. Concrete models add what is reviewed (a catalog version, a bank
    item) and their own constraints."""

    reviewer = models.ForeignKey(
        "people.Person", verbose_name=gettext_lazy("expert"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("assigned by"), null=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    assigned_at = models.DateTimeField(gettext_lazy("assigned at"), default=timezone.now)
    due_date = models.DateField(gettext_lazy("due"), null=True, blank=True)
    facts_correct = models.BooleanField(gettext_lazy("facts and data are correct"), null=True)
    sources_reliable = models.BooleanField(
        gettext_lazy("sources are reliable and cited"), null=True
    )
    fits_audience = models.BooleanField(gettext_lazy("suits its audience"), null=True)
    verdict = models.CharField(
        gettext_lazy("verdict"), max_length=10, choices=Verdict.choices, blank=True
    )
    comments = models.TextField(gettext_lazy("comments"), blank=True)
    submitted_at = models.DateTimeField(gettext_lazy("filed at"), null=True, blank=True)

    QUESTIONS = ("facts_correct", "sources_reliable", "fits_audience")

    class Meta:
        abstract = True

    @property
    def is_filed(self) -> bool:
        return self.submitted_at is not None

    def fill(self, *, verdict, comments, facts_correct, sources_reliable, fits_audience):
        """Set the filed review (after `check_filing`); the caller saves it."""
        self.verdict = verdict
        self.comments = comments
        self.facts_correct = facts_correct
        self.sources_reliable = sources_reliable
        self.fits_audience = fits_audience
        self.submitted_at = clock.now()


def check_filing(verdict: str, comments: str) -> None:
    """The filing rule: a verdict is chosen; one other than "accurate" says why."""
    if verdict not in Verdict.values:
        raise DomainError({"verdict": _("Choose a verdict.")})
    if verdict != Verdict.ACCURATE and not (comments or "").strip():
        raise DomainError({"comments": _("Say what must change, or why it should be rejected.")})


def candidate_memberships(region, user):
    """The pool memberships whose experts may be asked: in a pool kept by `region` or a
    region above it (a county draws on the provincial pool) or in one `user` can see;
    available, the pool active, in term, the person with an account and not erased. The
    system (`user` None) draws on the pools above only."""
    from kepu.core.scope import visible_to
    from kepu.people.models import PoolMembership

    today = clock.today()
    where = Q(pool__region__in=region.ancestors(include_self=True))
    if getattr(user, "is_authenticated", False):
        where |= Q(pk__in=visible_to(user, PoolMembership).values("pk"))
    return (
        PoolMembership.objects.filter(where)
        .filter(available=True, pool__is_active=True, person__user__isnull=False)
        .filter(Q(term_end__isnull=True) | Q(term_end__gte=today), term_start__lte=today)
        .filter(person__erased_at__isnull=True)
        .select_related("person", "person__organization", "person__user", "pool")
        .prefetch_related("topics")
    )


def rank_candidates(
    memberships,
    *,
    conflict: Callable[[object], str],
    taken: Iterable[int] = (),
    topics: Iterable[str] = (),
    open_load: dict | None = None,
    limit: int = 30,
    scanned: int = 2000,
) -> list:
    """One membership per expert without a conflict (`conflict(person)` is the reason, ""
    when none) and not already asked (`taken`: person ids), best first: experts covering
    more of `topics`, then those with fewer open reviews (`open_load`: person id -> n),
    then by name. Each kept membership gets `topic_match` and `open_reviews`."""
    topics, taken, open_load = set(topics), set(taken), open_load or {}
    seen, ranked = set(), []
    for membership in memberships[:scanned]:
        person = membership.person
        if person.pk in seen or person.pk in taken or conflict(person):
            continue
        seen.add(person.pk)
        membership.topic_match = len(topics & {t.topic for t in membership.topics.all()})
        membership.open_reviews = open_load.get(person.pk, 0)
        ranked.append(membership)
    ranked.sort(key=lambda m: (-m.topic_match, m.open_reviews, m.person.name))
    return ranked[:limit]


def check_reviewers(memberships, *, conflict: Callable[[object], str], refusal: str) -> None:
    """Refuse an empty choice, an expert with a conflict of interest (`refusal`: a message
    with %(name)s and %(reason)s), or one without an account; before anything is
    written."""
    if not memberships:
        raise DomainError({"reviewers": _("Choose at least one expert.")})
    for membership in memberships:
        person = membership.person
        reason = conflict(person)
        if reason:
            raise DomainError({"reviewers": refusal % {"name": person.name, "reason": reason}})
        if person.user_id is None:
            raise DomainError(
                {"reviewers": _("%(name)s has no account to review with.") % {"name": person.name}}
            )
