"""Stage 6, store: where article graphs live. ``EmbeddedStore`` is an on-disk pyoxigraph store; anything with
the same few methods (a remote SPARQL 1.1 endpoint, say) can stand in for it without touching the pipeline."""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import IO, Iterable, Protocol, Sequence

import pyoxigraph as ox

from kg.errors import StoreError, StoreLockedError
from kg.rdf import ArticleGraph
from kg.rdf.namespaces import KG, ONTOLOGY_GRAPH, PREFIXES


class Store(Protocol):
    """What the pipeline, queries, export and validation need of a store."""

    def article_hash(self, graph: str) -> str | None: ...
    def replace_article(self, graph: str, quads: Iterable[ox.Quad]) -> None: ...
    def write_articles(self, graphs: Sequence[ArticleGraph]) -> None: ...
    def write_articles(self, graphs: Sequence[ArticleGraph]) -> None:
        """Store a batch of article graphs, each replacing its old graph; a crash leaves every article whole."""
        for g in graphs:
            self.replace_article(g.iri, g.quads())

    def remove_article(self, graph: str) -> bool: ...
    def ensure_ontology(self, turtle: bytes) -> None: ...
    def named_graphs(self) -> list[str]: ...
    def query(self, sparql: str, substitutions: dict | None = None): ...
    def quads(self, graph: ox.NamedNode | None = None) -> Iterable[ox.Quad]: ...
    def dump(self, output: IO[bytes], fmt: ox.RdfFormat, *, graph: ox.NamedNode | None = None) -> None: ...
    def close(self) -> None: ...


def _terms(quads: Iterable[ox.Quad]) -> str:
    return "\n".join(f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}" for q in quads)


class EmbeddedStore:
    """An on-disk Oxigraph store. Each article is one named graph, replaced in a single transaction.

    >>> import tempfile; store = EmbeddedStore(tempfile.mkdtemp() + "/kg")
    >>> store.article_hash("https://example.org/a") is None
    True
    """

    def __init__(self, path: str | Path, *, create: bool = True):
        self.path = Path(path)
        if not create and not (self.path / "CURRENT").is_file():  # RocksDB's marker file
            what = f"{self.path} is not a kg store" if self.path.exists() else f"no store at {self.path}"
            raise StoreError(f"{what}; build one first with 'kg build PATH' or pass --store")
        try:
            self._store = ox.Store(str(self.path))
        except OSError as exc:
            if "lock" in str(exc).lower():
                raise StoreLockedError(f"store {self.path} is in use by another kg process; wait for it to finish "
                                       "or use another --store") from None
            raise StoreError(f"cannot open store {self.path}: {exc}; check the path and its permissions") from None

    def article_hash(self, graph: str) -> str | None:
        g = ox.NamedNode(graph)
        for q in self._store.quads_for_pattern(None, KG.contentHash, None, g):
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
        """Store a batch of article graphs, each replacing its old graph; a crash leaves every article whole."""
        for g in graphs:
            self.replace_article(g.iri, g.quads())

    def remove_article(self, graph: str) -> bool:
        g = ox.NamedNode(graph)
        if not self._store.contains_named_graph(g):
            return False
        self._store.update(f"DROP GRAPH <{graph}>")
        return True

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
        return self._store.query(sparql, use_default_graph_as_union=True, substitutions=substitutions or None,
                                 prefixes=PREFIXES)

    def quads(self, graph: ox.NamedNode | None = None):
        return self._store.quads_for_pattern(None, None, None, graph)

    def dump(self, output: IO[bytes], fmt: ox.RdfFormat, *, graph: ox.NamedNode | None = None) -> None:
        if graph is not None:
            self._store.dump(output, fmt, from_graph=graph)
        else:
            self._store.dump(output, fmt)

    def close(self) -> None:
        self._store.flush()
        del self._store

    def __enter__(self) -> "EmbeddedStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
