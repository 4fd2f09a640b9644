"""Demo users, one per role in 清水县 plus an outsider in 中卫市 (README lists them)."""

from __future__ import annotations

from geoapp.actions import set_up_user
from geoapp.roles import Role

DEMO_PASSWORD = "civatlas-demo"

DEMO_USERS = (
    ("qingshui_admin", Role.ADMIN, "620521000000"),
    ("qingshui_zoning", Role.ZONING, "620521000000"),
    ("qingshui_field", Role.FIELD, "620521100000"),  # 永清镇 field team
    ("qingshui_planner", Role.PLANNER, "620521000000"),
    ("qingshui_viewer", Role.VIEWER, "620521000000"),
    ("zhongwei_zoning", Role.ZONING, "640500000000"),
)


def ensure_demo_users():
    return [
        set_up_user(username=name, role=role, jurisdiction=code, password=DEMO_PASSWORD)
        for name, role, code in DEMO_USERS
    ]
