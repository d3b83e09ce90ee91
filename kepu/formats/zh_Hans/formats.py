"""Number formats for Chinese pages: Django's zh_Hans, but with the comma every three
digits (12,345) that government statistics print; Django's own has no thousands separator,
so `intcomma` and localized numbers showed 12345 (issue 19, point 7)."""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
