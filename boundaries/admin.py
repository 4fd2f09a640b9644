"""Django admin for divisions, scoped to the user's jurisdiction like every other view.

Read-only (geoapp.admin.ReadOnlyRecordAdmin): divisions are created, renamed, re-coded
and redrawn through the importer, the division-change workflow and the boundary editor
(two officers), never through a free admin form.
"""

from django.contrib import admin
from django.db.models import Q

from boundaries.models import BoundaryLine, Division, DivisionChange, LineEdit
from geoapp.admin import ReadOnlyRecordAdmin


@admin.register(Division)
class DivisionAdmin(ReadOnlyRecordAdmin):
    """Listed and audited; the map pages show the outline (docs/adr/0002 for the widget)."""

    list_display = ("code", "name", "level", "kind", "parent", "source", "valid_from", "valid_to")
    list_filter = ("level", "kind", "source")
    search_fields = ("code", "name")

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)


@admin.register(BoundaryLine)
class BoundaryLineAdmin(ReadOnlyRecordAdmin):
    list_display = ("__str__", "level", "length_km", "version", "agreement_ref", "last_inspected", "valid_to")
    list_filter = ("level",)
    search_fields = ("left__name", "right__name", "left__code", "right__code", "agreement_ref")

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)


@admin.register(LineEdit)
class LineEditAdmin(ReadOnlyRecordAdmin):
    list_display = ("__str__", "status", "proposed_by", "proposed_at", "document_no")
    list_filter = ("status",)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(
            line__in=BoundaryLine.objects.for_user(request.user))


@admin.register(DivisionChange)
class DivisionChangeAdmin(ReadOnlyRecordAdmin):
    list_display = ("__str__", "kind", "effective_date", "approved_by_body", "recorded_by")
    list_filter = ("kind",)

    def get_queryset(self, request):
        visible = Division.objects.for_user(request.user)
        return super().get_queryset(request).filter(
            Q(retired__in=visible) | Q(created__in=visible)).distinct()
