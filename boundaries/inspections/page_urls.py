"""Page routes of the inspection work (mounted under /boundaries/inspections/)."""

from django.urls import path

from boundaries.inspections import views

urlpatterns = [
    path("", views.schedule_page, name="inspection-schedule"),
    path("lines/<int:line_id>/", views.line_page, name="boundary-line-page"),
    path("lines/<int:line_id>/plan", views.plan_view, name="inspection-plan"),
    path("lines/<int:line_id>/agreement", views.agreement_view, name="agreement-new"),
    path("agreements/<int:pk>/<str:which>", views.agreement_file, name="agreement-file"),
    path("lines/<int:line_id>/markers/", views.marker_register, name="marker-register"),
    path("lines/<int:line_id>/markers.csv", views.marker_export, name="marker-export"),
    path("lines/<int:line_id>/markers/print/", views.marker_register_print, name="marker-register-print"),
    path("<int:pk>/", views.inspection_detail, name="inspection-detail"),
    path("<int:pk>/report/", views.report_html, name="inspection-report"),
    path("<int:pk>/report.pdf", views.report_pdf, name="inspection-report-pdf"),
    path("<int:pk>/<str:action>", views.inspection_action, name="inspection-action"),
    path("findings/<int:pk>/issue", views.finding_to_issue, name="finding-to-issue"),
    path("photos/<int:pk>/", views.photo, name="inspection-photo"),
    path("photos/<int:pk>/thumb/", views.photo, {"thumb": True}, name="inspection-photo-thumb"),
    path("issues/", views.issue_list, name="boundary-issue-list"),
    path("issues/<int:pk>/", views.issue_detail, name="boundary-issue-detail"),
    path("peace/", views.peace_list, name="peace-agreement-list"),
    path("devices/", views.device_list, name="marker-device-list"),
]
