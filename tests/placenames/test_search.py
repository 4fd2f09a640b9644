"""Public name search (GET /api/placenames/search) and romanize API on the demo gazetteer."""

import pytest

from placenames.models import PlaceName
from tests.placenames.builders import place_name

URL = "/api/placenames/search"


def search(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def names(results):
    return [r["name"] for r in results]


def test_initials_find_the_county_first(client, gazetteer):
    results = search(client, q="qsx")
    assert results[0]["name"] == "清水县" and results[0]["match"] == "initials"


@pytest.mark.parametrize("typed", ["qingshuixian", "qing shui xian", "Qīngshuǐ Xiàn", "QINGSHUIXIAN", "qing1shui3xian4"])
def test_full_pinyin_with_or_without_spaces_and_tones_is_an_exact_match(client, gazetteer, typed):
    first = search(client, q=typed)[0]
    assert (first["name"], first["match"]) == ("清水县", "exact")


def test_characters_rank_exact_before_prefix_before_infix(client, gazetteer):
    results = search(client, q="永清镇")
    assert results[0]["name"] == "永清镇" and results[0]["match"] == "exact"
    matches = [r["match"] for r in results]
    assert matches == sorted(matches, key=["exact", "initials", "prefix", "infix", "fuzzy"].index)


def test_a_two_character_infix_is_found_through_the_fragments(client, gazetteer):
    results = search(client, q="上湾")
    assert "山上湾村民委员会" in names(results)
    assert all("上湾" in name for name in names(results))


def test_a_one_character_query_works(client, gazetteer):
    assert all("堡" in n for n in names(search(client, q="堡")))
    assert search(client, q="堡")


def test_a_three_character_infix_uses_like(client, gazetteer):
    assert "山上湾村民委员会" in names(search(client, q="上湾村"))


def test_a_typo_in_characters_is_a_fuzzy_match(client, gazetteer):
    results = search(client, q="清水线")
    assert results[0]["name"] == "清水县" and results[0]["match"] == "fuzzy"


def test_an_exact_hit_brings_no_similar_names(client, gazetteer):
    place_name("试验西街", category="transport", where="620521100000")
    similar = place_name("试验西路", category="transport", where="620521100000")
    assert {"试验西街", "试验西路"} <= set(names(search(client, q="试验西衔")))  # a typo: similar names come
    results = search(client, q="试验西街")
    assert [r["match"] for r in results] == ["exact"] and similar.standard_name not in names(results)


def test_confused_pinyin_finds_the_name_through_the_fuzzy_key(client, gazetteer):
    # zh typed as z, and -ng typed as -n: 张家村 still comes up.
    results = search(client, q="zanjiacun")
    assert results and all(r["match"] == "fuzzy" for r in results)
    assert any(r["name"].startswith("张家村") for r in results)


def test_a_division_code_finds_its_name(client, gazetteer):
    first = search(client, q="620521")[0]
    assert (first["name"], first["match"]) == ("清水县", "exact")


def test_ties_go_to_the_name_nearer_the_map_centre(client, gazetteer):
    near = place_name("试验东街", category="transport", where="620521100000")
    far = place_name("试验东街", category="transport", where="640502100000")
    seat = near.geom
    results = search(client, q="试验东街", centre=f"{seat.x},{seat.y}")
    assert [r["id"] for r in results[:2]] == [near.pk, far.pk]
    seat = far.geom
    results = search(client, q="试验东街", centre=f"{seat.x},{seat.y}")
    assert [r["id"] for r in results[:2]] == [far.pk, near.pk]


def test_filters_by_category_division_and_map_extent(client, gazetteer):
    assert {r["category"] for r in search(client, q="永清", category="transport")} == {"transport"}
    assert all(r["division_code"].startswith("620521") for r in search(client, q="东关", division="620521"))
    yq = PlaceName.objects.get(code="620521100000").geom
    box = f"{yq.x - 0.01},{yq.y - 0.01},{yq.x + 0.01},{yq.y + 0.01}"
    results = search(client, q="永清", bbox=box)
    assert "永清镇" in names(results)
    for r in results:
        lon, lat = r["lonlat"]
        assert yq.x - 0.02 < lon < yq.x + 0.02 and yq.y - 0.02 < lat < yq.y + 0.02


def test_the_public_sees_only_standard_names_and_no_sensitive_fields(client, gazetteer):
    place_name("拟用路", category="transport", status="proposed")
    assert search(client, q="拟用路") == []
    result = search(client, q="永清镇")[0]
    assert set(result) == {"id", "name", "romanization", "category", "category_label", "division", "division_code", "path",
                           "lonlat", "match", "url"}


def test_bad_parameters_are_400(client, gazetteer):
    assert client.get(URL, {"q": "永清", "category": "road"}).status_code == 400
    assert client.get(URL, {"q": "永清", "bbox": "1,2,3"}).status_code == 400
    assert client.get(URL, {"q": "永清", "division": "62x"}).status_code == 400


def test_an_empty_query_finds_nothing(client, gazetteer):
    assert search(client, q="") == []
    assert search(client, q="!!!") == []
    # A NUL byte is refused before any view: a 400 with a message, not an empty list.
    response = client.get("/api/placenames/search", {"q": "\x00"})
    assert response.status_code == 400 and "空字符" in response.json()["error"]


def test_romanize_api_returns_the_command_json(client):
    response = client.get("/api/placenames/romanize", {"name": "景山后街"})
    assert response.json() == {
        "romanization": "Jǐngshān Hòujiē", "sign_text": "Jingshan Houjie", "review": [],
        "specific": "景山", "generic": "后街", "category": "transport",
    }


def test_romanize_api_takes_the_category_and_refuses_unknown_ones(client):
    assert client.get("/api/placenames/romanize", {"name": "大虎山", "category": "settlement"}).json()["romanization"] == "Dàhǔshān"
    assert client.get("/api/placenames/romanize", {"name": "大虎山", "category": "road"}).status_code == 400
    assert client.get("/api/placenames/romanize", {"name": ""}).status_code == 400


def test_at_city_view_yongqing_puts_the_township_yongqing_among_the_first_eight(client, gazetteer):
    # The centre of 天水市 (the map's city view), far from 清水县's seat.
    from boundaries.models import Division

    city = Division.objects.current().get(code="620500000000").geom.point_on_surface
    results = search(client, q="yongqing", centre=f"{city.x},{city.y}")
    first_eight = [(r["name"], r["category"]) for r in results[:8]]
    assert ("永清镇", "division") in first_eight
    # Before other names of the same match rank: the township, then streets and committees.
    ranked = [r for r in results if r["match"] == "prefix"]
    assert ranked[0]["name"] == "永清镇"


def test_every_result_carries_its_administrative_path_so_repeated_names_can_be_told_apart(client, gazetteer):
    results = [r for r in search(client, q="东关") if r["category"] == "committee"]
    assert len(results) >= 2
    rows = [(r["name"], " › ".join(r["path"])) for r in results]
    assert len(set(rows)) == len(rows)  # the same name in different places reads differently
    assert len({name for name, _path in rows}) < len(rows)  # and names do repeat
    yq = next(r for r in results if r["division_code"].startswith("620521100"))
    assert yq["path"][:4] == ["甘肃省", "天水市", "清水县", "永清镇"]


def test_division_search_results_name_the_divisions_above(client, qingshui):
    response = client.get("/api/divisions/search", {"q": "永清镇"})
    first = response.json()["results"][0]
    assert first["name"] == "永清镇" and first["path"] == ["甘肃省", "天水市", "清水县"]
