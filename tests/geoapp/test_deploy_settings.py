"""Deployment defaults: DEBUG off unless asked for, no debug pages,
login throttling per account and address, a CSP, security settings from the
environment, and ``check --deploy`` clean under the production environment that
docs/security.md documents (read from that file, so the docs and the test agree)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from geoapp.middleware import content_security_policy
from tests.conftest import PASSWORD

ROOT = Path(settings.BASE_DIR)


def _documented_production_environment() -> dict[str, str]:
    text = (ROOT / "docs" / "security.md").read_text("utf-8")
    block = re.search(r"<!-- production-env -->\s*```sh\n(.*?)```", text, re.S)
    assert block, "docs/security.md lost its production environment block"
    env = {}
    for line in block.group(1).splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _sep, value = line.removeprefix("export ").partition("=")
            env[name] = value.strip("'\"")
    return env


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    # The browser tests' conftest allows sync ORM calls inside Playwright's loop for this
    # test process; a production server never has that, so the child must not inherit it.
    base = {k: v for k, v in os.environ.items()
            if (not k.startswith("CIVATLAS_") or k == "CIVATLAS_TEST_DB") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run([sys.executable, *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True,
                          timeout=120)


def _setting(names: str, env: dict[str, str]) -> str:
    code = f"import django; django.setup(); from django.conf import settings as s; print({names})"
    result = _run(["-c", code], {"DJANGO_SETTINGS_MODULE": "geoapp.settings", **env})
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_debug_is_off_unless_the_environment_turns_it_on():
    assert _setting("s.DEBUG", {}) == "False"
    assert _setting("s.DEBUG", {"CIVATLAS_DEBUG": "1"}) == "True"


def test_there_is_no_fixed_default_secret_key():
    key = _setting("s.SECRET_KEY", {})
    assert len(key) >= 50 and "insecure" not in key


def test_secure_cookies_hsts_and_redirect_come_from_the_environment():
    names = "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT"
    assert _setting(names, {}) == "False False 0 False"
    env = {"CIVATLAS_SECURE_COOKIES": "1", "CIVATLAS_HSTS_SECONDS": "600", "CIVATLAS_SSL_REDIRECT": "true"}
    assert _setting(names, env) == "True True 600 True"


def test_check_deploy_is_clean_under_the_documented_production_environment():
    env = _documented_production_environment()
    assert env["CIVATLAS_DEBUG"] in ("0", "false")
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_bad_security_value_fails_at_start_up_with_its_name():
    result = _run(["-c", "import django; django.setup()"],
                  {"DJANGO_SETTINGS_MODULE": "geoapp.settings", "CIVATLAS_HSTS_SECONDS": "a year"})
    assert result.returncode != 0 and "CIVATLAS_HSTS_SECONDS" in result.stderr


@pytest.mark.parametrize("debug", [False, True])
def test_an_anonymous_nul_byte_request_gets_a_plain_400_never_a_traceback(client, db, debug, settings):
    settings.DEBUG = debug  # the answer must not depend on DEBUG
    for url in ("/api/divisions/search?q=a%00b", "/api/placenames/search?q=%00", "/names/?q=%00", "/%00/"):
        response = client.get(url)
        assert response.status_code == 400, url
        body = response.content.decode()
        assert "空字符" in body and "Traceback" not in body and "SECRET_KEY" not in body


def test_a_nul_byte_in_a_form_field_is_refused_before_any_view(client, zoning_officer):
    client.force_login(zoning_officer)
    response = client.post("/api/placenames/check", {"name": "永\x00清", "kind": "street", "division": "620521"})
    assert response.status_code == 400 and "空字符" in response.json()["error"]


def test_a_404_does_not_list_the_url_patterns(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"admin/" not in response.content and b"urlpatterns" not in response.content.lower()


@pytest.mark.parametrize("login_url", ["/accounts/login/", "/admin/login/"])
def test_wrong_passwords_lock_the_account_at_that_address_then_the_right_one_fails_too(
        client, zoning_officer, login_url, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(login_url, {"username": zoning_officer.username, "password": "wrong"},
                               REMOTE_ADDR="10.0.0.7")
        assert response.status_code in (200, 429)
    locked = client.post(login_url, {"username": zoning_officer.username, "password": PASSWORD}, REMOTE_ADDR="10.0.0.7")
    assert locked.status_code == 429
    assert "暂时锁定" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Per account and address: the same officer at their own desk still gets in.
    ok = client.post("/accounts/login/", {"username": zoning_officer.username, "password": PASSWORD},
                     REMOTE_ADDR="10.0.0.8")
    assert ok.status_code == 302 and client.session.get("_auth_user_id") == str(zoning_officer.pk)


def test_every_page_carries_a_csp_without_inline_scripts(client, db):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    script_src = next(p for p in policy.split(";") if p.strip().startswith("script-src"))
    assert script_src.split() == ["script-src", "'self'"]
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


def test_the_csp_allows_the_configured_base_map_origins(settings):
    settings.CIVATLAS_BASEMAPS = [{"name": "内网底图", "url": "https://tiles.intranet.gov.cn/{z}/{x}/{y}.png"}]
    assert "https://tiles.intranet.gov.cn" in content_security_policy()


def test_our_pages_have_no_inline_scripts_or_event_handlers():
    """What the CSP forbids, the templates must not use (JSON data blocks are fine)."""
    offenders = []
    for app in ("geoapp", "boundaries", "placenames", "facilities"):
        for path in (ROOT / app / "templates").rglob("*.html"):
            text = path.read_text("utf-8")
            for tag in re.findall(r"<script\b[^>]*>", text):
                if "src=" not in tag and "application/json" not in tag:
                    offenders.append(f"{path.name}: {tag}")
            offenders += [f"{path.name}: {m}" for m in re.findall(r"\son[a-z]+=\"", text)]
    assert offenders == []


def test_a_request_body_over_the_limit_is_refused_before_it_is_read(client, field_worker, settings):
    client.force_login(field_worker)
    response = client.generic("POST", "/api/signs/1/installations/", b"x" * 10, content_type="multipart/form-data",
                              CONTENT_LENGTH=str(settings.CIVATLAS_MAX_UPLOAD_BYTES + 1))
    assert response.status_code == 413 and "请求过大" in response.json()["error"]
