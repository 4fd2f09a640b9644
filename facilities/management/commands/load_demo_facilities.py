"""Load the synthetic demo facilities (idempotent: only missing rows are created)."""

from django.core.management.base import BaseCommand

from facilities.demo import load_demo_facilities


class Command(BaseCommand):
    help = "生成演示县的合成民政设施（可重复运行，已有的不重复创建）"

    def add_arguments(self, parser):
        parser.add_argument("--county", action="append", dest="counties", help="只生成该县（12 位代码，可重复）")

    def handle(self, *args, counties=None, **options):
        report = load_demo_facilities(county_codes=counties)
        self.stdout.write(report.summary())
