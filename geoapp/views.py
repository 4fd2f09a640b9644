"""The map workspace page (one Leaflet map for every job, configured through json_script) and the login page."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language

from geoapp import registry
from geoapp.navigation import landing_url, may_use


def map_config(request) -> dict:
    """Everything the map's JavaScript needs, passed as JSON (never as JS strings).

    The API and page URLs and the legends come from the map layers the apps declare
    (``geoapp.registry.MapLayer``), so geoapp names none of them.
    """
    user = request.user
    home = settings.CIVATLAS_HOME_DIVISION
    if user.is_authenticated and getattr(user, "jurisdiction_code", ""):
        home = user.jurisdiction_code
    layers = registry.map_layers()
    config = {
        "home": home,
        "basemaps": settings.CIVATLAS_BASEMAPS,
        "language": get_language(),
        "api": {link.key: _map_url(link, user) for layer in layers for link in layer.api},
    }
    config.update({layer.key: layer.legend() for layer in layers if layer.legend})
    config["pages"] = {link.key: _map_url(link, user) for layer in layers for link in layer.pages}
    config["user"] = {
        "authenticated": user.is_authenticated,
        "username": user.get_username() if user.is_authenticated else "",
        "role": user.role.value if user.is_authenticated and user.role else "",
        "jurisdiction": getattr(user, "jurisdiction_code", "") if user.is_authenticated else "",
    }
    return config


def _map_url(link: registry.MapUrl, user) -> str:
    """``link`` reversed, its sample path segment turned into the script's placeholder;
    "" when it is for a navigation entry ``user`` may not open."""
    if link.nav and not may_use(user, link.nav):
        return ""
    if not link.arg:
        return reverse(link.url_name)
    return reverse(link.url_name, args=[link.arg]).replace(f"/{link.arg}/", f"/{link.placeholder}/")


def map_workspace(request):
    return render(request, "geoapp/map.html", {"map_config": map_config(request)})


class LoginView(auth_views.LoginView):
    """The login form, saying why it is shown, and landing each role on its own first page.

    A person sent here from a page that needs an account is told so (and which page);
    without a ``next`` a field worker lands on the phone page ``/field/``
    (``geoapp.navigation.landing_url``), everyone else on the map.
    """

    def get_default_redirect_url(self):
        return landing_url(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        next_url = self.get_redirect_url()
        context["login_reason"] = bool(next_url) and next_url != "/" and not self.request.user.is_authenticated
        context["next_path"] = next_url.split("?")[0] if next_url else ""
        return context
