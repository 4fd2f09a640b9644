"""OGC service routes (paths from the site root; included by geoapp.urls)."""

from django.urls import path

from geoapp.ows.views import CivAtlasWFS

urlpatterns = [
    path("ows/wfs", CivAtlasWFS.as_view(), name="wfs"),
]
