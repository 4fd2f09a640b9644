"""Page routes of the sign programme (paths from the site root): progress, plans and one
sign under /signs/; the field teams' phone page under /field/, where geoapp serves the
shared field service worker (geoapp.offline) so that its scope covers every field page."""

from django.urls import path

from placenames.signs import views

urlpatterns = [
    path("signs/", views.dashboard, name="sign-dashboard"),
    path("signs/export.csv", views.export_csv, name="sign-export"),
    path("signs/plan/", views.plan_page, name="sign-plan"),
    path("signs/<int:pk>/", views.sign_detail, name="sign-detail"),
    path("signs/photos/<int:pk>/", views.photo, name="sign-photo"),
    path("signs/photos/<int:pk>/thumb/", views.photo, {"thumb": True}, name="sign-photo-thumb"),
    path("field/", views.field_page, name="field"),
]
