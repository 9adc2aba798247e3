"""Stage 6, store: where article graphs live. ``EmbeddedStore`` is an on-disk pyoxigraph store; anything with
the same few methods can stand in for it without touching the pipeline, as :class:`kg.store.remote.RemoteStore`
(a SPARQL 1.1 server) does. :func:`open_store` picks one from a ``--store`` value.

Besides one named graph per article, the store keeps a summary graph (:mod:`kg.store.summary`) in step with
them: one row per actor and per article, which the saved queries start from.
"""
from __future__ import annotations

import hashlib
import time
from itertools import islice
from pathlib import Path
from typing import IO, Iterable, Protocol, Sequence

import pyoxigraph as ox

from kg.errors import KgError, StoreError, StoreLockedError
from kg.rdf import ArticleGraph
from kg.rdf.namespaces import KG, ONTOLOGY_GRAPH, PREFIXES, RDF, SPECIAL_GRAPHS, SUMMARY_GRAPH
from kg.rdf import parts
from kg.rdf.parts import ArticlePart, article_part
from kg.store import summary
from kg.store.summary import STATE

SUMMARY_PART = 20_000  # quads of the summary written by one ingestion at the end of a first build, at least


class Store(Protocol):
    """What the pipeline, queries, export and validation need of a store."""

    def article_hash(self, graph: str) -> str | None: ...
    def article_source(self, graph: str) -> str | None: ...
    def replace_article(self, graph: str, quads: Iterable[ox.Quad]) -> None: ...
    def write_articles(self, graphs: Sequence[ArticleGraph]) -> None: ...
    def remove_article(self, graph: str) -> bool: ...
    def ensure_ontology(self, turtle: bytes) -> None: ...
    def named_graphs(self) -> list[str]: ...
    def stats(self) -> dict[str, int]: ...
    def query(self, sparql: str, substitutions: dict | None = None): ...
    def quads(self, graph: ox.NamedNode | None = None) -> Iterable[ox.Quad]: ...
    def dump(self, output: IO[bytes], fmt: ox.RdfFormat, *, graph: ox.NamedNode | None = None) -> None: ...
    def close(self) -> None: ...


def _terms(quads: Iterable[ox.Quad]) -> str:
    return "\n".join(f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}" for q in quads)


def _part_of(graph: ArticleGraph) -> ArticlePart:
    """What the summary needs from the graph: computed where it was mapped, else from its quads."""
    return graph.part if graph.part is not None else article_part(graph.iri, graph.quads())


def _graph_data(graph: ArticleGraph) -> str:
    """An article graph's N-Quads as the body of INSERT DATA: N-Triples lines inside one GRAPH block."""
    name = str(ox.NamedNode(graph.iri))
    body = graph.nquads.decode("utf-8").replace(f" {name} .\n", " .\n")
    return f"GRAPH {name} {{\n{body}}}"


def _files(path: Path) -> tuple:
    """What RocksDB reads to open a store: its manifest (named in CURRENT, appended as files come and go) and
    its write-ahead logs."""
    try:
        manifest = (path / "CURRENT").read_text().strip()
        return manifest, (path / manifest).stat().st_size, sorted(p.name for p in path.glob("*.log"))
    except OSError:
        return ()


_TRANSIENT = ("No such file", "Column family not found")


def _open_read_only(path: Path) -> ox.Store:
    """The store as it is now, beside a process that may be writing it. RocksDB reads the manifest, then the
    write-ahead logs, then opens the files: a writer that changes the manifest meanwhile (a bulk load, a
    flush, a compaction) can leave it a view that is no moment of the store, or files that are gone. Then it
    opens again: a view is kept only when the manifest and the logs were the same before and after."""
    for attempt in range(50):
        before = _files(path)
        try:
            store = ox.Store.read_only(str(path))
        except (OSError, RuntimeError) as exc:
            # a file a writer just dropped, or a store so new that its column families are still being made
            if not any(m in str(exc) for m in _TRANSIENT) or attempt == 49:
                raise
        else:
            if _files(path) == before:
                return store
            del store
        time.sleep(0.02 * (attempt + 1))
    raise StoreError(f"store {path} changed under every attempt to read it (a build is writing it fast); "
                     "try again")


def open_reader(path: str | Path) -> "EmbeddedStore":
    """The store opened to be read while a build may write it (query, sparql, export, stats, validate): a
    consistent snapshot that holds no lock. A store a killed build left to repair is repaired first; one whose
    first build is still running is an error, since its summary is written at the end of that build."""
    store = EmbeddedStore(path, read_only=True)
    if not store.needs_repair():
        return store
    summary_current = store.summary_current()
    store.close()
    try:
        EmbeddedStore(path, create=False).close()  # opened for writing, it repairs itself
    except StoreLockedError:
        if summary_current:  # a build is adding articles: the snapshot may hold its batch in flight, no more
            return EmbeddedStore(path, read_only=True)
        raise StoreLockedError(f"store {path} is being built for the first time: its summary is written when that "
                               "build ends; query it then (a store that already holds a build can be queried "
                               "while the next one runs)") from None
    return EmbeddedStore(path, read_only=True)


def open_store(spec: str | Path, *, create: bool = True, reader: bool = False) -> "Store":
    """The store a ``--store`` value names: a :class:`kg.store.remote.RemoteStore` for an ``http(s)://`` URL (a
    SPARQL 1.1 server), else the :class:`EmbeddedStore` in that folder. ``reader``: opened to be read only
    (:func:`open_reader` for a folder); ``create``: a folder with no store in it may become one."""
    from kg.store.remote import RemoteStore, is_remote

    if is_remote(spec):
        return RemoteStore(str(spec), reader=reader)
    return open_reader(spec) if reader else EmbeddedStore(spec, create=create)


def damaged(path, exc: Exception) -> StoreError:
    """The error for a store whose files RocksDB finds damaged (a disk fault, a copy cut short)."""
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    first = first if len(first) <= 240 else first[:239] + "…"
    return StoreError(f"store {path} is damaged ({first}); build a new one from the articles (kg build PATH "
                      "--store NEW) or restore a copy")


class EmbeddedStore:
    """An on-disk Oxigraph store. Each article is one named graph, replaced in a single transaction together
    with the summary rows it changes.

    A first build into an empty store streams its articles in with Oxigraph's bulk loader (each batch is one
    atomic ingestion), folds the summary from the articles as they pass (:class:`summary.Tally`) and writes it
    at the end; if it is killed, the next open finds the summary out of date and rebuilds it from the article
    graphs.

    >>> import tempfile; store = EmbeddedStore(tempfile.mkdtemp() + "/kg")
    >>> store.article_hash("https://example.org/a") is None
    True
    """

    def __init__(self, path: str | Path, *, create: bool = True, read_only: bool = False):
        """Open (or create) the store at ``path``. ``read_only`` opens it beside a process that writes it (a
        build), as it was when opened, and never writes."""
        self.path = Path(path)
        if (not create or read_only) and not (self.path / "CURRENT").is_file():  # RocksDB's marker file
            if read_only and (self.path / "LOCK").is_file():
                # a first build is making the store: RocksDB locks the folder before it writes CURRENT
                raise StoreLockedError(f"store {self.path} is being built for the first time: query it when that "
                                       "build ends (if no build is running, one was cut short before it made the "
                                       "store: run kg build again)")
            empty = self.path.is_dir() and not any(self.path.iterdir())  # (or one RocksDB has only just made)
            what = f"{self.path} is not a kg store" if self.path.exists() and not empty else f"no store at {self.path}"
            raise StoreError(f"{what}; build one first with 'kg build PATH' or pass --store")
        if self.path.exists() and not (self.path / "CURRENT").is_file() and \
                (not self.path.is_dir() or any(self.path.iterdir())):
            # RocksDB would make a store among the user's files, and rename one called LOG
            raise StoreError(f"{self.path} is a {'folder' if self.path.is_dir() else 'file'} that is not a kg "
                             "store; give --store a new or empty folder")
        try:
            if not read_only:  # '--store runs/2018/store' makes its folders, as 'kg export --output' does
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self._store = _open_read_only(self.path) if read_only else ox.Store(str(self.path))
        except OSError as exc:
            if "lock" in str(exc).lower():
                raise StoreLockedError(f"store {self.path} is in use by another kg process; wait for it to finish "
                                       "or use another --store") from None
            raise StoreError(f"cannot open store {self.path}: {exc}; check the path and its permissions") from None
        except RuntimeError as exc:  # RocksDB found a damaged file
            raise damaged(self.path, exc) from None
        self._bulk = False  # a first build is streaming in: the summary is written when it ends
        self._tally: summary.Tally | None = None  # that summary, folded as the articles come
        self._largest = 0  # quads of the largest batch that first build has loaded
        self._wrote = False  # close() then lets RocksDB drop the write-ahead log it no longer needs
        self._reader = _Reader(self._store)
        self.read_only = read_only
        if not read_only:
            self._recover()

    def needs_repair(self) -> bool:
        """Whether a killed build left articles in flight, or the summary or keys are missing or old: what
        opening for writing repairs (:meth:`_recover`)."""
        pending = next(self._store.quads_for_pattern(STATE, KG.pendingArticle, None, SUMMARY_GRAPH), None)
        return pending is not None or not self.summary_current()

    def summary_current(self) -> bool:
        """Whether the summary and the fact keys are there, written by this version of kg."""
        state = {q.predicate: q.object.value for q in self._store.quads_for_pattern(STATE, None, None, SUMMARY_GRAPH)}
        return state.get(KG.keysVersion) == summary.KEYS_VERSION and state.get(KG.summaryVersion) == summary.VERSION

    def _recover(self) -> None:
        """Drop the articles a killed write left in flight, and rebuild a summary that is missing or old."""
        pending = [q for q in self._store.quads_for_pattern(STATE, KG.pendingArticle, None, SUMMARY_GRAPH)]
        if pending:
            drops = "".join(f"DROP SILENT GRAPH {q.object} ;\n" for q in pending)
            self._update(drops + f"DELETE DATA {{ {_terms(pending)} }}", "recover")
        state = {q.predicate: q.object.value for q in self._store.quads_for_pattern(STATE, None, None, SUMMARY_GRAPH)}
        keys_current = state.get(KG.keysVersion) == summary.KEYS_VERSION
        if not keys_current:
            self._rewrite_fact_keys()
        if not keys_current or state.get(KG.summaryVersion) != summary.VERSION:
            self.rebuild_summary()

    def _rewrite_fact_keys(self) -> None:
        """Give the facts of graphs written by an older kg the keys and index triples of this one, which the
        saved queries sort and match by (each graph in one transaction)."""
        from kg.rdf.mapping import KEY_PREDICATES

        for graph in self.named_graphs():
            if graph in SPECIAL_GRAPHS:
                continue
            quads = list(self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
            old = [q for q in quads if q.predicate.value in KEY_PREDICATES]
            new = parts.fact_keys(graph, [q for q in quads if q.predicate.value not in KEY_PREDICATES])
            if set(old) != set(new):
                updates = ([f"DELETE DATA {{ {_terms(old)} }}"] if old else []) + \
                          ([f"INSERT DATA {{ {_terms(new)} }}"] if new else [])
                self._update(" ;\n".join(updates), f"update the keys of {graph}")

    def rebuild_summary(self) -> None:
        """Compute the summary from every article graph and write it in place of the old one, then compact the
        store as a first build ends: uncompacted after a rebuild at 100,000 articles, office-holders took 288 ms
        a page instead of 150."""
        quads = summary.rebuild(self._store)
        self._update(f"DROP SILENT GRAPH {SUMMARY_GRAPH}", "clear the summary")
        self._bulk_extend(quads, "write the summary")  # the version quad is among them
        self.compact()

    def _update(self, sparql: str, what: str) -> None:
        self._wrote = True
        try:
            self._store.update(sparql)
        except (OSError, SyntaxError) as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise StoreError(f"could not {what}: {first}") from None

    def _has_graph(self, graph: str) -> bool:
        return next(self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph)), None) is not None

    def _part(self, graph: str) -> ArticlePart:
        return article_part(graph, self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))

    def article_hash(self, graph: str) -> str | None:
        return self._article_value(graph, KG.contentHash)

    def article_source(self, graph: str) -> str | None:
        """The file the stored article was read from (kg:sourceFile), if kg knows."""
        return self._article_value(graph, KG.sourceFile)

    def _article_value(self, graph: str, predicate: ox.NamedNode) -> str | None:
        for q in self._store.quads_for_pattern(None, predicate, None, ox.NamedNode(graph)):
            return q.object.value
        return None

    def replace_article(self, graph: str, quads: Iterable[ox.Quad]) -> None:
        """Drop the graph and insert the new quads in one update: readers see the old article or the new one,
        never half of it, even if the process dies."""
        body = _terms(quads)
        try:
            self._store.update(f"DROP SILENT GRAPH <{graph}> ;\nINSERT DATA {{\n{body}\n}}")
        except (OSError, SyntaxError) as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise StoreError(f"could not write graph {graph}: {first}") from None

    def write_articles(self, graphs: Sequence[ArticleGraph]) -> None:
        """Store a batch of article graphs, each replacing its old graph, and bring the summary in step.

        New articles are bulk-loaded (marked as in flight until the summary has them); articles that replace
        an old graph are replaced in the same transaction as the summary. A crash leaves every article whole:
        old or new, or (for an article that was new) absent, to be stored again by the next run."""
        if not graphs:
            return
        if self._bulk and any(self._has_graph(g.iri) for g in graphs):
            self.finish()  # a bulk load only adds: an article written twice in one session is replaced instead
        if self._bulk or self.stats()["articles"] == 0:
            if not self._bulk:  # the summary (and its version) is written when the build ends; a build killed
                # before then leaves no version, and the next open rebuilds the summary from the article graphs
                self._update(f"DROP SILENT GRAPH {SUMMARY_GRAPH}", "start a first build")
                self._bulk, self._tally = True, summary.Tally()
            rows = [q for g in graphs for q in self._tally.add(_part_of(g))]
            self._largest = max(self._largest, len(rows) + sum(_part_of(g).quads for g in graphs))
            self._bulk_load(graphs, rows)  # one ingestion: each one leaves files for RocksDB to compact
            return
        replaced = [g for g in graphs if self._has_graph(g.iri)]
        new = [g for g in graphs if g not in replaced]
        olds = [self._part(g.iri) for g in replaced]
        deletes, inserts = summary.changes(self._reader, olds, [_part_of(g) for g in graphs])
        marks = [ox.Quad(STATE, KG.pendingArticle, ox.NamedNode(g.iri), SUMMARY_GRAPH) for g in new]
        if new:
            self._update(f"INSERT DATA {{ {_terms(marks)} }}", "mark the new articles")
            self._bulk_load(new)
        parts = [f"DROP SILENT GRAPH <{g.iri}>" for g in replaced]
        if replaced:
            parts.append("INSERT DATA {\n" + "\n".join(_graph_data(g) for g in replaced) + "\n}")
        if deletes or marks:
            parts.append(f"DELETE DATA {{\n{_terms(list(deletes) + marks)}\n}}")
        if inserts:
            parts.append(f"INSERT DATA {{\n{_terms(inserts)}\n}}")
        self._update(" ;\n".join(parts), f"write {len(graphs)} article graph(s)")

    def _bulk_load(self, graphs: Sequence[ArticleGraph], more: Sequence[ox.Quad] = ()) -> None:
        self._wrote = True
        # one copy of the batch's bytes (tens of MB), the summary's rows included
        rows = ox.serialize(more, format=ox.RdfFormat.N_QUADS) if more else b""
        data = b"".join([*(g.nquads for g in graphs), rows])
        try:
            self._store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
        except (OSError, SyntaxError) as exc:
            raise StoreError(f"could not write {len(graphs)} article graph(s): {exc}") from None

    def _bulk_extend(self, quads: Iterable[ox.Quad], what: str) -> None:
        try:
            self._store.bulk_extend(quads)  # one atomic ingestion
        except OSError as exc:
            raise StoreError(f"could not {what} in {self.path}: {exc}") from None

    def finish(self, *, compact: bool = True) -> None:
        """End a first build: write the summary folded from its articles, with its version, and compact the
        store unless told not to (done by close() too)."""
        if self._bulk:
            tally, self._bulk, self._tally = self._tally, False, None
            # in parts as big as the largest batch of articles: the loader holds about 0.7 kB a quad, so a part
            # adds no peak of memory that the batches did not have. Each ingestion adds files that RocksDB must
            # merge: parts of 20,000 quads made the flush after a build of 10,000 articles in batches of 256
            # wait 11 s for those merges. The state with the version goes last, so a build killed meanwhile
            # leaves a summary without one, which the next open rebuilds
            quads, size, self._largest = tally.quads(), max(SUMMARY_PART, self._largest), 0
            while part := list(islice(quads, size)):
                self._bulk_extend(part, "write the summary")
            self._bulk_extend(tally.totals(), "write the summary")
            # bulk loading leaves hundreds of files that every index lookup must look into until RocksDB merges
            # them; merged now, a saved query on 10,000 articles took 16 ms instead of 56 (conflicts), for 15 s
            if compact:
                self.compact()

    def remove_article(self, graph: str) -> bool:
        """Remove one article's graph and its share of the summary; False if there is no such article."""
        if not self._has_graph(graph):
            return False
        self.finish()
        deletes, inserts = summary.changes(self._reader, [self._part(graph)], [])
        parts = [f"DROP GRAPH <{graph}>", f"DELETE DATA {{\n{_terms(deletes)}\n}}"]
        if inserts:
            parts.append(f"INSERT DATA {{\n{_terms(inserts)}\n}}")
        self._update(" ;\n".join(parts), f"remove {graph}")
        return True

    def stats(self) -> dict[str, int]:
        """Articles, actors, statements, relations and quads of the article graphs, from the summary's totals."""
        self.finish()
        totals = summary.totals(self._reader.totals())
        return {"articles": totals["articleCount"], "entities": totals["actorCount"],
                "statements": totals["statementCount"], "relations": totals["relationCount"],
                "triples": totals["quadCount"]}

    def ensure_ontology(self, turtle: bytes) -> None:
        """Load the ontology into its own graph when it is missing or has changed."""
        digest = hashlib.sha256(turtle).hexdigest()
        marker = ox.Quad(ONTOLOGY_GRAPH, KG.contentHash, ox.Literal(digest), ONTOLOGY_GRAPH)
        if marker in self._store:
            return
        quads = [ox.Quad(t.subject, t.predicate, t.object, ONTOLOGY_GRAPH)
                 for t in ox.parse(turtle, format=ox.RdfFormat.TURTLE)]
        self.replace_article(ONTOLOGY_GRAPH.value, quads + [marker])

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def query(self, sparql: str, substitutions: dict | None = None):
        self.finish()
        return self._store.query(sparql, use_default_graph_as_union=True, substitutions=substitutions or None,
                                 prefixes=PREFIXES)

    def quads(self, graph: ox.NamedNode | None = None):
        self.finish()
        return self._store.quads_for_pattern(None, None, None, graph)

    def dump(self, output: IO[bytes], fmt: ox.RdfFormat, *, graph: ox.NamedNode | None = None) -> None:
        self.finish()
        if graph is not None:
            self._store.dump(output, fmt, from_graph=graph)
        else:
            self._store.dump(output, fmt)

    def compact(self) -> None:
        """Rewrite the store's files without what removed and replaced articles left behind (RocksDB keeps it
        until a compaction); close() then drops the write-ahead log."""
        self.finish()
        self._wrote = True
        try:
            self._store.optimize()
        except OSError as exc:
            raise StoreError(f"could not compact {self.path}: {exc}") from None

    def close(self) -> None:
        try:
            self.finish()
            if not self.read_only:
                try:
                    self._store.flush()
                except (OSError, RuntimeError) as exc:  # a full disk, most likely
                    raise StoreError(f"could not write {self.path} to disk ({exc}); free space and run the "
                                     "command again: what was not written is written again then") from None
        finally:
            del self._store, self._reader  # the last references: RocksDB lets go of the store (and its lock)
        if self._wrote:
            # RocksDB deletes the write-ahead log of flushed writes when it next opens the store: open it once
            # now, so that a build does not leave hundreds of MB of log behind
            try:
                del_me = ox.Store(str(self.path))
                del del_me
            except OSError:
                pass  # another process opened it meanwhile: it will drop the log
        if not self.read_only:
            # RocksDB keeps the info log of every past opening (LOG.old.*, ~140 kB each): only the last is kept
            for old in self.path.glob("LOG.old.*"):
                old.unlink(missing_ok=True)

    def __enter__(self) -> "EmbeddedStore":
        return self

    def __exit__(self, kind, error, trace) -> None:
        if kind is None:
            self.close()
            return
        try:  # the error that stopped the work says what went wrong, not a second one from closing
            self.close()
        except KgError:
            pass


class _Reader(summary.Reader):
    """The summary upkeep's reads, as index lookups on the pyoxigraph store."""

    def __init__(self, store: ox.Store):
        self._s = store

    def row(self, actor: str):
        a = ox.NamedNode(actor)
        quads = list(self._s.quads_for_pattern(a, None, None, SUMMARY_GRAPH))
        if not quads:
            return None, []
        for node in [q.subject for q in self._s.quads_for_pattern(None, KG.actor, a, SUMMARY_GRAPH)]:
            quads += self._s.quads_for_pattern(node, None, None, SUMMARY_GRAPH)
        return summary.row_of(actor, quads), quads

    def article_row(self, article: str):
        return list(self._s.quads_for_pattern(ox.NamedNode(article), None, None, SUMMARY_GRAPH))

    def exists(self, s, p, o, outside):
        obj = None if o is None else (ox.NamedNode(o) if p == RDF.type else ox.Literal(o))
        for q in self._s.quads_for_pattern(ox.NamedNode(s), p, obj, None):
            g = q.graph_name
            if isinstance(g, ox.NamedNode) and g.value not in outside and g.value not in SPECIAL_GRAPHS:
                return True
        return False

    def active_graphs(self, actor, outside):
        a = ox.NamedNode(actor)
        for p in (KG.denotes, KG.speaker, KG.subject, KG.object, KG.about):
            for q in self._s.quads_for_pattern(None, p, a, None):
                g = q.graph_name
                if isinstance(g, ox.NamedNode) and g.value not in outside and g.value not in SPECIAL_GRAPHS:
                    yield g.value

    def key_candidates(self, keys_, outside):
        out = {}
        for k in keys_:
            key = ox.Literal(k)
            found = {}
            for q in self._s.quads_for_pattern(None, KG.formKey, key, SUMMARY_GRAPH):
                a = q.subject
                if a.value in outside:
                    continue
                count = next(self._s.quads_for_pattern(a, KG.mentionCount, None, SUMMARY_GRAPH), None)
                is_label = ox.Quad(a, KG.labelKey, key, SUMMARY_GRAPH) in self._s
                has = ox.Quad(a, KG.nameKey, key, SUMMARY_GRAPH) in self._s
                found[a.value] = (int(count.object.value) if count else 0, is_label, has)
            if found:
                out[k] = found
        return out

    def totals(self):
        return [q for q in self._s.quads_for_pattern(STATE, None, None, SUMMARY_GRAPH)
                if q.predicate != KG.pendingArticle]

    def summary_quads(self, subject):
        return list(self._s.quads_for_pattern(ox.NamedNode(subject), None, None, SUMMARY_GRAPH))

    def first_holding(self, node, actor, outside):
        graphs = (q.graph_name.value for q in self._s.quads_for_pattern(ox.NamedNode(node), KG.heldBy,
                                                                           ox.NamedNode(actor), None))
        return min((g for g in graphs if g not in outside and g not in SPECIAL_GRAPHS), default=None)
