"""Synthetic demo of the inspection register on the county lines of 清水县 (all marked
``source = synthetic``; the numbers, people, dates and readings are invented).

* markers every 5 km on the three county lines shared with 麦积区, 秦安县 and 张家川县,
  numbered per GB/T 17796 (a same-number pair A/B on 清水|秦安), with reference objects,
  and the boundary agreements that fixed the lines;
* 清水|秦安: a regular inspection filed in 2021 (every marker checked, one damaged, the
  walked track leaving one stretch out), so it falls due this year; two smart markers,
  one of them alarming twice (one alert, one hazard), one stale;
* 麦积|清水: last filed in 2019, overdue; 清水|张家川: a special inspection after a flood
  in fieldwork (a displaced marker recorded, half the track walked);
* a few disputes and hazards with mediation logs, two peaceful-boundary agreements.

Everything goes through ``actions``/``telemetry`` like real work. Loading is idempotent:
when the demo's markers exist it does nothing (``reset=True`` removes the synthetic
records first).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib.gis.geos import LineString, Point
from django.db import transaction
from django.utils import timezone
from pyproj import Transformer

from boundaries.inspections import actions, telemetry
from boundaries.inspections.geometry import oriented_line, reproject
from boundaries.inspections.models import (
    BoundaryAgreement,
    BoundaryIssue,
    BoundaryMarker,
    InspectionKind,
    InspectionPhoto,
    InspectionSignature,
    IssueCategory,
    IssueKind,
    IssueStatus,
    JointInspection,
    LineFinding,
    MarkerCheck,
    MarkerCondition,
    MarkerDevice,
    MarkerLetter,
    MediationEntry,
    PeacefulBoundaryAgreement,
    ReferenceObject,
    RiskLevel,
    TelemetryAlert,
    TelemetryReading,
    TrackLog,
)
from boundaries.inspections.numbering import format_number, line_prefix
from boundaries.models import BoundaryLine, Division, Source
from geoapp.actions import set_up_user
from geoapp.demo_users import DEMO_PASSWORD
from geoapp.gis import CGCS2000, gauss_kruger_3deg_srid
from geoapp.photos import jpeg_with_gps, read_photo
from geoapp.roles import Role

QINGSHUI = "620521000000"
NEIGHBOURS = {"620503000000": "maiji_zoning", "620522000000": "qinan_zoning", "620525000000": "zhangjiachuan_zoning"}
SYN = Source.SYNTHETIC
SPACING_M = 5000
# Demo users of this module (password DEMO_PASSWORD): the neighbours' zoning officers and
# a county-level field worker of 清水县 (who can see the county lines).
DEMO_INSPECTION_USERS = (
    *((name, Role.ZONING, code) for code, name in NEIGHBOURS.items()),
    ("qingshui_inspector", Role.FIELD, QINGSHUI),
)


def _county_line(other: str) -> BoundaryLine:
    codes = sorted([QINGSHUI, other])
    return BoundaryLine.objects.current().select_related("left", "right").get(
        level="county", left__code=codes[0], right__code=codes[1])


def _place(line: BoundaryLine, distances_m: list[float], offset_m: float = 0.0):
    """Points at ``distances_m`` along the oriented line, optionally offset sideways:
    returns [(point_on_left_side_or_line, point_on_right_side)] per distance."""
    oriented = oriented_line(line.geom)
    srid = gauss_kruger_3deg_srid(line.geom.centroid.x)
    fwd = Transformer.from_crs(CGCS2000, srid, always_xy=True)
    back = Transformer.from_crs(srid, CGCS2000, always_xy=True)
    gk = reproject(oriented, fwd)
    out = []
    for d in distances_m:
        a, b = gk.interpolate(d), gk.interpolate(min(d + 5, gk.length))
        dx, dy = b.x - a.x, b.y - a.y
        norm = (dx * dx + dy * dy) ** 0.5 or 1
        nx, ny = -dy / norm, dx / norm
        if not offset_m:
            out.append((Point(*back.transform(a.x, a.y), srid=CGCS2000), None))
            continue
        p1 = Point(*back.transform(a.x + nx * offset_m, a.y + ny * offset_m), srid=CGCS2000)
        p2 = Point(*back.transform(a.x - nx * offset_m, a.y - ny * offset_m), srid=CGCS2000)
        out.append((p1, p2) if line.left.geom.covers(p1) else (p2, p1))
    return out, gk.length


def _markers(line: BoundaryLine, *, pair_serials=()) -> list[BoundaryMarker]:
    prefix = line_prefix(left_name=line.left.name, left_code=line.left.code, right_name=line.right.name,
                         right_code=line.right.code, line_id=line.pk)
    length = _place(line, [0])[1]
    distances = [SPACING_M / 2 + i * SPACING_M for i in range(int((length - SPACING_M / 2) // SPACING_M) + 1)]
    markers = []
    for serial, d in enumerate(distances, start=1):
        if serial in pair_serials:
            (a, b), = _place(line, [d], offset_m=15)[0]
            placed = [(MarkerLetter.A, a, line.left), (MarkerLetter.B, b, line.right)]
        else:
            (p, _none), = _place(line, [d])[0]
            placed = [(MarkerLetter.Q, p, line.left if serial % 2 else line.right)]
        for letter, point, side in placed:
            marker = BoundaryMarker.objects.create(
                line=line, number=format_number(prefix, serial, letter), serial=serial, letter=letter, geom=point,
                material="花岗岩" if letter == "Q" else "钢筋混凝土", set_on=dt.date(2003, 10, 1), managed_by=side,
                note="合成演示数据", source=SYN,
            )
            ReferenceObject.objects.create(
                marker=marker, name="独立大树" if serial % 2 else "电杆", bearing_deg=(serial * 47) % 360,
                distance_m=12.5 + serial, description="合成演示数据",
            )
            markers.append(marker)
    return markers


def _agreement(line: BoundaryLine, number: str) -> None:
    BoundaryAgreement.objects.create(
        line=line, number=number, signed_on=dt.date(2003, 12, 18), party_left=line.left, party_right=line.right,
        approved_by_body="甘肃省人民政府", line_version=line.version, note="合成演示数据（勘界协议书）", source=SYN,
    )


def _aware(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _photo(point: Point, taken: dt.datetime):
    return [read_photo(jpeg_with_gps(point.x, point.y, colour=(120, 110, 100), taken=taken), name="marker.jpg")]


def _check_all(inspection, markers, *, day: dt.date, user, conditions: dict[int, tuple[str, float]]):
    """Check every marker (condition and offset in metres by marker index)."""
    for i, marker in enumerate(markers):
        condition, moved = conditions.get(i, (MarkerCondition.INTACT, 1.5))
        lon, lat = _offset(marker.geom, moved)
        when = _aware(day, 9 + i % 8)
        actions.record_marker_check(
            inspection=inspection, marker=marker, client_id=uuid.uuid5(uuid.NAMESPACE_URL, f"demo-check-{marker.number}-{day}"),
            condition=condition, lon=lon, lat=lat, accuracy_m=4.0, recorded_by=user, checked_at=when,
            photos=_photo(Point(lon, lat, srid=CGCS2000), when), source=SYN,
        )


def _offset(point: Point, metres: float) -> tuple[float, float]:
    from geoapp.gis import GEOD

    lon, lat, _b = GEOD.fwd(point.x, point.y, 60, metres)
    return lon, lat


def _track(inspection, line, *, skip: tuple[float, float] | None, user, upto: float = 1.0):
    """A walked track along the line, 20 m beside it, leaving out the fraction ``skip``."""
    oriented = oriented_line(line.geom)
    srid = gauss_kruger_3deg_srid(line.geom.centroid.x)
    fwd = Transformer.from_crs(CGCS2000, srid, always_xy=True)
    back = Transformer.from_crs(srid, CGCS2000, always_xy=True)
    gk = reproject(oriented, fwd).offset_curve(20)
    segments, current = [], []
    steps = int(gk.length // 100)
    for i in range(steps + 1):
        f = i / steps
        if f > upto or (skip and skip[0] <= f <= skip[1]):
            if len(current) > 1:
                segments.append(current)
            current = []
            continue
        p = gk.interpolate(f, normalized=True)
        current.append(back.transform(p.x, p.y))
    if len(current) > 1:
        segments.append(current)
    actions.record_track(inspection=inspection, client_id=uuid.uuid5(uuid.NAMESPACE_URL, f"demo-track-{inspection.pk}"),
                         lines=segments, track_source="recorded", recorded_by=user)


def _filed(line, *, year, inspected_on, filed_on, users, markers=(), conditions=None, skip=None):
    qs_user, other_user = users
    inspection = actions.plan_inspection(
        line=line, round_year=year, planned_start=inspected_on - dt.timedelta(days=10), planned_end=inspected_on,
        created_by=qs_user, team_left="合成演示：甲方检查组 3 人", team_right="合成演示：乙方检查组 3 人", source=SYN,
    )
    actions.start_fieldwork(inspection=inspection, by=qs_user)
    if markers:
        _check_all(inspection, markers, day=inspected_on, user=qs_user, conditions=conditions or {})
        _track(inspection, line, skip=skip, user=qs_user)
    actions.draft_report(inspection=inspection, by=qs_user, inspected_on=inspected_on,
                         summary="界线走向清楚，界桩基本完好（合成演示数据）。")
    for user in (qs_user, other_user):
        actions.sign_inspection(inspection=inspection, user=user, signer_name=f"{user.username}（演示）")
    InspectionSignature.objects.filter(inspection=inspection).update(signed_at=_aware(filed_on - dt.timedelta(days=3)))
    return actions.file_inspection(inspection=inspection, by=qs_user, filed_on=filed_on)


def _users() -> dict[str, object]:
    users = {name: set_up_user(username=name, role=role, jurisdiction=code, password=DEMO_PASSWORD)
             for name, role, code in DEMO_INSPECTION_USERS}
    users["qingshui_zoning"] = set_up_user(username="qingshui_zoning", role=Role.ZONING, jurisdiction=QINGSHUI,
                                           password=DEMO_PASSWORD)
    return users


def reset_demo_inspections() -> None:
    """Remove every synthetic record of this module (in dependency order)."""
    TelemetryAlert.objects.filter(device__source=SYN).delete()
    TelemetryReading.objects.filter(device__source=SYN).delete()
    MarkerDevice.objects.filter(source=SYN).delete()
    MediationEntry.objects.filter(issue__source=SYN).delete()
    BoundaryIssue.objects.filter(source=SYN).delete()
    InspectionPhoto.objects.filter(check_record__source=SYN).delete()
    InspectionPhoto.objects.filter(finding__source=SYN).delete()
    synthetic = JointInspection.objects.filter(source=SYN)
    MarkerCheck.objects.filter(inspection__in=synthetic).delete()
    LineFinding.objects.filter(inspection__in=synthetic).delete()
    TrackLog.objects.filter(inspection__in=synthetic).delete()
    InspectionSignature.objects.filter(inspection__in=synthetic).delete()
    synthetic.filter(amends__isnull=False).delete()
    synthetic.delete()
    PeacefulBoundaryAgreement.objects.filter(source=SYN).delete()
    BoundaryAgreement.objects.filter(source=SYN).delete()
    ReferenceObject.objects.filter(marker__source=SYN).delete()
    BoundaryMarker.objects.filter(source=SYN).delete()


@transaction.atomic
def load_demo_inspections(*, reset: bool = False) -> list[str]:
    """Load the demo (idempotent); returns one summary line per part."""
    if reset:
        reset_demo_inspections()
    if BoundaryMarker.objects.filter(source=SYN).exists():
        return ["演示联检数据已存在，未改动。"]
    users = _users()
    qs_user = users["qingshui_zoning"]
    maiji, qinan, zjc = (_county_line(code) for code in NEIGHBOURS)
    out = []

    # Markers and agreements.
    markers = {line.pk: _markers(line, pair_serials=(4,) if line is qinan else ()) for line in (maiji, qinan, zjc)}
    for n, line in enumerate((maiji, qinan, zjc), start=1):
        _agreement(line, f"甘界协〔2003〕{n:02d}号（演示）")
    out.append(f"界桩 {sum(len(m) for m in markers.values())} 个（3 条县界），界线协议书 3 份")

    # 麦积|清水: filed in 2019 → overdue. 清水|张家川: filed 2022, special inspection now.
    _filed(maiji, year=2019, inspected_on=dt.date(2019, 10, 10), filed_on=dt.date(2019, 11, 20),
           users=(qs_user, users["maiji_zoning"]))
    _filed(zjc, year=2022, inspected_on=dt.date(2022, 5, 18), filed_on=dt.date(2022, 6, 30),
           users=(qs_user, users["zhangjiachuan_zoning"]))
    # 清水|秦安: filed in 2021 with every marker checked, one damaged, one stretch not walked.
    filed = _filed(qinan, year=2021, inspected_on=dt.date(2021, 12, 20), filed_on=dt.date(2021, 12, 28),
                   users=(qs_user, users["qinan_zoning"]), markers=markers[qinan.pk],
                   conditions={2: (MarkerCondition.DAMAGED, 0.8)}, skip=(0.55, 0.7))
    out.append(f"已备案联检：{maiji}（2019，已逾期）、{zjc}（2022）、{qinan}（2021，本年度到期）")

    # 清水|张家川: special inspection after a flood, in fieldwork.
    today = timezone.localdate()
    special = actions.plan_inspection(
        line=zjc, round_year=today.year, kind=InspectionKind.SPECIAL, special_reason="汛期洪水冲刷河岸，部分界桩受损（演示）",
        planned_start=today - dt.timedelta(days=3), planned_end=today + dt.timedelta(days=10), created_by=qs_user,
        team_left="合成演示：清水县民政局 2 人", team_right="合成演示：张家川县民政局 2 人", source=SYN,
    )
    actions.start_fieldwork(inspection=special, by=qs_user)
    zjc_markers = markers[zjc.pk]
    _check_all(special, zjc_markers[:4], day=today - dt.timedelta(days=1), user=qs_user,
               conditions={1: (MarkerCondition.DISPLACED, 23.0)})
    _track(special, zjc, skip=None, user=qs_user, upto=0.45)
    flood, _created = actions.record_finding(
        inspection=special, client_id=uuid.uuid5(uuid.NAMESPACE_URL, "demo-finding-flood"), kind="river",
        lon=zjc_markers[1].geom.x, lat=zjc_markers[1].geom.y, description="洪水冲刷河岸约 200 米，河道向东摆动（演示）",
        recorded_by=qs_user, accuracy_m=5.0, source=SYN,
    )
    actions.open_issue_from_finding(finding=flood, by=qs_user, kind=IssueKind.HAZARD, risk=RiskLevel.MEDIUM)
    out.append(f"特殊联检（外业中）：{zjc}，已检查 4 个界桩，1 个移位")

    # Disputes and hazards.
    grazing = actions.open_issue(
        line=maiji, kind=IssueKind.DISPUTE, category=IssueCategory.GRAZING, title="界线两侧草场放牧纠纷（演示）",
        geom=markers[maiji.pk][5].geom, risk=RiskLevel.HIGH, reported_by=qs_user, reported_on=dt.date(2026, 4, 2),
        description="两村村民在界线附近草场放牧发生争执（合成演示数据）。", source=SYN,
    )
    actions.move_issue(issue=grazing, to=IssueStatus.MEDIATING, by=qs_user, on=dt.date(2026, 4, 20),
                       text="两县民政局会同乡镇召开协调会（演示）。")
    coords = list(oriented_line(qinan.geom).coords)[10:25]
    water = actions.open_issue(
        line=qinan, kind=IssueKind.DISPUTE, category=IssueCategory.WATER, title="界河取水口纠纷（演示）",
        geom=LineString(coords, srid=CGCS2000), risk=RiskLevel.MEDIUM, reported_by=qs_user,
        reported_on=dt.date(2022, 7, 1), inspection=filed, source=SYN,
    )
    actions.move_issue(issue=water, to=IssueStatus.MEDIATING, by=qs_user, on=dt.date(2022, 7, 15), text="现场调查（演示）。")
    actions.move_issue(issue=water, to=IssueStatus.RESOLVED, by=qs_user, on=dt.date(2022, 9, 1),
                       text="双方签订取水协议，纠纷化解（演示）。")
    out.append("纠纷隐患：草场纠纷（调处中）、界河取水纠纷（已化解）、洪水隐患（已登记）")

    # Smart markers on 清水|秦安.
    now = timezone.now()
    alarm_marker, stale_marker = markers[qinan.pk][2], markers[qinan.pk][6]
    device, token = telemetry.register_device(marker=alarm_marker, device_id="QS-QA-DEMO-01", token="demo-token-01",
                                              source=SYN)
    for hours, tilt in ((72, 0.4), (30, 12.5), (6, 13.1)):
        telemetry.record_reading(device_id=device.device_id, token=token, channel="http",
                                 payload={"measured_at": (now - dt.timedelta(hours=hours)).isoformat(),
                                          "tilt_deg": tilt, "movement_mm": 2.0, "battery_pct": 88})
    stale, stale_token = telemetry.register_device(marker=stale_marker, device_id="QS-QA-DEMO-02",
                                                   token="demo-token-02", source=SYN)
    telemetry.record_reading(device_id=stale.device_id, token=stale_token, channel="mqtt",
                             payload={"measured_at": (now - dt.timedelta(days=10)).isoformat(), "tilt_deg": 0.3})
    out.append("智慧界桩：2 个传感器（1 个告警 → 1 条隐患，1 个超过 3 天未上报）")

    # Peaceful-boundary agreements.
    for other, line in ((qinan.right if qinan.left.code == QINGSHUI else qinan.left, qinan),
                        (zjc.right if zjc.left.code == QINGSHUI else zjc.left, zjc)):
        agreement = PeacefulBoundaryAgreement.objects.create(
            title=f"清水县—{other.name}平安边界共建协议（演示）", party_a=Division.objects.current().get(code=QINGSHUI),
            party_b=other, signed_on=dt.date(2022, 3, 1), term_end=dt.date(2026, 12, 31), source=SYN,
        )
        agreement.lines.add(line)
    out.append("平安边界共建协议 2 份")
    return out
