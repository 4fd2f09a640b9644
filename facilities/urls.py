"""Facility API routes, mounted at /api/facilities/."""

from django.urls import path

from facilities import api

app_name = "facilities"

urlpatterns = [
    path("", api.facility_list, name="list"),
    path("gaps", api.gaps, name="gaps"),
    path("suggest", api.suggest, name="suggest"),
    path("scenarios", api.scenarios, name="scenarios"),
    path("scenarios/compare", api.scenario_compare, name="scenario-compare"),
    path("scenarios/<int:scenario_id>", api.scenario_detail, name="scenario-detail"),
]
