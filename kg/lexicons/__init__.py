"""Word lists kept as data (one JSON file each), loaded once."""
from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib import resources


@cache
def load(name: str) -> dict:
    """The lexicon ``kg/lexicons/<name>.json`` (keys starting with ``_`` are comments and dropped)."""
    raw = json.loads(resources.files(__package__).joinpath(f"{name}.json").read_text(encoding="utf-8"))
    return {k: v for k, v in raw.items() if not k.startswith("_")}


@cache
def digest() -> str:
    """A hash of every lexicon file: a change to a word list changes what kg extracts."""
    h = hashlib.sha256()
    for f in sorted(resources.files(__package__).iterdir(), key=lambda f: f.name):
        if f.name.endswith(".json"):
            h.update(f.name.encode() + b"\x1f" + f.read_bytes() + b"\x1e")
    return h.hexdigest()[:16]
