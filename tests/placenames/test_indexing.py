"""Search keys of a name (placenames.indexing): pure functions, no database."""

from placenames.indexing import fragments, fuzzy_syllable, name_keys, query_keys, segment_pinyin


def test_the_pinyin_key_is_toneless_without_spaces_and_writes_u_umlaut_as_v():
    assert name_keys("清水县").pinyin == "qingshuixian"
    assert name_keys("吕梁市").pinyin == "lvliangshi"


def test_initials_take_the_first_letter_of_every_syllable():
    assert name_keys("清水县").initials == "qsx"


def test_tones_are_kept_as_numbers_so_a_tone_only_difference_can_be_told():
    assert name_keys("清水").tones == "qing1shui3"
    assert name_keys("庆水").tones == "qing4shui3"
    assert name_keys("清水").pinyin == name_keys("庆水").pinyin


def test_fragments_are_every_one_and_two_character_substring_once():
    assert fragments("张家村村") == ["张", "张家", "家", "家村", "村", "村村"]


def test_the_fuzzy_key_merges_retroflex_nasal_and_n_l_confusions():
    assert fuzzy_syllable("zhang") == "zan"
    assert fuzzy_syllable("shi") == "si"
    assert fuzzy_syllable("chen") == "cen"
    assert fuzzy_syllable("ning") == "lin"
    assert fuzzy_syllable("leng") == "len"
    assert name_keys("张家村").fuzzy_key == name_keys("赞家村").fuzzy_key
    assert name_keys("宁安").fuzzy_key == name_keys("林安").fuzzy_key


def test_a_query_loses_spaces_tones_apostrophes_and_tone_numbers():
    for typed in ("Qīngshuǐ Xiàn", "qing shui xian", "QINGSHUIXIAN", "qing1shui3xian4"):
        assert query_keys(typed).latin == "qingshuixian"
    assert query_keys("Xī'ān").latin == "xian"
    assert query_keys("Lǚliáng").latin == "lvliang"


def test_typed_pinyin_is_split_into_syllables_for_its_fuzzy_key():
    assert segment_pinyin("zhangjiacun") == ["zhang", "jia", "cun"]
    assert query_keys("zangjiacun").fuzzy_key == name_keys("张家村").fuzzy_key
    assert segment_pinyin("qsx") is None


def test_chinese_input_is_recognised():
    assert query_keys("清水").has_han and not query_keys("qsx").has_han


def test_letters_and_digits_inside_a_name_are_kept_and_symbols_dropped():
    keys = name_keys("A区-12号")
    assert keys.pinyin == "aqu12hao"


def test_odd_input_gives_empty_keys_rather_than_an_error():
    for odd in ("", "   ", "🙂", "\x00", "‮"):
        keys = name_keys(odd)
        assert keys.pinyin == "" and keys.initials == ""
