"""What each role may do with the facilities app's models (registered in ``apps.py``).

"app_label.model": actions, per role; ``geoapp.roles.ensure_roles`` adds every app's
tables up (``geoapp.registry``). Jurisdiction (where) is separate: ``geoapp.jurisdiction``.
"""

from __future__ import annotations

from geoapp.roles import Role, grant

# Facilities: planners (and administrators) register and edit them; every role may view them.
_FACILITY_MODELS = (
    "facilities.facility",
    "facilities.elderlycaredetails",
    "facilities.stationdetails",
    "facilities.communitydetails",
)
_FACILITY_VIEW = {model: ("view",) for model in _FACILITY_MODELS}
_FACILITY_EDIT = {model: ("view", "add", "change") for model in _FACILITY_MODELS}

# Gap analysis and site suggestions (a custom permission, Meta.permissions).
_ANALYSIS = {"facilities.facility": ("analyse",)}

GRANTS = {
    Role.ADMIN: grant(_FACILITY_EDIT, _ANALYSIS),
    Role.ZONING: grant(_FACILITY_VIEW, _ANALYSIS),
    Role.FIELD: _FACILITY_VIEW,
    Role.PLANNER: grant(_FACILITY_EDIT, _ANALYSIS),
    Role.VIEWER: _FACILITY_VIEW,
}
