"""Job API (paths below /api/; included by geoapp.urls)."""

from django.urls import path

from geoapp.jobs import views

urlpatterns = [
    path("jobs/", views.job_submit, name="job-submit"),
    path("jobs/<int:job_id>", views.job_json, name="job-json"),
]
