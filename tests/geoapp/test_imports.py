"""The import frame every importer shares (geoapp.imports): all rows or none, dry runs
that write nothing but count, and one report shape for the command line, pages and JSON.

The rows here are Django auth groups: the frame knows nothing of divisions or names."""

from __future__ import annotations

from django.contrib.auth.models import Group

from geoapp.imports import ImportFailed, ImportReport, run_import

FIVE = ["甲组", "乙组", "丙组", "丁组", "戊组"]


def _import(names, *, dry_run=False, refused_when_written=(), unreadable=False) -> ImportReport:
    """A CSV of group names (the header is line 1); an empty name is refused on reading,
    a name in ``refused_when_written`` only once the rows before it are written."""

    def read(report):
        if unreadable:
            raise ImportFailed("无法读取文件")
        rows = []
        for line, name in enumerate(names, start=2):
            report.rows += 1
            if not name:
                report.refuse(line, "名称为空", field="name")
            else:
                rows.append((line, name))
        return rows

    def write(rows, report):
        for line, name in rows:
            if name in refused_when_written:
                report.refuse(line, "库中已有同名的组", field="name", key=name)
                continue
            _group, created = Group.objects.get_or_create(name=name)
            (report.created if created else report.unchanged).append(name)

    report = ImportReport(source="groups.csv", dry_run=dry_run, noun="组")
    return run_import(report, read=read, write=write)


def test_an_error_in_row_3_of_5_writes_nothing(db):
    names = [*FIVE]
    names[2] = ""
    report = _import(names)
    assert not report.ok and not report.saved
    assert [(e.line, e.field, e.message) for e in report.errors] == [(4, "name", "名称为空")]
    assert report.rows == 5 and report.created == []
    assert not Group.objects.filter(name__in=FIVE).exists()
    assert "第 4 行：名称为空" in report.summary() and "导入失败：未写入任何数据。" in report.summary()


def test_a_row_refused_while_writing_rolls_back_the_rows_written_before_it(db):
    report = _import(FIVE, refused_when_written={"丙组"})
    assert not report.ok
    assert report.created == [] and report.updated == []
    assert not Group.objects.filter(name__in=FIVE).exists()
    assert "第 4 行（丙组）：库中已有同名的组" in report.summary()


def test_a_dry_run_writes_nothing_and_reports_what_it_would_do(db):
    Group.objects.create(name="甲组")
    report = _import(FIVE, dry_run=True)
    assert report.ok and not report.saved
    assert report.created == FIVE[1:] and report.unchanged == ["甲组"]
    assert list(Group.objects.filter(name__in=FIVE).values_list("name", flat=True)) == ["甲组"]
    assert report.summary().endswith("试运行：未写入任何数据。")
    assert report.headline() == "检查通过：5 行，将新建 4 个、更新 0 个组（未保存）"


def test_a_good_file_is_written_and_a_second_import_changes_nothing(db):
    report = _import(FIVE)
    assert report.saved and report.created == FIVE
    assert Group.objects.filter(name__in=FIVE).count() == 5
    again = _import(FIVE)
    assert again.saved and again.created == [] and again.unchanged == FIVE
    assert again.headline() == "已导入：新建 0 个、更新 0 个组"


def test_a_file_that_cannot_be_read_is_one_error_and_no_row_is_read(db):
    report = _import(FIVE, unreadable=True)
    assert not report.ok and report.error == "无法读取文件" and report.errors == [] and report.rows == 0
    assert "错误：无法读取文件" in report.summary()
    assert report.headline() == "发现 1 处错误，未导入任何数据（共 0 行）"


def test_the_report_as_json(db):
    names = [*FIVE]
    names[2] = ""
    assert _import(names).as_dict() == {
        "source": "groups.csv", "dry_run": False, "ok": False, "saved": False, "rows": 5,
        "counts": {"created": 0, "updated": 0, "unchanged": 0, "skipped": 0, "repaired": 0, "refused": 1},
        "repaired": [], "error": "",
        "errors": [{"line": 4, "field": "name", "key": "", "message": "名称为空"}],
        "headline": "发现 1 处错误，未导入任何数据（共 5 行）",
    }
