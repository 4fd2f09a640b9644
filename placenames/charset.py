"""Rare characters (生僻字): which Han characters a new place name should avoid.

The law points to the 《通用规范汉字表》(State Council, 2013; 8,105 characters). No
package on the registries this project uses ships that table, so CivAtlas uses a
documented approximation unless the bureau supplies the table itself:

* If ``placenames/lists/standard_chars.txt`` exists (the 8,105 characters, any
  layout, ``#`` comments allowed), a Han character outside it is rare, and the
  finding is an error.
* Otherwise a Han character is "probably rare" when it is outside GB 2312 levels 1
  and 2 (6,763 characters, tested with ``char.encode("gb2312")``). GB 2312 is a
  subset of the practical core of the 8,105 table but misses about 1,300 of its
  characters, some used in place names (e.g. 堃, 赟), so these findings are warnings
  for a person to confirm, never errors. See docs/adr/0007.
"""

from __future__ import annotations

import re
from functools import cache

from placenames.wordlists import LISTS_DIR

STANDARD_TABLE = LISTS_DIR / "standard_chars.txt"
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")


@cache
def standard_table() -> frozenset[str] | None:
    """The 通用规范汉字表 when the bureau has supplied it, else None."""
    if not STANDARD_TABLE.exists():
        return None
    text = "\n".join(line.split("#", 1)[0] for line in STANDARD_TABLE.read_text(encoding="utf-8").splitlines())
    return frozenset(_HAN.findall(text))


def is_han(char: str) -> bool:
    return bool(_HAN.fullmatch(char))


def is_common(char: str) -> bool:
    """Whether a Han character is in the standard table (or, without it, in GB 2312)."""
    table = standard_table()
    if table is not None:
        return char in table
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def rare_characters(name: str) -> list[str]:
    """The distinct Han characters of ``name`` that are not common, in order."""
    seen: dict[str, None] = {}
    for char in name:
        if is_han(char) and not is_common(char):
            seen.setdefault(char, None)
    return list(seen)


def is_exact() -> bool:
    """True when findings come from the real 8,105-character table."""
    return standard_table() is not None
