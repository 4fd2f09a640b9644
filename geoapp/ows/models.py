"""Access tokens for desktop GIS clients (QGIS, GDAL) that cannot hold a browser session.

Only a hash of the token is stored; the token itself is shown once when it is issued
(``manage.py issue_token <username>``). A token acts as its user: the same role and
jurisdiction scoping as a logged-in session.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class AccessToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(_("令牌摘要"), max_length=64, unique=True, editable=False)
    label = models.CharField(_("用途"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("签发时间"), auto_now_add=True)
    last_used = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked = models.BooleanField(_("已吊销"), default=False)

    class Meta:
        verbose_name = _("访问令牌")
        verbose_name_plural = _("访问令牌")

    def __str__(self) -> str:
        return f"{self.user} {self.label}".strip()

    @classmethod
    def issue(cls, user, label: str = "") -> tuple[AccessToken, str]:
        """A new token for ``user``: the row and the plain token (shown once)."""
        token = secrets.token_urlsafe(32)
        return cls.objects.create(user=user, digest=token_digest(token), label=label), token
