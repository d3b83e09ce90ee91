"""CSV files that a spreadsheet opens as data, never as formulas (CSV injection).

Excel, WPS and LibreOffice run a CSV cell that starts with `=`, `+`, `-` or `@` as a
formula (`=HYPERLINK(...)` sends the reader to a site of the author's choosing; DDE
formulas start programs), and a leading tab or carriage return can hide such a prefix.
Every CSV the platform writes goes through `writer()`, which prefixes such a text cell with
a single quote, as OWASP recommends: the spreadsheet shows the text, the quote marks it as
text. Numbers stay numbers (a negative number is not text and is written as it is).

Workbooks (.xlsx) need no escaping: `core.excel.Writer` writes every text as a string
cell, which no spreadsheet evaluates.
"""

from __future__ import annotations

import csv

# The first characters that make a spreadsheet read a cell as a formula (OWASP).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """`value` as a CSV cell: text starting with a formula prefix gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class SafeWriter:
    """`csv.writer` whose rows are escaped cell by cell (the same `writerow` contract:
    it returns what the underlying file's `write` returned)."""

    def __init__(self, handle, **kwargs):
        self._writer = csv.writer(handle, **kwargs)

    def writerow(self, row):
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def writer(handle, **kwargs) -> SafeWriter:
    """The CSV writer of the platform: `csv.writer(handle, **kwargs)`, formulas escaped."""
    return SafeWriter(handle, **kwargs)
