"""Large valid banks for the benchmarks: the shipped items, repeated under new ids.

Every generated item is a copy of a shipped item (all types: choices, true/false, numeric,
matching, coding cases), so loading and checking do the same work per item as on real
content. Comments are not copied; long texts are kept, so the file size per item is real.
"""

from __future__ import annotations

from copy import deepcopy
from itertools import cycle
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
SHIPPED = REPO / "app" / "question_bank" / "icd10cm-conventions.yaml"


def write_bank(path: Path, items: int, bank_id: str = "generated", source: Path = SHIPPED,
               keep_feedback: bool = True) -> Path:
    """Write a bank of `items` items to `path`, each a renamed copy of a shipped item."""
    shipped = yaml.safe_load(source.read_text(encoding="utf-8"))
    manifest = dict(shipped["bank"], id=bank_id, title=f"Generated bank ({items} items)")
    out = []
    for number, item in zip(range(items), cycle(shipped["items"]), strict=False):
        copy = dict(deepcopy(item), id=f"{item['id']}-g{number:05d}")  # no shared nodes: no YAML aliases
        if not keep_feedback and "options" in copy:
            copy["options"] = [{k: v for k, v in o.items() if k != "feedback"} for o in copy["options"]]
        out.append(copy)
    text = yaml.safe_dump({"bank": manifest, "items": out}, sort_keys=False, allow_unicode=True, width=100)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
