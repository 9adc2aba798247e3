"""Files kg ships: the ontology, SHACL shapes and saved queries. Inside an installed wheel they live in the
package (``kg/ontology``, ``kg/queries``); in a source checkout, at the top of the repository."""
from __future__ import annotations

from pathlib import Path

from kg.errors import ConfigError

_PACKAGE = Path(__file__).resolve().parent


def folder(name: str) -> Path:
    """``ontology`` or ``queries``."""
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise ConfigError(f"kg's {name}/ folder is missing from the installation (looked in {_PACKAGE} and "
                      f"{_PACKAGE.parent}); reinstall kg")


def ontology() -> bytes:
    return (folder("ontology") / "kg.ttl").read_bytes()


def shapes() -> bytes:
    return (folder("ontology") / "shapes.ttl").read_bytes()
