"""The national loader's COPY text: what goes in comes back as ``set_name`` spells it.

The real names are formatted as COPY text lines in worker processes
(``placenames.national._division_lines``), so every escape is ours: backslash, quotes,
braces and commas in an array element, ``%`` next to the loader's own placeholders, a
tab in a text column. Small data: one demo division, no national load.
"""

from __future__ import annotations

import datetime as dt

from pypinyin import Style, pinyin

from boundaries.models import Division
from geoapp.bulk import copy_text
from placenames import national
from placenames.indexing import han_readings
from placenames.models import PlaceName
from placenames.naming import NAME_FIELDS, set_name

HOSTILE = 'A\\B"{,}"%s%%新村'  # clean_name keeps all of these (it drops whitespace and controls)


def test_a_name_full_of_copy_special_characters_comes_back_as_spelt(db):
    division = Division.objects.current().get(code="620521000000")
    point = Division.objects.filter(pk=division.pk).values_list("seat", flat=True).get()
    code = "620521999999"
    text, count = national._division_lines([
        (HOSTILE, "settlement", code, "测试\t类\\别", division.pk, point.hexewkb.decode(), dt.datetime.now(dt.UTC).isoformat()),
    ])
    assert count == 1 and text.count("\n") == 1
    assert copy_text(PlaceName._meta.db_table, national._COLUMNS, [text]) == 1

    stored = PlaceName.objects.get(code=code)
    expected = PlaceName(category="settlement")
    set_name(expected, HOSTILE, region=code)
    assert {f: getattr(stored, f) for f in NAME_FIELDS} == {f: getattr(expected, f) for f in NAME_FIELDS}
    assert '"{' in stored.fragments and "," in stored.fragments  # array elements that need quoting
    assert stored.subclass == "测试\t类\\别"
    assert stored.geom.equals_exact(point, 0) and stored.division_id == division.pk


def test_word_by_word_readings_equal_pypinyin_reading_the_whole_run():
    """``han_readings`` reads pypinyin's words one by one (cached); a phrase that spans
    two of our words must still be read as pypinyin reads the whole run."""
    for run in ("重庆市长寿区", "银行村民委员会", "长乐乡大长村", "朝阳区朝阳门", "行唐县", "单县单家庄", "那曲市"):
        assert han_readings(run) == tuple(i[0] for i in pinyin(run, style=Style.TONE, errors=lambda c: list(c))), run


def test_word_by_word_readings_equal_pypinyin_over_a_sample_of_the_national_list():
    """Every 100th name of the national reference list (~6,600; all 665,822 Han runs were
    compared once when this came in, 0 differences)."""
    from placenames.reference import default_extract, extract_rows

    names = [name for n, (_code, name, _level, _tones) in enumerate(extract_rows(default_extract())) if n % 100 == 0]
    assert len(names) > 6000
    differ = [name for name in names
              if han_readings(name) != tuple(i[0] for i in pinyin(name, style=Style.TONE, errors=lambda c: list(c)))]
    assert differ == []


def test_generated_names_written_by_two_worker_processes_are_the_names_one_process_writes(db):
    """The chunks are seeded: forked workers writing the COPY text give the same rows,
    in the same order, with the same counts per class, as the parent alone."""
    from django.db import transaction

    target = PlaceName.objects.count() + 2 * national.CHUNK + 345  # three chunks, the last one partly
    fields = ("standard_name", "romanization", "pinyin", "fragments", "category", "division_id", "geom")

    def load(workers):
        with transaction.atomic():
            report = national.load_generated_names(target=target, workers=workers)
            rows = list(PlaceName.objects.filter(source_note=national.GENERATED_NOTE).order_by("pk")
                        .values_list(*fields))
            transaction.set_rollback(True)
        return report, [(*r[:-1], r[-1].wkt) for r in rows]

    (one, rows_one), (two, rows_two) = load(1), load(2)
    assert len(rows_one) == 2 * national.CHUNK + 345 == one.created == two.created
    assert rows_two == rows_one and two.by_category == one.by_category
