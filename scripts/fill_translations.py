"""Fill English msgstr entries of geoapp/locale from a JSON table {msgid: msgstr}.

Used after `make messages` when new Chinese UI strings appear:
    .venv/bin/python scripts/fill_translations.py table.json
Entries already translated are kept; fuzzy flags on filled entries are removed.
"""

import json
import re
import sys
from pathlib import Path

LOCALE = Path(__file__).resolve().parent.parent / "geoapp" / "locale" / "en" / "LC_MESSAGES"


def _unquote(lines):
    return "".join(json.loads(line) for line in lines)


def fill(po: Path, table: dict[str, str]) -> int:
    blocks, filled = po.read_text(encoding="utf-8").split("\n\n"), 0
    for i, block in enumerate(blocks):
        if block.lstrip().startswith("#~"):
            continue  # obsolete entries stay as they are
        m = re.search(r'^msgid ((?:".*"\n?)+)msgstr ((?:".*"\n?)+)', block + "\n", re.M)
        if not m:
            continue
        msgid = _unquote(re.findall(r'".*"', m.group(1)))
        msgstr = _unquote(re.findall(r'".*"', m.group(2)))
        if msgid and msgid in table and (not msgstr or "#, fuzzy" in block):
            head = block[: m.start()]
            kept = [line for line in head.split("\n") if line and not line.startswith(("#, fuzzy", "#| "))]
            head = "".join(f"{line}\n" for line in kept)
            blocks[i] = f"{head}msgid {json.dumps(msgid, ensure_ascii=False)}\nmsgstr {json.dumps(table[msgid], ensure_ascii=False)}"
            filled += 1
    po.write_text("\n\n".join(blocks), encoding="utf-8")
    return filled


if __name__ == "__main__":
    table = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    for po in sorted(LOCALE.glob("*.po")):
        print(po.name, fill(po, table))
