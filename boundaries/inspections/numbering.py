"""Marker numbers per GB/T 17796 (界桩编号): format, parsing and the register checks.

A number is the line's prefix, a three-digit serial from 001 and a type letter: Q a
single marker; A/B a same-number pair (A on the side with the smaller code); C/D/E a
same-number triple. Serials run west→east or north→south along the line. The prefix
convention differs between provinces (DOMAIN.md §3, *verify*), so it is a format string
per province in ``CIVATLAS_MARKER_PREFIX_FORMATS`` (``{"default": ..., "62": ...}``)
with the fields ``left_abbr``/``right_abbr`` (first character of each side's name),
``left_code``/``right_code`` (their significant code prefixes) and ``line_id``.

Plain Python (no Django models): ``check_numbering`` takes plain marker tuples, the
positions already located along the line (0 at the west or north end, 1 at the other)
and which side each marker stands on; ``boundaries.inspections.geometry`` computes those.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings

from geoapp.jurisdiction import code_prefix

LETTERS = "QABCDE"
PAIR = ("A", "B")
TRIPLE = ("C", "D", "E")
_NUMBER = re.compile(r"^(?P<prefix>.*?)(?P<serial>\d{3,})(?P<letter>[A-Za-z])$")

DEFAULT_FORMAT = "{left_abbr}{right_abbr}"


@dataclass(frozen=True)
class ParsedNumber:
    prefix: str
    serial: int
    letter: str


def parse_number(number: str) -> ParsedNumber:
    """``"清秦007A"`` → ("清秦", 7, "A"); ValueError with a Chinese reason otherwise."""
    match = _NUMBER.match((number or "").strip())
    if not match:
        raise ValueError(f"界桩编号“{number}”格式不符：应为前缀 + 三位序号 + 类型字母（如 清秦001Q）")
    letter = match["letter"].upper()
    if letter not in LETTERS:
        raise ValueError(f"界桩编号“{number}”的类型字母 {letter} 无效：应为 Q、A/B 或 C/D/E（GB/T 17796）")
    serial = int(match["serial"])
    if serial < 1:
        raise ValueError(f"界桩编号“{number}”的序号应从 001 起")
    return ParsedNumber(match["prefix"], serial, letter)


def line_prefix(*, left_name: str, left_code: str, right_name: str, right_code: str, line_id: int) -> str:
    """The number prefix of a line under the configured convention of its province."""
    formats = getattr(settings, "CIVATLAS_MARKER_PREFIX_FORMATS", {}) or {}
    template = formats.get(left_code[:2]) or formats.get("default") or DEFAULT_FORMAT
    return template.format(
        left_abbr=left_name[:1], right_abbr=(right_name or "外")[:1],
        left_code=code_prefix(left_code), right_code=code_prefix(right_code) if right_code else "",
        line_id=line_id,
    )


def format_number(prefix: str, serial: int, letter: str) -> str:
    return f"{prefix}{serial:03d}{letter}"


@dataclass(frozen=True)
class MarkerEntry:
    """A marker as the checks see it. ``position`` is its place along the line (0 at the
    west or north end); ``side`` is "left", "right" or "on" (on the line itself)."""

    key: str  # row number or marker id, for the report
    number: str
    position: float | None = None
    side: str | None = None


@dataclass(frozen=True)
class NumberingProblem:
    key: str
    number: str
    reason: str

    def __str__(self) -> str:
        return f"{self.key}（{self.number}）：{self.reason}"


def check_numbering(entries: list[MarkerEntry], *, prefix: str | None = None) -> list[NumberingProblem]:
    """Every problem of a line's marker numbers: format, prefix, duplicates, letters that
    do not form a single/pair/triple, A not on the smaller code's side, serials out of
    order along the line. An empty list means the register is consistent."""
    problems: list[NumberingProblem] = []
    parsed: list[tuple[MarkerEntry, ParsedNumber]] = []
    for entry in entries:
        try:
            number = parse_number(entry.number)
        except ValueError as exc:
            problems.append(NumberingProblem(entry.key, entry.number, str(exc)))
            continue
        if prefix is not None and number.prefix != prefix:
            problems.append(NumberingProblem(
                entry.key, entry.number, f"前缀“{number.prefix}”与本界线的编号前缀“{prefix}”不符",
            ))
        parsed.append((entry, number))

    seen: dict[tuple[int, str], MarkerEntry] = {}
    by_serial: dict[int, list[tuple[MarkerEntry, ParsedNumber]]] = defaultdict(list)
    for entry, number in parsed:
        key = (number.serial, number.letter)
        if key in seen:
            problems.append(NumberingProblem(entry.key, entry.number, f"编号重复（与 {seen[key].key} 相同）"))
            continue
        seen[key] = entry
        by_serial[number.serial].append((entry, number))

    for serial, group in sorted(by_serial.items()):
        letters = sorted(n.letter for _e, n in group)
        first = group[0][0]
        if "Q" in letters and len(letters) > 1:
            problems.append(NumberingProblem(first.key, first.number, f"序号 {serial:03d} 既有单立（Q）又有同号界桩"))
        elif letters != ["Q"] and set(letters) <= set(PAIR) and letters != list(PAIR):
            problems.append(NumberingProblem(first.key, first.number, f"序号 {serial:03d} 为同号双立，应有 A、B 两根"))
        elif set(letters) <= set(TRIPLE) and letters != list(TRIPLE):
            problems.append(NumberingProblem(first.key, first.number, f"序号 {serial:03d} 为同号三立，应有 C、D、E 三根"))
        elif not (letters == ["Q"] or letters == list(PAIR) or letters == list(TRIPLE)):
            problems.append(NumberingProblem(
                first.key, first.number, f"序号 {serial:03d} 的类型字母 {'、'.join(letters)} 混用（双立为 A/B，三立为 C/D/E）",
            ))
        for entry, number in group:
            # GB/T 17796: A stands on the side of the division with the smaller code (left).
            if number.letter == "A" and entry.side == "right":
                problems.append(NumberingProblem(entry.key, entry.number, "A 桩应位于代码较小一方（左侧）一侧，实际位于另一侧"))
            if number.letter == "B" and entry.side == "left":
                problems.append(NumberingProblem(entry.key, entry.number, "B 桩应位于代码较大一方一侧，实际位于代码较小一方一侧"))

    # Serials run west→east or north→south: ordered by serial, positions must not go back.
    located = sorted(
        ((n.serial, e.position, e) for e, n in parsed if e.position is not None and (n.serial, n.letter) in seen
         and seen[(n.serial, n.letter)] is e),
        key=lambda t: (t[0], t[1]),
    )
    furthest: tuple[int, float, MarkerEntry] | None = None
    for serial, position, entry in located:
        if furthest is not None and serial > furthest[0] and position < furthest[1] - 1e-9:
            problems.append(NumberingProblem(
                entry.key, entry.number,
                f"序号顺序与界线走向不符：位于 {furthest[2].number} 之前（应自西向东或自北向南依次编号）",
            ))
            continue
        if furthest is None or position >= furthest[1]:
            furthest = (serial, position, entry)
    return problems
