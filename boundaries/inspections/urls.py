"""Page routes of the inspection work (paths from the site root): the office pages under
/boundaries/inspections/ and the phone page under /field/inspections/, inside the scope
of the shared field service worker at /field/sw.js."""

from django.urls import path

from boundaries.inspections import field_views, views

urlpatterns = [
    path("field/inspections/", field_views.field_page, name="inspection-field"),
    path("boundaries/inspections/", views.schedule_page, name="inspection-schedule"),
    path("boundaries/inspections/lines/<int:line_id>/", views.line_page, name="boundary-line-page"),
    path("boundaries/inspections/lines/<int:line_id>/plan", views.plan_view, name="inspection-plan"),
    path("boundaries/inspections/lines/<int:line_id>/agreement", views.agreement_view, name="agreement-new"),
    path("boundaries/inspections/agreements/<int:pk>/<str:which>", views.agreement_file, name="agreement-file"),
    path("boundaries/inspections/lines/<int:line_id>/markers/", views.marker_register, name="marker-register"),
    path("boundaries/inspections/lines/<int:line_id>/markers.csv", views.marker_export, name="marker-export"),
    path("boundaries/inspections/lines/<int:line_id>/markers/print/", views.marker_register_print, name="marker-register-print"),
    path("boundaries/inspections/<int:pk>/", views.inspection_detail, name="inspection-detail"),
    path("boundaries/inspections/<int:pk>/report/", views.report_html, name="inspection-report"),
    path("boundaries/inspections/<int:pk>/report.pdf", views.report_pdf, name="inspection-report-pdf"),
    path("boundaries/inspections/<int:pk>/<str:action>", views.inspection_action, name="inspection-action"),
    path("boundaries/inspections/findings/<int:pk>/issue", views.finding_to_issue, name="finding-to-issue"),
    path("boundaries/inspections/photos/<int:pk>/", views.photo, name="inspection-photo"),
    path("boundaries/inspections/photos/<int:pk>/thumb/", views.photo, {"thumb": True}, name="inspection-photo-thumb"),
    path("boundaries/inspections/issues/", views.issue_list, name="boundary-issue-list"),
    path("boundaries/inspections/issues/<int:pk>/", views.issue_detail, name="boundary-issue-detail"),
    path("boundaries/inspections/peace/", views.peace_list, name="peace-agreement-list"),
    path("boundaries/inspections/devices/", views.device_list, name="marker-device-list"),
]
