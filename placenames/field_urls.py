"""The field teams' phone page (mounted under /field/) and its service worker, served
from the same folder so that the worker's scope covers the page."""

from django.urls import path

from placenames import sign_views

urlpatterns = [
    path("", sign_views.field_page, name="field"),
    path("sw.js", sign_views.service_worker, name="field-worker"),
    path("offline.json", sign_views.offline_manifest, name="field-offline"),
]
