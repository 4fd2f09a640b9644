"""Pages for division changes (区划调整): the register, a map form to propose one, the
review page (trial result + map, approve/reject by a second officer, offer a
correction), and the register consistency check for zoning staff.

The form collects what the action needs (kind, the divisions clicked on the map, a cut
line drawn with Geoman for a split, a seat clicked for a move, the new code and name,
the approval document and effective date) and calls one action from
``boundaries.division_changes`` (a proposal); a refusal is shown on the form in words.
"""

from __future__ import annotations

import datetime as dt
import json

from django import forms
from django.contrib import messages
from django.contrib.gis.geos import Point
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from boundaries import division_changes
from boundaries.edit_geometry import EditRefused
from boundaries.models import ChangeKind, ChangeStatus, Division, DivisionChange
from boundaries.register import check_register
from geoapp.access import require
from geoapp.gis import CGCS2000
from geoapp.jurisdiction import normalise_code
from geoapp.views import map_config


class ChangeForm(forms.Form):
    kind = forms.ChoiceField(label=_("调整类型"), choices=[c for c in ChangeKind.choices if c[0] != ChangeKind.REVERSAL])
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


def _propose(form: ChangeForm, user) -> DivisionChange:
    data, chosen = form.cleaned_data, form.chosen()
    common = {"approval_document": data["approval_document"], "approved_by_body": data["approved_by_body"],
              "effective_date": data["effective_date"], "proposed_by": user, "note": data["note"]}
    kind = data["kind"]
    if kind == ChangeKind.MERGE:
        return division_changes.propose_merge(divisions=chosen, code=data["new_code"], name=data["new_name"], **common)
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
        return division_changes.propose_split(division=division, cut=cut, parts=parts, **common)
    if kind in (ChangeKind.RENAME, ChangeKind.RECODE):
        return division_changes.propose_rename(division=division, name=data["new_name"], code=data["new_code"],
                                               **common)
    if kind == ChangeKind.REVERSAL:
        raise EditRefused("更正请在要更正的调整页面上登记")
    seat = form.point_list("seat")
    if len(seat) != 1:
        raise EditRefused("请在地图上点选新驻地")
    return division_changes.propose_seat_move(division=division, seat=Point(*seat[0], srid=CGCS2000), **common)


def _refusal(exc) -> str:
    return getattr(exc, "message", str(exc))


@require(division_changes.CHANGE_DIVISIONS, message=_("区划调整仅限区划地名工作人员和管理员登记"))
def change_new(request):
    parent = get_object_or_404(Division.objects.current(), code=normalise_code(
        request.GET.get("parent") or request.user.jurisdiction_code or "620521"))
    form = ChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            change = _propose(form, request.user)
        except (EditRefused, PermissionDenied) as exc:
            form.add_error(None, _refusal(exc))
        else:
            messages.success(request, f"已提交，待另一名工作人员审核：{change}")
            return redirect("division-change-detail", change_id=change.pk)
    config = map_config(request)
    config.update({"parent": parent.code, "urls": {"divisions": reverse("division-list")}})
    return render(request, "boundaries/change_form.html", {"form": form, "parent": parent, "config": config})


@require()
def change_list(request):
    prefix = request.user.jurisdiction_prefix
    changes = (DivisionChange.objects.prefetch_related("retired", "created").select_related("recorded_by", "decided_by")
               .order_by("-recorded_at")[:500])
    if not request.user.is_superuser:
        changes = [c for c in changes if prefix is not None and any(
            code.startswith(prefix) for code in [*c.params.get("divisions", []), *(d.code for d in c.retired.all()),
                                                 *(d.code for d in c.created.all())])]
    return render(request, "boundaries/change_list.html", {"changes": changes[:200]})


def _visible_change(user, change_id: int) -> DivisionChange:
    change = get_object_or_404(DivisionChange.objects.select_related("recorded_by", "decided_by", "reverses"),
                               pk=change_id)
    codes = [*change.params.get("divisions", []), *change.retired.values_list("code", flat=True),
             *change.created.values_list("code", flat=True)]
    if not user.is_superuser and not any(user.can_act_on(c) for c in codes):
        raise Http404
    return change


@require()
def change_detail(request, change_id: int):
    change = _visible_change(request.user, change_id)
    trial = change.trial or {}
    sections = [(label, trial.get("sections", {}).get(key, [])) for key, label in SECTIONS]
    config = map_config(request)
    config.update({"units": [{k: u[k] for k in ("role", "code", "name", "geometry")} for u in trial.get("units", [])]})
    return render(request, "boundaries/change_detail.html", {
        "change": change, "trial": trial, "sections": sections, "counts": trial.get("counts", {}), "config": config,
        "units": trial.get("units", []), "can_decide": change.is_pending and request.user.pk != change.recorded_by_id,
        "can_reverse": change.status == ChangeStatus.APPLIED and change.kind != ChangeKind.MOVE_SEAT
        and not change.reversals.exclude(status__in=[ChangeStatus.REJECTED, ChangeStatus.STALE]).exists(),
        "reversals": change.reversals.all(), "today": timezone.localdate(),
    })


SECTIONS = [("names", _("地名")), ("signs", _("地名标志")), ("facilities", _("民政设施")), ("lines", _("界线")),
            ("applications", _("地名申请")), ("scenarios", _("选址方案"))]


@require_POST
@require()
def change_decide(request, change_id: int, decision: str):
    change = _visible_change(request.user, change_id)
    try:
        if decision == "approve":
            change = division_changes.approve_division_change(change=change, approved_by=request.user,
                                                              note=request.POST.get("note", ""))
        else:
            change = division_changes.reject_division_change(change=change, rejected_by=request.user,
                                                             note=request.POST.get("note", ""))
    except (EditRefused, PermissionDenied) as exc:
        messages.error(request, _refusal(exc))
    else:
        messages.success(request, f"区划调整 #{change.pk}：{change.get_status_display()}")
    return redirect("division-change-detail", change_id=change_id)


@require_POST
@require()
def change_reverse(request, change_id: int):
    change = _visible_change(request.user, change_id)
    try:
        effective = dt.date.fromisoformat(request.POST.get("effective_date", ""))
        correction = division_changes.propose_reversal(
            change=change, proposed_by=request.user, approval_document=request.POST.get("approval_document", ""),
            effective_date=effective, note=request.POST.get("note", ""))
    except ValueError:
        messages.error(request, "请填写更正的生效日期（YYYY-MM-DD）")
    except (EditRefused, PermissionDenied) as exc:
        messages.error(request, _refusal(exc))
    else:
        messages.success(request, f"已提交更正，待另一名工作人员审核：{correction}")
        return redirect("division-change-detail", change_id=correction.pk)
    return redirect("division-change-detail", change_id=change_id)


@require(division_changes.CHANGE_DIVISIONS, message="只有区划地名工作人员可以查看一致性检查")
def register_check_page(request):
    """The register consistency check for zoning staff, within their jurisdiction."""
    within = "" if request.user.is_superuser and not request.GET.get("within") else (
        request.user.jurisdiction_code or "")
    if request.GET.get("within"):
        try:
            asked = normalise_code(request.GET["within"])
        except ValueError as exc:
            raise Http404 from exc
        if not request.user.can_act_on(asked):
            raise PermissionDenied("该区划不在您的辖区内")
        within = asked
    report = check_register(within)
    return render(request, "boundaries/register_check.html", {"report": report, "within": within})
