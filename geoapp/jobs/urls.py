"""Job pages (paths from the site root; included by geoapp.urls)."""

from django.urls import path

from geoapp.jobs import views

urlpatterns = [
    path("jobs/", views.job_list, name="job-list"),
    path("jobs/<int:job_id>/", views.job_page, name="job-page"),
]
