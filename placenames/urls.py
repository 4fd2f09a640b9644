"""Page routes of the gazetteer (paths from the site root): the public portal, the naming
workflow of zoning staff and the quality audit under /names/, then the signs' pages."""

from django.urls import include, path

from placenames import audit_views, views

urlpatterns = [
    path("names/", views.portal, name="placename-portal"),
    path("names/<int:pk>/", views.place_page, name="placename-page"),
    path("names/<int:pk>/reading", views.confirm_reading, name="placename-confirm-reading"),
    path("names/applications/", views.application_list, name="naming-application-list"),
    path("names/applications/new/", views.application_new, name="naming-application-new"),
    path("names/applications/<int:pk>/", views.application_detail, name="naming-application-detail"),
    path("names/applications/<int:pk>/edit/", views.application_edit, name="naming-application-edit"),
    path("names/applications/<int:pk>/announcement/", views.announcement, name="naming-application-announcement"),
    path("names/applications/<int:pk>/<str:step>", views.application_step, name="naming-application-step"),
    path("names/audit/", audit_views.audit_page, name="placename-audit"),
    path("names/audit.csv", audit_views.audit_csv, name="placename-audit-csv"),
    path("", include("placenames.signs.urls")),
]
