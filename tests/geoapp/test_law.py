"""The stored law texts (geoapp.law) and every citation made into them.

A citation names a clause by key and relies on words of it: both must be in the stored
text. The test walks every ``cite(...)`` written in the source (by reading the code, so
an unimported module cannot hide one) and every citation made at import.
"""

import ast
import importlib
from pathlib import Path

import pytest

from geoapp import law

REPO = Path(__file__).resolve().parents[2]
SOURCE_DIRS = ("geoapp", "boundaries", "placenames", "facilities")
CITING_MODULES = ("placenames.checks", "placenames.models", "placenames.actions", "facilities.norms", "boundaries.models")


def literal_citations():
    """(file, line, key, quote) of every cite("key", "quote") with literal arguments."""
    for folder in SOURCE_DIRS:
        for path in (REPO / folder).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text("utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "cite":
                    args = node.args
                    if len(args) == 2 and all(isinstance(a, ast.Constant) for a in args):
                        yield str(path.relative_to(REPO)), node.lineno, args[0].value, args[1].value


def test_every_stored_law_has_its_source_date_and_articles():
    for key, item in law.LAWS.items():
        assert item.source and item.date and item.issued_by, key
        assert law.articles(key), key
    assert len(law.articles("dmgl")) == 44 and len(law.articles("jxgl")) == 20 and len(law.articles("qhgl")) == 27


def test_every_literal_citation_in_the_code_exists_and_its_words_are_in_the_clause():
    found = list(literal_citations())
    assert len(found) >= 12  # checks, norms, workflow and boundary code all cite by literal key
    for file, line, key, quote in found:
        _label, text = law.clause(key)
        assert quote in text.replace("\n", ""), f"{file}:{line} {key} does not say “{quote}”"


def test_every_citation_made_at_import_is_in_the_stored_text():
    for module in CITING_MODULES:
        importlib.import_module(module)
    assert len(law.CITATIONS) >= 20
    for (key, quote), citation in law.CITATIONS.items():
        label, text = law.clause(key)
        assert citation.label == label and citation.text == text
        assert quote in text.replace("\n", "")


def test_a_missing_clause_or_misquoted_words_are_refused():
    with pytest.raises(law.CitationError, match="没有第（十一）项"):
        law.cite("dmgl:9:1:11", "不应重名")
    with pytest.raises(law.CitationError, match="没有第四十五条"):
        law.clause("dmgl:45")
    with pytest.raises(law.CitationError, match="中没有"):
        law.cite("dmgl:9:1:7", "同一个省级行政区域内的乡、镇名称")  # that is item (八), not (七)


def test_labels_are_written_the_way_the_law_is_cited():
    assert law.clause("dmgl:9:1:7")[0] == "《地名管理条例》第九条第一款第（七）项"
    assert law.clause("dmgl:10:2")[0] == "《地名管理条例》第十条第二款"
    assert law.clause("dmgl:14")[0] == "《地名管理条例》第十四条"
    assert law.clause("wcnr:81:2")[0] == "《中华人民共和国未成年人保护法》第八十一条第二款"
    assert law.clause("jxgl:12")[1].startswith("行政区域界线毗邻的县级以上地方各级人民政府应当建立行政区域界线联合检查制度")
    assert [law.chinese_number(t) for t in ("一百零六", "十二", "二十", "四十四")] == [106, 12, 20, 44]
