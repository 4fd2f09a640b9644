"""Write a name onto a ``PlaceName``: the split, romanization and every search key.

One function, ``set_name``, derives all name-dependent fields (romanization through
``placenames.romanization`` with its review list, keys through
``placenames.indexing.name_keys``); a reading an officer confirmed is kept. Actions,
the demo loader and importers call it before saving; nothing recomputes names in
``save()`` (STYLE.md).
"""

from __future__ import annotations

import unicodedata
from dataclasses import asdict

from placenames.indexing import name_keys
from placenames.romanization import romanize

NAME_FIELDS = (
    "standard_name", "specific", "generic", "romanization", "sign_text", "pinyin", "initials", "fuzzy_key", "fragments",
    "reading_review",
)


def clean_name(name: str) -> str:
    """The name as stored: NFKC, no whitespace anywhere (地名 are written without spaces),
    no control, format or surrogate characters (PostgreSQL refuses NUL and surrogates)."""
    text = "".join(unicodedata.normalize("NFKC", name or "").split())
    return "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf", "Cs"))


def set_name(place, name: str, *, category: str | None = None, region: str | None = None) -> None:
    """Set ``place.standard_name`` and every field derived from it (not saved).

    ``category`` defaults to the place's own; ``region`` (a division code) selects
    regional readings. A name the romanizer cannot read keeps an empty romanization,
    which the quality audit then reports.
    """
    name = clean_name(name)
    # An officer's confirmed reading wins over the engine for as long as the name stands;
    # a new name needs a new confirmation (placenames.actions.confirm_reading).
    keep_confirmed = bool(getattr(place, "reading_confirmed", False)) and place.standard_name == name
    place.standard_name = name
    category = category or place.category or None
    try:
        result = romanize(name, category=category, region=region)
    except ValueError:
        place.specific, place.generic = name, ""
        if not keep_confirmed:
            place.romanization, place.sign_text = "", ""
        place.reading_review = []
    else:
        place.specific, place.generic = result.specific, result.generic
        if not keep_confirmed:
            place.romanization, place.sign_text = result.romanization, result.sign_text
        # JSON-shaped (lists, not tuples) so that a reload compares equal to what is stored.
        place.reading_review = [{**asdict(review), "readings": list(review.readings)} for review in result.review]
    if not keep_confirmed:
        place.reading_confirmed = False
    keys = name_keys(name)
    place.pinyin, place.initials, place.fuzzy_key, place.fragments = (
        keys.pinyin, keys.initials, keys.fuzzy_key, keys.fragments,
    )
