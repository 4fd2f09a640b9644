"""API routes of the inspection work (paths below /api/)."""

from django.urls import path

from boundaries.inspections import api

urlpatterns = [
    path("inspections/field/", api.field_data, name="inspection-field-data"),
    path("inspections/markers/", api.marker_list, name="marker-list"),
    path("inspections/telemetry", api.telemetry, name="marker-telemetry"),
    path("inspections/<int:pk>/start", api.start, name="inspection-field-start"),
    path("inspections/<int:pk>/checks/", api.checks, name="inspection-checks"),
    path("inspections/<int:pk>/findings/", api.findings, name="inspection-findings"),
    path("inspections/<int:pk>/tracks/", api.tracks, name="inspection-tracks"),
]
