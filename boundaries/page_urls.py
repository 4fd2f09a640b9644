"""Page routes of the boundaries app (mounted under /boundaries/)."""

from django.urls import path

from boundaries import change_views, views

urlpatterns = [
    path("editor/", views.editor, name="boundary-editor"),
    path("edits/", views.edit_list, name="line-edit-list"),
    path("changes/", change_views.change_list, name="division-change-list"),
    path("changes/new/", change_views.change_new, name="division-change-new"),
    path("edits/<int:edit_id>/", views.review, name="line-edit-review"),
    path("edits/<int:edit_id>/approve", views.decide, {"decision": "approve"}, name="line-edit-approve"),
    path("edits/<int:edit_id>/reject", views.decide, {"decision": "reject"}, name="line-edit-reject"),
]
