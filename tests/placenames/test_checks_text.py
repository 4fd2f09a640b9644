"""Naming-law rules that look only at the name (placenames.checks.text_problems).

Each rule: severity, and a Chinese message citing 《地名管理条例》.
"""


from placenames import charset
from placenames.checks import text_problems


def rules(name, kind="street"):
    return {(p.rule, p.severity) for p in text_problems(name, kind)}


def test_a_plain_street_name_passes():
    assert rules("育才路") == set()


def test_every_message_cites_the_regulation():
    found = text_problems("毛泽东路", "street")
    assert found and all("《地名管理条例》第九条" in p.message for p in found)


def test_national_leaders_names_are_errors():
    assert ("leader_name", "error") in rules("毛泽东路")


def test_a_leader_name_that_is_also_an_everyday_word_is_a_warning():
    assert rules("万里路") == {("leader_name", "warning")}


def test_foreign_place_and_personal_names_are_errors():
    assert ("foreign_name", "error") in rules("曼哈顿花园", "residential")
    assert ("foreign_name", "error") in rules("莎士比亚街")


def test_enterprise_legal_forms_are_errors_and_brands_warnings():
    assert ("enterprise_name", "error") in rules("恒大置业花园", "residential")
    assert ("trademark", "warning") in rules("万达广场", "residential")


def test_unhealthy_words_are_errors_and_grandiose_ones_warnings():
    assert ("unhealthy", "error") in rules("鬼门路")
    assert ("grandiose", "warning") in rules("帝豪国际花园", "residential")


def test_a_street_named_like_a_person_is_a_warning_but_clan_villages_are_not():
    assert ("personal_name", "warning") in rules("张伟路")
    assert ("personal_name", "warning") not in rules("张家庄", "village")
    assert ("personal_name", "warning") not in rules("白沙路")


def test_person_words_hint_at_a_personal_name():
    assert ("personal_name", "warning") in rules("将军路")


def test_latin_letters_and_symbols_are_errors():
    assert ("script", "error") in rules("A区路")
    assert ("script", "error") in rules("幸福@路")


def test_digits_are_allowed_in_street_names():
    assert rules("1号路") == set()


def test_rare_characters_are_flagged_for_review_with_the_approximation_named(tmp_path, monkeypatch):
    # Without the official table (none is shipped), the GB 2312 approximation decides.
    monkeypatch.setattr(charset, "STANDARD_TABLE", tmp_path / "absent.txt")
    charset.standard_table.cache_clear()
    try:
        (problem,) = text_problems("屲湾村", "village")
        assert (problem.rule, problem.severity) == ("rare_character", "warning")
        assert "屲" in problem.message and "近似" in problem.message
    finally:
        charset.standard_table.cache_clear()


def test_common_characters_are_not_rare():
    assert charset.rare_characters("清水县永清镇") == []


def test_supplied_standard_table_makes_rare_characters_errors(tmp_path, monkeypatch):
    table = tmp_path / "standard_chars.txt"
    table.write_text("# test table\n清 水 县 村 湾\n", encoding="utf-8")
    monkeypatch.setattr(charset, "STANDARD_TABLE", table)
    charset.standard_table.cache_clear()
    try:
        (problem,) = [p for p in text_problems("清水堡村", "village") if p.rule == "rare_character"]
        assert problem.severity == "error" and "堡" in problem.message
    finally:
        charset.standard_table.cache_clear()


def test_a_generic_that_does_not_fit_the_kind_is_a_warning():
    assert ("generic_mismatch", "warning") in rules("永清路", "township")
    assert ("generic_mismatch", "warning") not in rules("永清镇", "township")


def test_an_empty_name_is_an_error():
    assert rules("", "street") == {("empty", "error")}


def test_a_very_long_name_is_a_warning():
    assert ("too_long", "warning") in rules("清" * 21 + "路")
