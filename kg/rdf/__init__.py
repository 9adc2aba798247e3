"""Stage 5, map to RDF: extraction records -> quads in kg's ontology (see docs/rdf-model.md)."""
from __future__ import annotations

import io
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.model import Extraction
from kg.rdf import iris
from kg.rdf.mapping import to_quads
from kg.rdf.parts import ArticlePart, article_part

__all__ = ["ArticleGraph", "article_graph", "to_quads"]


@dataclass(frozen=True)
class ArticleGraph:
    """One article's named graph, ready for the store: its id, graph IRI and quads as N-Quads bytes, and what
    the store's summary needs from it (computed here, from the quads before they became bytes).

    Bytes, not quad objects, so that extraction workers can hand graphs to the writing process cheaply."""

    article_id: str
    iri: str
    nquads: bytes
    part: ArticlePart | None = field(default=None, compare=False, repr=False)

    def quads(self) -> list[ox.Quad]:
        return list(ox.parse(self.nquads, format=ox.RdfFormat.N_QUADS))


def article_graph(extraction: Extraction, *, base_iri: str, content_hash: str) -> ArticleGraph:
    """The article's graph (see :func:`to_quads`) as an :class:`ArticleGraph`."""
    out = io.BytesIO()
    quads = list(to_quads(extraction, base_iri=base_iri, content_hash=content_hash))
    ox.serialize(quads, out, ox.RdfFormat.N_QUADS)
    article_id = extraction.article.id
    iri = iris.article_iri(base_iri, article_id)
    return ArticleGraph(article_id, iri, out.getvalue(), article_part(iri, quads))
