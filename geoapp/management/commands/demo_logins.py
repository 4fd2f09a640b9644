"""manage.py demo_logins: print the demo users and their password (for `make run`)."""

from django.core.management.base import BaseCommand

from geoapp.demo_users import DEMO_PASSWORD, DEMO_USERS


class Command(BaseCommand):
    help = "列出演示用户。"

    def handle(self, *args, **opts):
        self.stdout.write(f"CivAtlas 演示账号 / demo logins（密码 password: {DEMO_PASSWORD}）")
        for username, role, code in DEMO_USERS:
            self.stdout.write(f"  {username:<18} {role.label:<10} {code}")
        self.stdout.write("打开 / open http://127.0.0.1:8000/  ·  登录 /accounts/login/")
