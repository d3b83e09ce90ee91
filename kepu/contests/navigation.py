from django.utils.translation import gettext_lazy as _

from kepu.core import navigation as nav  # noqa: F401

CONTESTS = _("Knowledge contests")

# Entries are added by each area below once its pages exist.

# -- contests and rounds --
nav.add(CONTESTS, _("Contests"), "contests:contest_list", "contests.contest.view", "star")


# (keep these blank lines: each area edits its own block)


# -- taking part --


# (keep these blank lines: each area edits its own block)


# -- rankings, prizes, certificates and reports --
