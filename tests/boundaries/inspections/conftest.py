"""Inspection fixtures on the real 天水市 county lines (built through PostGIS topology once
per session, tests/conftest.py) and the personas of both sides of the 清水县|秦安县 line."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from boundaries.inspections import actions
from boundaries.inspections.demo import _markers
from boundaries.models import BoundaryLine, Division
from geoapp.actions import set_up_user
from geoapp.photos import jpeg_with_gps, read_photo
from geoapp.roles import Role
from tests.conftest import PASSWORD

QINGSHUI, QINAN, MAIJI = "620521000000", "620522000000", "620503000000"


@pytest.fixture
def county_lines(demo_data, db):
    """The county lines of 天水市 (17 neighbour pairs plus outer edges), as set-up built them."""
    tianshui = Division.objects.current().get(code="620500000000")
    return BoundaryLine.objects.current().of(parent=tianshui, level="county")


def county_line(a: str, b: str) -> BoundaryLine:
    left, right = sorted([a, b])
    return BoundaryLine.objects.current().select_related("left", "right").get(
        level="county", left__code=left, right__code=right)


@pytest.fixture
def qinan_line(county_lines):
    """清水县 (620521, left: the smaller code) — 秦安县 (620522), 55 km."""
    return county_line(QINGSHUI, QINAN)


@pytest.fixture
def qinan_officer(db):
    """A zoning officer (区划地名工作人员) of 秦安县 (620522): the other side of the line."""
    return set_up_user(username="zoning_qa", role=Role.ZONING, jurisdiction=QINAN, password=PASSWORD)


@pytest.fixture
def county_field_worker(db):
    """A field worker (外业人员) of 清水县 at county level (620521): sees the county lines."""
    return set_up_user(username="field_qs", role=Role.FIELD, jurisdiction=QINGSHUI, password=PASSWORD)


@pytest.fixture
def markers(qinan_line):
    """Markers every 5 km on 清水县|秦安县, a same-number pair at serial 4."""
    return _markers(qinan_line, pair_serials=(4,))


@pytest.fixture
def fieldwork(qinan_line, markers, zoning_officer):
    """A regular 2026 inspection of 清水县|秦安县 in fieldwork."""
    inspection = actions.plan_inspection(
        line=qinan_line, round_year=2026, planned_start=dt.date(2026, 5, 1), planned_end=dt.date(2026, 5, 10),
        created_by=zoning_officer,
    )
    return actions.start_fieldwork(inspection=inspection, by=zoning_officer)


def photo_at(lon: float, lat: float):
    return read_photo(jpeg_with_gps(lon, lat), name="IMG_0001.jpg")


def check_marker(inspection, marker, user, *, lon=None, lat=None, condition="intact", client_id=None):
    import uuid

    lon = marker.geom.x if lon is None else lon
    lat = marker.geom.y if lat is None else lat
    return actions.record_marker_check(
        inspection=inspection, marker=marker, client_id=client_id or uuid.uuid4(), condition=condition, lon=lon,
        lat=lat, accuracy_m=4, recorded_by=user, photos=[photo_at(lon, lat)], checked_at=timezone.now(),
    )
