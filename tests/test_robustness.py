"""Odd input costs only the part it is in: extraction with the real pipeline."""
from __future__ import annotations


def test_an_odd_quote_mark_costs_nothing_outside_its_paragraph(nlp_ready):
    import kg

    text = ('Officials said "the talks failed and "then" nobody knew.\n\n'
            '“Unclosed quote that runs on\n\n'
            'Russia said on Tuesday that terrorists had attacked the city.')
    extraction = kg.extract_text(text, published="2018-09-11")
    russia = [s for s in extraction.statements if s.content.text.startswith("terrorists had attacked")]
    assert len(russia) == 1 and russia[0].date == "2018-09-11"
    speaker = next(e for e in extraction.entities if e.id == russia[0].speaker)
    assert speaker.name == "Russia"


def test_the_library_api_keeps_its_functions_after_use(tmp_path, nlp_ready):
    """The API functions and the stage modules live side by side: using one never shadows the other."""
    import kg

    seeds = __import__("pathlib").Path(__file__).resolve().parents[1] / "seeds"
    store = str(tmp_path / "store")
    kg.build([seeds], store=store)
    for _ in range(2):  # the second round fails if the first one let a module replace a function
        assert kg.extract_text("Russia said that terrorists attacked.").statements
        assert kg.export_graph("nquads", store=store)
        assert kg.validate_store(store=store).conforms
        columns, rows = kg.query("positions", {"actor": "Bolton"}, store=store)
        assert len(rows) == 4
    import kg.extract.coref
    assert callable(kg.extract.extract) and kg.extract.coref.__name__ == "kg.extract.coref"


def test_a_press_agency_dateline_is_a_place_and_no_part_of_the_speaker(nlp_ready):
    import kg

    text = ("VICTORIA, B.C. (CP) - Police in Victoria, B.C., said on Tuesday that a man was arrested. "
            "The mayor of Victoria said the city was calm.")
    extraction = kg.extract_text(text)
    types = {e.name: e.type for e in extraction.entities}
    # the model calls 'VICTORIA' an organisation and the subject 'VICTORIA, B.C. (CP) - Police'
    assert types["VICTORIA"] == "Place" and types["Police"] == "Organization"
    assert not [e for e in extraction.entities for m in e.mentions if "(CP)" in m.span.text]
    (police,) = [s for s in extraction.statements if s.content.text.startswith("a man was arrested")]
    assert next(e.name for e in extraction.entities if e.id == police.speaker) == "Police"
