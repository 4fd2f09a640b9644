"""API routes of place-name signs (paths below /api/)."""

from django.urls import path

from placenames.signs import api

urlpatterns = [
    path("signs/", api.sign_list, name="sign-list"),
    path("signs/<int:sign_id>/installations/", api.installations, name="sign-installations"),
    path("signs/<int:sign_id>/inspections/", api.inspections, name="sign-inspections"),
]
