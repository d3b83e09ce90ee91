from django.utils.translation import gettext_lazy as _  # noqa: F401

from kepu.core import navigation as nav  # noqa: F401

# Each area adds its sidebar entries in its own block below.

# -- entry: the units' returns, the data sets --
nav.add(nav.MY_WORK, _("My statistics returns"), "stats:my_returns", "stats.return.fill",
        "file-spreadsheet")  # fmt: skip
nav.add(nav.STATISTICS, _("Statistics data sets"), "stats:dataset_list", "stats.dataset.view",
        "list-details")  # fmt: skip


# (keep these blank lines: each area edits its own block)


# -- workflow: rounds, units, approvals, completeness --
nav.add(_("Statistics survey"), _("Statistics surveys"), "stats:round_list",
        "stats.surveyround.view", "clipboard-list")  # fmt: skip


# (keep these blank lines: each area edits its own block)


# -- output: aggregates, analysis, exports, open data --
nav.add(nav.STATISTICS, _("Statistics survey aggregates"), "stats:aggregates",
        "stats.aggregate.view", "chart-bar")  # fmt: skip
