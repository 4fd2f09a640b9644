"""Pages for division changes (区划调整): the register, and a map form to record one.

The form collects what the action needs (kind, the divisions clicked on the map, a cut
line drawn with Geoman for a split, a seat clicked for a move, the new code and name,
the approval document and effective date) and calls one action from
``boundaries.division_changes``; a refusal is shown on the form in words.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.gis.geos import Point
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from boundaries import division_changes
from boundaries.edit_geometry import EditRefused
from boundaries.models import ChangeKind, Division, DivisionChange
from geoapp.decorators import page_permission
from geoapp.gis import CGCS2000
from geoapp.jurisdiction import normalise_code
from geoapp.views import map_config


class ChangeForm(forms.Form):
    kind = forms.ChoiceField(label=_("调整类型"), choices=ChangeKind.choices)
    divisions = forms.CharField(label=_("区划"), widget=forms.HiddenInput, help_text=_("在地图上点选"))
    new_code = forms.CharField(label=_("新代码"), required=False, max_length=12)
    new_name = forms.CharField(label=_("新名称"), required=False, max_length=100)
    left_code = forms.CharField(label=_("分割线左侧新区划代码"), required=False, max_length=12)
    left_name = forms.CharField(label=_("分割线左侧新区划名称"), required=False, max_length=100)
    right_code = forms.CharField(label=_("分割线右侧新区划代码"), required=False, max_length=12)
    right_name = forms.CharField(label=_("分割线右侧新区划名称"), required=False, max_length=100)
    cut = forms.CharField(widget=forms.HiddenInput, required=False)
    seat = forms.CharField(widget=forms.HiddenInput, required=False)
    approval_document = forms.CharField(label=_("批准文件"), max_length=200)
    approved_by_body = forms.CharField(label=_("批准机关"), max_length=100, required=False)
    effective_date = forms.DateField(label=_("生效日期"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def chosen(self) -> list[Division]:
        codes = [c for c in self.cleaned_data["divisions"].split(",") if c]
        try:
            found = list(Division.objects.current().filter(code__in=[normalise_code(c) for c in codes]))
        except ValueError as exc:
            raise EditRefused(str(exc)) from exc
        if len(found) != len(codes) or not found:
            raise EditRefused("请在地图上点选区划")
        return found

    def point_list(self, field: str) -> list[tuple[float, float]]:
        try:
            return [(float(x), float(y)) for x, y in json.loads(self.cleaned_data[field] or "[]")]
        except (TypeError, ValueError) as exc:
            raise EditRefused("地图上的坐标无效") from exc


def _record(form: ChangeForm, user) -> DivisionChange:
    data, chosen = form.cleaned_data, form.chosen()
    common = {"approval_document": data["approval_document"], "approved_by_body": data["approved_by_body"],
              "effective_date": data["effective_date"], "recorded_by": user, "note": data["note"]}
    kind = data["kind"]
    if kind == ChangeKind.MERGE:
        return division_changes.merge_divisions(divisions=chosen, code=data["new_code"], name=data["new_name"], **common)
    if len(chosen) != 1:
        raise EditRefused("请只选择一个区划")
    division = chosen[0]
    if kind == ChangeKind.SPLIT:
        cut = form.point_list("cut")
        if len(cut) < 2:
            raise EditRefused("请在地图上画出分割线")
        left, right = division_changes.split_points(division, cut)
        parts = [{"code": data["left_code"], "name": data["left_name"], "point": left},
                 {"code": data["right_code"], "name": data["right_name"], "point": right}]
        return division_changes.split_division(division=division, cut=cut, parts=parts, **common)
    if kind in (ChangeKind.RENAME, ChangeKind.RECODE):
        return division_changes.rename_division(division=division, name=data["new_name"], code=data["new_code"], **common)
    seat = form.point_list("seat")
    if len(seat) != 1:
        raise EditRefused("请在地图上点选新驻地")
    return division_changes.move_seat(division=division, seat=Point(*seat[0], srid=CGCS2000), **common)


@page_permission("boundaries.change_division", _("区划调整仅限区划地名工作人员和管理员登记"))
def change_new(request):
    parent = get_object_or_404(Division.objects.current(), code=normalise_code(
        request.GET.get("parent") or request.user.jurisdiction_code or "620521"))
    form = ChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            change = _record(form, request.user)
        except (EditRefused, PermissionDenied) as exc:
            form.add_error(None, getattr(exc, "message", str(exc)))
        else:
            messages.success(request, f"已登记：{change}")
            return redirect("division-change-list")
    config = map_config(request)
    config.update({"parent": parent.code, "urls": {"divisions": reverse("division-list")}})
    return render(request, "boundaries/change_form.html", {"form": form, "parent": parent, "config": config})


@login_required
def change_list(request):
    visible = Division.objects.for_user(request.user)
    changes = (DivisionChange.objects.filter(Q(retired__in=visible) | Q(created__in=visible)).distinct()
               .prefetch_related("retired", "created").select_related("recorded_by")[:200])
    return render(request, "boundaries/change_list.html", {"changes": changes})
