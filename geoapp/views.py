"""The map workspace page (one Leaflet map for every job, configured through json_script) and the login page."""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language

from geoapp.navigation import landing_url, may_use


def map_config(request) -> dict:
    """Everything the map's JavaScript needs, passed as JSON (never as JS strings)."""
    user = request.user
    home = settings.CIVATLAS_HOME_DIVISION
    if user.is_authenticated and getattr(user, "jurisdiction_code", ""):
        home = user.jurisdiction_code
    return {
        "home": home,
        "basemaps": settings.CIVATLAS_BASEMAPS,
        "language": get_language(),
        "api": {
            "divisions": reverse("division-list"),
            "division_detail": reverse("division-detail", args=["000000000000"]).replace("000000000000", "{code}"),
            "division_search": reverse("division-search"),
            "placename_search": reverse("placename-search"),
            "facilities": reverse("facilities:list"),
            "facility_gaps": reverse("facilities:gaps"),
        },
        "facilities": facility_legend(),
        "pages": {
            "facility": reverse("facility-detail", args=[0]).replace("/0/", "/{id}/"),
            "facility_list": reverse("facility-list"),
            "facility_gaps": reverse("facility-gaps") if may_use(user, "gaps") else "",
        },
        "user": {
            "authenticated": user.is_authenticated,
            "username": user.get_username() if user.is_authenticated else "",
            "role": user.role.value if user.is_authenticated and user.role else "",
            "jurisdiction": getattr(user, "jurisdiction_code", "") if user.is_authenticated else "",
        },
    }


def facility_legend() -> dict:
    """Kinds, statuses and detail-field labels of the facility layer, from the models.

    Looked up by name so geoapp does not import the facilities app (imports flow one way).
    """
    facility = apps.get_model("facilities", "Facility")
    labels = {}
    for name in ("Facility", "ElderlyCareDetails", "StationDetails", "CommunityDetails"):
        for field in apps.get_model("facilities", name)._meta.concrete_fields:
            if not field.is_relation and field.name not in ("id", "location", "name", "kind", "status"):
                labels[field.name] = str(field.verbose_name)
    return {
        "kinds": [{"value": v, "label": str(label)} for v, label in facility._meta.get_field("kind").choices],
        "statuses": [{"value": v, "label": str(label)} for v, label in facility._meta.get_field("status").choices],
        "labels": labels,
    }


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
