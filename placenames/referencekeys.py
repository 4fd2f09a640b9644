"""The form of a division name that the naming-law scopes compare, and its reading keys.

Pure Python, no Django: shared by the checks (``placenames.checks``), the audit and the
builder of the national reference list (``data/build_reference_divisions.py``), so all
three compare the same thing. A village or residents' committee is compared by the
seat it is named after (《地名管理条例》第九条第一款第（八）项 speaks of 村民委员会、居民委员会
所在地名称): 山上湾村民委员会, 山上湾村委会 and 山上湾村 all name the seat 山上湾.

Readings (docs/adr/0016): ``tones`` is the tone-numbered reading, syllables separated by
spaces (``qing1 shui3 xian4``); ``pinyin`` the toneless one joined (``qingshuixian``,
what a sign shows); two names are 同音 when their toneless readings are equal.
"""

from __future__ import annotations

from dataclasses import dataclass

from placenames.indexing import fuzzy_syllable, name_keys

COMMITTEE_SUFFIXES = ("村民委员会", "居民委员会", "村委会", "居委会")
SEAT_ENDINGS = ("社区", "村")


def seat_core(name: str) -> str:
    """The seat a village committee is named after, without 村/社区: 山上湾村民委员会,
    山上湾村委会 and 山上湾村 → 山上湾; 张家村村委会 → 张家; 东街社区居委会 → 东街."""
    for suffixes in (COMMITTEE_SUFFIXES, SEAT_ENDINGS):
        for suffix in suffixes:
            if name.endswith(suffix) and len(name) > len(suffix):
                name = name[: -len(suffix)]
                break
    return name


def compare_form(name: str, level_or_kind: str) -> str:
    """What the scope compares: the seat name for villages, the full name otherwise."""
    return seat_core(name) if level_or_kind == "village" else name


@dataclass(frozen=True)
class ReadingKeys:
    tones: str  # "qing1 shui3 xian4"
    pinyin: str  # "qingshuixian"
    fuzzy_key: str  # zh/z, n/l, -ng/-n merged


def reading_keys(name: str) -> ReadingKeys:
    keys = name_keys(name)
    syllables = _split_tones(keys.tones)
    return keys_from_tones(" ".join(syllables))


def keys_from_tones(tones: str) -> ReadingKeys:
    plain = [s.rstrip("012345") for s in tones.split()]
    return ReadingKeys(tones, "".join(plain), "".join(fuzzy_syllable(s) for s in plain))


def _split_tones(joined: str) -> list[str]:
    """``qing1shui3xian4`` → [qing1, shui3, xian4] (a syllable ends at its tone digit)."""
    out, current = [], ""
    for char in joined:
        current += char
        if char.isdigit() and current[:-1].isalpha():
            out.append(current)
            current = ""
    if current:
        out.append(current)
    return out
