"""Facility model: database constraints, position validation, scoping and nearest()."""

from __future__ import annotations

import numpy as np
import pytest
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from pyproj import Geod

from boundaries.models import Division
from facilities.models import ElderlyCareDetails, Facility, Kind

GEOD = Geod(ellps="GRS80")


@pytest.fixture
def yongqing(db):
    return Division.objects.current().get(code="620521100000")


def make(division, kind=Kind.CARE_HOME, point=None, **kwargs):
    return Facility.objects.create(kind=kind, name=kwargs.pop("name", "测试敬老院"), division=division,
                                   location=point or division.seat, **kwargs)


def test_nursing_beds_above_beds_is_refused_by_the_database(yongqing):
    home = make(yongqing)
    with pytest.raises(IntegrityError), transaction.atomic():
        ElderlyCareDetails.objects.create(facility=home, beds=10, nursing_beds=11)


def test_more_residents_than_beds_is_refused_by_the_database(yongqing):
    home = make(yongqing)
    with pytest.raises(IntegrityError), transaction.atomic():
        ElderlyCareDetails.objects.create(facility=home, beds=10, residents_self_care=5, residents_semi=4,
                                          residents_disabled=2)
    ElderlyCareDetails.objects.create(facility=home, beds=10, residents_self_care=5, residents_semi=3, residents_disabled=2)


def test_a_position_outside_the_stated_township_does_not_validate(yongqing):
    other = Division.objects.current().get(code="620521207000")
    facility = Facility(kind=Kind.CARE_HOME, name="错位敬老院", division=yongqing, location=other.seat)
    with pytest.raises(ValidationError) as error:
        facility.full_clean()
    assert "location" in error.value.message_dict
    Facility(kind=Kind.CARE_HOME, name="永清镇敬老院", division=yongqing, location=yongqing.seat).full_clean()


def test_facilities_are_scoped_to_the_users_jurisdiction(demo_facilities, zoning_officer, outsider, planner):
    mine = Facility.objects.for_user(zoning_officer)
    assert mine.exists()
    assert all(code.startswith("620521") for code in mine.values_list("division__code", flat=True))
    assert not Facility.objects.for_user(outsider).within("620521").exists()
    assert Facility.objects.for_user(planner).within("620525").exists()


def test_nearest_orders_by_ellipsoidal_distance(demo_facilities, yongqing):
    point = Point(106.1, 34.8, srid=4490)
    found = list(Facility.objects.operating().nearest(point, kind=Kind.CHILD_PROTECTION_STATION, n=3))
    stations = Facility.objects.operating().of_kind(Kind.CHILD_PROTECTION_STATION)
    lonlat = np.array([(f.location.x, f.location.y) for f in stations])
    _az, _baz, d = GEOD.inv(np.full(len(lonlat), 106.1), np.full(len(lonlat), 34.8), lonlat[:, 0], lonlat[:, 1])
    expected = np.sort(d)[:3]
    np.testing.assert_allclose([f.distance_m for f in found], expected, atol=0.01)
    assert all(f.kind == Kind.CHILD_PROTECTION_STATION for f in found)
