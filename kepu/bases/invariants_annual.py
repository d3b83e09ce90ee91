"""What must hold of the annual area's stored data (demo and bulk rows alike). Imported
by `kepu.bases.invariants` (the app's module of checks)."""

from django.db.models import F, Q

from kepu.bases import annual_choices as c
from kepu.bases.choices import BaseStatus
from kepu.bases.models import AnnualEvaluation, AnnualReport, Rectification
from kepu.core.invariants import invariant

LIMIT = 20


@invariant("bases")
def filed_reports_have_their_times():
    rows = AnnualReport.objects.filter(
        Q(status__in=c.FILED_STATUSES, submitted_at=None)
        | Q(status=c.ReportStatus.ACCEPTED, reviewed_at=None)
        | Q(exhibits_renewed__gt=F("exhibits_total"))
    )
    for pk in rows.values_list("pk", flat=True)[:LIMIT]:
        yield f"annual report {pk} is filed without its time or renews more than it has"


@invariant("bases")
def reports_lie_where_their_base_is():
    rows = AnnualReport.objects.filter(
        ~Q(region_id=F("base__region_id")) | ~Q(organization_id=F("base__organization_id"))
    )
    for pk in rows.values_list("pk", flat=True)[:LIMIT]:
        yield f"annual report {pk} has another region and unit than its base"


@invariant("bases")
def published_results_are_complete():
    rows = AnnualEvaluation.objects.filter(round__status=c.RoundStatus.PUBLISHED).filter(
        Q(complete=False) | Q(total=None) | Q(grade="")
    )
    for pk in rows.values_list("pk", flat=True)[:LIMIT]:
        yield f"evaluation result {pk} is published without a complete score"


@invariant("bases")
def rectifications_follow_their_base():
    open_elsewhere = Rectification.objects.filter(status__in=c.OPEN_RECTIFICATION).exclude(
        base__status=BaseStatus.RECTIFYING
    )
    for pk in open_elsewhere.values_list("pk", flat=True)[:LIMIT]:
        yield f"rectification order {pk} is open but its base is not under rectification"
    decided = Rectification.objects.filter(
        status__in=(c.RectificationStatus.KEPT, c.RectificationStatus.REVOKED), recheck=None
    )
    for pk in decided.values_list("pk", flat=True)[:LIMIT]:
        yield f"rectification order {pk} was decided without a re-check"
