"""One report and one all-or-nothing frame for every importer.

Every importer (divisions, place names, facilities, the marker register) works the same
way: read the whole file, check every row, and write only when every row passed, in one
transaction, so a failed import leaves nothing behind. A dry run goes through the same
writes and rolls them back, so it reports exactly what a real import would do (the
savepoint trial runs of the actions modules). ``run_import`` is that frame;
``ImportReport`` is what it answers, for the command line (``summary``), a page
(``headline``) and JSON (``as_dict``); ``RowError`` is one refused row; ``ImportFailed``
says the file as a whole cannot be read. Each importer keeps its own reading, checking
and writing (jurisdiction checks, progress bars, repairs) in the two functions it hands
to the frame.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from django.db import transaction
from django.utils.translation import gettext as _

Rows = TypeVar("Rows")
SUMMARY_ERRORS = 200  # refused rows listed in a summary; the rest are counted


class ImportFailed(Exception):
    """The file as a whole cannot be imported (unreadable, wrong columns, bad CRS, too big)."""


@dataclass
class RowError:
    """One refused row: where it is in the file, which field, and why."""

    line: int  # line of the file (a CSV's header is line 1) or feature number; 0: not a row of the file
    message: str
    field: str = ""  # the column or form field at fault, when there is one
    key: str = ""  # what the row names (a division code, a marker number, a place name)

    def as_dict(self) -> dict:
        return {"line": self.line, "field": self.field, "key": self.key, "message": self.message}


@dataclass
class ImportReport:
    """What an import did, or would do (``dry_run``), or why it wrote nothing.

    ``created``, ``updated``, ``unchanged`` and ``skipped`` hold the keys of the rows
    (codes, numbers, names); ``repaired`` notes what was fixed on the way in (a repaired
    geometry, a guessed encoding). ``error`` is the reason the file as a whole was
    refused; ``errors`` the refused rows. ``counted`` and ``where`` word the summary
    for the kind of file: rows of a CSV, features of a Shapefile.
    """

    source: str = ""  # the file, as the user named it
    context: str = ""  # what it was imported into: "界线 …", "级别 …，坐标系 …"
    dry_run: bool = False
    noun: str = ""  # what a row becomes ("设施"), for the headline
    counted: str = "共 {n} 行"
    where: str = "第 {line} 行"
    rows: int = 0
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    error: str = ""

    def refuse(self, line: int, message: str, *, field: str = "", key: str = "") -> None:
        self.errors.append(RowError(line, message, field=field, key=key))

    @property
    def ok(self) -> bool:
        return not self.error and not self.errors

    @property
    def saved(self) -> bool:
        """Written to the database (not refused, not a dry run)."""
        return self.ok and not self.dry_run

    def describe(self, error: RowError) -> str:
        """``第 3 行（620521101000 红堡镇）：名称为空``, in this report's words for a row."""
        where = self.where.format(line=error.line)
        return f"{where}（{error.key}）：{error.message}" if error.key else f"{where}：{error.message}"

    def counts(self) -> dict[str, int]:
        return {"created": len(self.created), "updated": len(self.updated), "unchanged": len(self.unchanged),
                "skipped": len(self.skipped), "repaired": len(self.repaired), "refused": len(self.errors)}

    def summary(self) -> str:
        """Several lines for the command line and the log: the counts, every repair and
        refused row, and whether anything was written."""
        n = self.counts()
        title = _("文件：%(source)s") % {"source": self.source}
        parts = [_("新增 %(n)d") % {"n": n["created"]}, _("更新 %(n)d") % {"n": n["updated"]},
                 _("未变 %(n)d") % {"n": n["unchanged"]}]
        if n["skipped"]:
            parts.append(_("跳过 %(n)d") % {"n": n["skipped"]})
        if n["repaired"]:
            parts.append(_("修复 %(n)d") % {"n": n["repaired"]})
        parts.append(_("拒绝 %(n)d") % {"n": n["refused"]})
        lines = [f"{title}（{self.context}）" if self.context else title,
                 f"{self.counted.format(n=self.rows)}：" + "，".join(parts)]
        lines += ["  " + _("修复 %(note)s") % {"note": note} for note in self.repaired]
        lines += ["  " + _("拒绝 %(row)s") % {"row": self.describe(e)} for e in self.errors[:SUMMARY_ERRORS]]
        if len(self.errors) > SUMMARY_ERRORS:
            lines.append("  " + _("……另有 %(n)d 行被拒绝") % {"n": len(self.errors) - SUMMARY_ERRORS})
        if self.error:
            lines.append(_("错误：%(error)s") % {"error": self.error})
        if not self.ok:
            lines.append(_("导入失败：未写入任何数据。"))
        elif self.dry_run:
            lines.append(_("试运行：未写入任何数据。"))
        return "\n".join(lines)

    def headline(self) -> str:
        """One sentence for a page or a message."""
        values = {"rows": self.rows, "created": len(self.created), "updated": len(self.updated),
                  "noun": self.noun or _("条记录")}
        if not self.ok:
            return _("发现 %(n)d 处错误，未导入任何数据（共 %(rows)d 行）") % {
                "n": len(self.errors) + bool(self.error), "rows": self.rows}
        if self.dry_run:
            return _("检查通过：%(rows)d 行，将新建 %(created)d 个、更新 %(updated)d 个%(noun)s（未保存）") % values
        return _("已导入：新建 %(created)d 个、更新 %(updated)d 个%(noun)s") % values

    def as_dict(self) -> dict:
        """The report as JSON: what an upload API answers."""
        return {
            "source": self.source, "dry_run": self.dry_run, "ok": self.ok, "saved": self.saved, "rows": self.rows,
            "counts": self.counts(), "repaired": list(self.repaired), "error": self.error,
            "errors": [e.as_dict() for e in self.errors], "headline": self.headline(),
        }


def run_import(report: ImportReport, *, read: Callable[[ImportReport], Rows],
               write: Callable[[Rows, ImportReport], None]) -> ImportReport:
    """Read and check every row, then write all of them in one transaction, or none.

    ``read(report)`` opens the file and checks each row (and the file as a whole: codes
    twice, numbering along a line), refusing bad rows with ``report.refuse``; it returns
    what ``write`` needs, and raises ``ImportFailed`` when the file cannot be read at
    all. ``write(rows, report)`` runs only when no row was refused, inside one
    transaction; it records what it created, updated or left unchanged, and may refuse
    rows too (checks that need the database, such as a parent that must exist). The
    transaction is rolled back when ``write`` refused a row or the report is a dry run.
    """
    try:
        rows = read(report)
    except ImportFailed as exc:
        report.error = str(exc)
        return report
    if not report.ok:
        return report
    with transaction.atomic():
        write(rows, report)
        if not report.ok or report.dry_run:
            transaction.set_rollback(True)
    if not report.ok:  # rolled back: nothing was created or updated after all
        report.created.clear()
        report.updated.clear()
    return report
