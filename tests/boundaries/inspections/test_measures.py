"""Measures on the ellipsoid, each against an independent computation: a marker's
displacement (PostGIS geography vs pyproj Geod on GRS80) and the share of a line walked
within a distance of a track (PostGIS buffer in Gauss-Krüger vs sampling the line with
pyproj and measuring to the track in a local azimuthal-equidistant plane with shapely)."""

from __future__ import annotations

import json
import uuid

import pytest
import shapely
from pyproj import Geod, Transformer
from shapely.geometry import LineString as ShapelyLine
from shapely.ops import linemerge

from boundaries.inspections import actions
from boundaries.inspections.geometry import reproject, walked_share
from boundaries.inspections.gpx import write_gpx
from tests.boundaries.inspections.conftest import check_marker

GRS80 = Geod(ellps="GRS80")


@pytest.mark.parametrize(("azimuth", "metres"), [(0, 0.5), (45, 12.0), (137, 35.25), (260, 480.0)])
def test_displacement_is_metres_on_the_ellipsoid(fieldwork, markers, county_field_worker, azimuth, metres):
    marker = markers[0]
    lon, lat, _back = GRS80.fwd(marker.geom.x, marker.geom.y, azimuth, metres)
    check, created = check_marker(fieldwork, marker, county_field_worker, lon=lon, lat=lat, condition="displaced")
    assert created
    expected = GRS80.inv(marker.geom.x, marker.geom.y, lon, lat)[2]
    assert check.displacement_m == pytest.approx(expected, abs=1e-3)
    assert check.displacement_m == pytest.approx(metres, abs=1e-3)


def test_an_intact_marker_beyond_the_threshold_is_flagged(fieldwork, markers, county_field_worker, settings):
    settings.CIVATLAS_MARKER_DISPLACED_M = 10
    near = GRS80.fwd(markers[1].geom.x, markers[1].geom.y, 90, 6)
    far = GRS80.fwd(markers[2].geom.x, markers[2].geom.y, 90, 14)
    ok, _ = check_marker(fieldwork, markers[1], county_field_worker, lon=near[0], lat=near[1])
    flagged, _ = check_marker(fieldwork, markers[2], county_field_worker, lon=far[0], lat=far[1])
    moved, _ = check_marker(fieldwork, markers[3], county_field_worker, lon=far[0], lat=far[1], condition="displaced")
    assert not ok.flagged and flagged.flagged and not moved.flagged  # "displaced" says so already
    assert any("14.0 米" in w for w in flagged.warnings)


def _independent_walked_m(line_geom, tracks, tolerance_m, step_m=5.0) -> tuple[float, float]:
    """Sample the line every ``step_m`` metres on the ellipsoid; a piece counts as walked
    when its midpoint is within ``tolerance_m`` of a track, measured in an azimuthal
    equidistant plane centred on the line (distances true to ~1e-4 over 50 km)."""
    line = linemerge(shapely.from_wkb(bytes(line_geom.wkb)))
    centre = line.centroid
    aeqd = Transformer.from_crs("EPSG:4490", f"+proj=aeqd +lat_0={centre.y} +lon_0={centre.x} +ellps=GRS80",
                                always_xy=True)
    track = reproject(shapely.MultiLineString(tracks), aeqd)
    total = walked = 0.0
    for a, b in zip(line.coords[:-1], line.coords[1:], strict=True):
        seg = GRS80.inv(a[0], a[1], b[0], b[1])[2]
        pieces = max(1, int(seg // step_m))
        points = [a, *(GRS80.npts(a[0], a[1], b[0], b[1], pieces - 1) if pieces > 1 else []), b]
        for p, q in zip(points[:-1], points[1:], strict=True):
            length = GRS80.inv(p[0], p[1], q[0], q[1])[2]
            mid = GRS80.npts(p[0], p[1], q[0], q[1], 1)[0]
            total += length
            if track.distance(shapely.Point(aeqd.transform(*mid))) <= tolerance_m:
                walked += length
    return total, walked


def _offset_track(line_geom, start: float, end: float, offset_m: float):
    """A track beside the line from fraction ``start`` to ``end``, ``offset_m`` to one side."""
    line = linemerge(shapely.from_wkb(bytes(line_geom.wkb)))
    centre = line.centroid
    aeqd = Transformer.from_crs("EPSG:4490", f"+proj=aeqd +lat_0={centre.y} +lon_0={centre.x} +ellps=GRS80",
                                always_xy=True)
    back = Transformer.from_crs(aeqd.target_crs, "EPSG:4490", always_xy=True)
    plane = reproject(line, aeqd)
    piece = shapely.ops.substring(plane, start, end, normalized=True).offset_curve(offset_m)
    return [back.transform(x, y) for x, y in piece.coords]


def test_the_walked_share_matches_an_independent_sampling_of_the_line(fieldwork, qinan_line, county_field_worker):
    fieldwork.walk_tolerance_m = 50
    fieldwork.save()
    walked_first = _offset_track(qinan_line.geom, 0.0, 0.55, 30)   # within 50 m
    too_far = _offset_track(qinan_line.geom, 0.60, 0.80, 120)       # walked, but 120 m away
    close_again = _offset_track(qinan_line.geom, 0.85, 1.0, -20)    # the other side, within 50 m
    for seg in (walked_first, too_far):
        actions.record_track(inspection=fieldwork, client_id=uuid.uuid4(), lines=[seg], track_source="recorded",
                             recorded_by=county_field_worker)
    actions.import_gpx(inspection=fieldwork, recorded_by=county_field_worker,
                       data=write_gpx([close_again]))
    share = walked_share(fieldwork)
    total, walked = _independent_walked_m(qinan_line.geom, [walked_first, too_far, close_again], 50)
    assert share.line_m == pytest.approx(total, rel=1e-6)
    assert share.line_m == pytest.approx(qinan_line.length_km * 1000, rel=1e-4)
    assert share.walked_m == pytest.approx(walked, rel=0.01)
    assert 0.6 < share.share < 0.75
    # The stretches not walked are the rest of the line.
    unwalked = shapely.geometry.shape(json.loads(share.unwalked_geojson))
    unwalked_m = sum(GRS80.geometry_length(g) for g in getattr(unwalked, "geoms", [unwalked]))
    assert unwalked_m == pytest.approx(total - walked, rel=0.02)


def test_a_line_without_a_track_is_not_walked_at_all(fieldwork, qinan_line):
    share = walked_share(fieldwork)
    assert share.walked_m == 0 and share.share == 0
    unwalked = shapely.geometry.shape(json.loads(share.unwalked_geojson))
    assert unwalked.equals_exact(shapely.from_wkb(bytes(qinan_line.geom.wkb)), 1e-7)


def test_a_gpx_file_with_an_entity_declaration_is_refused(fieldwork, county_field_worker):
    bomb = b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "aaaa">]><gpx><trk><trkseg></trkseg></trk></gpx>'
    with pytest.raises(actions.InspectionError, match="DOCTYPE"):
        actions.import_gpx(inspection=fieldwork, data=bomb, recorded_by=county_field_worker)
    assert not fieldwork.tracks.exists()


def test_track_offsets_are_really_metres(qinan_line):
    # Guard for the helper above: a 30 m offset is 30 m on the ellipsoid.
    seg = _offset_track(qinan_line.geom, 0.1, 0.2, 30)
    line = linemerge(shapely.from_wkb(bytes(qinan_line.geom.wkb)))
    mid = ShapelyLine(seg).interpolate(0.5, normalized=True)
    nearest = shapely.ops.nearest_points(line, mid)[0]
    assert GRS80.inv(mid.x, mid.y, nearest.x, nearest.y)[2] == pytest.approx(30, abs=0.5)
