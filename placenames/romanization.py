"""Romanization (罗马字母拼写) of Chinese place names, by the national rules.

Implements 《中国地名汉语拼音字母拼写规则（汉语地名部分）》(1984) together with
GB/T 16159-2012 (汉语拼音正词法) and the generic-term spellings of GB/T 38207-2019;
the numbered rules of DOMAIN.md §5 are cited as "rule N" in the comments. Pure Python
over pypinyin, no Django: ``romanize("景山后街")`` gives "Jǐngshān Hòujiē" for the
database and "Jingshan Houjie" for signs, the Chinese split into specific (专名) and
generic (通名), the GB/T 18521 class, and a review list of characters whose
place-name reading must be confirmed by a person (rule 8: never guessed silently).
``syllables`` and ``hyphenate`` break written forms between syllables (rule 13).

How a name is read, in order:

1. An override for the whole name (per region if needed) is taken as written.
2. The generic is the longest generic term at the end (rule 1); its class is the
   name's class unless the caller gives one. Natural villages and towns
   (``settlement``) are then written as one word (rule 3).
3. Up to two one-syllable modifiers before a one-syllable generic join the generic
   (rules 2, 14): 景山后街 Jǐngshān Hòujiē. Division and committee names keep them.
4. In street names a numeral right before the street generic is an ordinal written
   in Arabic numerals (rule 7), see ``_find_ordinal``; every other numeral is spelled
   (rule 6).
5. Nationality names stand apart (广西壮族自治区 Guǎngxī Zhuàngzú Zìzhìqū); what is
   left is the specific, written as one word (rules 1, 4, 5), through an override
   if one exists (rule 8, minority-language forms), with a leading 第N and a
   trailing generic of two or more syllables apart (包头胡同东巷 Bāotóu Hútòng
   Dōngxiàng).

Decisions a reader may question:

* Ordinal or name (rules 6, 7)? Only in street names (class ``transport``), only
  right before 路/街/大街/巷/弄/条/胡同 (or 马路, 环路), and only a well-formed number
  (十二, 四十二): 二马路 2 Mǎlù, 经五路 Jīng 5 Lù. Bare digit strings are dates or
  codes used as names and are spelled: 三八路 Sānbā Lù, 五一广场 Wǔyī Guǎngchǎng.
  Outside streets 第N is spelled and stands apart (第二松花江 Dì'èr Sōnghuā Jiāng).
* Committees: the specific of 村委会/居委会 is the village or community name, one
  word like any specific: 张家村村委会 Zhāngjiācūn Cūnwěihuì; 社区居委会 is one
  generic term, so 幸福社区居委会 is Xìngfú Shèqū Jūwěihuì.
* A bare name whose ending looks like a generic is split (泰山 Tài Shān) unless an
  override says otherwise (上海 Shànghǎi) or the caller's class rules the ending out
  (上海 as ``division``).
* Sign text drops tone marks only: ü and ê are letters (Lüliang, Xigazê).
* At a line break the apostrophe of the next syllable is dropped (Xī-/ān): the
  hyphen already marks the boundary.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field
from functools import cache
from itertools import pairwise

from placenames.generic_terms import (
    CATEGORIES,
    DIVISION_INNER_GENERICS,
    ETHNIC_GROUPS,
    GENERIC_TERMS,
    MODIFIERS,
    ORDINAL_GENERICS,
    ORDINAL_LINKS,
    RESIDENTIAL_AREAS,
    RULE14_CLASSES,
    RULE14_FACILITY_ENDINGS,
    TWO_SYLLABLE_DIRECTIONS,
    GenericTerm,
)
from placenames.indexing import han_readings
from placenames.readings import (
    FULL_ER_WORDS,
    OVERRIDES,
    PINYIN_SYLLABLES,
    PLACE_DEFAULTS,
    PLACE_READINGS,
    PLACE_READINGS_SOURCE,
    POLYPHONES,
    WORD_READINGS,
    Override,
)

__all__ = ["CATEGORIES", "Review", "Romanization", "hyphenate", "romanize", "strip_tones", "syllables"]

# Tone marks (macron, acute, caron, grave). The diaeresis of ü and the circumflex of
# ê are letters, not tones: they stay in sign text (rule 9: Lǚliáng → "Lüliang").
_TONE_MARKS = frozenset("\u0304\u0301\u030c\u0300")
_NO_TONE_MARKS = dict.fromkeys(map(ord, _TONE_MARKS))  # str.translate: delete them
_NUMERAL_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUMERAL_UNITS = {"十": 10, "百": 100, "千": 1000}
_ER_FOLLOWERS = frozenset("童子女孙")  # 儿童, 儿子...: 儿 is the full syllable ér.
_HAN = "\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003ffff〇"
_HAN_CHAR = re.compile(f"[{_HAN}]")
_RUN = re.compile(f"(?P<han>[{_HAN}]+)|(?P<latin>[0-9A-Za-z]+)")
_OVERRIDES_BY_NAME: dict[str, list[Override]] = {}
for _override in OVERRIDES:
    _OVERRIDES_BY_NAME.setdefault(_override.name, []).append(_override)

Word = list[str]
"""A written word as its pieces: lower-case pinyin syllables, or literal text
(Arabic numerals, "Dì-9", minority-language forms) kept as given."""


@dataclass(frozen=True)
class Review:
    """A character whose reading a person must confirm (rule 8)."""

    char: str
    position: int
    readings: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class Romanization:
    """The romanization of one name: tone-marked, toneless, the split and the review."""

    romanization: str
    sign_text: str
    specific: str
    generic: str
    category: str | None
    review: list[Review] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # published readings used (rule 8)

    @property
    def needs_review(self) -> bool:
        return bool(self.review)

    def as_dict(self) -> dict:
        """The JSON shape of the romanize command and API (romanization, sign_text, review first)."""
        return {
            "romanization": self.romanization,
            "sign_text": self.sign_text,
            "review": [asdict(review) for review in self.review],
            "specific": self.specific,
            "generic": self.generic,
            "category": self.category,
        }


def romanize(name: str, *, category: str | None = None, region: str | None = None) -> Romanization:
    """Romanize a place name; ``region`` (名称 or division code) selects regional readings."""
    if category is not None and category not in CATEGORIES:
        raise ValueError(f"unknown category {category!r}; expected one of: {', '.join(CATEGORIES)}")
    name = "".join(unicodedata.normalize("NFKC", name).split())
    if not name:
        raise ValueError("empty place name")
    generic = _find_generic(name, category)
    override = _find_override(name, region)
    if override is not None and generic is not None and _is_proper_ending(override, generic, category):
        generic = None
    category = category or (generic.category if generic else None)
    if override is not None:
        # Rule 8: an override for the whole name is the answer, written as given.
        text = " ".join(override.romanization.split())
        specific_end = len(name) - (len(generic.chinese) if generic else 0)
        reviews: list[Review] = []
        sources: list[str] = []
    else:
        reading = _Reading(name, region)
        words, specific_end = _compose(reading, generic, category)
        # A word may come out empty (a control character as the whole specific).
        text = " ".join(_write(word) for word in words if word)
        reviews = reading.reviews()
        sources = reading.sources
    if not text:
        raise ValueError(f"nothing to romanize in {name!r}")
    return Romanization(
        romanization=text,
        sign_text=strip_tones(text),
        specific=name[:specific_end],
        generic=name[specific_end:],
        category=category,
        review=reviews,
        sources=sources,
    )


def strip_tones(text: str) -> str:
    """Remove tone marks only: ü and ê keep their marks (rule 9)."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", text).translate(_NO_TONE_MARKS))


def syllables(word: str) -> list[str]:
    """Split one written word into pieces that join back to it, a break allowed
    between any two (rule 13): "Xī'ān" → ["Xī", "'ān"], "Dì-9" → ["Dì-", "9"].
    A word that is not pinyin (Ürümqi, 1203) is one piece."""
    pieces: list[str] = []
    for part in filter(None, re.split(r"(?<=-)|(?=')", word)):
        mark = "'" if part.startswith("'") else ""
        hyphen = "-" if part.endswith("-") else ""
        body = part[len(mark) : len(part) - len(hyphen)]
        bounds = _syllable_bounds(body)
        if bounds is None:
            pieces.append(part)
            continue
        cuts = [body[a:b] for a, b in pairwise((0, *bounds))]
        cuts[0] = mark + cuts[0]
        cuts[-1] += hyphen
        pieces.extend(cuts)
    return pieces


def hyphenate(romanization: str, width: int) -> list[str]:
    """Lines of at most ``width`` characters, breaking words only between syllables
    and marking the break with a hyphen (rule 13): "Hǎinán Dǎo", 4 → Hǎi- / nán / Dǎo.

    The apostrophe of a syllable that starts a new line is dropped: the line break
    already shows the syllable boundary. A piece longer than ``width`` overflows.
    """
    if width < 1:
        raise ValueError("width must be positive")
    lines: list[str] = []
    current = ""
    for word in romanization.split():
        pieces = syllables(word)
        while pieces:
            sep = " " if current else ""
            room = width - len(current) - len(sep)
            if len("".join(pieces)) <= room:
                current += sep + "".join(pieces)
                break
            k = _longest_fitting_head(pieces, room)
            if k == 0 and current:
                lines.append(current)  # try the word again on a fresh line
                current = ""
                continue
            if k == 0 and len(pieces) == 1:
                current = pieces[0]  # unbreakable and too long: overflow
                break
            k = k or 1  # not even one syllable fits an empty line: overflow by one
            lines.append(current + sep + _with_hyphen("".join(pieces[:k])))
            current = ""
            pieces = [pieces[k].lstrip("'"), *pieces[k + 1 :]]
    if current:
        lines.append(current)
    return lines


def _longest_fitting_head(pieces: list[str], room: int) -> int:
    for k in range(len(pieces) - 1, 0, -1):
        if len(_with_hyphen("".join(pieces[:k]))) <= room:
            return k
    return 0


def _with_hyphen(head: str) -> str:
    return head if head.endswith("-") else head + "-"


# --- reading the characters -------------------------------------------------------


class _Reading:
    """Per-character syllables of one name and which of them are settled (rule 8)."""

    def __init__(self, name: str, region: str | None) -> None:
        self.name = name
        self.region = region
        self.syllables = _pypinyin_readings(name)
        self.settled = [not _is_han(c) for c in name]
        self.word_ends: dict[int, int] = {}
        self.sources: list[str] = []
        for i, char in enumerate(name):
            # A character read one way in every division name that has it (都 dū, 藏 zàng).
            if char in PLACE_DEFAULTS:
                self.syllables[i] = PLACE_DEFAULTS[char]
        self._settle_words()

    def settle(self, start: int, syllables_: list[str]) -> None:
        for i, syllable in enumerate(syllables_):
            self.syllables[start + i] = syllable
            self.settled[start + i] = True

    def settle_range(self, start: int, end: int) -> None:
        for i in range(start, end):
            self.settled[i] = True

    def in_word(self, position: int) -> bool:
        """Whether ``position`` lies inside (not at the start of) a settled word."""
        return any(start < position < end for start, end in self.word_ends.items())

    def word(self, start: int, end: int) -> Word:
        """The Han characters in [start, end) as one word, 儿 as "r" (rule 12)."""
        pieces: Word = []
        for i in range(start, end):
            if self.name[i] == "儿" and pieces and self._is_erhua(i):
                pieces[-1] += "r"
            else:
                pieces.append(self.syllables[i])
        return pieces

    def reviews(self) -> list[Review]:
        found = []
        for i, char in enumerate(self.name):
            if self.settled[i]:
                continue
            if char in POLYPHONES:
                found.append(_polyphone_review(char, i, self.syllables[i]))
            elif self.syllables[i] == char:
                found.append(Review(char, i, (), f"字库中没有“{char}”的读音，须人工注音"))
        return found

    def _is_erhua(self, i: int) -> bool:
        # Rule 12: 儿 written after a syllable is "r" (盆儿胡同 Pénr Hútòng), except
        # where it means "child" (幼儿, 儿童).
        previous, following = self.name[i - 1 : i + 1], self.name[i + 1 : i + 2]
        return previous != "儿儿" and previous not in FULL_ER_WORDS and following not in _ER_FOLLOWERS

    def _settle_words(self) -> None:
        i = 0
        while i < len(self.name):
            # Past the start only WORD_READINGS can match: no longer word is looked up.
            for length in range(min(12 if i == 0 else _LONGEST_WORD, len(self.name) - i), 1, -1):
                word = self.name[i : i + length]
                spelled = WORD_READINGS.get(word)
                if not spelled and i == 0 and (spelled := PLACE_READINGS.get(word)):
                    # A published reading of a division name (rule 8: place readings win),
                    # at the start of the name only: 路南 is a county, not 解放路南小街's middle.
                    self.sources.append(f"{word}：{PLACE_READINGS_SOURCE}")
                if spelled:
                    self.settle(i, spelled.split())
                    self.word_ends[i] = i + length
                    i += length
                    break
            else:
                i += 1


_LONGEST_WORD = max(map(len, WORD_READINGS), default=2)


def _pypinyin_readings(name: str) -> list[str]:
    """pypinyin's reading per character, each Han run read as a phrase for context."""
    readings = list(name)
    for run in re.finditer(f"[{_HAN}]+", name):
        items = han_readings(run.group())
        if len(items) == len(run.group()):
            readings[run.start() : run.end()] = items
    return readings


def _is_han(char: str) -> bool:
    return _HAN_CHAR.fullmatch(char) is not None


def _polyphone_review(char: str, position: int, used: str) -> Review:
    entry = POLYPHONES[char]
    readings = "/".join(entry.readings)
    reason = (f"“{char}”是地名多音字，可读 {readings}（如 {entry.examples}；据{entry.source}），"
              f"暂按 {used} 拼写，须按当地读音核定")
    return Review(char, position, entry.readings, reason)


# --- splitting the name -----------------------------------------------------------


def _find_generic(name: str, category: str | None) -> GenericTerm | None:
    """The longest generic term at the end of ``name``, leaving a specific (rule 1).

    A division or committee name whose ending is some other class's generic has no
    generic of its own: that ending is part of the proper name (rule 4: 上海 as a
    division is Shànghǎi; 张家村 as a committee is Zhāngjiācūn).
    """
    for length in range(len(name) - 1, 0, -1):
        term = GENERIC_TERMS.get(name[-length:])
        if term is None:
            continue
        if category in ("division", "committee") and term.category != category:
            return None
        return term
    return None


def _is_proper_ending(override: Override, generic: GenericTerm, category: str | None) -> bool:
    """Whether an overridden name written as one word ends in a generic that is part of
    the proper name (rule 4: 上海 Shànghǎi, not a sea). Settlements are one word
    anyway (rule 3), so their generic stays a generic (十里堡 Shílǐpù)."""
    one_word = len(override.romanization.split()) == 1
    return one_word and (category or generic.category) != "settlement"


def _find_override(text: str, region: str | None) -> Override | None:
    """The override for ``text``: one for the caller's region first, else a general one."""
    candidates = _OVERRIDES_BY_NAME.get(text, [])
    regional = [o for o in candidates if o.regions and _region_matches(o.regions, region)]
    general = [o for o in candidates if not o.regions]
    return (regional or general or [None])[0]


def _region_matches(regions: tuple[str, ...], region: str | None) -> bool:
    if not region:
        return False
    if region.isdigit():
        return any(code.isdigit() and region.startswith(code) for code in regions)
    return any(not place.isdigit() and place in region for place in regions)


def _compose(reading: _Reading, generic: GenericTerm | None, category: str | None) -> tuple[list[Word], int]:
    """The words of a name without a whole-name override, and where its specific ends."""
    name = reading.name
    end = len(name) - (len(generic.chinese) if generic else 0)
    if generic is not None:
        _settle_generic(reading, end, generic)
    if category == "settlement" and (generic is None or generic.chinese not in RESIDENTIAL_AREAS):
        # Rule 3: natural villages and towns are one word (王村 Wángcūn, 大虎山 Dàhǔshān).
        return [[*_one_word(_specific_words(reading, 0, end)), *reading.word(end, len(name))]], end
    if generic is None:
        return _specific_words(reading, 0, end), end
    ordinal = _find_ordinal(reading, end, generic) if category == "transport" else None
    if ordinal is not None:
        return ordinal
    n_mod = 0 if category in ("division", "committee") else _modifier_count(reading, end, generic)
    body_end = end - n_mod
    ethnic_start, ethnic_words = _ethnic_words(reading, body_end)
    if category in RULE14_CLASSES or generic.chinese.endswith(RULE14_FACILITY_ENDINGS):
        specific = _rule14_words(reading, 0, ethnic_start)
    elif category == "transport":
        specific = _direction_words(reading, 0, ethnic_start)
    else:
        specific = _specific_words(reading, 0, ethnic_start)
    words = [*specific, *ethnic_words, *_generic_words(reading, body_end, end, generic)]
    return words, body_end


def _rule14_words(reading: _Reading, start: int, end: int) -> list[Word]:
    """Rule 14: a division name inside an organisation's or building's specific is written
    apart with its generic: 天水市测绘局 Tiānshuǐ Shì Cèhuìjú, 清水县人民医院 Qīngshuǐ Xiàn Rénmín Yīyuàn."""
    text = reading.name[start:end]
    for position in range(2, len(text)):
        for inner, spelling in DIVISION_INNER_GENERICS.items():
            if text.startswith(inner, position) and (position + len(inner) == len(text) or len(text) - position - len(inner) >= 2):
                cut = start + position
                after = cut + len(inner)
                reading.settle(cut, [piece.lower() for piece in _data_pieces(spelling)])
                words = [*_specific_words(reading, start, cut), _data_pieces(spelling)]
                if after < end:
                    words += _specific_words(reading, after, end)
                return words
    return _specific_words(reading, start, end)


def _direction_words(reading: _Reading, start: int, end: int) -> list[Word]:
    """Rule 2: a two-syllable modifier (西北, 东南…) stands apart: 西北滨河路 Xīběi Bīnhé Lù."""
    head = reading.name[start : start + 2]
    if head in TWO_SYLLABLE_DIRECTIONS and end - start - 2 >= 2:
        return [reading.word(start, start + 2), *_specific_words(reading, start + 2, end)]
    return _specific_words(reading, start, end)


def _settle_generic(reading: _Reading, start: int, generic: GenericTerm) -> None:
    # GB/T 38207: a generic has one spelling; 堡 and the like have none and stay open.
    if generic.spelling:
        reading.settle(start, [s for word in generic.spelling.split() for s in _data_pieces(word)])


def _generic_words(reading: _Reading, start: int, generic_start: int, generic: GenericTerm) -> list[Word]:
    """The generic as written, the modifiers in [start, generic_start) joined to its
    first word (rules 2, 14: 后 + 街 = Hòujiē)."""
    if generic.spelling:
        words = [_data_pieces(word) for word in generic.spelling.split()]
    else:
        words = [reading.word(generic_start, generic_start + len(generic.chinese))]
    modifiers = reading.name[start:generic_start]
    reading.settle(start, [MODIFIERS[char] for char in modifiers])
    words[0] = [MODIFIERS[char] for char in modifiers] + words[0]
    return words


def _modifier_count(reading: _Reading, end: int, generic: GenericTerm) -> int:
    """How many one-syllable modifiers before a one-syllable generic join it (rule 2).

    A modifier is taken when at least two characters of specific remain (造币左路
    Zàobì Zuǒlù, but 山东路 Shāndōng Lù); the first may also leave a lone modifier
    (南小街 Nán Xiǎojiē). At most two are taken (东直门外南后街 Dōngzhíménwài Nánhòujiē).
    """
    if len(generic.chinese) != 1 or _find_override(reading.name[:end], reading.region):
        return 0
    count = 0
    while count < 2:
        position = end - count - 1
        left = reading.name[:position]
        if position < 1 or reading.name[position] not in MODIFIERS or reading.in_word(position):
            break
        if not (len(left) >= 2 or (count == 0 and left in MODIFIERS)):
            break
        count += 1
    return count


def _ethnic_words(reading: _Reading, end: int) -> tuple[int, list[Word]]:
    """Nationality names at the end of the specific, each written apart."""
    words: list[Word] = []
    while True:
        for length in range(min(6, end - 1), 1, -1):
            spelled = ETHNIC_GROUPS.get(reading.name[end - length : end])
            if spelled:
                words.insert(0, _data_pieces(spelled))
                reading.settle_range(end - length, end)
                end -= length
                break
        else:
            return end, words


def _specific_words(reading: _Reading, start: int, end: int) -> list[Word]:
    """The specific, one word (rules 1, 4, 5), through an override if there is one
    (rule 8). A leading 第N stands apart as a two-syllable modifier (rule 2:
    第二松花江 Dì'èr Sōnghuā Jiāng), and so does a generic of two or more syllables
    at its end (工人体育场北路 Gōngrén Tǐyùchǎng Běilù)."""
    text = reading.name[start:end]
    override = _find_override(text, reading.region)
    if override is not None:
        return _override_words(reading, start, end, override)
    numeral_end = _numeral_run_end(text, 1) if text.startswith("第") else 0
    if 1 < numeral_end < len(text) and _parse_numeral(text[1:numeral_end]) is not None:
        return [reading.word(start, start + numeral_end), *_specific_words(reading, start + numeral_end, end)]
    inner = _find_generic(text, None)
    if inner is not None and len(inner.chinese) >= 2 and len(text) - len(inner.chinese) >= 2:
        # Rule 4 with rule 2: a generic inside the specific belongs to it, but one of
        # two or more syllables stands apart (包头胡同东巷 Bāotóu Hútòng Dōngxiàng).
        inner_start = end - len(inner.chinese)
        _settle_generic(reading, inner_start, inner)
        return [
            *_specific_words(reading, start, inner_start),
            *_generic_words(reading, inner_start, inner_start, inner),
        ]
    return _run_words(reading, start, end)


def _one_word(words: list[Word]) -> Word:
    return [piece for word in words for piece in word]


def _override_words(reading: _Reading, start: int, end: int, override: Override) -> list[Word]:
    reading.settle_range(start, end)
    parts = override.romanization.split()
    pinyin_parts = [_pinyin_pieces(part) for part in parts]
    if all(pieces is not None for pieces in pinyin_parts):
        return [_one_word(pinyin_parts)]  # a pinyin specific is one word (rule 4)
    return [[part] for part in parts]  # a minority-language form, as written


def _run_words(reading: _Reading, start: int, end: int) -> list[Word]:
    """Han characters as one word; Arabic numerals and Latin letters as words of their
    own (rule 7: 1203高地 1203 Gāodì); other symbols only separate."""
    words: list[Word] = []
    for match in _RUN.finditer(reading.name, start, end):
        if match.group("latin"):
            words.append([match.group()])
        else:
            words.append(reading.word(match.start(), match.end()))
    return words


# --- numerals (rules 6, 7) ----------------------------------------------------------


def _find_ordinal(reading: _Reading, end: int, generic: GenericTerm) -> tuple[list[Word], int] | None:
    """A street name with an ordinal, written in Arabic numerals (rule 7), and where
    its specific ends; None if the name has no ordinal.

    The numeral must stand right before the generic (经五路 Jīng 5 Lù, 大川淀一巷
    Dàchuāndiàn 1 Xiàng, 第九弄 Dì-9 Lòng) or before 马/环 + 路 (二马路 2 Mǎlù, 三环路
    3 Huánlù), and be a well-formed number: 三八路 and 五一路 are names made of bare
    digits (dates), spelled by rule 6 (Sānbā Lù). A numeral inside a listed place word
    does not belong to the ordinal (东四十二条 Dōngsì 12 Tiáo).
    """
    if generic.chinese not in ORDINAL_GENERICS:
        return None
    name = reading.name
    link = end - 1 if generic.chinese == "路" and end >= 2 and name[end - 1] in ORDINAL_LINKS else end
    start = link
    while start > 0 and _is_numeral(name[start - 1]) and not reading.in_word(start - 1):
        start -= 1
    value = _parse_numeral(name[start:link]) if start < link else None
    if value is None:
        return None
    has_di = start > 0 and name[start - 1] == "第"
    prefix_end = start - 1 if has_di else start
    reading.settle_range(prefix_end, link)
    number = f"Dì-{value}" if has_di else str(value)
    generic_word = reading.word(link, end) + _data_pieces(generic.spelling)
    return [*_ordinal_prefix_words(reading, prefix_end), [number], generic_word], link


def _ordinal_prefix_words(reading: _Reading, end: int) -> list[Word]:
    """The part before an ordinal; a street name itself is split as one
    (天宁寺西里一巷 Tiānníngsì Xīlǐ 1 Xiàng)."""
    if end == 0:
        return []
    generic = _find_generic(reading.name[:end], None)
    if generic is None or generic.category != "transport":
        return _specific_words(reading, 0, end)
    inner_end = end - len(generic.chinese)
    _settle_generic(reading, inner_end, generic)
    n_mod = _modifier_count(reading, inner_end, generic)
    return [
        *_specific_words(reading, 0, inner_end - n_mod),
        *_generic_words(reading, inner_end - n_mod, inner_end, generic),
    ]


def _is_numeral(char: str) -> bool:
    return char in _NUMERAL_DIGITS or char in _NUMERAL_UNITS


def _numeral_run_end(text: str, start: int) -> int:
    end = start
    while end < len(text) and _is_numeral(text[end]):
        end += 1
    return end


def _parse_numeral(text: str) -> int | None:
    """The value of a well-formed Chinese number (十二, 四十二, 一百零五), else None.

    Strings of bare digits (三八, 五一, 一七八) are not numbers but names or codes."""
    total, pending, last_unit, zero = 0, None, 10_000, False
    for char in text:
        if char in _NUMERAL_DIGITS:
            digit = _NUMERAL_DIGITS[char]
            if pending is not None or (digit == 0 and (zero or total == 0)):
                return None
            if digit == 0:
                zero = True
            else:
                pending = digit
            continue
        unit = _NUMERAL_UNITS[char]
        if unit >= last_unit or (pending is None and (unit != 10 or total or zero)):
            return None
        total += (pending or 1) * unit
        pending, last_unit, zero = None, unit, False
    if pending is not None:
        if last_unit not in (10, 10_000) and not zero:
            return None  # 一百五 is colloquial shorthand, not an ordinal
        total += pending
    elif zero:
        return None
    return total or None


# --- writing ---------------------------------------------------------------------


def _write(word: Word) -> str:
    """Pieces joined with an apostrophe before a non-first syllable starting with
    a, o or e (rule 11), the first letter capitalised (rule 10)."""
    text = word[0]
    for piece in word[1:]:
        if strip_tones(piece[:1]).lower() in ("a", "o", "e"):
            text += "'"
        text += piece
    return text[:1].upper() + text[1:]


def _data_pieces(written: str) -> Word:
    """Syllables of a written pinyin word from the data tables ("Jiēdào" → jiē, dào)."""
    pieces = _pinyin_pieces(written)
    if pieces is None:
        raise ValueError(f"not a pinyin word: {written!r}")
    return pieces


def _pinyin_pieces(written: str) -> Word | None:
    """Lower-case syllables of a written pinyin word ("Lù'ān" → lù, ān), or None."""
    pieces: Word = []
    for part in written.split("'"):
        bounds = _syllable_bounds(part)
        if bounds is None:
            return None
        pieces.extend(part[a:b].lower() for a, b in pairwise((0, *bounds)))
    return pieces


@cache
def _syllable_bounds(word: str) -> tuple[int, ...] | None:
    """End offsets of the syllables of a pinyin word without apostrophes, or None.

    Longest syllable first, with backtracking; a syllable that is not first never
    starts with a, o or e (it would carry an apostrophe, rule 11), so "Xinan" is
    xi-nan. An erhua "r" may close a syllable (rule 12: Pénr).
    """
    plain = strip_tones(unicodedata.normalize("NFC", word)).lower()
    if len(plain) != len(word) or not plain:
        return None

    @cache
    def parse(i: int) -> tuple[int, ...] | None:
        if i == len(plain):
            return ()
        for erhua in (False, True):
            for j in range(min(len(plain), i + 7), i, -1):
                syllable = plain[i:j]
                if erhua:
                    if not syllable.endswith("r") or syllable == "err":
                        continue
                    syllable = syllable[:-1]
                if syllable not in PINYIN_SYLLABLES or (i and syllable[0] in "aoe"):
                    continue
                rest = parse(j)
                if rest is not None:
                    return (j, *rest)
        return None

    return parse(0)
