"""manage.py load_demo_signs: the demo sign plan of 清水县 with synthetic records
(idempotent; after load_demo and load_demo_placenames)."""

from django.core.management.base import BaseCommand, CommandError

from placenames.models import PlaceName
from placenames.signs.demo import DEMO_COUNTY, load_demo_signs


class Command(BaseCommand):
    help = "为清水县各乡镇生成演示用地名标志规划，并登记部分合成的设置、巡检记录（可重复运行）。"

    def handle(self, *args, **opts):
        if not PlaceName.objects.filter(code=DEMO_COUNTY).exists():
            raise CommandError("没有演示地名：请先运行 manage.py load_demo 和 manage.py load_demo_placenames")
        report = load_demo_signs(progress=self.stdout.write if opts["verbosity"] > 1 else None)
        if opts["verbosity"]:
            self.stdout.write(report.summary())
