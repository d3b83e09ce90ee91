"""What awaits the signed-in user in the statistics survey (core.workbench providers;
each area adds its own in its block)."""

from kepu.core import workbench  # noqa: F401

# -- entry --


# (keep these blank lines: each area edits its own block)


# -- workflow --


# (keep these blank lines: each area edits its own block)
