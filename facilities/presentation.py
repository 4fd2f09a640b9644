"""What the facility pages show of a record, as plain rows for the templates.

The detail table of a facility's kind and its change history (simple_history records of
the facility and of its details, each with the fields that changed), so that views only
load the facility and render.
"""

from __future__ import annotations

from facilities.models import Facility


def change_history(facility: Facility) -> list[dict]:
    """Changes of the facility and its details, newest first, with the fields that changed."""
    entries = []
    sources = [facility.history.all()]
    if facility.details is not None:
        sources.append(facility.details.history.all())
    for records in sources:
        records = list(records.select_related("history_user").order_by("history_date", "history_id"))
        previous = None
        for record in records:
            changes = []
            if previous is not None:
                delta = record.diff_against(previous)
                changes = [
                    {"field": str(record.instance._meta.get_field(c.field).verbose_name), "old": c.old, "new": c.new}
                    for c in delta.changes
                ]
            entries.append({"record": record, "changes": changes, "model": record.instance._meta.verbose_name})
            previous = record
    entries.sort(key=lambda e: e["record"].history_date, reverse=True)
    return entries


def detail_fields(facility: Facility) -> list[tuple[str, object]]:
    """``(label, value)`` of the details of the facility's kind (beds, staff, …); none without details."""
    details = facility.details
    if details is None:
        return []
    fields = []
    for field in details._meta.fields:
        if field.name in ("id", "facility"):
            continue
        value = getattr(details, field.name)
        if field.name == "services":
            value = "、".join(value or [])
        fields.append((field.verbose_name, value))
    return fields
