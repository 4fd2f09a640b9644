"""Gazetteer fixtures: the demo place names (every demo township and village name plus
the synthetic streets, rivers and mountains of 清水县), loaded once per session on top
of the demo divisions, and reloaded if a browser test flushed the tables."""

from __future__ import annotations

import pytest

from placenames.demo import load_demo_placenames
from placenames.models import PlaceName


def _ensure_loaded():
    # The divisions (and their topology) come first, from ``demo_data``.
    if not PlaceName.objects.filter(code="620521100000").exists():
        load_demo_placenames()


@pytest.fixture
def _demo_placenames_loaded(demo_data, django_db_blocker):
    # Outside the test's transaction (requested before ``db``); a cheap check once
    # loaded, a reload after a browser test flushed the tables.
    with django_db_blocker.unblock():
        _ensure_loaded()


@pytest.fixture
def gazetteer(_demo_placenames_loaded, db):
    """The demo place names, with database access for the test."""
    return PlaceName.objects


@pytest.fixture
def live_gazetteer(django_db_blocker, demo_data):
    """For browser tests (transactional_db): the demo place names, reloaded if flushed."""
    with django_db_blocker.unblock():
        _ensure_loaded()
    return PlaceName.objects


@pytest.fixture
def yongqing(gazetteer):
    """永清镇 (620521100), the seat town of 清水县, as a place name."""
    return gazetteer.get(code="620521100000")


# Sign fixtures (media, yongqing_plan, village_sign, other_sign) live beside their builders.
from tests.placenames.signs.helpers import media, other_sign, village_sign, yongqing_plan  # noqa: E402,F401
