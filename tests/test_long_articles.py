"""An article longer than kg.nlp.PIECE_CHARS is parsed and extracted a piece at a time, so that time and memory
grow with its length, not faster (benchmarks/long_article.py measures it). The pieces here are made small."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import kg.nlp
from kg.config import Config
from kg.extract import extract
from kg.read import make_article

PARAGRAPHS = [
    "Iran said on Tuesday that it opposes the offensive. Russia backed the campaign in Idlib.",
    "\"We will respond to any attack,\" John Bolton said. Turkey warned against the attack.",
    "Angela Merkel met Emmanuel Macron in Berlin on Monday. Macron said Europe must act together.",
    "John Bolton said the response would be much stronger. Iran denied the accusations.",
]


@given(st.lists(st.sampled_from(["word ", "a sentence. ", "\n", "\n\n", "x" * 30]), max_size=60),
       st.integers(min_value=20, max_value=200))
def test_pieces_cover_the_body_in_order_within_the_size(parts, size):
    text = "Title\n\n" + "".join(parts) + "end."
    article = make_article("a", text)
    pieces = list(kg.nlp.cut(article, size))
    assert pieces[0][0] == article.body[0] and pieces[-1][1] == article.body[1]
    assert all(a < b <= a + size for a, b in pieces) and all(b == c for (_, b), (c, _) in zip(pieces, pieces[1:]))


def test_pieces_end_at_paragraph_breaks():
    article = make_article("a", "\n\n".join(PARAGRAPHS))
    pieces = list(kg.nlp.cut(article, 200))
    assert len(pieces) > 1
    assert all(article.text[b - 2:b] == "\n\n" for _, b in pieces[:-1])


def _facts(x):
    names = {e.id: e.name for e in x.entities}
    return ({(s.content.start, s.content.end, s.content.text, names.get(s.speaker)) for s in x.statements},
            {(r.type, names[r.subject], names.get(r.object)) for r in x.relations})


def test_a_long_article_extracted_in_pieces_keeps_the_facts_and_offsets_of_its_paragraphs(nlp_ready, monkeypatch):
    text = "\n\n".join(PARAGRAPHS)
    article = make_article("long", text)
    whole = extract(article, nlp_ready(kg.nlp.analysed_text(article)))
    monkeypatch.setattr(kg.nlp, "PIECE_CHARS", 200)
    [(_, parsed)] = list(kg.nlp.parse([article], pipeline=Config().pipeline))
    assert isinstance(parsed, kg.nlp.Pieces) and len(parsed.spans) > 1
    pieces = extract(article, parsed)
    assert pieces.article == article
    assert _facts(pieces) == _facts(whole)  # these paragraphs do not refer to each other
    for s in pieces.statements:
        assert text[s.content.start:s.content.end] == s.content.text
        assert s.cue is None or text[s.cue.start:s.cue.end] == s.cue.text
    # one entity for John Bolton, named in two pieces, with the mentions of both
    [bolton] = [e for e in pieces.entities if e.name == "John Bolton"]
    assert [text[m.span.start:m.span.end] for m in bolton.mentions if m.form == "name"] == ["John Bolton"] * 2
    assert len({e.id for e in pieces.entities}) == len(pieces.entities)
    assert len({s.id for s in pieces.statements}) == len(pieces.statements)
