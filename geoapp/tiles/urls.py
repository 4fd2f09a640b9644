"""Tile routes (mounted under /tiles/)."""

from django.urls import path

from geoapp.tiles import views

urlpatterns = [
    path("<str:layer>/<int:z>/<int:x>/<int:y>.mvt", views.tile, name="tile"),
]
