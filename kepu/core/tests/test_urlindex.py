"""The first-segment index answers every path as Django's resolver over the same
patterns would (kepu.core.urlindex)."""

import re
import uuid

import pytest
from django.urls import Resolver404, URLResolver, get_resolver, path
from django.urls.resolvers import RoutePattern

from kepu.core.urlindex import FirstSegmentResolver, first_segments

SAMPLE = {"int": "7", "slug": "a-b", "str": "x", "path": "x/y", "uuid": str(uuid.UUID(int=1))}


def _index() -> FirstSegmentResolver:
    return next(p for p in get_resolver().url_patterns if isinstance(p, FirstSegmentResolver))


def _sample_paths(pattern, prefix=""):
    route = prefix + str(pattern.pattern)
    if isinstance(pattern, URLResolver):
        for child in pattern.url_patterns:
            yield from _sample_paths(child, route)
        return
    yield re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE[m.group(1) or "str"], route)


def _outcome(resolver, url):
    try:
        match = resolver.resolve(url)
    except Resolver404:
        return None
    return match.func, match.url_name, match.namespaces, match.kwargs, match.route


def test_every_path_resolves_as_without_the_index():
    index = _index()
    plain = URLResolver(RoutePattern(""), index.url_patterns)
    urls = {u for p in index.url_patterns for u in _sample_paths(p)}
    urls |= {u.rstrip("/") for u in urls} | {"", "nowhere/", "accounts", "people/x/y/z/"}
    assert len(urls) > 500
    for url in sorted(urls):
        assert _outcome(index, url) == _outcome(plain, url), url


def test_a_path_tries_only_the_apps_that_can_match_its_first_segment():
    index = _index()
    assert [p.urlconf_name.__name__ for p in index.candidates("accounts")] == ["kepu.core.urls"]
    assert [p.urlconf_name.__name__ for p in index.candidates("")] == ["kepu.portal.urls"]
    assert index.candidates("nowhere") == []


def test_a_converter_or_a_regular_expression_first_is_tried_for_every_path():
    def view(request):
        raise AssertionError

    literal = URLResolver(RoutePattern(""), [path("people/<int:pk>/", view)])
    converter = URLResolver(RoutePattern(""), [path("<slug:code>/", view, name="code")])
    assert first_segments(literal) == {"people"}
    assert first_segments(converter) is None
    index = FirstSegmentResolver([literal, converter])
    assert index.candidates("anything") == [converter]
    assert index.resolve("abc/").url_name == "code"


@pytest.mark.parametrize("url", ["/accounts/session/", "/people/", "/", "/api/v1/regions/"])
def test_the_site_resolves_through_it(url):
    assert get_resolver().resolve(url).url_name
    with pytest.raises(Resolver404):
        get_resolver().resolve(url + "nowhere/x/")
