"""The item bank's one validation path: reading options and keys typed as text (the form,
the Excel import) and the rules an item's fields must keep (the services enforce them
for every caller: pages, API, import, demo).

- Options are written one per line, "A. …" (the letter and a separator: `.` `．` `、`
  `:` `：` `)` or a space; a line without a letter takes the next one).
- A true-or-false item has no options and its key is T or F.
- A single-choice item of a scored test has exactly one key among its options; in an
  opinion questionnaire it has none (a question such as "did you take part …").
- A multiple-choice item has at least two keys, all among its options.
- A rating scale (Likert) has no key and belongs to an opinion questionnaire.
- A 2016 基准 item names its 基准 (基准1 … 基准26) as its sub-dimension.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from kepu.literacy import choices as c

LETTERS = "ABCDEFGH"
MAX_OPTIONS = len(LETTERS)
OPTION_LINE = re.compile(r"^\s*([A-Ha-h])\s*(?:[.．、:：)）]\s*|\s+)(.+?)\s*$")
BENCHMARK = re.compile(r"^基准([1-9]|1\d|2[0-6])$")
BENCHMARK_INSTRUMENT = "benchmark-2016"
TRUE_WORDS = {"t", "true", "对", "正确", "是", "√", "y", "yes"}
FALSE_WORDS = {"f", "false", "错", "错误", "否", "×", "n", "no"}
KINDS_OF = {
    c.InstrumentKind.SCORED: (c.ItemKind.TRUE_FALSE, c.ItemKind.SINGLE, c.ItemKind.MULTIPLE),
    c.InstrumentKind.OPINION: (c.ItemKind.LIKERT, c.ItemKind.SINGLE),
}


def parse_options(text: str) -> list[dict]:
    """[{"key": "A", "text": "…"}, …] from lines "A. …"; raises ValueError with the
    reason (a repeated letter, too many options)."""
    options, used = [], set()
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        match = OPTION_LINE.match(line)
        if match:
            key, body = match.group(1).upper(), match.group(2)
        else:
            free = [letter for letter in LETTERS if letter not in used]
            if not free:
                raise ValueError(_("At most %(n)d options.") % {"n": MAX_OPTIONS})
            key, body = free[0], line.strip()
        if key in used:
            raise ValueError(_("Option %(key)s appears twice.") % {"key": key})
        used.add(key)
        options.append({"key": key, "text": body})
    return options


def options_text(options) -> str:
    """The options as the form and the Excel file show them (one "A. …" per line)."""
    return "\n".join(f"{o['key']}. {o['text']}" for o in options or [])


def parse_key(text: str, kind: str) -> list[str]:
    """The key as a list: T or F for a true-or-false item (对/错, 正确/错误 accepted), the
    option letters otherwise ("AC", "A,C", "A、C")."""
    raw = (text or "").strip()
    if not raw:
        return []
    if kind == c.ItemKind.TRUE_FALSE:
        word = raw.lower()
        if word in TRUE_WORDS:
            return ["T"]
        if word in FALSE_WORDS:
            return ["F"]
        return [raw]
    letters = re.sub(r"[\s,，、;；/]+", "", raw).upper()
    return sorted(set(letters), key=letters.index) if letters.isalpha() else [raw]


def key_text(key) -> str:
    return "".join(key or [])


def item_errors(fields: dict) -> dict[str, str]:
    """{field: message} for every rule the item's fields break (empty when valid).
    `fields` holds model values: instrument and dimension objects, options and key as
    lists."""
    errors: dict[str, str] = {}
    instrument, dimension = fields.get("instrument"), fields.get("dimension")
    kind = fields.get("kind") or ""
    options = fields.get("options") or []
    key = fields.get("key") or []
    if not isinstance(options, list) or not all(
        isinstance(o, dict) and isinstance(o.get("key"), str) and isinstance(o.get("text"), str)
        for o in options
    ):
        return {"options": _("Options are a list of a letter and a text each.")}
    if not isinstance(key, list) or not all(isinstance(k, str) for k in key):
        return {"key": _("The correct answer is a list of option letters.")}
    if instrument is None:
        errors["instrument"] = _("Choose the test structure.")
    if dimension is None:
        errors["dimension"] = _("Choose the dimension.")
    elif instrument is not None and dimension.instrument_id != instrument.pk:
        errors["dimension"] = _("This dimension belongs to another test structure.")
    if not (fields.get("stem") or "").strip():
        errors["stem"] = _("Write the question.")
    if kind not in c.ItemKind.values:
        errors["kind"] = _("Choose the kind of question.")
        return errors
    if instrument is not None and kind not in KINDS_OF.get(instrument.kind, ()):
        errors["kind"] = (
            _("A scored test has true-or-false, single-choice and multiple-choice questions.")
            if instrument.kind == c.InstrumentKind.SCORED
            else _("A questionnaire has rating scales and single-choice questions without a key.")
        )
        return errors
    scored = instrument is None or instrument.kind == c.InstrumentKind.SCORED
    _check_options(kind, options, errors)
    _check_key(kind, options, key, scored, errors)
    sub_dimension = (fields.get("sub_dimension") or "").strip()
    if (
        instrument is not None
        and instrument.code == BENCHMARK_INSTRUMENT
        and not BENCHMARK.match(sub_dimension)
    ):
        errors["sub_dimension"] = _("Name the 基准 the item tests: 基准1 to 基准26.")
    return errors


def _check_options(kind, options, errors) -> None:
    if kind == c.ItemKind.TRUE_FALSE:
        if options:
            errors["options"] = _("A true-or-false question has no options.")
        return
    if len(options) < 2:
        errors["options"] = _("Give at least two options, one per line (“A. …”).")
    elif len(options) > MAX_OPTIONS:
        errors["options"] = _("At most %(n)d options.") % {"n": MAX_OPTIONS}
    elif any(not str(o.get("text", "")).strip() for o in options):
        errors["options"] = _("Every option needs its text.")
    elif len({o.get("key") for o in options}) != len(options):
        errors["options"] = _("Each option needs its own letter.")
    elif len({str(o["text"]).strip() for o in options}) != len(options):
        errors["options"] = _("Two options have the same text.")
    elif any(o.get("key") not in LETTERS for o in options):
        errors["options"] = _("Options are lettered A to H.")


def _check_key(kind, options, key, scored, errors) -> None:
    letters = {o.get("key") for o in options}
    if kind == c.ItemKind.TRUE_FALSE:
        if key not in (["T"], ["F"]):
            errors["key"] = _("The answer of a true-or-false question is T (true) or F (false).")
    elif kind == c.ItemKind.LIKERT or (kind == c.ItemKind.SINGLE and not scored):
        if key:
            errors["key"] = _("A questionnaire question has no correct answer: leave it empty.")
    elif kind == c.ItemKind.SINGLE:
        if len(key) != 1:
            errors["key"] = _("A single-choice question has exactly one correct option.")
        elif key[0] not in letters and "options" not in errors:
            errors["key"] = _("The answer %(key)s is not one of the options.") % {"key": key[0]}
    elif kind == c.ItemKind.MULTIPLE:
        missing = [k for k in key if k not in letters]
        if len(key) < 2:
            errors["key"] = _("A multiple-choice question has at least two correct options.")
        elif missing and "options" not in errors:
            errors["key"] = _("The answer %(key)s is not one of the options.") % {
                "key": "".join(missing)
            }
        elif len(set(key)) != len(key):
            errors["key"] = _("Each correct option is named once.")
