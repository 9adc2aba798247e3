"""``kg enrich``: what the knowledge base knows about the linked actors (types, country, positions held with
their dates), written in Wikidata's own RDF vocabulary into one named graph, so that saved queries can join
statements to it (and, online, to Wikidata itself) through ``owl:sameAs``."""
from __future__ import annotations

import hashlib

import pyoxigraph as ox

from kg import progress as progressbar
from kg.link.kb import calendar_date
from kg.rdf.namespaces import ENRICH_GRAPH, RDFS, SCHEMA, XSD, WD, Namespace
WDT = Namespace("http://www.wikidata.org/prop/direct/")
P = Namespace("http://www.wikidata.org/prop/")
PS = Namespace("http://www.wikidata.org/prop/statement/")
PQ = Namespace("http://www.wikidata.org/prop/qualifier/")

LINKED = "SELECT DISTINCT ?qid WHERE { ?actor kg:wikidataId ?qid }"


def _date(value: str) -> ox.Literal:
    return ox.Literal(value, datatype=XSD.date) if len(value) == 10 else ox.Literal(value)


def facts(kb_entity, base_iri: str) -> list[ox.Triple]:
    """Triples about one knowledge-base entity: label, description, P31, P17/P27, P39 statements."""
    item = WD[kb_entity.qid]
    out = [ox.Triple(item, RDFS.label, ox.Literal(kb_entity.label))]
    if kb_entity.description:
        out.append(ox.Triple(item, SCHEMA.description, ox.Literal(kb_entity.description)))
    out += [ox.Triple(item, WDT.P31, WD[t]) for t in kb_entity.types]
    country = WDT.P27 if kb_entity.kind == "Person" else WDT.P17
    out += [ox.Triple(item, country, WD[c]) for c in kb_entity.countries]
    for p in kb_entity.positions:
        digest = hashlib.sha256(f"{kb_entity.qid}|{p.qid}|{p.start}|{p.end}".encode()).hexdigest()[:16]
        statement = ox.NamedNode(f"{base_iri}kb/position/{digest}")
        out += [ox.Triple(item, WDT.P39, WD[p.qid]), ox.Triple(item, P.P39, statement),
                ox.Triple(statement, PS.P39, WD[p.qid])]
        # a KB written before kg checked dates may hold one that is no date: it would be an ill-typed literal
        if calendar_date(p.start):
            out.append(ox.Triple(statement, PQ.P580, _date(p.start)))
        if calendar_date(p.end):
            out.append(ox.Triple(statement, PQ.P582, _date(p.end)))
        if p.label:
            out.append(ox.Triple(WD[p.qid], RDFS.label, ox.Literal(p.label)))
        if p.country:
            out.append(ox.Triple(WD[p.qid], WDT.P17, WD[p.country]))
    return out


def enrich(store, kb, *, base_iri: str, progress: bool = False) -> tuple[int, int]:
    """Replace the enrichment graph with the knowledge base's facts about every linked actor in the store.
    Returns (actors enriched, quads written). ``progress``: a bar of the actors looked up, on a terminal's
    standard error (:mod:`kg.progress`)."""
    qids = sorted({row["qid"].value for row in store.query(LINKED)})
    triples: dict[ox.Triple, None] = {}
    found = 0
    for qid in progressbar.track(qids, len(qids), desc="kg enrich", unit=" actor", enabled=progress):
        entity = kb.get(qid)
        if entity is None:
            continue
        found += 1
        for t in facts(entity, base_iri):
            triples[t] = None
    quads = [ox.Quad(t.subject, t.predicate, t.object, ENRICH_GRAPH) for t in triples]
    store.replace_article(ENRICH_GRAPH.value, quads)
    return found, len(quads)
