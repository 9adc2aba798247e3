"""Extraction -> quads, a pure function: no store, no network. The model is documented in docs/rdf-model.md."""
from __future__ import annotations

import hashlib
from bisect import bisect_right
from functools import cache

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, parse

from kg.model import Entity, Extraction, Span
from kg.names import clean
from kg.rdf import iris
from kg.rdf.keys import id_hash, sort_key, time_key, topic_key, topic_words
from kg.rdf.namespaces import (DCTERMS, KG, KGMODE, KGREL, KGST, MODES, NIF, OWL, PROV, RDF, RDFS, RELATION_TYPES,
                               SCHEMA, SKOS, STANCES, WD, XSD)

ACTOR_CLASSES = {"Person": KG.Person, "Organization": KG.Organization, "Country": KG.Country, "Place": KG.Place,
                 "Group": KG.Group, "Other": KG.Actor}  # Other: a source such as 'the poll', no finer class


def _int(n: int) -> Literal:
    # Oxigraph stores xsd:nonNegativeInteger as xsd:integer; write what reads back
    return Literal(str(n), datatype=XSD.integer)


def _decimal(x: float) -> Literal:
    return Literal(f"{x:.3f}".rstrip("0").rstrip(".") if x % 1 else f"{x:.1f}", datatype=XSD.decimal)


def _date(value: str) -> Literal:
    if "T" in value:
        return Literal(value if value.count(":") == 2 else value + ":00", datatype=XSD.dateTime)
    return Literal(value, datatype=XSD.date)


def _alt_label(text: str) -> str:
    text = clean(text) or text
    return text[4:] if text[:4].lower() == "the " else text


def to_quads(extraction: Extraction, *, base_iri: str, content_hash: str) -> list[Quad]:
    """The article's named graph: article, sentences, mentions, actors, statements and relations.

    The graph name is the article IRI. Quads come out in a stable order without duplicates.
    """
    a = extraction.article
    article = NamedNode(iris.article_iri(base_iri, a.id))
    out: dict[Quad, None] = {}
    sentence_spans = {(s.start, s.end) for s in extraction.sentences}

    def add(s, p, o) -> None:
        out[Quad(s, p, o, article)] = None

    starts = [s.start for s in extraction.sentences]  # in text order

    def sentence_of(span: Span) -> NamedNode:
        i = bisect_right(starts, span.start) - 1
        if i >= 0 and span.start < extraction.sentences[i].end:
            s = extraction.sentences[i]
        else:
            s = extraction.sentences[0] if extraction.sentences else span
        return NamedNode(iris.span_iri(article.value, s.start, s.end))

    def span(sp: Span) -> NamedNode:
        node = NamedNode(iris.span_iri(article.value, sp.start, sp.end))
        add(node, RDF.type, NIF.String)
        add(node, NIF.referenceContext, article)
        add(node, NIF.beginIndex, _int(sp.start))
        add(node, NIF.endIndex, _int(sp.end))
        add(node, NIF.anchorOf, Literal(sp.text))
        if (sp.start, sp.end) in sentence_spans:
            add(node, RDF.type, NIF.Sentence)
        else:
            add(node, NIF.sentence, sentence_of(sp))
        return node

    add(article, RDF.type, KG.Article)
    add(article, DCTERMS.identifier, Literal(a.id))
    add(article, NIF.isString, Literal(a.text))
    add(article, KG.contentHash, Literal(content_hash))
    if a.origin:
        add(article, KG.sourceFile, Literal(a.origin))
    if a.title:
        add(article, DCTERMS.title, Literal(a.title))
    if a.url and "://" in a.url and not any(c in a.url for c in ' <>"{}|\\^`'):
        add(article, SCHEMA.url, NamedNode(a.url))
    if a.published:
        add(article, SCHEMA.datePublished, _date(a.published))
    for s in extraction.sentences:
        span(s)

    actor: dict[str, NamedNode] = {}
    described: set[NamedNode] = set()
    denoted: set[tuple[int, int]] = set()
    for e in extraction.entities:
        node = NamedNode(iris.actor_iri(base_iri, e.type, e.name, e.qid, a.id))
        actor[e.id] = node
        # two entities with one IRI (same name and type): the first gives label and type, the rest add names
        _actor(add, node, e, first=node not in described)
        described.add(node)
        for m in e.mentions:
            if (m.span.start, m.span.end) in denoted:
                continue  # a span denotes one actor
            denoted.add((m.span.start, m.span.end))
            mention = span(m.span)
            add(mention, RDF.type, KG.Mention)
            add(mention, KG.denotes, node)

    for st in extraction.statements:
        if st.mode not in MODES:  # never dropped: kg:mode is required, a statement without one is invalid
            raise ValueError(f"statement mode {st.mode!r} (rule {st.rule}) is none of kg.model.MODES "
                             f"({', '.join(MODES)})")
        speaker = actor.get(st.speaker) if st.speaker else None
        node = NamedNode(iris.fact_iri(base_iri, "statement", a.id, st.content.start, st.content.end,
                                       speaker.value if speaker else ""))
        add(node, RDF.type, KG.Statement)
        if st.kind == "direct":
            add(node, RDF.type, KG.Quotation)
        add(node, KG.content, span(st.content))
        add(node, KG.text, Literal(st.content.text))
        for part in st.parts:  # the quotes of a statement joined across its attribution or paragraphs
            add(node, KG.part, span(part))
        add(node, KG.kind, Literal(st.kind))
        add(node, KG.mode, KGMODE[st.mode])
        if speaker:
            add(node, KG.speaker, speaker)
        if st.speaker_mention:
            add(node, KG.speakerMention, span(st.speaker_mention))
        if st.cue:
            add(node, KG.cue, span(st.cue))
        if st.cue_lemma:
            add(node, KG.cueLemma, Literal(st.cue_lemma))
        if st.stance in STANCES:
            add(node, KG.stance, KGST[st.stance])
        for about in st.about:
            if about in actor:
                add(node, KG.about, actor[about])
        for topic in st.topics:
            add(node, KG.topic, Literal(topic))
        if st.date:
            add(node, KG.date, Literal(st.date, datatype=XSD.date))
        for q in key_quads(article, node, article_id=a.id, published=a.published, begin=st.content.start,
                           statement=True, date_=st.date, topics=st.topics, quote=is_quote(st.kind, st.mode),
                           mode=st.mode,
                           speaker=speaker, about=[actor[x] for x in st.about if x in actor],
                           stance=KGST[st.stance] if st.stance in STANCES else None):
            out[q] = None
        _provenance(add, node, article, sentence_of(st.content), st.rule, st.confidence)

    for r in extraction.relations:
        concept = RELATION_TYPES.get(r.type)
        if concept is None:  # never dropped: a type the ontology lacks would vanish from every graph unnoticed
            raise ValueError(f"relation type {r.type!r} (rule {r.rule}) is none of kg.model.RELATION_TYPES; add it "
                             "there, to ontology/kg.ttl and to docs/rdf-model.md")
        subject = actor.get(r.subject)
        obj = actor.get(r.object) if r.object else None
        if subject is None or (obj is None and not r.object_topic) or obj == subject:
            continue
        node = NamedNode(iris.fact_iri(base_iri, "relation", a.id, r.type, subject.value,
                                       obj.value if obj else r.object_topic, r.evidence.start, r.evidence.end))
        add(node, RDF.type, KG.Relation)
        add(node, KG.relationType, KGREL[concept])
        add(node, KG.subject, subject)
        if obj is not None:
            add(node, KG.object, obj)
        else:
            add(node, KG.objectTopic, Literal(r.object_topic))
        for q in key_quads(article, node, article_id=a.id, published=a.published, begin=r.evidence.start,
                           statement=False, topics=[r.object_topic] if obj is None else [],
                           relation_type=KGREL[concept], subject=subject, obj=obj,
                           negated=r.negated, hypothetical=r.hypothetical):
            out[q] = None
        add(node, KG.evidence, span(r.evidence))
        add(node, KG.negated, Literal("true" if r.negated else "false", datatype=XSD.boolean))
        add(node, KG.hypothetical, Literal("true" if r.hypothetical else "false", datatype=XSD.boolean))
        _provenance(add, node, article, sentence_of(r.evidence), r.rule, r.confidence)
    return list(out)


QUOTE_KINDS = ("direct", "mixed")


def is_quote(kind: str | None, mode: str | None) -> bool:
    """Whether a statement is one of its speaker's quotes, which the speaker carries the keys of (kg:quoteIndex)
    and the 'quotes' query lists: quoted in whole or in part (kind direct or mixed), and said or written (mode
    speech; None, a statement without kg:mode in a graph written before modes, counts as speech). A belief,
    wish or perception in quotation marks, or a quoted noun phrase, is no quote of what the speaker said."""
    return kind in QUOTE_KINDS and (mode or "speech") == "speech"


# each mode -> the index under which a speaker carries the keys of its statements of that mode
MODE_INDEXES = {mode: KG[f"{mode}Index"] for mode in MODES}
# the predicates of the keys and index triples key_quads writes
KEY_PREDICATES = frozenset(p.value for p in (KG.sortKey, KG.timeKey, KG.topicKey, KG.topicWord, KG.statementIndex,
                                             KG.quoteIndex, *MODE_INDEXES.values(), KG.relationIndex, KG.factIndex,
                                             KG.position, KG.heldBy, KG.positionType, KG.target, KG.targetTopic,
                                             KG.holdingIndex, KG.hypotheticalIndex))


@cache
def opposites() -> dict[str, str]:
    """Each stance and relation type that has an opposite -> that opposite (kg:oppositeOf in the ontology)."""
    from kg import resources

    return {t.subject.value: t.object.value for t in parse(resources.ontology(), format=RdfFormat.TURTLE)
            if t.predicate == KG.oppositeOf}


def opposed_positions() -> frozenset[str]:
    """The stances and relation types that have an opposite."""
    return frozenset(opposites())


def position_node(base: str, position: str, target: str) -> str:
    """The IRI of the position node of a stance or relation type (``position``) on a target: an actor's IRI,
    or ``topic:<topic key>``."""
    return f"{base}/position/{_hash(position + '|' + target)}"


def holding_node(position: str, holder: str) -> str:
    """The IRI of a holder's row of a position in the summary graph (kg.store.summary)."""
    return f"{position}#held-by-{id_hash(holder, 16):016d}"


def key_quads(graph: NamedNode, fact: NamedNode, *, article_id: str, published: str | None, begin: int,
              statement: bool, date_: str | None = None, topics=(), quote: bool = False, mode: str | None = None,
              speaker: NamedNode | None = None, about=(), relation_type: NamedNode | None = None,
              subject: NamedNode | None = None, obj: NamedNode | None = None, stance: NamedNode | None = None,
              negated: bool = False, hypothetical: bool = False) -> list[Quad]:
    """The keys of one fact, and the index triples that lead to it, so that queries find and sort facts by an
    index scan (docs/rdf-model.md, "Keys and index triples"):

    - the fact's kg:sortKey (document order) and, for a statement, kg:timeKey (time order); kg:topicKey of
      each topic, and kg:topicWord of each word of it;
    - on each actor (and relation type) a query starts from, the fact's key under kg:statementIndex,
      kg:quoteIndex (``quote``: see :func:`is_quote`), the index of the statement's mode (kg:speechIndex,
      kg:thoughtIndex or kg:nominalIndex; ``mode`` None is speech, as a statement without kg:mode), kg:relationIndex
      or kg:factIndex; a query reads the keys there, sorts and cuts them, and finds the few facts of its page back
      by their key;
    - for a fact that takes a position with an opposite (a support or oppose stance, a supports or opposes
      relation that is not negated) on a target (an actor or a topic): the position node of that position and
      target, which the fact points to (kg:position) and which names who holds it (kg:heldBy, unless the fact
      is hypothetical), so that supporters, opponents and conflicts start from the positions, not from every
      fact; and the fact's key under the node of its holder's row of that position (kg:holdingIndex, see
      :func:`holding_node`), or of a hypothetical fact under the position node (kg:hypotheticalIndex), so that a
      page of a position's facts, sorted by holder and then document order, is cut from keys before any fact
      is read."""
    out: list[Quad] = []
    add = lambda s, p, o: out.append(Quad(s, p, o, graph))  # noqa: E731
    where = dict(article_id=article_id, begin=begin, fact=fact.value)
    document = Literal(sort_key(published=published, **where), datatype=XSD.decimal)
    add(fact, KG.sortKey, document)
    for topic in topics:
        add(fact, KG.topicKey, Literal(topic_key(topic)))
        for word in topic_words(topic):
            add(fact, KG.topicWord, Literal(word))
    if statement:
        time = Literal(time_key(date_=date_, published=published, **where), datatype=XSD.decimal)
        add(fact, KG.timeKey, time)
        if speaker is not None:
            add(speaker, KG.statementIndex, time)
            if quote:
                add(speaker, KG.quoteIndex, time)
            if (mode or "speech") in MODE_INDEXES:
                add(speaker, MODE_INDEXES[mode or "speech"], time)
        involved = [speaker, *about]
    else:
        involved = [subject, obj]
        for x in (relation_type, subject, obj):
            if x is not None:
                add(x, KG.relationIndex, document)
    for x in dict.fromkeys(x for x in involved if x is not None):
        add(x, KG.factIndex, document)
    position = stance if statement else relation_type
    holder = speaker if statement else subject
    if position is not None and holder is not None and not negated and position.value in opposed_positions():
        targets = list(about) if statement else ([obj] if obj is not None else [])
        base = fact.value.rsplit("/", 2)[0]
        for target in targets + [topic_key(t) for t in topics]:
            named = target.value if isinstance(target, NamedNode) else f"topic:{target}"
            node = NamedNode(position_node(base, position.value, named))
            add(fact, KG.position, node)
            if hypothetical:
                add(node, KG.hypotheticalIndex, document)
            else:
                add(node, KG.heldBy, holder)
                add(NamedNode(holding_node(node.value, holder.value)), KG.holdingIndex, document)
            add(node, KG.positionType, position)
            add(node, KG.target, target) if isinstance(target, NamedNode) else \
                add(node, KG.targetTopic, Literal(target))
    return out


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _actor(add, node: NamedNode, e: Entity, *, first: bool = True) -> None:
    # a linked actor is labelled with its item's name in every article ('Hillary Clinton', not the
    # 'Hammering Hillary Clinton' of one headline); the article's name for it stays a mention form
    label = e.label or e.name
    if first:
        add(node, RDF.type, ACTOR_CLASSES[e.type])
        add(node, RDFS.label, Literal(label))
    forms = {_alt_label(m.span.text) for m in e.mentions if m.form != "pronoun"} | {e.name}
    for form in sorted(forms - ({label} if first else set())):
        add(node, SKOS.altLabel, Literal(form))
    if e.qid:
        add(node, KG.wikidataId, Literal(e.qid))
        add(node, OWL.sameAs, WD[e.qid])
        if e.link_score is not None:
            add(node, KG.linkScore, _decimal(e.link_score))
        if e.link_method:
            add(node, KG.linkMethod, Literal(e.link_method))


def _provenance(add, node, article, sentence, rule: str, confidence: float) -> None:
    add(node, NIF.sentence, sentence)
    add(node, PROV.wasDerivedFrom, article)
    add(node, KG.extractedBy, Literal(rule or "unknown"))
    add(node, KG.confidence, _decimal(max(0.0, min(1.0, confidence))))
