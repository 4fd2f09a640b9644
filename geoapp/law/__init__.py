"""The laws CivAtlas applies, as stored text, and citations into them by key.

Laws and regulations are not subject to copyright in China (著作权法第五条), so the
official texts the product applies live in ``geoapp/law/texts/`` (one Markdown file per
law, body as published, from the public repository LawRefBook/Laws; the head above
``<!-- INFO END -->`` is metadata). ``LAWS`` says where each came from and when.

A citation is a key ``"<law>:<article>[:<paragraph>[:<item>]]"`` — ``dmgl:9:1:7`` is
《地名管理条例》第九条第一款第（七）项 — plus the words of the clause it relies on.
``cite(key, quote)`` checks both against the stored text when it is called (at import
of the module that cites) and returns a ``Citation`` whose ``label`` is the article
number written the Chinese way and whose ``text`` is the clause's own words, which the
UI shows. Every citation made is kept in ``CITATIONS`` so that a test can walk them
all; ``tests/geoapp/test_law.py`` also scans the source for ``cite(`` calls.

Rules that are ours (data-quality rules, configurable local norms) do not cite the
law: they use ``own_rule(text)``, which says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

TEXTS = Path(__file__).resolve().parent / "texts"


@dataclass(frozen=True)
class Law:
    key: str
    title: str
    file: str
    issued_by: str
    date: str
    source: str
    note: str = ""


LAWS: dict[str, Law] = {
    law.key: law
    for law in (
        Law("dmgl", "地名管理条例", "dimingguanli-2022.md", "国务院令第753号", "2022-03-30（2022-05-01 施行）",
            "LawRefBook/Laws 行政法规/地名管理条例(2022-03-30).md"),
        Law("dmss", "地名管理条例实施办法", "diming-shishi-2024.md", "民政部令第71号", "2024-03-01（2024-05-01 施行）",
            "中国民政公布全文的公开转载（看看新闻 2024-03-18）",
            "仅存第一条至第五条：其余条文未找到可核对的全文，不引用"),
        Law("jxgl", "行政区域界线管理条例", "jiexian-2002.md", "国务院令第353号", "2002-05-13（2002-07-01 施行）",
            "LawRefBook/Laws 行政法规/行政区域界线管理条例.md"),
        Law("qhgl", "行政区划管理条例", "quhua-2018.md", "国务院令第704号", "2018-10-10（2019-01-01 施行）",
            "LawRefBook/Laws 行政法规/行政区划管理条例.md"),
        Law("wcnr", "中华人民共和国未成年人保护法", "weichengnianren-2024.md", "2024-04-26 修正", "2024-04-26",
            "LawRefBook/Laws 社会法/未成年人保护法(2024-04-26).md", "仅存第八十一条"),
    )
}

_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100}
_ARTICLE = re.compile(r"^第([零一二三四五六七八九十百]+)条\s+(.*)$")
_ITEM = re.compile(r"^[（(]([一二三四五六七八九十]+)[）)]\s*(.*)$")


def chinese_number(text: str) -> int:
    """一百零六 → 106, 十二 → 12, 二十 → 20."""
    total, digit = 0, 0
    for char in text:
        if char in _DIGITS:
            digit = _DIGITS[char]
        else:
            total += (digit or 1) * _UNITS[char]
            digit = 0
    return total + digit


def chinese_numeral(n: int) -> str:
    """106 → 一百零六, 12 → 十二, 20 → 二十 (how article numbers are written)."""
    names = "零一二三四五六七八九"
    if n < 10:
        return names[n]
    if n < 20:
        return "十" + (names[n % 10] if n % 10 else "")
    if n < 100:
        return names[n // 10] + "十" + (names[n % 10] if n % 10 else "")
    rest = n % 100
    head = names[n // 100] + "百"
    if rest == 0:
        return head
    if rest < 10:
        return head + "零" + names[rest]
    return head + (names[rest // 10] + "十" + (names[rest % 10] if rest % 10 else ""))


@dataclass
class Article:
    number: int
    paragraphs: list[str] = field(default_factory=list)  # each paragraph's own sentence(s)
    items: dict[int, dict[int, str]] = field(default_factory=dict)  # paragraph → item → text

    def paragraph_text(self, paragraph: int) -> str:
        lines = [self.paragraphs[paragraph - 1]]
        lines += [f"（{chinese_numeral(i)}）{t}" for i, t in sorted(self.items.get(paragraph, {}).items())]
        return "\n".join(lines)

    @property
    def text(self) -> str:
        return "\n".join(self.paragraph_text(p) for p in range(1, len(self.paragraphs) + 1))


@cache
def articles(law_key: str) -> dict[int, Article]:
    """The articles of a stored law, numbered, with their paragraphs (款) and items (项)."""
    law = LAWS[law_key]
    body = (TEXTS / law.file).read_text("utf-8").split("<!-- INFO END -->", 1)[1]
    found: dict[int, Article] = {}
    current: Article | None = None
    for raw in body.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if match := _ARTICLE.match(line):
            current = Article(chinese_number(match.group(1)), [match.group(2)])
            found[current.number] = current
        elif current is None:
            continue
        elif match := _ITEM.match(line):
            paragraph = len(current.paragraphs)
            current.items.setdefault(paragraph, {})[chinese_number(match.group(1))] = match.group(2)
        else:
            current.paragraphs.append(line)
    return found


class CitationError(LookupError):
    """A citation whose clause is not in the stored law, or whose words are not in it."""


@dataclass(frozen=True)
class Citation:
    key: str
    quote: str
    label: str  # 《地名管理条例》第九条第一款第（七）项
    text: str  # the clause's own words, as stored

    def as_dict(self) -> dict:
        return {"key": self.key, "label": self.label, "quote": self.quote, "text": self.text}

    def __str__(self) -> str:
        return self.label


CITATIONS: dict[tuple[str, str], Citation] = {}


def clause(key: str) -> tuple[str, str]:
    """(label, text) of the clause ``key`` names; raises ``CitationError`` if it does not exist."""
    parts = key.split(":")
    law_key, numbers = parts[0], [int(p) for p in parts[1:]]
    if law_key not in LAWS or not 1 <= len(numbers) <= 3:
        raise CitationError(f"未知的法规引用 {key!r}")
    law = LAWS[law_key]
    article = articles(law_key).get(numbers[0])
    if article is None:
        raise CitationError(f"《{law.title}》没有第{chinese_numeral(numbers[0])}条（{key}）")
    label = f"《{law.title}》第{chinese_numeral(article.number)}条"
    if len(numbers) == 1:
        return label, article.text
    paragraph = numbers[1]
    if not 1 <= paragraph <= len(article.paragraphs):
        raise CitationError(f"{label}没有第{chinese_numeral(paragraph)}款（{key}）")
    if len(article.paragraphs) > 1:
        label += f"第{chinese_numeral(paragraph)}款"
    if len(numbers) == 2:
        return label, article.paragraph_text(paragraph)
    item = numbers[2]
    items = article.items.get(paragraph, {})
    if item not in items:
        raise CitationError(f"{label}没有第（{chinese_numeral(item)}）项（{key}）")
    return f"{label}第（{chinese_numeral(item)}）项", f"（{chinese_numeral(item)}）{items[item]}"


def cite(key: str, quote: str) -> Citation:
    """A citation of ``key`` relying on the words ``quote``; both checked against the text."""
    label, text = clause(key)
    if quote not in text.replace("\n", ""):
        raise CitationError(f"{label}中没有“{quote}”（{key}）")
    citation = Citation(key, quote, label, text)
    CITATIONS[(key, quote)] = citation
    return citation


@dataclass(frozen=True)
class OwnRule:
    """A rule of ours (data quality, a configurable norm): it cites no law and says so."""

    text: str
    label: str = "本系统数据质量规则（非法规条文）"

    def as_dict(self) -> dict:
        return {"key": "", "label": self.label, "quote": "", "text": self.text}

    def __str__(self) -> str:
        return self.label


def own_rule(text: str) -> OwnRule:
    return OwnRule(text)
