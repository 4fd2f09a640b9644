"""Page routes of the boundaries app (mounted under /boundaries/)."""

from django.urls import path

from boundaries import change_views, views

urlpatterns = [
    path("editor/", views.editor, name="boundary-editor"),
    path("edits/", views.edit_list, name="line-edit-list"),
    path("changes/", change_views.change_list, name="division-change-list"),
    path("changes/new/", change_views.change_new, name="division-change-new"),
    path("changes/<int:change_id>/", change_views.change_detail, name="division-change-detail"),
    path("changes/<int:change_id>/approve", change_views.change_decide, {"decision": "approve"},
         name="division-change-approve"),
    path("changes/<int:change_id>/reject", change_views.change_decide, {"decision": "reject"},
         name="division-change-reject"),
    path("changes/<int:change_id>/reverse", change_views.change_reverse, name="division-change-reverse"),
    path("register/", change_views.register_check_page, name="register-check"),
    path("edits/<int:edit_id>/", views.review, name="line-edit-review"),
    path("edits/<int:edit_id>/approve", views.decide, {"decision": "approve"}, name="line-edit-approve"),
    path("edits/<int:edit_id>/reject", views.decide, {"decision": "reject"}, name="line-edit-reject"),
]
