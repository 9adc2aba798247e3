"""Stage 3, extract: entities, statements and relations from a parsed article, as frozen records.

>>> from kg.extract import extract  # doctest: +SKIP
>>> extraction = extract(article, doc)  # doctest: +SKIP

The rules live in :mod:`~kg.extract.statements`, :mod:`~kg.extract.relations`, :mod:`~kg.extract.entities` and
:mod:`~kg.extract.coref`; :mod:`~kg.extract.steps` turns what they find into the records of :mod:`kg.model`.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from kg.extract import coref, entities, pieces, statements, steps
from kg.extract.steps import sentences
from kg.model import Article, Extraction, Span
from kg.nlp import Pieces

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["extract", "sentences"]


def extract(article: Article, doc: Doc | Pieces) -> Extraction:
    """Everything kg extracts from one article and its Doc (parsed from :func:`kg.nlp.analysed_text`), or its
    :class:`kg.nlp.Pieces` (extracted a piece at a time)."""
    if isinstance(doc, Pieces):
        return pieces.joined(article, ((offset, extract(piece, d)) for offset, piece, d in doc))
    start, end = article.body
    sent_spans = sentences(doc, start, end)
    sent_of = steps.sentence_lookup(article.text, sent_spans)
    ents = steps.Entities(doc, coref.cluster(doc, entities.find_mentions(doc)))

    said = steps.attribute(article, doc, statements.find_statements(doc, start, end), ents, sent_of)
    steps.resolve_pronouns(doc, ents, said, start, end)
    said = steps.outside_own_statements(steps.one_per_speaker(steps.date_by_speaker(said)))
    accused = steps.accusations(doc, said, ents)
    said = steps.mark_accusations(said, accused)

    found = steps.find_relations(doc, ents, start, end) + accused
    facts = steps.relations_between_entities(article, found, said, ents, sent_of)

    actors, same = steps.mentioned_entities(article.text, ents, sent_of)
    out = Extraction(article=article, sentences=tuple(Span(s, e, article.text[s:e]) for s, e in sent_spans),
                     entities=tuple(actors), statements=tuple(said), relations=tuple(facts))
    return out.renamed(same) if same else out
