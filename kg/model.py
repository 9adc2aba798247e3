"""The frozen records that flow between stages: read -> parse -> extract -> link -> map."""
from __future__ import annotations

from dataclasses import dataclass, replace

ENTITY_TYPES = ("Person", "Organization", "Country", "Place", "Group", "Other")
KINDS = ("direct", "indirect", "mixed")
# What kind of attribution a statement is (the contract's 'mode'): said or written; a belief, wish, intention or
# perception; a speech act whose content is a noun phrase ('criticized the appointment').
MODES = ("speech", "thought", "nominal")
# Every type a Relation may have, each a concept of the ontology's kg:RelationTypes named in camel case
# (member_of -> kgrel:memberOf, kg.rdf.namespaces.RELATION_TYPES); tests/test_relation_types.py checks that the
# lexicons, the rules, the ontology and docs/rdf-model.md agree with this list.
RELATION_TYPES = ("supports", "opposes", "meets", "hosts", "consults", "cooperates", "warns", "threatens", "accuses",
                  "requests", "denies", "role", "member_of", "located_in", "hosts_refugees_from")


@dataclass(frozen=True, order=True)
class Span:
    """Characters ``start:end`` (Python code points, end exclusive) of the article's original text."""

    start: int
    end: int
    text: str

    def to_json(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class Article:
    """One news article. ``body`` is the part that is analysed; offsets everywhere index ``text``."""

    id: str
    text: str
    body: tuple[int, int]
    title: str | None = None
    url: str | None = None
    published: str | None = None  # ISO 8601 date or date-time
    source: str = ""  # file (and line) it came from, as given
    origin: str = ""  # the absolute path of that file: two articles with one id from two files are two articles

    @property
    def published_date(self) -> str | None:
        return self.published[:10] if self.published else None


@dataclass(frozen=True)
class Mention:
    span: Span
    sentence: Span
    form: str = "name"  # name | nominal | pronoun


@dataclass(frozen=True)
class Entity:
    id: str
    name: str
    type: str
    mentions: tuple[Mention, ...]
    qid: str | None = None
    link_score: float | None = None
    link_method: str | None = None
    label: str | None = None  # the linked item's own name (the knowledge base's label): the actor's label


@dataclass(frozen=True)
class Statement:
    id: str
    content: Span
    kind: str
    sentence: Span
    speaker: str | None = None  # entity id
    speaker_mention: Span | None = None
    cue: Span | None = None
    cue_lemma: str | None = None
    stance: str | None = None
    about: tuple[str, ...] = ()  # entity ids
    topics: tuple[str, ...] = ()
    date: str | None = None
    rule: str = ""
    confidence: float = 0.5
    mode: str = "speech"  # one of MODES
    parts: tuple[Span, ...] = ()  # the quotes of a statement joined across its attribution or paragraphs


@dataclass(frozen=True)
class Relation:
    id: str
    type: str
    subject: str  # entity id
    evidence: Span
    sentence: Span
    object: str | None = None  # entity id ...
    object_topic: str | None = None  # ... or a topic phrase
    negated: bool = False
    hypothetical: bool = False
    rule: str = ""
    confidence: float = 0.5


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one article."""

    article: Article
    sentences: tuple[Span, ...] = ()
    entities: tuple[Entity, ...] = ()
    statements: tuple[Statement, ...] = ()
    relations: tuple[Relation, ...] = ()

    def to_json(self) -> dict:
        """The shape of ``contracts/extraction.schema.json`` (one line of ``kg extract --format jsonl``)."""
        span = lambda s: s.to_json() if s else None  # noqa: E731
        return {
            "doc_id": self.article.id,
            "published": self.article.published,
            "entities": [
                {"id": e.id, "name": e.name, "type": e.type, "qid": e.qid, "link_score": e.link_score,
                 "mentions": [m.span.to_json() for m in e.mentions]}
                for e in self.entities
            ],
            "statements": [
                {"id": s.id, "speaker": s.speaker, "speaker_mention": span(s.speaker_mention), "cue": span(s.cue),
                 "cue_lemma": s.cue_lemma, "content": s.content.to_json(), "kind": s.kind, "mode": s.mode,
                 "stance": s.stance,
                 "about": list(s.about) + list(s.topics), "date": s.date, "rule": s.rule,
                 "confidence": s.confidence, **({"parts": [p.to_json() for p in s.parts]} if s.parts else {})}
                for s in self.statements
            ],
            "relations": [
                {"id": r.id, "type": r.type, "subject": r.subject,
                 "object": r.object if r.object is not None else r.object_topic,
                 "evidence": r.evidence.to_json(), "confidence": r.confidence,
                 "negated": r.negated, "hypothetical": r.hypothetical, "rule": r.rule}
                for r in self.relations
            ],
        }

    def renamed(self, new_ids: dict[str, str], entities: tuple[Entity, ...] | None = None) -> "Extraction":
        """This extraction with ``entities`` (default: its own) and with its statements and relations pointing at
        ``new_ids`` of the entities that were renamed or merged. A relation whose subject and object became one
        entity is dropped, and an entity a statement is about is listed once."""
        r = lambda eid: new_ids.get(eid, eid)  # noqa: E731
        statements = tuple(replace(s, speaker=r(s.speaker) if s.speaker else None,
                                   about=tuple(dict.fromkeys(r(a) for a in s.about))) for s in self.statements)
        relations = tuple(x for x in (replace(rel, subject=r(rel.subject), object=r(rel.object) if rel.object else None)
                                      for rel in self.relations) if x.subject != x.object)
        return replace(self, entities=self.entities if entities is None else entities, statements=statements,
                       relations=relations)
