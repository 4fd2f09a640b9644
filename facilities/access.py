"""Who may do what with facilities, in one place for pages and API alike.

* Registry: every role may view (geoapp.roles); planners and administrators add and
  change facilities, inside their jurisdiction only.
* Gap analysis, site suggestions and reports: planners, administrators and zoning
  officers (the people who plan services and divisions), inside their jurisdiction.
  Field workers and viewers read the map, not the analysis.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.utils.translation import gettext as _

from geoapp.roles import Role

ANALYSIS_ROLES = frozenset({Role.ADMIN, Role.ZONING, Role.PLANNER})


def may_analyse(user) -> bool:
    """Whether ``user`` may run gap analyses and site suggestions at all."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.role in ANALYSIS_ROLES


def may_analyse_in(user, code: str) -> bool:
    return may_analyse(user) and user.can_act_on(code)


def may_edit_in(user, code: str) -> bool:
    """Whether ``user`` may register or change facilities in the division ``code``."""
    return user.is_authenticated and user.has_perm("facilities.change_facility") and user.can_act_on(code)


def analysis_page(view):
    """Login, then an analysis role (403 otherwise); the division check is the view's."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not may_analyse(request.user):
            raise PermissionDenied(_("缺口分析仅限规划人员、区划地名工作人员和管理员使用"))
        return view(request, *args, **kwargs)

    return wrapper


def editor_page(view):
    """Login, then the permission to change facilities (the division check is the form's)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.has_perm("facilities.change_facility"):
            raise PermissionDenied(_("您没有登记民政设施的权限"))
        return view(request, *args, **kwargs)

    return wrapper


def analysis_api(view):
    """Like ``analysis_page`` but answering 401/403 in JSON."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return JsonResponse({"error": _("请先登录")}, status=401, json_dumps_params={"ensure_ascii": False})
        if not may_analyse(request.user):
            return JsonResponse(
                {"error": _("缺口分析仅限规划人员、区划地名工作人员和管理员使用")}, status=403,
                json_dumps_params={"ensure_ascii": False},
            )
        return view(request, *args, **kwargs)

    return wrapper
