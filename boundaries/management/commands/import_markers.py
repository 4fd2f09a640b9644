"""manage.py import_markers FILE --line ID: import a line's marker register (all or nothing)."""

from django.core.management.base import BaseCommand, CommandError

from boundaries.inspections.importer import import_markers
from boundaries.models import BoundaryLine


class Command(BaseCommand):
    help = "导入一条界线的界桩成果表（CSV、Shapefile、GeoPackage）；任何一行有误则不写入。"

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--line", type=int, required=True, help="界线编号（id）")
        parser.add_argument("--srid", type=int, help="文件坐标系的 EPSG 代码（CSV 默认 CGCS2000 经纬度）")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, **opts):
        line = BoundaryLine.objects.filter(pk=opts["line"]).first()
        if line is None:
            raise CommandError(f"没有编号为 {opts['line']} 的界线")
        report = import_markers(opts["path"], line=line, srid=opts["srid"], dry_run=opts["dry_run"])
        self.stdout.write(report.summary())
        if not report.ok:
            raise CommandError("导入失败：未写入任何数据。")
