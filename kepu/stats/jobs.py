"""Background work of the statistics survey (each area declares its jobs and schedules
in its own block)."""

from kepu.core import jobs, schedules  # noqa: F401

# -- entry --


# (keep these blank lines: each area edits its own block)


# -- workflow --


# (keep these blank lines: each area edits its own block)


# -- output --
