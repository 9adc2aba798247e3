"""A long article's extraction from the extractions of its pieces (:class:`kg.nlp.Pieces`)."""
from __future__ import annotations

from dataclasses import replace
from typing import Iterable

from kg.model import Article, Entity, Extraction, Mention, Span


def joined(article: Article, pieces: Iterable[tuple[int, Extraction]]) -> Extraction:
    """One extraction from (offset, extraction) of each piece: their offsets moved to the article's, and the
    entities of the same type and name in several pieces made one (the linker joins the others that share a
    Wikidata item)."""
    ids: dict[tuple[str, str], str] = {}
    found: dict[str, Entity] = {}
    sentences, statements, relations = [], [], []
    for offset, x in pieces:
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
