"""Page routes of the sign programme (mounted under /signs/): progress, plans, one sign."""

from django.urls import path

from placenames import sign_views

urlpatterns = [
    path("", sign_views.dashboard, name="sign-dashboard"),
    path("export.csv", sign_views.export_csv, name="sign-export"),
    path("plan/", sign_views.plan_page, name="sign-plan"),
    path("<int:pk>/", sign_views.sign_detail, name="sign-detail"),
    path("photos/<int:pk>/", sign_views.photo, name="sign-photo"),
    path("photos/<int:pk>/thumb/", sign_views.photo, {"thumb": True}, name="sign-photo-thumb"),
]
