"""GB/T 17796 marker numbers: parsing, the configurable line prefix, and the register
checks (duplicates, wrong letters, A on the smaller code's side, serials out of order
along the line) — as plain functions and on the real 清水县|秦安县 line."""

from __future__ import annotations

import pytest

from boundaries.inspections.geometry import locate_along, side_of
from boundaries.inspections.models import BoundaryMarker
from boundaries.inspections.numbering import MarkerEntry, check_numbering, line_prefix, parse_number


def _entries(*rows):
    return [MarkerEntry(f"#{i}", number, position, side) for i, (number, position, side) in enumerate(rows, start=1)]


def test_a_number_is_prefix_serial_and_type_letter():
    parsed = parse_number("清秦007A")
    assert (parsed.prefix, parsed.serial, parsed.letter) == ("清秦", 7, "A")
    for bad in ("清秦7Q", "清秦007", "清秦007X", "清秦000Q", ""):
        with pytest.raises(ValueError):
            parse_number(bad)


def test_a_consistent_register_has_no_problems():
    entries = _entries(("清秦001Q", 0.1, "on"), ("清秦002A", 0.3, "left"), ("清秦002B", 0.31, "right"),
                       ("清秦003C", 0.5, "on"), ("清秦003D", 0.5, "on"), ("清秦003E", 0.5, "on"),
                       ("清秦004Q", 0.9, "on"))
    assert check_numbering(entries, prefix="清秦") == []


def test_duplicates_are_reported():
    problems = check_numbering(_entries(("清秦001Q", 0.1, "on"), ("清秦001Q", 0.2, "on")))
    assert [p.key for p in problems] == ["#2"] and "重复" in problems[0].reason


@pytest.mark.parametrize(("rows", "words"), [
    ([("清秦001A", 0.1, "left")], "应有 A、B"),                                  # half a pair
    ([("清秦001C", 0.1, "on"), ("清秦001D", 0.1, "on")], "应有 C、D、E"),         # two of a triple
    ([("清秦001Q", 0.1, "on"), ("清秦001A", 0.1, "left")], "既有单立"),           # single and pair
    ([("清秦001A", 0.1, "left"), ("清秦001C", 0.1, "on")], "混用"),                 # pair and triple letters
])
def test_letters_that_do_not_form_a_single_pair_or_triple_are_reported(rows, words):
    problems = check_numbering(_entries(*rows))
    assert problems and any(words in p.reason for p in problems)


def test_marker_a_must_stand_on_the_smaller_codes_side():
    problems = check_numbering(_entries(("清秦001A", 0.1, "right"), ("清秦001B", 0.1, "left")))
    assert {p.number for p in problems} == {"清秦001A", "清秦001B"}


def test_serials_out_of_order_along_the_line_are_reported():
    problems = check_numbering(_entries(("清秦001Q", 0.1, "on"), ("清秦002Q", 0.6, "on"), ("清秦003Q", 0.4, "on"),
                                        ("清秦004Q", 0.8, "on")))
    assert [p.number for p in problems] == ["清秦003Q"] and "顺序" in problems[0].reason


def test_a_wrong_prefix_is_reported():
    problems = check_numbering(_entries(("麦清001Q", 0.1, "on")), prefix="清秦")
    assert problems and "前缀" in problems[0].reason


def test_the_prefix_convention_is_configurable_per_province(settings):
    kwargs = {"left_name": "清水县", "left_code": "620521000000", "right_name": "秦安县", "right_code": "620522000000",
              "line_id": 19}
    settings.CIVATLAS_MARKER_PREFIX_FORMATS = {"default": "{left_abbr}{right_abbr}"}
    assert line_prefix(**kwargs) == "清秦"
    settings.CIVATLAS_MARKER_PREFIX_FORMATS = {"default": "{left_abbr}{right_abbr}", "62": "{left_code}-{right_code}-"}
    assert line_prefix(**kwargs) == "620521-620522-"


def test_the_demo_markers_of_a_real_line_run_west_to_east_or_north_to_south(markers, qinan_line):
    ordered = list(BoundaryMarker.objects.along(qinan_line))
    positions = locate_along(qinan_line.geom, [m.geom for m in ordered])
    entries = [MarkerEntry(m.number, m.number, p, side_of(qinan_line, m.geom)) for m, p in zip(ordered, positions, strict=True)]
    assert check_numbering(entries, prefix="清秦") == []
    pair = {m.letter: m for m in ordered if m.serial == 4}
    assert side_of(qinan_line, pair["A"].geom) == "left" and side_of(qinan_line, pair["B"].geom) == "right"
    # Swapping two markers' positions breaks the order.
    swapped = [*entries[:1], MarkerEntry("x", entries[1].number, entries[6].position, "on"), *entries[2:]]
    assert any("顺序" in p.reason for p in check_numbering(swapped))
