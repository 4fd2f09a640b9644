"""View decorators shared by every app's API: authentication answered in JSON."""

from __future__ import annotations

from functools import wraps

from django.http import JsonResponse


def api_login_required(view):
    """Like ``login_required`` but answers 401 JSON instead of redirecting to a login page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return JsonResponse({"error": "请先登录（login required）"}, status=401, json_dumps_params={"ensure_ascii": False})
        return view(request, *args, **kwargs)

    return wrapper
