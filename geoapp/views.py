"""The map workspace page: one Leaflet map for every job, configured through json_script."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language


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
        },
        "user": {
            "authenticated": user.is_authenticated,
            "username": user.get_username() if user.is_authenticated else "",
            "role": user.role.value if user.is_authenticated and user.role else "",
            "jurisdiction": getattr(user, "jurisdiction_code", "") if user.is_authenticated else "",
        },
    }


def map_workspace(request):
    return render(request, "geoapp/map.html", {"map_config": map_config(request)})
