"""Facility API routes, mounted at /api/facilities/."""

from django.urls import path

from facilities import api

app_name = "facilities"

urlpatterns = [
    path("", api.facility_list, name="list"),
    path("gaps", api.gaps, name="gaps"),
]
