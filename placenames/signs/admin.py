"""Admin for signs and their field records, scoped to the user's jurisdiction.

Signs are planned on the plan page and their state moves only through
``placenames.signs.actions`` (installation and inspection records from the field), so
the state and the records are read-only here; nothing is deleted (sign archives).
"""

from django.contrib import admin
from django.db.models import Q

from geoapp.admin import ReadOnlyRecordAdmin
from placenames.signs.models import Sign, SignInspection, SignInstallation, SignPhoto


@admin.register(Sign)
class SignAdmin(ReadOnlyRecordAdmin):
    list_display = ("text_cn", "sign_type", "division", "status", "installed_at", "last_inspected_at", "source")
    list_filter = ("sign_type", "status", "source")
    search_fields = ("text_cn", "text_pinyin", "division__code")

    def get_queryset(self, request):
        # Plans come from the plan page (placenames.signs.plans), states from the field records.
        return super().get_queryset(request).for_user(request.user).select_related("division")


class _RecordAdmin(ReadOnlyRecordAdmin):
    list_filter = ("source",)
    search_fields = ("sign__text_cn", "team")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(sign__in=Sign.objects.for_user(request.user)).select_related("sign")


@admin.register(SignInstallation)
class SignInstallationAdmin(_RecordAdmin):
    list_display = ("sign", "installed_at", "team", "accuracy_m", "source")


@admin.register(SignInspection)
class SignInspectionAdmin(_RecordAdmin):
    list_display = ("sign", "inspected_at", "condition", "team", "accuracy_m", "source")
    list_filter = ("condition", "source")


@admin.register(SignPhoto)
class SignPhotoAdmin(ReadOnlyRecordAdmin):
    list_display = ("image", "content_type", "size_bytes", "exif_lon", "exif_lat")

    def get_queryset(self, request):
        signs = Sign.objects.for_user(request.user)
        return super().get_queryset(request).filter(
            Q(installation__sign__in=signs) | Q(inspection__sign__in=signs)
        )
