"""manage.py load_demo_inspections: the synthetic inspection demo on 清水县's county lines."""

from django.core.management.base import BaseCommand

from boundaries.inspections.demo import load_demo_inspections


class Command(BaseCommand):
    help = "加载合成的界线联检演示数据（清水县县界：界桩、联检、纠纷隐患、智慧界桩）；可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="先删除已有的合成联检数据再加载")

    def handle(self, *args, **opts):
        for line in load_demo_inspections(reset=opts["reset"]):
            self.stdout.write(line)
