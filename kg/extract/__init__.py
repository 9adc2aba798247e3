"""Stage 3, extract: entities, statements and relations from a parsed article, as frozen records.

>>> from kg.extract import extract  # doctest: +SKIP
>>> extraction = extract(article, doc)  # doctest: +SKIP
"""
from __future__ import annotations

import bisect
import hashlib
from dataclasses import replace

from kg.extract import coref, dates, entities, relations, statements
from kg.model import Article, Entity, Extraction, Mention, Relation, Span, Statement
from kg.nlp import Pieces

__all__ = ["extract", "sentences"]


def sentences(doc, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence character spans inside ``start:end``; a stray closing quote joins the sentence before it."""
    full = doc.text
    out: list[list[int]] = []
    for sent in doc.sents:
        text = sent.text
        if sent.end_char <= start or sent.start_char >= end or not text.strip():
            continue
        s = sent.start_char + (len(text) - len(text.lstrip()))
        e = sent.end_char - (len(text) - len(text.rstrip()))
        if out and all(not c.isalnum() for c in full[s:e]):
            out[-1][1] = e
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


DESCRIPTIVE = frozenset({"role", "located_in", "member_of"})


def _id(*parts) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:12]


class _Entities:
    """The article's entity clusters, which token belongs to which entity, and entities added for speakers."""

    def __init__(self, doc, clusters: list[coref.Cluster]):
        self.doc = doc
        self.clusters = clusters
        self.ids = {id(c): f"e{n}" for n, c in enumerate(clusters, 1)}
        self.by_id = {eid: c for c in clusters for eid in [self.ids[id(c)]]}
        self.token_owner: dict[int, str] = {}
        for c in clusters:
            for m in sorted(c.mentions, key=lambda m: m.j - m.i, reverse=True):  # inner mentions win
                for t in range(m.i, m.j):
                    self.token_owner[t] = self.ids[id(c)]
        self.by_phrase: dict[str, str] = {}

    def owner(self, i: int) -> str | None:
        return self.token_owner.get(i)

    def id_of(self, c: coref.Cluster) -> str:
        return self.ids[id(c)]

    def country_entity(self, name: str) -> str | None:
        key = entities.normalise(entities.country_name(name) or name)
        for c in self.clusters:
            if any(m.key == key for m in c.names):
                return self.id_of(c)
        return None

    def speaker_phrase(self, head) -> str | None:
        """An entity for a speaker that names no known entity ('a source', 'restructuring experts', 'Fallon')."""
        doc = self.doc
        i = head.left_edge.i
        while i < head.i and (doc[i].dep_ in ("det", "predet") or doc[i].is_punct):
            i += 1
        j = head.i + 1
        while j < len(doc) and doc[j].dep_ in ("compound", "flat") and doc[j].head.i == head.i:
            j += 1
        mention = entities.speaker_mention(doc, i, j, head)
        if mention is None:
            return None
        eid = self.by_phrase.get(mention.key)
        if eid is None:
            c = coref.Cluster([mention])
            self.clusters.append(c)
            eid = self.ids[id(c)] = f"e{len(self.ids) + 1}"
            self.by_id[eid] = c
            self.by_phrase[mention.key] = eid
        else:
            self.by_id[eid].mentions.append(mention)
        for t in range(mention.i, mention.j):
            self.token_owner.setdefault(t, eid)
        return eid


def extract(article: Article, doc) -> Extraction:
    """Everything kg extracts from one article and its Doc (parsed from :func:`kg.nlp.analysed_text`), or its
    :class:`kg.nlp.Pieces`."""
    if isinstance(doc, Pieces):
        return _in_pieces(article, doc)
    text = article.text
    start, end = article.body
    sent_spans = sentences(doc, start, end)
    sent_of = _sentence_lookup(text, sent_spans)

    ents = _Entities(doc, coref.cluster(doc, entities.find_mentions(doc)))
    owner = ents.owner
    extra_mentions: dict[str, set[tuple[int, int, str]]] = {}

    # --- statements
    found = statements.find_statements(doc, start, end)
    chunks = [(c.start_char, c.end_char, c) for c in doc.noun_chunks]  # in text order
    date_ents = [(e.start_char, e.end_char, e.text) for e in doc.ents if e.label_ == "DATE"]
    speakers: list[tuple[int, coref.Cluster]] = []
    out_statements: list[Statement] = []
    last_date: dict[str, str] = {}
    speaker_pronouns: set[int] = set()
    for f in found:
        speaker_ids = _speakers(doc, f, ents, speakers)
        sp_span = Span(f.speaker_span[0], f.speaker_span[1], text[f.speaker_span[0]:f.speaker_span[1]]) \
            if f.speaker_span else None
        if f.speaker_tokens and doc[f.speaker_tokens[0]].pos_ == "PRON":
            speaker_pronouns.update(f.speaker_tokens)  # resolved here; the general pronoun pass leaves them
            for sid in speaker_ids:
                if sid and sp_span:
                    extra_mentions.setdefault(sid, set()).add((sp_span.start, sp_span.end, "pronoun"))
        # the cue's sentence dates the statement; else the same speaker's last dated statement
        cue_sent = doc.char_span(*f.cue, alignment_mode="expand").sent if f.cue else None
        date = dates.sentence_date(date_ents, cue_sent.start_char, cue_sent.end_char, article.published_date) \
            if cue_sent is not None else None
        content = Span(f.content[0], f.content[1], text[f.content[0]:f.content[1]])
        about = tuple(sorted({owner(t.i) for t in doc.char_span(*f.content, alignment_mode="expand") if owner(t.i)}
                             - set(speaker_ids)))
        for sid in speaker_ids or [None]:
            d = date or (last_date.get(sid) if sid else None)
            if sid and d:
                last_date[sid] = d
            out_statements.append(Statement(
                id="s" + _id(article.id, content.start, content.end, sid), content=content, kind=f.kind,
                sentence=sent_of(f.content[0]), speaker=sid, speaker_mention=sp_span,
                cue=Span(f.cue[0], f.cue[1], text[f.cue[0]:f.cue[1]]) if f.cue else None,
                cue_lemma=f.cue_lemma, stance=f.stance, about=about, topics=_topics(text, chunks, f.content, owner),
                date=d, rule=f.rule, confidence=f.confidence))
    quoted = [(s, e, frozenset(id(ents.by_id[st.speaker]) for st in out_statements
                               if st.speaker and st.content.start < e and s < st.content.end))
              for s, e in statements.find_quotes(text, start, end)]
    for c, i in coref.pronoun_mentions(doc, ents.clusters, start, end, taken=speaker_pronouns, quoted=quoted):
        extra_mentions.setdefault(ents.id_of(c), set()).add((doc[i].idx, doc[i].idx + len(doc[i]), "pronoun"))
    # one statement per content and speaker: two speaker phrases of one actor ('fashion consultant Robert
    # Burke', 'Burke') may both claim a quote; the graph has one node for it
    out_statements = list({(s.content.start, s.content.end, s.speaker): s for s in reversed(out_statements)}
                          .values())[::-1]
    # Bolton's earlier statements take the date of his later, dated speech
    out_statements = [s if s.date or not s.speaker else _with_date(s, last_date.get(s.speaker))
                      for s in out_statements]
    clusters, ids, country_entity = ents.clusters, ents.ids, ents.country_entity

    # --- relations
    persons = [(m.i, m.j) for c in clusters if c.type == "Person" for m in c.names]
    places = [(m.i, m.j) for c in clusters if c.type in ("Place",) for m in c.names]
    out_relations: dict[tuple, Relation] = {}
    roles = [(m.i, m.j) for c in clusters if c.type == "Person" for m in c.mentions if m.form == "role"]
    claims = [(st.speaker, (st.content.start, st.content.end)) for st in out_statements
              if st.speaker and st.kind != "direct"]
    accused = relations.accusations(doc, claims, owner)
    accusing = {(r.subject_entity, r.evidence) for r in accused}
    out_statements = [replace(st, stance="accuse") if st.stance == "assert" and
                      (st.speaker, (st.content.start, st.content.end)) in accusing else st for st in out_statements]
    contents = [(st.content.start, st.content.end, st.speaker) for st in out_statements]
    found_relations = relations.find_relations(doc, owner, persons=persons, places=places,
                                               country_entity=country_entity, roles=roles, start=start, end=end)
    for r in found_relations + accused:
        # what a speaker claims is in the statement; it becomes a relation only about the speaker's own doings
        # (descriptions such as roles and places hold whoever reports them)
        if r.rule != "claim-accusation" and r.type not in DESCRIPTIVE and any(s <= r.evidence[0] and r.evidence[1] <= e and
                                                 sp != (r.subject_entity or owner(r.subject))
                                                 for s, e, sp in contents):
            continue
        subj = r.subject_entity or owner(r.subject)
        obj = r.object_entity or (owner(r.object) if r.object is not None else None)
        topic = text[r.topic[0]:r.topic[1]] if r.topic else None
        if not subj or (obj is None and not topic) or obj == subj:
            continue
        ev = Span(r.evidence[0], r.evidence[1], text[r.evidence[0]:r.evidence[1]])
        key = (r.type, subj, obj, topic.lower() if topic else None)
        if key in out_relations:
            continue
        out_relations[key] = Relation(
            id="r" + _id(article.id, *key), type=r.type, subject=subj, object=obj, object_topic=topic, evidence=ev,
            sentence=sent_of(ev.start), negated=r.negated, hypothetical=r.hypothetical, rule=r.rule,
            confidence=r.confidence)

    # --- entities (only those mentioned by name, as a nominal, or taking part in a fact)
    ents = []
    claimed: dict[tuple[int, int], str] = {}  # a span belongs to one entity: the first that has it
    same: dict[str, str] = {}  # an entity all of whose spans another one holds is that entity
    for c in clusters:
        eid = ids[id(c)]
        forms: dict[tuple[int, int], str] = {}
        for m in c.mentions:
            forms.setdefault((m.start, m.end), "name" if m.form == "name" else "nominal")
        for start_, end_, form in sorted(extra_mentions.get(eid, set())):
            forms.setdefault((start_, end_), form)
        mine = {sp: f for sp, f in forms.items() if sp not in claimed}
        if not mine:
            same[eid] = claimed[next(iter(forms))]
            continue
        claimed.update({sp: eid for sp in mine})
        mentions = tuple(Mention(Span(s, e, text[s:e]), sent_of(s), form) for (s, e), form in sorted(mine.items()))
        ents.append(Entity(id=eid, name=c.name, type=c.type, mentions=mentions))
    out = Extraction(article=article, sentences=tuple(Span(s, e, text[s:e]) for s, e in sent_spans),
                     entities=tuple(ents), statements=tuple(out_statements), relations=tuple(out_relations.values()))
    return out.renamed(same) if same else out


def _in_pieces(article: Article, pieces: Pieces) -> Extraction:
    """One extraction from the extractions of a long article's pieces: their offsets moved to the article's,
    and the entities of the same type and name in several pieces made one (the linker joins the others that
    share a Wikidata item)."""
    ids: dict[tuple[str, str], str] = {}
    found: dict[str, Entity] = {}
    sentences, statements, relations = [], [], []
    for offset, piece, doc in pieces:
        x = extract(piece, doc)
        new = {e.id: ids.setdefault((e.type, e.name), f"e{len(ids) + 1}") for e in x.entities}
        for e in x.entities:
            mentions = tuple(Mention(_at(m.span, offset), _at(m.sentence, offset), m.form) for m in e.mentions)
            old = found.get(new[e.id])
            found[new[e.id]] = replace(e, id=new[e.id], mentions=mentions) if old is None else \
                replace(old, mentions=old.mentions + mentions)
        x = x.renamed(new)
        sentences += [_at(s, offset) for s in x.sentences]
        statements += [replace(s, content=_at(s.content, offset), sentence=_at(s.sentence, offset),
                               speaker_mention=_at(s.speaker_mention, offset), cue=_at(s.cue, offset))
                       for s in x.statements]
        relations += [replace(r, evidence=_at(r.evidence, offset), sentence=_at(r.sentence, offset))
                      for r in x.relations]
    return Extraction(article, tuple(sentences), tuple(found.values()), tuple(statements), tuple(relations))


def _at(span: Span | None, offset: int) -> Span | None:
    return Span(span.start + offset, span.end + offset, span.text) if span is not None else None


def _with_date(s: Statement, date: str | None) -> Statement:
    return replace(s, date=date) if date else s


def _sentence_lookup(text: str, spans: list[tuple[int, int]]):
    starts = [s for s, _ in spans]

    def sent_of(pos: int) -> Span:
        k = max(bisect.bisect_right(starts, pos) - 1, 0)
        s, e = spans[k] if spans else (0, len(text))
        return Span(s, e, text[s:e])
    return sent_of


def _topics(text: str, chunks, content: tuple[int, int], owner) -> tuple[str, ...]:
    """Up to two noun phrases of the content that name no entity: 'chemical weapons', 'a ceasefire'.
    ``chunks``: (start, end, chunk) in text order; only those inside the content are read."""
    out = []
    for start, end, chunk in chunks[bisect.bisect_left(chunks, (content[0],)):]:
        if start >= content[1]:
            break
        if end > content[1]:
            continue
        words = [t for t in chunk if t.dep_ not in ("det", "poss", "case", "predet") and not t.is_punct]
        if not words or any(owner(t.i) for t in chunk) or chunk.root.pos_ == "PRON":
            continue
        phrase = text[words[0].idx:words[-1].idx + len(words[-1].text)]
        if len(words) >= 2 or chunk.root.pos_ == "NOUN" and len(phrase) > 6:
            out.append(phrase)
        if len(out) == 2:
            break
    return tuple(out)


def _speakers(doc, f, ents: _Entities, speakers) -> list[str]:
    """Entity ids of a statement's speaker(s); joint speakers ('The Russian and Syrian governments') give several."""
    out: list[str] = []
    for h in f.speaker_tokens:
        tok = doc[h]
        mods = [c for c in tok.children if c.dep_ == "amod" and entities.demonym_country(c.text)]
        joint = [m for mod in mods for m in [mod, *mod.conjuncts] if entities.demonym_country(m.text)]
        if len(joint) > 1:
            # 'The Russian and Syrian governments say': each country's government (or the country) speaks
            for mod in sorted(set(joint), key=lambda t: t.i):
                country = entities.demonym_country(mod.text)
                eid = _nominal_entity(ents, tok.lemma_.lower(), country) or ents.country_entity(country)
                if eid and eid not in out:
                    out.append(eid)
            continue
        eid = ents.owner(h)
        if eid is None and tok.lower_ in statements.RELATIVE and tok.head.dep_ == "relcl":
            tok = tok.head.head  # 'X, who said ...': the antecedent speaks
            eid = ents.owner(tok.i)
        if eid is None and tok.pos_ == "PRON":
            c = coref.resolve_pronoun(tok, ents.clusters, speakers)
            eid = ents.id_of(c) if c is not None else None
        elif eid is None:
            eid = ents.speaker_phrase(tok)
        if eid is not None and eid not in out:
            out.append(eid)
    for eid in out:
        speakers.append((doc[f.speaker_tokens[0]].idx, ents.by_id[eid]))
    return out


def _nominal_entity(ents: _Entities, head: str, country: str) -> str | None:
    """The entity of a nominal like 'the Syrian government' (head 'government', country 'Syria')."""
    canonical = entities.country_name(country) or country
    for c in ents.clusters:
        if any(m.form == "nominal" and m.head == head and m.country == canonical for m in c.mentions):
            return ents.id_of(c)
    return None
