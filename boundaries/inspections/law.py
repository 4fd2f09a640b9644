"""The law the inspection rules cite, from stored text (《行政区域界线管理条例》, 2002).

Every rule of this package (the five-year cycle, joint sign-off, marker repair with the
neighbour present, disputes to the approving body) names an article here, and
``cite`` returns the article's words from ``law/行政区域界线管理条例.md``, so that a
citation shown to a user is always the stored text, never a number from memory. A
citation whose article or quoted phrase is not in the stored text raises at import
time (``CITATIONS`` below is checked when the module loads and by the tests).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LAW_DIR = Path(__file__).resolve().parent / "law"
REGULATION = "行政区域界线管理条例"
_ARTICLE = re.compile(r"^第([一二三四五六七八九十]+)条 ", re.MULTILINE)


@dataclass(frozen=True)
class Citation:
    law: str
    article: str  # e.g. "第十二条"
    phrase: str   # the words the rule rests on, verbatim from the stored text

    def __str__(self) -> str:
        return f"《{self.law}》{self.article}：“{self.phrase}”"


@cache
def articles(law: str = REGULATION) -> dict[str, str]:
    """{"第十二条": "text of the article (all its paragraphs)"} from the stored file."""
    text = (LAW_DIR / f"{law}.md").read_text(encoding="utf-8")
    marks = list(_ARTICLE.finditer(text))
    out = {}
    for i, mark in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        out[f"第{mark.group(1)}条"] = text[mark.end():end].strip()
    return out


def cite_article(article: str, phrase: str, law: str = REGULATION) -> Citation:
    """A citation, refused unless the stored article contains ``phrase`` verbatim."""
    body = articles(law).get(article)
    if body is None:
        raise LookupError(f"《{law}》中没有{article}")
    if phrase not in body:
        raise LookupError(f"《{law}》{article}中没有“{phrase}”")
    return Citation(law, article, phrase)


# The rules of this package and the words they rest on.
CITATIONS = {
    "five_year_cycle": cite_article("第十二条", "每5年联合检查一次"),
    "special_inspection": cite_article("第十二条", "遇有影响行政区域界线实地走向的自然灾害、河流改道、道路变化等特殊情况"),
    "joint_filing": cite_article("第十二条", "联合检查的结果，由参加检查的各地方人民政府共同报送该行政区域界线的批准机关备案"),
    "joint_management": cite_article("第四条", "共同管理"),
    "marker_repair": cite_article("第六条", "对损坏的界桩，由分工管理该界桩的一方在毗邻方在场的情况下修复"),
    "marker_moving": cite_article("第六条", "任何组织或者个人不得擅自移动或者损坏界桩"),
    "marker_division_of_work": cite_article("第六条", "对界桩进行分工管理"),
    "reference_objects": cite_article("第八条", "应当组织修测，确定新的标志物"),
    "cross_boundary_construction": cite_article("第十条", "生产、建设用地需要横跨行政区域界线的，应当事先征得毗邻的各有关人民政府同意"),
    "river_change": cite_article("第七条", "应当保持行政区域界线协议书划定的界线位置不变"),
    "disputes": cite_article("第十五条", "由该行政区域界线的批准机关依照该行政区域界线协议书的有关规定处理"),
    "archives": cite_article("第十三条", "立卷归档，妥善保管"),
    "township_lines": cite_article("第十九条", "乡、民族乡、镇行政区域界线的管理，参照本条例的有关规定执行"),
    "agreement_binding": cite_article("第二条", "必须严格执行行政区域界线批准文件和行政区域界线协议书的各项规定"),
}
