from django.urls import path

from boundaries import api

urlpatterns = [
    path("divisions/", api.division_list, name="division-list"),
    path("divisions/search", api.division_search, name="division-search"),
    path("divisions/<str:code>/", api.division_detail, name="division-detail"),
    path("boundary-lines/", api.boundary_line_list, name="boundary-line-list"),
]
