"""Stage 7, query: saved SPARQL queries (``queries/*.rq``) with a comment header of name, description,
parameters and an example; parameters are bound with pyoxigraph substitutions, never pasted into the text.

How a query stays fast on a big store (see the queries' own comments):

- A name parameter (``actor``, ``target``, ``country``) is looked up in the summary graph under its name key
  (:func:`kg.rdf.keys.query_keys`); the query gets the key as ``?<param>_key`` and as ``?<param>``, so that
  the same file run as plain SPARQL (with the lower-cased name) gives the same answer.
- A query pages inside, between the lines ``# page: begin`` and ``# page: end`` of its innermost ordered
  subquery: kg puts ``LIMIT``/``OFFSET`` at the end line, and counts the whole answer with that block alone.
  A query without the lines is read whole (in chunks) and cut in Python.
- A query may read a window inside its page block: an ordered subquery whose first rows are enough for the
  block's first rows (the first articles that gave facts, each of which gives at least one row; the first
  statements of each office holder), ended by the line ``# window: end``, where kg puts
  ``LIMIT offset + rows wanted``, or ``# window: end + K`` for K more. Such a query has a header line
  ``# total: SELECT ?kg_total ...`` that counts the whole answer from the summary; kg uses it when it gives a
  row, else counts the page block.
- A parameter declared ``# param: type? in kg:RelationTypes - ...`` takes only the concepts of that SKOS scheme,
  by local name or skos:prefLabel in any case; another value is an error that lists them, not an empty answer.
- A query may have such a total line without a window: one that counts the answer's facts from the summary's
  position rows where the page block would also fetch each fact's details. It may go on over the next header
  lines, each indented after the ``#``.
"""
from __future__ import annotations

import csv
import difflib
import functools
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pyoxigraph as ox

from kg import resources
from kg.errors import QueryError
from kg.rdf.keys import query_keys, topic_words
from kg.rdf.namespaces import KG, PREFIXES, RDF, RDFS, SKOS, SUMMARY_GRAPH

FORMATS = ("table", "csv", "tsv", "json")
TABLE_PAGE = 50  # rows a table shows unless --limit says otherwise


@dataclass(frozen=True)
class Param:
    name: str
    description: str
    optional: bool
    scheme: str = ""  # a SKOS concept scheme (``kg:RelationTypes``) whose concepts are the only values


@dataclass(frozen=True)
class SavedQuery:
    name: str
    description: str
    params: tuple[Param, ...]
    example: str
    text: str
    path: Path
    online: bool = False  # needs the network (a SERVICE call to a remote endpoint)
    total: str = ""  # a SELECT of ?kg_total that counts the whole answer from the summary (the `# total:` line)

    def helper(self, param: str, suffix: str) -> bool:
        """Whether the query takes ``?<param>_<suffix>`` from kg: a name's key, the name as typed, its first
        word, or the IRI of the fact a parameter names."""
        return re.search(rf"\?{param}_{suffix}\b", self.text) is not None


_HEADER = re.compile(r"#\s*(name|description|param|example|online|total):\s*(.*)")
_PARAM = re.compile(r"(\w+)(\?)?(?:\s+in\s+(\S+))?\s*(?:-\s*(.*))?")
_PAGE_BEGIN = re.compile(r"^[ \t]*# page: begin[ \t]*$", re.MULTILINE)
_PAGE_END = re.compile(r"^[ \t]*# page: end[ \t]*$", re.MULTILINE)
_WINDOW_END = re.compile(r"^[ \t]*# window: end(?: \+ (\d+))?[ \t]*$", re.MULTILINE)


def parse(path: Path) -> SavedQuery:
    """Read a saved query and its header."""
    text = path.read_text(encoding="utf-8")
    fields: dict[str, str] = {}
    params = []
    last = ""
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        if last == "total" and line.startswith("#  "):  # a long total line goes on, indented
            fields["total"] += " " + line[1:].strip()
            continue
        m = _HEADER.match(line)
        last = m.group(1) if m else ""
        if not m:
            continue
        key, value = m.group(1), m.group(2).strip()
        if key == "param":
            p = _PARAM.match(value)
            if p:
                params.append(Param(p.group(1), (p.group(4) or "").strip(), bool(p.group(2)), p.group(3) or ""))
        else:
            fields[key] = value
    return SavedQuery(fields.get("name", path.stem), fields.get("description", ""), tuple(params),
                      fields.get("example", ""), text, path, fields.get("online", "").lower() in ("yes", "true"),
                      fields.get("total", ""))


def saved_queries(folder: Path | None = None) -> dict[str, SavedQuery]:
    return dict(_read_queries(folder or resources.folder("queries")))


@functools.cache
def _read_queries(folder: Path) -> dict[str, SavedQuery]:
    # read once per process: kg serve asks at every request, and the queries change only with kg itself
    return {q.name: q for q in (parse(p) for p in sorted(folder.glob("*.rq")))}


def get(name: str) -> SavedQuery:
    queries = saved_queries()
    if name not in queries:
        raise QueryError(f"unknown query {name!r}; 'kg queries' lists them: {', '.join(queries)}")
    return queries[name]


# --- parameters --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Actor:
    iri: str
    label: str
    qid: str | None
    articles: int

    def __str__(self) -> str:
        what = self.qid or "unlinked"
        return f"{self.label} ({what}, {self.articles} article{'s' if self.articles != 1 else ''})"


@dataclass
class Binding:
    """Substitutions for a query, and what a reader should know about them (which actors a name picked)."""

    substitutions: dict[ox.Variable, ox.Term] = field(default_factory=dict)
    echo: dict[str, str] = field(default_factory=dict)  # parameter -> the value as the user gave it
    notes: list[str] = field(default_factory=list)


def bind(query: SavedQuery, params: dict[str, str], store=None, *, base_iri: str | None = None) -> Binding:
    """Check the parameters and turn them into substitutions. With a store, names are looked up under their
    keys (a name no actor bears is an error, with the nearest names), a fact is found by the end of its IRI,
    and a date may be partial ('2018' is 2018-01-01)."""
    known = {p.name for p in query.params}
    unknown = sorted(set(params) - known)
    if unknown:
        hint = ", ".join(p.name for p in query.params) or "none"
        raise QueryError(f"query {query.name!r} has no parameter {unknown[0]!r}; its parameters: {hint}")
    missing = [p.name for p in query.params if not p.optional and not params.get(p.name)]
    if missing:
        raise QueryError(f"query {query.name!r} needs --param {missing[0]}=VALUE "
                         f"({next(p.description for p in query.params if p.name == missing[0])})")
    out = Binding()
    for p in query.params:
        value = params.get(p.name, "")
        if value:
            out.echo[p.name] = value
        if query.helper(p.name, "key"):
            _bind_name(query, p.name, value, store, out)
        elif p.name == "since" and value:
            out.substitutions[ox.Variable(p.name)] = ox.Literal(_date(value))
        elif query.helper(p.name, "node") and store is not None:  # a fact, found by the end of its IRI
            iri = _fact(store, value, base_iri) if value else None
            out.substitutions[ox.Variable(p.name)] = ox.Literal(iri or "")
            out.substitutions[ox.Variable(f"{p.name}_node")] = ox.NamedNode(iri) if iri else SUMMARY_GRAPH
        else:  # an optional parameter not given is "": its tests are then constants the engine can fold
            if p.scheme and value and store is not None:
                _check_concept(store, query, p, value)
            out.substitutions[ox.Variable(p.name)] = ox.Literal(value)
    return out


def _bind_name(query: SavedQuery, name: str, value: str, store, out: Binding) -> None:
    key_var = ox.Variable(f"{name}_key")
    if not value:  # an optional name not given: its branch must find nothing
        out.substitutions[key_var] = ox.Literal("")
        out.substitutions[ox.Variable(name)] = ox.Literal("")
        return
    if query.helper(name, "text"):
        out.substitutions[ox.Variable(f"{name}_text")] = ox.Literal(value)
    if query.helper(name, "word"):  # the first word of a topic text, which kg:topicWord indexes
        out.substitutions[ox.Variable(f"{name}_word")] = ox.Literal(next(iter(topic_words(value)), ""))
    keys = query_keys(value) or [value.lower()]
    if store is None:
        key = keys[0]
    else:
        key, picked = next(((k, found) for k in keys if (found := _named(store, k))), (keys[0], []))
        if picked:
            chosen = {p.iri for p in picked}
            others = [a for a in _called(store, key) if a.iri not in chosen]
            head = (f"{name} {value!r} is {len(picked)} actors here: " if len(picked) > 1
                    else f"{name} {value!r} is ")
            note = head + "; ".join(map(str, picked[:5])) + (f" and {len(picked) - 5} more" if len(picked) > 5 else "")
            if others:
                note += f" (also called so: {'; '.join(a.label for a in others[:5])}" + \
                        (f" and {len(others) - 5} more" if len(others) > 5 else "") + \
                        "; give a Wikidata id or a fuller name for them)"
            out.notes.append(note)
        elif not query.helper(name, "text") and not re.fullmatch(r"[Qq][1-9][0-9]*", value):
            near = nearest(store, keys[0])
            hint = f"; did you mean {'; '.join(map(str, near))}?" if near else "; 'kg query actors' lists them"
            raise QueryError(f"no actor in the store is called {value!r}{hint}")
        else:
            out.notes.append(f"{value!r} is no actor's name: looked for in topics"
                             if query.helper(name, "text") else f"{value} is no actor of the store")
    out.substitutions[ox.Variable(name)] = ox.Literal(key)
    out.substitutions[key_var] = ox.Literal(key)


def _actors(store, iris) -> list[Actor]:
    out = []
    for iri in iris:
        a = ox.NamedNode(iri)
        # three index lookups, not the whole row: a name like 'President' may be the label of thousands
        row = {p: q.object.value for p in (RDFS.label, KG.wikidataId, KG.articleCount)
               for q in store.quads_for_pattern(a, p, None, SUMMARY_GRAPH)}
        out.append(Actor(iri, row.get(RDFS.label, iri), row.get(KG.wikidataId), int(row.get(KG.articleCount, 0))))
    return sorted(out, key=lambda a: (-a.articles, a.label))


def _named(store, key: str) -> list[Actor]:
    """The actors a name key picks (kg:nameKey: the actors it labels, and the most mentioned one it names)."""
    raw = _raw(store)
    return _actors(raw, {q.subject.value for q in raw.quads_for_pattern(None, KG.nameKey, ox.Literal(key),
                                                                         SUMMARY_GRAPH)})


def _called(store, key: str) -> list[Actor]:
    raw = _raw(store)
    return _actors(raw, {q.subject.value for q in raw.quads_for_pattern(None, KG.formKey, ox.Literal(key),
                                                                         SUMMARY_GRAPH)})


def nearest(store, key: str, n: int = 5) -> list[Actor]:
    """The actors whose names are nearest to ``key`` (for a name no actor bears: 'Donald Trmp')."""
    raw = _raw(store)
    by_key: dict[str, set[str]] = {}
    for q in raw.quads_for_pattern(None, KG.nameKey, None, SUMMARY_GRAPH):
        by_key.setdefault(q.object.value, set()).add(q.subject.value)
    close = difflib.get_close_matches(key, list(by_key), n=n, cutoff=0.75)
    if not close:  # one word of a name misspelt: 'Trmp' is near the 'trump' of 'donald trump'
        words = [w for w in key.split() if len(w) > 2]
        close = [k for k in by_key if any(difflib.get_close_matches(w, k.split(), 1, 0.8) for w in words)]
    iris = dict.fromkeys(iri for k in close for iri in sorted(by_key[k]))
    return _actors(raw, list(iris))[:n]


def _raw(store) -> ox.Store:
    """The pyoxigraph store under a kg store, with the summary of a first build written (it is written when the
    build's store is first read: a name looked up right after a build in the same process found no actor)."""
    finish = getattr(store, "finish", None)
    if finish is not None:
        finish()
    return getattr(store, "_store", store)


_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def _date(value: str) -> str:
    """'2018' -> '2018-01-01', '2018-9' -> '2018-09-01'; anything else that is not a real date is an error."""
    m = _PARTIAL_DATE.match(value.strip()[:10] if "T" in value else value.strip())
    try:
        if m:
            return date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)).isoformat()
    except ValueError:
        pass
    raise QueryError(f"--param since={value!r} is not a date; write YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2018-09-10")


def _fact(store, value: str, base_iri: str | None) -> str:
    """The IRI of the statement or relation ``value`` names: its IRI, or the end of it (the 16 hex digits)."""
    raw = _raw(store)
    candidates = [value] if "://" in value else []
    if base_iri and "://" not in value:
        candidates += [f"{base_iri}statement/{value}", f"{base_iri}relation/{value}"]
    for iri in candidates:
        try:
            node = ox.NamedNode(iri)
        except ValueError:
            continue
        if any(q.object in (KG.Statement, KG.Relation) for q in raw.quads_for_pattern(node, RDF.type, None, None)):
            return iri
    raise QueryError(f"no statement or relation {value!r} in the store; give a fact IRI or its last part, "
                     "as 'kg query provenance --iris' shows them")


def _check_concept(store, query: SavedQuery, param: Param, value: str) -> None:
    """A value that names no concept of the parameter's scheme (by local name or skos:prefLabel, in any case) is
    an error that lists the concepts: it would match nothing."""
    prefix, _, local = param.scheme.partition(":")
    scheme = ox.NamedNode(PREFIXES.get(prefix, "") + local if local else param.scheme)
    names = _concept_names(_raw(store), scheme)
    if not names:  # a store whose ontology graph predates the scheme (kg:Modes): kg's own ontology knows it
        ontology = ox.Store()
        ontology.load(resources.ontology(), format=ox.RdfFormat.TURTLE)
        names = _concept_names(ontology, scheme)
    if names and value.lower() not in names:
        choices = ", ".join(sorted(set(names.values())))
        raise QueryError(f"--param {param.name}={value!r} is none of the values query {query.name!r} knows: {choices}")


def _concept_names(store: ox.Store, scheme: ox.NamedNode) -> dict[str, str]:
    """Each name of a concept of ``scheme`` (its local name and skos:prefLabel, lower-cased) -> its local name."""
    names: dict[str, str] = {}
    for q in store.quads_for_pattern(None, SKOS.inScheme, scheme, None):
        local_name = re.sub(r"^.*[#/]", "", q.subject.value)
        names[local_name.lower()] = local_name
        for label in store.quads_for_pattern(q.subject, SKOS.prefLabel, None, None):
            names[label.object.value.lower()] = local_name
    return names


# --- running ----------------------------------------------------------------------------------------------------

@dataclass
class Answer:
    """A page of a saved query's answer. ``columns`` are all the query's columns but kg's helper ones; the
    parameter echo columns hold the values as given; ``total`` counts the whole answer."""

    columns: list[str]
    rows: list[list]
    total: int
    offset: int
    params: tuple[str, ...]  # the parameter echo columns (a table leaves them out)
    notes: list[str]


def answer(store, name: str, params: dict[str, str] | None = None, *, limit: int | None = None, offset: int = 0,
           base_iri: str | None = None, total: int | None = None) -> Answer:
    """A page of ``limit`` rows (all when None) from ``offset`` of a saved query's answer, with the total
    (``total``: the total an earlier page of the same answer from the same store gave, not counted again)."""
    if limit is not None and limit < 0 or offset < 0:
        raise QueryError("--limit and --offset must be 0 or more")
    from kg.config import Config

    query = get(name)
    binding = bind(query, params or {}, store, base_iri=base_iri or Config().base_iri)
    paged = bool(_PAGE_BEGIN.search(query.text) and _PAGE_END.search(query.text))
    if paged:
        names, rows = _paged(store, query, binding, limit, offset)
    else:
        names, rows = _rows(_run(store, query, query.text, binding))
    if not paged:
        total = len(rows)
        rows = rows[offset:offset + limit if limit is not None else None]
    elif (limit is None and not offset) or (not rows and not offset):
        total = len(rows)
    elif rows and (limit is None or len(rows) < limit):
        total = offset + len(rows)
    elif total is None:  # a full page, or a page past the end: count the whole answer
        total = _count(store, query, binding)
    helpers = {f"{p.name}_{suffix}" for p in query.params for suffix in ("key", "text", "word", "node")}
    keep = [i for i, c in enumerate(names) if c not in helpers]
    # the parameters as the user gave them (kg bound a name's key, or "" for one not given)
    echo = {names.index(p.name): ox.Literal(binding.echo[p.name]) if p.name in binding.echo else None
            for p in query.params if p.name in names}
    rows = [[echo.get(i, r[i]) for i in keep] for r in rows]
    return Answer([names[i] for i in keep], rows, total, offset, tuple(p.name for p in query.params),
                  binding.notes)


# Oxigraph plans a query before it binds the parameters, and guesses a pattern with only its predicate known
# to match a million rows. A page block with a LIMIT under that is guessed smaller, so it is read first and
# the details are looked up for its rows alone; without one, Oxigraph may read every fact of the store to
# join them. So every page block gets a LIMIT, and a longer answer is read in chunks of this size.
CHUNK = 999_999


def _paged(store, query: SavedQuery, binding: Binding, limit: int | None, offset: int):
    names, rows = [], []
    while True:
        want = CHUNK if limit is None else min(CHUNK, limit - len(rows))
        text = _PAGE_END.sub(f"LIMIT {want} OFFSET {offset + len(rows)}", query.text, count=1)
        # the first rows of a window are enough for as many rows of the page block (see the module's notes)
        text = _WINDOW_END.sub(lambda m: f"LIMIT {offset + len(rows) + want + int(m[1] or 0)}", text)
        names, chunk = _rows(_run(store, query, text, binding))
        rows += chunk
        if len(chunk) < want or (limit is not None and len(rows) >= limit):
            return names, rows


def _rows(solutions) -> tuple[list[str], list[list]]:
    names = [v.value for v in solutions.variables]
    return names, [[s[c] for c in names] for s in solutions]


@dataclass(frozen=True)
class _Solutions:
    variables: list
    solutions: list

    def __iter__(self):
        return iter(self.solutions)


def _run(store, query: SavedQuery, text: str, binding: Binding) -> _Solutions:
    """The query's solutions, read whole here: Oxigraph evaluates as they are read, so that is where it fails
    (a SERVICE endpoint that cannot be reached, a value that is no number)."""
    try:
        solutions = store.query(text, binding.substitutions or None)
        return _Solutions(solutions.variables, list(solutions))
    except (SyntaxError, ValueError, OSError, RuntimeError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        hint = "; it calls a remote endpoint: check the network" if query.online else ""
        raise QueryError(f"query {query.name!r} failed: {first}{hint}") from None


def _count(store, query: SavedQuery, binding: Binding) -> int:
    """The size of the whole answer: the query's total line if it gives a row, else the page block alone,
    counted."""
    prologue = query.text[:re.search(r"^SELECT\b", query.text, re.MULTILINE).start()]
    if query.total:
        subs = _projected(query.total, binding)
        rows = list(_run(store, query, prologue + query.total, Binding(subs)))
        if rows:
            return sum(int(s["kg_total"].value) for s in rows)
    text = _WINDOW_END.sub("", query.text)
    start, end = _PAGE_BEGIN.search(text), _PAGE_END.search(text)
    block = text[start.end():end.start()]
    block = "\n".join(line for line in block.splitlines() if not line.strip().startswith("ORDER BY"))
    subs = _projected(block, binding)
    names = " ".join(f"?{v.value}" for v in subs)
    count = f"{prologue}SELECT (COUNT(*) AS ?kg_total) {names} WHERE {{ {{ {block} }} }}"
    if subs:
        count += f" GROUP BY {names}"
    return sum(int(s["kg_total"].value) for s in _run(store, query, count, Binding(subs)))


def _projected(select: str, binding: Binding) -> dict:
    """The substitutions of the variables a SELECT projects (pyoxigraph refuses any other)."""
    head = select[:select.find("WHERE")]
    return {v: t for v, t in binding.substitutions.items() if re.search(rf"\?{v.value}\b", head)}


def run(store, name: str, params: dict[str, str] | None = None) -> tuple[list[str], list[list]]:
    """Column names (parameter echo columns left out) and every row, as pyoxigraph terms (None when unbound)."""
    a = answer(store, name, params)
    keep = [i for i, c in enumerate(a.columns) if c not in a.params]
    return [a.columns[i] for i in keep], [[r[i] for i in keep] for r in a.rows]


# --- writing answers -------------------------------------------------------------------------------------------

def plain(term) -> str:
    """A term for a human reader: the literal's text or the IRI."""
    if term is None:
        return ""
    return term.value


def table(columns: list[str], rows: list[list], *, width: int | None = 60, iris: bool = False) -> str:
    """A plain-text table, cells cut to ``width`` characters (None: whole). Columns that hold only IRIs are left
    out unless ``iris`` (csv, tsv and json keep everything)."""
    if not iris and rows:
        keep = [i for i in range(len(columns)) if not all(isinstance(r[i], ox.NamedNode) or r[i] is None for r in rows)]
        columns, rows = [columns[i] for i in keep], [[r[i] for i in keep] for r in rows]
    cells = [[_cut(plain(t), width) for t in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    line = lambda vals: "  ".join(v.ljust(w) for v, w in zip(vals, widths)).rstrip()  # noqa: E731
    out = [line(columns), line(["-" * w for w in widths])] + [line(r) for r in cells]
    return "\n".join(out)


def _cut(text: str, width: int | None) -> str:
    text = " ".join(text.split())
    return text if not width or len(text) <= width else text[: width - 1] + "…"


def results(columns: list[str], rows: list[list], fmt: str) -> bytes:
    """Rows in a W3C SPARQL 1.1 results format: csv, tsv or json."""
    if fmt == "json":
        bindings = [{c: _json_term(t) for c, t in zip(columns, r) if t is not None} for r in rows]
        return json.dumps({"head": {"vars": columns}, "results": {"bindings": bindings}},
                          ensure_ascii=False).encode("utf-8")
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(columns)
        w.writerows([_csv_term(t) for t in r] for r in rows)
        return buf.getvalue().encode("utf-8")
    if fmt == "tsv":
        lines = ["\t".join(f"?{c}" for c in columns)] + ["\t".join("" if t is None else str(t) for t in r)
                                                          for r in rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise QueryError(f"unknown results format {fmt!r}; use one of {', '.join(FORMATS)}")


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def _json_term(t) -> dict:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    out = {"type": "literal", "value": t.value}
    if t.language:
        out["xml:lang"] = t.language
    elif t.datatype.value not in (_XSD_STRING, _RDF_LANG):
        out["datatype"] = t.datatype.value
    return out


def _csv_term(t) -> str:
    if t is None:
        return ""
    return f"_:{t.value}" if isinstance(t, ox.BlankNode) else t.value
