"""Error answers in the site's language and layout: 403, 404, 500 and a failed CSRF check.

Pages get the site's own page (header, navigation, a sentence saying what happened and
what to do next, in the user's language); requests under ``/api/`` get JSON
``{"error": ...}`` with the same status (``geoapp.access.json_error``), because the
map's scripts read them. A ``PermissionDenied("…")`` raised with a message (e.g.
"缺口分析仅限规划人员…") shows that message, so the person learns *why* they were refused.
The 500 page renders without database access or the request's user: whatever failed may
be the database itself.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.template import loader
from django.utils.translation import gettext as _

from geoapp.access import DEFAULT_REFUSAL, json_error


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _page(request, status: int, title: str, message: str, *, hint: str = "") -> HttpResponse:
    template = loader.get_template("errors/error.html")
    context = {"status": status, "title": title, "message": message, "hint": hint}
    return HttpResponse(template.render(context, request), status=status)


def _exception_message(exception) -> str:
    # Django wraps messages in args; a bare PermissionDenied / Http404 has none worth showing.
    message = str(exception.args[0]) if exception is not None and exception.args else ""
    return "" if message.startswith(("No ", "Resolver404", "{'")) or message == "" else message


def permission_denied(request, exception=None):
    message = _exception_message(exception) or str(DEFAULT_REFUSAL[403])
    if _is_api(request):
        return json_error(message, 403)
    return _page(request, 403, _("没有权限"), message,
                 hint=_("如需此权限，请联系本单位的平台管理员。"))


def page_not_found(request, exception=None):
    message = _exception_message(exception)
    if _is_api(request):
        return json_error(message or DEFAULT_REFUSAL[404], 404)
    return _page(request, 404, _("页面不存在"), message or _("您访问的页面不存在，或已被移除。"),
                 hint=_("请检查地址，或从上方导航进入。"))


def server_error(request):
    if _is_api(request):
        return json_error(_("服务器内部错误，请稍后重试"), 500)
    template = loader.get_template("errors/500.html")
    return HttpResponse(template.render({}), status=500)


def csrf_failure(request, reason=""):
    message = _("表单已过期或来源无法核实（CSRF 校验失败），没有保存任何内容。")
    if _is_api(request):
        return json_error(message, 403)
    return _page(request, 403, _("请求未通过安全校验"), message,
                 hint=_("请返回上一页，刷新后重新提交；如仍失败，请重新登录。"))
