"""Access tokens for QGIS: HTTP Basic with the token as password, or ``Authorization: Token``;
never the user's own password, never a revoked token."""

from __future__ import annotations

import base64

from geoapp.ows.models import AccessToken
from tests.conftest import PASSWORD

CAPABILITIES = "/ows/wfs?SERVICE=WFS&REQUEST=GetCapabilities"


def _basic(username: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{secret}".encode()).decode()


def _types(client, **headers) -> str:
    response = client.get(CAPABILITIES, **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_boundary_lines_are_offered_only_with_a_valid_token(client, zoning_officer):
    row, token = AccessToken.issue(zoning_officer, "QGIS")
    assert "boundary_lines" not in _types(client)
    assert "boundary_lines" in _types(client, HTTP_AUTHORIZATION=f"Token {token}")
    assert "boundary_lines" in _types(client, HTTP_AUTHORIZATION=_basic("zoning_qs", token))
    assert "boundary_lines" not in _types(client, HTTP_AUTHORIZATION=_basic("zoning_qs", PASSWORD))
    assert "boundary_lines" not in _types(client, HTTP_AUTHORIZATION=_basic("someone_else", token))
    row.revoked = True
    row.save()
    assert "boundary_lines" not in _types(client, HTTP_AUTHORIZATION=f"Token {token}")


def test_only_a_digest_of_the_token_is_stored(zoning_officer):
    row, token = AccessToken.issue(zoning_officer)
    assert token not in row.digest and len(row.digest) == 64
