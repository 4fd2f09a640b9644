"""Chinese first: the UI language is the one the user chose, else Simplified Chinese.

Django's LocaleMiddleware also follows the browser's Accept-Language header, which would
show English to a Chinese civil servant whose browser happens to be set up in English.
Here only an explicit choice (the language cookie set by /i18n/setlang/) switches away
from ``LANGUAGE_CODE``.
"""

from __future__ import annotations

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


# --- security middleware (docs/security.md) ------------------------------------------------


def _refusal(request, message: str, status: int):
    """A short Chinese answer: JSON for the API, plain text for pages (no traceback ever)."""
    from django.http import HttpResponse

    from geoapp.access import json_error

    if request.path.startswith("/api/"):
        return json_error(message, status)
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def _has_nul(values) -> bool:
    return any("\x00" in key or any("\x00" in v for v in vals) for key, vals in values.lists())


class RefuseNulBytesMiddleware:
    """Refuse a NUL byte in the path, the query or a form field with 400.

    PostgreSQL cannot store U+0000 in text, so such a value would otherwise reach the
    database driver deep inside a view and fail there. It is never legitimate in a
    name, a code or a reason. Refused once here for every page, API, export and admin
    form; JSON bodies are refused by ``geoapp.jsonbody.parse_json_body``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        message = "请求含有空字符（NUL），已拒绝"
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", "") or _has_nul(request.GET):
            return _refusal(request, message, 400)
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded", "multipart/form-data"
        ):
            from django.http.multipartparser import MultiPartParserError

            try:
                if _has_nul(request.POST):
                    return _refusal(request, message, 400)
            except MultiPartParserError:
                return _refusal(request, "上传的表单数据无法解析", 400)
        return self.get_response(request)


class RequestSizeLimitMiddleware:
    """Refuse a request body larger than ``CIVATLAS_MAX_UPLOAD_BYTES`` before reading it.

    The declared length is checked before one byte is read; Django's handlers then
    never read past it (WSGI limits ``wsgi.input`` to CONTENT_LENGTH), so the check
    holds while streaming. Non-file bodies have the smaller DATA_UPLOAD_MAX_MEMORY_SIZE.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _refusal(request, "请求头 Content-Length 无效", 400)
        limit = settings.CIVATLAS_MAX_UPLOAD_BYTES
        if length > limit:
            return _refusal(
                request, f"请求过大：{length / 1048576:.1f} MB，上限 {limit / 1048576:.0f} MB（每次上传）", 413
            )
        return self.get_response(request)


def content_security_policy() -> str:
    """The CSP of every page: our own scripts only; base-map tiles from their origins."""
    from urllib.parse import urlsplit

    from django.conf import settings

    if settings.CIVATLAS_CSP:
        return settings.CIVATLAS_CSP
    tiles = set()
    for layer in settings.CIVATLAS_BASEMAPS:
        parts = urlsplit(layer["url"].replace("{s}", "x"))
        if parts.scheme and parts.netloc:
            host = parts.netloc
            if "x" in layer.get("subdomains", "") or "{s}" in layer["url"]:
                host = "*." + host.split(".", 1)[1] if "." in host else host
            tiles.add(f"{parts.scheme}://{host}")
    img = " ".join(["'self'", "data:", "blob:", *sorted(tiles)])
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",  # style attributes (Leaflet positions, bars)
        f"img-src {img}",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


class ContentSecurityPolicyMiddleware:
    """Adds the Content-Security-Policy header unless a view set its own (the offline
    folium report, an inline-script document meant to be saved, sets a sandboxing one)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = None

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            if self.policy is None:
                self.policy = content_security_policy()
            response["Content-Security-Policy"] = self.policy
        return response


# A self-contained document with inline scripts (the offline folium map of a report):
# it runs sandboxed in an opaque origin, so its scripts cannot read our cookies or call
# our API with the user's session, and it may load nothing from anywhere.
STANDALONE_DOCUMENT_CSP = (
    "sandbox allow-scripts allow-popups; default-src 'none'; script-src 'unsafe-inline'; "
    "style-src 'unsafe-inline'; img-src data: blob:; font-src data:"
)
