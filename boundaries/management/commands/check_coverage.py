"""manage.py check_coverage --parent CODE: do the children tile their parent?"""

import json

from django.core.management.base import BaseCommand, CommandError

from boundaries.coverage import MIN_AREA_M2, check_coverage
from boundaries.models import Division
from geoapp.jurisdiction import normalise_code


class Command(BaseCommand):
    help = "检查下级区划是否无缝隙、无重叠、不超出上级范围地铺满上级区划；发现问题时以非零状态退出。"

    def add_arguments(self, parser):
        parser.add_argument("--parent", required=True)
        parser.add_argument("--min-area", type=float, default=MIN_AREA_M2, help="ignore problems below this many m²")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args, **opts):
        try:
            parent = Division.objects.current().get(code=normalise_code(opts["parent"]))
        except (ValueError, Division.DoesNotExist) as exc:
            raise CommandError(f"没有现行区划 {opts['parent']}") from exc
        report = check_coverage(parent, min_area_m2=opts["min_area"])
        if opts["json"]:
            payload = {"parent": report.parent, "ok": report.ok, "problems": [p.as_dict() for p in report.problems]}
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
        else:
            self.stdout.write(report.summary())
        if not report.ok:
            raise CommandError(f"{parent.name}：发现 {len(report.problems)} 处覆盖问题。")
