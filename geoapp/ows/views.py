"""WFS 2.0 for QGIS and other desktop GIS (django-gisserver), scoped like the rest of the app.

``/ows/wfs`` serves, read-only:

* ``divisions`` — divisions in force today, every level (public, like the division API);
* ``place_names`` — standard names (public, like the name search);
* ``facilities`` — registry fields of civil-affairs facilities (public, like the map layer);
* ``boundary_lines`` — only for a logged-in user or a token, and only the lines with a side
  in that user's jurisdiction (``BoundaryLine.objects.for_user``).

Output in CGCS2000 (EPSG:4490, the register's datum) or Web Mercator (EPSG:3857).
Boundary-marker positions are not a feature type.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from gisserver.crs import CRS, WEB_MERCATOR
from gisserver.features import FeatureType, ServiceDescription
from gisserver.views import WFSView

from boundaries.models import BoundaryLine, Division
from facilities.models import Facility
from geoapp.ows.auth import user_from_token
from placenames.models import PlaceName

CGCS2000 = CRS.from_srid(4490)


def _type(queryset, name, title, fields, **kwargs):
    return FeatureType(queryset, name=name, title=str(title), fields=fields, crs=CGCS2000, other_crs=[WEB_MERCATOR],
                       **kwargs)


class CivAtlasWFS(WFSView):
    xml_namespace = "https://civatlas.example.cn/wfs"
    service_description = ServiceDescription(
        title="CivAtlas WFS",
        abstract="行政区划、界线、地名与民政设施（只读）。演示数据中的合成数据在 source 字段中标明。",
        keywords=["行政区划", "地名", "民政"],
        provider_name="CivAtlas",
    )

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            token_user = user_from_token(request)
            if token_user is not None:
                request.user = token_user
        return super().dispatch(request, *args, **kwargs)

    def get_feature_types(self):
        user = self.request.user
        types = [
            _type(Division.objects.current(), "divisions", _("行政区划"),
                  ["code", "name", "level", "kind", "source", "valid_from", "geom"], show_name_field=False),
            _type(PlaceName.objects.standard(), "place_names", _("标准地名"),
                  ["id", "standard_name", "romanization", "category", "code", "source", "geom"],
                  display_field_name="standard_name"),
            _type(Facility.objects.all(), "facilities", _("民政设施"),
                  ["id", "name", "kind", "status", "source", "location"], show_name_field=False),
        ]
        if user.is_authenticated and user.is_active:
            types.append(
                _type(BoundaryLine.objects.current().for_user(user), "boundary_lines", _("行政区域界线"),
                      ["id", "level", "length_km", "agreement_ref", "last_inspected", "version", "geom"])
            )
        return types
