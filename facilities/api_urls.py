"""API routes of the facilities app (paths below /api/; included by geoapp.urls)."""

from django.urls import path

from facilities import api

app_name = "facilities"

urlpatterns = [
    path("facilities/", api.facility_list, name="list"),
    path("facilities/gaps", api.gaps, name="gaps"),
    path("facilities/suggest", api.suggest, name="suggest"),
    path("facilities/scenarios", api.scenarios, name="scenarios"),
    path("facilities/scenarios/compare", api.scenario_compare, name="scenario-compare"),
    path("facilities/scenarios/<int:scenario_id>", api.scenario_detail, name="scenario-detail"),
]
