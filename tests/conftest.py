"""Shared fixtures: the demo divisions on real PostGIS, and the personas.

The demo divisions (real county outlines of 天水市, 中卫市, 泰安市 and their synthetic
townships and villages, data/shapefiles) are loaded once per test session into the
test database through the real importer. Tests that use ``db`` run inside a
transaction that is rolled back, so they all see the same data; the province
topologies and boundary lines are built once too, as set-up builds them. Browser tests use
``transactional_db``, whose flush empties the tables afterwards; ``demo_data`` reloads
them when that has happened, and every ``db`` test asks for it first.
"""

from __future__ import annotations

import pytest

from boundaries.actions import build_province_topology
from boundaries.demo import load_demo_divisions
from boundaries.models import Division
from geoapp.actions import set_up_user
from geoapp.roles import Role

PASSWORD = "persona-pass-1"


def _load():
    reports = load_demo_divisions()
    failed = [r for r in reports if not r.ok]
    assert not failed, failed[0].summary()
    _build_topologies()


def _build_topologies():
    """The one topology per demo province and the lines of every level, as `make setup`
    builds them (ADR 0014): once per session, so editing tests run inside transactions."""
    for province in Division.objects.current().at_level("province").order_by("code"):
        report = build_province_topology(province=province)
        assert not report.problems, report.summary({})


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _load()


@pytest.fixture
def demo_data(django_db_setup, django_db_blocker):
    """The demo divisions; reloaded if a transactional test flushed them."""
    with django_db_blocker.unblock():
        if not Division.objects.filter(code="620521000000").exists():
            _load()
    return Division.objects


@pytest.fixture
def db(demo_data, db):
    """pytest-django's ``db`` (a transaction rolled back afterwards), opened only once
    the demo divisions are there: a transactional test earlier in the run (a real
    Celery worker, a live server) flushes every table when it ends."""
    return db


@pytest.fixture
def qingshui(db):
    """清水县 (620521), the county the product was designed from."""
    return Division.objects.current().get(code="620521000000")


@pytest.fixture
def zoning_officer(db):
    """A zoning officer (区划地名工作人员) of 清水县 (620521)."""
    return set_up_user(username="zoning_qs", role=Role.ZONING, jurisdiction="620521000000", password=PASSWORD)


@pytest.fixture
def field_worker(db):
    """A field worker (外业人员) of 永清镇 (620521100), a township of 清水县."""
    return set_up_user(username="field_yq", role=Role.FIELD, jurisdiction="620521100000", password=PASSWORD)


@pytest.fixture
def planner(db):
    """A planner (规划人员) of 天水市 (6205)."""
    return set_up_user(username="planner_ts", role=Role.PLANNER, jurisdiction="620500000000", password=PASSWORD)


@pytest.fixture
def outsider(db):
    """A zoning officer of 中卫市 (6405): outside every 天水市 jurisdiction."""
    return set_up_user(username="zoning_zw", role=Role.ZONING, jurisdiction="640500000000", password=PASSWORD)


@pytest.fixture
def administrator(db):
    """An administrator (管理员) of 清水县 (620521)."""
    return set_up_user(username="admin_qs", role=Role.ADMIN, jurisdiction="620521000000", password=PASSWORD)


@pytest.fixture
def viewer(db):
    """A viewer (查看者) of 清水县 (620521)."""
    return set_up_user(username="viewer_qs", role=Role.VIEWER, jurisdiction="620521000000", password=PASSWORD)
