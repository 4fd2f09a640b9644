"""The joint inspection report (联检报告) as HTML and as a PDF rendered on the server.

One template (``boundaries/inspections/report.html``) for both: the line map (an SVG
drawn here, no tiles), the marker table with conditions and displacements, photos
(thumbnails inlined as data URIs), findings, the walked share and both signatures.
WeasyPrint renders the PDF with the server's own CJK fonts (Debian ``fonts-noto-cjk``,
found through fontconfig); its URL fetcher refuses every URL except inlined data, so a
report never loads anything from outside. The report carries marker positions: only
users who may see the line's markers get it (the views check).
"""

from __future__ import annotations

import base64

from django.template.loader import render_to_string
from django.utils import timezone

from boundaries.inspections.geometry import report_svg, walked_share
from boundaries.inspections.law import CITATIONS
from boundaries.inspections.models import MarkerCondition

CONDITION_COLOURS = {
    MarkerCondition.INTACT: "#2e8b57", MarkerCondition.DAMAGED: "#d97706", MarkerCondition.MISSING: "#c0392b",
    MarkerCondition.DISPLACED: "#7b3fa0", MarkerCondition.REFERENCE_CHANGED: "#1f5fa8",
}


def _data_uri(field_file) -> str | None:
    try:
        with field_file.open("rb") as handle:
            data = handle.read()
    except (OSError, ValueError):
        return None
    return "data:image/jpeg;base64," + base64.b64encode(data).decode()


def report_context(inspection) -> dict:
    line = inspection.line
    checks = list(inspection.marker_checks.select_related("marker").prefetch_related("photos"))
    checked = {c.marker_id for c in checks}
    markers = list(line.markers.order_by("serial", "letter"))
    findings = list(inspection.findings.prefetch_related("photos"))
    share = walked_share(inspection)
    signatures = list(inspection.signatures.select_related("side", "user"))
    svg_markers = [(m.number, m.geom, "#777") for m in markers if m.pk not in checked]
    svg_markers += [(c.marker.number, c.measured_geom, CONDITION_COLOURS.get(c.condition, "#333")) for c in checks]
    rows = [{
        "check": c, "marker": c.marker,
        "photos": [uri for uri in (_data_uri(p.thumbnail) for p in c.photos.all()) if uri],
    } for c in checks]
    return {
        "inspection": inspection, "line": line, "rows": rows,
        "unchecked": [m for m in markers if m.pk not in checked],
        "findings": [{"finding": f, "photos": [u for u in (_data_uri(p.thumbnail) for p in f.photos.all()) if u],
                      "issue": getattr(f, "issue", None)} for f in findings],
        "share": share,
        "side_rows": [(side, next((s for s in signatures if s.side_id == side.pk), None)) for side in inspection.sides()],
        "svg": report_svg(line_geom=line.geom, markers=svg_markers, tracks=[t.geom for t in inspection.tracks.all()],
                          unwalked_geojson=share.unwalked_geojson),
        "citation": CITATIONS["joint_filing"], "cycle_citation": CITATIONS["five_year_cycle"],
        "generated_at": timezone.localtime(), "synthetic": inspection.source == "synthetic",
    }


def render_report_html(inspection, *, for_pdf: bool = False) -> str:
    context = report_context(inspection)
    context["for_pdf"] = for_pdf
    return render_to_string("boundaries/inspections/report.html", context)


def _local_only(url: str, *args, **kwargs):
    """WeasyPrint URL fetcher: inlined data only; nothing from the network or the disk."""
    if url.startswith("data:"):
        from weasyprint.urls import default_url_fetcher

        return default_url_fetcher(url, *args, **kwargs)
    raise ValueError(f"refused to fetch {url!r}: reports embed their images")


def render_report_pdf(inspection) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_report_html(inspection, for_pdf=True), url_fetcher=_local_only).write_pdf()
