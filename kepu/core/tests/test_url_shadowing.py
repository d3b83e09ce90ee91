"""No URL pattern hides another: every named URL, reversed with sample arguments, resolves
back to itself. (Two apps' pages once shared /contests/: the officers' list answered the
public's address, and the public list could not be reached.)"""

from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, resolve, reverse

SAMPLES = {"int": 7, "str": "abc", "slug": "abc", "uuid": "12345678-1234-5678-1234-567812345678",
           "path": "a/b"}  # fmt: skip


def _patterns(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern.url_patterns, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def test_every_named_url_resolves_to_itself():
    hidden, unchecked = [], []
    for name, pattern in _patterns(get_resolver().url_patterns):
        converters = getattr(pattern.pattern, "converters", {})
        # A regex pattern (the API routers'): its named groups take a number.
        kwargs = {key: "7" for key in pattern.pattern.regex.groupindex}
        for key, converter in converters.items():
            kind = type(converter).__name__.replace("Converter", "").lower()
            kwargs[key] = SAMPLES.get(kind, "abc")
        try:
            url = reverse(name, kwargs=kwargs or None)
        except NoReverseMatch:  # a pattern the samples do not fit: not checked
            unchecked.append(name)
            continue
        match = resolve(url.split("?")[0])
        if match.view_name != name:
            hidden.append(f"{url}: {name} is answered by {match.view_name}")
    assert not hidden, "\n".join(hidden)
    assert len(unchecked) < 10, unchecked
