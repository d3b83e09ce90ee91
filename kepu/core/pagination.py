"""Lists that cost the same at any scale: capped counts and keyset pages.

An exact `COUNT(*)` over a province-wide list reads every scoped row, and `OFFSET n`
reads and throws away n rows. Here:

- the count stops at COUNT_CAP ("10,000+"): `SELECT COUNT(*) FROM (… LIMIT cap+1)`;
- the first OFFSET_PAGES pages are numbered (`?page=N`); from there on the "next" link
  carries a cursor (`?after=…`): the sort values of the last row shown, so the next page
  is an index range that starts where this one ended, stable when rows are inserted
  meanwhile. The cursor also carries how many rows came before, for "rows 1,001–1,025".

The queryset's ordering must end in a unique column (every list orders by "…, pk");
orderings over related fields, expressions or nullable values fall back to numbered
pages. Pages and the API share `CappedPaginator`.
"""

import base64
import json
from datetime import date, datetime
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

COUNT_CAP = 10_000
OFFSET_PAGES = 20
PAGE_SIZE = 25


def capped_count(queryset, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """(n, capped): the number of rows, or `cap` and True when there are more."""
    n = queryset.order_by()[: cap + 1].count()
    return (cap, True) if n > cap else (n, False)


def count_label(n: int, capped: bool) -> str:
    return _("%(n)s+") % {"n": f"{n:,}"} if capped else f"{n:,}"


class CappedPaginator(Paginator):
    """Django's paginator with the count capped at COUNT_CAP: page numbers reach as far
    as the cap (the API's `count` then says `count_capped`)."""

    cap = COUNT_CAP

    @cached_property
    def _capped(self):
        if isinstance(self.object_list, list):
            return len(self.object_list), False
        return capped_count(self.object_list, self.cap)

    @cached_property
    def count(self):
        return self._capped[0]

    @property
    def count_capped(self) -> bool:
        return self._capped[1]


# --- keyset pages ----------------------------------------------------------------------


def _ordering(queryset) -> list[tuple[str, bool]] | None:
    """[(field name, descending)] when every ordering term is a plain local, non-null
    column (and so usable in a keyset condition); else None."""
    terms = list(queryset.query.order_by) or list(queryset.model._meta.ordering)
    if not terms:
        return None
    result = []
    for term in terms:
        if not isinstance(term, str):
            return None
        name = term.lstrip("-")
        if "__" in name or "?" in name:
            return None
        if name == "pk":
            name = queryset.model._meta.pk.name
        try:
            field = queryset.model._meta.get_field(name)
        except Exception:  # noqa: BLE001  (an annotation: not a column)
            return None
        if field.null or not field.concrete:
            return None
        result.append((field.attname, term.startswith("-")))
    pk = queryset.model._meta.pk.attname
    if result[-1][0] != pk:
        return None
    return result


def _encode(value):
    if isinstance(value, datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if isinstance(value, Decimal):
        return {"dec": str(value)}
    if hasattr(value, "hex") and not isinstance(value, (int, float, str)):  # UUID
        return {"u": str(value)}
    return value


def _decode(value):
    if isinstance(value, dict):
        ((kind, raw),) = value.items()
        return {
            "dt": datetime.fromisoformat,
            "d": date.fromisoformat,
            "dec": Decimal,
            "u": str,
        }[kind](raw)
    return value


def make_cursor(row, ordering, before: int) -> str:
    data = {"v": [_encode(getattr(row, name)) for name, _desc in ordering], "i": before}
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def read_cursor(text: str, ordering) -> tuple[list, int] | None:
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        data = json.loads(raw)
        values = [_decode(v) for v in data["v"]]
        before = int(data["i"])
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    if len(values) != len(ordering) or before < 0:
        return None
    return values, before


def after_q(ordering, values) -> Q:
    """Rows after `values` in `ordering`: (a > x) OR (a = x AND b > y) OR …"""
    q = Q(pk__in=[])
    for i, (name, descending) in enumerate(ordering):
        term = Q(**{n: v for (n, _d), v in zip(ordering[:i], values[:i], strict=True)})
        term &= Q(**{f"{name}__{'lt' if descending else 'gt'}": values[i]})
        q |= term
    return q


class ListPage:
    """One page of a list, for the shared pagination partial: the rows, "rows a–b of n"
    (n capped), and the links to the previous and next pages."""

    def __init__(self, rows, *, start, count, capped, number, per_page, params, next_args):
        self.object_list = rows
        self.start = start  # rows before this page
        self.count = count
        self.count_capped = capped
        self.number = number  # None beyond the numbered pages
        self.per_page = per_page
        self._params = params
        self._next = next_args

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def __bool__(self):
        return bool(self.object_list)

    @property
    def paginator(self):  # templates written for Django's Page read .paginator.count
        return self

    @property
    def count_display(self) -> str:
        return count_label(self.count, self.count_capped)

    def start_index(self) -> int:
        return self.start + 1 if self.object_list else 0

    def end_index(self) -> int:
        return self.start + len(self.object_list)

    def has_next(self) -> bool:
        return self._next is not None

    def has_previous(self) -> bool:
        return self.start > 0

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    @property
    def num_pages(self) -> int | None:
        if self.count_capped:
            return None
        return max(1, -(-self.count // self.per_page))

    def _query(self, **args) -> str:
        params = self._params.copy()
        for key in ("page", "after"):
            params.pop(key, None)
        for key, value in args.items():
            params[key] = value
        return params.urlencode()

    @property
    def next_query(self) -> str:
        return self._query(**self._next) if self._next else ""

    @property
    def previous_query(self) -> str:
        if not self.has_previous():
            return ""
        if self.number is not None and self.number > 1:
            return self._query(page=str(self.number - 1))
        # From a keyset page the way back is the first page (or the browser's back).
        return self._query()

    @property
    def previous_is_first(self) -> bool:
        return self.number is None


def paginate(request, queryset, per_page: int = PAGE_SIZE, *, count=None) -> ListPage:
    """The page of `queryset` that the request asks for (`?page=N` or `?after=cursor`).
    `count`: a callable giving (n, capped) when the caller knows the number of rows more
    cheaply than counting them (e.g. from rollups), or None to count; default a capped
    count."""
    params = request.GET.copy()
    if isinstance(queryset, list):
        return _offset_page(queryset, params, per_page, ordering=None)
    ordering = _ordering(queryset)
    cursor = params.get("after")
    if cursor and ordering:
        parsed = read_cursor(cursor, ordering)
        if parsed is not None:
            values, before = parsed
            return _keyset_page(queryset, params, per_page, ordering, values, before, count)
    return _offset_page(queryset, params, per_page, ordering=ordering, counter=count)


def _count(queryset, counter=None):
    known = counter() if counter is not None else None
    if known is not None:
        return known
    if isinstance(queryset, list):
        return len(queryset), False
    return capped_count(queryset)


def _offset_page(queryset, params, per_page, *, ordering, counter=None):
    count, capped = _count(queryset, counter)
    last = max(1, -(-count // per_page))
    try:
        number = max(1, int(params.get("page", 1)))
    except (TypeError, ValueError):
        number = 1
    if not capped:
        number = min(number, last)
    if ordering:  # deep pages go by cursor
        number = min(number, OFFSET_PAGES)
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    more = len(rows) > per_page
    rows = rows[:per_page]
    next_args = None
    if more:
        if ordering and number >= OFFSET_PAGES:
            next_args = {"after": make_cursor(rows[-1], ordering, start + len(rows))}
        else:
            next_args = {"page": str(number + 1)}
    return ListPage(
        rows,
        start=start,
        count=count,
        capped=capped,
        number=number,
        per_page=per_page,
        params=params,
        next_args=next_args,
    )


def _keyset_page(queryset, params, per_page, ordering, values, before, counter=None):
    count, capped = _count(queryset, counter)
    rows = list(queryset.filter(after_q(ordering, values))[: per_page + 1])
    more = len(rows) > per_page
    rows = rows[:per_page]
    next_args = None
    if more:
        next_args = {"after": make_cursor(rows[-1], ordering, before + len(rows))}
    return ListPage(
        rows,
        start=before,
        count=max(count, before + len(rows)) if not capped else count,
        capped=capped,
        number=None,
        per_page=per_page,
        params=params,
        next_args=next_args,
    )
