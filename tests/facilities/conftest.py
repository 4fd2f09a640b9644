"""Facility fixtures: the synthetic demo facilities of three counties, loaded once.

清水县 (620521, the designed-for county with deliberate gaps), 张家川回族自治县 (620525,
no county-level home for disabled residents) and 沙坡头区 (640502, outside every 天水市
jurisdiction). Generation is deterministic per county, so these rows are the same as
in the full demo load.
"""

from __future__ import annotations

import pytest

from boundaries.demo import load_demo_divisions
from boundaries.models import Division
from facilities.demo import load_demo_facilities

DEMO_COUNTIES = ["620521000000", "620525000000", "640502000000"]


@pytest.fixture(scope="session")
def _demo_facilities_loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        if not Division.objects.filter(code="620521000000").exists():
            load_demo_divisions()
        load_demo_facilities(county_codes=DEMO_COUNTIES)


@pytest.fixture
def demo_facilities(_demo_facilities_loaded, db):
    """The demo facilities, with database access for the test."""
