"""Who is calling a WFS request: the browser session, or an access token.

Tokens come as ``Authorization: Token <token>`` (GDAL: ``GDAL_HTTP_HEADERS``) or as HTTP
Basic with the username and the token as password (QGIS's "Basic" authentication). A
user's own password is never accepted here, so password guessing stays behind the login
page and its lockout.
"""

from __future__ import annotations

import base64
import binascii

from django.utils import timezone

from geoapp.ows.models import AccessToken, token_digest


def user_from_token(request):
    """The active user the request's token belongs to, or None."""
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    username = None
    if scheme.lower() == "token":
        token = value.strip()
    elif scheme.lower() == "basic":
        try:
            username, _, token = base64.b64decode(value.strip()).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
    else:
        return None
    found = AccessToken.objects.select_related("user").filter(digest=token_digest(token), revoked=False).first()
    if found is None or not found.user.is_active or (username is not None and username != found.user.get_username()):
        return None
    AccessToken.objects.filter(pk=found.pk).update(last_used=timezone.now())
    return found.user
