"""The workbench (工作台): what awaits the signed-in user, computed from the registries.

Like the sidebar (`core.navigation`), each app registers its providers at start-up
(AppConfig.ready imports the app's `workbench.py`), so core never imports the apps.
A provider is `provider(user, focus) -> iterable of Item`; `focus` is the region the
user is looking at (None for users without a region). Providers return only what the
user may act on (`scope.actionable`, `visible_to`) and count it cheaply: an indexed,
filtered query with a capped count (`count`) or a rollup, never a whole table.

An item is a to-do (待办: something waiting for the user's action) or a reminder (提醒:
something to know, e.g. a report due next week). Items with nothing to count are left
out. The whole block is cached per user and language for FRESH_SECONDS (`cached_value`),
its labels as text (see `views.workbench.workbench_items`).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from kepu.core.pagination import capped_count

log = logging.getLogger(__name__)

TODO = "todo"
REMINDER = "reminder"

# A to-do count stops here ("1,000+"): enough to say "a lot", cheap at province scale.
CAP = 1000
# The to-do block is at most this old (seconds); the page says as of when.
FRESH_SECONDS = 45


@dataclass(frozen=True)
class Item:
    key: str  # stable, unique: "<app>.<what>" (tests and the page's anchors use it)
    label: object  # lazy, translatable
    url: str  # the page where the action is done, filtered to exactly these items
    count: int = 0
    capped: bool = False
    oldest: datetime.datetime | datetime.date | None = None  # the oldest item's date
    overdue: int = 0  # how many are past their deadline (0: none, or no deadline)
    kind: str = TODO
    icon: str = "checklist"

    @property
    def age_days(self) -> int | None:
        if self.oldest is None:
            return None
        oldest = self.oldest
        if isinstance(oldest, datetime.datetime):
            oldest = timezone.localtime(oldest).date()
        from kepu.core import clock

        return max((clock.today() - oldest).days, 0)


Provider = Callable[[object, object], Iterable[Item]]
_providers: list[Provider] = []
# object_type ("people.person") -> URL name of its detail page (pk as the only argument),
# so the recent-activity list can link the objects it names.
_links: dict[str, str] = {}


def register(provider: Provider) -> Provider:
    """Add a provider (usable as a decorator). Registering twice is harmless."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def providers() -> list[Provider]:
    return list(_providers)


def link(object_type: str, url_name: str) -> None:
    _links[object_type] = url_name


def link_for(object_type: str) -> str | None:
    return _links.get(object_type)


def count(queryset: QuerySet, cap: int = CAP) -> tuple[int, bool]:
    """(n, capped) of a filtered, indexed queryset; stops at `cap`."""
    return capped_count(queryset, cap)


def oldest(queryset: QuerySet, field: str):
    """The earliest value of `field` among the rows (one indexed row read)."""
    return queryset.order_by(field).values_list(field, flat=True).first()


def todo(key, label, url, queryset: QuerySet, *, date_field: str, overdue=None, **extra):
    """An Item for the rows of `queryset` (None when there are none): capped count,
    the oldest row's `date_field`, and the count of `overdue` (a queryset) if given."""
    n, capped = count(queryset)
    if not n:
        return None
    late = count(overdue)[0] if overdue is not None else 0
    return Item(
        key=key,
        label=label,
        url=url,
        count=n,
        capped=capped,
        oldest=oldest(queryset, date_field),
        overdue=late,
        **extra,
    )


def collect(user, focus) -> list[Item]:
    """Every provider's items for `user`, to-dos first (in registration order), then
    reminders. A failing provider is logged and left out: the workbench still opens."""
    items: list[Item] = []
    for provider in _providers:
        try:
            items.extend(item for item in provider(user, focus) or () if item and item.count)
        except Exception:
            log.exception("workbench provider %r failed", provider)
    return [i for i in items if i.kind == TODO] + [i for i in items if i.kind == REMINDER]
