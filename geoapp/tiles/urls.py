"""Tile routes (paths from the site root; included by geoapp.urls)."""

from django.urls import path

from geoapp.tiles import views

urlpatterns = [
    path("tiles/<str:layer>/<int:z>/<int:x>/<int:y>.mvt", views.tile, name="tile"),
]
