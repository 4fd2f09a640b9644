"""OGC service routes (mounted under /ows/)."""

from django.urls import path

from geoapp.ows.views import CivAtlasWFS

urlpatterns = [
    path("wfs", CivAtlasWFS.as_view(), name="wfs"),
]
