"""The SPARQL 1.1 Protocol endpoint of ``kg serve`` (https://www.w3.org/TR/sparql11-protocol/): queries only.

A query runs in a child process that opens the store itself (a folder, or the URL of a SPARQL server), so that
one past the deadline is stopped (an Oxigraph query cannot be interrupted from Python); the child comes from a
fork server, a clean process that forks no web-server threads. The answer is cut at a row cap: a longer one is an
error that says so, never a silent part.
"""
from __future__ import annotations

import io
import multiprocessing
import threading
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from kg.errors import KgError, QueryError
from kg.sparql import QUERY_FORMS, UPDATE_FORMS, form

# media type -> kg's name of the format; the first is the default
SELECT_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
}
BOOLEAN_TYPES = {"application/sparql-results+json": "json", "application/sparql-results+xml": "xml",
                 "application/json": "json"}
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "n-triples",
    "application/rdf+xml": "rdf-xml",
}
_RDF_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "json-ld": ox.RdfFormat.JSON_LD, "n-triples": ox.RdfFormat.N_TRIPLES,
                "rdf-xml": ox.RdfFormat.RDF_XML}
MEDIA = {**{v: k for k, v in reversed(SELECT_TYPES.items())}, **{v: k for k, v in GRAPH_TYPES.items()}}


class NotAcceptable(QueryError):
    """The client accepts none of the formats the answer can be given in."""


@dataclass(frozen=True)
class Result:
    body: bytes
    media_type: str
    rows: int


def negotiate(accept: str, kind: str, fmt: str | None = None) -> str:
    """The format of the answer to a query of ``kind`` (SELECT, ASK, CONSTRUCT, DESCRIBE): ``fmt`` if given
    (a ``format`` parameter: json, xml, csv, tsv, turtle, json-ld, ...), else the first type of the Accept
    header the answer can take (by q value), else the default for the kind."""
    types = GRAPH_TYPES if kind in ("CONSTRUCT", "DESCRIBE") else BOOLEAN_TYPES if kind == "ASK" else SELECT_TYPES
    names = set(types.values())
    if fmt:
        if fmt not in names:
            raise NotAcceptable(f"a {kind} query cannot answer in format {fmt!r}; use one of "
                                f"{', '.join(sorted(names))}")
        return fmt
    ranked = []
    for i, part in enumerate(p.strip() for p in (accept or "").split(",") if p.strip()):
        media, *params = [x.strip() for x in part.split(";")]
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        ranked.append((-q, i, media.lower()))
    default = next(iter(types.values()))
    if not ranked:
        return default
    for q, _, media in sorted(ranked):
        if -q <= 0:
            continue
        if media in types:
            return types[media]
        if media in ("*/*", "application/*", "text/*") and (media == "*/*" or any(
                t.startswith(media[:-1]) for t in types)):
            return default if media == "*/*" else next(v for t, v in types.items() if t.startswith(media[:-1]))
    raise NotAcceptable(f"none of the types in Accept ({accept}) can carry a {kind} answer; ask for one of "
                        f"{', '.join(types)}")


def check(text: str) -> str:
    """The query's form; an update or a text that is no query is an error."""
    kind = form(text)
    if kind in UPDATE_FORMS:
        raise QueryError(f"this endpoint answers queries only, and this is an update ({kind}); kg changes the store "
                         "through kg build, kg remove and kg enrich")
    if kind not in QUERY_FORMS:
        raise QueryError("the text is not a SPARQL query: it must be SELECT, ASK, CONSTRUCT or DESCRIBE")
    return kind


def answer(store, text: str, fmt: str, max_rows: int) -> Result:
    """Run ``text`` on ``store`` and serialise its answer in ``fmt``, at most ``max_rows`` rows (or triples)."""
    try:
        result = store.query(text)
        if isinstance(result, ox.QueryBoolean):
            return Result(_boolean(bool(result), fmt), MEDIA.get(fmt, "application/sparql-results+json"), 1)
        if isinstance(result, (ox.QueryTriples, list)):  # a list: a remote store's CONSTRUCT, as quads
            triples = []
            for t in result:
                t = t.triple if isinstance(t, ox.Quad) else t
                if len(triples) == max_rows:
                    raise QueryError(_too_many(max_rows, "triples"))
                triples.append(t)
            out = io.BytesIO()
            ox.serialize(triples, out, _RDF_FORMATS[fmt])
            return Result(out.getvalue(), MEDIA[fmt], len(triples))
        columns = [v.value for v in result.variables]
        rows = []
        for solution in result:
            if len(rows) == max_rows:
                raise QueryError(_too_many(max_rows, "rows"))
            rows.append([solution[c] for c in columns])
    except (SyntaxError, ValueError) as exc:
        raise QueryError(f"the query is not valid SPARQL: {_first(exc)}") from None
    except (OSError, RuntimeError) as exc:
        raise QueryError(f"the query failed: {_first(exc)}") from None
    from kg.queries import results

    body = _xml(columns, rows) if fmt == "xml" else results(columns, rows, fmt)
    return Result(body, MEDIA[fmt], len(rows))


def _too_many(n: int, what: str) -> str:
    return (f"the answer has more than {n:,} {what}, the endpoint's cap; add a LIMIT (and OFFSET to page), or use "
            "kg export for the whole graph")


def _first(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _boolean(value: bool, fmt: str) -> bytes:
    if fmt == "xml":
        return (f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
                f"<boolean>{'true' if value else 'false'}</boolean></sparql>\n").encode()
    return (f'{{"head": {{}}, "boolean": {"true" if value else "false"}}}\n').encode()


def _xml(columns: list[str], rows: list[list]) -> bytes:
    """SPARQL Query Results XML (https://www.w3.org/TR/rdf-sparql-XMLres/)."""
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
    out += [f"<variable name={quoteattr(c)}/>" for c in columns]
    out.append("</head>\n<results>")
    for row in rows:
        out.append("<result>")
        for c, t in zip(columns, row):
            if t is None:
                continue
            if isinstance(t, ox.NamedNode):
                value = f"<uri>{escape(t.value)}</uri>"
            elif isinstance(t, ox.BlankNode):
                value = f"<bnode>{escape(t.value)}</bnode>"
            elif t.language:
                value = f"<literal xml:lang={quoteattr(t.language)}>{escape(t.value)}</literal>"
            elif t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
                value = f"<literal datatype={quoteattr(t.datatype.value)}>{escape(t.value)}</literal>"
            else:
                value = f"<literal>{escape(t.value)}</literal>"
            out.append(f"<binding name={quoteattr(c)}>{value}</binding>")
        out.append("</result>")
    out.append("</results>\n</sparql>\n")
    return "\n".join(out).encode("utf-8")


# --- a query in a child process, stopped at its deadline ---------------------------------------------------------

class Timeout(QueryError):
    """The query ran past the endpoint's deadline and was stopped."""


_context_lock = threading.Lock()
_context = None


def _forkserver():
    global _context
    with _context_lock:
        if _context is None:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(["kg.serve.endpoint", "kg.store"])
            _context = ctx
        return _context


def _child(conn, path: str, text: str, fmt: str, max_rows: int) -> None:
    from kg.store import open_store

    try:
        store = open_store(path, reader=True)
        try:
            conn.send(("ok", answer(store, text, fmt, max_rows)))
        finally:
            store.close()
    except KgError as exc:
        conn.send(("error", str(exc)))
    except BaseException as exc:  # noqa: BLE001 - the parent reports it
        conn.send(("crash", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def run(path: str, text: str, fmt: str, *, max_rows: int, timeout: float) -> Result:
    """Answer ``text`` over the store at ``path`` (a folder, or the URL of a SPARQL server) in a child process,
    stopped after ``timeout`` seconds. A server goes on with a query kg stopped waiting for, unless it has a
    timeout of its own."""
    ctx = _forkserver()
    parent, child = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(child, path, text, fmt, max_rows), daemon=True)
    process.start()
    child.close()
    try:
        if not parent.poll(timeout):
            process.kill()
            raise Timeout(f"the query ran past the endpoint's timeout of {timeout:g} s and was stopped; narrow it "
                          "(a LIMIT, a more selective pattern) or run it with kg sparql --timeout on the machine")
        try:
            status, value = parent.recv()
        except EOFError:
            raise QueryError("the query process died (out of memory?); narrow the query") from None
    finally:
        parent.close()
        process.join(5)
        if process.is_alive():
            process.kill()
    if status == "ok":
        return value
    if status == "error":
        raise QueryError(value.split("] ", 1)[-1] if value.startswith("[") else value)
    raise QueryError(f"the query failed: {value}")
