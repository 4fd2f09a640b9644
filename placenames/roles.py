"""What each role may do with the placenames app's models, signs included (registered in ``apps.py``).

"app_label.model": actions, per role; ``geoapp.roles.ensure_roles`` adds every app's
tables up (``geoapp.registry``). Jurisdiction (where) is separate: ``geoapp.jurisdiction``.
"""

from __future__ import annotations

from geoapp.roles import Role, grant

# Place names: zoning staff (and administrators) record names and naming
# applications; every other role may view them.
_PLACENAME_MODELS = ("placenames.placename", "placenames.formername", "placenames.namingapplication")
_PLACENAME_VIEW = {model: ("view",) for model in _PLACENAME_MODELS}
_PLACENAME_EDIT = {model: ("view", "add", "change") for model in _PLACENAME_MODELS}

# Place-name signs: zoning staff plan signs; field teams record installations
# and inspections (with photos) from the field page; every other role may view them.
_SIGN_RECORDS = ("placenames.signinstallation", "placenames.signinspection", "placenames.signphoto")
_SIGN_VIEW = {model: ("view",) for model in ("placenames.sign", *_SIGN_RECORDS)}
_SIGN_PLAN = {**_SIGN_VIEW, "placenames.sign": ("view", "add", "change")}
_SIGN_FIELD = {**_SIGN_VIEW, **{model: ("view", "add", "change") for model in _SIGN_RECORDS}}

GRANTS = {
    # Administrators both plan signs and record field work.
    Role.ADMIN: grant(_PLACENAME_EDIT, _SIGN_FIELD, _SIGN_PLAN),
    Role.ZONING: grant(_PLACENAME_EDIT, _SIGN_PLAN),
    Role.FIELD: grant(_PLACENAME_VIEW, _SIGN_FIELD),
    Role.PLANNER: grant(_PLACENAME_VIEW, _SIGN_VIEW),
    Role.VIEWER: grant(_PLACENAME_VIEW, _SIGN_VIEW),
}
