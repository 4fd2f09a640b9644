"""manage.py load_demo_placenames: the demo gazetteer (idempotent; after load_demo)."""

from django.core.management.base import BaseCommand, CommandError

from boundaries.models import Division
from placenames.demo import load_demo_placenames


class Command(BaseCommand):
    help = "把演示区划的乡镇、村名载入地名库，并生成清水县的演示街路、河流、山岭地名（可重复运行）。"

    def handle(self, *args, **opts):
        if not Division.objects.exists():
            raise CommandError("没有区划数据：请先运行 manage.py load_demo")
        report = load_demo_placenames(progress=self.stdout.write if opts["verbosity"] > 1 else None)
        if opts["verbosity"]:
            self.stdout.write(report.summary())
