"""Word lists kept as data (one JSON file each), loaded once.

The lists of one language lie in ``kg/lexicons/<language>/`` ('en': the spaCy pipeline's ``nlp.lang``); a list
that holds no words of any language (``wikidata_types``: Wikidata classes) lies in ``kg/lexicons/`` itself.
"""
from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable


def path(name: str, lang: str = "en") -> Traversable:
    """The file of lexicon ``name``: ``kg/lexicons/<lang>/<name>.json``, else ``kg/lexicons/<name>.json``."""
    here = resources.files(__package__)
    for candidate in (here / lang / f"{name}.json", here / f"{name}.json"):
        if candidate.is_file():
            return candidate
    from kg.errors import ConfigError

    raise ConfigError(f"kg has no lexicon {name!r} for language {lang!r} (looked in {here / lang} and {here}); "
                      "reinstall kg if you did not remove it")


@cache
def load(name: str, lang: str = "en") -> dict:
    """The lexicon ``name`` for ``lang`` (keys starting with ``_`` are comments and dropped)."""
    raw = json.loads(path(name, lang).read_text(encoding="utf-8"))
    return {k: v for k, v in raw.items() if not k.startswith("_")}


@cache
def languages() -> tuple[str, ...]:
    """The languages kg has lexicons for, as spaCy names them ('en')."""
    return tuple(sorted(f.name for f in resources.files(__package__).iterdir()
                        if f.is_dir() and not f.name.startswith(("_", "."))))


@cache
def digest() -> str:
    """A hash of every lexicon file: a change to a word list changes what kg extracts."""
    h = hashlib.sha256()
    here = resources.files(__package__)
    for folder, prefix in [(here, ""), *((here / lang, f"{lang}/") for lang in languages())]:
        for f in sorted(folder.iterdir(), key=lambda f: f.name):
            if f.name.endswith(".json"):
                h.update((prefix + f.name).encode() + b"\x1f" + f.read_bytes() + b"\x1e")
    return h.hexdigest()[:16]
