"""manage.py check_name --name NAME --kind KIND --division CODE [--renaming CODE]: naming-law checks as JSON."""

import json

from django.core.management.base import BaseCommand, CommandError

from placenames.checks import KINDS, check_name


class Command(BaseCommand):
    help = "按《地名管理条例》审查拟用地名（重名、同音、禁用词、生僻字、保护名录），输出一行 JSON；无论是否通过，退出码均为 0。"

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="proposed name, e.g. 永清镇")
        parser.add_argument("--kind", required=True, choices=KINDS, help="what the name names")
        parser.add_argument("--division", required=True, help="division code where the entity lies (6, 9 or 12 digits)")
        parser.add_argument("--renaming", help="code of the name being replaced (left out of the duplicate checks)")

    def handle(self, *args, **opts):
        try:
            result = check_name(
                name=opts["name"], kind=opts["kind"], division_code=opts["division"], renaming=opts["renaming"]
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False))
