"""The summary graph: one row per actor and per article, derived from the article graphs.

Every article graph describes its own actors (label, type, names), so an actor in 3,000 articles has 3,000
copies of each: a query that joins them, counts mentions or sorts actors would cost as much as the store is big.
The summary holds each actor once, with its counts, names and lookup keys, and each article's counts, so that
queries start from a small indexed pattern. The store keeps it in step with every article written or removed
(:meth:`kg.store.EmbeddedStore.write_articles`), and can rebuild it from the article graphs (:func:`rebuild`).

What one actor row holds, in ``kgg:summary`` (see docs/rdf-model.md):

    <actor> rdfs:label "the label most articles give it" ; skos:hiddenLabel "its other labels" ;
        skos:altLabel "every mention form" ; a kg:Person ; kg:typeName "Person" ; kg:wikidataId "Q.." ;
        kg:mentionCount 12 ; kg:articleCount 3 ; kg:statementCount 2 ; kg:rankKey 9999.. ;
        kg:labelOrder 2139.. ; kg:actorKey 1234.. ;
        kg:formKey "every name key" ; kg:labelKey "keys of its labels" ; kg:nameKey "keys that pick it" ;
        kg:exampleArticle <first three articles by IRI> .
    <actor#stance=warn> kg:actor <actor> ; kg:countedStance kgst:warn ; kg:statementCount 1 .
    <actor#type=Person> kg:actor <actor> ; kg:countedType kg:Person ; kg:articleCount 5 .  # articles typing it so
    <actor#label=1a2b..> kg:actor <actor> ; kg:countedLabel "Bernie Sanders" ; kg:articleCount 5 .
    <actor#day=20180910> kg:daySpeaker <actor> ; kg:day 20180910 ; kg:statementCount 2 .  # day 0: undated
    <article> kg:statementCount 9 ; kg:relationCount 4 ; kg:articleKey 0.1 ;
        kg:factArticleKey 0.1 ; kg:relationArticleKey 0.1 .  # only if it gave facts, relations

and one row per position node the facts point to (kg:position), and per actor that holds it:

    <position> kg:positionType kgst:support ; kg:target <actor> (or kg:targetTopic "topic" ; kg:topicWord "word" ;
        kg:topicOrder 2139..) ; kg:targetKey 1234.. ;
        kg:factCount 12 ; kg:holderCount 3 ;
        kg:oppositePosition <the node of kgst:oppose on the same target, if that has a row too> .
    <position#held-by-..> kg:position <position> ; kg:heldBy <actor> ; kg:articleCount 3 ;
        kg:exampleArticle <the first article by IRI> .
"""
from __future__ import annotations

import heapq
from decimal import Decimal
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

import pyoxigraph as ox

from kg.names import normalise, strip_titles, surname_keys
from kg.rdf import keys, mapping
from kg.rdf.namespaces import DCTERMS, KG, RDF, RDFS, SCHEMA, SKOS, SPECIAL_GRAPHS, SUMMARY_GRAPH, XSD
from kg.rdf.parts import ActorFacts, ArticlePart, Position, actor_classes, speaker_day_iri

VERSION = "13"  # bump when what a row holds changes: stores rebuild their summary on open
KEYS_VERSION = "5"  # bump when the keys and index triples of kg.rdf.mapping.key_quads change: stores rewrite them
EXAMPLES = 3
_PERSON = KG.Person.value
STATE = SUMMARY_GRAPH  # the subject of the summary's own state (version, totals, articles in flight)

def type_name(types: Iterable[str]) -> str:
    """The most specific kg: classes among ``types``: 'Country' for {Country, Place}, 'Organization, Person' for
    an actor typed both ways by different articles."""
    classes = actor_classes()
    types = set(types) & set(classes)
    below = set().union(*(classes[t] for t in types)) if types else set()
    return ", ".join(sorted(t.rsplit("#", 1)[1] for t in types - below))


# --- one actor's row --------------------------------------------------------------------------------------------

@dataclass
class ActorRow(ActorFacts):
    articles: int = 0
    examples: set[str] = field(default_factory=set)
    name_keys: set[str] = field(default_factory=set)  # the keys that pick this actor (see select_names)
    # articles that give it each label and each type: the label most give is its label, the type most give
    # its type, so that one article's error ('Bernie Sanders' as an organisation) does not make it two things
    label_counts: Counter = field(default_factory=Counter)
    type_counts: Counter = field(default_factory=Counter)

    def count(self, parts: Iterable[ActorFacts], sign: int = 1) -> None:
        """Add (or with ``sign`` -1 take away) the labels and types of some articles' parts."""
        for x in parts:
            for counts, values in ((self.label_counts, x.labels), (self.type_counts, x.types)):
                for v in values:
                    counts[v] += sign
        for counts in (self.label_counts, self.type_counts):
            for v in [v for v, n in counts.items() if n <= 0]:
                del counts[v]
        self.labels, self.types = set(self.label_counts), set(self.type_counts)

    def label(self) -> str | None:
        """The label most articles give; of those, one not in capitals (a headline's), the longest (the full
        name), then the first alphabetically."""
        if not self.label_counts:
            return min(self.labels) if self.labels else None
        return min(self.label_counts, key=lambda v: (-self.label_counts[v], v.isupper(), -len(v), v))

    def main_types(self) -> set[str]:
        """The types most articles give."""
        if not self.type_counts:
            return set(self.types)
        top = max(self.type_counts.values())
        return {t for t, n in self.type_counts.items() if n == top}

    def form_keys(self) -> set[str]:
        out = set().union(*(keys.name_keys(n) for n in self.labels | self.alts)) if self.labels | self.alts else set()
        if _PERSON in self.types:  # 'Merkel' names Angela Merkel even where no article calls her so
            out |= {k for n in self.labels for k in surname_keys(strip_titles(n))}
        return out | self.label_keys()

    def label_keys(self) -> set[str]:
        out = set().union(*(keys.name_keys(n) for n in self.labels)) if self.labels else set()
        return out | {q.lower() for q in self.qids}

    def quads(self, actor: str) -> list[ox.Quad]:
        a, g = ox.NamedNode(actor), SUMMARY_GRAPH
        out = []
        add = lambda p, o: out.append(ox.Quad(a, p, o, g))  # noqa: E731
        first = self.label()
        if first is not None:
            add(RDFS.label, ox.Literal(first))
            add(KG.labelOrder, ox.Literal(keys.order_key(first), datatype=XSD.decimal))
        add(KG.actorKey, ox.Literal(str(keys.id_hash(actor, 18)), datatype=XSD.decimal))
        for v in sorted(self.labels - {first}):
            add(SKOS.hiddenLabel, ox.Literal(v))
        for v in sorted(self.alts):
            add(SKOS.altLabel, ox.Literal(v))
        main = self.main_types()
        for t in sorted(main):
            add(RDF.type, ox.NamedNode(t))
        add(KG.typeName, ox.Literal(type_name(main)))
        for q in sorted(self.qids):
            add(KG.wikidataId, ox.Literal(q))
        statements = sum(self.stances.values())
        for p, n in ((KG.mentionCount, self.mentions), (KG.articleCount, self.articles),
                     (KG.statementCount, statements), (KG.factCount, self.facts), (KG.relationCount, self.relations)):
            add(p, ox.Literal(str(n), datatype=XSD.integer))
        rank = ox.Literal(rank_key(self.mentions, self.articles, first or "", actor), datatype=XSD.decimal)
        add(KG.rankKey, rank)
        if not self.qids:
            add(KG.unlinkedRankKey, rank)  # so that the curation queue is one index scan too
        for p, values in ((KG.formKey, self.form_keys()), (KG.labelKey, self.label_keys()),
                          (KG.nameKey, self.name_keys)):
            for v in sorted(values):
                add(p, ox.Literal(v))
        for e in sorted(self.examples):
            add(KG.exampleArticle, ox.NamedNode(e))
        for stance, n in sorted(self.stances.items()):
            if n <= 0:
                continue
            node = ox.NamedNode(f"{actor}#stance={stance.rsplit('#', 1)[-1] if stance else 'none'}")
            out.append(ox.Quad(node, KG.actor, a, g))
            if stance:
                out.append(ox.Quad(node, KG.countedStance, ox.NamedNode(stance), g))
            out.append(ox.Quad(node, KG.statementCount, ox.Literal(str(n), datatype=XSD.integer), g))
        for what, counts, p, value in (("type", self.type_counts, KG.countedType, ox.NamedNode),
                                       ("label", self.label_counts, KG.countedLabel, ox.Literal)):
            for v, n in sorted(counts.items()):
                node = ox.NamedNode(f"{actor}#{what}={keys.id_hash(v, 16):016d}")
                out += [ox.Quad(node, KG.actor, a, g), ox.Quad(node, p, value(v), g),
                        ox.Quad(node, KG.articleCount, ox.Literal(str(n), datatype=XSD.integer), g)]
        return out


def row_of(actor: str, quads: Iterable[ox.Quad]) -> ActorRow:
    """An actor's row read back from its summary quads (the inverse of :meth:`ActorRow.quads`)."""
    row = ActorRow()
    nodes: dict[str, list[ox.Quad]] = defaultdict(list)
    for q in quads:
        if q.subject.value != actor:
            nodes[q.subject.value].append(q)
            continue
        p, o = q.predicate, q.object  # labels and types come from their count nodes
        if p == SKOS.altLabel:
            row.alts.add(o.value)
        elif p == KG.wikidataId:
            row.qids.add(o.value)
        elif p == KG.mentionCount:
            row.mentions = int(o.value)
        elif p == KG.articleCount:
            row.articles = int(o.value)
        elif p == KG.factCount:
            row.facts = int(o.value)
        elif p == KG.relationCount:
            row.relations = int(o.value)
        elif p == KG.exampleArticle:
            row.examples.add(o.value)
        elif p == KG.nameKey:
            row.name_keys.add(o.value)
    for node in nodes.values():
        counted = {q.predicate: q.object.value for q in node}
        if KG.countedType in counted or KG.countedLabel in counted:
            counts = row.type_counts if KG.countedType in counted else row.label_counts
            counts[counted.get(KG.countedType) or counted[KG.countedLabel]] = int(counted[KG.articleCount])
            continue
        row.stances[counted.get(KG.countedStance, "")] += int(counted.get(KG.statementCount, 0))
    row.count(())
    return row


_ALPHABET = " 0123456789abcdefghijklmnopqrstuvwxyz"


def rank_key(mentions: int, articles: int, label: str, actor: str) -> str:
    """An actor's place in the actor lists as one number (xsd:decimal): most mentions first, then most articles,
    then alphabetically by the first six letters of the folded label, then by a hash of the IRI.

    >>> rank_key(3, 1, "John Bolton", "x") < rank_key(2, 5, "Abe", "x") < rank_key(2, 4, "Abe", "x")
    True
    """
    folded = normalise(label)[:6].ljust(6)
    letters = 0
    for c in folded:
        letters = letters * len(_ALPHABET) + max(0, _ALPHABET.find(c))
    inverted_mentions = 999_999_999 - min(mentions, 999_999_999)
    inverted_articles = 99_999_999 - min(articles, 99_999_999)
    return keys.decimal(f"{inverted_mentions:09d}{inverted_articles:08d}.{letters:010d}{keys.id_hash(actor, 8):08d}")


def article_quads(part: ArticlePart) -> list[ox.Quad]:
    a, g = ox.NamedNode(part.iri), SUMMARY_GRAPH
    count = lambda n: ox.Literal(str(n), datatype=XSD.integer)  # noqa: E731
    key = ox.Literal(part.sort_key, datatype=XSD.decimal)
    out = [ox.Quad(a, KG.statementCount, count(part.statements), g),
           ox.Quad(a, KG.relationCount, count(part.relations), g),
           ox.Quad(a, KG.articleKey, key, g)]
    # the same key again on articles that gave facts, and relations: a list in document order reads its first
    # page from the first of these articles, each of which gives at least one row
    if part.statements or part.relations:
        out.append(ox.Quad(a, KG.factArticleKey, key, g))
    if part.relations:
        out.append(ox.Quad(a, KG.relationArticleKey, key, g))
    return out


def opposite_node(node: str, position: Position) -> str | None:
    """The node of the opposite position on the same target (None for a type with no opposite)."""
    opposite = mapping.opposites().get(position.type)
    if opposite is None:
        return None
    target = position.target if position.target is not None else f"topic:{position.topic}"
    return mapping.position_node(node.rsplit("/position/", 1)[0], opposite, target)


def position_quads(node: str, position: Position, facts: int, holders: int, opposed: bool) -> list[ox.Quad]:
    """A position's row: ``facts`` point to it, ``holders`` actors hold it (its holding rows; a position whose
    facts are all hypothetical has none); ``opposed``: the opposite position has a row too."""
    n, g = ox.NamedNode(node), SUMMARY_GRAPH
    out = [ox.Quad(n, KG.positionType, ox.NamedNode(position.type), g),
           ox.Quad(n, KG.factCount, ox.Literal(str(facts), datatype=XSD.integer), g),
           ox.Quad(n, KG.holderCount, ox.Literal(str(holders), datatype=XSD.integer), g)]
    target = position.target if position.target is not None else f"topic:{position.topic}"
    # a number unique to the target (for an actor, its kg:actorKey): conflicts sorts the rows of one target by it
    out.append(ox.Quad(n, KG.targetKey, ox.Literal(str(keys.id_hash(target, 18)), datatype=XSD.decimal), g))
    if position.target is not None:
        out.append(ox.Quad(n, KG.target, ox.NamedNode(position.target), g))
    if position.topic is not None:
        out.append(ox.Quad(n, KG.targetTopic, ox.Literal(position.topic), g))
        out.append(ox.Quad(n, KG.topicOrder, ox.Literal(keys.order_key(position.topic), datatype=XSD.decimal), g))
        out += [ox.Quad(n, KG.topicWord, ox.Literal(w), g) for w in keys.topic_words(position.topic)]
    if opposed:
        out.append(opposite_quad(node, opposite_node(node, position)))
    return out


def opposite_quad(node: str, other: str) -> ox.Quad:
    """The link between two opposite positions on one target, written only while both have a row: conflicts
    reads its pairs from these links alone (a few dozen where positions are thousands)."""
    return ox.Quad(ox.NamedNode(node), KG.oppositePosition, ox.NamedNode(other), SUMMARY_GRAPH)


def relation_type_quads(relation_type: str, relations: int) -> list[ox.Quad]:
    """A relation type's row: how many relations of it the store holds (the total of 'relations' by type)."""
    return [ox.Quad(ox.NamedNode(relation_type), KG.relationCount, ox.Literal(str(relations), datatype=XSD.integer),
                    SUMMARY_GRAPH)]


def speaker_day_quads(node: str, statements: int) -> list[ox.Quad]:
    """The row that counts an actor's statements of one day: what a query whose answer is the statements of
    some actors between some dates (office-holders) counts its total from, one row per speaker and day."""
    actor, _, day = node.rpartition("#day=")
    n, g = ox.NamedNode(node), SUMMARY_GRAPH
    return [ox.Quad(n, KG.daySpeaker, ox.NamedNode(actor), g),
            ox.Quad(n, KG.day, ox.Literal(day, datatype=XSD.integer), g),
            ox.Quad(n, KG.statementCount, ox.Literal(str(statements), datatype=XSD.integer), g)]


def holding_quads(node: str, actor: str, articles: int, first: str) -> list[ox.Quad]:
    h, g = ox.NamedNode(mapping.holding_node(node, actor)), SUMMARY_GRAPH
    return [ox.Quad(h, KG.position, ox.NamedNode(node), g), ox.Quad(h, KG.heldBy, ox.NamedNode(actor), g),
            ox.Quad(h, KG.articleCount, ox.Literal(str(articles), datatype=XSD.integer), g),
            ox.Quad(h, KG.exampleArticle, ox.NamedNode(first), g)]


def select_names(candidates: dict[str, tuple[int, bool]]) -> set[str]:
    """Which actors a name key picks, given each candidate's mention count and whether the key is one of its
    labels: every actor so labelled, and the most mentioned one. 'Trump' picks the actor labelled 'Trump' and
    Donald Trump, not Ivanka Trump, whom some article calls 'Ms. Trump'."""
    if not candidates:
        return set()
    top = max(n for n, _ in candidates.values())
    return {a for a, (n, is_label) in candidates.items() if is_label or n == top}


# --- keeping it in step with the article graphs -------------------------------------------------------------

class Reader:
    """What the upkeep reads from the store (kg.store implements it over pyoxigraph)."""

    def row(self, actor: str) -> tuple[ActorRow | None, list[ox.Quad]]:
        """The actor's current row and its quads in the summary (None and [] if it has none)."""

    def article_row(self, article: str) -> list[ox.Quad]:
        """The article's current row quads in the summary."""

    def exists(self, s: str, p: ox.NamedNode, o: str | None, outside: set[str]) -> bool:
        """Whether an article graph not in ``outside`` holds ``s p o`` (any object when ``o`` is None)."""

    def active_graphs(self, actor: str, outside: set[str]) -> Iterable[str]:
        """The article graphs outside ``outside`` in which the actor is mentioned or takes part in a fact."""

    def key_candidates(self, keys_: set[str], outside: set[str]) -> dict[str, dict[str, tuple[int, bool, bool]]]:
        """For each key, the actors not in ``outside`` that carry it: (mentions, is a label key, picked by it)."""

    def totals(self) -> list[ox.Quad]:
        """The summary's state quads (version and totals)."""

    def summary_quads(self, subject: str) -> list[ox.Quad]:
        """The summary's quads about ``subject``."""

    def first_holding(self, node: str, actor: str, outside: set[str]) -> str | None:
        """The first article graph by IRI, outside ``outside``, in which ``actor`` holds position ``node``."""


def changes(reader: Reader, olds: list[ArticlePart], news: list[ArticlePart]) -> tuple[set, set]:
    """The summary quads to delete and to insert when the article graphs of ``olds`` are replaced by ``news``
    (an article in ``olds`` and not in ``news`` is removed)."""
    batch = {p.iri for p in olds} | {p.iri for p in news}
    touched = set().union(*(p.actors for p in olds + news))
    deletes: set[ox.Quad] = set()
    inserts: set[ox.Quad] = set()
    rows: dict[str, ActorRow] = {}
    keys_before: set[str] = set()
    existed: set[str] = set()
    for a in sorted(touched):
        row, current = reader.row(a)
        deletes.update(current)
        if row is not None:
            existed.add(a)
            keys_before |= row.form_keys()
        row = _updated(reader, a, row or ActorRow(), [p for p in olds if a in p.actors],
                       [p for p in news if a in p.actors], batch)
        if row is not None:
            rows[a] = row
    wanted = keys_before | set().union(*(r.form_keys() for r in rows.values()))
    others = reader.key_candidates(wanted, touched)
    picked = _choose_names(rows, {k: {a: (n, lab) for a, (n, lab, _) in found.items()} for k, found in others.items()})
    for k, found in others.items():
        for a, (_, _, has) in found.items():
            quad = ox.Quad(ox.NamedNode(a), KG.nameKey, ox.Literal(k), SUMMARY_GRAPH)
            if has and a not in picked.get(k, ()):
                deletes.add(quad)
            elif not has and a in picked.get(k, ()):
                inserts.add(quad)
    for a, row in rows.items():
        inserts.update(row.quads(a))
    _position_changes(reader, olds, news, batch, deletes, inserts)
    _recount(reader, olds, news, lambda p: p.relation_types, KG.relationCount, relation_type_quads, deletes, inserts)
    _recount(reader, olds, news, lambda p: p.speaker_days, KG.statementCount, speaker_day_quads, deletes, inserts)
    old_iris, new_iris = {p.iri for p in olds}, {p.iri for p in news}
    for iri in sorted(batch):
        deletes.update(reader.article_row(iri))
    for p in news:
        inserts.update(article_quads(p))
    deletes.update(reader.totals())
    t = totals(reader.totals())
    dead, born = len(existed - set(rows)), len(set(rows) - existed)
    inserts.update(totals_quads(
        t["articleCount"] + len(new_iris - old_iris) - len(old_iris - new_iris),
        t["actorCount"] + born - dead,
        t["statementCount"] + sum(p.statements for p in news) - sum(p.statements for p in olds),
        t["relationCount"] + sum(p.relations for p in news) - sum(p.relations for p in olds),
        t["quadCount"] + sum(p.quads for p in news) - sum(p.quads for p in olds)))
    same = deletes & inserts  # what did not change is neither deleted nor written again
    return deletes - same, inserts - same


def _position_changes(reader: Reader, olds: list[ArticlePart], news: list[ArticlePart], batch: set[str],
                      deletes: set[ox.Quad], inserts: set[ox.Quad]) -> None:
    """Bring the rows of the positions and holdings the batch touches in step (into ``deletes`` and ``inserts``)."""
    born: Counter = Counter()  # position node -> holding rows made less holding rows gone
    for node, actor in sorted(set().union(*(p.holdings for p in olds + news))):
        current = reader.summary_quads(mapping.holding_node(node, actor))
        deletes.update(current)
        holders = {p.iri for p in news if (node, actor) in p.holdings}
        articles = sum(int(q.object.value) for q in current if q.predicate == KG.articleCount)
        articles += len(holders) - sum((node, actor) in p.holdings for p in olds)
        born[node] += (articles > 0) - bool(current)
        if articles <= 0:
            continue
        first = next((q.object.value for q in current if q.predicate == KG.exampleArticle), None)
        if first is not None and (first not in batch or first in holders):
            holders.add(first)  # still the first outside the batch: the batch's own are among the holders
        else:
            holders.add(reader.first_holding(node, actor, batch))
        inserts.update(holding_quads(node, actor, articles, min(h for h in holders if h is not None)))
    # a holding changes only with the facts that point to its position: its node is among these
    touched = set().union(*(p.position_facts for p in olds + news))
    changed = sorted(touched)
    rows: dict[str, tuple[Position, int, int]] = {}  # node -> (position, facts, holders) after the batch
    existed: set[str] = set()
    for node in changed:
        current = reader.summary_quads(node)
        deletes.update(current)
        if current:
            existed.add(node)
        count = lambda predicate: sum(int(q.object.value) for q in current if q.predicate == predicate)  # noqa: E731
        facts = count(KG.factCount) + sum(p.position_facts[node] for p in news) \
            - sum(p.position_facts[node] for p in olds)
        if facts > 0:
            position = next(p.positions[node] for p in news + olds if node in p.positions)
            rows[node] = (position, facts, count(KG.holderCount) + born[node])

    def has_row(node: str) -> bool:  # after the batch
        return node in rows if node in touched else bool(reader.summary_quads(node))

    for node, (position, facts, holders) in rows.items():
        other = opposite_node(node, position)
        inserts.update(position_quads(node, position, facts, holders, other is not None and has_row(other)))
    # a position that came or went: the opposite one, if the batch left it alone, gains or loses the link
    for node in changed:
        if (node in rows) == (node in existed):
            continue
        other = opposite_node(node, next(p.positions[node] for p in news + olds if node in p.positions))
        if other is not None and other not in touched and has_row(other):
            (inserts if node in rows else deletes).add(opposite_quad(other, node))


def _recount(reader: Reader, olds: list[ArticlePart], news: list[ArticlePart], counts: Callable[[ArticlePart], Counter],
             predicate: ox.NamedNode, row: Callable[[str, int], list[ox.Quad]], deletes: set[ox.Quad],
             inserts: set[ox.Quad]) -> None:
    """Rows that hold one count (a relation type's relations, a speaker's statements of a day): the stored
    count, less what the old articles gave, plus what the new ones give; a row whose count falls to 0 goes."""
    for subject in sorted(set().union(*(counts(p) for p in olds + news))):
        current = reader.summary_quads(subject)
        deletes.update(current)
        n = sum(int(q.object.value) for q in current if q.predicate == predicate)
        n += sum(counts(p)[subject] for p in news) - sum(counts(p)[subject] for p in olds)
        if n > 0:
            inserts.update(row(subject, n))


def totals(quads: list[ox.Quad]) -> dict[str, int]:
    """The summary's totals (articles, actors, statements, relations, quads) from its state quads."""
    out = dict.fromkeys(("articleCount", "actorCount", "statementCount", "relationCount", "quadCount"), 0)
    for q in quads:
        name = q.predicate.value.rsplit("#", 1)[1]
        if name in out:
            out[name] = int(q.object.value)
    return out


def _updated(reader: Reader, actor: str, row: ActorRow, olds: list[ArticlePart], news: list[ArticlePart],
             batch: set[str]) -> ActorRow | None:
    """The row after the batch, or None when no article describes the actor any more."""
    old = [p.actors[actor] for p in olds]
    new = [p.actors[actor] for p in news]
    if not new and not reader.exists(actor, RDF.type, None, batch):
        return None
    row.mentions += sum(x.mentions for x in new) - sum(x.mentions for x in old)
    row.articles += sum(x.active for x in new) - sum(x.active for x in old)
    row.facts += sum(x.facts for x in new) - sum(x.facts for x in old)
    row.relations += sum(x.relations for x in new) - sum(x.relations for x in old)
    for x in new:
        row.stances.update(x.stances)
    for x in old:
        row.stances.subtract(x.stances)
    row.stances = Counter({k: v for k, v in row.stances.items() if v > 0})
    row.count(new)
    row.count(old, -1)
    for attr, pred in (("alts", SKOS.altLabel), ("qids", KG.wikidataId)):
        before = set().union(*(getattr(x, attr) for x in old))
        after = set().union(*(getattr(x, attr) for x in new))
        gone = {v for v in before - after if not reader.exists(actor, pred, v, batch)}
        setattr(row, attr, (getattr(row, attr) - gone) | after)
    examples = (row.examples - batch) | {p.iri for p in news if p.actors[actor].active}
    if len(examples) < min(EXAMPLES, row.articles):  # an example went: find the next ones in the store
        examples |= set(heapq.nsmallest(EXAMPLES, set(reader.active_graphs(actor, batch)) - examples))
    row.examples = set(sorted(examples)[:EXAMPLES])
    return row


def _choose_names(rows: dict[str, ActorRow], others: dict[str, dict[str, tuple[int, bool]]]) -> dict[str, set[str]]:
    """Set ``name_keys`` of every row, and return which actors each key picks, among ``rows`` and the ``others``
    (key -> actor -> (mentions, is a label key)) that also carry it."""
    candidates: dict[str, dict[str, tuple[int, bool]]] = defaultdict(dict)
    for k, found in others.items():
        candidates[k].update(found)
    for a, row in rows.items():
        labels = row.label_keys()
        for k in row.form_keys():
            candidates[k][a] = (row.mentions, k in labels)
    picked = {k: select_names(found) for k, found in candidates.items()}
    for a, row in rows.items():
        row.name_keys = {k for k in row.form_keys() if a in picked[k]}
    return picked


# --- the summary of a first build, folded as its articles stream in --------------------------------------------

class Tally:
    """The summary of a first build into an empty store, folded from each article's part as it is bulk-loaded:
    equal to :func:`rebuild` once every article is in, without reading the article graphs back (which would
    cost the time of a second pass and fill RocksDB's caches). Holds one row per actor and position, and the
    running totals: it grows with the actors, not with the articles."""

    def __init__(self) -> None:
        self.rows: dict[str, ActorRow] = defaultdict(ActorRow)
        self.positions: dict[str, Position] = {}
        self.facts: Counter = Counter()
        self.relation_types: Counter = Counter()
        self.speaker_days: Counter = Counter()
        self.holdings: dict[tuple[str, str], list] = {}  # (node, actor) -> [articles, first article by IRI]
        self.articles = self.statements = self.relations = self.quad_count = 0

    def add(self, part: ArticlePart) -> list[ox.Quad]:
        """Fold in one new article's part; return the article's own summary row, to be written with it."""
        for a, x in part.actors.items():
            row = self.rows[a]
            row.alts.update(x.alts)
            row.qids.update(x.qids)
            # counts only: the label and type sets are read from them once, in quads()
            row.label_counts.update(x.labels)
            row.type_counts.update(x.types)
            row.mentions += x.mentions
            row.facts += x.facts
            row.relations += x.relations
            row.stances.update(x.stances)
            if x.active:
                row.articles += 1
                examples = row.examples  # the first EXAMPLES by IRI
                if part.iri in examples:
                    pass
                elif len(examples) < EXAMPLES:
                    examples.add(part.iri)
                elif part.iri < (last := max(examples)):
                    examples.discard(last)
                    examples.add(part.iri)
        for node, position in part.positions.items():
            self.positions.setdefault(node, position)
        self.facts.update(part.position_facts)
        self.relation_types.update(part.relation_types)
        self.speaker_days.update(part.speaker_days)
        for held in part.holdings:
            h = self.holdings.setdefault(held, [0, part.iri])
            h[0] += 1
            h[1] = min(h[1], part.iri)
        self.articles += 1
        self.statements += part.statements
        self.relations += part.relations
        self.quad_count += part.quads
        return article_quads(part)

    def quads(self) -> Iterator[ox.Quad]:
        """The summary's actor, position and holding rows (the article rows went in with each article), as
        they are made, so that the store can take them in parts; :meth:`totals` last."""
        for row in self.rows.values():
            row.stances = Counter({k: v for k, v in row.stances.items() if v > 0})
            row.count(())
        _choose_names(self.rows, {})
        for a, row in self.rows.items():
            yield from row.quads(a)
        holders = Counter(node for node, _ in self.holdings)
        for node, facts in self.facts.items():
            position = self.positions[node]
            yield from position_quads(node, position, facts, holders[node],
                                      opposite_node(node, position) in self.facts)
        for (node, actor), (articles, first) in self.holdings.items():
            yield from holding_quads(node, actor, articles, first)
        for relation_type, n in self.relation_types.items():
            yield from relation_type_quads(relation_type, n)
        for node, n in self.speaker_days.items():
            yield from speaker_day_quads(node, n)

    def totals(self) -> list[ox.Quad]:
        """The summary's state: its version (which says the summary is whole) and its totals."""
        return totals_quads(self.articles, len(self.rows), self.statements, self.relations, self.quad_count)


# --- rebuilding the whole summary from the article graphs -------------------------------------------------------

def _values_classes() -> str:
    return "VALUES ?t { " + " ".join(f"<{c}>" for c in sorted(actor_classes())) + " }"


_NOT_SPECIAL = "FILTER(?g NOT IN (" + ", ".join(f"<{g}>" for g in sorted(SPECIAL_GRAPHS)) + "))"


def rebuild(store: ox.Store) -> list[ox.Quad]:
    """The whole summary, computed from every article graph: what the upkeep must always equal."""
    rows: dict[str, ActorRow] = defaultdict(ActorRow)
    day_rows: Counter = Counter()
    prefixes = {"kg": str(KG), "rdfs": str(RDFS), "skos": str(SKOS)}
    select = lambda q: store.query(q, prefixes=prefixes)  # noqa: E731
    classes = _values_classes()
    for r in select(f"SELECT ?a ?t (COUNT(DISTINCT ?g) AS ?n) WHERE {{ GRAPH ?g {{ ?a a ?t }} {classes} {_NOT_SPECIAL} }} "
                    "GROUP BY ?a ?t"):
        rows[r["a"].value].type_counts[r["t"].value] = int(r["n"].value)
    actors = set(rows)
    for r in select(f"SELECT ?a ?v (COUNT(DISTINCT ?g) AS ?n) WHERE {{ GRAPH ?g {{ ?a rdfs:label ?v }} {_NOT_SPECIAL} }} "
                    "GROUP BY ?a ?v"):
        if r["a"].value in actors:
            rows[r["a"].value].label_counts[r["v"].value] = int(r["n"].value)
    for row in rows.values():
        row.count(())
    for attr, pred in (("alts", "skos:altLabel"), ("qids", "kg:wikidataId")):
        for r in select(f"SELECT DISTINCT ?a ?v WHERE {{ GRAPH ?g {{ ?a {pred} ?v }} {_NOT_SPECIAL} }}"):
            if r["a"].value in actors:
                getattr(rows[r["a"].value], attr).add(r["v"].value)
    for r in select(f"SELECT ?a (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?m kg:denotes ?a }} {_NOT_SPECIAL} }} "
                    "GROUP BY ?a"):
        if r["a"].value in actors:
            rows[r["a"].value].mentions = int(r["n"].value)
    examples: dict[str, list[str]] = defaultdict(list)
    for r in select(f"""SELECT DISTINCT ?a ?g WHERE {{ GRAPH ?g {{ {{ ?m kg:denotes ?a }}
                          UNION {{ ?f kg:speaker|kg:subject|kg:object|kg:about ?a }} }} {_NOT_SPECIAL} }}"""):
        a, g = r["a"].value, r["g"].value
        if a in actors:
            rows[a].articles += 1
            smallest = examples[a]
            if len(smallest) < EXAMPLES or g < smallest[-1]:
                smallest.append(g)
                smallest.sort()
                del smallest[EXAMPLES:]
    for a, smallest in examples.items():
        rows[a].examples = set(smallest)
    for attr, index in (("facts", "kg:factIndex"), ("relations", "kg:relationIndex")):
        for r in select(f"SELECT ?a (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?a {index} ?k }} {_NOT_SPECIAL} }} "
                        "GROUP BY ?a"):
            if r["a"].value in actors:
                setattr(rows[r["a"].value], attr, int(r["n"].value))
    for r in select(f"""SELECT ?a ?s (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?st kg:speaker ?a
                          OPTIONAL {{ ?st kg:stance ?s }} }} {_NOT_SPECIAL} }} GROUP BY ?a ?s"""):
        if r["a"].value in actors:
            rows[r["a"].value].stances[r["s"].value if r["s"] is not None else ""] += int(r["n"].value)
    for r in select(f"""SELECT ?a ?day (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?st kg:speaker ?a ; kg:timeKey ?k }}
                          BIND(FLOOR(?k / 1000000000) AS ?day) {_NOT_SPECIAL} }} GROUP BY ?a ?day"""):
        if r["a"].value in actors:
            day_rows[speaker_day_iri(r["a"].value, int(Decimal(r["day"].value)))] += int(r["n"].value)
    _choose_names(rows, {})
    out = [q for a, row in rows.items() for q in row.quads(a)]
    out += [q for node, n in day_rows.items() for q in speaker_day_quads(node, n)]
    out += _position_rows(select)
    for r in select(f"SELECT ?t (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?r kg:relationType ?t }} {_NOT_SPECIAL} }} "
                    "GROUP BY ?t"):
        out += relation_type_quads(r["t"].value, int(r["n"].value))
    parts = _article_parts(select)
    for part in parts:
        out += article_quads(part)
    special = sum(1 for g in SPECIAL_GRAPHS for _ in store.quads_for_pattern(None, None, None, ox.NamedNode(g)))
    out += totals_quads(len(parts), len(rows), sum(p.statements for p in parts), sum(p.relations for p in parts),
                        len(store) - special)
    return out


def _position_rows(select) -> list[ox.Quad]:
    facts = {r["x"].value: int(r["n"].value) for r in select(
        f"SELECT ?x (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?f kg:position ?x }} {_NOT_SPECIAL} }} GROUP BY ?x")}
    out, holders = [], Counter()
    for r in select(f"""SELECT ?x ?a (COUNT(DISTINCT ?g) AS ?n) (MIN(STR(?g)) AS ?first) WHERE {{
                          GRAPH ?g {{ ?x kg:heldBy ?a }} {_NOT_SPECIAL} }} GROUP BY ?x ?a"""):
        if r["x"].value in facts:
            out += holding_quads(r["x"].value, r["a"].value, int(r["n"].value), r["first"].value)
            holders[r["x"].value] += 1
    for r in select(f"""SELECT DISTINCT ?x ?t ?target ?topic WHERE {{ GRAPH ?g {{ ?x kg:positionType ?t
                          OPTIONAL {{ ?x kg:target ?target }} OPTIONAL {{ ?x kg:targetTopic ?topic }} }}
                          {_NOT_SPECIAL} }}"""):
        x = r["x"].value
        if x in facts:
            value = lambda v: r[v].value if r[v] is not None else None  # noqa: E731
            position = Position(r["t"].value, value("target"), value("topic"))
            out += position_quads(x, position, facts[x], holders[x], opposite_node(x, position) in facts)
    return out


def _article_parts(select) -> list[ArticlePart]:
    parts: dict[str, ArticlePart] = {}
    for r in select(f"""SELECT ?g ?id ?p WHERE {{ GRAPH ?g {{ ?g a kg:Article .
                          OPTIONAL {{ ?g <{DCTERMS.identifier.value}> ?id }}
                          OPTIONAL {{ ?g <{SCHEMA.datePublished.value}> ?p }} }} }}"""):
        g = r["g"].value
        parts[g] = ArticlePart(g, {}, sort_key=keys.article_sort_key(
            published=r["p"].value if r["p"] is not None else None,
            article_id=r["id"].value if r["id"] is not None else g))
    for attr, cls in (("statements", "kg:Statement"), ("relations", "kg:Relation")):
        for r in select(f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?x a {cls} }} }} GROUP BY ?g"):
            if r["g"].value in parts:
                setattr(parts[r["g"].value], attr, int(r["n"].value))
    return list(parts.values())


def totals_quads(articles: int, actors: int, statements: int, relations: int, quads: int) -> list[ox.Quad]:
    count = lambda n: ox.Literal(str(n), datatype=XSD.integer)  # noqa: E731
    return [ox.Quad(STATE, KG.summaryVersion, ox.Literal(VERSION), SUMMARY_GRAPH),
            ox.Quad(STATE, KG.keysVersion, ox.Literal(KEYS_VERSION), SUMMARY_GRAPH),
            ox.Quad(STATE, KG.articleCount, count(articles), SUMMARY_GRAPH),
            ox.Quad(STATE, KG.actorCount, count(actors), SUMMARY_GRAPH),
            ox.Quad(STATE, KG.statementCount, count(statements), SUMMARY_GRAPH),
            ox.Quad(STATE, KG.relationCount, count(relations), SUMMARY_GRAPH),
            ox.Quad(STATE, KG.quadCount, count(quads), SUMMARY_GRAPH),
            # a parameter not given is "": a query's branch for that case starts from this one triple
            ox.Quad(STATE, KG.emptyKey, ox.Literal(""), SUMMARY_GRAPH)]
