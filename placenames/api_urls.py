"""API routes of the gazetteer (paths below /api/), then the signs' API."""

from django.urls import include, path

from placenames import api

urlpatterns = [
    path("placenames/search", api.search, name="placename-search"),
    path("placenames/romanize", api.romanize_view, name="placename-romanize"),
    path("placenames/check", api.check, name="placename-check"),
    path("placenames/export", api.export, name="placename-export"),
    path("", include("placenames.signs.api_urls")),
]
