"""English mode shows no Chinese of our own (issue 19: "11月" from a hard-coded date
format, "点单人" stored in the request's language): every Chinese character in a template
or in our JavaScript is inside a translation tag or a comment. Vendored libraries and data
files are not ours; Chinese *data* (names, notes) comes from the database, not from here."""

import re
from pathlib import Path

import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]  # kepu/
# (U+3000, the ideographic space, indents and separates; it is not text)
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\u3001-\u303f\uff01-\uff5e]")
TRANSLATED = re.compile(
    r"\{%\s*blocktranslate\b.*?%\}.*?\{%\s*endblocktranslate\s*%\}"
    r"|\{%\s*translate\b.*?%\}"
    r"|\{#.*?#\}"
    r"|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}",
    re.S,
)
JS_COMMENTS = re.compile(r"/\*.*?\*/|(?<![:\"'])//[^\n]*", re.S)


def _ours(pattern):
    for path in sorted(ROOT.rglob(pattern)):
        parts = path.relative_to(ROOT).parts
        if "vendor" in parts or "node_modules" in parts:
            continue
        yield path


def _leftovers(text: str) -> list[str]:
    return [line.strip()[:120] for line in text.splitlines() if CJK.search(line)]


def test_templates_have_no_chinese_outside_translation_tags():
    found = {}
    for path in _ours("templates/**/*.html"):
        rest = _leftovers(TRANSLATED.sub("", path.read_text(encoding="utf-8")))
        if rest:
            found[str(path.relative_to(ROOT))] = rest
    assert found == {}, "Chinese text outside {% translate %}: " + repr(found)


def test_our_javascript_has_no_chinese_text():
    found = {}
    for path in _ours("static/**/*.js"):
        rest = _leftovers(JS_COMMENTS.sub("", path.read_text(encoding="utf-8")))
        if rest:
            found[str(path.relative_to(ROOT))] = rest
    assert found == {}, "Chinese text in JavaScript (pass it from the template): " + repr(found)


@pytest.mark.parametrize(
    "text, leftover",
    [
        ('{{ a.starts_at|date:"n月" }}', True),
        ("{% translate 'e.g. 地震' %}", False),
        ("{% blocktranslate %}到 {{ x }}{% endblocktranslate %}", False),
        ("{# 注释 #}<p>ok</p>", False),
    ],
)
def test_the_check_itself(text, leftover):
    assert bool(_leftovers(TRANSLATED.sub("", text))) is leftover


@pytest.mark.django_db
def test_stored_requester_labels_show_in_the_readers_language():
    from kepu.volunteering.models import OrderEvent

    event = OrderEvent(actor_label="点单人")
    with translation.override("en"):
        assert event.shown_actor_label == "Requester"
    assert OrderEvent(actor_label="锦江区科协").shown_actor_label == "锦江区科协"
