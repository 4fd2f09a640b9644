"""The field teams' phone page (mounted under /field/) and the shared field service worker
(geoapp.offline), served from this folder so that its scope covers every field page."""

from django.urls import path

from geoapp import offline
from placenames import sign_views

urlpatterns = [
    path("", sign_views.field_page, name="field"),
    path("sw.js", offline.service_worker, name="field-worker"),
    path("offline.json", offline.offline_manifest, name="field-offline"),
]
