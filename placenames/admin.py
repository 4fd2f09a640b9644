"""Admin for place names, former names and applications, scoped to the user's jurisdiction.

Names change only through the workflow (renaming keeps a former name), so the name
and everything derived from it are read-only here; a name added here gets its
romanization and search keys from ``placenames.naming.set_name`` like everywhere else.
"""

from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin
from leaflet.admin import LeafletGeoAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from geoapp.admin import ReadOnlyRecordAdmin
from placenames.models import BuiltUpArea, FormerName, NamingApplication, PlaceName
from placenames.naming import NAME_FIELDS, set_name

_DERIVED = tuple(f for f in NAME_FIELDS if f != "standard_name")
_READING = ("reading_confirmed", "reading_reason", "reading_confirmed_by", "reading_confirmed_at")


class FormerNameInline(admin.TabularInline):
    model = FormerName
    extra = 0
    fields = ("name", "romanization", "start", "end", "period_note", "note")


@admin.register(PlaceName)
class PlaceNameAdmin(LeafletGeoAdminMixin, SimpleHistoryAdmin, GISModelAdmin):
    list_display = ("standard_name", "romanization", "category", "division", "status", "protected", "source")
    list_filter = ("category", "status", "protected", "source")
    search_fields = ("standard_name", "pinyin", "code")
    raw_id_fields = ("division",)
    inlines = [FormerNameInline]

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user).select_related("division")

    def get_readonly_fields(self, request, obj=None):
        # Readings are confirmed on the name's page (actions.confirm_reading: reason, history).
        derived = (*_DERIVED, *_READING)
        return (*derived, "standard_name") if obj else derived

    def save_model(self, request, obj, form, change):
        if not change:
            set_name(obj, obj.standard_name, region=obj.division.code if obj.division else None)
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        # Names are legal records: retire them (status), never delete.
        return False


@admin.register(BuiltUpArea)
class BuiltUpAreaAdmin(LeafletGeoAdminMixin, SimpleHistoryAdmin, GISModelAdmin):
    """Recorded built-up areas (建成区): the scope of street and notable residential names."""

    list_display = ("name", "county", "source_note")
    search_fields = ("name", "county__code", "county__name")
    raw_id_fields = ("county",)

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user).select_related("county")

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


from placenames import sign_admin  # noqa: E402,F401  (signs: registered in their own module)
