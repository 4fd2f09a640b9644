"""Pages of the boundary work: the line editor, the list of edits, and the review page.

The editor's map is configured through ``json_script``; the review page is server
rendered (old and new line, area change of each division, approvals) with plain POST
forms for approve/reject, so it works without JavaScript apart from its small map.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from boundaries import actions
from boundaries.codes import Level
from boundaries.edit_geometry import EditRefused
from boundaries.models import BoundaryLine, Division, EditStatus, LineEdit
from geoapp.access import Load, require
from geoapp.jurisdiction import normalise_code
from geoapp.views import map_config


def _edits_for(user):
    return LineEdit.objects.filter(line__in=BoundaryLine.objects.for_user(user)).select_related(
        "line__left", "line__right", "proposed_by"
    )


EDIT = Load("edit", _edits_for, kwarg="edit_id")


@require(actions.EDIT_LINES, message=_("界线编辑仅限区划地名工作人员和管理员使用"))
def editor(request):
    """``?parent=CODE&level=LEVEL``: the lines of one level inside a parent, editable in place."""
    default = request.user.jurisdiction_code or "620521000000"
    try:
        parent_code = normalise_code(request.GET.get("parent") or default)
    except ValueError:
        parent_code = normalise_code(default)
    parent = get_object_or_404(Division.objects.current(), code=parent_code)
    level = request.GET.get("level") or "township"
    if level not in Level.values:
        level = "township"
    config = map_config(request)
    config.update({
        "parent": parent.code, "level": level,
        "urls": {
            "lines": reverse("boundary-line-list"),
            "line": reverse("boundary-line-detail", args=[0]).replace("/0/", "/{id}/"),
            "propose": reverse("boundary-line-propose", args=[0]).replace("/0/", "/{id}/"),
            "review": reverse("line-edit-review", args=[0]).replace("/0/", "/{id}/"),
            "divisions": reverse("division-list"),
            "coverage": reverse("coverage-check"),
        },
        "date": request.GET.get("date", ""),
    })
    levels = [(value, label) for value, label in Level.choices if value != Level.PROVINCE]  # lines between …
    return render(request, "boundaries/editor.html", {
        "config": config, "parent": parent, "level": Level(level), "levels": levels,
    })


@require()
def edit_list(request):
    edits = _edits_for(request.user).order_by("status", "-proposed_at")[:200]
    return render(request, "boundaries/edit_list.html", {"edits": edits})


@require(load=EDIT)
def review(request, edit: LineEdit):
    found = {d.code: d for d in Division.objects.current().filter(code__in=edit.area_changes)}
    # Every division the edit touches, at every level (ADR 0014), highest level first.
    changes = sorted(
        ({"code": c, "name": found[c].name if c in found else c, "delta_m2": d,
          "level": found[c].get_level_display() if c in found else ""} for c, d in edit.area_changes.items()),
        key=lambda row: (len(row["code"].rstrip("0")), row["code"]),
    )
    covered = {code for a in edit.approvals.all() for code in a.sides}
    sides = [{"division": d, "approved": d.code in covered} for d in edit.sides()]
    config = map_config(request)
    config.update({"old": edit.old_geom.geojson, "new": edit.new_geom.geojson, "parent": edit.line.parent.code})
    return render(request, "boundaries/review.html", {
        "edit": edit, "changes": changes, "sides": sides, "config": config,
        "approvals": edit.approvals.select_related("user"), "pending": edit.status == EditStatus.PENDING,
        # Four eyes: the proposer is not offered 批准 (actions.approve_line_edit refuses it).
        "is_proposer": edit.proposed_by_id == request.user.pk,
        "may_decide": request.user.has_perm(actions.EDIT_LINES),
    })


@require_POST
@require(load=EDIT)
def decide(request, edit: LineEdit, decision: str):
    try:
        if decision == "approve":
            edit = actions.approve_line_edit(edit=edit, approved_by=request.user)
        else:
            edit = actions.reject_line_edit(edit=edit, rejected_by=request.user, note=request.POST.get("note", ""))
    except (EditRefused, PermissionDenied) as exc:
        messages.error(request, getattr(exc, "message", str(exc)))
        return redirect("line-edit-review", edit_id=edit.pk)
    messages.success(request, f"变更 #{edit.pk}：{edit.get_status_display()}")
    if edit.status == EditStatus.APPLIED:
        changed = ",".join(edit.area_changes)
        return redirect(
            f"{reverse('boundary-editor')}?parent={edit.line.parent.code}&level={edit.line.level}&changed={changed}"
        )
    return redirect("line-edit-review", edit_id=edit.pk)
