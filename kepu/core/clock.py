"""The platform's clock. Services read the time through `clock.now()` / `clock.today()`
instead of `timezone.now()`, so that the demo loaders can replay a workflow through the
real services at past moments ("this order was dispatched three days ago"):

    with clock.frozen(moment):
        services.dispatch_order(order, actor=officer, team=team)

Outside `frozen` the clock is the real one. The override is a context variable: it holds
for the current thread or task only and never leaks into other requests.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime

from django.utils import timezone

_frozen: contextvars.ContextVar[datetime.datetime | None] = contextvars.ContextVar(
    "kepu_clock", default=None
)


def now() -> datetime.datetime:
    """The current moment (aware), or the frozen one."""
    moment = _frozen.get()
    return moment if moment is not None else timezone.now()


def today() -> datetime.date:
    """The current local date, or the frozen moment's."""
    return timezone.localdate(now())


@contextlib.contextmanager
def frozen(moment: datetime.datetime):
    """Services called inside see `moment` as now."""
    if timezone.is_naive(moment):
        raise ValueError("the clock takes aware datetimes only")
    token = _frozen.set(moment)
    try:
        yield moment
    finally:
        _frozen.reset(token)
