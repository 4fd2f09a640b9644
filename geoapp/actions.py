"""Actions on users: create or update a user with one role and a jurisdiction."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction

from geoapp.jurisdiction import normalise_code
from geoapp.roles import STAFF_ROLES, Role, ensure_roles


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
