"""Property tests: romanize, name_keys, query_keys and check_name never crash on arbitrary
Unicode; sign_text is always the toneless form of the romanization, and a name's pinyin
typed as a search query reads as that pinyin."""

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from placenames.checks import KINDS, check_name, text_problems
from placenames.indexing import name_keys, query_keys
from placenames.romanization import romanize, strip_tones

HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
TEXT = st.one_of(st.text(max_size=30), st.text(alphabet=HAN, min_size=1, max_size=12))


@given(TEXT, st.sampled_from([None, "settlement", "transport", "division", "committee"]))
@settings(max_examples=300, deadline=None)
def test_romanize_never_crashes_and_sign_text_is_the_toneless_romanization(name, category):
    try:
        result = romanize(name, category=category)
    except ValueError:
        return  # empty or unreadable input is refused with a message
    assert result.sign_text == strip_tones(result.romanization)


@given(TEXT)
@settings(max_examples=300, deadline=None)
def test_keys_and_query_normalisation_never_crash_and_a_names_pinyin_finds_it(text):
    keys = name_keys(text)
    assert keys.pinyin == keys.pinyin.lower()
    query = query_keys(text)
    assert re.fullmatch(r"[0-9a-z]*", query.latin), query
    assert not any(c.isspace() for c in query.text), query
    # The fuzzy key only merges sounds (zh → z, ang → an): never longer than what was typed.
    assert query.fuzzy_key is None or len(query.fuzzy_key) <= len(query.latin), query
    if keys.pinyin.isalpha():  # no digits, which a query would read as tone numbers
        assert query_keys(keys.pinyin).latin == keys.pinyin


@given(TEXT, st.sampled_from(KINDS))
@settings(max_examples=300, deadline=None)
def test_text_rules_never_crash(name, kind):
    for problem in text_problems(name, kind):
        assert problem.severity in ("error", "warning")
        assert "《地名管理条例》" in problem.message or "本系统数据质量规则" in problem.message


@given(TEXT, st.sampled_from(KINDS))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_check_name_never_crashes_on_any_name(gazetteer, name, kind):
    result = check_name(name=name, kind=kind, division_code="620521100")
    assert result.ok == (not result.errors)
    assert isinstance(result.to_dict()["problems"], list)
