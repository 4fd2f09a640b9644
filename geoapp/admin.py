"""Admin for CivAtlas users: role and jurisdiction visible, scoped to the admin's jurisdiction."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from geoapp.jurisdiction import code_prefix
from geoapp.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "jurisdiction_code", "is_active", "is_staff")
    fieldsets = (*BaseUserAdmin.fieldsets, (_("辖区"), {"fields": ("jurisdiction_code",)}))

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        if not request.user.jurisdiction_code:
            return qs.none()
        return qs.filter(jurisdiction_code__startswith=code_prefix(request.user.jurisdiction_code))


class ReadOnlyRecordAdmin(SimpleHistoryAdmin):
    """Records of legal weight: listed and audited in the admin (with their history),
    changed only through their actions and pages, never added or deleted here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
