"""manage.py export_boundaries --within CODE --levels county,township --format gpkg -o PATH."""

import datetime as dt
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from boundaries.export import FORMATS, ExportFailed, InvalidExport, export_boundaries


def _date(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise CommandError(f"日期格式应为 YYYY-MM-DD：{raw}") from exc


class Command(BaseCommand):
    help = "导出行政区划与界线（GeoPackage / Shapefile zip / GeoJSON，CGCS2000 经纬度），可指定历史日期。"

    def add_arguments(self, parser):
        parser.add_argument("--within", required=True, help="division code, e.g. 620521")
        parser.add_argument("--levels", required=True, help="comma-separated levels, e.g. county,township,village")
        parser.add_argument("--format", dest="fmt", required=True, choices=list(FORMATS))
        parser.add_argument("--date", help="as of YYYY-MM-DD (default: today)")
        parser.add_argument("--no-lines", action="store_true", help="leave out the boundary_lines layer")
        parser.add_argument("-o", "--output", required=True, help="output file (written atomically)")

    def handle(self, *args, **opts):
        output = Path(opts["output"])
        if not output.parent.is_dir():
            raise CommandError(f"输出目录不存在：{output.parent}")
        if opts["fmt"] == "shp" and output.suffix.lower() != ".zip":
            raise CommandError("Shapefile 以 zip 压缩包导出（每个图层一个 .shp），输出文件名请以 .zip 结尾")
        levels = [level.strip() for level in opts["levels"].split(",") if level.strip()]
        started = time.perf_counter()
        try:
            result = export_boundaries(
                within=opts["within"], levels=levels, fmt=opts["fmt"],
                on=_date(opts["date"]) if opts["date"] else None, include_lines=not opts["no_lines"],
            )
        except (InvalidExport, ExportFailed) as exc:
            raise CommandError(str(exc)) from exc
        path = result.save_as(output)
        for name, count in result.layers.items():
            self.stdout.write(f"  {name}: {count}")
        self.stdout.write(f"已导出 {path}（{path.stat().st_size:,} 字节，{time.perf_counter() - started:.2f} 秒）")
