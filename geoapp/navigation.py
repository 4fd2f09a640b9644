"""The site navigation: which pages each person sees in the header, and where each lands.

Every app declares its header entries and landing pages in its ``AppConfig.ready``
(``geoapp.registry``: ``NavEntry``, ``LandingPage``); this module only iterates them, so
geoapp names no feature page. Each entry carries the same test the page itself makes (a
model permission, or a named predicate of the app that owns the page, looked up by
dotted path), so the header shows a person only what they can do (a viewer does not see
the boundary editor and then get refused). ``landing_url`` sends someone whose work is
on a phone page (a field worker, to ``/field/``) there after login, chosen by permission.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.functional import cached_property

from geoapp import registry


class Navigation:
    """The entries one user may open, with the current one marked (lazy, per request)."""

    def __init__(self, request):
        self.request = request

    @cached_property
    def items(self) -> list[dict]:
        user = self.request.user
        path = self.request.path
        entries = []
        for item in registry.nav_entries():
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
    if user.is_authenticated:
        for page in registry.landing_pages():
            if page.suits(user):
                return reverse(page.url_name)
    return reverse("map")


def may_use(user, key: str) -> bool:
    """Whether the navigation entry ``key`` is open to ``user`` (pages refuse the same way)."""
    return next(item for item in registry.nav_entries() if item.key == key).allows(user)
