"""The naming-law word lists of ``placenames/lists/`` (see its README), loaded once.

Pure Python, no Django: each list is a frozenset of entries; ``find`` returns the
entries that occur in a name. The files are data a bureau maintains (the leaders'
list above all), so they are read from disk rather than written into code.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

LISTS_DIR = Path(__file__).resolve().parent / "lists"
LIST_NAMES = (
    "leaders", "foreign_places", "enterprise_forms", "brands", "unhealthy", "grandiose", "surnames", "person_hints",
    "given_name_chars", "literary_characters", "pen_names",
)


@cache
def words(list_name: str) -> frozenset[str]:
    """Entries of ``lists/<list_name>.txt``: whitespace-separated, ``#`` starts a comment."""
    if list_name not in LIST_NAMES:
        raise ValueError(f"unknown word list {list_name!r}")
    entries: set[str] = set()
    for line in (LISTS_DIR / f"{list_name}.txt").read_text(encoding="utf-8").splitlines():
        entries.update(line.split("#", 1)[0].split())
    return frozenset(entries)


def find(list_name: str, name: str) -> list[str]:
    """Entries of the list that occur in ``name``, longest first, none inside another.

    An entry written with a trailing "?" (also an everyday word) is returned with it.
    """
    hits = sorted((w for w in words(list_name) if w.rstrip("?") in name), key=lambda w: (-len(w), w))
    kept: list[str] = []
    for hit in hits:
        if not any(hit.rstrip("?") in longer for longer in kept):
            kept.append(hit)
    return kept
