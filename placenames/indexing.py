"""Search and comparison keys of a place name: toneless pinyin, initials, fuzzy key, fragments.

Pure Python over pypinyin, no Django. ``name_keys(name)`` is the one function that
derives every name-dependent index column of ``PlaceName``; actions call it whenever a
name is written (STYLE.md: no ``save()`` overrides), and search normalises the user's
input with ``query_keys`` so both sides agree.

* ``pinyin``: toneless readings joined without spaces, ü written ``v`` (how people
  type it): 清水县 → ``qingshuixian``, 吕梁 → ``lvliang``.
* ``initials``: first letter of each syllable: ``qsx``.
* ``tones``: readings with tone numbers (``qing1shui3xian4``), to tell a true
  homophone from a tone-only difference.
* ``fuzzy_key``: ``pinyin`` with the confusions of northern and southern speakers
  merged per syllable (zh/z, ch/c, sh/s, n/l initials; ang/an, eng/en, ing/in finals),
  so "near-homophone" becomes an indexed equality (DESIGN.md, measured: trigram
  similarity on pinyin is the slow path).
* ``fragments``: every 1- and 2-character substring. Trigram indexes cannot answer a
  one- or two-character Chinese infix; a GIN index over this array can (DESIGN.md).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from pypinyin import Style, pinyin
from pypinyin.contrib.tone_convert import to_tone3
from pypinyin.seg.simpleseg import seg as _words

from placenames.readings import PINYIN_SYLLABLES

__all__ = ["NameKeys", "fragments", "fuzzy_syllable", "name_keys", "query_keys", "segment_pinyin"]

_HAN = "\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003ffff〇"
_IS_HAN = re.compile(f"[{_HAN}]")
_RUNS = re.compile(f"(?P<han>[{_HAN}]+)|(?P<other>[^{_HAN}]+)")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_SYLLABLES = frozenset(s.replace("ü", "v") for s in PINYIN_SYLLABLES)
_LONGEST_SYLLABLE = max(len(s) for s in _SYLLABLES)
_FUZZY_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("n", "l"))
_FUZZY_FINALS = (("ang", "an"), ("eng", "en"), ("ing", "in"))


@dataclass(frozen=True)
class NameKeys:
    """The derived index columns of one name (see the module docstring)."""

    pinyin: str
    initials: str
    tones: str
    fuzzy_key: str
    fragments: list[str]


def name_keys(name: str) -> NameKeys:
    """Every name-derived key of ``name``; never raises on any string."""
    name = _clean(name)
    syllables: list[str] = []
    toned: list[str] = []
    for piece, tone_piece in _readings(name):
        syllables.append(piece)
        toned.append(tone_piece)
    return NameKeys(
        pinyin="".join(syllables),
        initials="".join(s[0] for s in syllables if s),
        tones="".join(toned),
        fuzzy_key="".join(fuzzy_syllable(s) for s in syllables),
        fragments=fragments(name),
    )


def fragments(name: str) -> list[str]:
    """The distinct 1- and 2-character substrings of ``name``, in order of first use."""
    seen: dict[str, None] = {}
    for i, char in enumerate(name):
        seen.setdefault(char, None)
        if i + 1 < len(name):
            seen.setdefault(name[i : i + 2], None)
    return list(seen)


@lru_cache(maxsize=4096)  # ~1,300 toneless syllables, and the odd Latin piece
def fuzzy_syllable(syllable: str) -> str:
    """One toneless syllable with the usual confusions merged: zhang → zan, ning → lin."""
    for sharp, plain in _FUZZY_INITIALS:
        if syllable.startswith(sharp):
            syllable = plain + syllable[len(sharp) :]
            break
    for back, front in _FUZZY_FINALS:
        if syllable.endswith(back):
            return syllable[: -len(back)] + front
    return syllable


@dataclass(frozen=True)
class QueryKeys:
    """A search query in the forms the index columns use."""

    text: str  # the query as typed, spaces removed (characters search)
    latin: str  # lower-case letters and digits without tones, spaces, apostrophes
    fuzzy_key: str | None  # set when ``latin`` splits into pinyin syllables
    has_han: bool


def query_keys(query: str) -> QueryKeys:
    """Normalise user input: "Qīngshuǐ Xiàn", "qing shui xian", "qing1shui3" → ``qingshuixian``."""
    text = _clean(query)
    latin = _ascii(text.replace("u:", "v"))
    latin = re.sub(r"(?<=[a-z])[1-5]", "", latin)  # tone numbers: qing1shui3
    latin = _NOT_ALNUM.sub("", latin)
    segmented = segment_pinyin(latin) if latin and latin.isalpha() else None
    fuzzy = "".join(fuzzy_syllable(s) for s in segmented) if segmented else None
    return QueryKeys(text=text, latin=latin, fuzzy_key=fuzzy, has_han=bool(_IS_HAN.search(text)))


def segment_pinyin(letters: str) -> list[str] | None:
    """Split toneless pinyin into syllables, fewest syllables first; None if impossible.

    ``xian`` stays one syllable (先), as a typist most often means; the fuzzy key of a
    name uses its real syllables, so 西安 (xi'an) is still found by exact pinyin.
    """
    return _segment(letters)


@lru_cache(maxsize=4096)
def _segment(letters: str) -> list[str] | None:
    n = len(letters)
    best: list[list[str] | None] = [None] * (n + 1)
    best[n] = []
    for start in range(n - 1, -1, -1):
        for end in range(min(n, start + _LONGEST_SYLLABLE), start, -1):
            rest = best[end]
            if rest is not None and letters[start:end] in _SYLLABLES:
                candidate = [letters[start:end], *rest]
                if best[start] is None or len(candidate) < len(best[start]):
                    best[start] = candidate
    return best[0]


def _clean(name: str) -> str:
    """NFKC without whitespace, control, format or surrogate characters."""
    text = "".join(unicodedata.normalize("NFKC", name or "").split())
    return "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf", "Cs"))


@lru_cache(maxsize=4096)
def han_readings(run: str) -> tuple[str, ...]:
    """pypinyin's tone-marked reading of each character of a Han run, the run read as a
    phrase for context; a character it cannot read stands for itself. The romanizer and
    the search keys of a name both start here, so a name is read once (pypinyin is most
    of the cost of spelling a name: the national load spells 660,000).

    pypinyin cuts the run into words (forward maximum matching over its phrase list)
    and reads each word on its own, so the readings of a word are cached: 村民委员会,
    社区, 街道 recur in most names. Equal to ``pinyin(run)`` (the tests compare both over
    the national name list)."""
    return tuple(reading for word in _words(run) for reading in _word_readings(word))


@lru_cache(maxsize=65536)  # words of place names; a few MB
def _word_readings(word: str) -> tuple[str, ...]:
    return tuple(item[0] for item in pinyin(word, style=Style.TONE, errors=lambda chars: list(chars)))


def _readings(name: str):
    """(toneless syllable, syllable with tone number) per Han character; runs of other
    letters and digits are kept lower-case as one piece, everything else is dropped."""
    for run in _RUNS.finditer(name):
        if run.group("han"):
            for reading in han_readings(run.group()):
                plain, toned = _keyed(reading)
                if plain:
                    yield plain, toned
        else:
            piece = _NOT_ALNUM.sub("", _ascii(run.group()))
            if piece:
                yield piece, piece


@lru_cache(maxsize=8192)  # a few thousand tone-marked syllables (and unread characters) in all
def _keyed(reading: str) -> tuple[str, str]:
    """(toneless, tone-numbered) keys of one reading: ``qīng`` → (``qing``, ``qing1``). An
    unread character (itself) leaves nothing after ``_ascii`` and ``_NOT_ALNUM``. Cached:
    pypinyin's tone conversion was a third of the time to spell a name."""
    toned = _NOT_ALNUM.sub("", _ascii(to_tone3(reading, neutral_tone_with_five=True)))
    return toned.rstrip("012345"), toned


def _ascii(text: str) -> str:
    """Lower case without tone marks; ü (also ǚ, ǘ…) written ``v`` as people type it."""
    decomposed = unicodedata.normalize("NFD", text.lower()).replace("u\u0308", "v")
    return "".join(c for c in decomposed if not unicodedata.combining(c))
