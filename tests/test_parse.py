"""Stage 2, parse: the gazetteer of the knowledge base's names, on hand-built Docs (no model)."""
from __future__ import annotations

import spacy

from kg.link.kb import KbEntity, KnowledgeBase
from kg.nlp import Gazetteer


def test_the_gazetteer_marks_names_the_model_missed_and_never_changes_what_it_found(tmp_path):
    path = tmp_path / "kb.sqlite"
    with KnowledgeBase(path) as kb:
        kb.add([KbEntity("Q1", "Kherbet al-Jawz", kind="Place", source="test"),
                KbEntity("Q2", "Organisation for Security and Cooperation in Europe", aliases=("OSCE",),
                         kind="Organization", source="test"),
                KbEntity("Q3", "Chad", kind="Country", source="test"),
                KbEntity("Q4", "Ga", kind="Place", source="test")])  # too short to look for: not 'Ga' the word
    nlp = spacy.blank("en")
    doc = nlp("Chad Smith said the OSCE sent gas from Kherbet al-Jawz to Ga.")  # the tokenizer alone
    doc.ents = [doc.char_span(0, len("Chad Smith"), label="PERSON")]
    doc = Gazetteer(nlp, str(path))(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [("Chad Smith", "PERSON"), ("OSCE", "ORG"),
                                                      ("Kherbet al-Jawz", "GPE")]
