"""Pages of the inspection work (mounted under /boundaries/inspections/): the schedule with
its map, a line's page (agreement, markers, inspection history, open disputes), the
marker register (import, CSV export, printable 界桩登记表), one inspection with its
actions, the report (HTML, PDF), the dispute/hazard register, peaceful-boundary
agreements and the smart-marker devices.

Every page needs a login and the model permission; every object is loaded through a
``for_user`` queryset (a line outside the user's jurisdiction is a 404), so marker
positions reach only users whose jurisdiction touches the line. Changes go through
``actions``; views parse, call, render.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import tempfile
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from boundaries.inspections import actions
from boundaries.inspections.actions import InspectionError
from boundaries.inspections.importer import export_rows, import_markers
from boundaries.inspections.law import CITATIONS
from boundaries.inspections.models import (
    ISSUE_TRANSITIONS,
    BoundaryAgreement,
    BoundaryIssue,
    BoundaryMarker,
    InspectionKind,
    InspectionPhoto,
    InspectionStatus,
    IssueCategory,
    IssueKind,
    IssueStatus,
    JointInspection,
    LineFinding,
    MarkerDevice,
    PeacefulBoundaryAgreement,
    RiskLevel,
    TelemetryAlert,
)
from boundaries.inspections.reports import render_report_html, render_report_pdf
from boundaries.inspections.schedule import (
    STATUS_COLOURS,
    STATUS_LABELS,
    build_schedule,
    lines_touching,
    schedule_geojson,
)
from boundaries.inspections.telemetry import stale_devices
from boundaries.models import BoundaryLine, Division
from geoapp import csvsafe
from geoapp.access import Load, require
from geoapp.jurisdiction import normalise_code
from geoapp.views import map_config

# A line a side of which lies in the user's jurisdiction; an inspection of such a line.
LINE = Load("line", lambda user: BoundaryLine.objects.for_user(user).select_related("left", "right", "parent"),
            kwarg="line_id")
INSPECTION = Load("inspection", lambda user: JointInspection.objects.for_user(user).select_related(
    "line__left", "line__right", "party_left", "party_right", "amends"))


def _within(request) -> str:
    own = request.user.jurisdiction_code or "620521000000"
    try:
        code = normalise_code(request.GET.get("within") or own)
    except ValueError:
        code = normalise_code(own)
    if not (request.user.is_superuser or request.user.can_act_on(code)):
        code = normalise_code(own)
    return code


def _fail(request, exc: InspectionError) -> None:
    for error in exc.errors:
        messages.error(request, error)


# --- schedule --------------------------------------------------------------------------------------------


@require("boundaries.view_jointinspection")
def schedule_page(request):
    code = _within(request)
    level = request.GET.get("level") or ""
    lines = lines_touching(code).filter(pk__in=BoundaryLine.objects.for_user(request.user).values("pk"))
    if level in ("county", "township"):
        lines = lines.filter(level=level)
    schedule = build_schedule(lines)
    only = request.GET.get("only", "")
    rows = schedule.overdue if only == "overdue" else schedule.due_this_year if only == "due" else schedule.rows
    division = Division.objects.current().filter(code=code).first()
    config = map_config(request)
    config["layers"] = [{"name": "schedule", "kind": "lines", "data": schedule_geojson(schedule),
                         "link": reverse("boundary-line-page", args=[0])}]
    config["legend"] = [[str(STATUS_LABELS[k]), v] for k, v in STATUS_COLOURS.items()]
    open_inspections = JointInspection.objects.for_user(request.user).open().filter(line__in=lines).select_related(
        "line__left", "line__right")
    return render(request, "boundaries/inspections/schedule.html", {
        "schedule": schedule, "rows": rows, "division": division, "level": level, "only": only, "config": config,
        "counts": schedule.counts(), "labels": STATUS_LABELS, "rule": CITATIONS["five_year_cycle"],
        "open_inspections": open_inspections,
    })


# --- a line ---------------------------------------------------------------------------------------------


@require("boundaries.view_boundarymarker", load=LINE)
def line_page(request, line: BoundaryLine):
    markers = list(BoundaryMarker.objects.along(line).select_related("managed_by").prefetch_related("references"))
    inspections = line.inspections.select_related("party_left", "party_right").prefetch_related("signatures")
    issues = line.issues.open()
    config = map_config(request)
    config["layers"] = [
        {"name": "line", "kind": "lines", "data": {"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": json.loads(line.geom.geojson), "properties": {"name": str(line),
                                                                                        "colour": "#7b1f1f"}}]}},
        {"name": "markers", "kind": "points", "data": _marker_features(markers)},
        {"name": "issues", "kind": "mixed", "data": _issue_features(issues), "link": reverse("boundary-issue-detail",
                                                                                            args=[0])},
    ]
    return render(request, "boundaries/inspections/line.html", {
        "line": line, "agreements": line.agreements.select_related("amends"), "markers": markers,
        "inspections": inspections, "issues": issues, "config": config,
        "peace": line.peace_agreements.all(), "kinds": InspectionKind.choices,
        "can_plan": request.user.has_perm("boundaries.add_jointinspection"), "today": timezone.localdate(),
        "can_import": request.user.has_perm("boundaries.add_boundarymarker"),
        "can_agree": request.user.has_perm("boundaries.add_boundaryagreement"),
    })


def _marker_features(markers) -> dict:
    return {"type": "FeatureCollection", "features": [{
        "type": "Feature", "geometry": json.loads(m.geom.geojson),
        "properties": {"name": m.number, "label": f"{m.number} · {m.get_condition_display()}",
                       "colour": "#c0392b" if m.alert_open else "#1f5fa8"},
    } for m in markers]}


def _issue_features(issues) -> dict:
    return {"type": "FeatureCollection", "features": [{
        "type": "Feature", "geometry": json.loads(i.geom.geojson),
        "properties": {"id": i.pk, "name": i.title, "label": f"{i.get_kind_display()} · {i.get_risk_display()} · "
                                                              f"{i.get_status_display()}",
                       "colour": {"high": "#c0392b", "medium": "#d97706", "low": "#2e8b57"}[i.risk]},
    } for i in issues]}


@require_POST
@require("boundaries.add_jointinspection", load=LINE)
def plan_view(request, line: BoundaryLine):
    data = request.POST
    try:
        start = dt.date.fromisoformat(data.get("planned_start", ""))
        end = dt.date.fromisoformat(data.get("planned_end", ""))
        year = int(data.get("round_year") or start.year)
    except ValueError:
        messages.error(request, "请填写有效的计划日期（YYYY-MM-DD）")
        return redirect("boundary-line-page", line_id=line.pk)
    try:
        inspection = actions.plan_inspection(
            line=line, round_year=year, planned_start=start, planned_end=end, created_by=request.user,
            kind=data.get("kind") or InspectionKind.REGULAR, special_reason=data.get("special_reason", ""),
            team_left=data.get("team_left", ""), team_right=data.get("team_right", ""),
        )
    except InspectionError as exc:
        _fail(request, exc)
        return redirect("boundary-line-page", line_id=line.pk)
    messages.success(request, f"已安排联检 #{inspection.pk}")
    return redirect("inspection-detail", pk=inspection.pk)


@require_POST
@require("boundaries.add_boundaryagreement", load=LINE)
def agreement_view(request, line: BoundaryLine):
    data = request.POST
    try:
        signed_on = dt.date.fromisoformat(data.get("signed_on", ""))
    except ValueError:
        messages.error(request, "请填写有效的签订日期（YYYY-MM-DD）")
        return redirect("boundary-line-page", line_id=line.pk)
    amends = line.agreements.filter(pk=data["amends"]).first() if data.get("amends", "").isdigit() else None
    try:
        actions.record_agreement(
            line=line, number=data.get("number", ""), signed_on=signed_on, recorded_by=request.user,
            approved_by_body=data.get("approved_by_body", ""), map_file=request.FILES.get("map_file"),
            marker_table_file=request.FILES.get("marker_table_file"), amends=amends, note=data.get("note", ""),
        )
    except InspectionError as exc:
        _fail(request, exc)
    else:
        messages.success(request, "已登记界线协议书")
    return redirect("boundary-line-page", line_id=line.pk)


@require("boundaries.view_boundaryagreement")
def agreement_file(request, pk: int, which: str):
    agreement = get_object_or_404(BoundaryAgreement.objects.for_user(request.user), pk=pk)
    field = {"map": agreement.map_file, "markers": agreement.marker_table_file}.get(which)
    if not field:
        raise Http404(which)
    return FileResponse(field.open("rb"), as_attachment=True, filename=Path(field.name).name)


# --- marker register ------------------------------------------------------------------------------------------


@require("boundaries.view_boundarymarker", load=LINE)
def marker_register(request, line: BoundaryLine):
    report = None
    if request.method == "POST":
        if not request.user.has_perm("boundaries.add_boundarymarker"):
            raise PermissionDenied
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, "请选择要导入的文件")
        else:
            suffix = Path(upload.name).suffix.lower()
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / f"upload{suffix}"
                with path.open("wb") as out:
                    for chunk in upload.chunks():
                        out.write(chunk)
                report = import_markers(path, line=line, user=request.user, dry_run=bool(request.POST.get("dry_run")),
                                        display_name=upload.name)
            if report.ok and not report.dry_run:
                messages.success(request, f"导入完成：新增 {len(report.created)}，更新 {len(report.updated)}")
    markers = BoundaryMarker.objects.along(line).select_related("managed_by").prefetch_related("references")
    return render(request, "boundaries/inspections/markers.html", {
        "line": line, "markers": markers, "report": report,
        "can_import": request.user.has_perm("boundaries.add_boundarymarker"),
    })


def _csv_cell(value: str) -> str:
    # A cell starting with = + - @ would run as a formula in a spreadsheet.
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") and not _is_number(value) else value


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


@require("boundaries.view_boundarymarker", load=LINE)
def marker_export(request, line: BoundaryLine):
    markers = BoundaryMarker.objects.along(line).select_related("managed_by").prefetch_related("references")
    out = io.StringIO()
    writer = csvsafe.writer(out)
    for row in export_rows(markers):
        writer.writerow([_csv_cell(str(v)) for v in row])
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="markers-line-{line.pk}.csv"'
    return response


@require("boundaries.view_boundarymarker", load=LINE)
def marker_register_print(request, line: BoundaryLine):
    markers = BoundaryMarker.objects.along(line).select_related("managed_by").prefetch_related("references")
    return render(request, "boundaries/inspections/marker_print.html", {
        "line": line, "markers": markers, "agreement": line.agreements.first(), "today": timezone.localdate(),
    })


# --- one inspection --------------------------------------------------------------------------------------------


@require("boundaries.view_jointinspection", load=INSPECTION)
def inspection_detail(request, inspection: JointInspection):
    from boundaries.inspections.geometry import walked_share

    share = walked_share(inspection)
    user = request.user
    mine = [d for d in inspection.sides() if user.can_act_on(d.code)]
    signed = {s.side_id for s in inspection.signatures.all()}
    config = map_config(request)
    checks = list(inspection.marker_checks.select_related("marker").prefetch_related("photos"))
    markers = list(inspection.line.markers.order_by("serial", "letter"))
    config["layers"] = [
        {"name": "line", "kind": "lines", "data": {"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": json.loads(inspection.line.geom.geojson),
             "properties": {"name": str(inspection.line), "colour": "#7b1f1f"}}]}},
        {"name": "unwalked", "kind": "lines", "data": {"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": json.loads(share.unwalked_geojson),
             "properties": {"name": "未走到的地段", "colour": "#e0a800", "weight": 7}}] if share.unwalked_geojson else []}},
        {"name": "tracks", "kind": "lines", "data": {"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": json.loads(t.geom.geojson),
             "properties": {"name": "行进轨迹", "colour": "#1f5fa8", "weight": 2}} for t in inspection.tracks.all()]}},
        {"name": "markers", "kind": "points", "data": _marker_features(markers)},
    ]
    return render(request, "boundaries/inspections/detail.html", {
        "inspection": inspection, "share": share, "checks": checks, "findings": inspection.findings.all(),
        "signatures": inspection.signatures.select_related("side"), "config": config,
        "can_change": user.has_perm("boundaries.change_jointinspection") and bool(mine),
        "sign_sides": [d for d in mine if d.pk not in signed], "amendments": inspection.amendments.all(),
        "S": InspectionStatus, "unchecked": [m for m in markers if m.pk not in {c.marker_id for c in checks}],
        "citation": CITATIONS["joint_filing"], "issue_kinds": IssueKind.choices, "risks": RiskLevel.choices,
    })


@require_POST
@require("boundaries.view_jointinspection", load=INSPECTION)
def inspection_action(request, inspection: JointInspection, action: str):
    user, data = request.user, request.POST
    try:
        if action == "start":
            actions.start_fieldwork(inspection=inspection, by=user)
        elif action == "draft":
            actions.draft_report(inspection=inspection, by=user, summary=data.get("summary", ""))
        elif action == "reopen":
            actions.reopen_fieldwork(inspection=inspection, by=user)
        elif action == "sign":
            side = None
            if data.get("side"):
                side = next((d for d in inspection.sides() if str(d.pk) == data["side"]), None)
                if side is None:
                    raise InspectionError("所选一方不是本次联检的当事方")
            actions.sign_inspection(inspection=inspection, user=user, side=side, signer_name=data.get("signer_name", ""))
        elif action == "file":
            actions.file_inspection(inspection=inspection, by=user)
        elif action == "amend":
            amendment = actions.amend_inspection(original=inspection, by=user, reason=data.get("reason", ""))
            messages.success(request, f"已创建更正记录 #{amendment.pk}")
            return redirect("inspection-detail", pk=amendment.pk)
        elif action == "gpx":
            upload = request.FILES.get("gpx")
            if upload is None:
                raise InspectionError("请选择 GPX 文件")
            actions.import_gpx(inspection=inspection, data=upload.read(), recorded_by=user)
        else:
            raise Http404(action)
    except InspectionError as exc:
        _fail(request, exc)
    else:
        messages.success(request, "已保存")
    return redirect("inspection-detail", pk=inspection.pk)


@require_POST
@require("boundaries.add_boundaryissue")
def finding_to_issue(request, pk: int):
    finding = get_object_or_404(
        LineFinding.objects.filter(inspection__in=JointInspection.objects.for_user(request.user)).select_related(
            "inspection__line__left", "inspection__line__right"), pk=pk)
    try:
        issue = actions.open_issue_from_finding(
            finding=finding, by=request.user, kind=request.POST.get("kind") or IssueKind.HAZARD,
            risk=request.POST.get("risk") or RiskLevel.MEDIUM)
    except InspectionError as exc:
        _fail(request, exc)
        return redirect("inspection-detail", pk=finding.inspection_id)
    return redirect("boundary-issue-detail", pk=issue.pk)


@require("boundaries.view_boundarymarker", load=INSPECTION)
def report_html(request, inspection: JointInspection):
    return HttpResponse(render_report_html(inspection))


@require("boundaries.view_boundarymarker", load=INSPECTION)
def report_pdf(request, inspection: JointInspection):
    response = HttpResponse(render_report_pdf(inspection), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="inspection-{inspection.pk}.pdf"'
    return response


@require("boundaries.view_inspectionphoto")
def photo(request, pk: int, thumb: bool = False):
    visible = JointInspection.objects.for_user(request.user)
    item = get_object_or_404(
        InspectionPhoto.objects.filter(Q(check_record__inspection__in=visible) | Q(finding__inspection__in=visible)),
        pk=pk)
    field = item.thumbnail if thumb else item.image
    return FileResponse(field.open("rb"), content_type="image/jpeg" if thumb else item.content_type)


# --- disputes and hazards ------------------------------------------------------------------------------------------


@require("boundaries.view_boundaryissue")
def issue_list(request):
    issues = BoundaryIssue.objects.for_user(request.user).select_related("line__left", "line__right")
    filters = {}
    for name, choices in (("kind", IssueKind), ("category", IssueCategory), ("risk", RiskLevel),
                          ("status", IssueStatus)):
        value = request.GET.get(name, "")
        if value in choices.values:
            issues = issues.filter(**{name: value})
            filters[name] = value
    if (line := request.GET.get("line", "")).isdigit():
        issues = issues.filter(line_id=int(line))
        filters["line"] = line
    by_line = (issues.values("line", "line__left__name", "line__right__name")
               .annotate(high=Count("pk", filter=Q(risk="high")), medium=Count("pk", filter=Q(risk="medium")),
                         low=Count("pk", filter=Q(risk="low")), total=Count("pk")).order_by("-total"))
    by_side: dict[str, dict[str, int]] = {}
    for issue in issues:
        for side in (issue.party_left, issue.party_right):
            if side is not None and request.user.can_act_on(side.code):
                counts = by_side.setdefault(side.name, {"high": 0, "medium": 0, "low": 0})
                counts[issue.risk] += 1
    config = map_config(request)
    config["layers"] = [{"name": "issues", "kind": "mixed", "data": _issue_features(issues),
                         "link": reverse("boundary-issue-detail", args=[0])}]
    return render(request, "boundaries/inspections/issues.html", {
        "issues": issues, "filters": filters, "by_line": by_line, "by_side": by_side, "config": config,
        "choices": [(name, label, choices.choices, filters.get(name, "")) for name, label, choices in (
            ("kind", _("性质"), IssueKind), ("category", _("类别"), IssueCategory), ("risk", _("风险等级"), RiskLevel),
            ("status", _("状态"), IssueStatus))],
    })


@require("boundaries.view_boundaryissue")
def issue_detail(request, pk: int):
    issue = get_object_or_404(BoundaryIssue.objects.for_user(request.user).select_related(
        "line__left", "line__right", "inspection", "marker", "finding"), pk=pk)
    if request.method == "POST":
        try:
            on = dt.date.fromisoformat(request.POST["on"]) if request.POST.get("on") else None
            actions.move_issue(issue=issue, to=request.POST.get("to", issue.status), by=request.user,
                               text=request.POST.get("text", ""), on=on, document=request.FILES.get("document"))
        except ValueError:
            messages.error(request, "日期无效（YYYY-MM-DD）")
        except InspectionError as exc:
            _fail(request, exc)
        else:
            messages.success(request, "已记录")
        return redirect("boundary-issue-detail", pk=issue.pk)
    alert = TelemetryAlert.objects.filter(issue=issue).select_related("device").first()
    return render(request, "boundaries/inspections/issue.html", {
        "issue": issue, "log": issue.mediation.all(), "alert": alert,
        "next_states": [(s, IssueStatus(s).label) for s in ISSUE_TRANSITIONS[issue.status]],
        "can_change": request.user.has_perm("boundaries.change_boundaryissue"),
        "citation": CITATIONS["disputes"],
    })


@require("boundaries.view_peacefulboundaryagreement")
def peace_list(request):
    agreements = PeacefulBoundaryAgreement.objects.for_user(request.user).select_related("party_a", "party_b")
    return render(request, "boundaries/inspections/peace.html", {
        "agreements": agreements.prefetch_related("lines__left", "lines__right"), "today": timezone.localdate(),
    })


@require("boundaries.view_markerdevice")
def device_list(request):
    devices = MarkerDevice.objects.for_user(request.user).select_related("marker__line__left", "marker__line__right")
    alerts = TelemetryAlert.objects.filter(device__in=devices, closed_at__isnull=True).select_related("marker", "issue")
    return render(request, "boundaries/inspections/devices.html", {
        "devices": devices, "stale": stale_devices(devices), "alerts": alerts,
    })
