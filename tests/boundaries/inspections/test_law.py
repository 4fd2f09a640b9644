"""Every rule of the inspection package cites words that are in the stored text of
《行政区域界线管理条例》, never an article number from memory."""

from __future__ import annotations

import pytest

from boundaries.inspections.law import CITATIONS, articles, cite_article
from boundaries.inspections.models import INSPECTION_TRANSITIONS, ISSUE_TRANSITIONS


def test_the_stored_regulation_has_its_twenty_articles():
    stored = articles()
    assert len(stored) == 20
    assert "每5年联合检查一次" in stored["第十二条"]


def test_every_citation_quotes_its_article_verbatim():
    stored = articles()
    for key, citation in CITATIONS.items():
        assert citation.phrase in stored[citation.article], key


def test_a_citation_not_in_the_text_is_refused():
    with pytest.raises(LookupError):
        cite_article("第十二条", "每3年联合检查一次")
    with pytest.raises(LookupError):
        cite_article("第三十条", "任何")


def test_every_workflow_edge_names_a_stored_rule():
    for table in (INSPECTION_TRANSITIONS, ISSUE_TRANSITIONS):
        for edges in table.values():
            for rule in edges.values():
                assert rule in CITATIONS
