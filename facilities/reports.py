"""Gap reports for leadership meetings: CSV tables and a standalone, offline folium map.

Tables (``TABLES``) are lists of (column label, value function) over the rows of a
``GapReport``; the gap page's download, the printable report and the CSV files all use
them. CSV files are UTF-8 with a byte-order mark, which Excel needs to show Chinese.

The folium map must open on a meeting-room laptop with no internet (decision,
docs/adr/0007): folium links Leaflet, jQuery, Bootstrap and Font Awesome from CDNs by
default. Here the map's ``default_js``/``default_css`` are emptied and our vendored
Leaflet (django-leaflet's static ``leaflet/leaflet.js`` and ``leaflet.css``, the same
1.9.3 the platform serves) is inlined into the page head, with the few images the
stylesheet references turned into data: URIs. Only plain Leaflet features are used
(GeoJson, CircleMarker, PolyLine, Tooltip, LayerControl), none of which needs the CDN
plugins; folium's ``Popup`` is avoided because it builds its content with jQuery. The saved file has no ``src``/``href`` pointing anywhere.
"""

from __future__ import annotations

import base64
import io
import json
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import folium
from branca.element import Element, MacroElement
from django.contrib.gis.db.models.functions import AsGeoJSON
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from jinja2 import Template

from boundaries.codes import Level
from boundaries.models import Division
from facilities.gaps import GapReport
from facilities.models import Facility, Kind, Status
from geoapp import csvsafe

# Share of villages uncovered → fill colour (upper bounds inclusive); shared with gaps.js.
COVERAGE_BINS = (
    (0.0, "#e8f3e8"),
    (0.10, "#fde0d2"),
    (0.25, "#fcae91"),
    (0.50, "#fb6a4a"),
    (1.0, "#cb181d"),
)
NO_VILLAGES_COLOUR = "#f1f3f5"


def coverage_colour(share: float | None) -> str:
    if share is None:
        return NO_VILLAGES_COLOUR
    return next(colour for upper, colour in COVERAGE_BINS if share <= upper + 1e-12)


def bin_labels() -> list[dict]:
    """The legend of the choropleth (label, colour), for templates and JavaScript."""
    labels = []
    lower = None
    for upper, colour in COVERAGE_BINS:
        if lower is None:
            text = _("全部覆盖")
        else:
            text = f"{lower * 100:g}%–{upper * 100:g}%"
        labels.append({"upper": upper, "colour": colour, "label": text})
        lower = upper
    return labels


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}%"


def _norm_titles(row: dict) -> str:
    return "；".join(f"{r['title']}（{_('应')} {r['required']:g}，{_('实')} {r['actual']:g}）" for r in row["kind_norms_failed"])


Column = tuple[str, Callable[[dict], object]]


def _township_columns() -> list[Column]:
    return [
        (_("名次"), lambda r: r["rank"]),
        (_("乡镇代码"), lambda r: r["code"]),
        (_("乡镇（街道）"), lambda r: r["name"]),
        (_("村（社区）数"), lambda r: r["villages"]),
        (_("未覆盖村数"), lambda r: r["villages_uncovered"]),
        (_("未覆盖比例"), lambda r: _percent(r["share_uncovered"])),
        (_("本类设施数"), lambda r: r["facilities"]),
        (_("未达标规范（本类）"), _norm_titles),
        (_("未达标规范（全部）"), lambda r: r["norms_failed"]),
        (_("结论"), lambda r: _status_label(r)),
    ]


def _status_label(row: dict) -> str:
    from facilities.gaps import TOWNSHIP_STATUS_LABELS

    return str(TOWNSHIP_STATUS_LABELS[row.get("status", "ok")])


def _village_columns() -> list[Column]:
    return [
        (_("村代码"), lambda v: v["code"]),
        (_("村（社区）"), lambda v: v["name"]),
        (_("所属乡镇"), lambda v: v["township_name"]),
        (_("最近设施距离（千米）"), lambda v: "" if v["distance_km"] is None else v["distance_km"]),
        (_("经度"), lambda v: f"{v['lon']:.6f}"),
        (_("纬度"), lambda v: f"{v['lat']:.6f}"),
    ]


def _norm_columns() -> list[Column]:
    return [
        (_("单位代码"), lambda n: n["unit_code"]),
        (_("单位"), lambda n: n["unit_name"]),
        (_("规范"), lambda n: n["title"]),
        (_("依据"), lambda n: n["source"] + (f"：“{n['clause']}”" if n.get("clause") else "")),
        (_("应达到"), lambda n: n["required"]),
        (_("实际"), lambda n: n["actual"]),
        (_("计量单位"), lambda n: n["measure"]),
        (_("差额"), lambda n: n["shortfall"]),
        (_("是否达标"), lambda n: _("达标") if n["ok"] else _("未达标")),
    ]


def _community_columns() -> list[Column]:
    return [
        (_("安置社区"), lambda c: c["name"]),
        (_("所在区划代码"), lambda c: c["division"]),
        (_("最近设施距离（千米）"), lambda c: "" if c["distance_km"] is None else c["distance_km"]),
        (_("是否可达"), lambda c: _("是") if c["covered"] else _("否")),
    ]


def _ranked(report: GapReport) -> list[dict]:
    return [{**row, "rank": i} for i, row in enumerate(report.rows, start=1)]


def _all_norms(report: GapReport) -> list[dict]:
    return report.county_results + [n for row in report.rows for n in row["norm_results"]]


# name → (title, columns, rows of a report)
TABLES: dict[str, tuple[str, Callable[[], list[Column]], Callable[[GapReport], list[dict]]]] = {
    "townships": (gettext_lazy("乡镇缺口排名"), _township_columns, _ranked),
    "villages": (gettext_lazy("未覆盖村"), _village_columns, lambda report: report.uncovered),
    "norms": (gettext_lazy("规范检查"), _norm_columns, _all_norms),
    "communities": (gettext_lazy("安置社区可达性"), _community_columns, lambda report: report.communities),
}


def table_links() -> list[tuple[str, str]]:
    """(name, title) of every table, for download links."""
    return [(name, str(title)) for name, (title, _columns, _rows) in TABLES.items()]


def table(report: GapReport, name: str) -> tuple[list[str], list[list]]:
    """Header and rows of one report table."""
    _stem, columns, rows = TABLES[name]
    cols = columns()
    return [label for label, _value in cols], [[value(row) for _label, value in cols] for row in rows(report)]


def table_csv(report: GapReport, name: str) -> str:
    header, rows = table(report, name)
    out = io.StringIO()
    out.write("\ufeff")  # Excel reads UTF-8 only with a byte-order mark
    writer = csvsafe.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def table_filename(report: GapReport, name: str) -> str:
    stem = TABLES[name][0]
    return f"{report.division.code}_{report.kind}_{stem}.csv"


# --- the standalone folium map -------------------------------------------------------

@lru_cache(maxsize=1)
def inline_leaflet() -> tuple[str, str]:
    """(leaflet.css with images as data: URIs, leaflet.js) from django-leaflet's static files."""
    css_path, js_path = Path(finders.find("leaflet/leaflet.css")), Path(finders.find("leaflet/leaflet.js"))

    def data_uri(match: re.Match) -> str:
        image = css_path.parent / match.group(1)
        if not image.exists():
            return match.group(0)
        encoded = base64.b64encode(image.read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{encoded})"

    css = re.sub(r"url\((images/[\w@.-]+\.png)\)", data_uri, css_path.read_text(encoding="utf-8"))
    # Leaflet's default attribution prefix links to its home page; the map replaces the
    # prefix (_Prefix), and every outside link is neutralised so not even dead code points out.
    js = re.sub(r'href="https?://[^"]*"', 'href="#"', js_path.read_text(encoding="utf-8"))
    return css, js


class _Prefix(MacroElement):
    """Replace Leaflet's attribution prefix (a link to leafletjs.com) with plain text."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.attributionControl.setPrefix({{ this.text|tojson }});
        {% endmacro %}
    """)

    def __init__(self, text: str):
        super().__init__()
        self.text = text


def _townships_geojson(report: GapReport) -> dict:
    rows = {row["code"]: row for row in report.rows}
    townships = (
        Division.objects.current().at_level(Level.TOWNSHIP).within(report.division.code)
        .filter(geom__isnull=False).annotate(json=AsGeoJSON("geom", precision=6)).order_by("code")
    )
    features = []
    for code, name, geometry in townships.values_list("code", "name", "json"):
        row = rows.get(code, {})
        share = row.get("share_uncovered")
        failing = [r["title"] for r in row.get("kind_norms_failed", [])]
        features.append({
            "type": "Feature", "geometry": json.loads(geometry),
            "properties": {
                "code": code, "name": name, "villages": row.get("villages", 0),
                "uncovered": row.get("villages_uncovered", 0), "share": _percent(share) or "—",
                "colour": coverage_colour(share), "failing": bool(failing), "norms": "；".join(failing) or _status_label(row) if row else "—",
            },
        })
    return {"type": "FeatureCollection", "features": features}


def _legend_html(report: GapReport, generated: str) -> str:
    return render_to_string("facilities/report_map_legend.html", {
        "report": report, "bins": bin_labels(), "generated": generated,
    })


def gap_map_html(report: GapReport, *, scenario=None) -> str:
    """The gap report of ``report`` as one self-contained HTML file (see module docstring)."""
    css, js = inline_leaflet()
    county = report.division
    centre = county.seat or (county.geom.centroid if county.geom else None)
    fmap = folium.Map(
        location=[centre.y, centre.x] if centre else [35, 105], zoom_start=10, tiles=None, control_scale=True,
    )
    # Offline: no CDN links at all; Leaflet itself is inlined below.
    fmap.default_js = []
    fmap.default_css = []
    root = fmap.get_root()
    root.header.add_child(Element(f"<style>{css}</style>"), name="leaflet_css", index=0)
    root.header.add_child(Element(f"<script>{js}</script>"), name="leaflet_js", index=1)
    root.header.add_child(Element(
        "<style>body{font-family:'Noto Sans CJK SC','Microsoft YaHei','PingFang SC',sans-serif;}"
        ".gap-legend{position:absolute;z-index:1000;left:10px;bottom:64px;background:#fff;padding:8px 12px;"
        "border-radius:4px;box-shadow:0 1px 5px rgba(0,0,0,.4);font-size:13px;line-height:1.6;max-width:320px}"
        ".gap-legend h1{font-size:15px;margin:0 0 4px}.gap-legend i{display:inline-block;width:14px;height:10px;"
        "margin-right:6px;border:1px solid #888}.gap-legend .failing{border:2px dashed #7f1d1d}</style>"
    ), name="civatlas_css")
    _Prefix("CivAtlas · Leaflet").add_to(fmap)
    generated = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    root.html.add_child(Element(_legend_html(report, generated)))

    townships = _townships_geojson(report)
    layer = folium.FeatureGroup(name=_("乡镇覆盖情况")).add_to(fmap)
    folium.GeoJson(
        townships,
        style_function=lambda f: {
            "fillColor": f["properties"]["colour"], "fillOpacity": 0.75,
            "color": "#7f1d1d" if f["properties"]["failing"] else "#475569",
            "weight": 3 if f["properties"]["failing"] else 1, "dashArray": "6 4" if f["properties"]["failing"] else None,
        },
        tooltip=folium.GeoJsonTooltip(
            fields=["name", "villages", "uncovered", "share", "norms"],
            aliases=[_("乡镇"), _("村数"), _("未覆盖"), _("未覆盖比例"), _("规范")],
        ),
    ).add_to(layer)
    if townships["features"]:
        bounds = folium.GeoJson(townships).get_bounds()
        fmap.fit_bounds(bounds)

    villages = folium.FeatureGroup(name=_("未覆盖村")).add_to(fmap)
    for v in report.uncovered:
        distance = _("无") if v["distance_km"] is None else f"{v['distance_km']:.1f} km"
        folium.CircleMarker(
            [v["lat"], v["lon"]], radius=4, color="#ffffff", weight=1, fill=True, fill_color="#dc2626",
            fill_opacity=0.95, tooltip=f"{v['name']}（{v['township_name']}）{_('最近')} {distance}",
        ).add_to(villages)

    facilities = folium.FeatureGroup(name=str(Kind(report.kind).label)).add_to(fmap)
    rows = Facility.objects.of_kind(report.kind).within(county.code).select_related("division").order_by("pk")
    for f in rows:
        operating = f.status == Status.OPERATING
        folium.CircleMarker(
            [f.location.y, f.location.x], radius=7, color="#1e3a8a", weight=2, fill=True,
            fill_color="#2563eb" if operating else "#ffffff", fill_opacity=0.95,
            # A tooltip, not a folium.Popup: folium builds popups with jQuery, which is not inlined.
            tooltip=folium.Tooltip(format_html(
                "<b>{}</b><br>{} · {}<br>{}", f.name, f.get_kind_display(), f.get_status_display(), f.division.name)),
        ).add_to(facilities)

    if scenario is not None:
        suggested = folium.FeatureGroup(name=_("建议新站点：%(name)s") % {"name": scenario.name}).add_to(fmap)
        for site in scenario.sites:
            for v in site["covers"]:
                folium.PolyLine([[site["lat"], site["lon"]], [v["lat"], v["lon"]]], color="#059669", weight=1,
                                opacity=0.7).add_to(suggested)
            folium.CircleMarker(
                [site["lat"], site["lon"]], radius=9, color="#065f46", weight=3, fill=True, fill_color="#34d399",
                fill_opacity=1, tooltip=_("建议站点 %(rank)d：%(name)s（新覆盖 %(n)d 个村）") % {
                    "rank": site["rank"], "name": site["name"], "n": len(site["covers"])},
            ).add_to(suggested)

    folium.LayerControl(collapsed=False).add_to(fmap)
    html = root.render()
    title = format_html("<title>{} · {} · {}</title>", report.division.name, Kind(report.kind).label,
                        _("民政设施缺口分析地图"))
    return html.replace("<html>", f'<html lang="{get_language()}">', 1).replace("<head>", f"<head>\n{title}", 1)
