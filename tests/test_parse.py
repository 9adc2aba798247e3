"""Stage 2, parse: the gazetteer of the knowledge base's names, on hand-built Docs (no model), and the attribute
ruler's lookup, on hand-built rules and on the session's pipeline."""
from __future__ import annotations

from pathlib import Path

import spacy

from kg.link.kb import KbEntity, KnowledgeBase
from kg.nlp import FastAttributes, Gazetteer


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


# --- the attribute ruler's matches, looked up instead of tried -----------------------------------------------

ODD_TEXT = ("I ain't got nothin' but y'all's word, and they didn't say so.\n\n  She'd've gone; we're here, aren't "
            "we? \"Yes,\" said Mr. O'Neil, an hon. member of the U.S. House. It's 5:30 p.m.  Done.")


def test_kg_finds_what_the_attribute_rulers_matcher_finds_on_real_text(nlp_ready):
    """kg's lookup gives the matches spaCy's Matcher gives, so every part of speech, morphology and lemma the
    ruler sets is the same."""
    from kg.read import read

    ruler = nlp_ready.get_pipe("attribute_ruler")
    assert "match" in vars(ruler)  # kg's lookup is in place for the default pipeline
    seeds = [a.text for a in read([str(Path(__file__).resolve().parents[1] / "seeds")])]
    for doc in nlp_ready.pipe([ODD_TEXT, *seeds, ""]):
        assert ruler.match(doc) == sorted(set(type(ruler).match(ruler, doc)))  # the class's: spaCy's Matcher


def test_a_rule_kg_cannot_look_up_leaves_the_ruler_as_spacy_made_it():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "a"}, {"LOWER": "b", "OP": "+"}]], {"LEMMA": "ab"})
    assert FastAttributes.of(ruler) is None


def test_rules_are_applied_in_their_order_on_the_tokens_they_match():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": {"IN": ["hey", "hi"]}}], [{"ORTH": "Ho"}]], {"LEMMA": "greeting"})
    ruler.add([[{"LOWER": {"NOT_IN": ["hi", "hey", "ho"]}}]], {"LEMMA": "other"})
    ruler.add([[{"LOWER": "hi"}, {"IS_SPACE": False, "LOWER": {"REGEX": "^th[eo]re$"}}]], {"LEMMA": "both"}, index=-1)
    fast = FastAttributes.of(ruler)
    for text in ("Hi there Ho hey", "hi thore", "hi", ""):
        doc = nlp.make_doc(text)
        assert fast.match(doc) == sorted(set(type(ruler).match(ruler, doc)))
    ruler.match = fast.match
    # 'there' is matched by the second rule and by the third, which comes later and wins
    assert [t.lemma_ for t in ruler(nlp.make_doc("Hi there Ho you"))] == ["greeting", "both", "greeting", "other"]


def test_picture_credits_and_caption_labels_are_blanked_and_offsets_kept():
    from kg.nlp import without_furniture

    text = ("Conde Nast will launch a title.\n\nImage copyright Getty Images Image caption Vogue editor Anna Wintour "
            "at Paris Fashion week.\n\nThe president spoke (AP Photo/Evan Vucci) on Monday.\nPhotograph: Mark "
            "Lennihan/AP\nImage source, Reuters\nImage caption, The summit in Geneva\n\n"
            '"Follow Pam Key on Twitter @pamkeyNEN."\nThey follow the talks on Twitter closely, she said.')
    out = without_furniture(text)
    assert len(out) == len(text) and [i for i, c in enumerate(text) if c == "\n"] == \
        [i for i, c in enumerate(out) if c == "\n"]
    for gone in ("Getty", "Image", "Evan Vucci", "Lennihan", "Reuters", "Pam Key"):
        assert gone not in out
    for kept in ("Vogue editor Anna Wintour at Paris Fashion week.", "The president spoke", "on Monday.",
                 "The summit in Geneva", "Conde Nast will launch a title.",
                 "They follow the talks on Twitter closely, she said."):  # a sentence, not a line of furniture
        assert out[text.index(kept):text.index(kept) + len(kept)] == kept


def test_a_caption_after_a_picture_credit_names_no_organisation_of_the_credit(nlp_ready):
    import kg

    x = kg.extract_text("Conde Nast will launch a new title.\n\nImage copyright Getty Images Image caption Vogue "
                        "editor Anna Wintour at Paris Fashion week.\n\nThe title will focus on business.")
    assert not any("Getty" in e.name or "Image" in e.name for e in x.entities)
    assert not any(r.type == "role" for r in x.relations)
