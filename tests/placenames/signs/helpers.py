"""Fixtures and builders for the sign tests (imported by tests/placenames/test_signs_*.py).

Signs are planned through ``plan_signs`` and recorded through the API or the actions,
as the product does (STYLE.md: workflow states built by calling actions). Photos are
generated JPEGs with EXIF GPS tags; MEDIA_ROOT points at a temporary directory.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from boundaries.models import Division
from geoapp.gis import GEOD
from placenames.signs.models import Sign, SignType
from placenames.signs.photos import jpeg_with_gps, read_photo
from placenames.signs.plans import plan_signs

YONGQING = "620521100000"  # 永清镇: the field worker's township
HONGBAO = "620521101000"  # 红堡镇: another township of 清水县
DONGGUAN = "620521100201"  # 东关村民委员会, a village of 永清镇


@pytest.fixture
def media(settings, tmp_path):
    """Photos go to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def township(code: str) -> Division:
    return Division.objects.current().get(code=code)


@pytest.fixture
def yongqing_plan(gazetteer, media):
    """The saved sign plan of 永清镇 (a seat sign and a village sign for each of its 25 villages)."""
    return plan_signs(township=township(YONGQING), created_by=None, dry_run=False)


@pytest.fixture
def village_sign(yongqing_plan) -> Sign:
    """The planned village sign of 东关村民委员会 (永清镇)."""
    return Sign.objects.get(division__code=DONGGUAN, sign_type=SignType.VILLAGE)


@pytest.fixture
def other_sign(gazetteer, media) -> Sign:
    """The planned seat sign of 红堡镇: outside the field worker's jurisdiction."""
    plan_signs(township=township(HONGBAO), created_by=None, dry_run=False)
    return Sign.objects.get(division__code=HONGBAO, sign_type=SignType.SEAT)


def moved(point, metres: float, azimuth: float = 45.0) -> tuple[float, float]:
    """(lon, lat) ``metres`` from ``point`` on the ellipsoid."""
    lon, lat, _back = GEOD.fwd(point.x, point.y, azimuth, metres)
    return lon, lat


def photo_upload(lon: float | None, lat: float | None, *, name: str = "sign.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_with_gps(lon, lat), content_type="image/jpeg")


def photo_info(lon: float | None, lat: float | None):
    return read_photo(jpeg_with_gps(lon, lat), name="sign.jpg")


def installation_data(sign: Sign, *, metres: float = 10.0, **overrides) -> dict:
    """A valid installation form for ``sign``: 10 m from the planned point, accuracy 8 m,
    the sign's text (the standard name in the form of its type), a photo taken at the
    device's position."""
    lon, lat = moved(sign.planned_geom, metres)
    data = {
        "client_id": str(uuid.uuid4()), "lon": f"{lon:.7f}", "lat": f"{lat:.7f}", "accuracy_m": "8",
        "text_cn": sign.text_cn, "text_pinyin": sign.text_pinyin,
        "installed_at": (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)).isoformat(),
        "photo": photo_upload(lon, lat), "team": "永清镇外业一组",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def inspection_data(sign: Sign, *, condition: str = "intact", **overrides) -> dict:
    data = installation_data(sign, **overrides)
    data["inspected_at"] = data.pop("installed_at", dt.datetime.now(dt.UTC).isoformat())
    data["condition"] = condition
    point = sign.installed_geom or sign.planned_geom
    if "lon" not in overrides:
        lon, lat = moved(point, 5)
        data.update(lon=f"{lon:.7f}", lat=f"{lat:.7f}")
        if "photo" not in overrides:
            data["photo"] = photo_upload(lon, lat)
    return data


def install_url(sign: Sign) -> str:
    return f"/api/signs/{sign.pk}/installations/"


def inspect_url(sign: Sign) -> str:
    return f"/api/signs/{sign.pk}/inspections/"
