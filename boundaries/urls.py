"""Page routes of the boundaries app (paths from the site root; included by geoapp.urls)."""

from django.urls import include, path

from boundaries import change_views, views

urlpatterns = [
    path("boundaries/editor/", views.editor, name="boundary-editor"),
    path("boundaries/edits/", views.edit_list, name="line-edit-list"),
    path("boundaries/changes/", change_views.change_list, name="division-change-list"),
    path("boundaries/changes/new/", change_views.change_new, name="division-change-new"),
    path("boundaries/changes/<int:change_id>/", change_views.change_detail, name="division-change-detail"),
    path("boundaries/changes/<int:change_id>/approve", change_views.change_decide, {"decision": "approve"},
         name="division-change-approve"),
    path("boundaries/changes/<int:change_id>/reject", change_views.change_decide, {"decision": "reject"},
         name="division-change-reject"),
    path("boundaries/changes/<int:change_id>/reverse", change_views.change_reverse, name="division-change-reverse"),
    path("boundaries/register/", change_views.register_check_page, name="register-check"),
    path("boundaries/edits/<int:edit_id>/", views.review, name="line-edit-review"),
    path("boundaries/edits/<int:edit_id>/approve", views.decide, {"decision": "approve"}, name="line-edit-approve"),
    path("boundaries/edits/<int:edit_id>/reject", views.decide, {"decision": "reject"}, name="line-edit-reject"),
    path("", include("boundaries.inspections.urls")),
]
