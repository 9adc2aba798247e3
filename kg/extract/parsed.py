"""What several rules read from one parsed Doc, computed once per Doc: spaCy builds ``doc.text``, ``doc.sents``
and ``doc.noun_chunks`` anew on every access (3 to 6 ms each for a news article), and the rules read them again
and again. Kept beside the Doc, not in its ``user_data``, so that a caller's Doc stays as it was (and
serialisable) after extraction."""
from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING, Callable, TypeVar

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

T = TypeVar("T")
KEPT = 4  # Docs whose values are kept: extraction takes one Doc at a time, so the last few are enough
_MEMO: OrderedDict[int, tuple[Doc, dict]] = OrderedDict()  # id(doc) -> (doc, {key: value}), most recent last


def memo(doc: Doc, key: object, make: Callable[[], T]) -> T:
    """``make()``, computed once for ``doc`` and ``key`` (while ``doc`` is among the last few Docs asked about:
    the values hold the Doc, so a cache that kept them all would keep every Doc alive)."""
    kept = _MEMO.get(id(doc))
    if kept is None or kept[0] is not doc:
        kept = _MEMO[id(doc)] = (doc, {})
        while len(_MEMO) > KEPT:
            _MEMO.popitem(last=False)
    _MEMO.move_to_end(id(doc))
    values = kept[1]
    if key not in values:
        values[key] = make()
    return values[key]


def text(doc: Doc) -> str:
    """The Doc's text."""
    return memo(doc, "text", lambda: doc.text)


def sents(doc: Doc) -> tuple[Span, ...]:
    """The Doc's sentences, as ``doc.sents`` gives them."""
    return memo(doc, "sents", lambda: tuple(doc.sents))


def noun_chunks(doc: Doc) -> tuple[Span, ...]:
    """The Doc's noun chunks, in text order, as ``doc.noun_chunks`` gives them."""
    return memo(doc, "noun_chunks", lambda: tuple(doc.noun_chunks))
