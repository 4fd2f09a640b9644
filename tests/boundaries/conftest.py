"""Fixtures of the apps that follow division changes:
the demo gazetteer, the demo facilities and the sign helpers, for the cascade tests."""

from tests.facilities.conftest import _demo_facilities_loaded, demo_facilities  # noqa: F401
from tests.placenames.conftest import _demo_placenames_loaded, gazetteer  # noqa: F401
from tests.placenames.signs.helpers import media  # noqa: F401
