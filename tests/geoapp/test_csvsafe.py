"""CSV formula neutralisation: the shared writer, and no CSV written past it."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.conf import settings

from geoapp import csvsafe


@pytest.mark.parametrize(("cell", "written"), [
    ("=1+1", "'=1+1"), ("+cmd", "'+cmd"), ("-x", "'-x"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"), ("-3.5", "-3.5"), ("1e5", "1e5"), ("永清镇", "永清镇"), (12, 12), (None, None),
])
def test_cells_that_start_like_a_formula_are_written_as_text(cell, written):
    assert csvsafe.neutralise(cell) == written


def test_the_dict_writer_neutralises_values_but_not_the_header():
    out = io.StringIO()
    writer = csvsafe.SafeDictWriter(out, fieldnames=["name", "lon"])
    writer.writeheader()
    writer.writerow({"name": "=HYPERLINK(1)", "lon": "-105.5"})
    assert out.getvalue().splitlines() == ["name,lon", "'=HYPERLINK(1),-105.5"]


def test_no_module_writes_csv_past_the_safe_writer():
    root = Path(settings.BASE_DIR)
    offenders = [
        str(path.relative_to(root))
        for app in ("geoapp", "boundaries", "placenames", "facilities")
        for path in (root / app).rglob("*.py")
        if path.name != "csvsafe.py" and re.search(r"csv\.(writer|DictWriter)\(", path.read_text("utf-8"))
    ]
    assert offenders == []
