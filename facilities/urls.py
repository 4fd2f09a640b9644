"""Page routes of the facilities app (paths from the site root; included by geoapp.urls)."""

from django.urls import path

from facilities import views

urlpatterns = [
    path("facilities/", views.facility_list, name="facility-list"),
    path("facilities/export.csv", views.facility_export, name="facility-export"),
    path("facilities/import/", views.facility_import, name="facility-import"),
    path("facilities/new/", views.facility_create, name="facility-create"),
    path("facilities/<int:pk>/", views.facility_detail, name="facility-detail"),
    path("facilities/<int:pk>/edit/", views.facility_edit, name="facility-edit"),
    path("facilities/gaps/", views.gap_view, name="facility-gaps"),
    path("facilities/report/", views.report_page, name="facility-report"),
    path("facilities/report/map.html", views.report_map, name="facility-report-map"),
    path("facilities/report/<slug:table>.csv", views.report_csv, name="facility-report-csv"),
]
