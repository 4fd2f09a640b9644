"""manage.py add_user USERNAME --role … --jurisdiction CODE --password PW (idempotent)."""

from django.core.management.base import BaseCommand, CommandError

from geoapp.actions import UserSetupError, set_up_user
from geoapp.roles import Role


class Command(BaseCommand):
    help = "创建或更新用户：角色、辖区、密码（可重复运行）。"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--jurisdiction", required=True, help="division code, e.g. 620521000000")
        parser.add_argument("--password", help="omit to keep the current password")

    def handle(self, *args, **opts):
        try:
            user = set_up_user(
                username=opts["username"], role=opts["role"], jurisdiction=opts["jurisdiction"], password=opts["password"]
            )
        except UserSetupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{user.username}: {user.role.label}，辖区 {user.jurisdiction_code}")
