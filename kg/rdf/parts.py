"""What the summary graph needs from one article graph: its actors (names, types, mentions, stances), its
positions and who holds them, and its counts. A pure function of the article's quads, computed where the
graph is mapped (kg.rdf.article_graph), so that the process that stores it does not parse it again."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache
from typing import Iterable

import pyoxigraph as ox

from kg import resources
from kg.rdf import keys
from kg.rdf.namespaces import DCTERMS, KG, KGMODE, NIF, RDF, RDFS, SCHEMA, SKOS

_TYPE, _LABEL, _ALT, _QID = RDF.type.value, RDFS.label.value, SKOS.altLabel.value, KG.wikidataId.value
_DENOTES, _SPEAKER, _STANCE = KG.denotes.value, KG.speaker.value, KG.stance.value
_ROLES = frozenset(p.value for p in (KG.speaker, KG.subject, KG.object, KG.about))
_STATEMENT, _RELATION, _ARTICLE = KG.Statement.value, KG.Relation.value, KG.Article.value
_ID, _PUBLISHED = DCTERMS.identifier.value, SCHEMA.datePublished.value
_POSITION, _HELD_BY, _POSITION_TYPE = KG.position.value, KG.heldBy.value, KG.positionType.value
_TARGET, _TARGET_TOPIC = KG.target.value, KG.targetTopic.value
_FACT_INDEX, _RELATION_INDEX, _RELATION_TYPE = KG.factIndex.value, KG.relationIndex.value, KG.relationType.value
_TIME_KEY = KG.timeKey.value


@cache
def actor_classes() -> dict[str, tuple[str, ...]]:
    """Each kg: actor class (IRI) -> its kg: superclasses up to kg:Actor, read from the ontology."""
    parents: dict[str, set[str]] = defaultdict(set)
    for t in ox.parse(resources.ontology(), format=ox.RdfFormat.TURTLE):
        if t.predicate == RDFS.subClassOf and t.object.value.startswith(str(KG)):
            parents[t.subject.value].add(t.object.value)

    def ancestors(c: str) -> set[str]:
        out = set()
        for p in parents.get(c, ()):
            out |= {p} | ancestors(p)
        return out
    root = KG.Actor.value
    return {c: tuple(sorted(ancestors(c))) for c in list(parents) + [root] if c == root or root in ancestors(c)}


def fact_keys(iri: str, quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """The keys and index triples of an article graph's statements and relations, computed from the graph
    itself: what the mapping writes (kg.rdf.mapping.key_quads), for graphs written without them."""
    from kg.rdf.mapping import is_quote, key_quads

    by_subject: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for q in quads:
        by_subject[q.subject.value][q.predicate.value].append(q.object)
    article = by_subject.get(iri, {})
    ident = article[_ID][0].value if article.get(_ID) else iri
    published = article[_PUBLISHED][0].value if article.get(_PUBLISHED) else None
    one = lambda props, p: props[p.value][0] if props.get(p.value) else None  # noqa: E731
    out = []
    for s, props in sorted(by_subject.items()):
        kinds = {o.value for o in props.get(_TYPE, ())}
        if not kinds & {_STATEMENT, _RELATION}:
            continue
        statement = _STATEMENT in kinds
        span = one(props, KG.content if statement else KG.evidence)
        begin = one(by_subject.get(span.value, {}), NIF.beginIndex) if span is not None else None
        common = dict(article_id=ident, published=published, begin=int(begin.value) if begin else 0)
        if statement:
            date_ = one(props, KG.date)
            kind, mode = one(props, KG.kind), one(props, KG.mode)
            mode_name = mode.value.removeprefix(str(KGMODE)) if mode is not None else None  # None: speech
            out += key_quads(ox.NamedNode(iri), ox.NamedNode(s), statement=True, **common,
                             date_=date_.value if date_ else None,
                             topics=[t.value for t in props.get(KG.topic.value, [])],
                             quote=is_quote(kind.value if kind is not None else None, mode_name), mode=mode_name,
                             speaker=one(props, KG.speaker), about=props.get(KG.about.value, []),
                             stance=one(props, KG.stance))
        else:
            topic = one(props, KG.objectTopic)
            flag = lambda p: any(o.value in ("true", "1") for o in props.get(p.value, []))  # noqa: E731
            out += key_quads(ox.NamedNode(iri), ox.NamedNode(s), statement=False, **common,
                             topics=[topic.value] if topic else [], relation_type=one(props, KG.relationType),
                             subject=one(props, KG.subject), obj=one(props, KG.object),
                             negated=flag(KG.negated), hypothetical=flag(KG.hypothetical))
    return list(dict.fromkeys(out))  # facts that take the same position write its node once


# --- what one article graph says --------------------------------------------------------------------------------

@dataclass
class ActorFacts:
    """What the summary keeps of an actor: in one article (:class:`ActorPart`) or over all (ActorRow)."""

    labels: set[str] = field(default_factory=set)
    alts: set[str] = field(default_factory=set)
    types: set[str] = field(default_factory=set)
    qids: set[str] = field(default_factory=set)
    mentions: int = 0
    stances: Counter = field(default_factory=Counter)  # stance IRI ("" for none) -> statements spoken
    facts: int = 0  # the facts it takes part in (its kg:factIndex keys): provenance's total for it
    relations: int = 0  # the relations it is subject or object of (its kg:relationIndex keys)


@dataclass
class ActorPart(ActorFacts):
    active: bool = False  # mentioned, or speaker, subject, object or topic of a fact


@dataclass(frozen=True)
class Position:
    """A position node: a position (stance or relation type) on a target actor or topic (kg.rdf.mapping)."""

    type: str
    target: str | None = None
    topic: str | None = None


@dataclass
class ArticlePart:
    iri: str
    actors: dict[str, ActorPart]
    statements: int = 0
    relations: int = 0
    quads: int = 0
    sort_key: str = "0.0"
    positions: dict[str, Position] = field(default_factory=dict)  # node -> what it is
    position_facts: Counter = field(default_factory=Counter)  # node -> facts that take it
    holdings: set[tuple[str, str]] = field(default_factory=set)  # (node, actor) held in the article
    relation_types: Counter = field(default_factory=Counter)  # relation type IRI -> relations of it
    speaker_days: Counter = field(default_factory=Counter)  # speaker_day_iri(actor, day) -> statements


def speaker_day_iri(actor: str, day: int) -> str:
    """The summary node that counts an actor's statements of one day (YYYYMMDD as a number, 0 for undated)."""
    return f"{actor}#day={day}"


def time_key_day(key: str) -> int:
    """The day a kg:timeKey begins with, as the number YYYYMMDD (0 for an undated statement).

    >>> time_key_day("20180910062428225.96225"), time_key_day("62428225.96225")
    (20180910, 0)
    """
    return int(key.partition(".")[0] or 0) // 1_000_000_000


def article_part(iri: str, quads: Iterable[ox.Quad]) -> ArticlePart:
    """What the summary needs from one article graph's quads."""
    classes = actor_classes()
    types, labels, alts, qids = defaultdict(set), defaultdict(set), defaultdict(set), defaultdict(set)
    mentions: dict[str, set[str]] = defaultdict(set)
    roles: set[str] = set()
    speaker: dict[str, str] = {}
    stance: dict[str, str] = {}
    time: dict[str, str] = {}
    position: dict[str, dict[str, str]] = defaultdict(dict)
    position_facts: Counter = Counter()
    holdings: set[tuple[str, str]] = set()
    indexed: Counter = Counter()  # (index predicate, actor) -> keys
    relation_types: Counter = Counter()
    statements = relations = n = 0
    ident, published = iri, None
    for q in quads:
        n += 1
        s, p, o = q.subject.value, q.predicate.value, q.object
        if p == _TYPE:
            if o.value in classes:
                types[s].add(o.value)
            elif o.value == _STATEMENT:
                statements += 1
            elif o.value == _RELATION:
                relations += 1
        elif p == _LABEL:
            labels[s].add(o.value)
        elif p == _ALT:
            alts[s].add(o.value)
        elif p == _QID:
            qids[s].add(o.value)
        elif p == _DENOTES:
            mentions[o.value].add(s)
        elif p in _ROLES:
            roles.add(o.value)
            if p == _SPEAKER:
                speaker[s] = o.value
        elif p == _STANCE:
            stance[s] = o.value
        elif p == _TIME_KEY:
            time[s] = o.value
        elif p == _ID and s == iri:
            ident = o.value
        elif p == _PUBLISHED and s == iri:
            published = o.value
        elif p == _POSITION:
            position_facts[o.value] += 1
        elif p == _HELD_BY:
            holdings.add((s, o.value))
        elif p in (_POSITION_TYPE, _TARGET, _TARGET_TOPIC):
            position[s][p] = o.value
        elif p in (_FACT_INDEX, _RELATION_INDEX):
            indexed[p, s] += 1
        elif p == _RELATION_TYPE:
            relation_types[o.value] += 1
    actors = {a: ActorPart(labels[a], alts[a], t, qids[a], len(mentions.get(a, ())),
                           facts=indexed[_FACT_INDEX, a], relations=indexed[_RELATION_INDEX, a],
                           active=a in mentions or a in roles)
              for a, t in types.items()}
    speaker_days: Counter = Counter()
    for st, a in speaker.items():
        if a in actors:
            actors[a].stances[stance.get(st, "")] += 1
            if st in time:
                speaker_days[speaker_day_iri(a, time_key_day(time[st]))] += 1
    positions = {node: Position(d[_POSITION_TYPE], d.get(_TARGET), d.get(_TARGET_TOPIC))
                 for node, d in position.items() if _POSITION_TYPE in d and node in position_facts}
    return ArticlePart(iri, actors, statements, relations, n,
                       keys.article_sort_key(published=published, article_id=ident), positions,
                       Counter({x: k for x, k in position_facts.items() if x in positions}),
                       {(x, a) for x, a in holdings if x in positions}, relation_types, speaker_days)
