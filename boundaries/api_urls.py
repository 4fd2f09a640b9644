"""API routes of the boundaries app (paths below /api/; included by geoapp.urls)."""

from django.urls import include, path

from boundaries import api, edit_api, export_views

urlpatterns = [
    path("divisions/", api.division_list, name="division-list"),
    path("divisions/search", api.division_search, name="division-search"),
    path("divisions/at", api.division_at, name="division-at"),
    path("divisions/<str:code>/", api.division_detail, name="division-detail"),
    path("boundary-lines/", api.boundary_line_list, name="boundary-line-list"),
    path("coverage/", api.coverage, name="coverage-check"),
    path("boundary-lines/<int:line_id>/", edit_api.line_detail, name="boundary-line-detail"),
    path("boundary-lines/<int:line_id>/edits/", edit_api.propose, name="boundary-line-propose"),
    path("line-edits/<int:edit_id>/", edit_api.edit_detail, name="line-edit-detail"),
    path("line-edits/<int:edit_id>/<str:decision>", edit_api.decide, name="line-edit-decide"),
    path("export/boundaries", export_views.export_view, name="boundary-export"),
    path("", include("boundaries.inspections.api_urls")),
]
