"""Stage 7, query: your own SPARQL (``kg sparql``), read-only, with kg's prefixes declared, over the union of
the store's graphs (the summary graph ``kgg:summary`` among them).

>>> form("PREFIX ex: <http://e#x> # a comment\\nselect * { ?s ?p ?o }")
'SELECT'
>>> form("DELETE WHERE { ?s ?p ?o }")
'DELETE'
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pyoxigraph as ox

from kg.errors import QueryError
from kg.queries import Answer

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_FORMS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"})
_TOKENS = re.compile(r"""<[^<>"{}|^`\\\s]*>|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|#[^\n]*|[A-Za-z]+|\S""")
_PROLOGUE = {"PREFIX", "BASE"}


def form(text: str) -> str:
    """The first keyword after the prologue: SELECT, ASK, CONSTRUCT, DESCRIBE, or an update's (INSERT ...)."""
    tokens = [t for t in _TOKENS.findall(text) if not t.startswith("#")]
    i = 0
    while i < len(tokens) and tokens[i].upper() in _PROLOGUE:  # PREFIX name: <iri> | BASE <iri>
        i += 1
        while i < len(tokens) and not tokens[i].startswith("<"):
            i += 1
        i += 1
    return tokens[i].upper() if i < len(tokens) else ""


@dataclass(frozen=True)
class Graph:
    """The triples of a CONSTRUCT or DESCRIBE query, serialised."""

    data: bytes
    triples: int


def run(store, text: str, *, limit: int | None = None, offset: int = 0):
    """The query's answer: an :class:`Answer` (SELECT), a bool (ASK) or a :class:`Graph` (CONSTRUCT, DESCRIBE,
    as Turtle). An update is refused: kg sparql never changes the store."""
    kind = form(text)
    if kind not in QUERY_FORMS:
        if kind in UPDATE_FORMS:
            raise QueryError(f"kg sparql runs queries only, and this is an update ({kind}); kg changes the store "
                             "through kg build, kg remove and kg enrich")
        raise QueryError("the text is not a SPARQL query: it must be SELECT, ASK, CONSTRUCT or DESCRIBE "
                         "(kg's prefixes kg:, kgg:, rdfs:, skos: ... are declared)")
    try:
        result = store.query(text)
    except (SyntaxError, ValueError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise QueryError(f"the query is not valid SPARQL: {first}") from None
    except OSError as exc:
        raise QueryError(f"the query failed: {exc}") from None
    try:  # Oxigraph evaluates as the answer is read: a SERVICE call or a bad value fails here
        return _read(result, limit, offset)
    except (OSError, ValueError, RuntimeError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise QueryError(f"the query failed: {first}") from None


def _read(result, limit: int | None, offset: int):
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, (ox.QueryTriples, list)):  # a remote store's triples come as a list, in its order
        triples = list(result)
        out = io.BytesIO()
        ox.serialize(triples, out, ox.RdfFormat.TURTLE)
        return Graph(out.getvalue(), len(triples))
    columns = [v.value for v in result.variables]
    rows, total = [], 0
    for solution in result:
        if offset <= total and (limit is None or len(rows) < limit):
            rows.append([solution[c] for c in columns])
        total += 1
    return Answer(columns, rows, total, offset, (), [])
