"""What each role may do with the boundaries app's models (registered in ``apps.py``).

"app_label.model": actions, per role; ``geoapp.roles.ensure_roles`` adds every app's
tables up (``geoapp.registry``). Jurisdiction (where) is separate: ``geoapp.jurisdiction``.
"""

from __future__ import annotations

from geoapp.roles import Role, grant

_DIVISION_VIEW = {"boundaries.division": ("view",)}
_DIVISION_EDIT = {"boundaries.division": ("view", "add", "change")}

# Boundary records change only through actions; staff see them in the admin.
_BOUNDARY_RECORDS = {m: ("view",) for m in ("boundaries.boundaryline", "boundaries.lineedit", "boundaries.divisionchange")}

# Joint inspections, markers, disputes: zoning staff run them; field teams see
# markers and inspections and record checks, findings, tracks and hazards from the phone.
# Marker positions are survey data: planners and viewers get none of these models.
_INSPECTION_MODELS = tuple(f"boundaries.{m}" for m in (
    "boundaryagreement", "boundarymarker", "referenceobject", "jointinspection", "inspectionsignature",
    "markercheck", "linefinding", "inspectionphoto", "tracklog", "boundaryissue", "mediationentry",
    "peacefulboundaryagreement", "markerdevice", "telemetryreading", "telemetryalert",
))
_INSPECTION_EDIT = {model: ("view", "add", "change") for model in _INSPECTION_MODELS}
_INSPECTION_FIELD = {
    **{model: ("view",) for model in _INSPECTION_MODELS},
    **{f"boundaries.{m}": ("view", "add") for m in ("markercheck", "linefinding", "inspectionphoto", "tracklog",
                                                     "boundaryissue")},
}

# Editing boundary lines through the editor's actions (a custom permission, Meta.permissions).
_LINE_EDIT = {"boundaries.boundaryline": ("edit",)}

GRANTS = {
    Role.ADMIN: grant(_DIVISION_EDIT, _BOUNDARY_RECORDS, _INSPECTION_EDIT, _LINE_EDIT),
    Role.ZONING: grant(_DIVISION_EDIT, _BOUNDARY_RECORDS, _INSPECTION_EDIT, _LINE_EDIT),
    Role.FIELD: grant(_DIVISION_VIEW, _INSPECTION_FIELD),
    Role.PLANNER: _DIVISION_VIEW,
    Role.VIEWER: _DIVISION_VIEW,
}
