"""The apps' URLconfs, tried only where a path's first segment can match.

The apps' URLs are included at the root without a prefix of their own (`/people/…`,
`/training/…`, `/accounts/…` come from several apps), so Django tries every app's
patterns in order until one matches: about 530 regular-expression tests for a URL of
core's, the last app (`make bench`'s floor, `/accounts/session/`, spent a fifth of its
CPU there). `FirstSegmentResolver` holds the same includes in the same order, and for a
path tries only those with a pattern whose first segment can be the path's: a pattern
whose route starts with a literal segment ("people/<int:pk>/", "healthz") can match no
path that starts otherwise, and a pattern starting with a converter or written as a
regular expression is tried for every path. Which pattern answers a path is therefore
unchanged; reversing is unchanged (the includes are the same objects).
"""

from __future__ import annotations

from django.urls import URLResolver
from django.urls.resolvers import RoutePattern
from django.utils.functional import cached_property

# Distinct first segments kept (a hostile client can send any number of them).
MAX_SEGMENTS = 2000


def first_segments(pattern, prefix: str = "") -> set[str] | None:
    """The literal first segments of every route under `pattern`, or None when one of
    them can start with anything (a converter, a regular expression)."""
    if not isinstance(pattern.pattern, RoutePattern):
        return None
    route = prefix + str(pattern.pattern)
    if isinstance(pattern, URLResolver):
        found: set[str] = set()
        for child in pattern.url_patterns:
            segments = first_segments(child, route)
            if segments is None:
                return None
            found |= segments
        return found
    head = route.split("/", 1)[0]
    return None if "<" in head else {head}


class FirstSegmentResolver(URLResolver):
    """A resolver over `patterns` (app includes) at the root, without a prefix."""

    def __init__(self, patterns):
        super().__init__(RoutePattern(""), list(patterns))
        self._by_segment: dict[str, URLResolver] = {}

    @cached_property
    def _segments(self) -> list[tuple[object, set[str] | None]]:
        return [(pattern, first_segments(pattern)) for pattern in self.url_patterns]

    def candidates(self, segment: str) -> list:
        """The patterns that can match a path starting with `segment`, in order."""
        return [p for p, firsts in self._segments if firsts is None or segment in firsts]

    def resolve(self, path):
        path = str(path)
        segment = path.split("/", 1)[0]
        delegate = self._by_segment.get(segment)
        if delegate is None:
            delegate = URLResolver(RoutePattern(""), self.candidates(segment))
            if len(self._by_segment) < MAX_SEGMENTS:
                self._by_segment[segment] = delegate
        return delegate.resolve(path)
