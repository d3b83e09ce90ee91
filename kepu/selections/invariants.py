"""What must hold of the selections app's stored data (`kepu.core.invariants`). Each check
runs a bounded number of queries whatever the data size and names at most 20 rows."""

from django.db.models import Count, F, Q, Sum

from kepu.core.invariants import invariant
from kepu.selections import choices as c
from kepu.selections.models import Entry, Project, Review

LIMIT = 20


@invariant("selections")
def corrected_ranks_are_unique_in_a_call():
    rows = (
        Entry.objects.filter(corrected_rank__isnull=False)
        .values("call_id", "corrected_rank")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .order_by()
    )
    for row in rows[:LIMIT]:
        rank = row["corrected_rank"]
        yield f"call {row['call_id']}: {row['n']} entries share corrected rank {rank}"


@invariant("selections")
def awarded_entries_carry_a_certificate():
    missing = Entry.objects.filter(status=c.EntryStatus.AWARDED).filter(
        Q(certificate_number="") | Q(certificate_code="")
    )
    for pk in missing.values_list("pk", flat=True)[:LIMIT]:
        yield f"awarded entry {pk} has no certificate number or code"


@invariant("selections")
def reviews_are_on_the_calls_rubric():
    wrong = Review.objects.exclude(rubric_id=F("entry__call__rubric_id"))
    for pk in wrong.values_list("pk", flat=True)[:LIMIT]:
        yield f"review {pk} is not on its call's rubric"


@invariant("selections")
def disbursed_is_the_sum_of_the_payments():
    rows = (
        Project.objects.annotate(paid=Sum("disbursements__amount"))
        .exclude(Q(paid=F("disbursed")) | Q(paid__isnull=True, disbursed=0))
        .values_list("pk", "disbursed", "paid")
    )
    for pk, disbursed, paid in rows[:LIMIT]:
        yield f"project {pk} shows {disbursed} disbursed but its payments add up to {paid}"


@invariant("selections")
def budgets_stay_within_the_approved_amount():
    rows = (
        Project.objects.annotate(planned=Sum("budget__amount"))
        .filter(planned__gt=F("approved_amount"))
        .values_list("pk", "planned", "approved_amount")
    )
    for pk, budget, approved in rows[:LIMIT]:
        yield f"project {pk}: budget {budget} over the approved {approved}"
