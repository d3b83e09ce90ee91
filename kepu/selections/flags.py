"""The overdue and at-risk flags of funded projects, as SQL conditions (one definition
for the list's filters, its badges, the workbench and the API), computed from the dates
when read: no schedule is needed.

- **Overdue**: an open project whose next due date (the earliest undone milestone, else
  the end date) has passed.
- **At risk**: a project not yet in acceptance (approved or under way) that ends within
  30 days, or a project funded in advance that ends within 90 days with less than a
  quarter of its approved amount paid (the money is far behind the time elapsed).
"""

import datetime
from decimal import Decimal

from django.db.models import BooleanField, ExpressionWrapper, F, Q

from kepu.core import clock
from kepu.selections import choices as c

S = c.ProjectStatus
ENDING_DAYS = 30
MONEY_DAYS = 90
MONEY_SHARE = Decimal("0.25")


def overdue_q(day: datetime.date | None = None) -> Q:
    day = day or clock.today()
    return Q(status__in=c.OPEN_PROJECT_STATUSES, next_due__lt=day)


def at_risk_q(day: datetime.date | None = None) -> Q:
    day = day or clock.today()
    ending = Q(ends_on__lte=day + datetime.timedelta(days=ENDING_DAYS))
    slow_money = Q(
        funding_mode=c.FundingMode.PREFUNDED,
        ends_on__lte=day + datetime.timedelta(days=MONEY_DAYS),
        disbursed__lt=F("approved_amount") * MONEY_SHARE,
    )
    return Q(status__in=(S.APPROVED, S.CONTRACTED)) & (ending | slow_money)


def with_flags(queryset, day=None):
    """The queryset annotated with `flag_overdue` and `flag_at_risk` (booleans)."""
    day = day or clock.today()
    return queryset.annotate(
        flag_overdue=ExpressionWrapper(overdue_q(day), output_field=BooleanField()),
        flag_at_risk=ExpressionWrapper(at_risk_q(day), output_field=BooleanField()),
    )
