"""Admin for place names, former names and applications, scoped to the user's jurisdiction.

Read-only (geoapp.admin.ReadOnlyRecordAdmin): a name becomes standard only through the
naming workflow (placenames.actions) or the importer, both of which check the
jurisdiction and the naming law; a free admin form would skip them.
"""

from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin
from leaflet.admin import LeafletGeoAdminMixin

from geoapp.admin import ReadOnlyInline, ReadOnlyRecordAdmin, ScopedHistoryAdmin
from placenames.models import BuiltUpArea, FormerName, NamingApplication, PlaceName

# The signs subpackage registers its record admins in its own module (docs/adr/0027).
from placenames.signs.admin import SignAdmin as SignAdmin


class FormerNameInline(ReadOnlyInline, admin.TabularInline):
    model = FormerName
    fields = ("name", "romanization", "start", "end", "period_note", "note")


@admin.register(PlaceName)
class PlaceNameAdmin(ReadOnlyRecordAdmin):
    list_display = ("standard_name", "romanization", "category", "division", "status", "protected", "source")
    list_filter = ("category", "status", "protected", "source")
    search_fields = ("standard_name", "pinyin", "code")
    inlines = [FormerNameInline]

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user).select_related("division")


@admin.register(BuiltUpArea)
class BuiltUpAreaAdmin(LeafletGeoAdminMixin, ScopedHistoryAdmin, GISModelAdmin):
    """Recorded built-up areas (建成区): the scope of street and notable residential names."""

    list_display = ("name", "county", "source_note")
    search_fields = ("name", "county__code", "county__name")
    raw_id_fields = ("county",)

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user).select_related("county")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "county":  # only counties inside the user's jurisdiction
            from boundaries.models import Division

            kwargs["queryset"] = Division.objects.current().at_level("county").for_user(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(NamingApplication)
class NamingApplicationAdmin(ReadOnlyRecordAdmin):
    """Listed and audited here; the workflow pages move applications."""

    list_display = ("proposed_name", "kind", "division", "status", "decision_date", "announcement_date", "filing_date")
    list_filter = ("status", "kind")
    search_fields = ("proposed_name", "applicant")

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user).select_related("division")

