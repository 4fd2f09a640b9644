"""manage.py romanize NAME [--category CAT] [--region REGION]: one name's romanization as JSON."""

import json

from django.core.management.base import BaseCommand, CommandError

from placenames.romanization import CATEGORIES, romanize


class Command(BaseCommand):
    help = "按国家地名拼写规则拼写地名，输出一行 JSON（含声调拼写、标志用无调拼写、待核读音）。"

    def add_arguments(self, parser):
        parser.add_argument("name", help="standard name in Chinese characters, e.g. 景山后街")
        parser.add_argument("--category", help=f"GB/T 18521 class, one of: {', '.join(CATEGORIES)}")
        parser.add_argument(
            "--region", help="province/city name or division code, for regional readings (十里堡 + 北京)"
        )

    def handle(self, *args, **opts):
        category = opts["category"]
        if category is not None and category not in CATEGORIES:
            raise CommandError(f"未知类别 {category!r}；可用类别：{', '.join(CATEGORIES)}")
        try:
            result = romanize(opts["name"], category=category, region=opts["region"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
