"""A filter geometry without ``srsName`` means the feature type's default CRS.

GDAL's WFS client (what QGIS uses too) sends ``<gml:Envelope>`` inside ``FILTER`` without
``srsName`` for a spatial filter (``ogrinfo -spat``). In GML 3.2 ``srsName`` may be
omitted and is then inherited, here from the queried feature type; django-gisserver
already resolves a missing CRS that way for the ``BBOX=`` parameter but refuses it in XML.
This hook lets the XML case take the same path (axis order as the CRS authority says,
i.e. latitude/longitude for EPSG:4490, which is what GDAL sends).
"""

from __future__ import annotations

from xml.etree.ElementTree import tostring

from django.contrib.gis.gdal import AxisOrder
from django.contrib.gis.geos import GEOSGeometry
from gisserver.crs import CRS
from gisserver.parsers.gml.geometries import GEOSGMLGeometry

_original = GEOSGMLGeometry.from_xml.__func__


def _from_xml(cls, element):
    if element.get("srsName"):
        return _original(cls, element)
    geos_data = GEOSGeometry.from_gml(tostring(element))
    CRS.tag_geometry(geos_data, axis_order=AxisOrder.AUTHORITY)
    return cls(srs=None, geos_data=geos_data)


def install() -> None:
    GEOSGMLGeometry.from_xml = classmethod(_from_xml)
