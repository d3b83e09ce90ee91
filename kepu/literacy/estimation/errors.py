"""The one error the estimation engine raises, and the wording of its messages.

The engine imports no Django, so its messages cannot be lazy translations:
`django.utils.translation.gettext_lazy` builds a proxy that needs configured settings the
moment it is turned into text, and jobs, the benchmark and the tests run this package
without them. So each error carries

- `code`: a stable identifier (`"margin_totals"`, `"single_psu"`, ...), one per message;
- `params`: the values the message names (margins, strata, categories), plain data;
- `str(error)`: the message in English, for logs and tracebacks.

The app shows it in the reader's language with `gettext(MESSAGES[error.code]) %
error.params` (`EstimationError.translated(gettext)` does exactly that). The templates below
are marked with `gettext_noop` so that `makemessages` finds them; their Chinese is in
`kepu/literacy/i18n/p-A.json` until the lead merges the catalog.
"""

from __future__ import annotations


def gettext_noop(message: str) -> str:
    """Marks a message for `makemessages` without translating it (Django's own
    `gettext_noop` does the same; this one needs no settings)."""
    return message


MESSAGES = {
    "allocation_too_small": gettext_noop(
        "A sample of %(n)s cannot give every stratum its minimum: the minimums add up to "
        "%(required)s."
    ),
    "allocation_too_large": gettext_noop(
        "A sample of %(n)s is larger than the population of all strata (%(population)s)."
    ),
    "allocation_input": gettext_noop("The allocation input is not valid: %(detail)s."),
    "sample_size_input": gettext_noop("The sample-size input is not valid: %(detail)s."),
    "weights_input": gettext_noop("The weighting input is not valid: %(detail)s."),
    "unknown_strata": gettext_noop(
        "Respondents belong to strata that have no population figure: %(strata)s."
    ),
    "empty_cells": gettext_noop(
        "These non-response adjustment cells have no respondents, so their weight cannot "
        "be carried by anyone: %(cells)s. Collapse them with a neighbouring cell."
    ),
    "margin_totals": gettext_noop("The margins do not add up to the same population: %(totals)s."),
    "margin_empty_category": gettext_noop(
        "Margin %(margin)s, category %(category)s has a population of %(target)s but no respondent."
    ),
    "margin_zero_target": gettext_noop(
        "Margin %(margin)s, category %(category)s has respondents but a population of 0."
    ),
    "single_psu": gettext_noop(
        "These strata have a single primary sampling unit, so their variance cannot be "
        "estimated: %(strata)s. Combine them with another stratum or skip them."
    ),
    "design_input": gettext_noop("The survey design input is not valid: %(detail)s."),
    "too_many_replicate_weights": gettext_noop(
        "A full replicate-weight matrix of %(rows)s rows × %(replicates)s replicates is too "
        "large; estimate from the replicate factors instead."
    ),
    "model_input": gettext_noop("The area model input is not valid: %(detail)s."),
    "scoring_input": gettext_noop("The scoring input is not valid: %(detail)s."),
}


class EstimationError(ValueError):
    """Input the estimation engine refuses: `code` names the rule, `params` the values
    (see the module docstring for how the app translates it)."""

    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        super().__init__(MESSAGES[code] % {k: _text(v) for k, v in params.items()})

    def translated(self, gettext) -> str:
        """The message through `gettext` (the app passes Django's)."""
        return gettext(MESSAGES[self.code]) % {k: _text(v) for k, v in self.params.items()}


def _text(value) -> str:
    if isinstance(value, list | tuple):
        shown = ", ".join(str(v) for v in value[:20])
        return shown + (f" … (+{len(value) - 20})" if len(value) > 20 else "")
    if isinstance(value, dict):
        return ", ".join(f"{k} = {_text(v)}" for k, v in value.items())
    return str(value)
