"""The steps of one extraction, in the order :func:`kg.extract.extract` takes them: sentences, entities, statements
and their speakers, dates and pronouns, accusations, relations, and the entities that end up in the output.

The rule modules find things on tokens (:mod:`~kg.extract.statements`, :mod:`~kg.extract.relations`,
:mod:`~kg.extract.entities`, :mod:`~kg.extract.coref`); these steps give them entity ids and make the frozen
records of :mod:`kg.model`.
"""
from __future__ import annotations

import bisect
import hashlib
from dataclasses import replace
from typing import TYPE_CHECKING, Callable, Sequence

from kg.extract import coref, dates, entities, parsed, relations, statements
from kg.extract.relations import FoundRelation
from kg.extract.statements import Found
from kg.model import Article, Entity, Mention, Relation, Span, Statement

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as Phrase

SentenceOf = Callable[[int], Span]  # character offset -> the sentence it is in
# relation types that describe an actor (whoever reports them), not something the actor does
DESCRIPTIVE = frozenset({"role", "located_in", "member_of"})
# pronouns for someone a statement can be about: a third person, or whom the speaker addresses
REFERRING_PRONOUNS = coref.PERSON_PRONOUNS | coref.PLURAL_PRONOUNS | {"you"}


def sentences(doc: Doc, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence character spans inside ``start:end``; a stray closing quote joins the sentence before it."""
    full = parsed.text(doc)
    out: list[list[int]] = []
    for sent in parsed.sents(doc):
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


def sentence_lookup(text: str, spans: list[tuple[int, int]]) -> SentenceOf:
    """A function from a character offset to the sentence (of ``spans``) it is in."""
    starts = [s for s, _ in spans]

    def sent_of(pos: int) -> Span:
        k = max(bisect.bisect_right(starts, pos) - 1, 0)
        s, e = spans[k] if spans else (0, len(text))
        return Span(s, e, text[s:e])
    return sent_of


class Entities:
    """The article's entity clusters, which token belongs to which entity, the entities added for speakers, and the
    pronouns found to refer to them."""

    def __init__(self, doc: Doc, clusters: list[coref.Cluster]) -> None:
        self.doc = doc
        self.clusters = clusters
        self.ids = {id(c): f"e{n}" for n, c in enumerate(clusters, 1)}
        self.by_id = {self.ids[id(c)]: c for c in clusters}
        self.token_owner: dict[int, str] = {}
        for c in clusters:
            for m in sorted(c.mentions, key=lambda m: m.j - m.i, reverse=True):  # inner mentions win
                for t in range(m.i, m.j):
                    self.token_owner[t] = self.ids[id(c)]
        self.by_phrase: dict[str, str] = {}
        self.pronouns: dict[str, set[tuple[int, int]]] = {}  # entity id -> character spans of pronouns
        self.speaker_pronouns: set[int] = set()  # tokens of pronouns resolved as speakers

    def owner(self, i: int) -> str | None:
        """The entity id of token ``i``, if it is part of a mention."""
        return self.token_owner.get(i)

    def id_of(self, c: coref.Cluster) -> str:
        return self.ids[id(c)]

    def add_pronoun(self, eid: str, start: int, end: int) -> None:
        self.pronouns.setdefault(eid, set()).add((start, end))

    def country_entity(self, name: str) -> str | None:
        """The entity of the country ``name`` names, if the article mentions it by name."""
        key = entities.cluster_key(entities.country_name(name) or name)
        for c in self.clusters:
            if any(m.key == key for m in c.names):
                return self.id_of(c)
        return None

    def nominal_entity(self, head: str, country: str) -> str | None:
        """The entity of a nominal like 'the Syrian government' (head 'government', country 'Syria')."""
        canonical = entities.country_name(country) or country
        for c in self.clusters:
            if any(m.form == "nominal" and m.head == head and m.country == canonical for m in c.mentions):
                return self.id_of(c)
        return None

    def speaker_phrase(self, head: Token) -> str | None:
        """An entity for a speaker that names no known entity ('a source', 'restructuring experts', 'Fallon')."""
        doc = self.doc
        i = head.left_edge.i
        # not across a dateline's dash or a bracket: 'VICTORIA, B.C. (CP) - Police said'
        i = max([i] + [k + 1 for k in range(i + 1, head.i) if doc[k].text in ("-", "–", "—", ":", ")")
                       and doc[k - 1].whitespace_])
        # nor the possessive pronoun that opens it ('his tough rule'): that is a mention of another entity; nor an
        # adverb of the sentence the parser hung on it ('Similarly another user')
        while i < head.i and (doc[i].dep_ in ("det", "predet") or doc[i].is_punct
                              or doc[i].dep_ == "poss" and doc[i].pos_ == "PRON"
                              or doc[i].dep_ == "advmod" and doc[i].pos_ == "ADV"):
            i += 1
        j = head.i + 1
        while j < len(doc) and doc[j].dep_ in ("compound", "flat") and doc[j].head.i == head.i:
            j += 1
        mention = entities.speaker_mention(doc, i, j, head)
        if mention is None:
            return None
        # a name the model missed here but found elsewhere ('Ivanka Trump said') is that entity
        eid = self.by_phrase.get(mention.key) or next(
            (self.id_of(c) for c in self.clusters if any(n.key == mention.key for n in c.names)), None)
        if eid is None and mention.form == "name" and " " not in mention.key:
            # 'PENCE:' or 'Pence said' after 'Mike Pence': the surname of the one person of the article who bears it
            people = [c for c in self.clusters if c.type == "Person" and any(
                len(n.key.split()) > 1 and n.key.split()[-1] == mention.key for n in c.names)]
            if len(people) == 1:
                eid = self.id_of(people[0])
                mention = replace(mention, type="Person")
        if eid is None and mention.form == "nominal" and mention.head in entities.EPITHETS:
            eid = self.described(head, mention)
        elif eid is None and mention.form == "nominal" and mention.head in entities.BODY_EPITHETS:
            eid = self.described_body(head, mention)
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

    def described(self, head: Token, mention: entities.RawMention) -> str | None:
        """The person that 'the 51-year-old actor' refers back to (lexicon epithets): of the noun's gender, named
        up to ten sentences back, and of those the one the story has mentioned most (ties: the later), for a
        story's epithets are for its protagonist; none after 'an actor' of the story's own."""
        doc = self.doc
        if not any(c.dep_ == "det" and c.lower_ == "the" for c in head.children) or head.tag_ != "NN" \
                or _brought_in(head, mention):
            return None
        floor = _sentences_back(head, 10)
        wanted = entities.EPITHETS[mention.head]
        best, best_key = None, (0, -1)
        for c in self.clusters:
            if c.type != "Person" or wanted != "either" and coref.gender(doc, c) not in (None, wanted):
                continue
            named = [n.start for n in c.names if n.start < head.idx]
            key = (sum(m.start < head.idx for m in c.mentions), max(named, default=-1))
            if named and key[1] >= doc[floor].idx and key > best_key:
                best, best_key = c, key
        return self.id_of(best) if best is not None else None

    def described_body(self, head: Token, mention: entities.RawMention) -> str | None:
        """The organisation that 'the company' alone refers back to (lexicon body_epithets): the one that last
        said something, by name, up to two sentences back, unless its name tells another kind of body ('the
        company' is neither the Commerce Department nor the China Daily); none after 'a company' of the story's
        own."""
        if head.tag_ != "NN" or [c.lower_ for c in head.children if c.i < head.i] != ["the"] \
                or _brought_in(head, mention):
            return None  # 'the company', not 'the Chinese company' nor 'the company's'
        for t in reversed(self.doc[_sentences_back(head, 2):head.i]):
            eid = self.owner(t.i)
            c = self.by_id[eid] if eid else None
            if t.dep_ != "nsubj" or c is None or c.type != "Organization" or not statements.speaks_by(t.head) \
                    or not any(n.i <= t.i < n.j for n in c.names):
                continue
            words = {w for n in c.names for w in n.key.split()}
            heads = words & entities.ORG_HEADS  # 'Commerce Department': a department
            kinds = {entities.BODY_KINDS[w] for w in words if w in entities.BODY_KINDS}  # 'China Daily': news
            kind = entities.BODY_KINDS.get(mention.head)
            return eid if (not heads or mention.head in heads) and (not kinds or kind in kinds) else None
        return None


def _brought_in(head: Token, mention: entities.RawMention) -> bool:
    """Whether the story brought in one of the noun's kind unnamed before ('a lawyer ... the lawyer said')."""
    return any(t.lemma_.lower() == mention.head and any(c.lower_ in ("a", "an") for c in t.children)
               for t in head.doc[:head.i])


def _sentences_back(head: Token, n: int) -> int:
    """The first token of the sentence ``n`` sentences before the one of ``head``."""
    floor = head.sent.start
    for _ in range(n):
        if floor > 0:
            floor = head.doc[floor - 1].sent.start
    return floor


def fact_id(*parts: object) -> str:
    """A short stable id for a statement or relation, from what makes it that one."""
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:12]


def speakers(doc: Doc, f: Found, ents: Entities, earlier: list[tuple[int, coref.Cluster]]) -> list[str]:
    """Entity ids of a statement's speaker(s), joint speakers ('The Russian and Syrian governments') giving several;
    ``earlier`` holds (offset, entity) of the speakers so far, for pronouns, and gets these."""
    out: list[str] = []
    for h in f.speaker_tokens:
        tok = entities.whole_of(doc[h])
        h = tok.i
        mods = [c for c in tok.children if c.dep_ == "amod" and entities.demonym_country(c.text)]
        joint = [m for mod in mods for m in [mod, *mod.conjuncts] if entities.demonym_country(m.text)]
        if len(joint) > 1:
            # 'The Russian and Syrian governments say': each country's government (or the country) speaks
            for mod in sorted(set(joint), key=lambda t: t.i):
                country = entities.demonym_country(mod.text)
                eid = ents.nominal_entity(tok.lemma_.lower(), country) or ents.country_entity(country)
                if eid and eid not in out:
                    out.append(eid)
            continue
        eid = ents.owner(h)
        if eid is None and tok.lower_ in statements.RELATIVE and tok.head.dep_ == "relcl":
            tok = statements.antecedent(tok)  # 'X, who said ...': the antecedent speaks
            eid = ents.owner(tok.i)
        if eid is None and tok.pos_ == "PRON":
            c = coref.resolve_pronoun(tok, ents.clusters, earlier)
            eid = ents.id_of(c) if c is not None else None
        elif eid is None:
            eid = ents.speaker_phrase(tok)
        if eid is not None and eid not in out:
            out.append(eid)
    first = doc[f.speaker_tokens[0]] if f.speaker_tokens else None
    if first is not None and not (first.dep_ == "poss" and first.pos_ == "PRON"):
        # ('her concern for racial issues' makes her no speaker whom a later 'she said' refers to)
        earlier.extend((first.idx, ents.by_id[eid]) for eid in out)
    return out


def topics(text: str, chunks: Sequence[tuple[int, int, Phrase]], content: tuple[int, int],
           owner: Callable[[int], str | None]) -> tuple[str, ...]:
    """Up to two noun phrases of the content that name no entity: 'chemical weapons', 'a ceasefire'.
    ``chunks``: (start, end, noun chunk) in text order; only those inside the content are read."""
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


def attribute(article: Article, doc: Doc, found: list[Found], ents: Entities, sent_of: SentenceOf
              ) -> list[Statement]:
    """Statements with their speakers' entity ids (one statement per speaker), the date of the cue's sentence,
    and the entities and topics they are about; a pronoun that speaks becomes a mention of its entity."""
    text = article.text
    chunks = [(c.start_char, c.end_char, c) for c in parsed.noun_chunks(doc)]  # in text order
    date_ents = [(e.start_char, e.end_char, e.text) for e in doc.ents if e.label_ == "DATE"]
    earlier: list[tuple[int, coref.Cluster]] = []
    out: list[Statement] = []
    for f in found:
        speaker_ids = speakers(doc, f, ents, earlier)
        sp_span = Span(f.speaker_span[0], f.speaker_span[1], text[f.speaker_span[0]:f.speaker_span[1]]) \
            if f.speaker_span else None
        if f.speaker_tokens and doc[f.speaker_tokens[0]].pos_ == "PRON":
            ents.speaker_pronouns.update(f.speaker_tokens)  # resolved here; resolve_pronouns leaves them
            for sid in speaker_ids:
                if sp_span:
                    ents.add_pronoun(sid, sp_span.start, sp_span.end)
        cue_sent = doc.char_span(*f.cue, alignment_mode="expand").sent if f.cue else None
        date = dates.sentence_date(date_ents, cue_sent.start_char, cue_sent.end_char, article.published_date) \
            if cue_sent is not None else None
        content = Span(f.content[0], f.content[1], text[f.content[0]:f.content[1]])
        # what the quotes name, not the attribution between them ('said X, an economist at Y.')
        about = tuple(sorted({ents.owner(t.i) for a, b in (f.parts or (f.content,))
                              for t in doc.char_span(a, b, alignment_mode="expand") if ents.owner(t.i)}
                             - set(speaker_ids)))
        topics_ = tuple(dict.fromkeys(t for part in (f.parts or (f.content,))
                                      for t in topics(text, chunks, part, ents.owner)))[:2]
        # a judgement needs something to be about: an actor or a topic
        # ... or someone else it names by a pronoun: 'She's trigger-happy', 'you squeezed employees'
        speaks = _speaker_pronoun(f, [ents.by_id[s] for s in speaker_ids])
        referred = any(t.lower_ in REFERRING_PRONOUNS and not speaks(t) for a, b in (f.parts or (f.content,))
                       for t in doc.char_span(a, b, alignment_mode="expand") or ())
        stance = statements.stance_of(doc, f, has_target=bool(about or topics_ or referred), speaks=speaks)
        for sid in speaker_ids or [None]:
            out.append(Statement(
                id="s" + fact_id(article.id, content.start, content.end, sid), content=content, kind=f.kind,
                sentence=sent_of(f.content[0]), speaker=sid, speaker_mention=sp_span,
                cue=Span(f.cue[0], f.cue[1], text[f.cue[0]:f.cue[1]]) if f.cue else None,
                cue_lemma=f.cue_lemma, stance=stance, about=about, topics=topics_, date=date, rule=f.rule,
                confidence=f.confidence, mode=f.mode,
                parts=tuple(Span(a, b, text[a:b]) for a, b in f.parts)))
    return out


def _speaker_pronoun(f: Found, speakers: list[coref.Cluster]) -> Callable[[Token], bool]:
    """Whether a pronoun of a statement's content stands for its speaker: 'I' and 'we' always; in reported speech
    a third-person pronoun that can refer to the one speaker ('the minister said she backed the plan'), or, when
    the speaker is no entity or one of no kind a pronoun tells ('the New York businessman'), 'he' or 'she' (in
    reported speech most often the speaker)."""
    def speaks(tok: Token) -> bool:
        if tok.lower_ in statements.CONTENT_STANCES["verb_subjects"]:
            return True
        if f.kind == "direct":
            return False  # '"He will lose," she said': someone else
        if not speakers or speakers[0].type not in coref.PRONOUN_KINDS:
            return tok.lower_ in statements.CONTENT_STANCES["promise_subjects"]
        return len(speakers) == 1 and coref.may_refer(tok, speakers[0])
    return speaks


def resolve_pronouns(doc: Doc, ents: Entities, said: list[Statement], start: int, end: int) -> None:
    """Pronouns that clearly refer to an entity become its mentions; inside a quote, never one of its speakers."""
    quoted = [(s, e, frozenset(id(ents.by_id[st.speaker]) for st in said
                               if st.speaker and st.content.start < e and s < st.content.end))
              for s, e in statements.doc_quotes(doc, start, end)]
    for c, i in coref.pronoun_mentions(doc, ents.clusters, start, end, taken=ents.speaker_pronouns, quoted=quoted):
        ents.add_pronoun(ents.id_of(c), doc[i].idx, doc[i].idx + len(doc[i]))


def date_by_speaker(said: list[Statement]) -> list[Statement]:
    """A statement whose sentence gives no date takes its speaker's last date before it, else the speaker's
    last date: Bolton's earlier statements take the date of his later, dated speech."""
    last = {s.speaker: s.date for s in said if s.speaker and s.date}
    before: dict[str, str] = {}
    out = []
    for s in said:
        if s.speaker and s.date:
            before[s.speaker] = s.date
        elif s.speaker and (before.get(s.speaker) or last.get(s.speaker)):
            s = replace(s, date=before.get(s.speaker) or last[s.speaker])
        out.append(s)
    return out


def one_per_speaker(said: list[Statement]) -> list[Statement]:
    """One statement per content and speaker: two speaker phrases of one actor ('fashion consultant Robert
    Burke', 'Burke') may both claim a quote; the graph has one node for it. The first is kept, at the place
    of the last."""
    return list({(s.content.start, s.content.end, s.speaker): s for s in reversed(said)}.values())[::-1]


def outside_own_statements(said: list[Statement]) -> list[Statement]:
    """Without the statements that lie inside another of the same speaker, cue and all: in 'she said she had
    warned Iran', 'warned' is part of what she said, not a second speech act. A statement whose cue took no
    side takes the side of the one it holds (warn)."""
    def inside(s: Statement, t: Statement) -> bool:
        return (t is not s and t.speaker == s.speaker and s.cue is not None
                and t.content.start <= s.content.start and s.content.end <= t.content.end
                and t.content.start <= s.cue.start and s.cue.end <= t.content.end
                and t.content.end - t.content.start > s.content.end - s.content.start)
    held = {id(t): [s for s in said if s.speaker and inside(s, t)] for t in said}
    out = []
    for t in said:
        if t.speaker and any(inside(t, u) for u in said):
            continue
        sides = [s.stance for s in held[id(t)] if s.stance not in (None, "assert")]
        out.append(replace(t, stance=sides[0]) if t.stance in (None, "assert") and sides else t)
    return out


def accusations(doc: Doc, said: list[Statement], ents: Entities) -> list[FoundRelation]:
    """Accusations in what speakers claim (not in their direct quotes): 'Russia said terrorists plan an attack'."""
    claims = [(s.speaker, (s.content.start, s.content.end)) for s in said if s.speaker and s.kind != "direct"]
    return relations.accusations(doc, claims, ents.owner)


def mark_accusations(said: list[Statement], accused: list[FoundRelation]) -> list[Statement]:
    """An assertion that accuses someone takes the stance 'accuse'."""
    accusing = {(r.subject_entity, r.evidence) for r in accused}
    return [replace(s, stance="accuse") if s.stance == "assert" and
            (s.speaker, (s.content.start, s.content.end)) in accusing else s for s in said]


def find_relations(doc: Doc, ents: Entities, start: int, end: int) -> list[FoundRelation]:
    """The relation rules over the article's body, with its named people and places and its resolved roles."""
    people = [c for c in ents.clusters if c.type == "Person"]
    return relations.find_relations(
        doc, ents.owner, persons=[(m.i, m.j) for c in people for m in c.names],
        places=[(m.i, m.j) for c in ents.clusters if c.type == "Place" for m in c.names],
        country_entity=ents.country_entity,
        roles=[(m.i, m.j) for c in people for m in c.mentions if m.form == "role"], start=start, end=end)


def relations_between_entities(article: Article, found: list[FoundRelation], said: list[Statement],
                               ents: Entities, sent_of: SentenceOf) -> list[Relation]:
    """Relations between entities (or an entity and a topic), one per type, subject, object and topic; what
    a speaker claims about others stays in the statement."""
    text = article.text
    owner = ents.owner
    contents = [(s.content.start, s.content.end, s.speaker) for s in said]
    types = {ents.id_of(c): c.type for c in ents.clusters}
    out: dict[tuple[str, str, str | None, str | None], Relation] = {}
    for r in found:
        # a claim becomes a relation only about the speaker's own doings (descriptions such as roles and places
        # hold whoever reports them)
        if r.rule != "claim-accusation" and r.type not in DESCRIPTIVE and any(
                s <= r.evidence[0] and r.evidence[1] <= e and sp != (r.subject_entity or owner(r.subject))
                for s, e, sp in contents):
            continue
        subj = r.subject_entity or owner(r.subject)
        obj = r.object_entity or (owner(r.object) if r.object is not None else None)
        topic = text[r.topic[0]:r.topic[1]] if r.topic else None
        if not subj or (obj is None and not topic) or obj == subj:
            continue
        acts = types.get(subj) != "Other" if r.subject_entity else entities.can_act(ents.doc[r.subject])
        if not acts:
            continue  # 'our advocacy supported the program', 'the data support the argument': things take no side
        if r.type == "role" and types.get(obj) == "Person":
            continue  # a role is held in an organisation or a country: 'a former Clinton aide' is no role at Clinton
        ev = Span(r.evidence[0], r.evidence[1], text[r.evidence[0]:r.evidence[1]])
        key = (r.type, subj, obj, topic.lower() if topic else None)
        if key in out:
            continue
        out[key] = Relation(
            id="r" + fact_id(article.id, *key), type=r.type, subject=subj, object=obj, object_topic=topic,
            evidence=ev, sentence=sent_of(ev.start), negated=r.negated, hypothetical=r.hypothetical, rule=r.rule,
            confidence=r.confidence)
    return list(out.values())


def mentioned_entities(text: str, ents: Entities, sent_of: SentenceOf) -> tuple[list[Entity], dict[str, str]]:
    """The entities with their mentions, each span an entity's only; and the entities all of whose spans another
    one holds, with that one's id (they are that entity)."""
    out = []
    claimed: dict[tuple[int, int], str] = {}  # a span belongs to one entity: the first that has it
    same: dict[str, str] = {}
    quoted = statements.find_quotes(text)
    for c in ents.clusters:
        eid = ents.id_of(c)
        forms: dict[tuple[int, int], str] = {}
        for m in c.mentions:
            forms.setdefault((m.start, m.end), "name" if m.form == "name" else "nominal")
        for span in sorted(ents.pronouns.get(eid, ())):
            forms.setdefault(span, "pronoun")
        mine = {sp: f for sp, f in forms.items() if sp not in claimed}
        if not mine:
            same[eid] = claimed[next(iter(forms))]
            continue
        claimed.update({sp: eid for sp in mine})
        mentions = tuple(Mention(Span(s, e, text[s:e]), sent_of(s), form) for (s, e), form in sorted(mine.items()))
        out.append(Entity(id=eid, name=c.label(quoted), type=c.type, mentions=mentions))
    return out, same
