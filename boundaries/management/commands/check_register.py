"""manage.py check_register [--within CODE] [--json]: do the division register, the
gazetteer, the signs, the facilities and the lines agree? Non-zero exit on any problem."""

import json

from django.core.management.base import BaseCommand, CommandError

from boundaries.models import Division
from boundaries.register import check_register
from geoapp.jurisdiction import normalise_code


class Command(BaseCommand):
    help = "区划地名一致性检查（区划、地名、标志、设施、申请、界线）；发现问题时以非零状态退出。"

    def add_arguments(self, parser):
        parser.add_argument("--within", default="", help="only divisions under this code, e.g. 620521")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args, **opts):
        within = ""
        if opts["within"]:
            try:
                within = Division.objects.current().get(code=normalise_code(opts["within"])).code
            except (ValueError, Division.DoesNotExist) as exc:
                raise CommandError(f"没有现行区划 {opts['within']}") from exc
        report = check_register(within)
        if opts["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
        else:
            self.stdout.write(report.summary())
        if not report.ok:
            raise CommandError(f"区划地名一致性检查发现 {len(report.problems)} 处问题。")
