"""Word lists kept as data (one JSON file each), loaded once."""
from __future__ import annotations

import json
from functools import cache
from importlib import resources


@cache
def load(name: str) -> dict:
    """The lexicon ``kg/lexicons/<name>.json`` (keys starting with ``_`` are comments and dropped)."""
    raw = json.loads(resources.files(__package__).joinpath(f"{name}.json").read_text(encoding="utf-8"))
    return {k: v for k, v in raw.items() if not k.startswith("_")}
