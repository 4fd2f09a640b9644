"""API routes of place-name signs (mounted under /api/signs/)."""

from django.urls import path

from placenames import sign_api

urlpatterns = [
    path("", sign_api.sign_list, name="sign-list"),
    path("<int:sign_id>/installations/", sign_api.installations, name="sign-installations"),
    path("<int:sign_id>/inspections/", sign_api.inspections, name="sign-inspections"),
]
