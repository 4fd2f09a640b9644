"""Django admin for divisions, scoped to the user's jurisdiction like every other view."""

from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin
from leaflet.admin import LeafletGeoAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from boundaries.models import Division


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
