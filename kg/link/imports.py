"""A user's own entities into a knowledge base: a CSV file (:func:`add_csv`) or a Wikidata JSON dump
(:func:`import_dump`, read by :mod:`kg.link.wikibase` as the online lookup reads the API's answers)."""
from __future__ import annotations

import bz2
import csv
import gzip
import io
import json
import logging
import os
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterator, TextIO

from kg import progress as progressbar
from kg.errors import InputError
from kg.link import wikibase
from kg.link.kb import KINDS, QID_PATTERN, KbEntity, KnowledgeBase, Position, calendar_date, type_kinds

log = logging.getLogger(__name__)

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
    kb.label_positions()
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


BATCH = 1000


@contextmanager
def _open_text(path: Path) -> Iterator[tuple[TextIO, BinaryIO]]:
    """A plain, gzip or bzip2 file as text, recognised by its first bytes rather than its name, and the file
    itself, whose position says how far into it the text has been read."""
    with path.open("rb") as raw:
        magic = raw.read(3)
        raw.seek(0)
        if magic[:2] == b"\x1f\x8b":
            binary = gzip.GzipFile(fileobj=raw, mode="rb")
        elif magic == b"BZh":
            binary = bz2.BZ2File(raw)
        else:
            binary = raw
        with io.TextIOWrapper(binary, encoding="utf-8") as text:
            yield text, raw


def import_dump(kb: KnowledgeBase, path: str | os.PathLike, *, types: set[str] | None = None,
                languages: tuple[str, ...] = wikibase.DEFAULT_LANGUAGES, progress: bool = False) -> int:
    """Stream a Wikidata JSON dump (``latest-all.json.gz``: one entity per line) into ``kb``, in constant memory.

    Keeps the items that are an instance (P31) of one of ``types`` (default: the classes of
    ``wikidata_types.json``). Returns the number of entities added; lines that are not JSON entities are skipped,
    counted, logged and recorded as ``kb.loaded()[source]["malformed"]``. ``progress``: a bar of the file's bytes
    read (compressed, as on disk) on a terminal's standard error (:mod:`kg.progress`).
    """
    path = Path(path)
    types = set(types) if types is not None else set(type_kinds())
    source = f"wikidata:{path.name}"
    added = malformed = parsed = 0
    batch: list[KbEntity] = []
    try:
        with _open_text(path) as (lines, raw), \
                progressbar.bar(path.stat().st_size, desc="kg kb import", unit="B", unit_scale=True,
                                enabled=progress) as bar:
            for n, line in enumerate(lines, 1):
                if n % 1000 == 0:
                    bar.update(raw.tell() - bar.n)
                line = line.strip().rstrip(",")
                if not line or line in ("[", "]"):
                    continue
                try:
                    item = json.loads(line)
                    entity = wikibase.entity(item, languages)
                except ValueError:  # not JSON, or not an entity object
                    malformed += 1
                    continue
                parsed += 1
                if item.get("type", "item") == "item" and QID_PATTERN.match(entity["qid"]) and \
                        types.intersection(entity["types"]):
                    batch.append(wikibase.to_kb_entity(entity, source=source))
                if len(batch) >= BATCH:
                    added += kb.add(batch)
                    batch.clear()
                    bar.set_postfix_str(f"{added:,} entities kept", refresh=False)
            bar.update(raw.tell() - bar.n)
    except (OSError, EOFError, UnicodeDecodeError) as exc:  # missing, truncated or not really compressed
        raise InputError(f"cannot read {path} ({exc}); give a complete Wikidata JSON dump (.json, .json.gz or "
                         ".json.bz2)") from None
    added += kb.add(batch)
    if malformed and not parsed:
        raise InputError(f"{path} has no Wikidata entity lines; give a Wikidata JSON dump such as latest-all.json.gz")
    kb.label_positions()
    kb.note(source, malformed=malformed)
    if malformed:
        log.warning("%s: skipped %d malformed line(s)", path, malformed)
    return added
