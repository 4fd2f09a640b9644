"""The job kinds: each an idempotent function ``(job, report, **params) -> JSON result``.

``report(fraction, message)`` records progress. Each function may run again from the
start after a killed worker, so it only writes through the app's idempotent actions
(rebuilding tiles or boundary lines twice gives the same rows).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.utils.translation import gettext_lazy as _


def wait(job, report, seconds: float = 10, steps: int = 10):
    """Queue self-check (队列自检): sleeps in steps, so operators can watch a worker work."""
    for step in range(int(steps)):
        time.sleep(float(seconds) / int(steps))
        report((step + 1) / int(steps), f"{step + 1}/{steps}")
    return {"slept_s": float(seconds)}


def build_tiles(job, report):
    """Rebuild every level's generalised tile geometry, then empty the tile cache."""
    from boundaries.codes import Level
    from geoapp.tiles import cache
    from geoapp.tiles.generalise import rebuild_level

    counts = {}
    for i, level in enumerate(Level.values):
        report(i / len(Level.values), str(level))
        counts[level] = rebuild_level(level)
    cache.flush()
    return counts


def build_boundary_lines(job, report, parent: str, level: str):
    """Topology build: the boundary lines of one level inside a parent."""
    from boundaries import actions
    from boundaries.models import Division

    parent_division = Division.objects.current().get(code=parent)
    result = actions.build_boundary_lines(parent=parent_division, level=level,
                                          progress=lambda n: report(0.5, f"{n}"))
    return {"lines": result.lines, "created": result.created, "updated": result.updated,
            "retired": result.retired, "total_km": round(result.total_km, 3)}


def audit_placenames(job, report, division: str):
    """Place-name audit over a division (a province at national scale)."""
    from placenames.audit import audit_placenames as audit

    report(0.1, "审查中")
    result = audit(division_code=division)
    return {"names": result.names, "issues": len(result.issues),
            "totals": dict(result.totals())}


def load_national(job, report, **options):
    """The national dataset (``manage.py load_national``): province, names, facilities, workers."""
    from boundaries.national import load_national as load

    steps = []

    def done(timing):
        steps.append({"step": timing.label, "rows": timing.rows, "seconds": round(timing.seconds, 1)})
        report(len(steps) / 4, f"{timing.label}：{timing.detail}")

    # Job parameters arrive as text (``submit_job --param names=2000``).
    load(province=str(options.get("province", "")), names=int(options.get("names", 1_500_000)),
         facilities=int(options.get("facilities", 100_000)), workers=int(options.get("workers", 1)), done=done)
    return {"steps": steps}


def suggest_sites(job, report, division: str, kind: str, radius_km: float = 10, count: int = 5):
    """Site suggestions (选址建议) over a division, a province at national scale: read only."""
    from boundaries.models import Division
    from facilities.scenarios import plan_sites

    report(0.1, "读取村点与候选点")
    plan = plan_sites(division=Division.objects.current().get(code=division), kind=kind,
                      radius_km=float(radius_km), count=int(count))
    return {"villages": plan.villages, "covered_before": plan.covered_before, "covered_after": plan.covered_after,
            "method": plan.method, "optimal": plan.optimal, "note": plan.note,
            "sites": [{k: site[k] for k in ("rank", "site_type", "code", "name", "lon", "lat")}
                      | {"covers": len(site["covers"])} for site in plan.sites]}


def inspection_report(job, report, inspection: int):
    """The PDF report of a joint inspection (联检报告), stored under media/reports/: the same
    file name each run, so running it again replaces it."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from boundaries.inspections.models import JointInspection
    from boundaries.inspections.reports import render_report_pdf

    record = JointInspection.objects.get(pk=int(inspection))
    report(0.2, "生成报告")
    pdf = render_report_pdf(record)
    name = f"reports/inspection-{record.pk}.pdf"
    default_storage.delete(name)
    stored = default_storage.save(name, ContentFile(pdf))
    return {"file": stored, "bytes": len(pdf)}


def import_file(job, report, what: str, path: str, dry_run: bool = False):
    """A big import file (地名 ``placenames`` or 设施 ``facilities`` CSV) already on the
    server, checked against the submitter's jurisdiction; all or nothing, as on the page.
    A second run after a killed worker upserts the same rows again."""
    from facilities.importer import import_facilities
    from placenames.exchange import import_placenames

    importers = {"placenames": import_placenames, "facilities": import_facilities}
    if what not in importers:
        raise ValueError(f"未知的导入类型 {what}（可用：{'、'.join(importers)}）")
    report(0.1, f"导入 {path}")
    dry = str(dry_run).lower() in ("1", "true", "yes")
    result = importers[what](path, user=job.created_by, dry_run=dry)
    if not result.ok:
        raise ValueError(result.summary())
    return result.as_dict()


JOBS: dict[str, tuple[Callable, str]] = {
    "wait": (wait, _("队列自检")),
    "build_tiles": (build_tiles, _("重建矢量瓦片几何")),
    "build_boundary_lines": (build_boundary_lines, _("构建界线拓扑")),
    "audit_placenames": (audit_placenames, _("地名审查")),
    "load_national": (load_national, _("载入全国数据集")),
    "suggest_sites": (suggest_sites, _("选址建议")),
    "inspection_report": (inspection_report, _("联检报告（PDF）")),
    "import_file": (import_file, _("批量导入")),
}
