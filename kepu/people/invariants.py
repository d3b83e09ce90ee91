"""Invariants of the people registry: the states its services (and the Excel import) can
produce. Each check runs a fixed number of queries and names at most `LIMIT` rows."""

from django.db.models import Count, F, Q

from kepu.core.invariants import invariant
from kepu.people import choices as c
from kepu.people.models import (
    Person,
    PoolMembership,
    Registration,
    Team,
    TeamMembership,
)

LIMIT = 20
REVIEWED = [
    c.RegistrationStatus.CERTIFIED,
    c.RegistrationStatus.REJECTED,
    c.RegistrationStatus.ENDED,
]


@invariant("people")
def registration_review_matches_status():
    """Pending: not reviewed, no reason. Certified, rejected or ended: a review time, not
    before the application. Rejected: a reason."""
    pending = c.RegistrationStatus.PENDING
    bad = Registration.objects.filter(
        Q(status=pending, reviewed_at__isnull=False)
        | Q(status=pending, reviewed_by__isnull=False)
        | Q(status=pending) & ~Q(reject_reason="")
        | Q(status__in=REVIEWED, reviewed_at__isnull=True)
        | Q(reviewed_at__lt=F("applied_at"))
        | Q(status=c.RegistrationStatus.REJECTED, reject_reason="")
    ).values_list("pk", "status", "reviewed_at", "applied_at", "reject_reason")
    for pk, status, reviewed_at, applied_at, reason in bad.order_by("pk")[:LIMIT]:
        if status == pending:
            yield f"registration {pk} is pending but carries a review or a reason"
        elif reviewed_at is None:
            yield f"registration {pk} is {status} without a review time"
        elif reviewed_at < applied_at:
            yield f"registration {pk} was reviewed ({reviewed_at}) before it was applied for"
        else:
            yield f"registration {pk} is rejected without a reason ({reason!r})"


@invariant("people")
def matches_are_public_and_undecided_or_rejected():
    """A "matches a registered person" flag is on public applications only, pending or
    rejected: certifying one clears it (it is then the person's own registration)."""
    bad = Registration.objects.filter(matches_person=True).filter(
        ~Q(source=c.Source.SELF)
        | ~Q(status__in=[c.RegistrationStatus.PENDING, c.RegistrationStatus.REJECTED])
    )
    for pk, status in bad.order_by("pk").values_list("pk", "status")[:LIMIT]:
        yield f"registration {pk} ({status}) still matches a registered person"


@invariant("people")
def registration_dates_are_ordered():
    """An ended registration has an end date, never before its start; consent has a time."""
    bad = Registration.objects.filter(
        Q(status=c.RegistrationStatus.ENDED, end_date__isnull=True)
        | Q(end_date__lt=F("start_date"))
        | Q(notice__isnull=False, consented_at__isnull=True)
    ).values_list("pk", "status", "start_date", "end_date")
    for pk, status, start, end in bad.order_by("pk")[:LIMIT]:
        yield f"registration {pk} ({status}) runs {start} to {end}, or lacks its consent time"


@invariant("people")
def erased_people_keep_no_personal_data():
    """Erasure blanks identifiers, contact details, the account link and the search text,
    and ends the person's pool and team memberships."""
    erased = Person.objects.filter(erased_at__isnull=False)
    leftovers = erased.filter(
        ~Q(id_number_enc="")
        | ~Q(id_hash="")
        | ~Q(phone_enc="")
        | ~Q(phone_hash="")
        | ~Q(email="")
        | ~Q(search_text="")
        | Q(user__isnull=False)
        | Q(birth_date__isnull=False)
    ).values_list("pk", flat=True)
    for pk in leftovers.order_by("pk")[:LIMIT]:
        yield f"erased person {pk} still holds personal data"
    pools = PoolMembership.objects.filter(person__erased_at__isnull=False)
    for pk, person in pools.values_list("pk", "person_id").order_by("pk")[:LIMIT]:
        yield f"erased person {person} is still in a pool (membership {pk})"
    teams = TeamMembership.objects.filter(person__erased_at__isnull=False)
    for pk, person in teams.values_list("pk", "person_id").order_by("pk")[:LIMIT]:
        yield f"erased person {person} is still in a team (membership {pk})"


@invariant("people")
def live_people_are_searchable_and_masked():
    """A live person has search text, and every stored identifier has its mask."""
    bad = Person.objects.filter(erased_at__isnull=True).filter(
        Q(search_text="")
        | ~Q(id_hash="") & Q(id_masked="")
        | ~Q(phone_hash="") & Q(phone_masked="")
    )
    for pk in bad.values_list("pk", flat=True).order_by("pk")[:LIMIT]:
        yield f"person {pk} has no search text or an identifier without its mask"


@invariant("people")
def nobody_is_in_too_many_teams():
    """A person belongs to at most MAX_TEAMS_PER_PERSON teams."""
    crowded = (
        TeamMembership.objects.values("person_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=c.MAX_TEAMS_PER_PERSON)
        .order_by("person_id")
    )
    for row in crowded[:LIMIT]:
        yield f"person {row['person_id']} is in {row['n']} teams (at most {c.MAX_TEAMS_PER_PERSON})"


@invariant("people")
def pool_terms_are_ordered():
    """A pool member's term does not end before it starts."""
    bad = PoolMembership.objects.filter(term_end__lt=F("term_start"))
    for pk, start, end in bad.values_list("pk", "term_start", "term_end").order_by("pk")[:LIMIT]:
        yield f"pool membership {pk} ends ({end}) before it starts ({start})"


@invariant("people")
def team_sizes_match_their_members():
    """A team's stored `member_count` is the number of its memberships."""
    bad = (
        Team.objects.annotate(n=Count("memberships"))
        .exclude(member_count=F("n"))
        .values_list("pk", "member_count", "n")
        .order_by("pk")
    )
    for pk, stored, n in bad[:LIMIT]:
        yield f"team {pk} says {stored} members but has {n}"


@invariant("people")
def training_session_counts_match_enrolments():
    """A session's enrolled, waiting and completed counts are those of its enrolments; a
    completion has its date, hours and certificate number."""
    from kepu.people.models import Enrolment, TrainingSession

    counted = TrainingSession.objects.annotate(
        _e=Count("enrolments", filter=Q(enrolments__status="enrolled")),
        _w=Count("enrolments", filter=Q(enrolments__status="waiting")),
        _c=Count("enrolments", filter=Q(enrolments__status="completed")),
    ).filter(~Q(enrolled_count=F("_e")) | ~Q(waiting_count=F("_w")) | ~Q(completed_count=F("_c")))
    for pk in counted.order_by("pk").values_list("pk", flat=True)[:LIMIT]:
        yield f"training session {pk}: its counts differ from its enrolments"
    bad = Enrolment.objects.filter(status="completed").filter(
        Q(completed_on__isnull=True) | Q(certificate_number__isnull=True) | Q(hours__isnull=True)
    )
    for pk in bad.order_by("pk").values_list("pk", flat=True)[:LIMIT]:
        yield f"enrolment {pk} is completed without its date, hours or certificate number"


@invariant("people")
def team_hierarchy_is_consistent():
    """A team's stored `sub_team_count` is the number of its sub-teams, and a sub-team lies
    in its parent team's region or within it (issue 26)."""
    bad = (
        Team.objects.annotate(n=Count("sub_teams"))
        .exclude(sub_team_count=F("n"))
        .values_list("pk", "sub_team_count", "n")
        .order_by("pk")
    )
    for pk, stored, n in bad[:LIMIT]:
        yield f"team {pk} says {stored} sub-teams but has {n}"
    outside = (
        Team.objects.filter(parent__isnull=False)
        .exclude(region__path__startswith=F("parent__region__path"))
        .values_list("pk", "parent_id")
        .order_by("pk")
    )
    for pk, parent in outside[:LIMIT]:
        yield f"team {pk} lies outside the region of its parent team {parent}"


@invariant("people")
def team_refusals_have_reasons():
    """A suspended, refused or dissolved team says why."""
    bad = Team.objects.filter(
        status__in=[c.TeamStatus.SUSPENDED, c.TeamStatus.REJECTED, c.TeamStatus.DISSOLVED],
        status_reason="",
    )
    for pk, status in bad.values_list("pk", "status").order_by("pk")[:LIMIT]:
        yield f"team {pk} is {status} without a reason"


@invariant("people")
def officer_months_match_their_activity():
    """An officer's month (kept by the services) sums that officer's activity rows of the
    month; every activity's month has its officer's row."""
    from django.db.models import Sum
    from django.db.models.functions import TruncMonth

    from kepu.people.models import OfficerActivity, OfficerPersonMonth

    kept = {
        (p, m): (a, v, s)
        for p, m, a, v, s in OfficerPersonMonth.objects.values_list(
            "person_id", "month", "activities", "views", "shares"
        )
    }
    rows = (
        OfficerActivity.objects.annotate(m=TruncMonth("date"))
        .values("person_id", "m")
        .annotate(a=Count("pk"), v=Sum("views"), s=Sum("shares"))
        .order_by("person_id", "m")
    )
    found = 0
    for row in rows:
        month = row["m"].date() if hasattr(row["m"], "date") else row["m"]
        if kept.get((row["person_id"], month)) != (row["a"], row["v"], row["s"]):
            yield f"officer {row['person_id']}'s month {month:%Y-%m} does not sum its activity"
            found += 1
            if found >= LIMIT:
                return


# -- talent evaluation and the high-level talent service ---------------------------------


@invariant("people")
def talent_open_needs_match_the_log():
    """A high-level talent's open needs count its open service records."""
    from kepu.people.models import HighLevelTalent

    bad = (
        HighLevelTalent.objects.annotate(n=Count("services", filter=Q(services__is_open=True)))
        .exclude(open_needs=F("n"))
        .values_list("pk", flat=True)[:LIMIT]
    )
    for pk in bad:
        yield f"high-level talent {pk}: open needs differ from its open service records"


@invariant("people")
def talent_scores_are_not_the_applicants_own():
    """Four-eyes: no score sheet by the applicant or by whoever filed the application."""
    from kepu.people.models import ApplicationScore

    bad = ApplicationScore.objects.filter(
        Q(reviewer=F("application__person__user")) | Q(reviewer=F("application__submitted_by"))
    ).values_list("pk", flat=True)[:LIMIT]
    for pk in bad:
        yield f"score sheet {pk} was filed by the applicant or the filer"
