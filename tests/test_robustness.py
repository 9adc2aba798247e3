"""Odd input costs only the part it is in: extraction with the real pipeline."""
from __future__ import annotations


def test_an_odd_quote_mark_costs_nothing_outside_its_paragraph(nlp_ready):
    import kg

    text = ('Officials said "the talks failed and "then" nobody knew.\n\n'
            '“Unclosed quote that runs on\n\n'
            'Russia said on Tuesday that terrorists had attacked the city.')
    extraction = kg.extract(text, published="2018-09-11")
    russia = [s for s in extraction.statements if s.content.text.startswith("terrorists had attacked")]
    assert len(russia) == 1 and russia[0].date == "2018-09-11"
    speaker = next(e for e in extraction.entities if e.id == russia[0].speaker)
    assert speaker.name == "Russia"
