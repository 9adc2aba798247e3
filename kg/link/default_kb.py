"""The default knowledge base, built on first use from what kg installs: the ``rigour`` territories (countries,
subdivisions, the UN and the EU) and ``curated.json`` (hand-checked organisations, office holders and places).

It is cached on disk (``default_path``) and rebuilt when its :func:`fingerprint` (what it is built from)
changes, unless the user has added entities of their own to it.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from functools import cache
from importlib import resources
from pathlib import Path

from kg import lexicons
from kg.errors import ConfigError
from kg.link.kb import KEYS_VERSION, SCHEMA_VERSION, KbEntity, KnowledgeBase, Position, name_keys
from kg.names import normalise

log = logging.getLogger(__name__)

# Built-in entities carry no sitelink counts; these fixed priors only order candidates of the same name
# (Geneva the city before the canton, the District of Columbia's Washington before the state).
POPULARITY_COUNTRY = 100  # countries and supranational bodies
POPULARITY_CURATED = 50
POPULARITY_SUBDIVISION = 10
_NOT_ACTORS = frozenset({"ip", "zz"})  # rigour's "Cyberspace" and "Global"


def default_path() -> Path:
    """``$KG_KB``, else ``$XDG_CACHE_HOME/kg/kb-<schema>.sqlite`` (``~/.cache`` when XDG_CACHE_HOME is unset)."""
    if os.environ.get("KG_KB"):
        return Path(os.environ["KG_KB"]).expanduser()
    cache_home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache_home / "kg" / f"kb-{SCHEMA_VERSION}.sqlite"


def open_default(path: str | os.PathLike | None = None) -> KnowledgeBase:
    """The default KB, opened; built on first use into a temporary file that is then renamed into place, so a
    reader never sees half a KB and an interrupted build leaves nothing behind."""
    path = Path(path) if path else default_path()
    if not path.exists() or _stale(path):
        tmp = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            os.close(fd)
            with KnowledgeBase(tmp) as kb:
                n = build_default(kb)
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)  # mkstemp's 0600 would keep other readers out of a shared cache
            os.replace(tmp, path)
            log.info("built the default knowledge base: %d entities in %s", n, path)
        except OSError as exc:
            raise ConfigError(f"cannot write the knowledge base {path} ({exc}); set KG_KB to a writable file") \
                from None
        finally:
            if tmp and os.path.exists(tmp):
                os.unlink(tmp)
    return KnowledgeBase(path)


def build_default(kb: KnowledgeBase) -> int:
    """Load the rigour territories and ``curated.json`` into ``kb``; the number of entities it then holds."""
    kb.add(territory_entities())
    kb.add(curated_entities())
    kb.set_fingerprint(fingerprint())
    return len(kb)


def _stale(path: Path) -> bool:
    # A default KB built from an older rigour or curated.json is rebuilt; one with user additions never is.
    with KnowledgeBase(path) as kb:
        return set(kb.loaded()) <= {"rigour", "curated"} and kb.fingerprint() != fingerprint()


def _rigour_names() -> dict[str, list[str]]:
    """Territory code -> rigour's strong (unambiguous) names. rigour exposes them only through internals, so
    if those move this returns nothing and the territories keep their name and full name."""
    try:
        from rigour._core import territories_jsonl
        from rigour.data import iter_jsonl_text

        return {d["code"]: d.get("names_strong") or [] for d in iter_jsonl_text(territories_jsonl())}
    except Exception as exc:  # noqa: BLE001 - any change in rigour's internals
        log.warning("rigour's territory names are not readable (%s); using names and full names only", exc)
        return {}


def _latin(name: str) -> bool:
    # The KB serves English news: names in other scripts only bloat the alias table.
    key = normalise(name)
    return bool(key) and key.isascii()


def territory_entities() -> list[KbEntity]:
    """Every rigour territory with a QID: countries, subdivisions (Place) and supranational bodies (UN, EU)."""
    from rigour.territories import get_territories

    strong = _rigour_names()
    fixes = _territory_fixes()
    out = []
    for t in get_territories():
        if not t.qid or t.code in _NOT_ACTORS or t.code in fixes["unlinked"]:
            continue
        top = t
        while top.parent is not None:
            top = top.parent
        if t.region == "Supranational":
            kind, countries, popularity, description = "Organization", (), POPULARITY_COUNTRY, "supranational body"
        elif t.is_country or (t.parent is None and t.is_jurisdiction):
            kind, countries, popularity = "Country", (t.qid,), POPULARITY_COUNTRY
            description = "historical country" if t.is_historical else "country"
        else:
            kind, countries, popularity = "Place", (top.qid,) if top is not t else (), POPULARITY_SUBDIVISION
            description = f"part of {t.parent.name}" if t.parent else "region"
        # "Geneva (Switzerland)" is a display form, not a name anyone writes.
        name = fixes["labels"].get(t.code, t.name)
        names = [n for n in (t.name, t.full_name, *strong.get(t.code, ()), *fixes["aliases"].get(t.code, ()))
                 if n != name and "(" not in n and _latin(n) and not not_country_name(t.code, n)]
        types = ("Q3024240",) if t.is_historical and kind == "Country" else ()
        country = fixes["country_items"].get(t.code)
        if country:  # 'Netherlands' is the country; 'Kingdom of the Netherlands' the wider state rigour names
            out.append(KbEntity(t.qid, t.full_name, "sovereign state", (), types, kind, countries,
                                popularity=popularity, source="rigour"))
            names = [n for n in names if n != t.full_name]
            t_qid, countries, description = country, (country, t.qid), "country"
        else:
            t_qid = t.qid
        out.append(KbEntity(t_qid, name, description, tuple(dict.fromkeys(names)), types, kind, countries,
                            popularity=popularity, source="rigour"))
    # Demonyms ("the British", "Syrian") name their country in news text.
    by_key = {k: e.qid for e in out if e.kind in ("Country", "Organization") for n in e.names for k in name_keys(n)}
    extra: dict[str, list[str]] = {}
    for demonym, country in lexicons.load("entities").get("demonyms", {}).items():
        qid = by_key.get(normalise(country))
        if qid:
            extra.setdefault(qid, []).append(demonym)
    return [KbEntity(e.qid, e.label, e.description, e.aliases + tuple(extra.get(e.qid, ())), e.types, e.kind,
                     e.countries, e.positions, e.popularity, e.source) for e in out]


@cache
def _territory_fixes() -> dict:
    """``territories.json``: rigour territories that name a wider state than the country, that stay unlinked,
    names they lack, and the English names news and Wikidata use where rigour's differ."""
    raw = json.loads(resources.files(__package__).joinpath("territories.json").read_text(encoding="utf-8"))
    out = {k: raw.get(k, {}) for k in ("country_items", "unlinked", "aliases", "labels", "not_names")}
    for k in ("labels", "not_names"):
        out[k] = {code: v for code, v in out[k].items() if not code.startswith("_")}
    return out


def not_country_name(code: str, name: str) -> bool:
    """rigour gives territory ``code`` the name, but news means something else by it ('Tunis')."""
    return normalise(name) in {normalise(n) for n in _territory_fixes()["not_names"].get(code, ())}


def curated_entities() -> list[KbEntity]:
    """The hand-checked entities of ``kg/link/curated.json``."""
    raw = json.loads(resources.files(__package__).joinpath("curated.json").read_text(encoding="utf-8"))
    return [KbEntity(qid=d["qid"], label=d["label"], description=d.get("description", ""),
                     aliases=tuple(d.get("aliases", ())), types=tuple(d.get("types", ())), kind=d.get("kind"),
                     countries=tuple(d.get("countries", ())),
                     positions=tuple(Position(p["qid"], p["label"], p.get("start"), p.get("end"), p.get("country"))
                                     for p in d.get("positions", ())),
                     popularity=d.get("popularity", POPULARITY_CURATED), source="curated")
            for d in raw["entities"]]


def fingerprint() -> str:
    """A hash of what the default KB is built from (rigour's version, curated.json, territories.json,
    wikidata_types.json, and
    entities.json, whose demonyms become aliases)."""
    from importlib.metadata import version

    h = hashlib.sha256(f"{version('rigour')} keys-{KEYS_VERSION}".encode())
    for name in ("curated.json", "territories.json"):
        h.update(resources.files(__package__).joinpath(name).read_bytes())
    for name in ("wikidata_types", "entities"):
        h.update(lexicons.path(name).read_bytes())
    return h.hexdigest()[:16]
