"""Django admin for divisions, scoped to the user's jurisdiction like every other view."""

from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin
from django.db.models import Q
from leaflet.admin import LeafletGeoAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from boundaries.models import BoundaryLine, Division, DivisionChange, LineEdit
from geoapp.admin import ReadOnlyRecordAdmin


@admin.register(Division)
class DivisionAdmin(LeafletGeoAdminMixin, SimpleHistoryAdmin, GISModelAdmin):
    """GISModelAdmin with django-leaflet's widget: Django's default OpenLayers widget
    loads its JS/CSS from a CDN and OSM tiles from the internet (see docs/adr/0002)."""

    list_display = ("code", "name", "level", "kind", "parent", "source", "valid_from", "valid_to")
    list_filter = ("level", "kind", "source")
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)
    readonly_fields = ("code",)

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    def has_delete_permission(self, request, obj=None):
        # Divisions are legal records: retire them with an end date, never delete.
        return False

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else ()


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
