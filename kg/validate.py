"""SHACL validation of the store with pySHACL: every article graph, merged with the ontology, against
``ontology/shapes.ttl``. Graphs are checked one at a time (each is self-contained), which keeps memory flat.
Every literal of the article graphs and of the enrichment graph must fit its datatype."""
from __future__ import annotations

import io
import logging
from dataclasses import dataclass

import pyoxigraph as ox

from kg import resources
from kg.errors import ValidationError
from kg.rdf.namespaces import ENRICH_GRAPH, SPECIAL_GRAPHS


@dataclass(frozen=True)
class Report:
    conforms: bool
    graphs: int
    problems: tuple[str, ...]  # "graph: message" lines


def validate(store, *, limit: int = 20) -> Report:
    """Validate every article graph; ``problems`` holds up to ``limit`` violation lines."""
    import rdflib
    from pyshacl import validate as shacl

    try:
        shapes = rdflib.Graph().parse(data=resources.shapes(), format="turtle")
        ontology = rdflib.Graph().parse(data=resources.ontology(), format="turtle")
    except Exception as exc:  # a broken shapes file is an installation problem, not the user's data
        raise ValidationError(f"cannot read kg's ontology or shapes: {exc}") from None
    problems: list[str] = []
    graphs = [g for g in store.named_graphs() if g not in SPECIAL_GRAPHS]  # the ontology, summary, enrichment
    conforms = True
    # rdflib logs a traceback for each literal that does not fit its datatype; such a literal is a violation
    logging.getLogger("rdflib.term").setLevel(logging.CRITICAL)
    for g in [*graphs, ENRICH_GRAPH.value]:
        buf = io.BytesIO()
        store.dump(buf, ox.RdfFormat.N_TRIPLES, graph=ox.NamedNode(g))
        data = rdflib.Graph().parse(data=buf.getvalue().decode("utf-8"), format="nt")
        for s, p, o in data:
            if isinstance(o, rdflib.Literal) and o.ill_typed:
                conforms = False
                if len(problems) < limit:
                    problems.append(f"{g}: {s} {p}: {o!s} is not a valid {o.datatype}")
        if g == ENRICH_GRAPH.value:  # kg's copy of knowledge-base facts: no shapes, only well-typed literals
            continue
        data += ontology
        ok, results, _ = shacl(data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True)
        if ok:
            continue
        conforms = False
        SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
        for result in results.subjects(rdflib.RDF.type, SH.ValidationResult):
            if len(problems) >= limit:
                break
            focus = results.value(result, SH.focusNode)
            path = results.value(result, SH.resultPath)
            message = results.value(result, SH.resultMessage)
            problems.append(f"{g}: {focus} {path or ''}: {message}")
    return Report(conforms, len(graphs), tuple(problems))
