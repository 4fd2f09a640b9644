"""Page routes of the gazetteer (mounted under /names/): the public portal, the naming
workflow of zoning staff and the quality audit."""

from django.urls import path

from placenames import audit_views, views

urlpatterns = [
    path("", views.portal, name="placename-portal"),
    path("<int:pk>/", views.place_page, name="placename-page"),
    path("<int:pk>/reading", views.confirm_reading, name="placename-confirm-reading"),
    path("applications/", views.application_list, name="naming-application-list"),
    path("applications/new/", views.application_new, name="naming-application-new"),
    path("applications/<int:pk>/", views.application_detail, name="naming-application-detail"),
    path("applications/<int:pk>/edit/", views.application_edit, name="naming-application-edit"),
    path("applications/<int:pk>/announcement/", views.announcement, name="naming-application-announcement"),
    path("applications/<int:pk>/<str:step>", views.application_step, name="naming-application-step"),
    path("audit/", audit_views.audit_page, name="placename-audit"),
    path("audit.csv", audit_views.audit_csv, name="placename-audit-csv"),
]
