from django.utils.translation import gettext_lazy as _  # noqa: F401

from kepu.core import navigation as nav  # noqa: F401

# Each area adds its sidebar entries in its own block below.

# -- entry: the units' returns, the data sets --


# (keep these blank lines: each area edits its own block)


# -- workflow: rounds, units, approvals, completeness --


# (keep these blank lines: each area edits its own block)


# -- output: aggregates, analysis, exports, open data --
nav.add(nav.STATISTICS, _("Statistics survey aggregates"), "stats:aggregates",
        "stats.aggregate.view", "chart-bar")  # fmt: skip
