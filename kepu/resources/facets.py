"""Facet counts of the public catalog from the `resources.public` counters.

A facet counts the result of every *other* filter. The counters hold, per region (county
or above), the published entries by type and emergency flag, and the same once per tag
(`rollups.PUBLIC`). They answer a facet when its other filters are: no words, a region of
county level or above (or none), and at most one tag (key group, topic or hazard; none
besides its own for a tag facet); the
region facet also needs the children of the region to be counted (a city's counties, the
province's cities). Other facets are counted on the raw rows by the pages (and the pages
are served from the shared cache).

With words, `SearchFacetCounts` makes the same counters over the entries that match them
(two grouped queries instead of one per facet) and answers the facets the same way.
"""

from __future__ import annotations

from kepu.core import rollups
from kepu.core.models import Region
from kepu.resources import choices as c
from kepu.resources.rollups import COUNTED_LEVEL, PUBLIC, public_counts

TAG_FILTERS = (("group", c.TagKind.GROUP), ("topic", c.TagKind.TOPIC), ("hazard", c.TagKind.HAZARD))


def _parse(counts: dict) -> list[tuple[str, bool, str, int]]:
    rows = []
    for key, n in counts.items():
        resource_type, flag, tag = key.split("|", 2)
        rows.append((resource_type, flag == "1", tag, n))
    return rows


class FacetCounts:
    """The counters of one region (None: everywhere), read once for a whole page."""

    def __init__(self, query, *, emergency_only: bool = False):
        self.query = query
        self.emergency_only = emergency_only
        self._rows = None

    # which facets the counters can answer

    def _tags(self, skip=()) -> list[str]:
        """The tag filters in force (as "kind:code"), leaving out the facets in `skip`."""
        return [
            f"{kind}:{getattr(self.query, name)}"
            for name, kind in TAG_FILTERS
            if getattr(self.query, name) and name not in skip
        ]

    @property
    def usable(self) -> bool:
        query = self.query
        if query.invalid or query.q:
            return False
        return query.region is None or query.region.level <= COUNTED_LEVEL

    def answers(self, skip: str) -> bool:
        """True when the counters hold the facet `skip` (the filters but that one): one
        tag filter at most, and none besides its own for a tag facet (a tag counter
        counts the entries with that one tag)."""
        tags = len(self._tags(skip=(skip,)))
        if skip in dict(TAG_FILTERS):
            return self.usable and tags == 0
        return self.usable and tags <= 1

    def answers_regions(self, focus) -> bool:
        return (
            self.usable
            and len(self._tags()) <= 1
            and focus is not None
            and focus.level < COUNTED_LEVEL
        )

    # reading

    @property
    def rows(self):
        if self._rows is None:
            self._rows = _parse(rollups.by_key(PUBLIC, self.query.region))
        return self._rows

    def _match(self, rows, skip: str, *, tag_kind: str | None = None):
        """The rows counting the entries that pass every filter but `skip`; with
        `tag_kind`, the tag rows of that kind instead (one per entry and tag)."""
        query = self.query
        tags = self._tags(skip=(skip,))
        wanted_tag = tags[0] if tags else ""
        emergency = self.emergency_only or (query.emergency and skip != "emergency")
        for resource_type, flag, tag, n in rows:
            if query.type and skip != "type" and resource_type != query.type:
                continue
            if emergency and not flag:
                continue
            if tag_kind is None:
                if tag != wanted_tag:
                    continue
            elif not tag.startswith(f"{tag_kind}:"):
                continue
            yield resource_type, flag, tag, n

    def by_type(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for resource_type, _flag, _tag, n in self._match(self.rows, "type"):
            out[resource_type] = out.get(resource_type, 0) + n
        return out

    def by_tag(self, name: str) -> dict[str, int]:
        """{code: n} of the facet `name` (group, topic or hazard)."""
        kind = dict(TAG_FILTERS)[name]
        out: dict[str, int] = {}
        for _type, _flag, tag, n in self._match(self.rows, name, tag_kind=kind):
            code = tag.split(":", 1)[1]
            out[code] = out.get(code, 0) + n
        return out

    def total(self, skip: str = "") -> int:
        return sum(n for *_rest, n in self._match(self.rows, skip))

    def emergency_count(self) -> int:
        return sum(n for _t, flag, _tag, n in self._match(self.rows, "emergency") if flag)

    def by_child(self, focus) -> list[tuple]:
        """[(child region, n)] for the children of `focus` under every filter."""
        children, _direct = rollups.by_child(PUBLIC, focus, split_keys=True)
        out = []
        for child, counts in children:
            n = sum(n for *_rest, n in self._match(_parse(counts), ""))
            out.append((child, n))
        return out


class SearchFacetCounts(FacetCounts):
    """The counters of the entries matching the words (and the region): `entries` is
    the published entries (or the emergency library) narrowed by the words and the
    region only; the other filters are applied to the counters as above."""

    def __init__(self, query, entries, *, emergency_only: bool = False):
        super().__init__(query, emergency_only=emergency_only)
        self._found = list(public_counts(entries))

    @property
    def usable(self) -> bool:
        return not self.query.invalid

    @property
    def rows(self):
        if self._rows is None:
            counts: dict[str, int] = {}
            for row in self._found:
                counts[row["key"]] = counts.get(row["key"], 0) + row["value"]
            self._rows = _parse(counts)
        return self._rows

    def by_child(self, focus) -> list[tuple]:
        children = list(Region.objects.filter(parent=focus).order_by("code"))
        paths = dict(
            Region.objects.filter(pk__in={row["region_id"] for row in self._found}).values_list(
                "pk", "path"
            )
        )
        by_child: dict[int, dict] = {child.pk: {} for child in children}
        for row in self._found:
            path = paths.get(row["region_id"], "")
            for child in children:
                if path.startswith(child.path):
                    counts = by_child[child.pk]
                    counts[row["key"]] = counts.get(row["key"], 0) + row["value"]
                    break
        return [
            (child, sum(n for *_rest, n in self._match(_parse(by_child[child.pk]), "")))
            for child in children
        ]
