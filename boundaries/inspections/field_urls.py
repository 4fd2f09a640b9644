"""The inspection phone page (mounted under /field/inspections/, inside the scope of the
shared field service worker at /field/sw.js)."""

from django.urls import path

from boundaries.inspections import field_views

urlpatterns = [
    path("", field_views.field_page, name="inspection-field"),
]
