"""Download of divisions and boundary lines (GeoPackage, zipped Shapefile, GeoJSON).

``GET ?within=CODE&levels=county,township&format=gpkg[&date=YYYY-MM-DD][&lines=0]``.
Login required; ``within`` must lie inside the user's jurisdiction (403 otherwise), and
the rows are scoped to it again by ``export_boundaries(user=…)``. Errors are JSON
with a Chinese message, like the rest of the API.
"""

from __future__ import annotations

import logging

from django.http import FileResponse
from django.views.decorators.http import require_GET

from boundaries.export import ExportFailed, InvalidExport, export_boundaries
from geoapp.access import json_error, require
from geoapp.jurisdiction import normalise_code
from geoapp.params import ParamError, iso_date

logger = logging.getLogger(__name__)


def _parse(params) -> dict:
    raw_date = params.get("date", "")
    try:
        on = iso_date(raw_date) if raw_date else None
    except ParamError as exc:
        raise InvalidExport(str(exc)) from exc
    try:
        within = normalise_code(params.get("within", ""))
    except ValueError as exc:
        raise InvalidExport(str(exc)) from exc
    return {
        "within": within,
        "levels": [level.strip() for level in params.get("levels", "").split(",") if level.strip()],
        "fmt": params.get("format", ""),
        "on": on,
        "include_lines": params.get("lines", "1") != "0",
    }


@require_GET
@require(json=True)
def export_view(request):
    try:
        args = _parse(request.GET)
        if not request.user.can_act_on(args["within"]):
            return json_error(f"无权导出 {args['within']}：不在您的管辖范围内", 403)
        result = export_boundaries(**args, user=request.user)
    except InvalidExport as exc:
        return json_error(str(exc), 400)
    except ExportFailed as exc:
        logger.error("boundary export failed for %s: %s", request.user, exc)
        return json_error(str(exc), 500)
    return FileResponse(result.open(), as_attachment=True, filename=result.filename, content_type=result.content_type)
