"""The CivAtlas user: a Django user with a jurisdiction and one role."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from geoapp.jurisdiction import code_prefix, is_within
from geoapp.roles import ROLE_ORDER, Role


class User(AbstractUser):
    """A staff member of a civil-affairs bureau (民政局工作人员).

    ``jurisdiction_code`` is the 12-digit code of the division the user works for;
    they see and act only inside its code prefix (``geoapp.jurisdiction``). It is a
    code, not a foreign key, so ``geoapp`` does not depend on ``boundaries``.
    """

    jurisdiction_code = models.CharField(
        _("辖区代码"), max_length=12, blank=True, help_text=_("12 位统计用区划代码，如 620521000000")
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    @property
    def role(self) -> Role | None:
        names = set(self.groups.values_list("name", flat=True))
        for role in ROLE_ORDER:
            if role.value in names:
                return role
        return None

    @property
    def jurisdiction_prefix(self) -> str | None:
        """Code prefix of the jurisdiction; '' (everything) for superusers; None if unset."""
        if self.is_superuser:
            return ""
        return code_prefix(self.jurisdiction_code) if self.jurisdiction_code else None

    def can_act_on(self, code: str) -> bool:
        """True when the division ``code`` lies inside this user's jurisdiction."""
        if not self.is_active:
            return False
        if self.is_superuser:
            return True
        return bool(self.jurisdiction_code) and is_within(code, self.jurisdiction_code)
