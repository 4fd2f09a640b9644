"""Jurisdiction scoping: the single mechanism every view, API, export and admin uses.

A user's jurisdiction is a division code. Because the 12-digit statistical code *is*
the hierarchy (DOMAIN.md §2: every unit of 清水县 starts with 620521), "inside the
jurisdiction" means "code starts with the jurisdiction's significant prefix". Models
opt in by using ``JurisdictionQuerySet`` and naming the path to a division code in
``jurisdiction_field``.
"""

from __future__ import annotations

from functools import lru_cache

from django.db import models

# Segment lengths of the 12-digit code: province, prefecture, county, township, village.
SEGMENTS = (2, 2, 2, 3, 3)
CODE_LENGTH = sum(SEGMENTS)


def normalise_code(code: str) -> str:
    """Pad a 2/4/6/9/12-digit code to 12 digits (620521 → 620521000000)."""
    code = (code or "").strip()
    if not code.isdigit() or len(code) not in (2, 4, 6, 9, 12):
        raise ValueError(f"“{code}”不是有效的区划代码（应为 2、4、6、9 或 12 位数字）")
    return code.ljust(CODE_LENGTH, "0")


@lru_cache(maxsize=65_536)  # pure; a province's gap analysis asks it ~13,000 times
def code_prefix(code: str) -> str:
    """The significant prefix of a code: 620521000000 → '620521'; 620521100000 → '620521100'."""
    code = normalise_code(code)
    end = 0
    kept = 0
    for length in SEGMENTS:
        segment = code[end : end + length]
        end += length
        if set(segment) != {"0"}:
            kept = end
    return code[:kept]


def is_within(code: str, jurisdiction_code: str) -> bool:
    """True when ``code`` lies inside (or is) the division ``jurisdiction_code``."""
    return normalise_code(code).startswith(code_prefix(jurisdiction_code))


class JurisdictionQuerySet(models.QuerySet):
    """QuerySet whose rows belong to a division, filterable by the user's jurisdiction."""

    jurisdiction_field = "code"

    def within(self, code: str):
        """Rows inside the division ``code`` (its whole code-prefix subtree)."""
        return self.filter(**{f"{self.jurisdiction_field}__startswith": code_prefix(code)})

    def for_user(self, user):
        """Rows the user may see and act on: their jurisdiction, everything for superusers."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        if not user.jurisdiction_code:
            return self.none()
        return self.within(user.jurisdiction_code)
