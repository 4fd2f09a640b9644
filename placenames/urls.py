"""API routes of the gazetteer (mounted under /api/placenames/)."""

from django.urls import path

from placenames import api

urlpatterns = [
    path("search", api.search, name="placename-search"),
    path("romanize", api.romanize_view, name="placename-romanize"),
    path("check", api.check, name="placename-check"),
    path("export", api.export, name="placename-export"),
]
