"""Roles (groups) and what each may do.

Five roles (DESIGN.md Permissions). A role is a Django group whose name is the slug;
``ensure_roles`` creates the groups and grants them the model permissions every app
declares for each role (its ``roles`` module, registered from ``AppConfig.ready``
through ``geoapp.registry``), so those tables are the whole policy. Jurisdiction
(where) is separate from role (what): see ``geoapp.jurisdiction``.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from geoapp import registry


class Role(models.TextChoices):
    ADMIN = "admin", _("管理员")
    ZONING = "zoning", _("区划地名工作人员")
    FIELD = "field", _("外业人员")
    PLANNER = "planner", _("规划人员")
    VIEWER = "viewer", _("查看者")


# Order matters: a user in several groups has the first matching role.
ROLE_ORDER = [Role.ADMIN, Role.ZONING, Role.FIELD, Role.PLANNER, Role.VIEWER]

# geoapp's own grants ("app_label.model": actions). Every other app declares its
# models' grants in its own roles module and registers them from its AppConfig.ready
# (geoapp.registry); ``role_permissions`` adds them all up.
GRANTS: dict[str, dict[str, tuple[str, ...]]] = {
    Role.ADMIN: {"geoapp.user": ("view", "add", "change")},
}


def grant(*tables: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """The union of permission tables: a model's actions add up, never replace each
    other (``{**a, **b}`` let b's view-only entries erase a's add/change)."""
    merged: dict[str, tuple[str, ...]] = {}
    for table in tables:
        for model, actions in table.items():
            merged[model] = tuple(dict.fromkeys((*merged.get(model, ()), *actions)))
    return merged


def role_permissions() -> dict[str, dict[str, tuple[str, ...]]]:
    """Each role's model permissions: the union of what every registered app grants it."""
    return {role: grant(*registry.grants_for(role)) for role in ROLE_ORDER}


# Rank of each role for the user admin: an administrator grants roles up to their own.
ROLE_RANK = {role: len(ROLE_ORDER) - i for i, role in enumerate(ROLE_ORDER)}

# Roles whose members may open the Django admin (scoped to their jurisdiction).
STAFF_ROLES = {Role.ADMIN, Role.ZONING}


@transaction.atomic
def ensure_roles() -> dict[str, Group]:
    """Create the role groups and set their permissions exactly (idempotent)."""
    groups = {}
    tables = role_permissions()
    for role in ROLE_ORDER:
        group, _created = Group.objects.get_or_create(name=role.value)
        perms = []
        for model_label, actions in tables[role].items():
            app_label, model = model_label.split(".")
            for action in actions:
                perms.append(
                    Permission.objects.get(content_type__app_label=app_label, codename=f"{action}_{model}")
                )
        group.permissions.set(perms)
        groups[role.value] = group
    return groups
