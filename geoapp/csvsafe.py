"""CSV formula injection: what every CSV writer and the name checks share.

A spreadsheet treats a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return as a formula: ``=HYPERLINK(...)`` or ``=cmd|'/Ccalc'!A0`` in a meaning
field would run when a colleague opens the export in Excel or WPS. Writers prefix such
cells with an apostrophe (OWASP "CSV injection"), which spreadsheets show as text; the
import reverses nothing, so a round trip keeps the apostrophe visible rather than
silently restoring a formula. ``formula_problem`` lets the name checks and the importers
refuse a *name* that starts like a formula outright. Numbers we write ourselves
(``-3.5`` coordinates) are not text from a user and stay as they are.
"""

from __future__ import annotations

import csv
import re

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")


def neutralise(value):
    """The cell as a spreadsheet will show it, never as a formula."""
    if not isinstance(value, str) or not value.startswith(FORMULA_PREFIXES):
        return value
    if _NUMBER.fullmatch(value):
        return value  # a negative number is data, not a formula
    return "'" + value


def formula_problem(text: str) -> str:
    """A Chinese message when ``text`` starts like a spreadsheet formula, else ''."""
    if isinstance(text, str) and text.startswith(FORMULA_PREFIXES) and not _NUMBER.fullmatch(text):
        return f"不能以“{text[0]!r}”开头（电子表格会把它当作公式执行）"
    return ""


class SafeWriter:
    """``csv.writer`` whose every cell is neutralised."""

    def __init__(self, out, **kwargs):
        self._writer = csv.writer(out, **kwargs)

    def writerow(self, row):
        return self._writer.writerow([neutralise(cell) for cell in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


class SafeDictWriter(csv.DictWriter):
    """``csv.DictWriter`` whose every value is neutralised (the header is ours)."""

    def writerow(self, rowdict):
        return super().writerow({key: neutralise(value) for key, value in rowdict.items()})

    def writerows(self, rowdicts):
        for row in rowdicts:
            self.writerow(row)


def writer(out, **kwargs) -> SafeWriter:
    return SafeWriter(out, **kwargs)
