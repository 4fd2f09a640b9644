"""CSV import and export of the facility registry (one file format both ways).

The column mapping is declared once below. ``import_facilities`` reads a file,
validates every row with the registry's own forms (``facilities.forms``: nursing beds ≤
beds, residents ≤ beds, position inside the division, division inside the importer's
jurisdiction) and saves **all rows or none**: one bad row and nothing is written, and
the report lists every problem with its line number. A dry run saves and rolls back
(``geoapp.imports.run_import``, the frame every importer shares). The web upload and
``manage.py import_facilities`` both call it.

Rows with an ``id`` update that facility (inside the jurisdiction); rows without one are
new facilities, recorded as ``source=imported``. Files from Excel on Chinese Windows
are usually GB18030 (GBK), so that encoding is accepted after UTF-8; exports are
UTF-8 with a byte-order mark so Excel opens them correctly.
"""

from __future__ import annotations

import csv
import io
import itertools
from functools import partial
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from boundaries.models import Source
from facilities.actions import save_facility
from facilities.forms import DETAIL_FORMS, FacilityForm, detail_forms, details_form_for
from facilities.models import Facility
from geoapp import csvsafe
from geoapp.imports import ImportFailed, ImportReport, RowError, run_import

# CSV column → FacilityForm field (lon/lat are the two halves of the location field).
FACILITY_COLUMNS = {
    "kind": "kind",
    "name": "name",
    "division_code": "division",
    "lon": "location_0",
    "lat": "location_1",
    "status": "status",
    "address": "address",
    "operator": "operator",
    "opened_on": "opened_on",
    "contact": "contact",
}
# Details columns per detail form prefix; the CSV column is the model field's name.
DETAIL_COLUMNS = {
    "elderly": ("beds", "nursing_beds", "residents_self_care", "residents_semi", "residents_disabled",
                "care_staff", "staff_total", "county_level", "disabled_focus"),
    "station": ("floor_area_m2", "staff", "children_directors"),
    "community": ("households", "population", "relocation_year", "urban_site", "services"),
}
BOOLEAN_COLUMNS = {"county_level", "disabled_focus", "urban_site"}
TRUE_WORDS = {"1", "true", "yes", "y", "是", "√"}
# Written on export for readers, ignored on import.
INFO_COLUMNS = ("kind_label", "status_label", "division_name", "source")
REQUIRED_COLUMNS = ("kind", "name", "division_code", "lon", "lat")
EXPORT_COLUMNS = ("id", *FACILITY_COLUMNS, *INFO_COLUMNS, *(c for cols in DETAIL_COLUMNS.values() for c in cols))
MAX_ROWS = 200_000  # the command line (``--max-rows``); the web upload: settings.CIVATLAS_MAX_IMPORT_ROWS


class _Unrestricted:
    """The importing "user" of the command line: any division, no history user."""

    @staticmethod
    def can_act_on(code: str) -> bool:
        return True


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFailed(_("无法识别文件编码，请保存为 UTF-8 或 GB18030 编码的 CSV"))


def _form_data(row: dict) -> dict:
    data = {field: (row.get(column) or "").strip() for column, field in FACILITY_COLUMNS.items()}
    for prefix, columns in DETAIL_COLUMNS.items():
        for column in columns:
            value = (row.get(column) or "").strip()
            if column in BOOLEAN_COLUMNS:
                value = "true" if value.lower() in TRUE_WORDS else "false"
            data[f"{prefix}-{column}"] = value
    return data


def _errors(line: int, form) -> list[RowError]:
    found = []
    for name, messages in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        found += [RowError(line, f"{label}：{m}" if label else m, field=name) for m in messages]
    return found


def _read_limited(source, limit: int) -> bytes:
    """At most ``limit`` + 1 bytes of the source: a bigger file is refused without reading it all."""
    if isinstance(source, bytes):
        return source[: limit + 1]
    if isinstance(source, str | Path):
        with open(source, "rb") as handle:
            return handle.read(limit + 1)
    return source.read(limit + 1)


def _row_count_over(text: str, limit: int) -> int | None:
    """The number of data rows when it exceeds ``limit`` (counted before any row is
    validated, stopping at limit + 1), else None."""
    rows = (r for r in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in r))
    next(rows, None)  # header
    counted = sum(1 for _row in itertools.islice(rows, limit + 1))
    return counted if counted > limit else None


def import_facilities(source, *, user=None, dry_run: bool = False, max_rows: int | None = None,
                      max_bytes: int | None = None) -> ImportReport:
    """Validate every row of the CSV ``source`` (path, bytes or file) and save all or none.

    The byte and row limits (``CIVATLAS_MAX_IMPORT_BYTES``, ``max_rows`` or
    ``CIVATLAS_MAX_IMPORT_ROWS``) are checked before the first row is validated."""
    max_rows = max_rows or settings.CIVATLAS_MAX_IMPORT_ROWS
    max_bytes = max_bytes or settings.CIVATLAS_MAX_IMPORT_BYTES
    name = source.name if hasattr(source, "name") else str(source) if isinstance(source, str | Path) else ""
    report = ImportReport(source=name, dry_run=dry_run, noun=_("设施"))

    def read(report: ImportReport) -> list[tuple]:
        reader = _reader(_read_limited(source, max_bytes), max_bytes=max_bytes, max_rows=max_rows)
        try:
            return _check_rows(reader, report, user=user)
        except csv.Error as exc:
            report.refuse(reader.line_num, str(exc))
            return []

    return run_import(report, read=read, write=partial(_save_rows, user=user))


def _reader(raw: bytes, *, max_bytes: int, max_rows: int) -> csv.DictReader:
    """The rows of the file, once it is known to be within the limits and to have the columns."""
    if len(raw) > max_bytes:
        raise ImportFailed(_("文件超过 %(mb)d MB，请分批导入") % {"mb": max_bytes // 1048576})
    text = _decode(raw)
    try:
        if (over := _row_count_over(text, max_rows)) is not None:
            raise ImportFailed(_("文件超过 %(n)d 行（已数到 %(seen)d 行），一次最多导入 %(n)d 行，请分批导入")
                               % {"n": max_rows, "seen": over})
        reader = csv.DictReader(io.StringIO(text))
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    except csv.Error as exc:
        raise ImportFailed(str(exc)) from exc
    if missing:
        raise ImportFailed(_("缺少列：%(columns)s") % {"columns": "、".join(missing)})
    return reader


def _check_rows(reader: csv.DictReader, report: ImportReport, *, user) -> list[tuple]:
    """Each row through the registry's forms: ``(form, details form, is new)`` for the valid ones."""
    acting = user or _Unrestricted()
    scope = Facility.objects.for_user(user) if user is not None else Facility.objects.all()
    valid = []
    seen_ids = set()
    for line, row in enumerate(reader, start=2):
        if not any((value or "").strip() for value in row.values() if isinstance(value, str)):
            report.skipped.append(str(line))
            continue
        report.rows += 1
        facility = None
        if raw_id := (row.get("id") or "").strip():
            facility = scope.filter(pk=int(raw_id)).first() if raw_id.isdigit() else None
            if facility is None or raw_id in seen_ids:
                message = _("编号 %(id)s 重复") if raw_id in seen_ids else _("编号 %(id)s 的设施不存在或不在您的辖区内")
                report.refuse(line, message % {"id": raw_id}, field="id", key=raw_id)
                continue
            seen_ids.add(raw_id)
        data = _form_data(row)
        form = FacilityForm(data=data, instance=facility, user=acting)
        details = details_form_for(data["kind"], detail_forms(data=data, facility=facility))
        row_errors = _errors(line, form) + (_errors(line, details) if details is not None else [])
        if row_errors:
            report.errors += row_errors
            continue
        valid.append((form, details, facility is None))
    return valid


def _save_rows(valid: list[tuple], report: ImportReport, *, user) -> None:
    for form, details, new in valid:
        facility = form.save(commit=False)
        if new:
            facility.source = Source.IMPORTED
        saved = save_facility(
            facility=facility, details=details.save(commit=False) if details is not None else None,
            changed_by=user,
        )
        (report.created if new else report.updated).append(str(saved.pk))


def _export_row(facility: Facility) -> dict:
    row = {
        "id": facility.pk, "kind": facility.kind, "name": facility.name, "division_code": facility.division.code,
        "lon": f"{facility.location.x:.7f}", "lat": f"{facility.location.y:.7f}", "status": facility.status,
        "address": facility.address, "operator": facility.operator,
        "opened_on": facility.opened_on.isoformat() if facility.opened_on else "", "contact": facility.contact,
        "kind_label": facility.get_kind_display(), "status_label": facility.get_status_display(),
        "division_name": facility.division.name, "source": facility.source,
    }
    entry = DETAIL_FORMS.get(facility.kind)
    details = getattr(facility, entry[2], None) if entry else None
    if details is not None:
        for column in DETAIL_COLUMNS[entry[0]]:
            value = getattr(details, column)
            if column in BOOLEAN_COLUMNS:
                value = int(bool(value))
            elif column == "services":
                value = "、".join(value or [])
            row[column] = "" if value is None else value
    return row


def write_facilities_csv(queryset, out) -> int:
    """Write the facilities of ``queryset`` to the text stream ``out``; returns the row count."""
    writer = csvsafe.SafeDictWriter(out, fieldnames=EXPORT_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    n = 0
    for facility in queryset.select_related("division", "elderly_care", "station", "community").order_by(
        "division__code", "kind", "name", "pk"
    ).iterator(chunk_size=1000):
        writer.writerow(_export_row(facility))
        n += 1
    return n
