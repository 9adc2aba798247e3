"""The web application of ``kg serve``: Starlette routes over a read-only snapshot of the store.

- ``/sparql``: the SPARQL 1.1 Protocol (GET and POST, queries only; :mod:`kg.serve.endpoint`), and a query form
  for a browser that asks for HTML;
- ``/api/queries`` and ``/api/queries/NAME``: the saved queries, with ``kg query``'s parameters, paging
  (``limit``, ``offset``) and results formats (``format`` or Accept: json, csv, tsv); the total in
  ``X-Total-Count``;
- the UI: ``/`` (search and the most mentioned actors), ``/actor/..``, ``/article/..``, ``/queries`` and
  ``/queries/NAME``, ``/conflicts``.

The store is read through a snapshot (:func:`kg.store.open_reader`) that holds no lock, so a build can write
meanwhile; a new snapshot is taken when the store's files change. A remote store (a SPARQL 1.1 server) is read
over HTTP, and read again when its totals change (:class:`Snapshot`). Every page is a Jinja2 template with
autoescaping: article text, labels and parameters are data, never markup.
"""
from __future__ import annotations

import hmac
import json
import threading
import time
from collections import OrderedDict
from dataclasses import replace
from pathlib import Path
from urllib.parse import parse_qs, urlencode

import jinja2
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from kg import network, queries
from kg.errors import KgError, QueryError, StoreError
from kg.serve import endpoint, pages

HERE = Path(__file__).resolve().parent
PAGE = 50  # rows of a table page in the UI
ACTOR_TABLE = 20  # rows of each table of an actor page
TOKEN_COOKIE = "kg_token"
CACHED_ANSWERS = 2048  # pages of saved-query answers kept per snapshot
CACHED_ROWS = 1000  # longer answers (a whole csv) are not kept
CACHED_BYTES = 1_000_000


class View:
    """One snapshot of the store and what was read from it: pages of saved queries (short ones kept, each read
    once however many ask for it at the same time), and the search index of names. A request works on the view
    it started with, so nothing read from an older snapshot is kept for a newer one."""

    def __init__(self, store):
        self.store = store
        self._lock = threading.Lock()
        self._kept: OrderedDict = OrderedDict()  # key -> value, latest last
        self._running: dict[tuple, threading.Event] = {}  # pages being read now
        self._names: pages.NameIndex | None = None

    def kept(self, key: tuple):
        with self._lock:
            value = self._kept.get(key)
            if value is not None:
                self._kept.move_to_end(key)
            return value

    def keep(self, key: tuple, value) -> None:
        with self._lock:
            self._kept[key] = value
            while len(self._kept) > CACHED_ANSWERS:
                self._kept.popitem(last=False)

    def answer(self, name: str, params: dict, limit: int | None, offset: int, base_iri: str
               ) -> tuple[queries.Answer, bool]:
        """A page of a saved query's answer, and whether it was kept from an earlier request."""
        key = ("answer", name, tuple(sorted(params.items())), limit, offset)
        a = self.kept(key)
        if a is not None:
            return a, True
        with self._lock:  # one reading per page: a burst of clients asking the same page reads it once
            running = self._running.get(key)
            mine = running is None
            if mine:
                running = self._running[key] = threading.Event()
        if not mine:
            running.wait(600)
            a = self.kept(key)
            if a is not None:
                return a, True
        try:
            counted = ("total", name, key[2])  # the other pages of the answer need not count it again
            a = queries.answer(self.store, name, params, limit=limit, offset=offset, base_iri=base_iri,
                               total=self.kept(counted))
            self.keep(counted, a.total)
            if len(a.rows) <= CACHED_ROWS:
                self.keep(key, a)
        finally:
            if mine:
                with self._lock:
                    self._running.pop(key, None)
                running.set()
        return a, False

    def names(self) -> pages.NameIndex:
        if self._names is None:  # two requests may both read it at first: the same index
            self._names = pages.NameIndex.load(self.store)
        return self._names


class Snapshot:
    """The store as last read (a :class:`View`), taken again when it changes (checked at most once a second).

    An on-disk store changes when its files do. A remote store (a SPARQL server, ``--store URL``) cannot be
    watched: its summary's totals are read instead, and a view is kept at most :data:`REMOTE_VIEW` seconds, so
    that a change the totals miss (an article replaced by one of the same size) shows within that time."""

    def __init__(self, path: str, base: str):
        from kg.store import open_store
        from kg.store.remote import is_remote

        self.path, self.base = path, base
        self.remote = is_remote(path)
        self._open = lambda: open_store(path, reader=True)
        self._lock = threading.Lock()
        self._view = View(self._open())
        self._seen = self._state(self._view.store)
        self._checked = self._taken = time.monotonic()

    def _state(self, store) -> tuple:
        from kg.store import _files

        return tuple(sorted(store.stats().items())) if self.remote else _files(Path(self.path))

    def view(self) -> View:
        now = time.monotonic()
        if now - self._checked >= 1.0:
            with self._lock:
                if now - self._checked >= 1.0:
                    self._checked = now
                    state = self._state(self._view.store)
                    if state != self._seen or (self.remote and now - self._taken >= REMOTE_VIEW):
                        # the old view is dropped, not closed: a request may still be reading it
                        self._view, self._seen, self._taken = View(self._open()), state, now
        return self._view

    def get(self):
        return self.view().store


REMOTE_VIEW = 30.0  # seconds a view of a remote store is kept at most


def _templates() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["plain"] = queries.plain
    env.filters["thousands"] = lambda n: f"{int(n or 0):,}"
    env.filters["local"] = pages.local_name
    return env


def create_app(store_path: str, *, base_iri: str, token: str | None = None, timeout: float = 30.0,
               max_rows: int = 100_000, max_body: int = 1_000_000) -> Starlette:
    """The application over the store at ``store_path``. ``token``: every request must carry it (as a bearer
    token, or the cookie the /login form sets). ``timeout`` and ``max_rows`` bound a SPARQL query; ``max_body``
    bounds a request's body."""
    snapshot = Snapshot(store_path, base_iri)
    saved = queries.saved_queries()
    # the search index of every name (a quarter of a second on 10,000 articles) is read before the first search
    threading.Thread(target=lambda: snapshot.view().names(), daemon=True).start()
    env = _templates()

    def render(request: Request, name: str, status: int = 200, **context) -> HTMLResponse:
        context.setdefault("title", "kg")
        html = env.get_template(name).render(request=request, base=base_iri, pages=pages, **context)
        return HTMLResponse(html, status_code=status)

    def problem(request: Request, message: str, status: int = 400) -> Response:
        if _wants_html(request):
            return render(request, "error.html", status, title="kg: error", message=message)
        return JSONResponse({"error": message}, status_code=status)

    # --- SPARQL ----------------------------------------------------------------------------------------------

    async def sparql(request: Request) -> Response:
        if request.method == "POST":
            ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
            body = await _body(request, max_body)
            if body is None:
                return problem(request, f"the request body is larger than {max_body:,} bytes", 413)
            if ctype == "application/sparql-update":
                return problem(request, "this endpoint answers queries only; kg changes the store through kg build, "
                                        "kg remove and kg enrich", 403)
            if ctype == "application/sparql-query":
                text, params = body.decode("utf-8", "replace"), dict(request.query_params)
            elif ctype == "application/x-www-form-urlencoded":
                form = {k: v[-1] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
                if "update" in form:
                    return problem(request, "this endpoint answers queries only; kg changes the store through "
                                            "kg build, kg remove and kg enrich", 403)
                text, params = form.get("query", ""), {**dict(request.query_params), **form}
            else:
                return problem(request, "POST a query as application/sparql-query or as the 'query' field of "
                                        "application/x-www-form-urlencoded", 415)
        else:
            params = dict(request.query_params)
            text = params.get("query", "")
            if "update" in params:
                return problem(request, "this endpoint answers queries only", 403)
            if not text:
                return render(request, "sparql.html", title="kg: SPARQL", query=_EXAMPLE_QUERY, result=None)
        if "default-graph-uri" in params or "named-graph-uri" in params:
            return problem(request, "default-graph-uri and named-graph-uri are not supported: the default graph "
                                    "is the union of the store's graphs; use GRAPH in the query", 400)
        html = params.get("format") == "html"
        try:
            kind = endpoint.check(text)
            fmt = "json" if html and kind in ("SELECT", "ASK") else "turtle" if html else \
                endpoint.negotiate(request.headers.get("accept", ""), kind, params.get("format"))
            result = await _in_thread(endpoint.run, snapshot.path, text, fmt, max_rows=max_rows, timeout=timeout)
        except endpoint.NotAcceptable as exc:
            return problem(request, _message(exc), 406)
        except endpoint.Timeout as exc:
            return problem(request, _message(exc), 503)
        except KgError as exc:
            if html:
                return render(request, "sparql.html", 400, title="kg: SPARQL", query=text, result=None,
                              error=_message(exc))
            return problem(request, _message(exc), 400)
        if html:
            return render(request, "sparql.html", title="kg: SPARQL", query=text, result=_html_result(kind, result))
        return Response(result.body, media_type=result.media_type, headers={"X-Row-Count": str(result.rows)})

    # --- saved queries over HTTP -----------------------------------------------------------------------------

    def api_list(request: Request) -> Response:
        return JSONResponse([_describe(q) for q in queries.saved_queries().values()])

    async def api_query(request: Request) -> Response:
        name = request.path_params["name"]
        params = dict(request.query_params)
        try:
            fmt = _results_format(params.pop("format", None), request.headers.get("accept", ""))
        except QueryError as exc:
            return JSONResponse({"error": _message(exc)}, status_code=406)
        try:
            limit, offset = _paging(params)
        except QueryError as exc:
            return JSONResponse({"error": _message(exc)}, status_code=400)
        if name not in saved:
            return JSONResponse({"error": f"unknown query {name!r}; /api/queries lists them"}, status_code=404)
        view = snapshot.view()
        # a page asked before is sent as it was serialised, without a thread or a query
        key = ("page", name, tuple(sorted(params.items())), limit, offset, fmt, str(request.url.path))
        page = view.kept(key)
        if page is None:
            try:
                page = await _in_thread(_page, view, name, params, limit, offset, fmt, request, base_iri, max_rows)
            except QueryError as exc:
                return JSONResponse({"error": _message(exc)}, status_code=400)
            if len(page[0]) <= CACHED_BYTES:
                view.keep(key, page)
            hit = "miss"
        else:
            hit = "hit"
        body, headers = page
        return Response(body, media_type=_RESULT_TYPES[fmt], headers={**headers, "X-KG-Cache": hit})

    # --- the UI ----------------------------------------------------------------------------------------------

    async def home(request: Request) -> Response:
        q = request.query_params.get("q", "").strip()
        found = None
        view = snapshot.view()
        if q:
            found = await _in_thread(lambda: pages.actor_cards(view.store, view.names().search(q, 50)))
        top = await _in_thread(_answer, view, "actors", {}, 20, 0, base_iri)
        return render(request, "home.html", q=q, found=found, top=_table(top, base_iri), stats=view.store.stats())

    async def actor_page(request: Request) -> Response:
        iri = pages.actor_iri(request.path_params["tail"], base_iri)
        view = snapshot.view()
        store = view.store
        row = await _in_thread(pages.actor, store, iri)
        if row is None:
            return problem(request, f"no actor {iri} in the store; search for it on the home page", 404)
        name = row["qid"] or row["label"]
        tables = {}
        for key, query, param in (("positions", "positions", "actor"), ("quotes", "quotes", "actor"),
                                  ("relations", "relations", "actor"), ("supporters", "supporters", "target"),
                                  ("opponents", "opponents", "target")):
            try:
                a = await _in_thread(_answer, view, query, {param: name}, ACTOR_TABLE, 0, base_iri)
                a = replace(a, notes=[n for n in a.notes if " actors here" in n])  # 'Q22686 is Trump' goes unsaid
                tables[key] = (_table(a, base_iri), {param: name})
            except QueryError as exc:
                tables[key] = (None, {param: name, "error": _message(exc)})
        points = await _in_thread(pages.timeline, store, iri)
        net = await _in_thread(pages.network, store, iri, base_iri)
        return render(request, "actor.html", title=f"kg: {row['label']}", actor=row, tables=tables,
                      chart=pages.chart(points), points=points, network=json.dumps(net, ensure_ascii=True),
                      edges=len(net["edges"]))

    async def article_page(request: Request) -> Response:
        iri = pages.article_iri(request.path_params["tail"], base_iri)
        a = await _in_thread(pages.article, snapshot.get(), iri)
        if a is None:
            return problem(request, f"no article {iri} in the store; the articles page lists them", 404)
        cut = pages.pieces(a["text"], a["statements"], a["relations"], a["mentions"])
        return render(request, "article.html", title=f"kg: {a['title'] or a['id']}", article=a, pieces=cut)

    def query_list(request: Request) -> Response:
        return render(request, "queries.html", title="kg: saved queries",
                      saved=[q for q in queries.saved_queries().values() if not q.online])

    async def query_page(request: Request) -> Response:
        name = request.path_params["name"]
        try:
            q = queries.get(name)
        except QueryError as exc:
            return problem(request, _message(exc), 404)
        values = {p.name: request.query_params.get(p.name, "") for p in q.params}
        asked = "run" in request.query_params or not q.params
        result, error = None, None
        if asked and not q.online:
            try:
                _, offset = _paging({"offset": request.query_params.get("offset", "")})
                a = await _in_thread(_answer, snapshot.view(), name, {k: v for k, v in values.items() if v}, PAGE,
                                     offset, base_iri)
                result = _table(a, base_iri)
            except QueryError as exc:
                error = _message(exc)
        given = {k: v for k, v in values.items() if v}
        return render(request, "query.html", title=f"kg: {name}", query=q, values=values, result=result,
                      error=error, given=given, api=f"/api/queries/{name}?{urlencode(given)}")

    async def conflicts(request: Request) -> Response:
        _, offset = _paging({"offset": request.query_params.get("offset", "")})
        a = await _in_thread(_answer, snapshot.view(), "conflicts", {}, PAGE, offset, base_iri)
        return render(request, "conflicts.html", title="kg: conflicts", result=_table(a, base_iri))

    async def login(request: Request) -> Response:
        if request.method == "GET":
            return render(request, "login.html", title="kg: sign in")
        body = await _body(request, 10_000)
        given = parse_qs((body or b"").decode("utf-8", "replace")).get("token", [""])[-1]
        if not token or not hmac.compare_digest(given.encode(), token.encode()):
            return render(request, "login.html", 401, title="kg: sign in", error="wrong token")
        response = RedirectResponse("/", status_code=303)
        response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
        return response

    routes = [
        Route("/", home),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/api/queries", api_list),
        Route("/api/queries/{name}", api_query),
        Route("/actor/{tail:path}", actor_page),
        Route("/article/{tail:path}", article_page),
        Route("/queries", query_list),
        Route("/queries/{name}", query_page),
        Route("/conflicts", conflicts),
        Route("/login", login, methods=["GET", "POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    middleware = [Middleware(_SecurityHeaders)] + ([Middleware(_TokenGate, token=token)] if token else [])

    async def failed(request: Request, exc: KgError) -> Response:
        # a store a build holds for its first write, a query that cannot be run: one line, not a traceback
        return problem(request, _message(exc), 503 if isinstance(exc, StoreError) else 400)

    app = Starlette(routes=routes, middleware=middleware,
                    exception_handlers={404: _not_found(render), KgError: failed})
    app.state.snapshot = snapshot
    return app


# --- helpers -----------------------------------------------------------------------------------------------------

_SECURITY_HEADERS = {
    # the pages load scripts and styles from kg itself only; inline scripts are not run (the one inline style
    # allowed is the <style> element cytoscape.js adds, by its hash)
    "Content-Security-Policy": f"default-src 'self'; img-src 'self' data:; style-src 'self' "
                               f"{network.csp_hash(network.LIBRARY_STYLE)}; script-src 'self'; "
                               "object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
_RESULT_TYPES = {"json": "application/sparql-results+json", "csv": "text/csv; charset=utf-8",
                 "tsv": "text/tab-separated-values; charset=utf-8"}
_EXAMPLE_QUERY = """SELECT ?label ?mentions WHERE {
  GRAPH kgg:summary { ?actor rdfs:label ?label ; kg:mentionCount ?mentions }
}
ORDER BY DESC(?mentions)
LIMIT 10"""


class _SecurityHeaders:
    """The security headers on every response (pages, SPARQL and API answers, errors), not only on pages."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message):
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (k.lower().encode(), v.encode()) for k, v in _SECURITY_HEADERS.items()
                    if k.lower().encode() not in names]
            await send(message)
        await self.app(scope, receive, with_headers)


class _TokenGate:
    """Every request carries the token: ``Authorization: Bearer TOKEN``, or the cookie /login sets."""

    def __init__(self, app, token: str):
        self.app, self.token = app, token.encode()

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"] in ("/login",) or scope["path"].startswith("/static/"):
            return await self.app(scope, receive, send)
        request = Request(scope)
        auth = request.headers.get("authorization", "")
        given = auth[7:].strip() if auth.lower().startswith("bearer ") else request.cookies.get(TOKEN_COOKIE, "")
        if given and hmac.compare_digest(given.encode(), self.token):
            return await self.app(scope, receive, send)
        if _wants_html(request):
            response = RedirectResponse("/login", status_code=303)
        else:
            response = JSONResponse({"error": "this server needs a token: send 'Authorization: Bearer TOKEN'"},
                                    status_code=401, headers={"WWW-Authenticate": 'Bearer realm="kg"'})
        await response(scope, receive, send)


def _not_found(render):
    async def handler(request: Request, exc) -> Response:
        if _wants_html(request):
            return render(request, "error.html", 404, title="kg: not found", message=f"no page {request.url.path}")
        return JSONResponse({"error": f"no resource {request.url.path}"}, status_code=404)
    return handler


def _wants_html(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "text/html" in accept and not request.url.path.startswith("/api/")


def _message(exc: Exception) -> str:
    text = str(exc)
    return text.split("] ", 1)[1] if text.startswith("[E") and "] " in text else text


async def _body(request: Request, limit: int) -> bytes | None:
    """The request's body, or None when it is longer than ``limit`` bytes (read no further)."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


async def _in_thread(fn, *args, **kwargs):
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(fn, *args, **kwargs)


def _page(view: View, name: str, params: dict, limit: int | None, offset: int, fmt: str, request: Request,
          base_iri: str, max_rows: int) -> tuple[bytes, dict]:
    """A page of a saved query as the API sends it: the body in ``fmt``, and the headers of its total and paging.
    A whole answer (no ``limit``) longer than ``max_rows`` is an error, as on the SPARQL endpoint."""
    a, _ = _cached(view, name, params, max_rows + 1 if limit is None else min(limit, max_rows), offset, base_iri)
    if limit is None and len(a.rows) > max_rows:
        raise QueryError(f"the answer has {a.total:,} rows, more than the server's cap of {max_rows:,}; ask for "
                         "pages with limit and offset")
    headers = {"X-Total-Count": str(a.total), "X-Offset": str(a.offset)}
    if a.notes:
        headers["X-KG-Notes"] = json.dumps(a.notes, ensure_ascii=True)
    if limit is not None and a.offset + len(a.rows) < a.total:
        more = {**dict(request.query_params), "offset": a.offset + len(a.rows), "limit": limit}
        headers["Link"] = f'<{request.url.path}?{urlencode(more)}>; rel="next"'
    return queries.results(a.columns, a.rows, fmt), headers


def _answer(view: View, name: str, params: dict, limit: int | None, offset: int, base_iri: str):
    return _cached(view, name, params, limit, offset, base_iri)[0]


def _cached(view: View, name: str, params: dict, limit: int | None, offset: int, base_iri: str):
    q = queries.get(name)
    if q.online:
        raise QueryError(f"query {name!r} calls a remote endpoint; kg serve runs the store's own queries only")
    return view.answer(name, params, limit, offset, base_iri)


def _results_format(given: str | None, accept: str) -> str:
    if given:
        if given not in _RESULT_TYPES:
            raise QueryError(f"unknown results format {given!r}; use one of json, csv, tsv")
        return given
    for media in (a.split(";")[0].strip().lower() for a in accept.split(",")):
        for fmt, full in _RESULT_TYPES.items():
            if media == full.split(";")[0] or (fmt == "json" and media == "application/json"):
                return fmt
    return "json"


def _paging(params: dict) -> tuple[int | None, int]:
    def number(key: str) -> int | None:
        value = params.pop(key, None)
        if value in (None, ""):
            return None
        if not value.isdigit():
            raise QueryError(f"{key}={value!r} is not a number of rows (0 or more)")
        return int(value)

    limit, offset = number("limit"), number("offset")
    return limit, offset or 0


def _describe(q: queries.SavedQuery) -> dict:
    return {"name": q.name, "description": q.description, "example": q.example, "online": q.online,
            "params": [{"name": p.name, "description": p.description, "optional": p.optional} for p in q.params],
            "href": f"/api/queries/{q.name}"}


def _table(a: queries.Answer, base: str) -> dict:
    """A page of an answer for a template: the visible columns, and per row its cells, each with a link when
    it is an actor, an article, a statement or a relation."""
    keep = [i for i, c in enumerate(a.columns) if c not in a.params and not c.endswith("_iri")
            and c not in ("statement", "relation", "fact", "actor", "article_iri")]
    rows = []
    for r in a.rows:
        row = dict(zip(a.columns, r))
        fact = next((queries.plain(row[c]) for c in ("statement", "relation", "fact", "fact_iri") if row.get(c)), "")
        article = queries.plain(row.get("article"))
        cells = []
        for i in keep:
            term, column = r[i], a.columns[i]
            text, href = queries.plain(term), None
            if term is not None and term.__class__.__name__ == "NamedNode":
                href = pages.actor_path(text, base) or pages.article_path(text, base)
            elif column in ("label", "speaker", "supporter", "opponent", "subject") and row.get(f"{column}_iri"):
                href = pages.actor_path(queries.plain(row[f"{column}_iri"]), base)
            elif column == "label" and row.get("actor_iri"):
                href = pages.actor_path(queries.plain(row["actor_iri"]), base)
            elif column in ("text", "quote", "evidence", "sentence") and fact and article:
                href = pages.article_link(article, fact)
            elif column in ("article", "id") and text and "://" not in text:
                href = pages.article_link(text)
            badge = _BADGES.get(pages.local_name(text)) if column in ("stance", "via") else None
            cells.append({"text": text, "href": href, "column": column, "badge": badge})
        rows.append({"cells": cells, "stance": next((c["badge"] for c in cells if c["badge"]), "")})
    return {"columns": [a.columns[i] for i in keep], "rows": rows, "total": a.total, "offset": a.offset,
            "notes": a.notes}


# a stance or relation type -> the colour of its badge
_BADGES = {"support": "support", "supports": "support", "oppose": "oppose", "opposes": "oppose", "warn": "warn",
           "warns": "warn", "deny": "deny", "denies": "deny", "assert": "assert", "accuse": "oppose",
           "accuses": "oppose", "praise": "support", "criticize": "oppose"}


def _html_result(kind: str, result: endpoint.Result) -> dict:
    if kind in ("CONSTRUCT", "DESCRIBE"):
        return {"turtle": result.body.decode("utf-8")}
    data = json.loads(result.body)
    if "boolean" in data:
        return {"boolean": data["boolean"]}
    columns = data["head"]["vars"]
    return {"columns": columns, "rows": [[b.get(c, {}).get("value", "") for c in columns]
                                         for b in data["results"]["bindings"]]}
