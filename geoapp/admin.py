"""Admin for CivAtlas users, and the shared admin bases that keep every admin page in place.

The admin is one more way in, so it follows the same rules as the app:

* ``ScopedHistoryAdmin`` — history pages (list and single version) show only records of
  the change list's scoped queryset, and reverting a version is impossible: records of
  legal weight change through their actions (the workflow, the editor), never by
  writing an old version back.
* ``ReadOnlyRecordAdmin`` — domain records (divisions, lines, edits, names, applications,
  signs, field records, facilities) are listed and audited here, never added, changed
  or deleted: free admin forms would skip the naming workflow, the second approval of
  a geometry and the jurisdiction checks of the app's forms.
* ``UserAdmin`` — an administrator manages only users inside their jurisdiction, with
  roles no higher than their own, never the superuser or staff flags (the staff flag
  follows the role, ``geoapp.actions.assign_role``).
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from geoapp.actions import UserSetupError, assign_role, grant_problems
from geoapp.jurisdiction import code_prefix
from geoapp.models import User
from geoapp.roles import ROLE_ORDER, ROLE_RANK, Role


class ScopedHistoryAdmin(SimpleHistoryAdmin):
    """History views limited to ``get_queryset(request)``; no revert, on GET or POST."""

    def _scoped_or_404(self, request, object_id):
        try:
            found = self.get_queryset(request).filter(pk=unquote(object_id)).exists()
        except (ValueError, TypeError, ValidationError):
            found = False
        if not found:
            raise Http404(_("没有该记录，或不在您的辖区内"))

    def history_view(self, request, object_id, extra_context=None):
        self._scoped_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._scoped_or_404(request, object_id)
        if request.method != "GET":
            raise PermissionDenied(_("历史版本不能恢复：请通过相应的业务流程修改"))
        try:
            int(version_id)
        except ValueError as exc:
            raise Http404 from exc
        return super().history_form_view(request, object_id, version_id, extra_context=extra_context)

    def revert_disabled(self, request, obj=None):
        return True

    def has_change_history_permission(self, request, obj=None):
        return False


class ReadOnlyRecordAdmin(ScopedHistoryAdmin):
    """Records of legal weight: listed and audited in the admin (with their history),
    changed only through their actions and pages, never added or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_exclude(self, request, obj=None):
        # Geometries are shown on the app's map pages; as text they would be megabytes.
        from django.contrib.gis.db.models import GeometryField

        geometry = [f.name for f in self.model._meta.fields if isinstance(f, GeometryField)]
        return (*(super().get_exclude(request, obj) or ()), *geometry)


class ReadOnlyInline:
    """Mixin for inlines of a read-only record."""

    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- users -------------------------------------------------------------------------------------


class _GrantForm:
    """Role + jurisdiction fields checked against the acting administrator."""

    acting_user = None  # set per request by UserAdmin.get_form

    def _limit_roles(self):
        own = self.acting_user.role
        allowed = [r for r in ROLE_ORDER if own is not None and ROLE_RANK[r] <= ROLE_RANK[own]]
        self.fields["role"].choices = [(r.value, r.label) for r in allowed]

    def clean(self):
        data = super().clean()
        role, code = data.get("role"), data.get("jurisdiction_code")
        if role and code:
            for problem in grant_problems(granted_by=self.acting_user, role=role, jurisdiction=code):
                self.add_error(None, problem)
        return data


class ScopedUserCreationForm(_GrantForm, UserCreationForm):
    role = forms.ChoiceField(label=_("角色"))

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "jurisdiction_code")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_roles()
        self.fields["jurisdiction_code"].required = True


class ScopedUserChangeForm(_GrantForm, UserChangeForm):
    role = forms.ChoiceField(label=_("角色"))

    class Meta(UserChangeForm.Meta):
        model = User
        fields = ("username", "password", "first_name", "last_name", "email", "is_active", "jurisdiction_code")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_roles()
        self.fields["jurisdiction_code"].required = True
        if self.instance.pk and self.instance.role:
            self.initial["role"] = self.instance.role.value


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "jurisdiction_code", "is_active", "is_staff")
    fieldsets = (*BaseUserAdmin.fieldsets, (_("辖区"), {"fields": ("jurisdiction_code",)}))

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        if not request.user.jurisdiction_code or request.user.role is None:
            return qs.none()
        # Inside the jurisdiction, and never a superuser or someone of a higher role.
        higher = [r.value for r in ROLE_ORDER if ROLE_RANK[r] > ROLE_RANK[request.user.role]]
        return (qs.filter(jurisdiction_code__startswith=code_prefix(request.user.jurisdiction_code))
                .exclude(is_superuser=True).exclude(groups__name__in=higher))

    def get_fieldsets(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        if obj is None:
            return ((None, {"fields": ("username", "password1", "password2", "role", "jurisdiction_code")}),)
        return (
            (None, {"fields": ("username", "password")}),
            (_("个人信息"), {"fields": ("first_name", "last_name", "email")}),
            (_("角色与辖区"), {"fields": ("is_active", "role", "jurisdiction_code")}),
        )

    def get_form(self, request, obj=None, **kwargs):
        if not request.user.is_superuser:
            base = ScopedUserChangeForm if obj is not None else ScopedUserCreationForm
            kwargs["form"] = type(base.__name__, (base,), {"acting_user": request.user})
        return super().get_form(request, obj, **kwargs)

    def get_list_filter(self, request):
        return self.list_filter if request.user.is_superuser else ("is_active",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not request.user.is_superuser:
            try:
                assign_role(user=obj, role=form.cleaned_data["role"],
                            jurisdiction=form.cleaned_data["jurisdiction_code"], granted_by=request.user)
            except UserSetupError as exc:  # checked in the form already; a race is refused here
                raise PermissionDenied(str(exc)) from exc

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser  # users are deactivated, their records keep their name


__all__ = ["ReadOnlyInline", "ReadOnlyRecordAdmin", "Role", "ScopedHistoryAdmin", "UserAdmin"]
