"""manage.py import_placenames PATH --user USERNAME [--dry-run]: all rows or none."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from placenames.exchange import import_placenames


class Command(BaseCommand):
    help = "导入地名（CSV 或 GeoPackage，国家地名信息库字段）；任一行有误则不写入。"

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--user", required=True, help="whose jurisdiction the rows must lie in")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, **opts):
        try:
            user = get_user_model().objects.get(username=opts["user"])
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"没有用户 {opts['user']}") from exc
        report = import_placenames(opts["path"], user=user, dry_run=opts["dry_run"])
        self.stdout.write(report.summary())
        if not report.ok:
            raise CommandError("导入失败：未写入任何数据。")
