"""Actions on users: create or update a user with one role and a jurisdiction."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction

from geoapp.jurisdiction import normalise_code
from geoapp.roles import ROLE_RANK, STAFF_ROLES, Role, ensure_roles


class UserSetupError(ValueError):
    pass


@transaction.atomic
def set_up_user(*, username: str, role: str, jurisdiction: str, password: str | None = None):
    """Create or update ``username`` with exactly ``role`` in ``jurisdiction`` (idempotent).

    The jurisdiction must be a current division: a typo would otherwise silently give
    a user an empty (or wrong) area.
    """
    if role not in Role.values:
        raise UserSetupError(f"未知角色 {role}；可选 {', '.join(Role.values)}")
    try:
        code = normalise_code(jurisdiction)
    except ValueError as exc:
        raise UserSetupError(str(exc)) from exc
    # Looked up by name so geoapp does not import boundaries (imports flow one way).
    division_model = apps.get_model("boundaries", "Division")
    if not division_model.objects.current().filter(code=code).exists():
        raise UserSetupError(f"辖区 {code} 不是现行行政区划")
    groups = ensure_roles()
    user, created = get_user_model().objects.get_or_create(username=username)
    if created and not password:
        user.set_unusable_password()
    user.jurisdiction_code = code
    user.is_staff = role in STAFF_ROLES
    user.is_active = True
    if password:
        user.set_password(password)
    user.save()
    user.groups.set([groups[role]])
    return user


def grant_problems(*, granted_by, role: str, jurisdiction: str) -> list[str]:
    """Why ``granted_by`` may not give ``role`` in ``jurisdiction`` (empty when allowed).

    An administrator manages users only inside their own jurisdiction and with roles
    no higher than their own; superuser and staff flags are never theirs to give (the
    staff flag follows the role). Superusers may do anything.
    """
    if granted_by.is_superuser:
        return []
    problems = []
    own = granted_by.role
    if own is None or not granted_by.has_perm("geoapp.change_user"):
        return ["您无权管理用户"]
    if role not in Role.values:
        problems.append(f"未知角色 {role}")
    elif ROLE_RANK[Role(role)] > ROLE_RANK[own]:
        problems.append(f"不能授予高于自己（{own.label}）的角色“{Role(role).label}”")
    try:
        code = normalise_code(jurisdiction)
    except ValueError as exc:
        problems.append(str(exc))
    else:
        if not granted_by.can_act_on(code):
            problems.append(f"辖区 {code} 不在您的辖区内")
    return problems


@transaction.atomic
def assign_role(*, user, role: str, jurisdiction: str, granted_by):
    """Give an existing (saved) user exactly ``role`` in ``jurisdiction``, as ``granted_by``."""
    if problems := grant_problems(granted_by=granted_by, role=role, jurisdiction=jurisdiction):
        raise UserSetupError("；".join(problems))
    code = normalise_code(jurisdiction)
    division_model = apps.get_model("boundaries", "Division")
    if not division_model.objects.current().filter(code=code).exists():
        raise UserSetupError(f"辖区 {code} 不是现行行政区划")
    groups = ensure_roles()
    user.jurisdiction_code = code
    user.is_staff = role in STAFF_ROLES
    if not granted_by.is_superuser:
        user.is_superuser = False
    user.save()
    user.groups.set([groups[role]])
    if not granted_by.is_superuser:
        user.user_permissions.clear()  # permissions come from the role only
    return user
