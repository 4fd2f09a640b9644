"""View decorators shared by every app: API authentication answered in JSON, page permissions."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse


def api_login_required(view):
    """Like ``login_required`` but answers 401 JSON instead of redirecting to a login page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return JsonResponse({"error": "请先登录（login required）"}, status=401, json_dumps_params={"ensure_ascii": False})
        return view(request, *args, **kwargs)

    return wrapper


def page_permission(permission: str, message: str):
    """Login, then ``user.has_perm(permission)`` before the page is shown (403 with ``message``).

    Refuses *before* the work: a viewer opening a change form is told at once, in words,
    instead of filling it in and being refused on submit. ``message`` is lazy-translated.
    """

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if not request.user.has_perm(permission):
                raise PermissionDenied(str(message))
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
