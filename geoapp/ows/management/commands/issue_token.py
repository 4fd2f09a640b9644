"""``manage.py issue_token <username> [--label 用途]``: print a new access token for QGIS/GDAL."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from geoapp.ows.models import AccessToken


class Command(BaseCommand):
    help = "为桌面 GIS（QGIS、GDAL）签发访问令牌；令牌只显示这一次"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--label", default="")

    def handle(self, username, label, **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"没有启用的用户 {username}")
        _, token = AccessToken.issue(user, label)
        self.stdout.write(token)
