"""Division codes as jurisdiction prefixes (pure)."""

import pytest

from geoapp.gis import gauss_kruger_3deg_srid
from geoapp.jurisdiction import code_prefix, is_within, normalise_code


@pytest.mark.parametrize(
    ("code", "prefix"),
    [
        ("620000000000", "62"),
        ("620500000000", "6205"),
        ("620521000000", "620521"),
        ("620521100000", "620521100"),
        ("620521100201", "620521100201"),
        ("620521", "620521"),
    ],
)
def test_code_prefix_keeps_the_significant_segments(code, prefix):
    assert code_prefix(code) == prefix


def test_short_codes_are_padded_to_twelve_digits():
    assert normalise_code("620521") == "620521000000"
    assert normalise_code("620521100") == "620521100000"


@pytest.mark.parametrize("bad", ["", "62052", "62O521", "6205210000001", "abc"])
def test_malformed_codes_are_rejected(bad):
    with pytest.raises(ValueError):
        normalise_code(bad)


def test_a_village_is_within_its_county_but_not_a_neighbour():
    assert is_within("620521100201", "620521000000")
    assert is_within("620521000000", "620521000000")
    assert not is_within("620522100201", "620521000000")
    assert not is_within("640521000000", "620500000000")


def test_gauss_kruger_zone_for_tianshui_is_cm_105():
    assert gauss_kruger_3deg_srid(106.1) == 4534 + (105 - 75) // 3
    assert gauss_kruger_3deg_srid(117.1) == 4534 + (117 - 75) // 3
