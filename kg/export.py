"""Stage 7, export: the store's content as Turtle, TriG, N-Quads or JSON-LD, written by pyoxigraph (JSON-LD
by rdflib). Turtle has no graphs, so it holds the union of the article graphs (the ontology left out). The
summary graph, kg's index of the article graphs, is never exported."""
from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox

from kg.errors import ExportError
from kg.rdf.namespaces import ONTOLOGY_GRAPH, PREFIXES, SUMMARY_GRAPH

FORMATS = ("turtle", "trig", "nquads", "jsonld")


def export(store, fmt: str = "turtle", output: str | Path | None = None, *, with_ontology: bool = False) -> bytes:
    """Serialise the store; write to ``output`` when given (parent folders created). Returns the bytes."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    # the summary is kg's index of the article graphs, rebuilt from them: no part of the data
    quads = [q for q in store.quads() if q.graph_name != SUMMARY_GRAPH
             and (with_ontology or q.graph_name != ONTOLOGY_GRAPH)]
    # a stable, grouped order: the same store always exports the same bytes, and diffs read well
    quads.sort(key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))
    buf = io.BytesIO()
    if fmt == "turtle":
        # the union of the graphs: a triple that several articles state (an actor's label) is written once
        triples = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads},
                         key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
        ox.serialize(triples, buf, ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    elif fmt == "trig":
        ox.serialize(quads, buf, ox.RdfFormat.TRIG, prefixes=PREFIXES)
    elif fmt == "nquads":
        ox.serialize(quads, buf, ox.RdfFormat.N_QUADS)
    else:
        import rdflib

        nq = io.BytesIO()
        ox.serialize(quads, nq, ox.RdfFormat.N_QUADS)
        dataset = rdflib.Dataset()
        dataset.parse(data=nq.getvalue().decode("utf-8"), format="nquads")
        buf.write(dataset.serialize(format="json-ld", context=PREFIXES, indent=1).encode("utf-8"))
    data = buf.getvalue()
    if output is not None:
        path = Path(output)
        tmp = path.with_name(path.name + ".tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(data)
            tmp.replace(path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)  # a part of the export is no export; the old file stays as it was
            raise ExportError(f"cannot write {path}: {exc.strerror}; choose another --output") from None
    return data
