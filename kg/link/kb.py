"""An offline Wikidata knowledge base (KB): names in, candidate entities out, from one SQLite file.

The KB only stores and finds; deciding which candidate an article means is the linker's job. What fills it
lives beside it: :mod:`kg.link.default_kb` (the default KB, built on first use), :mod:`kg.link.imports` (a
user's CSV file, a Wikidata JSON dump) and :mod:`kg.link.sparql_pages` (a SPARQL endpoint).

Names are matched through alias keys (``normalise``), so that "Bashar Assad", "Bashar al-Assad" and
"BASHAR AL ASSAD" meet. One writer at a time; any number of processes may read the same file.
"""
from __future__ import annotations

import json
import os
import re
import sqlite3
from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Iterable, Iterator

from kg import lexicons
from kg.errors import ConfigError, StoreLockedError
from kg.names import PARTICLES, normalise, squeezed, surname_keys

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
    bare = " ".join(w for i, w in enumerate(words) if i == 0 or w not in PARTICLES)
    keys = (key, bare, _joined_initials(key))
    if len(words) > 1:  # 'el-Sissi' and 'el-Sisi', 'Gaddafi' and 'Gadafi': transliterations double letters freely
        keys += (squeezed(bare),)
    return list(dict.fromkeys(keys))


def _joined_initials(key: str) -> str:
    """'j k rowling' -> 'jk rowling', so that "J. K. Rowling" and "JK Rowling" meet."""
    return re.sub(r"\b([a-z]) (?=[a-z]\b)", r"\1", key)


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
        return json.dumps({"fingerprint": self.fingerprint(), "loaded": loaded}, sort_keys=True)

    def fingerprint(self) -> str | None:
        """The fingerprint of the sources a default KB was built from (:func:`kg.link.default_kb.fingerprint`)."""
        return self._meta("fingerprint")

    def set_fingerprint(self, value: str) -> None:
        with self._db:
            self._set_meta("fingerprint", value)

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

    def label_positions(self) -> None:
        """Name the positions that carry only their office's QID (from a dump line or a CSV row) after the
        office's entity, when the KB has it."""
        with self._db:
            self._db.execute("UPDATE positions SET label = (SELECT label FROM entities WHERE qid = "
                             "positions.position_qid) WHERE label = '' AND position_qid IN (SELECT qid FROM entities)")

    # reading

    def names(self) -> Iterator[tuple[str, str]]:
        """(name, kind) of every label and alias of an entity of a kg kind, as written."""
        for label, kind, data in self._db.execute("SELECT label, kind, data FROM entities WHERE kind IS NOT NULL"):
            yield label, kind
            for alias in json.loads(data)["aliases"]:
                yield alias, kind

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
