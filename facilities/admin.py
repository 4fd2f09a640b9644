"""Django admin for facilities, scoped to the user's jurisdiction like every other view.

Read-only: facilities are registered and edited on the registry pages, whose forms check
the division against the jurisdiction and the position against the division
(facilities.forms); the admin form did neither.
"""

from django.contrib import admin

from facilities.models import (
    ChildProtectionDesignation,
    CommunityDetails,
    ElderlyCareDetails,
    Facility,
    SiteScenario,
    StationDetails,
)
from geoapp.admin import ReadOnlyInline, ReadOnlyRecordAdmin, ScopedHistoryAdmin


class ElderlyInline(ReadOnlyInline, admin.StackedInline):
    model = ElderlyCareDetails


class StationInline(ReadOnlyInline, admin.StackedInline):
    model = StationDetails


class CommunityInline(ReadOnlyInline, admin.StackedInline):
    model = CommunityDetails


@admin.register(Facility)
class FacilityAdmin(ReadOnlyRecordAdmin):
    """Listed and audited; the registry pages edit."""

    list_display = ("name", "kind", "status", "division", "source")
    list_filter = ("kind", "status", "source")
    search_fields = ("name", "division__code", "division__name")
    inlines = (ElderlyInline, StationInline, CommunityInline)

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)


@admin.register(SiteScenario)
class SiteScenarioAdmin(admin.ModelAdmin):
    """Saved site suggestions are computed snapshots: readable here, made on the gap page."""

    list_display = ("name", "division", "kind", "radius_km", "count", "covered_before", "covered_after", "created_by",
                    "created_at")
    list_filter = ("kind",)
    search_fields = ("name", "division__code", "division__name")

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user).select_related("division", "created_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ChildProtectionDesignation)
class ChildProtectionDesignationAdmin(ScopedHistoryAdmin):
    """Designated child-protection staff per township (未成年人保护法第八十一条第二款):
    recorded here; a designation ends with an end date, it is never deleted. History is
    scoped and never reverted (ScopedHistoryAdmin); the township is chosen inside the
    jurisdiction."""

    list_display = ("township", "staff_name", "position", "document_no", "designated_on", "ended_on")
    search_fields = ("staff_name", "township__code", "township__name")
    raw_id_fields = ("township",)

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user).select_related("township")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "township":
            from boundaries.models import Division

            kwargs["queryset"] = Division.objects.current().at_level("township").for_user(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return False
