"""How an item is shown (as the respondent sees it, with the key marked) and what its
statistics say in plain words (the thresholds of classical test theory: share correct
above 0.9 is too easy, below 0.2 very hard; a corrected point-biserial below 0.2 does not
discriminate, below 0 points to a wrong key; a distractor chosen by under 2 % does not
work)."""

from django.utils.translation import gettext as _

from kepu.literacy import choices as c

TOO_EASY, TOO_HARD = 0.9, 0.2
WEAK, GOOD = 0.2, 0.3
DEAD_DISTRACTOR = 0.02


def shown_options(item) -> list[dict]:
    """[{"key", "text", "correct"}] in the respondent's order (true and false for a
    true-or-false item)."""
    key = set(item.key or [])
    if item.kind == c.ItemKind.TRUE_FALSE:
        options = [{"key": "T", "text": _("True")}, {"key": "F", "text": _("False")}]
    else:
        options = item.options or []
    return [{**o, "correct": o["key"] in key} for o in options]


def reading(stat, item) -> list[tuple[str, str]]:
    """[(level, sentence)] about one run's statistics of `item`; level is a Tabler colour
    (green: fine, yellow: look at it, red: fix it)."""
    out = []
    if not item.is_scored:
        return out
    p, r = stat.p_value, stat.discrimination
    if p is not None:
        if p > TOO_EASY:
            out.append(("yellow", _("Too easy: almost everyone answers it correctly.")))
        elif p < TOO_HARD:
            out.append(
                ("yellow", _("Very hard: few answer it correctly; check the key and the wording."))
            )
        else:
            out.append(("green", _("Difficulty within the useful range.")))
    if r is not None:
        if r < 0:
            out.append(
                ("red", _("Negative discrimination: those who score well overall get it wrong "
                          "more often. Review the key."))
            )  # fmt: skip
        elif r < WEAK:
            out.append(("red", _("Does not discriminate: review the key and the options.")))
        elif r < GOOD:
            out.append(("yellow", _("Discriminates weakly.")))
        else:
            out.append(("green", _("Discriminates well.")))
    key = set(item.key or [])
    dead = [
        k for k, share in (stat.options or {}).items() if k not in key and share < DEAD_DISTRACTOR
    ]
    if dead and item.kind != c.ItemKind.TRUE_FALSE:
        out.append(
            ("yellow", _("Hardly anyone chooses option %(keys)s: replace it with a more "
                         "plausible one.") % {"keys": "、".join(sorted(dead))})
        )  # fmt: skip
    return out
