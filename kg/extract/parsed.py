"""What several rules read from one parsed Doc, computed once per Doc: spaCy builds ``doc.text``, ``doc.sents``
and ``doc.noun_chunks`` anew on every access (3 to 6 ms each for a news article), and the rules read them again
and again."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span


def text(doc: Doc) -> str:
    """The Doc's text."""
    cached = doc.user_data.get("kg.text")
    if cached is None:
        cached = doc.user_data["kg.text"] = doc.text
    return cached


def sents(doc: Doc) -> tuple[Span, ...]:
    """The Doc's sentences, as ``doc.sents`` gives them."""
    cached = doc.user_data.get("kg.sents")
    if cached is None:
        cached = doc.user_data["kg.sents"] = tuple(doc.sents)
    return cached


def noun_chunks(doc: Doc) -> tuple[Span, ...]:
    """The Doc's noun chunks, in text order, as ``doc.noun_chunks`` gives them."""
    cached = doc.user_data.get("kg.noun_chunks")
    if cached is None:
        cached = doc.user_data["kg.noun_chunks"] = tuple(doc.noun_chunks)
    return cached
