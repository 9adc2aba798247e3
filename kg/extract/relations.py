"""Relations between actors: verb triggers (back, oppose, meet, host, warn, accuse ...), '-backed' modifiers,
joint action ('worked together'), roles from titles and appositions, and located_in.

Works on token indices; :mod:`kg.extract` maps tokens to entities through ``owner``.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable

from kg import lexicons
from kg.extract.entities import demonym_country

log = logging.getLogger(__name__)
_LEX = lexicons.load("relations")
VERBS: dict[str, str] = _LEX["verbs"]
OBJECT_PREPS: dict[str, list[str]] = _LEX["object_preps"]
JOINT: dict[str, str] = _LEX["joint_verbs"]
BACKED: dict[str, str] = _LEX["backed_adjectives"]
NOUN_TRIGGERS: dict[str, str] = _LEX["nouns"]
DESPITE = frozenset(_LEX["plea_opposes_context"])
HYPOTHETICAL_AUX = frozenset({"would", "could", "might", "may", "should"})


@dataclass(frozen=True)
class FoundRelation:
    type: str
    subject: int  # token index (mapped to an entity by the caller)
    object: int | None  # token index of an entity mention ...
    topic: tuple[int, int] | None  # ... or a character span naming a topic
    evidence: tuple[int, int]
    negated: bool
    hypothetical: bool
    rule: str
    confidence: float
    subject_entity: str | None = None  # set when known by name only ("Iranian-backed" -> Iran)
    object_entity: str | None = None  # likewise ("Syrian President" -> Syria)


Owner = Callable[[int], "str | None"]  # token index -> entity id


def _with_conjuncts(tok) -> list:
    return [tok] + [c for c in tok.conjuncts if c.i > tok.i]


def _negated(verb) -> bool:
    return any(c.dep_ == "neg" for c in verb.children)


def _hypothetical(verb) -> bool:
    if any(c.dep_ == "aux" and c.lower_ in HYPOTHETICAL_AUX for c in verb.children):
        return True
    node = verb
    while True:
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in node.children):
            return True
        if node.head.i == node.i:
            return False
        node = node.head


def _evidence(doc, i: int, j: int) -> tuple[int, int]:
    while j > i and doc[j - 1].is_punct:
        j -= 1
    return doc[i].idx, doc[j - 1].idx + len(doc[j - 1].text)


def _topic(doc, obj) -> tuple[int, int]:
    """A short topic phrase for a non-entity object: the noun phrase and a short prepositional tail."""
    left = obj.left_edge.i
    while left < obj.i and doc[left].dep_ in ("det", "predet", "poss", "case"):
        left += 1
    right = obj.i
    for c in obj.children:
        if c.dep_ == "prep" and c.i > obj.i and c.right_edge.i - c.i <= 3:
            right = max(right, c.right_edge.i)
            break
    return doc[left].idx, doc[right].idx + len(doc[right].text)


def _entity_tokens(tok, owner: Owner) -> list:
    """Entity mentions a noun phrase stands for: itself, or 'diplomats from Iran, Russia and Turkey'."""
    heads = [t for t in _with_conjuncts(tok) if owner(t.i)]
    if heads:
        return heads
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in ("from", "of"):
            for p in c.children:
                if p.dep_ == "pobj":
                    return [t for t in _with_conjuncts(p) if owner(t.i)]
    return []


def _verb_relations(doc, verb, owner: Owner) -> list[FoundRelation]:
    rel = VERBS.get(verb.lemma_.lower())
    if rel is None or verb.pos_ != "VERB":
        return []
    subjects = [s for c in verb.children if c.dep_ in ("nsubj",) for s in _with_conjuncts(c) if owner(s.i)]
    if not subjects:
        return []
    objects, topic = [], None
    for c in verb.children:
        if c.dep_ in ("dobj", "dative"):
            objects = _entity_tokens(c, owner)
            if not objects and topic is None:
                topic = _topic(doc, c)
        elif c.dep_ == "prep" and c.lower_ in OBJECT_PREPS.get(rel, ()):
            for p in c.children:
                if p.dep_ == "pobj":
                    objects = objects or _entity_tokens(p, owner)
                    if not objects and topic is None:
                        topic = _topic(doc, p)
    if not objects and topic is None:
        return []
    left = min(s.left_edge.i for s in subjects)
    right = max([o.i for o in objects] or [verb.i])
    if topic:
        right = max(right, next(t.i for t in doc if t.idx + len(t.text) >= topic[1]))
    ev = _evidence(doc, left, right + 1)
    neg, hyp = _negated(verb), _hypothetical(verb)
    out = []
    for s in subjects:
        if objects:
            out += [FoundRelation(rel, s.i, o.i, None, ev, neg, hyp, f"verb:{verb.lemma_.lower()}", 0.75)
                    for o in objects if owner(o.i) != owner(s.i)]
        else:
            out.append(FoundRelation(rel, s.i, None, topic, ev, neg, hyp, f"verb:{verb.lemma_.lower()}", 0.7))
    return out


def _joint_relations(doc, verb, owner: Owner) -> list[FoundRelation]:
    """'Russia, Turkey and Iran have been working together': every pair cooperates."""
    lemma = verb.lemma_.lower()
    together = any(c.lower_ in ("together", "jointly") for c in verb.children)
    rel = JOINT.get(f"{lemma} together") if together else None
    if rel is None and lemma in JOINT and not any(c.dep_ in ("dobj", "prep") for c in verb.children):
        rel = JOINT[lemma]
    if rel is None:
        return []
    subjects = [s for c in verb.children if c.dep_ == "nsubj" for s in _with_conjuncts(c) if owner(s.i)]
    if len(subjects) < 2:
        return []
    ev = _evidence(doc, min(s.left_edge.i for s in subjects), verb.i + (2 if together else 1))
    out = []
    for a in range(len(subjects)):
        for b in range(a + 1, len(subjects)):
            out.append(FoundRelation(rel, subjects[a].i, subjects[b].i, None, ev, _negated(verb),
                                     _hypothetical(verb), "joint-action", 0.7))
    return out


def _backed_relations(doc, tok, owner: Owner, country_entity: Callable[[str], "str | None"]) -> list[FoundRelation]:
    """"Syria's Russian- and Iranian-backed government": Russia and Iran support the government."""
    word = tok.lower_
    rel = BACKED.get(word)
    if rel is None or tok.dep_ not in ("amod", "compound") or rel == "role":
        return []
    target = tok.head
    if not owner(target.i):
        return []
    # modifiers written before '-backed' inside the same noun phrase
    i = tok.i - 1
    subjects: list[str] = []
    first = tok.i
    while i >= target.left_edge.i and (doc[i].is_punct or doc[i].lower_ in ("and", "or") or demonym_country(doc[i].text)
                                      or owner(i)):
        name = demonym_country(doc[i].text)
        ent = country_entity(name) if name else owner(i) if doc[i].dep_ != "poss" else None
        if ent and ent not in subjects:
            subjects.insert(0, ent)
            first = i
        if doc[i].dep_ == "poss":
            break
        i -= 1
    ev = _evidence(doc, first, target.i + 1)
    return [FoundRelation(rel, first, target.i, None, ev, False, False, f"modifier:{word}", 0.75, subject_entity=s)
            for s in subjects if s != owner(target.i)]


def _despite_pleas(doc, tok, owner: Owner, verb_rels: list[FoundRelation]) -> list[FoundRelation]:
    """"backed a campaign, despite Turkey's pleas for a ceasefire": Turkey opposes what was backed."""
    if tok.lemma_.lower() not in NOUN_TRIGGERS or tok.head.lower_ not in DESPITE:
        return []
    poss = [c for c in tok.children if c.dep_ == "poss" and owner(c.i)]
    verb = tok.head.head
    backed = [r for r in verb_rels if r.type == "supports" and r.evidence[0] <= verb.idx < r.evidence[1]]
    if not poss or not backed:
        return []
    r = backed[0]
    ev = _evidence(doc, tok.head.i, tok.right_edge.i + 1)
    return [FoundRelation("opposes", poss[0].i, r.object, r.topic, ev, False, False, "despite-plea", 0.6)]


def _role_relations(doc, person_mentions: list[tuple[int, int]], owner: Owner,
                    country_entity: Callable[[str], "str | None"]) -> list[FoundRelation]:
    """'Syrian President Bashar Assad' -> role(Assad, Syria); 'X, a special envoy for Iran's ...' -> role(X, Iran)."""
    out = []
    for i, j in person_mentions:
        person = i
        k = i - 1
        while k >= 0 and doc[k].dep_ in ("compound", "amod", "nmod") and doc[k].pos_ in ("PROPN", "ADJ", "NOUN"):
            name = demonym_country(doc[k].text)
            named = doc[k].ent_type_ in ("ORG", "GPE", "NORP")  # "President" of "President Trump" is no target
            target = country_entity(name) if name else (owner(k) if named and owner(k) != owner(person) else None)
            if target:
                out.append(FoundRelation("role", person, None if name else k, None, _evidence(doc, k, j), False,
                                         False, "title", 0.7, object_entity=target if name else None))
            k -= 1
        root = doc[j - 1]
        for app in (c for c in root.children if c.dep_ == "appos"):
            for t in app.subtree:
                if t.i != person and owner(t.i) and owner(t.i) != owner(person) and t.pos_ == "PROPN":
                    out.append(FoundRelation("role", person, t.i, None, _evidence(doc, i, app.right_edge.i + 1),
                                             False, False, "apposition", 0.65))
                    break
    return out


def _located_in(doc, place_mentions: list[tuple[int, int]], owner: Owner) -> list[FoundRelation]:
    out = []
    for i, j in place_mentions:
        head = doc[j - 1]
        for c in head.children:
            if c.dep_ == "prep" and c.lower_ == "in":
                for p in c.children:
                    if p.dep_ == "pobj" and owner(p.i) and owner(p.i) != owner(head.i):
                        out.append(FoundRelation("located_in", head.i, p.i, None, _evidence(doc, i, p.i + 1),
                                                 False, False, "located-in", 0.7))
    return out


def find_relations(doc, owner: Owner, *, persons: list[tuple[int, int]], places: list[tuple[int, int]],
                   country_entity: Callable[[str], "str | None"], start: int = 0,
                   end: int | None = None) -> list[FoundRelation]:
    """Relations in the Doc. ``owner`` maps a token to its entity id; ``persons``/``places`` are token spans of
    named person and place mentions; ``country_entity`` finds the entity id of a country by name."""
    end = len(doc.text) if end is None else end
    out: list[FoundRelation] = []
    for sent in doc.sents:
        if sent.end_char <= start or sent.start_char >= end:
            continue
        try:
            verb_rels = []
            for tok in sent:
                verb_rels += _verb_relations(doc, tok, owner) + _joint_relations(doc, tok, owner)
            out += verb_rels
            for tok in sent:
                out += _backed_relations(doc, tok, owner, country_entity) + _despite_pleas(doc, tok, owner, verb_rels)
        except Exception as exc:  # one odd sentence must not cost the document
            log.warning("relation rules skipped a sentence at %d: %s", sent.start_char, exc)
    out += _role_relations(doc, persons, owner, country_entity)
    out += _located_in(doc, places, owner)
    return out
