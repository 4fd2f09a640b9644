"""Stored Web-Mercator copies of division polygons, pre-generalised per zoom band.

One row per division: ``full`` is the exact polygon in EPSG:3857 (the tiles' grid), and
``z5``/``z8``/``z11`` are generalised for the zoom bands up to that zoom. The generalised
polygons are not simplified one by one: ``tiles.generalise`` simplifies every shared
edge of a level once and rebuilds the faces from the simplified edges, so neighbours keep
one common border at every zoom (no slivers, no overlaps). Rows are maintained with the
data (``tiles.signals``) and rebuilt in bulk by ``manage.py build_tiles``.
"""

from __future__ import annotations

from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

WEB_MERCATOR = 3857


class DivisionTileGeom(models.Model):
    division = models.OneToOneField(
        "boundaries.Division", verbose_name=_("区划"), on_delete=models.CASCADE, primary_key=True,
        related_name="tile_geom",
    )
    full = models.MultiPolygonField(_("原始范围（Web墨卡托）"), srid=WEB_MERCATOR, null=True)
    z5 = models.MultiPolygonField(_("概化范围（≤5级）"), srid=WEB_MERCATOR, null=True)
    z8 = models.MultiPolygonField(_("概化范围（≤8级）"), srid=WEB_MERCATOR, null=True)
    z11 = models.MultiPolygonField(_("概化范围（≤11级）"), srid=WEB_MERCATOR, null=True)
    built_at = models.DateTimeField(_("生成时间"), auto_now=True)

    class Meta:
        verbose_name = _("瓦片几何")
        verbose_name_plural = _("瓦片几何")
