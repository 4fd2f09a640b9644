"""Roles (groups) and what each may do.

Five roles (DESIGN.md Permissions). A role is a Django group whose name is the slug;
``ensure_roles`` creates the groups and grants the model permissions listed here, so
the table below is the whole policy. Jurisdiction (where) is separate from role (what):
see ``geoapp.jurisdiction``.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("管理员")
    ZONING = "zoning", _("区划地名工作人员")
    FIELD = "field", _("外业人员")
    PLANNER = "planner", _("规划人员")
    VIEWER = "viewer", _("查看者")


# Order matters: a user in several groups has the first matching role.
ROLE_ORDER = [Role.ADMIN, Role.ZONING, Role.FIELD, Role.PLANNER, Role.VIEWER]

# "app_label.model": actions. Later apps add their models here.
# Facilities: planners register and edit them; every role may view them.
_FACILITY_MODELS = (
    "facilities.facility",
    "facilities.elderlycaredetails",
    "facilities.stationdetails",
    "facilities.communitydetails",
)
_FACILITY_VIEW = {model: ("view",) for model in _FACILITY_MODELS}
_FACILITY_EDIT = {model: ("view", "add", "change") for model in _FACILITY_MODELS}

# Boundary records change only through actions; staff see them in the admin.
_BOUNDARY_RECORDS = {m: ("view",) for m in ("boundaries.boundaryline", "boundaries.lineedit", "boundaries.divisionchange")}

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

# Custom permissions (each model's Meta.permissions, codename "<action>_<model>"): editing
# boundary lines through the editor's actions, gap analysis and site suggestions, starting
# a background job from the web.
_LINE_EDIT = {"boundaries.boundaryline": ("edit",)}
_ANALYSIS = {"facilities.facility": ("analyse",)}
_JOB_START = {"jobs.job": ("start",)}


def grant(*tables: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """The union of permission tables: a model's actions add up, never replace each
    other (``{**a, **b}`` let b's view-only entries erase a's add/change)."""
    merged: dict[str, tuple[str, ...]] = {}
    for table in tables:
        for model, actions in table.items():
            merged[model] = tuple(dict.fromkeys((*merged.get(model, ()), *actions)))
    return merged


ROLE_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    Role.ADMIN: grant(
        _BOUNDARY_RECORDS,
        {"boundaries.division": ("view", "add", "change"), "geoapp.user": ("view", "add", "change")},
        _FACILITY_EDIT, _PLACENAME_EDIT, _SIGN_FIELD, _SIGN_PLAN, _INSPECTION_EDIT, _LINE_EDIT, _ANALYSIS, _JOB_START,
    ),
    Role.ZONING: grant(
        {"boundaries.division": ("view", "add", "change")}, _BOUNDARY_RECORDS, _FACILITY_VIEW, _PLACENAME_EDIT,
        _SIGN_PLAN, _INSPECTION_EDIT, _LINE_EDIT, _ANALYSIS,
    ),
    Role.FIELD: grant({"boundaries.division": ("view",)}, _FACILITY_VIEW, _PLACENAME_VIEW, _SIGN_FIELD,
                      _INSPECTION_FIELD),
    Role.PLANNER: grant({"boundaries.division": ("view",)}, _FACILITY_EDIT, _PLACENAME_VIEW, _SIGN_VIEW, _ANALYSIS),
    Role.VIEWER: grant({"boundaries.division": ("view",)}, _FACILITY_VIEW, _PLACENAME_VIEW, _SIGN_VIEW),
}

# Rank of each role for the user admin: an administrator grants roles up to their own.
ROLE_RANK = {role: len(ROLE_ORDER) - i for i, role in enumerate(ROLE_ORDER)}

# Roles whose members may open the Django admin (scoped to their jurisdiction).
STAFF_ROLES = {Role.ADMIN, Role.ZONING}


@transaction.atomic
def ensure_roles() -> dict[str, Group]:
    """Create the role groups and set their permissions exactly (idempotent)."""
    groups = {}
    for role in ROLE_ORDER:
        group, _created = Group.objects.get_or_create(name=role.value)
        perms = []
        for model_label, actions in ROLE_PERMISSIONS[role].items():
            app_label, model = model_label.split(".")
            for action in actions:
                perms.append(
                    Permission.objects.get(content_type__app_label=app_label, codename=f"{action}_{model}")
                )
        group.permissions.set(perms)
        groups[role.value] = group
    return groups
