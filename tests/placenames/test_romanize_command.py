"""manage.py romanize: one JSON object per name, a clear error for a bad class."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def run(*args):
    out = StringIO()
    call_command("romanize", *args, stdout=out)
    return json.loads(out.getvalue())


def test_the_command_prints_the_romanization_sign_text_and_review_first():
    payload = run("景山后街")
    assert list(payload)[:3] == ["romanization", "sign_text", "review"]
    assert payload == {
        "romanization": "Jǐngshān Hòujiē",
        "sign_text": "Jingshan Houjie",
        "review": [],
        "specific": "景山",
        "generic": "后街",
        "category": "transport",
    }


def test_the_command_writes_chinese_unescaped():
    out = StringIO()
    call_command("romanize", "十里堡", stdout=out)
    assert "多音字" in out.getvalue() and "\\u" not in out.getvalue()


def test_the_command_lists_characters_to_review():
    (review,) = run("十里堡")["review"]
    assert review["char"] == "堡" and review["position"] == 2 and review["readings"] == ["bǎo", "bǔ", "pù"]


def test_the_command_passes_the_region_on():
    assert run("十里堡", "--region", "北京")["review"] == []


def test_the_command_passes_the_class_on():
    payload = run("大虎山", "--category", "settlement")
    assert (payload["romanization"], payload["category"]) == ("Dàhǔshān", "settlement")


def test_an_unknown_class_is_a_command_error_listing_the_valid_ones():
    with pytest.raises(CommandError, match="settlement.*transport"):
        call_command("romanize", "王村", "--category", "village", stdout=StringIO())
