"""Relations between actors: verb triggers (back, oppose, meet, host, warn, accuse ...), '-backed' modifiers,
joint action ('worked together'), roles from titles and appositions, and located_in.

Works on token indices; :mod:`kg.extract` maps tokens to entities through ``owner``.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Sequence

from kg import lexicons
from kg.extract import parsed
from kg.extract.confidence import CONFIDENCE
from kg.extract.entities import country_name, demonym_country

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

log = logging.getLogger(__name__)
_LEX = lexicons.load("relations")
ROLE_WORDS = frozenset(w for w in _LEX["role_nouns"] + _LEX["affiliation_nouns"] if " " not in w)
PLACE_OFFICES = frozenset(_LEX["place_offices"])
AFFILIATION_PREPOSITIONS = frozenset(_LEX["affiliation_prepositions"]["words"])  # 'director of X', not 'on X'
VERBS: dict[str, str] = _LEX["verbs"]
OBJECT_PREPS: dict[str, list[str]] = _LEX["object_preps"]
ACTOR_OBJECT_TYPES = frozenset(_LEX["actor_object_types"])  # 'meets', 'hosts': someone, never a topic
TURNING_PARTICLES = {k: frozenset(v) for k, v in _LEX["particles_that_turn"].items() if not k.startswith("_")}
CHARGE_PREPS = {k: frozenset(v) for k, v in _LEX["charge_preps"].items() if not k.startswith("_")}
JOINT: dict[str, str] = _LEX["joint_verbs"]
BACKED: dict[str, str] = _LEX["backed_adjectives"]
NOUN_TRIGGERS: dict[str, str] = _LEX["nouns"]
DESPITE = frozenset(_LEX["plea_opposes_context"])
HYPOTHETICAL_AUX = frozenset({"would", "could", "might", "may", "should"})
_ASKING = lexicons.load("reporting")["asking_verbs"]
QUESTION_VERBS, QUESTION_WORDS = frozenset(_ASKING["questions"]), frozenset(_ASKING["question_words"])


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
CountryEntity = Callable[[str], "str | None"]  # country name -> entity id
TokenSpans = Sequence[tuple[int, int]]  # (first token, token after the last)


def _with_conjuncts(tok: Token) -> list[Token]:
    return [tok] + [c for c in tok.conjuncts if c.i > tok.i]


def _negated(verb: Token) -> bool:
    return any(c.dep_ == "neg" for c in verb.children)


def _hypothetical(verb: Token) -> bool:
    if any(c.dep_ == "aux" and c.lower_ in HYPOTHETICAL_AUX for c in verb.children):
        return True
    node = verb
    while True:
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in node.children):
            return True
        if node.head.i == node.i:
            return False
        node = node.head


def _evidence(doc: Doc, i: int, j: int) -> tuple[int, int]:
    while j > i and doc[j - 1].is_punct:
        j -= 1
    return doc[i].idx, doc[j - 1].idx + len(doc[j - 1].text)


def _topic(doc: Doc, obj: Token, rel: str) -> tuple[int, int]:
    """A short topic phrase for a non-entity object: the noun phrase and a short prepositional tail, unless the
    tail says what the relation is for ('accused the couple of fraud': lexicon charge_preps)."""
    left = obj.left_edge.i
    while left < obj.i and doc[left].dep_ in ("det", "predet", "poss", "case"):
        left += 1
    right = obj.i
    for c in obj.children:
        if (c.dep_ == "prep" and c.i > obj.i and c.right_edge.i - c.i <= 3
                and c.lower_ not in CHARGE_PREPS.get(rel, ())):
            right = max(right, c.right_edge.i)
            break
    return doc[left].idx, doc[right].idx + len(doc[right].text)


NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
           "both": 2}
SENTENCES_BACK = 8


def _plural_antecedents(tok: Token, owner: Owner) -> list[Token]:
    """'the three delegations' after 'diplomats from Iran, Russia and Turkey': the latest coordination of
    exactly that many entities in the sentences before."""
    n = next((NUMBERS.get(c.lower_) for c in tok.children if c.dep_ in ("nummod", "det", "predet")
              and c.lower_ in NUMBERS), None)
    if n is None or not any(c.lower_ == "the" for c in tok.children) and n != 2:
        return []
    doc = tok.doc
    floor = tok.sent.start
    for _ in range(SENTENCES_BACK):  # the count must match exactly, so a wider window stays precise
        if floor > 0:
            floor = doc[floor - 1].sent.start
    for k in range(tok.i - 1, floor - 1, -1):
        t = doc[k]
        if owner(k) and t.dep_ != "conj":
            group = [g for g in _with_conjuncts(t) if owner(g.i)]
            if len({owner(g.i) for g in group}) == n == len(group):
                return group
    return []


def _entity_tokens(tok: Token, owner: Owner) -> list[Token]:
    """Entity mentions a noun phrase stands for: itself, 'two developers, Ariel Quiros and William Stenger',
    'diplomats from Iran, Russia and Turkey', 'members of the three delegations'."""
    heads = [t for t in _with_conjuncts(tok) if owner(t.i)]
    if heads:
        return heads
    # 'two developers, Ariel Quiros and William Stenger': the names in apposition
    named = [t for c in tok.children if c.dep_ == "appos" for t in _with_conjuncts(c) if owner(t.i)]
    if named:
        return named
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in ("from", "of"):
            for p in c.children:
                if p.dep_ == "pobj":
                    return [t for t in _with_conjuncts(p) if owner(t.i)] or _plural_antecedents(p, owner)
    return _plural_antecedents(tok, owner)


def _verb_relations(doc: Doc, verb: Token, owner: Owner) -> list[FoundRelation]:
    rel = VERBS.get(verb.lemma_.lower())
    if rel is None or verb.pos_ != "VERB" or any(
            c.dep_ == "prt" and c.lower_ in TURNING_PARTICLES.get(verb.lemma_.lower(), ()) for c in verb.children):
        return []
    subjects = [s for c in verb.children if c.dep_ in ("nsubj",) for s in _with_conjuncts(c) if owner(s.i)]
    if not subjects or _puts_a_question(verb):
        return []
    doers = {owner(s.i) for s in subjects}
    objects, topic, phrase = [], None, None  # phrase: the object's noun, where the evidence ends
    for c in verb.children:
        if c.dep_ in ("dobj", "dative"):
            targets = [c]
        elif c.dep_ == "prep" and c.lower_ in OBJECT_PREPS.get(rel, ()):
            targets = [p for p in c.children if p.dep_ == "pobj"]
        else:
            continue
        for t in targets:
            # ('The SEC and federal prosecutors charged two developers': the subjects are no object of their verb)
            found = [o for o in _entity_tokens(t, owner) if owner(o.i) not in doers]
            if found and not objects:
                objects, phrase = found, t
            elif not found and topic is None and not objects:
                topic, phrase = _topic(doc, t, rel), t
    if phrase is None:
        return []
    left = min(s.left_edge.i for s in subjects)
    right = max([phrase.right_edge.i if objects else phrase.i, verb.i] + [o.i for o in objects if o.i > verb.i])
    if topic:
        right = max(right, next(k for k in range(phrase.i, len(doc)) if doc[k].idx + len(doc[k].text) >= topic[1]))
    ev = _evidence(doc, left, right + 1)
    neg, hyp = _negated(verb), _hypothetical(verb)
    rule = f"verb:{verb.lemma_.lower()}"
    if objects:
        return [FoundRelation(type=rel, subject=s.i, object=o.i, topic=None, evidence=ev, negated=neg,
                              hypothetical=hyp, rule=rule, confidence=CONFIDENCE["verb"])
                for s in subjects for o in objects if owner(o.i) != owner(s.i)]
    if rel in ACTOR_OBJECT_TYPES:
        return []  # 'Charlie receives a weekly injection' hosts no one
    return [FoundRelation(type=rel, subject=s.i, object=None, topic=topic, evidence=ev, negated=neg, hypothetical=hyp,
                          rule=rule, confidence=CONFIDENCE["verb-topic"]) for s in subjects]


def _puts_a_question(verb: Token) -> bool:
    """Whether a verb of asking puts a question ('asked Kate whether she had felt the baby kick'), which requests
    nothing of whom it asks (lexicon reporting asking_verbs)."""
    return verb.lemma_.lower() in QUESTION_VERBS and any(
        c.dep_ == "ccomp" and c.left_edge.lower_ in QUESTION_WORDS for c in verb.children)


def _joint_relations(doc: Doc, verb: Token, owner: Owner) -> list[FoundRelation]:
    """'Russia, Turkey and Iran have been working together': every pair cooperates."""
    lemma = verb.lemma_.lower()
    if lemma not in JOINT and f"{lemma} together" not in JOINT:
        return []  # most words: no children walked
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
            out.append(FoundRelation(type=rel, subject=subjects[a].i, object=subjects[b].i, topic=None, evidence=ev,
                                     negated=_negated(verb), hypothetical=_hypothetical(verb), rule="joint-action",
                                     confidence=CONFIDENCE["joint-action"]))
    return out


def _backed_relations(doc: Doc, tok: Token, owner: Owner, country_entity: CountryEntity) -> list[FoundRelation]:
    """"Syria's Russian- and Iranian-backed government": Russia and Iran support the government."""
    word = tok.lower_
    rel = BACKED.get(word)
    if rel is None or tok.dep_ not in ("amod", "compound"):
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
    return [FoundRelation(type=rel, subject=first, object=target.i, topic=None, evidence=ev, negated=False,
                          hypothetical=False, rule=f"modifier:{word}", confidence=CONFIDENCE["modifier"],
                          subject_entity=s)
            for s in subjects if s != owner(target.i)]


def _despite_pleas(doc: Doc, tok: Token, owner: Owner, verb_rels: list[FoundRelation]) -> list[FoundRelation]:
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
    return [FoundRelation(type="opposes", subject=poss[0].i, object=r.object, topic=r.topic, evidence=ev, negated=False,
                          hypothetical=False, rule="despite-plea", confidence=CONFIDENCE["despite-plea"])]


def _a_place(t: Token) -> bool:
    """A city or region, not a country: where someone lives or works, no body they hold a role in."""
    return t.ent_type_ in ("GPE", "LOC", "FAC") and country_name(t.text) is None and not demonym_country(t.text)


def _role_relations(doc: Doc, person_mentions: TokenSpans, owner: Owner, country_entity: CountryEntity
                    ) -> list[FoundRelation]:
    """'Syrian President Bashar Assad' -> role(Assad, Syria); 'X, a special envoy for Iran's ...' -> role(X, Iran)."""
    out = []
    for i, j in person_mentions:
        person = i
        k = i - 1
        # 'Toronto retiree Jane Doe', 'Halifax woman': a place before a person is where they live, not a role
        titled = office = False
        while k >= 0 and doc[k].dep_ in ("compound", "amod", "nmod") and doc[k].pos_ in ("PROPN", "ADJ", "NOUN"):
            titled = titled or doc[k].lower_ in ROLE_WORDS
            office = office or doc[k].lower_ in PLACE_OFFICES
            if not titled:
                k -= 1
                continue
            name = demonym_country(doc[k].text)
            named = doc[k].ent_type_ in ("ORG", "GPE", "NORP") and (office or not _a_place(doc[k]))
            # ("President" of "President Trump" is no target)
            target = country_entity(name) if name else (owner(k) if named and owner(k) != owner(person) else None)
            if target:
                out.append(FoundRelation(type="role", subject=person, object=None if name else k, topic=None,
                                         evidence=_evidence(doc, k, j), negated=False, hypothetical=False,
                                         rule="title", confidence=CONFIDENCE["title"],
                                         object_entity=target if name else None))
            k -= 1
        root = doc[j - 1]
        # 'X, a special envoy for Iran', 'X, spokesman for the ministry': an apposition with a role noun, not
        # one of another person named in it ('X, a son of ... Supreme Court Justice Antonin Scalia')
        for app in (c for c in root.children if c.dep_ == "appos" and any(
                t.lower_ in ROLE_WORDS and (t == c or t.head.ent_type_ != "PERSON") for t in c.subtree)):
            office = any(t.lower_ in PLACE_OFFICES for t in app.subtree)
            for t in app.subtree:
                # a body the role is in, of or for, not a topic ('a consultant on Burma', 'an expert in Iran')
                topic = t.head.dep_ == "prep" and t.head.lower_ not in AFFILIATION_PREPOSITIONS
                if t.i != person and owner(t.i) and owner(t.i) != owner(person) and t.pos_ == "PROPN" \
                        and (office or not _a_place(t)) and not topic:
                    out.append(FoundRelation(type="role", subject=person, object=t.i, topic=None,
                                             evidence=_evidence(doc, i, app.right_edge.i + 1), negated=False,
                                             hypothetical=False, rule="apposition",
                                             confidence=CONFIDENCE["apposition"]))
                    break
    return out


def _role_phrase_relations(doc: Doc, roles: TokenSpans, owner: Owner, country_entity: CountryEntity
                           ) -> list[FoundRelation]:
    """'The UN envoy for Syria' (resolved to a person) -> role(person, UN): the organisations and countries that
    modify the role noun, not those after it."""
    out = []
    for i, j in roles:
        head = doc[i:j].root
        person = owner(head.i)
        if person is None:
            continue
        for k in range(i, head.i):
            t = doc[k]
            if t.dep_ not in ("compound", "amod", "nmod", "poss") or t.ent_type_ not in ("ORG", "GPE", "NORP"):
                continue
            name = demonym_country(t.text)
            target = country_entity(name) if name else owner(k)
            if target and target != person:
                out.append(FoundRelation(type="role", subject=head.i, object=None, topic=None,
                                         evidence=_evidence(doc, i, j), negated=False, hypothetical=False,
                                         rule="role-phrase", confidence=CONFIDENCE["role-phrase"],
                                         object_entity=target))
    return out


def _located_in(doc: Doc, place_mentions: TokenSpans, owner: Owner) -> list[FoundRelation]:
    """'the town of Jisr in Idlib' -> located_in(Jisr, Idlib)."""
    out = []
    for i, j in place_mentions:
        head = doc[j - 1]
        for c in head.children:
            if c.dep_ == "prep" and c.lower_ == "in":
                for p in c.children:
                    if p.dep_ == "pobj" and owner(p.i) and owner(p.i) != owner(head.i):
                        out.append(FoundRelation(type="located_in", subject=head.i, object=p.i, topic=None,
                                                 evidence=_evidence(doc, i, p.i + 1), negated=False,
                                                 hypothetical=False, rule="located-in",
                                                 confidence=CONFIDENCE["located-in"]))
    return out


ACCUSING = frozenset(_LEX["accusing_predicates"]["verbs"])  # 'terrorists killed ...'
NEUTRAL_ACTS = frozenset(_LEX["accusing_predicates"]["neutral_verbs"])  # 'launch', 'use': accusing with a harm
HARMS = frozenset(_LEX["accusing_predicates"]["harm_objects"])  # 'an attack', 'chemical weapons'


def _accusing(verb: Token) -> bool:
    """Whether doing what ``verb`` says is a wrong: 'killed', or 'launch' / 'use' with a harm as its object."""
    lemma = verb.lemma_.lower()
    return verb.pos_ == "VERB" and (lemma in ACCUSING or lemma in NEUTRAL_ACTS and any(
        c.dep_ in ("dobj", "nsubjpass") and c.lower_ in HARMS for c in verb.children))  # 'the attack was launched'


def accusations(doc: Doc, claims: Sequence[tuple[str, tuple[int, int]]], owner: Owner) -> list[FoundRelation]:
    """A claim that someone plans, launches or commits an attack accuses them: 'Russia said that terrorists
    plan to launch a chemical weapons attack' -> accuses(Russia, terrorists). ``claims`` are (speaker entity id,
    content character span) of reported statements."""
    out = []
    for speaker, (start, end) in claims:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        for verb in span:
            if not _accusing(verb):
                continue
            node = verb
            while node.dep_ in ("xcomp", "conj") and node.head.i != node.i and start <= node.head.idx < end:
                node = node.head  # 'plan to launch': the planner
            # the doer: the subject, or in the passive the agent ('killed by police'), never the passive's
            # subject, who had it done to them
            doers = [c for c in node.children if c.dep_ == "nsubj"] + [
                g for a in node.children if a.dep_ == "agent" for g in a.children if g.dep_ == "pobj"]
            for subj in (d for d in doers if owner(d.i)):
                if owner(subj.i) != speaker and not _negated(verb) and not _negated(node):
                    out.append(FoundRelation(type="accuses", subject=subj.i, object=subj.i, topic=None,
                                             evidence=(start, end), negated=False, hypothetical=False,
                                             rule="claim-accusation", confidence=CONFIDENCE["claim-accusation"],
                                             subject_entity=speaker))
    return out


def find_relations(doc: Doc, owner: Owner, *, persons: TokenSpans, places: TokenSpans,
                   country_entity: CountryEntity, roles: TokenSpans = (), start: int = 0, end: int | None = None
                   ) -> list[FoundRelation]:
    """Relations in the Doc. ``owner`` maps a token to its entity id; ``persons``/``places`` are token spans of
    named person and place mentions, ``roles`` of role phrases resolved to a person; ``country_entity`` finds
    the entity id of a country by name."""
    end = len(parsed.text(doc)) if end is None else end
    out: list[FoundRelation] = []
    for sent in parsed.sents(doc):
        if sent.end_char <= start or sent.start_char >= end:
            continue
        try:
            verb_rels: list[FoundRelation] = []
            for tok in sent:
                verb_rels += _verb_relations(doc, tok, owner) + _joint_relations(doc, tok, owner)
            out += verb_rels
            for tok in sent:
                out += _backed_relations(doc, tok, owner, country_entity) + _despite_pleas(doc, tok, owner, verb_rels)
        except Exception as exc:  # one odd sentence must not cost the document
            log.warning("relation rules skipped a sentence at %d: %s", sent.start_char, exc)
    out += _role_relations(doc, persons, owner, country_entity)
    out += _role_phrase_relations(doc, roles, owner, country_entity)
    out += _located_in(doc, places, owner)
    return out
