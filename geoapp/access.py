"""Who may open a view, and the one shape of an API's refusal: ``require`` and ``json_error``.

Every page and API view of every app says what it needs with one decorator,
``@require("app.codename", json=..., load=...)``: a logged-in user (pages send the
anonymous to the login page, APIs answer 401 in JSON), then the Django permission
(``user.has_perm``; a role is nothing but a group of permissions, ``geoapp.roles``),
then, with ``load``, the view's object looked up through the user's scoped queryset
(``geoapp.jurisdiction``), so a row of another jurisdiction is not found (404) exactly
as a row that does not exist. Refusals of pages are raised and rendered by
``geoapp.errors`` in the site's layout; refusals of APIs are ``json_error`` answers,
as is every other error an API gives (docs/adr/0029).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.utils.translation import gettext_lazy as _

Message = str | list[str]

# What a refusal says when the view gave no reason (pages: geoapp.errors; APIs: require).
DEFAULT_REFUSAL = {401: _("请先登录"), 403: _("您的角色或辖区没有使用此功能的权限。"), 404: _("未找到")}


def json_error(message: Message, status: int = 400, **extra) -> JsonResponse:
    """The error answer of every API, in Chinese without escapes.

    One message gives ``{"error": "…"}``; a list (the field APIs report every problem of a
    record at once, and their offline queues show the list) gives ``{"errors": […]}``.
    ``extra`` adds keys, e.g. the boundary editor's ``location`` of a refused vertex.
    """
    body = {"errors": [str(m) for m in message]} if isinstance(message, list | tuple) else {"error": str(message)}
    return JsonResponse({**body, **extra}, status=status, json_dumps_params={"ensure_ascii": False})


@dataclass(frozen=True)
class Load:
    """The object a view works on, found inside the user's jurisdiction.

    ``rows(user)`` is the user's scoped queryset (``Model.objects.for_user(user)``); the
    URL parameter ``kwarg`` holds the primary key, and the view receives the object as
    the keyword argument ``name`` instead. ``missing`` is the 404 message (``{pk}`` is
    filled in). ``outside(obj)``, when given, is the 403 message for a row that exists
    but lies outside the scope — for the field APIs, whose phones tell the worker the sign
    is not theirs rather than that it does not exist.
    """

    name: str
    rows: Callable
    kwarg: str = "pk"
    missing: Message = ""
    outside: Callable | None = None

    def find(self, user, pk):
        """(object, None) or (None, (status, message))."""
        rows = self.rows(user)
        found = rows.filter(pk=pk).first()
        if found is not None:
            return found, None
        if self.outside is not None:
            other = rows.model._default_manager.filter(pk=pk).first()
            if other is not None:
                return None, (403, self.outside(other))
        missing = self.missing
        if isinstance(missing, list | tuple):
            missing = [str(m).format(pk=pk) for m in missing]
        elif missing:
            missing = str(missing).format(pk=pk)
        return None, (404, missing)


def require(perm: str | tuple[str, ...] | None = None, *, json: bool = False, load: Load | None = None,
            message: Message | None = None):
    """Login, then the permission ``perm`` (None: login only; a tuple: any one of them),
    then the object ``load`` describes; the view runs only when all three hold.

    ``json=True`` answers refusals with ``json_error`` (401 for the anonymous, 403 without
    the permission, 404 or 403 from ``load``); pages redirect the anonymous to the login
    page and raise ``PermissionDenied``/``Http404``, which ``geoapp.errors`` renders.
    ``message`` is the 403's explanation (a list for APIs that answer ``{"errors": […]}``);
    refusing before the work tells a viewer at once why a form is not theirs.
    """
    perms = (perm,) if isinstance(perm, str) else tuple(perm or ())

    def refuse(status: int, text: Message | None):
        if json:
            return json_error(text or DEFAULT_REFUSAL[status], status)
        plain = "；".join(map(str, text)) if isinstance(text, list | tuple) else str(text or "")
        raise Http404(plain) if status == 404 else PermissionDenied(plain)

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return refuse(401, None) if json else redirect_to_login(request.get_full_path())
            if perms and not any(user.has_perm(p) for p in perms):
                return refuse(403, message)
            if load is not None:
                found, refusal = load.find(user, kwargs.pop(load.kwarg))
                if refusal is not None:
                    return refuse(*refusal)
                kwargs[load.name] = found
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
