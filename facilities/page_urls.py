"""Page routes of the facilities app (mounted under /facilities/)."""

from django.urls import path

from facilities import views

urlpatterns = [
    path("", views.facility_list, name="facility-list"),
    path("export.csv", views.facility_export, name="facility-export"),
    path("import/", views.facility_import, name="facility-import"),
    path("new/", views.facility_create, name="facility-create"),
    path("<int:pk>/", views.facility_detail, name="facility-detail"),
    path("<int:pk>/edit/", views.facility_edit, name="facility-edit"),
    path("gaps/", views.gap_view, name="facility-gaps"),
    path("report/", views.report_page, name="facility-report"),
    path("report/map.html", views.report_map, name="facility-report-map"),
    path("report/<slug:table>.csv", views.report_csv, name="facility-report-csv"),
]
