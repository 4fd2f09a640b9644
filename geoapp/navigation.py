"""The site navigation: which pages each role sees in the header, and where each role lands.

One table (``NAV_ITEMS``) says which page a menu entry opens and who may use it, so the
header shows a person only what they can do (a viewer does not see the boundary editor
and then get refused). Each rule is the same test the page itself makes: a model
permission from ``geoapp.roles``, or a named predicate of the app that owns the page,
looked up by dotted path so that geoapp does not import the apps above it (imports flow
one way, DESIGN.md Layout). ``landing_url`` sends a field worker, whose work is on the
phone page, to ``/field/`` after login.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from geoapp.roles import Role


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url_name: str
    permission: str = ""  # "app.codename"; empty: anyone (public page)
    predicate: str = ""  # dotted path of a function(user) -> bool, tested after permission
    login: bool = False

    def allows(self, user) -> bool:
        if (self.login or self.permission or self.predicate) and not user.is_authenticated:
            return False
        if self.permission and not user.has_perm(self.permission):
            return False
        return not self.predicate or import_string(self.predicate)(user)


NAV_ITEMS = (
    NavItem("map", _("区划地图"), "map"),
    NavItem("names", _("地名查询"), "placename-portal"),
    NavItem("field", _("外业采集"), "field", permission="placenames.add_signinstallation"),
    NavItem("editor", _("界线编辑"), "boundary-editor", permission="boundaries.edit_boundaryline"),
    NavItem("changes", _("区划调整"), "division-change-list", permission="boundaries.change_division"),
    NavItem("inspections", _("界线联检"), "inspection-schedule", permission="boundaries.view_jointinspection"),
    NavItem("naming", _("命名更名"), "naming-application-list", permission="placenames.add_namingapplication"),
    NavItem("signs", _("地名标志"), "sign-dashboard", permission="placenames.view_sign"),
    NavItem("facilities", _("民政设施"), "facility-list", permission="facilities.view_facility"),
    NavItem("gaps", _("缺口分析"), "facility-gaps", permission="facilities.analyse_facility"),
)

# Where each role starts its day when the login form had no ``next``.
LANDING = {Role.FIELD: "field"}


class Navigation:
    """The entries one user may open, with the current one marked (lazy, per request)."""

    def __init__(self, request):
        self.request = request

    @cached_property
    def items(self) -> list[dict]:
        user = self.request.user
        path = self.request.path
        entries = []
        for item in NAV_ITEMS:
            if not item.allows(user):
                continue
            url = reverse(item.url_name)
            current = path == url if url == "/" else path.startswith(url)
            entries.append({"key": item.key, "label": item.label, "url": url, "current": current})
        # The longest matching prefix is the current page (/facilities/gaps/ is not 民政设施).
        matching = [e for e in entries if e["current"]]
        for entry in matching:
            entry["current"] = entry is max(matching, key=lambda e: len(e["url"]))
        return entries


def navigation(request) -> dict:
    """Context processor: ``nav`` (entries this user may open) and ``help_url``."""
    return {"nav": Navigation(request), "help_url": reverse("help")}


def landing_url(user) -> str:
    """The page a user lands on after logging in without a ``next``."""
    name = LANDING.get(user.role) if user.is_authenticated else None
    return reverse(name) if name else reverse("map")


def may_use(user, key: str) -> bool:
    """Whether the navigation entry ``key`` is open to ``user`` (pages refuse the same way)."""
    return next(item for item in NAV_ITEMS if item.key == key).allows(user)
