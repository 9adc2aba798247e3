"""An offline Wikidata knowledge base (KB): names in, candidate entities out, from one SQLite file.

The KB only stores and finds; deciding which candidate an article means is the linker's job. The default KB
(``open_default``) is built on first use from the installed ``rigour`` territories (countries, subdivisions,
the UN and the EU) and from ``curated.json`` (hand-checked organisations, office holders and places). Users can
add their own entities from a CSV file (``add_csv``) or a Wikidata JSON dump (``import_dump``).

Names are matched through alias keys (``normalise``), so that "Bashar Assad", "Bashar al-Assad" and
"BASHAR AL ASSAD" meet. One writer at a time; any number of processes may read the same file.
"""
from __future__ import annotations

import bz2
import csv
import gzip
import hashlib
import json
import logging
import os
import re
import sqlite3
import tempfile
from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Iterable, Iterator

from kg import lexicons
from kg.errors import ConfigError, InputError, StoreLockedError
from kg.names import normalise

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
KEYS_VERSION = 4  # bump when name_keys or surname_keys change, so that the default KB is rebuilt with the new keys
KINDS = ("Person", "Organization", "Country", "Place", "Group")
QID_PATTERN = re.compile(r"^Q[1-9][0-9]*$")

# Match kinds returned by ``candidates``, best first.
EXACT, SURNAME, PARTIAL = "exact", "surname", "partial"


_ISO_DATE = re.compile(r"^(-?\d{4,})(?:-(\d\d)(?:-(\d\d))?)?$")


def calendar_date(value: str | None) -> str | None:
    """``value`` if it is a real date written YYYY, YYYY-MM or YYYY-MM-DD (a year before 1 with a minus sign),
    else None: 2018-13-45 and 2018-02-30 are no dates.

    >>> calendar_date("2018-02-28"), calendar_date("2018-02-30"), calendar_date("2018"), calendar_date("-0044-03-15")
    ('2018-02-28', None, '2018', '-0044-03-15')
    """
    m = _ISO_DATE.match(value or "")
    if not m:
        return None
    year, month, day = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
    try:  # Python's calendar knows years 1 to 9999; a date outside them is checked for its month and day only
        date(year, month, day) if 1 <= year <= 9999 else date(2000, month, day)
    except ValueError:
        return None
    return value


@dataclass(frozen=True)
class Position:
    """A position held (Wikidata P39): the office's QID and label, ISO start/end dates, its country's QID."""

    qid: str
    label: str
    start: str | None = None
    end: str | None = None
    country: str | None = None


@dataclass(frozen=True)
class KbEntity:
    qid: str
    label: str
    description: str = ""
    aliases: tuple[str, ...] = ()
    types: tuple[str, ...] = ()  # P31 (instance of) class QIDs
    kind: str | None = None  # kg type: Person, Organization, Country, Place or Group
    countries: tuple[str, ...] = ()  # P17 (country) / P27 (citizenship) QIDs
    positions: tuple[Position, ...] = ()
    popularity: int = 0  # a ranking prior only: sitelink count for dump imports, a fixed prior for built-ins
    source: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        """The label and the aliases, without repeats."""
        return tuple(dict.fromkeys((self.label, *self.aliases)))


# --- names -> alias keys --------------------------------------------------------------------------------------

# The Arabic article: "Bashar al-Assad" is also written "Bashar Assad". It is dropped only inside a name, so
# that "Al Jazeera" or "El Salvador" keep theirs.
_PARTICLES = frozenset({"al", "el"})
_GENERATIONAL = frozenset({"jr", "sr", "ii", "iii", "iv"})
_PATRONYMIC = frozenset({"bin", "ibn", "bint", "ben"})
def name_keys(name: str) -> list[str]:
    """The keys a name is stored and looked up under: its key, and the key without inner al-/el- particles.

    >>> name_keys("Bashar al-Assad")
    ['bashar al assad', 'bashar assad', 'bashar asad']
    >>> name_keys("Al Jazeera")
    ['al jazeera', 'al jazera']
    >>> name_keys("J. K. Rowling")
    ['j k rowling', 'jk rowling']
    """
    key = normalise(name)
    if not key:
        return []
    words = key.split()
    bare = " ".join(w for i, w in enumerate(words) if i == 0 or w not in _PARTICLES)
    keys = (key, bare, _joined_initials(key))
    if len(words) > 1:  # 'el-Sissi' and 'el-Sisi', 'Gaddafi' and 'Gadafi': transliterations double letters freely
        keys += (_squeezed(bare),)
    return list(dict.fromkeys(keys))


def _squeezed(key: str) -> str:
    """'abdel fattah el sissi' -> 'abdel fatah el sisi'."""
    return re.sub(r"([a-z])\1+", r"\1", key)


def _joined_initials(key: str) -> str:
    """'j k rowling' -> 'jk rowling', so that "J. K. Rowling" and "JK Rowling" meet."""
    return re.sub(r"\b([a-z]) (?=[a-z]\b)", r"\1", key)


def surname_keys(name: str) -> list[str]:
    """For a person's full name, the keys of the last name alone (with and without an al-/el- particle).

    >>> surname_keys("John R. Bolton")
    ['bolton']
    >>> surname_keys("Bashar al-Assad")
    ['al assad', 'assad', 'asad']
    >>> surname_keys("William B. Taylor, Jr.")
    ['taylor']
    >>> surname_keys("Bolton")
    []
    >>> surname_keys("Mohammad bin Salman")
    []
    """
    words = name.split()  # raw words, so that "al-Assad" stays one word
    while len(words) > 1 and normalise(words[-1]) in _GENERATIONAL:
        words.pop()
    if len(words) < 2:
        return []
    last = words[-1]
    if len(words) > 2 and normalise(words[-2]) in _PATRONYMIC:
        return []  # 'Mohammad bin Salman': 'Salman' is his father, not a surname
    if len(words) > 2 and normalise(words[-2]) in _PARTICLES:  # "Bashar al Assad"
        last = f"{words[-2]} {last}"
    key = normalise(last)
    if not key or key == normalise(" ".join(words)):
        return []
    bare = " ".join(w for w in key.split() if w not in _PARTICLES) or key
    return list(dict.fromkeys((key, bare, _squeezed(bare))))


# --- Wikidata classes -> kg kinds -----------------------------------------------------------------------------

# When an item is an instance of several mapped classes: a city-state is a Country, a government an Organization.
_KIND_PRECEDENCE = ("Person", "Country", "Organization", "Group", "Place")


@cache
def type_kinds() -> dict[str, str]:
    """Wikidata class QID -> kg kind, from ``kg/lexicons/wikidata_types.json``."""
    return {qid: entry["kind"] for qid, entry in lexicons.load("wikidata_types").items()}


def kind_of(types: Iterable[str]) -> str | None:
    """The kg kind of an item with these P31 classes, or None if none is mapped.

    >>> kind_of(["Q5"])
    'Person'
    >>> kind_of(["Q515", "Q6256"])
    'Country'
    >>> kind_of(["Q13442814"]) is None
    True
    """
    table = type_kinds()
    kinds = {table[t] for t in types if t in table}
    return next((k for k in _KIND_PRECEDENCE if k in kinds), None)


# --- the store ------------------------------------------------------------------------------------------------

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE entities (qid TEXT PRIMARY KEY, label TEXT NOT NULL, kind TEXT, popularity INTEGER NOT NULL,
                       data TEXT NOT NULL);  -- JSON: description, aliases, types, countries, source
-- match is 'exact' (a whole name) or 'surname' (a person's last name alone). rkey is the key reversed, so that
-- "names ending with ' javad zarif'" is an index range scan rather than a scan of the table.
CREATE TABLE aliases (key TEXT NOT NULL, match TEXT NOT NULL, qid TEXT NOT NULL, rkey TEXT NOT NULL,
                      PRIMARY KEY (key, match, qid)) WITHOUT ROWID;
CREATE INDEX aliases_rkey ON aliases (rkey);
CREATE INDEX aliases_qid ON aliases (qid);
CREATE TABLE positions (qid TEXT NOT NULL, position_qid TEXT NOT NULL, label TEXT NOT NULL, start TEXT, end TEXT,
                        country TEXT);
CREATE INDEX positions_qid ON positions (qid);
"""


BUSY_TIMEOUT = 60.0  # seconds to wait for another process that writes the KB (kg kb add) before giving up


class KnowledgeBase:
    """One SQLite file of entities and their alias keys. ``with KnowledgeBase(path) as kb: kb.candidates(...)``."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        try:
            self._db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT)
            self._check_schema()
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise ConfigError(f"{self.path} is not a usable kg knowledge base ({exc}); delete it, or point "
                                  "KG_KB at another file") from None
            raise StoreLockedError(f"the knowledge base {self.path} is busy: another kg process (kg kb add, kb "
                                   f"import or kb build) has been writing it for over {BUSY_TIMEOUT:g} s; try "
                                   "again when it has finished (its additions are kept)") from None
        except sqlite3.DatabaseError as exc:  # not a database, or a folder, or unreadable
            raise ConfigError(f"{self.path} is not a usable kg knowledge base ({exc}); delete it, or point KG_KB "
                              "at another file") from None

    def _check_schema(self) -> None:
        tables = {r[0] for r in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not tables:
            with self._db:
                self._db.executescript(_SCHEMA)
                self._set_meta("schema_version", SCHEMA_VERSION)
                self._set_meta("loaded", {})
            return
        version = self._meta("schema_version") if "meta" in tables else None
        if version != SCHEMA_VERSION:
            raise ConfigError(f"{self.path} is not a kg knowledge base of schema {SCHEMA_VERSION} (found "
                              f"{version!r}); delete it (the default one is rebuilt) or point KG_KB elsewhere")

    def _meta(self, key: str):
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def _set_meta(self, key: str, value) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, json.dumps(value, sort_keys=True)))

    def loaded(self) -> dict[str, dict]:
        """What was loaded: source name -> {"count": entities, "date": ISO date, ...}."""
        return self._meta("loaded") or {}

    def state(self) -> str:
        """What the KB holds, for content hashes: its default build's fingerprint and what was loaded from which
        source, without the dates (a KB built from the same sources on another day links the same)."""
        loaded = {src: {k: v for k, v in entry.items() if k != "date"} for src, entry in self.loaded().items()}
        return json.dumps({"fingerprint": self._meta("fingerprint"), "loaded": loaded}, sort_keys=True)

    def note(self, source: str, **values) -> None:
        """Record extra facts about a load (e.g. ``malformed=3``) in the meta table."""
        with self._db:
            loaded = self.loaded()
            loaded.setdefault(source, {}).update(values)
            self._set_meta("loaded", loaded)

    # writing

    def add(self, entities: Iterable[KbEntity]) -> int:
        """Insert or update entities in one transaction; an existing QID keeps its aliases and gains the new ones.

        Returns the number of entities written.
        """
        counts: Counter[str] = Counter()
        with self._db:
            for entity in entities:
                counts[entity.source] += 1
                old = self.get(entity.qid)
                self._write(_merge(old, entity) if old else entity)
            loaded = self.loaded()
            for source, n in counts.items():
                entry = loaded.setdefault(source or "unnamed", {})
                entry["count"] = entry.get("count", 0) + n
                entry["date"] = date.today().isoformat()
            self._set_meta("loaded", loaded)
        return sum(counts.values())

    def _write(self, e: KbEntity) -> None:
        data = {"description": e.description, "aliases": list(e.aliases), "types": list(e.types),
                "countries": list(e.countries), "source": e.source}
        self._db.execute("INSERT OR REPLACE INTO entities VALUES (?, ?, ?, ?, ?)",
                         (e.qid, e.label, e.kind, e.popularity, json.dumps(data, ensure_ascii=False)))
        self._db.execute("DELETE FROM aliases WHERE qid = ?", (e.qid,))
        rows = {(k, EXACT) for name in e.names for k in name_keys(name)}
        if e.kind == "Person":
            rows |= {(k, SURNAME) for name in e.names for k in surname_keys(name)}
        self._db.executemany("INSERT OR IGNORE INTO aliases VALUES (?, ?, ?, ?)",
                             [(k, match, e.qid, k[::-1]) for k, match in rows])
        self._db.execute("DELETE FROM positions WHERE qid = ?", (e.qid,))
        # whatever the source (a dump, an endpoint), a date that is no date is not kept
        self._db.executemany("INSERT INTO positions VALUES (?, ?, ?, ?, ?, ?)",
                             [(e.qid, p.qid, p.label, calendar_date(p.start), calendar_date(p.end), p.country)
                              for p in e.positions])

    # reading

    def get(self, qid: str) -> KbEntity | None:
        row = self._db.execute("SELECT label, kind, popularity, data FROM entities WHERE qid = ?", (qid,)).fetchone()
        if row is None:
            return None
        label, kind, popularity, data = row
        data = json.loads(data)
        positions = tuple(Position(*p) for p in self._db.execute(
            "SELECT position_qid, label, start, end, country FROM positions WHERE qid = ? ORDER BY rowid", (qid,)))
        return KbEntity(qid, label, data["description"], tuple(data["aliases"]), tuple(data["types"]), kind,
                        tuple(data["countries"]), positions, popularity, data["source"])

    def candidates(self, name: str, limit: int = 25) -> list[tuple[KbEntity, str]]:
        """Entities that may be meant by ``name``, each with how it matched, best match kind first.

        The match kind tells the caller how much the name alone says, so the linker can ask for more evidence
        (type, context, dates) when it is weak:

        - ``'exact'``: the name's key is one of the entity's names ("Bashar Assad", "U.S.", "the British");
        - ``'surname'``: the name is a person's last name alone ("Bolton", "Assad");
        - ``'partial'``: a name of two words or more ends a longer name of a person ("Javad Zarif"); not of an
          organisation, where the end of a name is often a name of its own ("General Assembly").

        Within a kind, the more popular entity comes first; an entity is listed once, under its best kind.
        """
        keys = name_keys(name)
        if not keys or limit <= 0:
            return []
        found: dict[str, str] = {}
        marks = ",".join("?" * len(keys))
        for match in (EXACT, SURNAME):
            for (qid,) in self._db.execute(
                    f"SELECT DISTINCT a.qid FROM aliases a JOIN entities e ON e.qid = a.qid WHERE a.match = ? AND "
                    f"a.key IN ({marks}) ORDER BY e.popularity DESC, e.label LIMIT ?", (match, *keys, limit)):
                found.setdefault(qid, match)
        for key in keys:
            if " " not in key or len(found) >= limit:
                continue
            low = (" " + key)[::-1]  # reversed " javad zarif" is a prefix of the reversed longer names
            high = low[:-1] + chr(ord(low[-1]) + 1)
            for (qid,) in self._db.execute(
                    "SELECT DISTINCT a.qid FROM aliases a JOIN entities e ON e.qid = a.qid WHERE a.match = ? AND "
                    "e.kind = 'Person' AND a.rkey >= ? AND a.rkey < ? ORDER BY e.popularity DESC, e.label LIMIT ?",
                    (EXACT, low, high, limit)):
                found.setdefault(qid, PARTIAL)
        ranked = [(self.get(qid), match) for qid, match in found.items()]
        order = {EXACT: 0, SURNAME: 1, PARTIAL: 2}
        ranked.sort(key=lambda em: (order[em[1]], -em[0].popularity, em[0].label))
        return ranked[:limit]

    def __len__(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM entities").fetchone()[0]

    def __contains__(self, qid: object) -> bool:
        return self._db.execute("SELECT 1 FROM entities WHERE qid = ?", (qid,)).fetchone() is not None

    def kinds(self) -> dict[str, int]:
        """Entities per kind ('other' for those of no kg kind)."""
        return {kind or "other": n for kind, n in
                self._db.execute("SELECT kind, COUNT(*) FROM entities GROUP BY kind")}

    def qids(self) -> Iterator[str]:
        for (qid,) in self._db.execute("SELECT qid FROM entities ORDER BY qid"):
            yield qid

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "KnowledgeBase":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _merge(old: KbEntity, new: KbEntity) -> KbEntity:
    """``new`` over ``old``: new values win where given; names, types, countries and positions are united."""
    def union(a, b):
        return tuple(dict.fromkeys((*a, *b)))

    label = new.label or old.label
    aliases = tuple(n for n in union(old.names, new.aliases) if n != label)
    sources = union(old.source.split("+") if old.source else (), [new.source] if new.source else ())
    return KbEntity(old.qid, label, new.description or old.description, aliases, union(old.types, new.types),
                    new.kind or old.kind, union(old.countries, new.countries), union(old.positions, new.positions),
                    max(old.popularity, new.popularity), "+".join(sources))


# --- the default KB -------------------------------------------------------------------------------------------

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
    with kb._db:
        kb._set_meta("fingerprint", fingerprint())
    return len(kb)


def _stale(path: Path) -> bool:
    # A default KB built from an older rigour or curated.json is rebuilt; one with user additions never is.
    with KnowledgeBase(path) as kb:
        return set(kb.loaded()) <= {"rigour", "curated"} and kb._meta("fingerprint") != fingerprint()


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
    out = []
    for t in get_territories():
        if not t.qid or t.code in _NOT_ACTORS:
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
        names = [n for n in (t.full_name, *strong.get(t.code, ())) if n != t.name and "(" not in n and _latin(n)]
        out.append(KbEntity(t.qid, t.name, description, tuple(dict.fromkeys(names)),
                            ("Q3024240",) if t.is_historical and kind == "Country" else (), kind, countries,
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


# --- user additions: CSV --------------------------------------------------------------------------------------

CSV_COLUMNS = ("qid", "label", "aliases", "description", "kind", "country", "position", "start", "end")


def add_csv(kb: KnowledgeBase, path: str | os.PathLike) -> int:
    """Add the entities of a CSV file (columns qid,label,aliases,description,kind,country,position,start,end;
    aliases and country QIDs separated by ``|``). ``position`` is the QID of a position held from ``start``
    to ``end`` (ISO dates or years); a person who held several is given one row each, and rows of the same
    QID merge. The whole file is checked before anything is written."""
    path = Path(path)
    entities = []
    try:
        with path.open(newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            header = [c.strip() for c in reader.fieldnames or ()]
            unknown = [c for c in header if c not in CSV_COLUMNS]
            if "qid" not in header or "label" not in header or unknown:
                raise InputError(f"{path}: the first line must name the columns {','.join(CSV_COLUMNS)} (qid and "
                                 f"label are required){'; unknown: ' + ','.join(unknown) if unknown else ''}")
            reader.fieldnames = header
            for row in reader:
                entities.append(_csv_entity(row, f"{path}, line {reader.line_num}", path.name))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"cannot read {path} as UTF-8 CSV ({exc}); give a CSV file with the columns "
                         f"{','.join(CSV_COLUMNS)}") from None
    added = kb.add(entities)
    _label_positions(kb)
    return added


def _csv_entity(row: dict, where: str, name: str) -> KbEntity:
    def cell(column: str) -> str:
        return (row.get(column) or "").strip()

    def split(column: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(v.strip() for v in cell(column).split("|") if v.strip()))

    qid, label = cell("qid"), cell("label")
    if not QID_PATTERN.match(qid):
        raise InputError(f"{where}: qid {qid!r} is not a Wikidata id; write Q followed by digits, e.g. Q311269")
    if not label:
        raise InputError(f"{where}: the label of {qid} is empty; give the entity's name")
    kind = None
    if cell("kind"):
        kind = next((k for k in KINDS if k.lower() == cell("kind").lower()), None)
        if kind is None:
            raise InputError(f"{where}: kind {cell('kind')!r} is not one of {', '.join(KINDS)}; use one or leave "
                             "it empty")
    countries = split("country")
    bad = [c for c in countries if not QID_PATTERN.match(c)]
    if bad:
        raise InputError(f"{where}: country {bad[0]!r} is not a Wikidata id; write country QIDs like Q30, "
                         "separated by |")
    positions = ()
    if cell("position") or cell("start") or cell("end"):
        if not QID_PATTERN.match(cell("position")):
            raise InputError(f"{where}: position {cell('position')!r} is not a Wikidata id; write the QID of the "
                             "office, e.g. Q11696 for President of the United States")
        for column in ("start", "end"):
            if cell(column) and not calendar_date(cell(column)):
                raise InputError(f"{where}: {column} {cell(column)!r} is not a date; write YYYY-MM-DD, YYYY-MM "
                                 "or YYYY")
        positions = (Position(cell("position"), "", cell("start") or None, cell("end") or None,
                              countries[0] if countries else None),)
    return KbEntity(qid, label, cell("description"), split("aliases"), kind=kind, countries=countries,
                    positions=positions, source=f"csv:{name}")


# --- user additions: a Wikidata JSON dump ---------------------------------------------------------------------

BATCH = 1000


def _open_text(path: Path):
    """Open a plain, gzip or bzip2 file as text, recognised by its first bytes rather than its name."""
    with path.open("rb") as f:
        magic = f.read(3)
    if magic[:2] == b"\x1f\x8b":
        return gzip.open(path, "rt", encoding="utf-8")
    if magic == b"BZh":
        return bz2.open(path, "rt", encoding="utf-8")
    return path.open(encoding="utf-8")


def import_dump(kb: KnowledgeBase, path: str | os.PathLike, *, types: set[str] | None = None,
                languages: tuple[str, ...] = ("en",)) -> int:
    """Stream a Wikidata JSON dump (``latest-all.json.gz``: one entity per line) into ``kb``, in constant memory.

    Keeps the items that are an instance (P31) of one of ``types`` (default: the classes of
    ``wikidata_types.json``). Returns the number of entities added; lines that are not JSON entities are skipped,
    counted, logged and recorded as ``kb.loaded()[source]["malformed"]``.
    """
    path = Path(path)
    types = set(types) if types is not None else set(type_kinds())
    source = f"wikidata:{path.name}"
    added = malformed = parsed = 0
    batch: list[KbEntity] = []
    try:
        with _open_text(path) as lines:
            for line in lines:
                line = line.strip().rstrip(",")
                if not line or line in ("[", "]"):
                    continue
                try:
                    item = json.loads(line)
                    entity = _dump_entity(item, types, languages, source)
                except (ValueError, TypeError, KeyError, AttributeError):
                    malformed += 1
                    continue
                parsed += 1
                if entity:
                    batch.append(entity)
                if len(batch) >= BATCH:
                    added += kb.add(batch)
                    batch.clear()
    except (OSError, EOFError, UnicodeDecodeError) as exc:  # missing, truncated or not really compressed
        raise InputError(f"cannot read {path} ({exc}); give a complete Wikidata JSON dump (.json, .json.gz or "
                         ".json.bz2)") from None
    added += kb.add(batch)
    if malformed and not parsed:
        raise InputError(f"{path} has no Wikidata entity lines; give a Wikidata JSON dump such as latest-all.json.gz")
    _label_positions(kb)
    kb.note(source, malformed=malformed)
    if malformed:
        log.warning("%s: skipped %d malformed line(s)", path, malformed)
    return added


def _dump_entity(item: dict, types: set[str], languages: tuple[str, ...], source: str) -> KbEntity | None:
    if not isinstance(item, dict):
        raise ValueError("not an entity object")
    qid = item["id"]
    claims = item.get("claims") or {}
    p31 = _claim_ids(claims, "P31")
    if item.get("type", "item") != "item" or not QID_PATTERN.match(qid) or not types.intersection(p31):
        return None

    def text(field: str) -> str:
        values = item.get(field) or {}
        return next((values[lang]["value"] for lang in languages if lang in values), "")

    aliases = [a["value"] for lang in languages for a in (item.get("aliases") or {}).get(lang, ())]
    label = text("labels") or (aliases[0] if aliases else qid)
    positions = []
    for claim in claims.get("P39", ()):
        value = _claim_id(claim)
        if value:
            qualifiers = claim.get("qualifiers") or {}
            start, end = _qualifier_date(qualifiers, "P580"), _qualifier_date(qualifiers, "P582")
            positions.append(Position(value, "", start, end))
    return KbEntity(qid, label, text("descriptions"), tuple(dict.fromkeys(a for a in aliases if a != label)), p31,
                    kind_of(p31), tuple(dict.fromkeys(_claim_ids(claims, "P17") + _claim_ids(claims, "P27"))),
                    tuple(positions), len(item.get("sitelinks") or {}), source)


def _claim_id(claim: dict) -> str | None:
    if claim.get("rank") == "deprecated":
        return None
    value = ((claim.get("mainsnak") or {}).get("datavalue") or {}).get("value")
    return value.get("id") if isinstance(value, dict) else None


def _claim_ids(claims: dict, prop: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(filter(None, map(_claim_id, claims.get(prop, ())))))


def _qualifier_date(qualifiers: dict, prop: str) -> str | None:
    """'+2018-04-09T00:00:00Z' -> '2018-04-09'; a year or month precision (or 00 parts) gives '2018' or '2018-04'."""
    for snak in qualifiers.get(prop, ()):
        value = (snak.get("datavalue") or {}).get("value")
        if not isinstance(value, dict):
            continue
        m = re.match(r"^\+?(-?\d{4,})-(\d\d)-(\d\d)", value.get("time", ""))
        if not m:
            continue
        year, month, day = m.groups()
        precision = value.get("precision", 11)
        if precision <= 9 or month == "00":
            return year
        if precision == 10 or day == "00":
            return f"{year}-{month}"
        return f"{year}-{month}-{day}"
    return None


def _label_positions(kb: KnowledgeBase) -> None:
    # A dump line or a CSV row carries only the office's QID: name it after the office's entity when the KB has it.
    with kb._db:
        kb._db.execute("UPDATE positions SET label = (SELECT label FROM entities WHERE qid = positions.position_qid) "
                       "WHERE label = '' AND position_qid IN (SELECT qid FROM entities)")


def fingerprint() -> str:
    """A hash of what the default KB is built from (rigour's version, curated.json, wikidata_types.json, and
    entities.json, whose demonyms become aliases)."""
    from importlib.metadata import version

    h = hashlib.sha256(f"{version('rigour')} keys-{KEYS_VERSION}".encode())
    h.update(resources.files(__package__).joinpath("curated.json").read_bytes())
    for name in ("wikidata_types.json", "entities.json"):
        h.update(resources.files(lexicons.__name__).joinpath(name).read_bytes())
    return h.hexdigest()[:16]
