from django.utils.translation import gettext_lazy as _

from kepu.core import navigation as nav  # noqa: F401

BASES = _("Bases and venues")

# Entries are added by each area below once its pages exist.

# -- registry --
nav.add(BASES, _("Base registry"), "bases:base_list", "bases.base.view", "building-community")


# (keep these blank lines: each area edits its own block)


# -- recognition rounds --


# (keep these blank lines: each area edits its own block)


# -- annual reports and evaluation --


# (keep these blank lines: each area edits its own block)


# -- subsidies and census --


# (keep these blank lines: each area edits its own block)


# -- mid-term evaluation and rubrics --
