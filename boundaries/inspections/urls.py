"""API routes of the inspection work (mounted under /api/inspections/)."""

from django.urls import path

from boundaries.inspections import api

urlpatterns = [
    path("field/", api.field_data, name="inspection-field-data"),
    path("markers/", api.marker_list, name="marker-list"),
    path("telemetry", api.telemetry, name="marker-telemetry"),
    path("<int:pk>/start", api.start, name="inspection-field-start"),
    path("<int:pk>/checks/", api.checks, name="inspection-checks"),
    path("<int:pk>/findings/", api.findings, name="inspection-findings"),
    path("<int:pk>/tracks/", api.tracks, name="inspection-tracks"),
]
