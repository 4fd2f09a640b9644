"""The map workspace page: one Leaflet map for every job, configured through json_script."""

from __future__ import annotations

from django.apps import apps
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
            "placename_search": reverse("placename-search"),
            "facilities": reverse("facilities:list"),
            "facility_gaps": reverse("facilities:gaps"),
        },
        "facilities": facility_legend(),
        "pages": {
            "facility": reverse("facility-detail", args=[0]).replace("/0/", "/{id}/"),
            "facility_list": reverse("facility-list"),
            "facility_gaps": reverse("facility-gaps"),
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
