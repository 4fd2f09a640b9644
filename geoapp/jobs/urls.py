"""Job routes: pages under /jobs/, JSON under /api/jobs/ (both included from geoapp.urls)."""

from django.urls import path

from geoapp.jobs import views

page_urlpatterns = [
    path("", views.job_list, name="job-list"),
    path("<int:job_id>/", views.job_page, name="job-page"),
]
api_urlpatterns = [
    path("", views.job_submit, name="job-submit"),
    path("<int:job_id>", views.job_json, name="job-json"),
]
