"""``geoapp.geojson``: a queryset plus declared properties → FeatureCollection bytes from PostGIS."""

import json

import pytest
from django.db.models import Value

from boundaries.codes import Level
from boundaries.models import Division
from geoapp.geojson import SQL, JSONObject, Label, feature, feature_collection

PROPERTIES = {
    "code": "code", "name": "name", "level_label": Label("level", Level),
    "parent": "parent__code", "doubled": SQL("({} || {})", "code", Value("-x")),
}


def _collection(queryset, **kwargs):
    return json.loads(feature_collection(queryset, geometry="seat", properties=PROPERTIES, id="code", **kwargs))


def test_properties_come_in_declaration_order_from_fields_joins_labels_and_sql(db):
    body = feature_collection(Division.objects.filter(code="620521000000"), geometry="seat", properties=PROPERTIES,
                              id="code")
    (only,) = json.loads(body)["features"]
    assert list(only) == ["type", "id", "geometry", "properties"]
    assert only["id"] == "620521000000"
    assert only["properties"] == {"code": "620521000000", "name": "清水县", "level_label": "县级",
                                  "parent": "620500000000", "doubled": "620521000000-x"}
    assert list(only["properties"]) == list(PROPERTIES)
    assert only["geometry"]["type"] == "Point"
    assert "crs" not in only["geometry"]


def test_an_empty_queryset_is_a_valid_empty_feature_collection(db):
    for empty in (Division.objects.none(), Division.objects.filter(code="999999999999")):
        assert _collection(empty) == {"type": "FeatureCollection", "features": []}
    assert feature(Division.objects.none(), geometry="seat", properties=PROPERTIES) == b""


def test_the_queryset_decides_the_rows_so_scoping_holds(db, zoning_officer):
    """A zoning officer of 清水县 asking for every county gets 清水县 alone."""
    scoped = Division.objects.current().at_level("county").for_user(zoning_officer)
    assert [f["id"] for f in _collection(scoped)["features"]] == ["620521000000"]


def test_features_follow_order_by_and_a_sliced_queryset_keeps_its_limit(db):
    townships = Division.objects.current().at_level("township").within("620521")
    codes = sorted(townships.values_list("code", flat=True))
    assert [f["id"] for f in _collection(townships, order_by=["-code"])["features"]] == codes[::-1]
    assert len(_collection(townships.order_by("code")[:3])["features"]) == 3


def test_coordinates_are_rounded_to_the_precision_asked(db):
    qingshui = Division.objects.filter(code="620521000000")
    (only,) = _collection(qingshui, precision=2)["features"]
    lon, lat = only["geometry"]["coordinates"]
    assert lon == round(lon, 2) and lat == round(lat, 2)


def test_property_names_must_be_identifiers():
    with pytest.raises(ValueError, match="identifiers"):
        JSONObject({"name'); DROP TABLE x; --": "name"})
