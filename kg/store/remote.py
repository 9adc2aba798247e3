"""A remote triple store: a SPARQL 1.1 endpoint with Update and the Graph Store Protocol, such as
``oxigraph serve``, standing in for :class:`kg.store.EmbeddedStore` (``--store http://127.0.0.1:7878``).

The URL is the server's base: kg queries ``BASE/query``, updates ``BASE/update`` and reads graphs from
``BASE/store`` (Oxigraph's layout; a URL that ends in ``/query`` is taken as that same base). A server laid out
otherwise is reached by naming each endpoint in ``KG_STORE_QUERY_URL``, ``KG_STORE_UPDATE_URL`` and
``KG_STORE_GSP_URL``. Credentials come from the environment only, never from the URL, and are never printed or
logged: ``KG_STORE_TOKEN`` (sent as ``Authorization: Bearer``), or ``KG_STORE_USER`` and ``KG_STORE_PASSWORD``
(HTTP basic).

Each article is written in one update request: its old graph dropped, its new one inserted, and the summary
rows it changes deleted and inserted (:func:`kg.store.summary.changes`, which reads the old rows through
SPARQL). The server runs an update as one transaction, so a reader sees the old article or the new one, and a
summary in step with either. kg takes no lock on a server: one kg process should write to it at a time.

Queries go to the server with kg's prefixes declared and, by Oxigraph's ``union-default-graph`` parameter, the
union of the graphs as the default graph (another server must be set up to do that itself). A query's
parameters are written into its text as RDF terms, serialised and escaped by pyoxigraph
(:func:`substitute`), never pasted in as the user typed them.
"""
from __future__ import annotations

import logging
import os
import re
import time
from typing import IO, Iterable, Iterator, Sequence
from urllib.parse import urlsplit

import pyoxigraph as ox

from kg.errors import StoreError
from kg.rdf import ArticleGraph, mapping
from kg.rdf.namespaces import KG, ONTOLOGY_GRAPH, PREFIXES, SPECIAL_GRAPHS, SUMMARY_GRAPH
from kg.rdf.parts import article_part, fact_keys
from kg.store import _Reader, _graph_data, _part_of, _terms, summary
from kg.store.summary import STATE

log = logging.getLogger(__name__)

ENV_TOKEN, ENV_USER, ENV_PASSWORD = "KG_STORE_TOKEN", "KG_STORE_USER", "KG_STORE_PASSWORD"
ENV_QUERY, ENV_UPDATE, ENV_GSP = "KG_STORE_QUERY_URL", "KG_STORE_UPDATE_URL", "KG_STORE_GSP_URL"
TIMEOUT = (10.0, 300.0)  # seconds to connect, and to wait for an answer (a big update, a long query)

_RESULTS = {"application/sparql-results+json": ox.QueryResultsFormat.JSON,
            "application/sparql-results+xml": ox.QueryResultsFormat.XML,
            "text/tab-separated-values": ox.QueryResultsFormat.TSV,
            "text/csv": ox.QueryResultsFormat.CSV}
_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"


def is_remote(spec) -> bool:
    """Whether a ``--store`` value is the URL of a remote store rather than a folder.

    >>> is_remote("http://127.0.0.1:7878"), is_remote("HTTPS://example.org/sparql"), is_remote("kg-store")
    (True, True, False)
    """
    return isinstance(spec, str) and re.match(r"https?://", spec, re.IGNORECASE) is not None


def endpoints(url: str) -> tuple[str, str, str]:
    """The query, update and graph store endpoints of a ``--store`` URL (each may be named in the environment).

    >>> endpoints("http://127.0.0.1:7878/")
    ('http://127.0.0.1:7878/query', 'http://127.0.0.1:7878/update', 'http://127.0.0.1:7878/store')
    >>> endpoints("http://127.0.0.1:7878/query")[1]
    'http://127.0.0.1:7878/update'
    """
    for given in (url, os.environ.get(ENV_QUERY), os.environ.get(ENV_UPDATE), os.environ.get(ENV_GSP)):
        parts = urlsplit(given or "")
        if parts.username or parts.password:
            raise StoreError(f"the store URL {_without_userinfo(given)} carries a user name or password; give them "
                             f"in {ENV_USER} and {ENV_PASSWORD} (or a token in {ENV_TOKEN}) instead, so that they "
                             "are never printed")
    if urlsplit(url).query or urlsplit(url).fragment:
        raise StoreError("the --store URL has a query (?...) or a fragment (#...); give the server's base URL, "
                         "such as http://127.0.0.1:7878, and credentials in the environment")
    base = url.rstrip("/")
    if base.endswith("/query"):
        base = base[: -len("/query")]
    return (os.environ.get(ENV_QUERY) or f"{base}/query", os.environ.get(ENV_UPDATE) or f"{base}/update",
            os.environ.get(ENV_GSP) or f"{base}/store")


def _without_userinfo(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    return parts._replace(netloc=f"{host}:{parts.port}" if parts.port else host).geturl()


# --- parameters written into the query text -------------------------------------------------------------------

_STRING = r'"""(?:[^"\\]|\\.|"(?!""))*"""' + r"|'''(?:[^'\\]|\\.|'(?!''))*'''" + \
          r'|"(?:[^"\\\n\r]|\\.)*"' + r"|'(?:[^'\\\n\r]|\\.)*'"
_SKIP = _STRING + r'|<[^<>"{}|^`\\\x00-\x20]*>|#[^\n]*|(?:[A-Za-z][\w.-]*)?:[\w.:%-]*'
_TOKEN = re.compile(rf"(?P<skip>{_SKIP})|(?P<var>[?$]\w+)|(?P<word>[A-Za-z_]\w*)|(?P<punct>[(){{}}*])", re.S)
_MODIFIER_ENDS = {"LIMIT", "OFFSET", "VALUES", "SELECT", "WHERE"}


def substitute(sparql: str, substitutions: dict | None) -> str:
    """The query with each variable of ``substitutions`` (``{Variable: term}``, as pyoxigraph takes them)
    replaced by its term, serialised by pyoxigraph: what pyoxigraph's substitutions do (SEP-0007), as text a
    remote endpoint runs. Strings, IRIs and comments are left alone, and so is a variable after ``AS`` (which a
    BIND or a projection assigns).

    The outer SELECT keeps the variable's column, as ``(term AS ?v)``; a sub-select stops projecting it (its
    value is a constant everywhere, and a sub-select that projected it would put it in scope of the outer
    ``AS``). ``SELECT *`` gives no column for it.

    >>> print(substitute('SELECT ?name ?n WHERE { { SELECT ?a ?name WHERE { ?a rdfs:label ?name } } } '
    ...                  'GROUP BY ?name # ?name', {ox.Variable("name"): ox.Literal('O"Brien')}))
    SELECT ("O\\"Brien" AS ?name) ?n WHERE { { SELECT ?a  WHERE { ?a rdfs:label "O\\"Brien" } } } GROUP BY ("O\\"Brien") # ?name
    """
    if not substitutions:
        return sparql
    terms = {v.value: str(t) for v, t in substitutions.items()}
    out: list[str] = []
    at = depth = braces = 0
    projection: int | None = None  # the parenthesis depth of the SELECT whose projection this is
    outer = False  # that SELECT is the query's own, not a sub-select
    kept = 0  # items that projection keeps
    dropped: list[tuple[int, str]] = []  # where in ``out`` a sub-select's projected variable was dropped
    modifier = after_as = False  # in GROUP BY / ORDER BY / HAVING; the token after AS
    previous = ""

    def end_projection() -> None:
        nonlocal projection
        if dropped and not kept:  # a sub-select must project something: one of them, under a name of its own
            index, name = dropped[0]
            out[index] = f"({terms[name]} AS ?kg_substituted_{name})"
        dropped.clear()
        projection = None

    for m in _TOKEN.finditer(sparql):
        kind, token = m.lastgroup, m.group()
        in_projection = projection is not None and depth == projection
        if kind == "word":
            word = token.upper()
            if word == "SELECT":
                projection, outer, kept = depth, braces == 0, 0
            elif word in ("WHERE", "FROM") and projection is not None:
                end_projection()
            if word == "BY" and previous in ("GROUP", "ORDER") or word == "HAVING":
                modifier = True
            elif word in _MODIFIER_ENDS:
                modifier = False
            after_as = word == "AS"
            previous = word
            continue
        if kind == "punct":
            if token in "(*" and in_projection:
                kept += 1
            if token == "(":
                depth += 1
            elif token == ")":
                depth -= 1
            elif token in "{}":
                if in_projection:  # the WHERE keyword left out
                    end_projection()
                braces += 1 if token == "{" else -1
                modifier = False
            after_as = False
            previous = token
            continue
        if kind != "var":
            continue
        name = token[1:]
        if name in terms and not after_as:
            term = terms[name]
            if in_projection and outer:
                replacement = f"({term} AS {token})"
            elif in_projection:
                replacement = ""
            elif modifier:
                replacement = f"({term})"
            else:
                replacement = term
            out.append(sparql[at:m.start()])
            if in_projection and not outer:
                dropped.append((len(out), name))
            out.append(replacement)
            at = m.end()
        elif in_projection:
            kept += 1
        after_as = False
        previous = token
    out.append(sparql[at:])
    return "".join(out)


def _prologue(prefixes: dict[str, str] | None) -> str:
    """kg's prefixes (and any others given) as one line before the query: a query may declare them again."""
    merged = {**PREFIXES, **(prefixes or {})}
    return " ".join(f"PREFIX {name}: <{iri}>" for name, iri in merged.items()) + "\n"


def _first_line(text: str, limit: int = 240) -> str:
    line = next((s.strip() for s in text.strip().splitlines() if s.strip()), "")
    return line if len(line) <= limit else line[: limit - 1] + "…"


# --- the store ---------------------------------------------------------------------------------------------------

class RemoteStore:
    """A kg store on a SPARQL 1.1 server. The same methods as :class:`kg.store.EmbeddedStore`, each one or a
    few HTTP requests; nothing is kept between them but the connection.

    ``reader``: opened to be read (query, export, stats, validate); it never writes, not even to repair a
    summary written by another version of kg, which a writing command (``kg build``) does."""

    def __init__(self, url: str, *, reader: bool = False, timeout: tuple[float, float] = TIMEOUT):
        import requests

        self.url = url
        self.read_only = reader
        self._query_url, self._update_url, self._gsp_url = endpoints(url)
        self._timeout = timeout
        self._http = requests.Session()
        from kg import __version__

        self._http.headers["User-Agent"] = f"kg/{__version__} (remote store)"
        token, user = os.environ.get(ENV_TOKEN), os.environ.get(ENV_USER)
        if token:
            self._http.headers["Authorization"] = f"Bearer {token}"
        elif user:
            self._http.auth = (user, os.environ.get(ENV_PASSWORD, ""))
        self._reader = _RemoteReader(self)
        try:
            if not self._ask("ASK { }"):  # reachable, and a SPARQL endpoint
                raise StoreError(f"{self._query_url} answered ASK {{}} with false; it is no SPARQL endpoint")
            if reader:
                if not self.summary_current() and self._has_articles():
                    raise StoreError(f"the summary graph of {url} is missing or was written by another version of "
                                     f"kg; a writing command brings it up to date (kg build PATH --store {url})")
            else:
                self._recover()
        except BaseException:
            self._http.close()
            raise

    # --- HTTP ---------------------------------------------------------------------------------------------------

    def _post(self, url: str, body: str, content_type: str, *, accept: str | None = None,
              params: dict | None = None, what: str):
        headers = {"Content-Type": f"{content_type}; charset=utf-8"}
        if accept:
            headers["Accept"] = accept
        return self._send("POST", url, what, data=body.encode("utf-8"), headers=headers, params=params)

    def _send(self, method: str, url: str, what: str, *, ok=(200, 204), **kw):
        import requests

        started = time.perf_counter()
        try:
            response = self._http.request(method, url, timeout=self._timeout, **kw)
        except requests.Timeout as exc:
            wait = self._timeout[0] if isinstance(exc, requests.ConnectTimeout) else self._timeout[1]
            raise StoreError(f"the SPARQL endpoint {url} gave no answer in {wait:g} s while kg tried to {what}; "
                             "check that the server is up and reachable, or give it less work") from None
        except requests.RequestException as exc:
            reason = "connection refused" if "refused" in str(exc).lower() else \
                     "TLS failed" if isinstance(exc, requests.exceptions.SSLError) else "the connection failed"
            raise StoreError(f"cannot reach the SPARQL endpoint {url} to {what} ({reason}); start the server "
                             "(oxigraph serve --location DIR), or check the URL given to --store") from None
        log.debug("%s %s (%s) -> %s in %.3f s", method, url, what, response.status_code,
                  time.perf_counter() - started)
        if response.status_code in ok:
            return response
        status = response.status_code
        if status in (401, 403):
            given = ENV_TOKEN if ENV_TOKEN in os.environ else \
                f"{ENV_USER} and {ENV_PASSWORD}" if ENV_USER in os.environ else "no credentials"
            raise StoreError(f"the SPARQL endpoint {url} refused to let kg {what} (HTTP {status}; kg sent {given}); "
                             f"set {ENV_USER} and {ENV_PASSWORD}, or {ENV_TOKEN}, to credentials it accepts")
        if status in (404, 405) and url != self._gsp_url:
            raise StoreError(f"{url} is no SPARQL endpoint (HTTP {status}); give --store the server's base URL (kg "
                             f"uses BASE/query, BASE/update and BASE/store), or name the endpoints in {ENV_QUERY}, "
                             f"{ENV_UPDATE} and {ENV_GSP}")
        if status == 400 and url == self._query_url:  # as pyoxigraph does: the query is at fault
            raise SyntaxError(_first_line(response.text) or "the endpoint refused the query")
        detail = _first_line(response.text)
        raise StoreError(f"the SPARQL endpoint {url} could not {what} (HTTP {status}{': ' + detail if detail else ''})")

    def _query(self, sparql: str, *, prefixes: dict | None = None, union: bool = True, what: str = "run a query"):
        prologue = _prologue(prefixes)
        try:
            return self._post(self._query_url, prologue + sparql, "application/sparql-query", accept=_ACCEPT,
                              params={"union-default-graph": ""} if union else None, what=what)
        except SyntaxError as exc:  # where the user's text is wrong, not the line kg put before it
            raise SyntaxError(re.sub(r"\bat (\d+):(\d+)", lambda m: f"at {int(m.group(1)) - 1}:{m.group(2)}",
                                     str(exc), count=1)) from None

    def _select(self, sparql: str, *, union: bool = False, what: str = "read the store") -> ox.QuerySolutions:
        return self._results(self._query(sparql, union=union, what=what))

    def _ask(self, sparql: str) -> bool:
        return bool(self._results(self._query(sparql, union=False, what="read the store")))

    def _results(self, response):
        kind = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if kind in _RESULTS:
            return ox.parse_query_results(response.content, format=_RESULTS[kind])
        fmt = ox.RdfFormat.from_media_type(kind) if kind else None
        if fmt is None:
            raise StoreError(f"the SPARQL endpoint {response.url} answered in {kind or 'no format'}, which kg does "
                             "not read; it must give SPARQL results as JSON, XML, TSV or CSV, and graphs as "
                             "N-Triples or Turtle")
        # a CONSTRUCT or DESCRIBE: its triples, in the order the server gave them
        return list(ox.parse(response.content, format=fmt))

    def _update(self, sparql: str, what: str) -> None:
        self._post(self._update_url, sparql, "application/sparql-update", what=what)

    # --- reading ------------------------------------------------------------------------------------------------

    def query(self, sparql: str, substitutions: dict | None = None, *, prefixes: dict | None = None):
        """The answer as pyoxigraph gives it (QuerySolutions or QueryBoolean; the triples of a CONSTRUCT or
        DESCRIBE as a list), with kg's prefixes declared and the union of the graphs as the default graph.
        ``substitutions`` bind variables to terms, as pyoxigraph's do (:func:`substitute`)."""
        return self._results(self._query(substitute(sparql, substitutions), prefixes=prefixes))

    def quads_for_pattern(self, subject=None, predicate=None, object=None, graph_name=None) -> Iterator[ox.Quad]:
        """The quads that match, as pyoxigraph's method of that name gives them (named graphs only: kg writes
        nothing in the default graph)."""
        if subject is None and predicate is None and object is None and isinstance(graph_name, ox.NamedNode):
            return iter(self._graph(graph_name))
        names = ("s", "p", "o")
        given = dict(zip(names, (subject, predicate, object)))
        pattern = " ".join(str(t) if t is not None else f"?{n}" for n, t in given.items())
        wanted = [n for n, t in given.items() if t is None]
        if graph_name is None:
            where, wanted = f"GRAPH ?g {{ {pattern} }}", wanted + ["g"]
        elif isinstance(graph_name, ox.DefaultGraph):
            where = pattern
        else:
            where = f"GRAPH {graph_name} {{ {pattern} }}"
        if not wanted:
            found = self._ask(f"ASK {{ {where} }}")
            return iter([ox.Quad(subject, predicate, object, graph_name)] if found else [])
        rows = self._select(f"SELECT {' '.join('?' + n for n in wanted)} WHERE {{ {where} }}")
        out = []
        for r in rows:
            s, p, o = (given[n] if given[n] is not None else r[n] for n in names)
            out.append(ox.Quad(s, p, o, r["g"] if graph_name is None else graph_name))
        return iter(out)

    def __contains__(self, quad: ox.Quad) -> bool:
        return next(self.quads_for_pattern(quad.subject, quad.predicate, quad.object, quad.graph_name), None) \
            is not None

    def __len__(self) -> int:
        rows = list(self._select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"))
        return int(rows[0]["n"].value) if rows else 0

    def _graph(self, graph: ox.NamedNode, fmt: ox.RdfFormat = ox.RdfFormat.N_TRIPLES) -> list[ox.Quad]:
        data = self._get_graph(graph, fmt)
        return [ox.Quad(t.subject, t.predicate, t.object, graph) for t in ox.parse(data, format=fmt)] if data else []

    def _get_graph(self, graph: ox.NamedNode, fmt: ox.RdfFormat) -> bytes:
        """A graph in ``fmt`` from the Graph Store Protocol endpoint; empty when there is no such graph."""
        response = self._send("GET", self._gsp_url, f"read graph {graph.value}", ok=(200, 204, 404),
                              params={"graph": graph.value}, headers={"Accept": fmt.media_type})
        return b"" if response.status_code == 404 else response.content

    def quads(self, graph: ox.NamedNode | None = None) -> Iterable[ox.Quad]:
        return self.quads_for_pattern(None, None, None, graph)

    def dump(self, output: IO[bytes], fmt: ox.RdfFormat, *, graph: ox.NamedNode | None = None) -> None:
        if graph is not None:
            output.write(self._get_graph(graph, fmt))
            return
        ox.serialize(self.quads(), output, fmt)

    def named_graphs(self) -> list[str]:
        return sorted(r["g"].value for r in self._select("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
                      if isinstance(r["g"], ox.NamedNode))

    def _has_articles(self) -> bool:
        return self._ask(f"ASK {{ GRAPH ?g {{ ?g a {KG.Article} }} }}")

    def _article_value(self, graph: str, predicate: ox.NamedNode) -> str | None:
        q = next(self.quads_for_pattern(None, predicate, None, ox.NamedNode(graph)), None)
        return q.object.value if q is not None else None

    def article_hash(self, graph: str) -> str | None:
        return self._article_value(graph, KG.contentHash)

    def article_source(self, graph: str) -> str | None:
        """The file the stored article was read from (kg:sourceFile), if kg knows."""
        return self._article_value(graph, KG.sourceFile)

    def stats(self) -> dict[str, int]:
        """Articles, actors, statements, relations and quads of the article graphs, from the summary's totals."""
        totals = summary.totals(self._reader.totals())
        return {"articles": totals["articleCount"], "entities": totals["actorCount"],
                "statements": totals["statementCount"], "relations": totals["relationCount"],
                "triples": totals["quadCount"]}

    def summary_current(self) -> bool:
        """Whether the summary and the fact keys are there, written by this version of kg."""
        state = {q.predicate: q.object.value for q in self._reader.totals()}
        return state.get(KG.keysVersion) == summary.KEYS_VERSION and state.get(KG.summaryVersion) == summary.VERSION

    # --- writing ------------------------------------------------------------------------------------------------

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"{self.url} was opened to be read; open it to write (kg build, kg remove)")

    def _recover(self) -> None:
        """Bring a summary or keys written by another version of kg (or none, beside articles) up to date, as
        the embedded store does when it opens."""
        if self.summary_current() or not self._has_articles():
            return
        state = {q.predicate: q.object.value for q in self._reader.totals()}
        if state.get(KG.keysVersion) != summary.KEYS_VERSION:
            from kg.rdf.mapping import KEY_PREDICATES

            for graph in self.named_graphs():
                if graph in SPECIAL_GRAPHS:
                    continue
                quads = self._graph(ox.NamedNode(graph))
                old = [q for q in quads if q.predicate.value in KEY_PREDICATES]
                new = fact_keys(graph, [q for q in quads if q.predicate.value not in KEY_PREDICATES])
                if set(old) != set(new):
                    updates = ([f"DELETE DATA {{ {_terms(old)} }}"] if old else []) + \
                              ([f"INSERT DATA {{ {_terms(new)} }}"] if new else [])
                    self._update(" ;\n".join(updates), f"update the keys of {graph}")
        self.rebuild_summary()

    def rebuild_summary(self) -> None:
        """Compute the summary from every article graph and write it in place of the old one, in one update."""
        self._writable()
        quads = summary.rebuild(self)
        self._update(f"DROP SILENT GRAPH {SUMMARY_GRAPH} ;\nINSERT DATA {{\n{_terms(quads)}\n}}", "write the summary")

    def replace_article(self, graph: str, quads: Iterable[ox.Quad]) -> None:
        """Drop the graph and insert the new quads in one update (the ontology's graph, the enrichment graph)."""
        self._writable()
        body = _terms(quads)
        self._update(f"DROP SILENT GRAPH <{graph}> ;\nINSERT DATA {{\n{body}\n}}", f"write graph {graph}")

    def write_articles(self, graphs: Sequence[ArticleGraph]) -> None:
        """Store article graphs, each in one update request that replaces its old graph and brings the summary
        in step with it."""
        self._writable()
        for g in graphs:
            old = self._graph(ox.NamedNode(g.iri))
            olds, news = ([article_part(g.iri, old)] if old else []), [_part_of(g)]
            deletes, inserts = self._changes(olds, news)
            parts = [f"DROP SILENT GRAPH <{g.iri}>", "INSERT DATA {\n" + _graph_data(g) + "\n}"]
            if deletes:
                parts.append(f"DELETE DATA {{\n{_terms(deletes)}\n}}")
            if inserts:
                parts.append(f"INSERT DATA {{\n{_terms(inserts)}\n}}")
            self._update(" ;\n".join(parts), f"write the graph of article {g.article_id!r}")

    def _changes(self, olds: list, news: list) -> tuple[set, set]:
        """The summary quads to delete and insert (:func:`summary.changes`), from rows read in one request."""
        self._reader.prefetch(olds + news)
        try:
            return summary.changes(self._reader, olds, news)
        finally:
            self._reader.forget()

    def remove_article(self, graph: str) -> bool:
        """Remove one article's graph and its share of the summary, in one update; False if there is no such
        article."""
        self._writable()
        old = self._graph(ox.NamedNode(graph))
        if not old:
            return False
        deletes, inserts = self._changes([article_part(graph, old)], [])
        parts = [f"DROP SILENT GRAPH <{graph}>"]
        if deletes:
            parts.append(f"DELETE DATA {{\n{_terms(deletes)}\n}}")
        if inserts:
            parts.append(f"INSERT DATA {{\n{_terms(inserts)}\n}}")
        self._update(" ;\n".join(parts), f"remove {graph}")
        return True

    def ensure_ontology(self, turtle: bytes) -> None:
        """Load the ontology into its own graph when it is missing or has changed."""
        import hashlib

        digest = hashlib.sha256(turtle).hexdigest()
        marker = ox.Quad(ONTOLOGY_GRAPH, KG.contentHash, ox.Literal(digest), ONTOLOGY_GRAPH)
        if marker in self:
            return
        quads = [ox.Quad(t.subject, t.predicate, t.object, ONTOLOGY_GRAPH)
                 for t in ox.parse(turtle, format=ox.RdfFormat.TURTLE)]
        self.replace_article(ONTOLOGY_GRAPH.value, quads + [marker])

    def finish(self, *, compact: bool = True) -> None:
        """Nothing to finish: every write is whole when its request returns."""

    def compact(self) -> None:
        raise StoreError(f"kg compact works on an embedded store; {self.url} is a server, which manages its own "
                         "storage")

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "RemoteStore":
        return self

    def __exit__(self, kind, error, trace) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"RemoteStore({self.url!r})"


class _RemoteReader(_Reader):
    """The summary upkeep's reads as SPARQL queries. Before the summary changes of an article are computed,
    the summary rows they read (its actors', positions', holdings', relation types', days' and its own, and the
    totals) are fetched in one request (:meth:`prefetch`); the other reads are one request each."""

    def __init__(self, store: RemoteStore):
        super().__init__(store)
        self._remote = store
        self._rows: dict[str, list[ox.Quad]] | None = None  # subject -> its summary quads, while prefetched
        self._actors: set[str] = set()

    def prefetch(self, parts: Sequence) -> None:
        """Fetch the summary rows that :func:`summary.changes` of ``parts`` reads, in one request."""
        actors = set().union(*(p.actors for p in parts))
        subjects = {STATE.value} | {p.iri for p in parts} | actors
        for p in parts:
            subjects |= set(p.position_facts) | set(p.relation_types) | set(p.speaker_days)
            subjects |= {mapping.holding_node(node, actor) for node, actor in p.holdings}
        values = " ".join(str(ox.NamedNode(x)) for x in sorted(subjects))
        query = f"SELECT ?s ?p ?o WHERE {{ GRAPH {SUMMARY_GRAPH} {{ {{ VALUES ?s {{ {values} }} ?s ?p ?o }}"
        if actors:
            query += f" UNION {{ VALUES ?a {{ {' '.join(str(ox.NamedNode(a)) for a in sorted(actors))} }} " \
                     f"?s {KG.actor} ?a ; ?p ?o }}"
        rows: dict[str, list[ox.Quad]] = {x: [] for x in subjects}
        for r in self._remote._select(query + " } }"):
            quad = ox.Quad(r["s"], r["p"], r["o"], SUMMARY_GRAPH)
            rows.setdefault(r["s"].value, [])
            if quad not in rows[r["s"].value]:
                rows[r["s"].value].append(quad)
        self._rows, self._actors = rows, actors

    def forget(self) -> None:
        self._rows, self._actors = None, set()

    def summary_quads(self, subject):
        if self._rows is not None and subject in self._rows:
            return list(self._rows[subject])
        return super().summary_quads(subject)

    def article_row(self, article):
        return self.summary_quads(article)

    def totals(self):
        return [q for q in self.summary_quads(STATE.value) if q.predicate != KG.pendingArticle]

    def row(self, actor: str):
        a = ox.NamedNode(actor)
        if self._rows is not None and actor in self._actors:
            quads = list(self._rows[actor])
            if not quads:
                return None, []
            for node, node_quads in self._rows.items():
                if any(q.predicate == KG.actor and q.object == a for q in node_quads):
                    quads += node_quads
            return summary.row_of(actor, quads), quads
        rows = self._remote._select(f"""SELECT ?s ?p ?o WHERE {{ GRAPH {SUMMARY_GRAPH} {{
            {{ VALUES ?s {{ {a} }} ?s ?p ?o }} UNION {{ ?s {KG.actor} {a} ; ?p ?o }} }} }}""")
        quads = [ox.Quad(r["s"], r["p"], r["o"], SUMMARY_GRAPH) for r in rows]
        if not any(q.subject == a for q in quads):
            return None, []
        return summary.row_of(actor, quads), quads

    def active_graphs(self, actor, outside):
        preds = "|".join(str(p) for p in (KG.denotes, KG.speaker, KG.subject, KG.object, KG.about))
        for r in self._remote._select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?x {preds} {ox.NamedNode(actor)} }} }}"):
            g = r["g"]
            if isinstance(g, ox.NamedNode) and g.value not in outside and g.value not in SPECIAL_GRAPHS:
                yield g.value

    def key_candidates(self, keys_, outside):
        out: dict[str, dict[str, tuple[int, bool, bool]]] = {}
        if not keys_:
            return out
        values = " ".join(str(ox.Literal(k)) for k in sorted(keys_))
        rows = self._remote._select(f"""SELECT ?k ?a ?n ?label ?name WHERE {{ GRAPH {SUMMARY_GRAPH} {{
            VALUES ?k {{ {values} }}
            ?a {KG.formKey} ?k .
            OPTIONAL {{ ?a {KG.mentionCount} ?n }}
            BIND(EXISTS {{ ?a {KG.labelKey} ?k }} AS ?label)
            BIND(EXISTS {{ ?a {KG.nameKey} ?k }} AS ?name) }} }}""")
        for r in rows:
            a = r["a"].value
            if a in outside:
                continue
            count = int(r["n"].value) if r["n"] is not None else 0
            out.setdefault(r["k"].value, {})[a] = (count, r["label"].value == "true", r["name"].value == "true")
        return out
