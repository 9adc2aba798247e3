"""Stage 7, query: saved SPARQL queries (``queries/*.rq``) with a comment header of name, description,
parameters and an example; parameters are bound with pyoxigraph substitutions, never pasted into the text."""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg import resources
from kg.errors import QueryError

RESULT_FORMATS = {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
                  "json": ox.QueryResultsFormat.JSON}


@dataclass(frozen=True)
class Param:
    name: str
    description: str
    optional: bool


@dataclass(frozen=True)
class SavedQuery:
    name: str
    description: str
    params: tuple[Param, ...]
    example: str
    text: str
    path: Path
    online: bool = False  # needs the network (a SERVICE call to a remote endpoint)


_HEADER = re.compile(r"#\s*(name|description|param|example|online):\s*(.*)")
_PARAM = re.compile(r"(\w+)(\?)?\s*(?:-\s*(.*))?")


def parse(path: Path) -> SavedQuery:
    """Read a saved query and its header."""
    text = path.read_text(encoding="utf-8")
    fields: dict[str, str] = {}
    params = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = _HEADER.match(line)
        if not m:
            continue
        key, value = m.group(1), m.group(2).strip()
        if key == "param":
            p = _PARAM.match(value)
            if p:
                params.append(Param(p.group(1), (p.group(3) or "").strip(), bool(p.group(2))))
        else:
            fields[key] = value
    return SavedQuery(fields.get("name", path.stem), fields.get("description", ""), tuple(params),
                      fields.get("example", ""), text, path, fields.get("online", "").lower() in ("yes", "true"))


def saved_queries(folder: Path | None = None) -> dict[str, SavedQuery]:
    folder = folder or resources.folder("queries")
    return {q.name: q for q in (parse(p) for p in sorted(folder.glob("*.rq")))}


def get(name: str) -> SavedQuery:
    queries = saved_queries()
    if name not in queries:
        raise QueryError(f"unknown query {name!r}; 'kg queries' lists them: {', '.join(queries)}")
    return queries[name]


def bind(query: SavedQuery, params: dict[str, str]) -> dict[ox.Variable, ox.Literal]:
    """Substitutions for the given parameters; a missing required or unknown parameter is an error."""
    known = {p.name for p in query.params}
    unknown = sorted(set(params) - known)
    if unknown:
        hint = ", ".join(p.name for p in query.params) or "none"
        raise QueryError(f"query {query.name!r} has no parameter {unknown[0]!r}; its parameters: {hint}")
    missing = [p.name for p in query.params if not p.optional and not params.get(p.name)]
    if missing:
        raise QueryError(f"query {query.name!r} needs --param {missing[0]}=VALUE "
                         f"({next(p.description for p in query.params if p.name == missing[0])})")
    return {ox.Variable(k): ox.Literal(v) for k, v in params.items() if v != ""}


def run(store, name: str, params: dict[str, str] | None = None) -> tuple[list[str], list[list]]:
    """Column names (parameter echo columns left out) and rows of pyoxigraph terms (None when unbound)."""
    query = get(name)
    solutions = store.query(query.text, bind(query, params or {}))
    hidden = {p.name for p in query.params}
    columns = [v.value for v in solutions.variables if v.value not in hidden]
    rows = [[sol[c] for c in columns] for sol in solutions]
    return columns, rows


def serialize(store, name: str, params: dict[str, str] | None, fmt: str) -> bytes:
    """The results in a W3C SPARQL 1.1 results format (csv, tsv, json), written by pyoxigraph."""
    query = get(name)
    solutions = store.query(query.text, bind(query, params or {}))
    out = io.BytesIO()
    solutions.serialize(out, RESULT_FORMATS[fmt])
    return out.getvalue()


def plain(term) -> str:
    """A term for a human reader: the literal's text or the IRI."""
    if term is None:
        return ""
    return term.value


def table(columns: list[str], rows: list[list], *, width: int = 60, iris: bool = False) -> str:
    """A plain-text table, cells cut to ``width`` characters. Columns that hold only IRIs are left out unless
    ``iris`` (csv, tsv and json keep everything)."""
    if not iris and rows:
        keep = [i for i in range(len(columns)) if not all(isinstance(r[i], ox.NamedNode) or r[i] is None for r in rows)]
        columns, rows = [columns[i] for i in keep], [[r[i] for i in keep] for r in rows]
    cells = [[_cut(plain(t), width) for t in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    line = lambda vals: "  ".join(v.ljust(w) for v, w in zip(vals, widths)).rstrip()  # noqa: E731
    out = [line(columns), line(["-" * w for w in widths])] + [line(r) for r in cells]
    return "\n".join(out)


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
