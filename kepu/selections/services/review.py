"""The expert review of a call (reviewing → panel): the automatic balanced assignment from
the expert pool with conflicts of interest excluded (`kepu.selections.assignment`), the
audited manual override, the reviewers' score sheets on the call's rubric, and the
ranking with rater-severity correction (`kepu.selections.severity`)."""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kepu.core import audit, clock, scope
from kepu.core.choices import Topic
from kepu.core.errors import DomainError, StateConflict
from kepu.people.choices import Discipline
from kepu.rubrics import engine
from kepu.selections import assignment as solver
from kepu.selections import severity
from kepu.selections.choices import CallStatus, EntryStatus
from kepu.selections.models import Call, Entry, EntryMember, Relationship, Review

# A call with more entries than this is assigned by a background job (the page shows
# its progress); smaller ones are assigned in the request.
INLINE_ENTRIES = 300
REVIEW_ENTRY_STATUSES = (EntryStatus.ELIGIBLE, EntryStatus.SCORED)


def require(actor, obj, action) -> None:
    """The actor may `action` `obj`: in scope for it, and no object rule refuses
    (`actor=None` is the system: demo loaders and jobs)."""
    if actor is None:
        return
    if not scope.visible_to(actor, type(obj), action, public=False).filter(pk=obj.pk).exists():
        raise DomainError(_("This is outside your scope."))
    scope.check(actor, obj, action)


def locked_call(call) -> Call:
    return Call.objects.select_for_update(of=("self",)).select_related("rubric").get(pk=call.pk)


# --- the inputs: reviewers, conflicts, match -------------------------------------------


def pool_reviewers(call) -> list:
    """The available members of the call's expert pool (in term, not erased), with their
    `topics` as a set, in a fixed order."""
    from kepu.people.models import MembershipTopic, Person

    if call.pool_id is None:
        return []
    today = clock.today()
    people = list(
        Person.objects.filter(
            pool_memberships__pool_id=call.pool_id,
            pool_memberships__available=True,
            erased_at__isnull=True,
        )
        .exclude(pool_memberships__term_end__lt=today)
        .select_related("organization")
        .only("name", "region_id", "organization_id", "discipline", "specialties", "user_id")
        .distinct()
        .order_by("pk")
    )
    topics = defaultdict(set)
    rows = MembershipTopic.objects.filter(
        membership__pool_id=call.pool_id, membership__person__in=[p.pk for p in people]
    ).values_list("membership__person_id", "topic")
    for person_id, topic in rows:
        topics[person_id].add(topic)
    for person in people:
        person.topics = topics[person.pk]
    return people


def review_entries(call) -> list:
    return list(
        Entry.objects.filter(call=call, status__in=REVIEW_ENTRY_STATUSES)
        .select_related("person")
        .order_by("pk")
    )


def conflict_map(call, entries, reviewers) -> dict:
    """{(entry id, reviewer id): reason} of every conflict of interest: the reviewer is
    the nominee or one of the entry's people, works at the nominee's or the entry's unit,
    lives in the entry's region (when the call avoids it), declared a relationship with
    the nominee, a member or the unit (standing or for this call), or filed the entry."""
    members = defaultdict(set)
    for entry_id, person_id in EntryMember.objects.filter(entry__in=entries).values_list(
        "entry_id", "person_id"
    ):
        members[entry_id].add(person_id)
    declared_people, declared_units = defaultdict(set), defaultdict(set)
    rels = Relationship.objects.filter(
        Q(call__isnull=True) | Q(call=call), expert__in=[r.pk for r in reviewers]
    ).values_list("expert_id", "person_id", "organization_id")
    for expert_id, person_id, org_id in rels:
        if person_id:
            declared_people[expert_id].add(person_id)
        if org_id:
            declared_units[expert_id].add(org_id)
    # Indexes of the reviewers by what can put them in conflict, so each entry looks up
    # its few conflicted reviewers instead of testing every pair (3,000 entries × 300
    # reviewers: 0.1 s instead of 10 s). The reasons keep their order of precedence.
    by_pk = {r.pk for r in reviewers}
    by_unit, by_region, by_user = defaultdict(list), defaultdict(list), defaultdict(list)
    for r in reviewers:
        if r.organization_id is not None:
            by_unit[r.organization_id].append(r.pk)
        by_region[r.region_id].append(r.pk)
        if r.user_id is not None:
            by_user[r.user_id].append(r.pk)
    declaring = [r.pk for r in reviewers if declared_people[r.pk] or declared_units[r.pk]]
    reasons = (
        _("Is the nominee or one of the entry's people"),
        _("Works at the unit of the entry"),
        _("From the entry's own region"),
        _("Declared a relationship"),
        _("Filed or recommended the entry"),
    )
    out = {}
    for entry in entries:
        people = {entry.person_id, *members[entry.pk]} - {None}
        units = {entry.organization_id, getattr(entry.person, "organization_id", None)} - {None}
        found = [
            [pk for pk in people if pk in by_pk],
            [pk for unit in units for pk in by_unit.get(unit, ())],
            by_region.get(entry.region_id, ()) if call.avoid_same_region else (),
            [pk for pk in declaring if declared_people[pk] & people or declared_units[pk] & units],
            by_user.get(entry.submitted_by_id, ()) if entry.submitted_by_id else (),
        ]
        for why, pks in zip(reasons, found, strict=True):
            for pk in pks:
                out.setdefault((entry.pk, pk), why)
    return out


def _profiles(entries, reviewers):
    topic_labels = dict(Topic.choices)
    e = {
        x.pk: {
            "discipline": x.discipline,
            "topic": x.topic,
            "keywords": [str(topic_labels[x.topic])] if x.topic in topic_labels else [],
        }
        for x in entries
    }
    r = {
        x.pk: {"discipline": x.discipline, "topics": x.topics, "specialties": x.specialties}
        for x in reviewers
    }
    return e, r


def reason_text(why) -> str:
    """ "Same discipline: Physics; specialty: …" from `assignment.expertise`'s reasons."""
    disciplines, topics = dict(Discipline.choices), dict(Topic.choices)
    parts = []
    for kind, what in why:
        if kind == "discipline":
            parts.append(_("Same discipline: %(name)s") % {"name": disciplines.get(what, what)})
        elif kind == "topic":
            parts.append(_("Covers the topic: %(name)s") % {"name": topics.get(what, what)})
        else:
            parts.append(_("Specialty: %(word)s") % {"word": what})
    if not parts:
        return _("No particular match: chosen to keep the loads even")
    return pgettext("list separator", "; ").join(parts)[:300]


def inputs(call):
    """(entries, reviewers, conflicts {pair: reason}, match {pair: points}, why {pair:
    [reasons]}) of the call's assignment."""
    entries, reviewers = review_entries(call), pool_reviewers(call)
    conflicts = conflict_map(call, entries, reviewers)
    e_prof, r_prof = _profiles(entries, reviewers)
    match, why = {}, {}
    for e in entries:
        for r in reviewers:
            points, reasons = solver.expertise(e_prof[e.pk], r_prof[r.pk])
            if points:
                match[(e.pk, r.pk)] = points
                why[(e.pk, r.pk)] = reasons
    return entries, reviewers, conflicts, match, why


# --- the assignment --------------------------------------------------------------------


def unfilled_message(unfilled, names) -> str:
    rows = []
    for row in unfilled[:5]:
        if row["why"] == solver.TOO_FEW_FREE:
            text = _("%(entry)s: only %(free)d reviewers without a conflict, %(k)d needed") % {
                "entry": names.get(row["entry"], row["entry"]),
                "free": row["free"],
                "k": row["needed"],
            }
        else:
            text = _("%(entry)s: the conflicts leave no way to keep the loads within one") % {
                "entry": names.get(row["entry"], row["entry"])
            }
        rows.append(text)
    more = len(unfilled) - len(rows)
    if more > 0:
        rows.append(_("and %(n)d more") % {"n": more})
    return _("The reviewers cannot be assigned: %(rows)s.") % {
        "rows": pgettext("list separator", "; ").join(rows)
    }


@transaction.atomic
def assign_reviewers(call, *, actor, progress=None) -> dict:
    """Assign `reviewers_per_entry` reviewers from the pool to every entry that passed the
    formal check: loads within ±1, no conflict of interest, the expertise match maximal
    (`assignment.assign`). Replaces an earlier assignment while no review was submitted.
    Refused, with each entry that cannot be filled and why, when the conflicts make the
    rules impossible (nothing written). Returns the summary stored on the call."""
    call = locked_call(call)
    require(actor, call, "assign")
    if call.status != CallStatus.REVIEWING:
        raise StateConflict(_("Reviewers are assigned during the expert review."))
    existing = Review.objects.filter(entry__call=call)
    if existing.filter(submitted_at__isnull=False).exists():
        raise StateConflict(_("Reviews have been submitted: the assignment can no longer change."))
    entries, reviewers, conflicts, match, why = inputs(call)
    if not entries:
        raise DomainError(_("No entry has passed the formal check."))
    if not reviewers:
        raise DomainError(_("The call's expert pool has no available expert."))
    if progress:
        progress(1, 3, _("Solving the assignment"))
    k = call.reviewers_per_entry
    e_ids, r_ids = [e.pk for e in entries], [r.pk for r in reviewers]
    result = solver.assign(e_ids, r_ids, k, conflicts=conflicts, match=match)
    if not result.ok:
        raise DomainError(unfilled_message(result.unfilled, {e.pk: e.title for e in entries}))
    baseline = solver.round_robin(e_ids, r_ids, k, conflicts=conflicts, match=match)
    summary = solver.summary(result, conflicts=conflicts, match=match, baseline=baseline)
    summary["conflicts_avoided"] = len(conflicts)
    if progress:
        progress(2, 3, _("Writing the reviews"))
    replaced = existing.count()
    existing.delete()
    now, texts = clock.now(), {}

    def reason(pair) -> str:  # one text per distinct set of reasons (a few dozen)
        key = tuple(why.get(pair, ()))
        if key not in texts:
            texts[key] = reason_text(list(key))
        return texts[key]

    by = actor if getattr(actor, "is_authenticated", False) else None
    Review.objects.bulk_create(
        (
            Review(
                entry_id=e, reviewer_id=r, rubric_id=call.rubric_id, match=match.get((e, r), 0),
                reason=reason((e, r)), assigned_by=by, assigned_at=now,
            )
            for e, r in result.pairs()
        ),
        batch_size=2000,
    )  # fmt: skip
    Entry.objects.filter(pk__in=e_ids).update(reviews_done=0)
    call.assignment = summary
    call.save(update_fields=["assignment"])
    forget_reviews(call.pk)
    audit.record(
        "selections.call.reviewers_assigned", obj=call, actor=actor,
        detail={key: summary[key] for key in ("entries", "reviewers", "assigned", "load_min",
                                             "load_max", "match_share", "seconds")}
        | {"replaced": replaced},
    )  # fmt: skip
    return summary


def _locked_review(review) -> Review:
    return (
        Review.objects.select_for_update(of=("self",))
        .select_related("entry", "entry__call", "rubric", "reviewer")
        .get(pk=review.pk)
    )


@transaction.atomic
def reassign_review(review, *, actor, reviewer, reason: str) -> Review:
    """An officer replaces the reviewer of a review not yet submitted by another available
    member of the call's pool, with a written reason; refused when the new reviewer is in
    conflict with the entry or already reviews it. Audited with both names."""
    review = _locked_review(review)
    call = review.entry.call
    require(actor, review, "override")
    if call.status != CallStatus.REVIEWING or review.submitted_at is not None:
        raise StateConflict(_("Only a review not yet submitted can be given to someone else."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError({"reason": [_("Say why the reviewer is replaced.")]})
    pool = {p.pk: p for p in pool_reviewers(call)}
    if reviewer is None or reviewer.pk not in pool:
        raise DomainError({"reviewer": [_("Choose an available member of the call's pool.")]})
    if Review.objects.filter(entry=review.entry, reviewer=reviewer).exists():
        raise DomainError({"reviewer": [_("This expert already reviews the entry.")]})
    entry = Entry.objects.select_related("person").get(pk=review.entry_id)
    conflict = conflict_map(call, [entry], [pool[reviewer.pk]]).get((entry.pk, reviewer.pk))
    if conflict:
        raise DomainError({"reviewer": [_("Conflict of interest: %(why)s.") % {"why": conflict}]})
    before = review.reviewer
    e_prof, r_prof = _profiles([entry], [pool[reviewer.pk]])
    points, why = solver.expertise(e_prof[entry.pk], r_prof[reviewer.pk])
    review.reviewer, review.match, review.manual = reviewer, points, True
    review.reason = (_("Assigned by hand: %(reason)s") % {"reason": reason})[:300]
    review.assigned_by = actor if getattr(actor, "is_authenticated", False) else None
    review.assigned_at = clock.now()
    review.save(
        update_fields=["reviewer", "match", "manual", "reason", "assigned_by", "assigned_at"]
    )
    forget_reviews(review.entry.call_id)
    audit.record(
        "selections.review.reassigned", obj=review, actor=actor,
        detail={"entry": entry.pk, "from": str(before), "from_id": before.pk,
                "to": str(reviewer), "to_id": reviewer.pk, "reason": reason[:300],
                "match": reason_text(why)},
    )  # fmt: skip
    return review


# --- scoring ---------------------------------------------------------------------------


@transaction.atomic
def score_review(review, *, actor, values: dict, comment: str = "") -> Review:
    """The reviewer's score on the call's rubric (every criterion within its range: the
    engine names the criterion it refuses) and comment. Only the assigned reviewer, only
    during the expert review, once."""
    review = _locked_review(review)
    require(actor, review, "score")
    if review.entry.call.status != CallStatus.REVIEWING:
        raise StateConflict(_("Scores are given during the expert review only."))
    if review.submitted_at is not None:
        raise StateConflict(_("This review has already been submitted."))
    result = engine.evaluate(review.rubric, values, strict=True)
    review.values = {key: str(value) for key, value in values.items()}
    review.lines = result.points()
    review.total, review.grade = result.total, result.grade
    review.comment = (comment or "").strip()[:2000]
    review.submitted_at = clock.now()
    review.save(update_fields=["values", "lines", "total", "grade", "comment", "submitted_at"])
    Entry.objects.filter(pk=review.entry_id).update(
        reviews_done=Review.objects.filter(entry_id=review.entry_id).submitted().count()
    )
    forget_reviews(review.entry.call_id)
    audit.record(
        "selections.review.submitted", obj=review, actor=actor,
        detail={"entry": review.entry_id, "total": str(result.total)},
    )  # fmt: skip
    return review


def progress_by_entry(call) -> list[dict]:
    """[{entry, title, assigned, submitted}] of the call (one grouped query)."""
    from django.db.models import Count, Q

    return list(
        Review.objects.filter(entry__call=call)
        .values("entry_id", "entry__title")
        .annotate(assigned=Count("pk"), submitted=Count("pk", filter=Q(submitted_at__isnull=False)))
        .order_by("entry_id")
    )


# The ranking page and the assignment page's loads read a whole call's reviews (15,000
# at province scale): they are kept in the shared cache and dropped whenever a review of
# the call changes (assignment, override, score). Without a shared cache (one process per
# worker with local memory) a page may be up to CACHE_SECONDS old in another worker.
CACHE_SECONDS = 60


def _cache_key(call_id, what: str) -> str:
    from django.core.cache import cache

    version = cache.get_or_set(f"selections:reviews:v:{call_id}", 1, None)
    return f"selections:reviews:{what}:{call_id}:{version}"


def forget_reviews(call_id) -> None:
    """Drop the cached ranking and loads of a call (after the transaction commits)."""
    from django.core.cache import cache

    def drop():
        key = f"selections:reviews:v:{call_id}"
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 2, None)

    transaction.on_commit(drop)


def _cached(call, what: str, compute):
    from django.core.cache import cache

    key = _cache_key(call.pk, what)
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, CACHE_SECONDS)
    return found


def cached_ranking(call) -> severity.Ranking:
    """`compute_ranking` for the pages, from the shared cache while no review changed."""
    return _cached(call, "ranking", lambda: compute_ranking(call))


def cached_loads(call) -> list[dict]:
    return _cached(call, "loads", lambda: progress_by_reviewer(call))


def progress_by_reviewer(call) -> list[dict]:
    from django.db.models import Count, Q

    return list(
        Review.objects.filter(entry__call=call)
        .values("reviewer_id", "reviewer__name")
        .annotate(assigned=Count("pk"), submitted=Count("pk", filter=Q(submitted_at__isnull=False)))
        .order_by("reviewer__name", "reviewer_id")
    )


# --- ranking ---------------------------------------------------------------------------


def compute_ranking(call) -> severity.Ranking:
    """The call's ranking from its submitted reviews (nothing written)."""
    triples = Review.objects.filter(
        entry__call=call, entry__status__in=REVIEW_ENTRY_STATUSES, submitted_at__isnull=False
    ).values_list("entry_id", "reviewer_id", "total")
    return severity.rank(triples, method=call.severity, min_reviews=call.min_reviews)


def _dec(value, places) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


@transaction.atomic
def rank_entries(call, *, actor=None) -> severity.Ranking:
    """Store each entry's raw mean, corrected score, raw and corrected rank and tie flag;
    an entry with at least `min_reviews` submitted reviews becomes `scored`, one below the
    quorum keeps no rank. Refused outside the expert review."""
    call = locked_call(call)
    require(actor, call, "rank")
    if call.status != CallStatus.REVIEWING:
        raise StateConflict(_("The ranking is computed during the expert review."))
    ranking = compute_ranking(call)
    rows = {row.entry: row for row in ranking.entries}
    entries = list(Entry.objects.filter(call=call, status__in=REVIEW_ENTRY_STATUSES))
    for entry in entries:
        row = rows.get(entry.pk)
        entry.reviews_done = row.reviews if row else 0
        entry.raw_mean = _dec(row.raw_mean, 2) if row else None
        entry.corrected = _dec(row.corrected, 3) if row and row.ranked else None
        entry.raw_rank = row.raw_rank if row else None
        entry.corrected_rank = row.corrected_rank if row else None
        entry.tie = bool(row and row.tie)
        entry.status = EntryStatus.SCORED if row and row.ranked else EntryStatus.ELIGIBLE
    Entry.objects.bulk_update(
        entries,
        ["reviews_done", "raw_mean", "corrected", "raw_rank", "corrected_rank", "tie", "status"],
        batch_size=500,
    )
    ranked = sum(1 for row in ranking.entries if row.ranked)
    audit.record(
        "selections.call.ranked", obj=call, actor=actor,
        detail={"ranked": ranked, "unranked": len(entries) - ranked, "method": call.severity},
    )  # fmt: skip
    return ranking


@transaction.atomic
def close_review(call, *, actor) -> Call:
    """Rank the entries and move the call to the panel meeting. Refused while no entry
    reaches the quorum of reviews."""
    rank_entries(call, actor=actor)
    call = locked_call(call)
    if not Entry.objects.filter(call=call, status=EntryStatus.SCORED).exists():
        raise DomainError(_("No entry has reached the quorum of reviews yet."))
    before = audit.snapshot(call)
    call.status = CallStatus.PANEL
    call.save(update_fields=["status"])
    audit.record(
        "selections.call.review_closed", obj=call, actor=actor,
        changes=audit.diff(before, audit.snapshot(call)),
    )  # fmt: skip
    return call
