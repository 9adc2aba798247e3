"""IRIs of the vocabularies kg writes."""
from __future__ import annotations

from pyoxigraph import NamedNode

from kg import model


class Namespace:
    """``KG["Statement"]`` or ``KG.Statement`` -> NamedNode; ``str(KG)`` is the namespace IRI.

    Not a ``str`` subclass: ``DCTERMS.title`` must be the term, not ``str.title``."""

    def __init__(self, iri: str):
        self._iri = iri

    def __str__(self) -> str:
        return self._iri

    def __getitem__(self, name: str) -> NamedNode:
        return NamedNode(self._iri + name)

    def __getattr__(self, name: str) -> NamedNode:
        if name.startswith("_"):
            raise AttributeError(name)
        term = self[name]
        setattr(self, name, term)  # the mapping reads KG.x some 2,500 times an article: make it once
        return term


KG = Namespace("https://w3id.org/kg-news/ontology#")
KGREL = Namespace("https://w3id.org/kg-news/relation#")
KGST = Namespace("https://w3id.org/kg-news/stance#")
KGMODE = Namespace("https://w3id.org/kg-news/mode#")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
PROV = Namespace("http://www.w3.org/ns/prov#")
SCHEMA = Namespace("https://schema.org/")
DCTERMS = Namespace("http://purl.org/dc/terms/")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
WD = Namespace("http://www.wikidata.org/entity/")

ONTOLOGY_GRAPH = NamedNode("https://w3id.org/kg-news/graph/ontology")
# kg's own index of the article graphs: one row per actor and per article (kg.store.summary)
SUMMARY_GRAPH = NamedNode("https://w3id.org/kg-news/graph/summary")
ENRICH_GRAPH = NamedNode("https://w3id.org/kg-news/graph/wikidata")
# graphs that are not article graphs
SPECIAL_GRAPHS = frozenset(g.value for g in (ONTOLOGY_GRAPH, SUMMARY_GRAPH, ENRICH_GRAPH))

PREFIXES = {
    "kg": str(KG), "kgrel": str(KGREL), "kgst": str(KGST), "kgmode": str(KGMODE), "nif": str(NIF),
    "prov": str(PROV), "schema": str(SCHEMA), "dcterms": str(DCTERMS), "rdf": str(RDF), "rdfs": str(RDFS),
    "owl": str(OWL), "skos": str(SKOS), "xsd": str(XSD), "wd": str(WD), "kgg": "https://w3id.org/kg-news/graph/",
    "wdt": "http://www.wikidata.org/prop/direct/", "p": "http://www.wikidata.org/prop/",
    "ps": "http://www.wikidata.org/prop/statement/", "pq": "http://www.wikidata.org/prop/qualifier/",
}


def _camel_case(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(w.capitalize() for w in rest)


# extraction relation type -> the local name of its kgrel: concept ('located_in' -> 'locatedIn')
RELATION_TYPES = {t: _camel_case(t) for t in model.RELATION_TYPES}

STANCES = ("assert", "warn", "threaten", "deny", "accuse", "request", "promise", "support", "oppose", "agree",
           "concern", "optimistic", "neutral")

# what kind of attribution a statement is (kg.model.MODES), each the local name of a kgmode: concept of kg:Modes
MODES = ("speech", "thought", "nominal")
