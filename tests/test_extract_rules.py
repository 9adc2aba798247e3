"""Rule logic on hand-built Docs (no model): quotes, reported speech, relations, dates."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
import spacy
from spacy.tokens import Doc

from kg.extract import dates, relations, statements


VOCAB = spacy.blank("en").vocab  # English lexical attributes (lower case etc.), no model


def make_doc(rows: list[tuple], text_spaces: list[bool] | None = None, ents: list[str] | None = None) -> Doc:
    """rows: (word, lemma, pos, head index, dep); ents: an IOB entity tag per word ('B-ORG', 'O')."""
    words = [r[0] for r in rows]
    spaces = text_spaces or [i + 1 < len(rows) and rows[i + 1][2] != "PUNCT" for i in range(len(rows))]
    return Doc(VOCAB, words=words, spaces=spaces, lemmas=[r[1] for r in rows], pos=[r[2] for r in rows],
               heads=[r[3] for r in rows], deps=[r[4] for r in rows],
               sent_starts=[i == 0 for i in range(len(rows))], ents=ents)


def test_reported_speech_with_that_clause():
    doc = make_doc([("Russia", "Russia", "PROPN", 1, "nsubj"), ("said", "say", "VERB", 1, "ROOT"),
                    ("that", "that", "SCONJ", 4, "mark"), ("terrorists", "terrorist", "NOUN", 4, "nsubj"),
                    ("attacked", "attack", "VERB", 1, "ccomp"), (".", ".", "PUNCT", 1, "punct")])
    (found,) = statements.find_statements(doc)
    assert doc.text[slice(*found.content)] == "terrorists attacked"  # the complementiser stays out
    assert doc.text[slice(*found.cue)] == "said" and found.kind == "indirect"
    assert [doc[i].text for i in found.speaker_tokens] == ["Russia"]
    assert found.stance == "assert"


def test_a_name_after_its_title_speaks_where_the_parser_made_it_an_apposition():
    # 'Irish soccer manager Mick McCarthy said': the parse takes 'manager' as the subject, the name as its
    # apposition; the name, and whoever it is joined with, speaks
    rows = [("Irish", "irish", "ADJ", 2, "amod"), ("soccer", "soccer", "NOUN", 2, "compound"),
            ("manager", "manager", "NOUN", 5, "nsubj"), ("Mick", "Mick", "PROPN", 4, "compound"),
            ("McCarthy", "McCarthy", "PROPN", 2, "appos"), ("said", "say", "VERB", 5, "ROOT"),
            ("the", "the", "DET", 7, "det"), ("team", "team", "NOUN", 8, "nsubj"), ("won", "win", "VERB", 5, "ccomp"),
            (".", ".", "PUNCT", 5, "punct")]
    doc = make_doc(rows, ents=["O", "O", "O", "B-PERSON", "I-PERSON", "O", "O", "O", "O", "O"])
    (found,) = statements.find_statements(doc)
    assert [doc[i].text for i in found.speaker_tokens] == ["McCarthy"]
    assert doc.text[slice(*found.speaker_span)] == "Irish soccer manager Mick McCarthy"
    both = make_doc([("Candidates", "candidate", "NOUN", 5, "nsubj"), ("Hillary", "Hillary", "PROPN", 2, "compound"),
                     ("Clinton", "Clinton", "PROPN", 0, "appos"), ("and", "and", "CCONJ", 2, "cc"),
                     ("Trump", "Trump", "PROPN", 2, "conj"), ("said", "say", "VERB", 5, "ROOT"),
                     ("the", "the", "DET", 7, "det"), ("team", "team", "NOUN", 8, "nsubj"),
                     ("won", "win", "VERB", 5, "ccomp"), (".", ".", "PUNCT", 5, "punct")],
                    ents=["O", "B-PERSON", "I-PERSON", "O", "B-PERSON", "O", "O", "O", "O", "O"])
    (found,) = statements.find_statements(both)
    assert [both[i].text for i in found.speaker_tokens] == ["Clinton", "Trump"]


@pytest.mark.parametrize("second, tag, speakers", [("violence", "NN", ["Leaders"]),
                                                   ("activists", "NNS", ["Leaders", "activists"]),
                                                   ("chain", "NN", ["Leaders", "chain"])])  # a newspaper chain
def test_a_joined_speaker_must_be_able_to_speak(second, tag, speakers):
    # 'Union leaders and violence against women campaigners criticised ...': the parse joins the wrong words
    doc = make_doc([("Leaders", "leader", "NOUN", 3, "nsubj"), ("and", "and", "CCONJ", 0, "cc"),
                    (second, second.rstrip("s"), "NOUN", 0, "conj"), ("said", "say", "VERB", 3, "ROOT"),
                    ("the", "the", "DET", 5, "det"), ("plan", "plan", "NOUN", 6, "nsubj"),
                    ("failed", "fail", "VERB", 3, "ccomp"), (".", ".", "PUNCT", 3, "punct")])
    doc[2].tag_ = tag
    (found,) = statements.find_statements(doc)
    assert [doc[i].text for i in found.speaker_tokens] == speakers


def test_the_subject_of_a_participle_the_parser_made_the_subject_speaks():
    # 'German police searching for a missing girl said ...': parsed as a clause that is the subject
    doc = make_doc([("Police", "police", "NOUN", 1, "nsubj"), ("searching", "search", "VERB", 5, "csubj"),
                    ("for", "for", "ADP", 1, "prep"), ("the", "the", "DET", 4, "det"),
                    ("girl", "girl", "NOUN", 2, "pobj"), ("said", "say", "VERB", 5, "ROOT"),
                    ("the", "the", "DET", 7, "det"), ("suspects", "suspect", "NOUN", 8, "nsubj"),
                    ("fled", "flee", "VERB", 5, "ccomp"), (".", ".", "PUNCT", 5, "punct")])
    doc[1].tag_ = "VBG"
    (found,) = statements.find_statements(doc)
    assert [doc[i].text for i in found.speaker_tokens] == ["Police"]


def test_what_a_relative_clause_reports_is_what_comes_after_its_cue():
    # the parse hangs 'which' on 'came', so the clause's subtree would take in 'the spokesman said'
    doc = make_doc([("Police", "police", "NOUN", 1, "nsubj"), ("found", "find", "VERB", 1, "ROOT"),
                    ("the", "the", "DET", 3, "det"), ("arms", "arm", "NOUN", 1, "dobj"), (",", ",", "PUNCT", 3, "punct"),
                    ("which", "which", "PRON", 9, "nsubj"), ("the", "the", "DET", 7, "det"),
                    ("spokesman", "spokesman", "NOUN", 8, "nsubj"), ("said", "say", "VERB", 3, "relcl"),
                    ("came", "come", "VERB", 8, "ccomp"), ("from", "from", "ADP", 9, "prep"),
                    ("Arbil", "Arbil", "PROPN", 10, "pobj"), (".", ".", "PUNCT", 1, "punct")])
    (found,) = statements.find_statements(doc)
    assert doc.text[slice(*found.content)] == "came from Arbil"
    assert [doc[i].text for i in found.speaker_tokens] == ["spokesman"]


def test_a_closing_attribution_hung_on_the_clause_it_reports_takes_that_clause():
    # 'reported' parsed as an adverbial clause of 'detained', not as the root with 'detained' its complement
    doc = make_doc([("Police", "police", "NOUN", 2, "nsubj"), ("have", "have", "AUX", 2, "aux"),
                    ("detained", "detain", "VERB", 2, "ROOT"), ("militants", "militant", "NOUN", 2, "dobj"),
                    (",", ",", "PUNCT", 6, "punct"), ("newspapers", "newspaper", "NOUN", 6, "nsubj"),
                    ("reported", "report", "VERB", 2, "advcl"), ("on", "on", "ADP", 6, "prep"),
                    ("Friday", "Friday", "PROPN", 7, "pobj"), (".", ".", "PUNCT", 2, "punct")])
    (found,) = statements.find_statements(doc)
    assert doc.text[slice(*found.content)] == "Police have detained militants"
    assert [doc[i].text for i in found.speaker_tokens] == ["newspapers"] and found.rule == "reported-preposed"


@pytest.mark.parametrize("prep, pobj, content", [
    ("in", "August", []),  # when it happened is no content
    ("about", "goals", ["about goals"]),  # what it was about is
])
def test_a_phrase_of_time_or_place_alone_is_no_content(prep, pobj, content):
    doc = make_doc([("Bisconti", "Bisconti", "PROPN", 1, "nsubj"), ("protested", "protest", "VERB", 1, "ROOT"),
                    (prep, prep, "ADP", 1, "prep"), (pobj, pobj, "NOUN", 2, "pobj"), (".", ".", "PUNCT", 1, "punct")])
    assert [doc.text[slice(*f.content)] for f in statements.find_statements(doc)] == content


@pytest.mark.parametrize("object_, content", [
    ([], []),  # 'the target China pledged to reach': the infinitive's object is the noun before it
    ([("cuts", "cut", "NOUN", 7, "dobj")], ["to reach cuts"]),  # an infinitive with its own object says it all
])
def test_a_relative_clause_reports_no_infinitive_whose_object_is_the_noun_it_qualifies(object_, content):
    rows = [("China", "China", "PROPN", 1, "nsubj"), ("met", "meet", "VERB", 1, "ROOT"), ("the", "the", "DET", 3, "det"),
            ("target", "target", "NOUN", 1, "dobj"), ("it", "it", "PRON", 5, "nsubj"),
            ("pledged", "pledge", "VERB", 3, "relcl"), ("to", "to", "PART", 7, "aux"),
            ("reach", "reach", "VERB", 5, "xcomp"), *object_, (".", ".", "PUNCT", 1, "punct")]
    doc = make_doc(rows)
    assert [doc.text[slice(*f.content)] for f in statements.find_statements(doc)] == content


def test_a_subject_the_parser_hung_on_the_auxiliary_still_speaks():
    doc = make_doc([("Europeans", "European", "PROPN", 1, "nsubj"), ("are", "be", "AUX", 2, "auxpass"),
                    ("worried", "worry", "VERB", 2, "ROOT"), ("talks", "talk", "NOUN", 4, "nsubj"),
                    ("failed", "fail", "VERB", 2, "ccomp"), (".", ".", "PUNCT", 2, "punct")])
    (found,) = statements.find_statements(doc)
    assert doc.text[slice(*found.content)] == "talks failed"
    assert [doc[i].text for i in found.speaker_tokens] == ["Europeans"]


def _tagged(rows: list[tuple]) -> Doc:
    """rows: (word, lemma, pos, tag, head index, dep)."""
    return Doc(VOCAB, words=[r[0] for r in rows], spaces=[i + 1 < len(rows) and rows[i + 1][2] != "PUNCT"
                                                          for i in range(len(rows))],
               lemmas=[r[1] for r in rows], pos=[r[2] for r in rows], tags=[r[3] for r in rows],
               heads=[r[4] for r in rows], deps=[r[5] for r in rows], sent_starts=[i == 0 for i in range(len(rows))])


@pytest.mark.parametrize("rows, speaker", [
    # 'Dean began by saying he would resign.': the governing verb's subject says it
    ([("Dean", "Dean", "PROPN", "NNP", 1, "nsubj"), ("began", "begin", "VERB", "VBD", 1, "ROOT"),
      ("by", "by", "ADP", "IN", 1, "prep"), ("saying", "say", "VERB", "VBG", 2, "pcomp"),
      ("he", "he", "PRON", "PRP", 6, "nsubj"), ("would", "would", "AUX", "MD", 6, "aux"),
      ("resign", "resign", "VERB", "VB", 3, "ccomp"), (".", ".", "PUNCT", ".", 1, "punct")], "Dean"),
    # 'They praised Smith for saying he would resign.': the one praised for it said it
    ([("They", "they", "PRON", "PRP", 1, "nsubj"), ("praised", "praise", "VERB", "VBD", 1, "ROOT"),
      ("Smith", "Smith", "PROPN", "NNP", 1, "dobj"), ("for", "for", "ADP", "IN", 1, "prep"),
      ("saying", "say", "VERB", "VBG", 3, "pcomp"), ("he", "he", "PRON", "PRP", 7, "nsubj"),
      ("would", "would", "AUX", "MD", 7, "aux"), ("resign", "resign", "VERB", "VB", 4, "ccomp"),
      (".", ".", "PUNCT", ".", 1, "punct")], "Smith"),
])
def test_saying_after_a_preposition_is_said_by_the_governing_verbs_subject_or_object(rows, speaker):
    doc = _tagged(rows)
    (found,) = [f for f in statements.find_statements(doc) if doc.text[slice(*f.cue)] == "saying"]
    assert doc.text[slice(*found.content)] == "he would resign"
    assert [doc[i].text for i in found.speaker_tokens] == [speaker]


def test_a_speech_noun_with_a_that_clause_is_its_possessors_statement():
    # "Trump's claim that shootings rose": said by the possessor; "their fear that prices rise": thought
    for noun, lemma, owner, mode in (("claim", "claim", "Trump", "speech"), ("fear", "fear", "their", "thought")):
        doc = make_doc([(owner, owner, "PROPN" if owner == "Trump" else "PRON", 2, "poss"),
                        ("'s", "'s", "PART", 0, "case"), (noun, lemma, "NOUN", 2, "ROOT"),
                        ("that", "that", "SCONJ", 5, "mark"), ("shootings", "shooting", "NOUN", 5, "nsubj"),
                        ("rose", "rise", "VERB", 2, "acl"), (".", ".", "PUNCT", 2, "punct")])
        (found,) = statements.find_statements(doc)
        assert doc.text[slice(*found.content)] == "shootings rose"
        assert [doc[i].text for i in found.speaker_tokens] == [owner]
        assert (found.rule, found.mode, found.kind) == ("nominal-clause", mode, "indirect")
    # 'Trump's claim that he made': a relative clause ('that' is its object) states nothing
    doc = make_doc([("Trump", "Trump", "PROPN", 2, "poss"), ("'s", "'s", "PART", 0, "case"),
                    ("claim", "claim", "NOUN", 2, "ROOT"), ("that", "that", "PRON", 5, "dobj"),
                    ("he", "he", "PRON", 5, "nsubj"), ("made", "make", "VERB", 2, "relcl"),
                    (".", ".", "PUNCT", 2, "punct")])
    assert statements.find_statements(doc) == []
    # "Thursday's announcement that talks failed": a date owns no statement
    doc = make_doc([("Thursday", "Thursday", "PROPN", 2, "poss"), ("'s", "'s", "PART", 0, "case"),
                    ("announcement", "announcement", "NOUN", 2, "ROOT"), ("that", "that", "SCONJ", 5, "mark"),
                    ("talks", "talk", "NOUN", 5, "nsubj"), ("failed", "fail", "VERB", 2, "acl"),
                    (".", ".", "PUNCT", 2, "punct")], ents=["B-DATE"] + ["O"] * 6)
    assert statements.find_statements(doc) == []


def test_a_name_before_a_speech_noun_states_its_clause():
    # 'a CNN report that talks failed': the organisation named before the noun
    doc = make_doc([("a", "a", "DET", 2, "det"), ("CNN", "CNN", "PROPN", 2, "compound"),
                    ("report", "report", "NOUN", 2, "ROOT"), ("that", "that", "SCONJ", 5, "mark"),
                    ("talks", "talk", "NOUN", 5, "nsubj"), ("failed", "fail", "VERB", 2, "acl"),
                    (".", ".", "PUNCT", 2, "punct")], ents=["O", "B-ORG"] + ["O"] * 5)
    (found,) = statements.find_statements(doc)
    assert doc.text[slice(*found.content)] == "talks failed"
    assert [doc[i].text for i in found.speaker_tokens] == ["CNN"]


def test_a_content_of_only_a_preposition_is_no_statement():
    # 'Smith asked for.': a parse that leaves the reporting verb's object a bare preposition says nothing
    doc = make_doc([("Smith", "Smith", "PROPN", 1, "nsubj"), ("asked", "ask", "VERB", 1, "ROOT"),
                    ("for", "for", "ADP", 1, "prep"), (".", ".", "PUNCT", 1, "punct")])
    assert statements.find_statements(doc) == []
    doc = make_doc([("Smith", "Smith", "PROPN", 1, "nsubj"), ("asked", "ask", "VERB", 1, "ROOT"),
                    ("for", "for", "ADP", 1, "prep"), ("help", "help", "NOUN", 2, "pobj"), (".", ".", "PUNCT", 1, "punct")])
    assert [doc.text[slice(*f.content)] for f in statements.find_statements(doc)] == ["for help"]


@pytest.mark.parametrize("verb, lemma", [("said", "say"), ("continued", "continue")])  # a verb of going on too
def test_direct_quote_before_the_attribution(verb, lemma):
    rows = [('"', '"', "PUNCT", 5, "punct"), ("We", "we", "PRON", 2, "nsubj"), ("win", "win", "VERB", 5, "ccomp"),
            (",", ",", "PUNCT", 5, "punct"), ('"', '"', "PUNCT", 5, "punct"), (verb, lemma, "VERB", 5, "ROOT"),
            ("Bolton", "Bolton", "PROPN", 5, "nsubj"), (".", ".", "PUNCT", 5, "punct")]
    doc = make_doc(rows, [False, True, False, False, True, True, False, False])
    assert doc.text == f'"We win," {verb} Bolton.'
    (found,) = statements.find_statements(doc)
    assert (doc.text[slice(*found.content)], found.kind, found.rule) == ("We win,", "direct", "direct-quote")
    assert doc[found.speaker_tokens[0]].text == "Bolton" and found.stance == "assert"


def test_according_to_a_source_that_the_parse_hung_the_rest_of_the_sentence_on():
    # 'According to Limbaugh, the move reeks.' parsed with 'reeks' a noun in apposition to 'Limbaugh'
    doc = make_doc([("According", "accord", "VERB", 0, "ROOT"), ("to", "to", "ADP", 0, "prep"),
                    ("Limbaugh", "Limbaugh", "PROPN", 1, "pobj"), (",", ",", "PUNCT", 2, "punct"),
                    ("the", "the", "DET", 6, "det"), ("move", "move", "NOUN", 6, "compound"),
                    ("reeks", "reek", "NOUN", 2, "appos"), (".", ".", "PUNCT", 0, "punct")])
    (found,) = statements.find_statements(doc)
    assert doc.text[slice(*found.content)] == "the move reeks"
    assert [doc[i].text for i in found.speaker_tokens] == ["Limbaugh"]


def test_a_verb_of_going_on_reports_nothing_but_a_quotation():
    # 'Prices continued to rise.', 'Iran continued the talks.': no quotation, no statement
    rise = make_doc([("Prices", "price", "NOUN", 1, "nsubj"), ("continued", "continue", "VERB", 1, "ROOT"),
                     ("to", "to", "PART", 3, "aux"), ("rise", "rise", "VERB", 1, "xcomp"), (".", ".", "PUNCT", 1, "punct")])
    talks = make_doc([("Iran", "Iran", "PROPN", 1, "nsubj"), ("continued", "continue", "VERB", 1, "ROOT"),
                      ("the", "the", "DET", 3, "det"), ("talks", "talk", "NOUN", 1, "dobj"), (".", ".", "PUNCT", 1, "punct")])
    assert statements.find_statements(rise) == statements.find_statements(talks) == []


def test_a_quote_claimed_by_the_sentence_before_and_by_its_own_attribution_is_its_own_attributions():
    """'Burke said. "We win," Burke said.': the first 'said' once claimed the quote too, and the graph got one
    statement node with two cues and two speaker mentions, which broke the shapes."""
    rows = [("Burke", "Burke", "PROPN", 1, "nsubj"), ("said", "say", "VERB", 1, "ROOT"), (".", ".", "PUNCT", 1, "punct"),
            ('"', '"', "PUNCT", 9, "punct"), ("We", "we", "PRON", 5, "nsubj"), ("win", "win", "VERB", 9, "ccomp"),
            (",", ",", "PUNCT", 9, "punct"), ('"', '"', "PUNCT", 9, "punct"), ("Burke", "Burke", "PROPN", 9, "nsubj"),
            ("said", "say", "VERB", 9, "ROOT"), (".", ".", "PUNCT", 9, "punct")]
    doc = Doc(VOCAB, words=[r[0] for r in rows],
              spaces=[True, False, True, False, True, False, False, True, True, False, False],
              lemmas=[r[1] for r in rows], pos=[r[2] for r in rows], heads=[r[3] for r in rows],
              deps=[r[4] for r in rows], sent_starts=[i in (0, 3) for i in range(len(rows))])
    assert doc.text == 'Burke said. "We win," Burke said.'
    (found,) = statements.find_statements(doc)
    assert doc.text[slice(*found.content)] == "We win,"
    assert found.cue == (doc[9].idx, doc[9].idx + 4)


def test_a_question_put_to_someone_is_not_their_statement():
    # "Asked whether Iran agreed, he left." -- 'Asked' has no subject of its own
    doc = make_doc([("Asked", "ask", "VERB", 5, "advcl"), ("whether", "whether", "SCONJ", 3, "mark"),
                    ("Iran", "Iran", "PROPN", 3, "nsubj"), ("agreed", "agree", "VERB", 0, "ccomp"),
                    (",", ",", "PUNCT", 5, "punct"), ("left", "leave", "VERB", 5, "ROOT"),
                    (".", ".", "PUNCT", 5, "punct")])
    assert statements.find_statements(doc) == []


def test_denial_takes_its_object_as_content():
    doc = make_doc([("Assad", "Assad", "PROPN", 1, "nsubj"), ("denied", "deny", "VERB", 1, "ROOT"),
                    ("the", "the", "DET", 3, "det"), ("attack", "attack", "NOUN", 1, "dobj"),
                    (".", ".", "PUNCT", 1, "punct")])
    (found,) = statements.find_statements(doc)
    assert (doc.text[slice(*found.content)], found.stance) == ("the attack", "deny")


@pytest.mark.parametrize("text, quotes", [
    ('He said "we will win" today.', ["we will win"]),
    ("He said “we will win” today.", ["we will win"]),
    ('"Mixed marks,” he said.', ["Mixed marks,"]),
    ('A "scare" quote and an "open one\nNext paragraph.', ["scare", "open one"]),
    ('Odd " mark alone.', []),
    ("“Outer ‘inner’ words”", ["Outer ‘inner’ words"]),
    ("‘We don’t know,’ he said.", ["We don’t know,"]),  # British style; don’t stays an apostrophe
    ("The players’ union said ‘no deal’.", ["no deal"]),
    ("''Typewriter quotes,'' he said.", ["Typewriter quotes,"]),
    # straight single marks as British tabloids use them; elisions and plurals' apostrophes stay apostrophes
    ("'You wear leotards all day,' she said. 'I was told to change.'", ["You wear leotards all day,",
                                                                         "I was told to change."]),
    ("In the '90s rock 'n' roll and the players' union said 'no deal' to 'em.", ["no deal"]),
    ("She added: 'I am heading in the right direction.\n\n'I am on a mission.'",  # open: runs to its line's end
     ["I am heading in the right direction.", "I am on a mission."]),
    ("She said: 'One thing.\n\n'Two things, open.\n\n'Three.'", ["One thing.", "Two things, open.", "Three."]),
    ("'I said \"no\" and he walked away,' one said.", ['I said "no" and he walked away,']),  # one quote, not three
])
def test_quote_marks_of_every_kind(text, quotes):
    assert [text[s:e] for s, e in statements.find_quotes(text)] == quotes


@given(st.text(alphabet=st.sampled_from(list('ab "“”‘’\'\n.,:s')), max_size=80))
def test_unbalanced_quotes_never_lose_the_document(text):
    quotes = statements.find_quotes(text)
    for s, e in quotes:
        assert 0 <= s < e <= len(text)
        assert text[s:e] == text[s:e].strip()
    # in text order, and none inside another
    assert quotes == sorted(quotes) and all(e1 <= s2 or e2 > e1 for (_, e1), (s2, e2) in zip(quotes, quotes[1:]))


def _owner(mapping):
    return lambda i: mapping.get(i)


def test_what_an_accusation_is_for_is_no_part_of_its_object():
    # 'of' hung on the object's noun by the parser: the charge, not more of whom it accuses
    doc = make_doc([("Swift", "Swift", "PROPN", 1, "nsubj"), ("accused", "accuse", "VERB", 1, "ROOT"),
                    ("the", "the", "DET", 3, "det"), ("couple", "couple", "NOUN", 1, "dobj"),
                    ("of", "of", "ADP", 3, "prep"), ("fraud", "fraud", "NOUN", 4, "pobj")])
    (r,) = relations.find_relations(doc, _owner({0: "swift"}), persons=[], places=[], country_entity=lambda n: None)
    assert (r.type, doc.text[slice(*r.topic)]) == ("accuses", "couple")
    # for a relation whose object it does not charge, the short tail stays ('backed the call for talks')
    doc2 = make_doc([("Iran", "Iran", "PROPN", 1, "nsubj"), ("backed", "back", "VERB", 1, "ROOT"),
                     ("the", "the", "DET", 3, "det"), ("call", "call", "NOUN", 1, "dobj"),
                     ("for", "for", "ADP", 3, "prep"), ("talks", "talk", "NOUN", 4, "pobj")])
    (r2,) = relations.find_relations(doc2, _owner({0: "iran"}), persons=[], places=[], country_entity=lambda n: None)
    assert doc2.text[slice(*r2.topic)] == "call for talks"


def test_coordinated_subjects_each_get_the_relation_and_negation_is_kept():
    doc = make_doc([("Iran", "Iran", "PROPN", 4, "nsubj"), ("and", "and", "CCONJ", 0, "cc"),
                    ("Russia", "Russia", "PROPN", 0, "conj"), ("did", "do", "AUX", 4, "aux"),
                    ("back", "back", "VERB", 4, "ROOT"), ("the", "the", "DET", 6, "det"),
                    ("campaign", "campaign", "NOUN", 4, "dobj"), (".", ".", "PUNCT", 4, "punct")])
    found = relations.find_relations(doc, _owner({0: "iran", 2: "russia"}), persons=[], places=[],
                                     country_entity=lambda name: None)
    assert [(r.type, r.subject, doc.text[slice(*r.topic)], r.negated) for r in found] == [
        ("supports", 0, "campaign", False), ("supports", 2, "campaign", False)]
    doc2 = make_doc([("Iran", "Iran", "PROPN", 3, "nsubj"), ("did", "do", "AUX", 3, "aux"),
                     ("not", "not", "PART", 3, "neg"), ("back", "back", "VERB", 3, "ROOT"),
                     ("Syria", "Syria", "PROPN", 3, "dobj")])
    (r,) = relations.find_relations(doc2, _owner({0: "iran", 4: "syria"}), persons=[], places=[],
                                    country_entity=lambda name: None)
    assert (r.type, r.object, r.negated, r.hypothetical) == ("supports", 4, True, False)


def test_conditional_relation_is_hypothetical():
    doc = make_doc([("If", "if", "SCONJ", 1, "mark"), ("asked", "ask", "VERB", 4, "advcl"),
                    ("Iran", "Iran", "PROPN", 4, "nsubj"), ("would", "would", "AUX", 4, "aux"),
                    ("back", "back", "VERB", 4, "ROOT"), ("Syria", "Syria", "PROPN", 4, "dobj")])
    (r,) = relations.find_relations(doc, _owner({2: "iran", 5: "syria"}), persons=[], places=[],
                                    country_entity=lambda name: None)
    assert r.hypothetical and not r.negated
    # the condition alone, without 'would', also makes it hypothetical
    doc2 = make_doc([("If", "if", "SCONJ", 2, "mark"), ("Iran", "Iran", "PROPN", 2, "nsubj"),
                     ("backs", "back", "VERB", 2, "ROOT"), ("Syria", "Syria", "PROPN", 2, "dobj")])
    (r2,) = relations.find_relations(doc2, _owner({1: "iran", 3: "syria"}), persons=[], places=[],
                                     country_entity=lambda name: None)
    assert r2.hypothetical


@pytest.mark.parametrize("expr, published, expected", [
    ("on Monday", "2018-09-11T22:25", "2018-09-10"),  # published on a Tuesday
    ("Tuesday", "2018-09-11", "2018-09-11"),
    ("last Wednesday", "2018-09-11", "2018-09-05"),
    ("yesterday", "2018-01-01", "2017-12-31"),
    ("December 30", "2019-01-02", "2018-12-30"),
    ("next week", "2018-09-11", None),
    ("on Monday", None, None),
])
def test_relative_dates_resolve_against_the_publish_date(expr, published, expected):
    assert dates.resolve(expr, published) == expected


def test_a_place_name_inside_a_longer_name_is_no_place_mention():
    from kg.extract.entities import find_mentions

    rows = [("He", "he", "PRON", 1, "nsubj"), ("met", "meet", "VERB", 1, "ROOT"), ("the", "the", "DET", 5, "det"),
            ("Ohio", "Ohio", "PROPN", 4, "compound"), ("State", "State", "PROPN", 5, "compound"),
            ("recruiter", "recruiter", "NOUN", 1, "dobj"), ("in", "in", "ADP", 1, "prep"),
            ("Texas", "Texas", "PROPN", 6, "pobj"), (".", ".", "PUNCT", 1, "punct")]
    doc = make_doc(rows)
    doc.ents = [doc.char_span(doc.text.index("Ohio"), doc.text.index("Ohio") + 4, label="GPE"),
                doc.char_span(doc.text.index("Texas"), doc.text.index("Texas") + 5, label="GPE")]
    assert [(m.text, m.type) for m in find_mentions(doc) if m.form == "name"] == [("Texas", "Place")]


@pytest.mark.parametrize("second, kept", [("State", False), ("Governor", True)])
def test_a_place_and_a_name_word_modifying_one_noun(second, kept):
    from kg.extract.entities import find_mentions

    # the small model's parse of 'the Ohio State recruiter': both words modify 'recruiter'
    rows = [("He", "he", "PRON", 1, "nsubj"), ("met", "meet", "VERB", 1, "ROOT"), ("the", "the", "DET", 5, "det"),
            ("Ohio", "Ohio", "PROPN", 5, "compound"), (second, second, "PROPN", 5, "compound"),
            ("recruiter", "recruiter", "NOUN", 1, "dobj"), (".", ".", "PUNCT", 1, "punct")]
    doc = make_doc(rows)
    doc.ents = [doc.char_span(doc.text.index("Ohio"), doc.text.index("Ohio") + 4, label="GPE")]
    assert [m.text for m in find_mentions(doc) if m.form == "name"] == (["Ohio"] if kept else [])


def test_the_country_refers_to_the_country_last_named():
    from kg.extract.coref import cluster
    from kg.extract.entities import find_mentions

    rows = [("Syria", "Syria", "PROPN", 1, "nsubj"), ("said", "say", "VERB", 1, "ROOT"), ("the", "the", "DET", 3, "det"),
            ("country", "country", "NOUN", 5, "nsubj"), ("would", "would", "AUX", 5, "aux"),
            ("fight", "fight", "VERB", 1, "ccomp"), (".", ".", "PUNCT", 1, "punct")]
    doc = make_doc(rows)
    doc.ents = [doc.char_span(0, 5, label="GPE")]
    (syria,) = cluster(doc, find_mentions(doc))
    assert [m.text for m in syria.mentions] == ["Syria", "the country"] and syria.type == "Country"
    # "the nation's debt": the possessor
    rows = [("Australia", "Australia", "PROPN", 1, "nsubj"), ("grew", "grow", "VERB", 1, "ROOT"), (".", ".", "PUNCT", 1, "punct"),
            ("the", "the", "DET", 4, "det"), ("nation", "nation", "NOUN", 6, "poss"), ("'s", "'s", "PART", 4, "case"),
            ("debt", "debt", "NOUN", 7, "nsubj"), ("rose", "rise", "VERB", 7, "ROOT"), (".", ".", "PUNCT", 7, "punct")]
    doc = make_doc(rows, [True, False, True, True, False, True, True, False, False])
    doc.ents = [doc.char_span(0, 9, label="GPE")]
    (australia,) = cluster(doc, find_mentions(doc))
    assert [m.text for m in australia.mentions] == ["Australia", "the nation"]
    # with no country named before it, 'the country' is dropped rather than guessed
    doc2 = make_doc([("the", "the", "DET", 1, "det"), ("country", "country", "NOUN", 2, "nsubj"),
                     ("fights", "fight", "VERB", 2, "ROOT")])
    assert cluster(doc2, find_mentions(doc2)) == []


def _sentences_doc(rows: list[tuple], starts: set[int], ents: list[tuple[str, str]]) -> Doc:
    doc = Doc(VOCAB, words=[r[0] for r in rows], lemmas=[r[1] for r in rows], pos=[r[2] for r in rows],
              heads=[r[3] for r in rows], deps=[r[4] for r in rows],
              spaces=[i + 1 < len(rows) and rows[i + 1][2] != "PUNCT" for i in range(len(rows))],
              sent_starts=[i in starts for i in range(len(rows))])
    doc.ents = [doc.char_span(doc.text.index(name), doc.text.index(name) + len(name), label=label)
                for name, label in ents]
    return doc


def _pronouns(doc) -> list[tuple[str, str]]:
    from kg.extract.coref import cluster, pronoun_mentions
    from kg.extract.entities import find_mentions

    clusters = cluster(doc, find_mentions(doc))
    return [(doc[i].text, c.name) for c, i in pronoun_mentions(doc, clusters, 0, len(doc.text), taken=set(), quoted=[])]


def test_its_refers_to_the_country_that_is_the_nearest_noun():
    rows = [("Turkey", "Turkey", "PROPN", 1, "nsubj"), ("closed", "close", "VERB", 1, "ROOT"),
            ("its", "its", "PRON", 3, "poss"), ("border", "border", "NOUN", 1, "dobj"), (".", ".", "PUNCT", 1, "punct")]
    assert _pronouns(_sentences_doc(rows, {0}, [("Turkey", "GPE")])) == [("its", "Turkey")]
    # a noun of its own in between: 'its' may be the army's
    rows = [("Turkey", "Turkey", "PROPN", 2, "poss"), ("army", "army", "NOUN", 2, "nsubj"),
            ("closed", "close", "VERB", 2, "ROOT"), ("its", "its", "PRON", 4, "poss"),
            ("border", "border", "NOUN", 2, "dobj"), (".", ".", "PUNCT", 2, "punct")]
    assert _pronouns(_sentences_doc(rows, {0}, [("Turkey", "GPE")])) == []


def test_pleonastic_it_refers_to_nothing():
    rows = [("Russia", "Russia", "PROPN", 1, "nsubj"), ("said", "say", "VERB", 1, "ROOT"),
            ("it", "it", "PRON", 3, "nsubj"), ("was", "be", "AUX", 1, "ccomp"), ("clear", "clear", "ADJ", 3, "acomp"),
            (".", ".", "PUNCT", 1, "punct")]
    assert _pronouns(_sentences_doc(rows, {0}, [("Russia", "GPE")])) == []


@pytest.mark.parametrize("pronoun, expected", [("He", [("He", "Donald Trump")]), ("She", [])])
def test_a_person_pronoun_needs_a_matching_given_name(pronoun, expected):
    rows = [("Donald", "Donald", "PROPN", 1, "compound"), ("Trump", "Trump", "PROPN", 2, "nsubj"),
            ("spoke", "speak", "VERB", 2, "ROOT"), (".", ".", "PUNCT", 2, "punct"),
            (pronoun, pronoun.lower(), "PRON", 5, "nsubj"), ("left", "leave", "VERB", 5, "ROOT"),
            (".", ".", "PUNCT", 5, "punct")]
    assert _pronouns(_sentences_doc(rows, {0, 4}, [("Donald Trump", "PERSON")])) == expected


def test_a_person_pronoun_with_two_people_in_reach_is_left_alone():
    rows = [("Donald", "Donald", "PROPN", 1, "compound"), ("Trump", "Trump", "PROPN", 2, "nsubj"),
            ("met", "meet", "VERB", 2, "ROOT"), ("Boris", "Boris", "PROPN", 4, "compound"),
            ("Johnson", "Johnson", "PROPN", 2, "dobj"), (".", ".", "PUNCT", 2, "punct"),
            ("He", "he", "PRON", 7, "nsubj"), ("left", "leave", "VERB", 7, "ROOT"), (".", ".", "PUNCT", 7, "punct")]
    doc = _sentences_doc(rows, {0, 6}, [("Donald Trump", "PERSON"), ("Boris Johnson", "PERSON")])
    assert _pronouns(doc) == []


def test_the_country_among_several_countries_is_left_alone():
    from kg.extract.coref import cluster
    from kg.extract.entities import find_mentions

    rows = [("Iran", "Iran", "PROPN", 3, "nsubj"), ("and", "and", "CCONJ", 0, "cc"), ("Turkey", "Turkey", "PROPN", 0, "conj"),
            ("discussed", "discuss", "VERB", 3, "ROOT"), ("the", "the", "DET", 5, "det"),
            ("country", "country", "NOUN", 7, "poss"), ("'s", "'s", "PART", 5, "case"),
            ("constitution", "constitution", "NOUN", 3, "dobj"), (".", ".", "PUNCT", 3, "punct")]
    doc = _sentences_doc(rows, {0}, [("Iran", "GPE"), ("Turkey", "GPE")])
    assert sorted(m.text for c in cluster(doc, find_mentions(doc)) for m in c.mentions) == ["Iran", "Turkey"]


def test_a_title_is_no_part_of_a_persons_name_mention():
    from kg.extract.entities import find_mentions

    rows = [("DJ", "DJ", "PROPN", 2, "compound"), ("Casey", "Casey", "PROPN", 2, "compound"),
            ("Kasem", "Kasem", "PROPN", 3, "nsubj"), ("died", "die", "VERB", 3, "ROOT"), (".", ".", "PUNCT", 3, "punct")]
    doc = _sentences_doc(rows, {0}, [("DJ Casey Kasem", "PERSON")])
    assert [m.text for m in find_mentions(doc)] == ["Casey Kasem"]


def test_a_person_pronoun_inside_a_quotation_is_left_alone():
    from kg.extract.coref import cluster, pronoun_mentions
    from kg.extract.entities import find_mentions

    rows = [("Donald", "Donald", "PROPN", 1, "compound"), ("Trump", "Trump", "PROPN", 2, "nsubj"),
            ("spoke", "speak", "VERB", 2, "ROOT"), (":", ":", "PUNCT", 2, "punct"), ('"', '"', "PUNCT", 5, "punct"),
            ("He", "he", "PRON", 5, "nsubj"), ("lies", "lie", "VERB", 2, "ccomp"), ('"', '"', "PUNCT", 5, "punct")]
    doc = _sentences_doc(rows, {0}, [("Donald Trump", "PERSON")])
    clusters = cluster(doc, find_mentions(doc))
    (trump,) = clusters
    quote = (doc[5].idx, doc[6].idx + 4)
    assert pronoun_mentions(doc, clusters, 0, len(doc.text), taken=set(), quoted=[]) == [(trump, 5)]
    # nobody is known to have said it: left alone
    assert pronoun_mentions(doc, clusters, 0, len(doc.text), taken=set(), quoted=[(*quote, frozenset())]) == []
    # Trump said it: 'He' is somebody else
    said = [(*quote, frozenset({id(trump)}))]
    assert pronoun_mentions(doc, clusters, 0, len(doc.text), taken=set(), quoted=said) == []
    # a third person said it: 'He' is Trump
    said = [(*quote, frozenset({id(object())}))]
    assert pronoun_mentions(doc, clusters, 0, len(doc.text), taken=set(), quoted=said) == [(trump, 5)]


@pytest.mark.parametrize("others, joined", [([], True), ([("Taylor", "Lautner")], False)])
def test_a_given_name_alone_joins_the_one_person_who_bears_it(others, joined):
    from kg.extract.coref import cluster
    from kg.extract.entities import find_mentions

    rows, ents = [], []
    for first, last in [("Taylor", "Swift"), *others]:
        k = len(rows)
        rows += [(first, first, "PROPN", k + 1, "compound"), (last, last, "PROPN", k + 2, "nsubj"),
                 ("sang", "sing", "VERB", k + 2, "ROOT"), (".", ".", "PUNCT", k + 2, "punct")]
        ents.append((f"{first} {last}", "PERSON"))
    k = len(rows)
    rows += [("Taylor", "Taylor", "PROPN", k + 1, "nsubj"), ("left", "leave", "VERB", k + 1, "ROOT"),
             (".", ".", "PUNCT", k + 1, "punct")]
    doc = _sentences_doc(rows, set(range(0, len(rows), 4)), ents)
    doc.ents = list(doc.ents) + [doc.char_span(doc[k].idx, doc[k].idx + 6, label="PERSON")]
    swift = next(c for c in cluster(doc, find_mentions(doc)) if c.name == "Taylor Swift")
    assert ([m.text for m in swift.mentions] == ["Taylor Swift", "Taylor"]) is joined


@pytest.mark.parametrize("abbr, label, expected", [
    ("TX", "ORG", "Texas"),             # a postal code after a place and a comma, whatever the model calls it
    ("Calif.", "GPE", "California"),
    ("Wash.", "GPE", "Washington, US"),  # named as the knowledge base tells the state from the capital
    ("Georgia", "GPE", "Georgia, US"),
    ("Georgia", "GPE", "Georgia"),  # after Tbilisi: the country
])
def test_a_us_state_abbreviation_after_a_city_is_the_state(abbr, label, expected):
    from kg.extract.coref import cluster
    from kg.extract.entities import find_mentions

    city = "Tbilisi" if expected == "Georgia" else "Houston"
    rows = [("in", "in", "ADP", 0, "ROOT"), (city, city, "PROPN", 0, "pobj"), (",", ",", "PUNCT", 1, "punct"),
            (abbr, abbr, "PROPN", 1, "appos"), ("today", "today", "NOUN", 0, "npadvmod")]
    doc = _sentences_doc(rows, {0}, [(city, "GPE"), (abbr, label)])
    names = {c.name: [m.text for m in c.mentions] for c in cluster(doc, find_mentions(doc))}
    assert names == {city: [city], expected: [abbr]}


def test_a_postal_code_elsewhere_is_no_state():
    from kg.extract.entities import find_mentions

    rows = [("IN", "in", "ADP", 1, "prep"), ("Houston", "Houston", "PROPN", 1, "ROOT"), ("it", "it", "PRON", 1, "dep"),
            ("is", "be", "AUX", 1, "dep"), ("OK", "OK", "ADJ", 1, "dep")]
    doc = _sentences_doc(rows, {0}, [("Houston", "GPE")])
    assert [m.text for m in find_mentions(doc)] == ["Houston"]


@pytest.mark.parametrize("words, label, expected", [
    (["Somerset", "296"], "GPE", "Somerset"),       # a score run into a place
    (["S.", "Watkin", "4-28"], "PERSON", "S. Watkin"),
    (["Kent", "108-3"], "ORG", "Kent"),
    (["Channel", "4"], "ORG", "Channel 4"),         # a number that is part of a name
])
def test_a_score_is_no_part_of_a_name(words, label, expected):
    from kg.extract.entities import find_mentions

    rows = [(w, w, "PROPN", len(words), "compound") for w in words] + [("won", "win", "VERB", len(words), "ROOT")]
    doc = _sentences_doc(rows, {0}, [(" ".join(words), label)])
    assert [m.text for m in find_mentions(doc)] == [expected]


def test_a_name_without_a_capital_is_no_name():
    from kg.extract.entities import find_mentions

    rows = [("an", "an", "DET", 3, "det"), ("un", "un", "PROPN", 3, "compound"), ("-", "-", "PUNCT", 3, "punct"),
            ("redacted", "redact", "ADJ", 3, "ROOT"), ("copy", "copy", "NOUN", 3, "dobj")]
    doc = _sentences_doc(rows, {0}, [("un", "ORG")])
    assert find_mentions(doc) == []


@pytest.mark.parametrize("words, label, short, joined", [
    (["U.S.", "Food", "and", "Drug", "Administration"], "ORG", "FDA", True),
    (["American", "Civil", "Liberties", "Union"], "ORG", "ACLU", True),
    (["Harvard", "University"], "ORG", "Harvard", True),
    (["American", "Civil", "Liberties", "Union"], "ORG", "NATO", False),
    (["EU-NATO"], "ORG", "EU", False),  # a compound of two names: 'EU' is no short form of it
])
def test_an_acronym_or_first_word_joins_the_organisation(words, label, short, joined):
    from kg.extract.coref import cluster
    from kg.extract.entities import find_mentions

    n = len(words)
    rows = [(w, w, "PROPN", n, "compound") for w in words] + [("met", "meet", "VERB", n, "ROOT"), (".", ".", "PUNCT", n, "punct"),
                                                                (short, short, "PROPN", n + 3, "nsubj"),
                                                                ("left", "leave", "VERB", n + 3, "ROOT")]
    doc = _sentences_doc(rows, {0, n + 2}, [(" ".join(words), label)])
    doc.ents = list(doc.ents) + [doc.char_span(doc[n + 2].idx, doc[n + 2].idx + len(short), label="ORG")]
    full = next(c for c in cluster(doc, find_mentions(doc)) if c.name == " ".join(words))
    assert (short in [m.text for m in full.mentions]) is joined


def test_called_for_takes_the_prepositions_object_as_content():
    doc = make_doc([("Clinton", "Clinton", "PROPN", 1, "nsubj"), ("called", "call", "VERB", 1, "ROOT"),
                    ("for", "for", "ADP", 1, "prep"), ("more", "more", "ADJ", 5, "amod"),
                    ("school", "school", "NOUN", 5, "compound"), ("investment", "investment", "NOUN", 2, "pobj"),
                    (".", ".", "PUNCT", 1, "punct")])
    (found,) = statements.find_statements(doc)
    assert doc.text[slice(*found.content)] == "more school investment"
    # 'called into a radio show' is no statement
    doc = make_doc([("Trump", "Trump", "PROPN", 1, "nsubj"), ("called", "call", "VERB", 1, "ROOT"),
                    ("into", "into", "ADP", 1, "prep"), ("a", "a", "DET", 5, "det"), ("radio", "radio", "NOUN", 5, "compound"),
                    ("show", "show", "NOUN", 2, "pobj"), (".", ".", "PUNCT", 1, "punct")])
    assert statements.find_statements(doc) == []


@pytest.mark.parametrize("obj, lemma, content", [("threat", "threat", "a threat"), ("residents", "resident", None)])
def test_citing_a_thing_is_content_citing_people_is_a_source(obj, lemma, content):
    doc = make_doc([("Officials", "official", "NOUN", 1, "nsubj"), ("closed", "close", "VERB", 1, "ROOT"),
                    ("it", "it", "PRON", 1, "dobj"), (",", ",", "PUNCT", 1, "punct"), ("citing", "cite", "VERB", 1, "advcl"),
                    ("a", "a", "DET", 6, "det"), (obj, lemma, "NOUN", 4, "dobj"), (".", ".", "PUNCT", 1, "punct")])
    doc[4].tag_ = "VBG"  # '..., citing ...': the participle's subject is the sentence's
    found = [doc.text[slice(*f.content)] for f in statements.find_statements(doc)]
    assert found == ([content] if content else [])


def test_a_passive_verb_takes_no_quote_from_the_next_sentence():
    rows = [("The", "the", "DET", 1, "det"), ("plan", "plan", "NOUN", 3, "nsubjpass"), ("was", "be", "AUX", 3, "auxpass"),
            ("criticized", "criticize", "VERB", 3, "ROOT"), (".", ".", "PUNCT", 3, "punct"),
            ('"', '"', "PUNCT", 7, "punct"), ("It", "it", "PRON", 7, "nsubj"), ("fails", "fail", "VERB", 10, "ccomp"),
            (",", ",", "PUNCT", 10, "punct"), ('"', '"', "PUNCT", 10, "punct"), ("said", "say", "VERB", 10, "ROOT"),
            ("Cole", "Cole", "PROPN", 10, "nsubj"), (".", ".", "PUNCT", 10, "punct")]
    doc = Doc(VOCAB, words=[r[0] for r in rows], lemmas=[r[1] for r in rows], pos=[r[2] for r in rows],
              heads=[r[3] for r in rows], deps=[r[4] for r in rows],
              spaces=[True, True, True, False, True, False, True, False, False, True, True, False, False],
              sent_starts=[i in (0, 5) for i in range(len(rows))])
    assert doc.text == 'The plan was criticized. "It fails," said Cole.'
    found = statements.find_statements(doc)
    # the criticism of the plan has no known speaker; the quote is Cole's alone
    assert [(doc.text[slice(*f.content)], [doc[t].text for t in f.speaker_tokens]) for f in found] == [
        ("The plan", []), ("It fails,", ["Cole"])]


def test_a_subject_inside_the_quote_is_not_the_speaker():
    # the small model's parse: 'it' of the quote as a second subject of 'said'
    rows = [('"', '"', "PUNCT", 6, "punct"), ("It", "it", "PRON", 6, "nsubj"), ("will", "will", "AUX", 3, "aux"),
            ("fail", "fail", "VERB", 6, "advcl"), (",", ",", "PUNCT", 6, "punct"), ('"', '"', "PUNCT", 6, "punct"),
            ("said", "say", "VERB", 6, "ROOT"), ("Acton", "Acton", "PROPN", 6, "nsubj"), (".", ".", "PUNCT", 6, "punct")]
    doc = make_doc(rows, [False, True, True, False, False, True, True, False, False])
    assert doc.text == '"It will fail," said Acton.'
    found = statements.find_statements(doc)
    assert [(doc.text[slice(*f.content)], doc[f.speaker_tokens[0]].text) for f in found] == [("It will fail,", "Acton")]


def _found(doc: Doc) -> list[tuple[str, str, str]]:
    """(content, first speaker word, rule) of each statement in the Doc."""
    return [(doc.text[slice(*f.content)], doc[f.speaker_tokens[0]].text, f.rule) for f in statements.find_statements(doc)]


def test_a_transcripts_speaker_label_gives_its_line_to_the_speaker():
    # (a label in capitals needs a second line or the person's name in the article: see test_statement_modes.py)
    rows = [("Pence", "Pence", "PROPN", 0, "ROOT"), (":", ":", "PUNCT", 0, "punct"), ("We", "we", "PRON", 4, "nsubj"),
            ("will", "will", "AUX", 4, "aux"), ("win", "win", "VERB", 0, "appos"), (".", ".", "PUNCT", 4, "punct")]
    doc = make_doc(rows)
    assert doc.text == "Pence: We will win."
    assert _found(doc) == [("We will win.", "Pence", "speaker-label")]
    # a label that names no speaker ('Update: ...') gives nothing
    doc = make_doc([("Update", "update", "NOUN", 0, "ROOT")] + rows[1:])
    assert _found(doc) == []


def test_a_quote_signed_after_a_dash_is_the_signers():
    words = ["“", "We", "will", "win", ".", "”", "—", "Sonya", "Herridge"]
    doc = Doc(VOCAB, words=words, spaces=[False, True, True, False, False, True, True, True, False],
              pos=["PUNCT", "PRON", "AUX", "VERB", "PUNCT", "PUNCT", "PUNCT", "PROPN", "PROPN"],
              heads=[3, 3, 3, 3, 3, 3, 3, 8, 3], deps=["punct", "nsubj", "aux", "ROOT", "punct", "punct", "punct",
                                                        "compound", "npadvmod"],
              sent_starts=[i == 0 for i in range(len(words))])
    assert doc.text == "“We will win.” — Sonya Herridge"
    assert _found(doc) == [("We will win.", "Herridge", "dash-signature")]


@pytest.mark.parametrize("rows, content", [
    # 'According to officials, the talks failed.'
    ([("According", "accord", "VERB", 6, "prep"), ("to", "to", "ADP", 0, "prep"), ("officials", "official", "NOUN", 1, "pobj"),
      (",", ",", "PUNCT", 6, "punct"), ("the", "the", "DET", 5, "det"), ("talks", "talk", "NOUN", 6, "nsubj"),
      ("failed", "fail", "VERB", 6, "ROOT"), (".", ".", "PUNCT", 6, "punct")], "the talks failed"),
    # 'The talks failed, according to officials.'
    ([("The", "the", "DET", 1, "det"), ("talks", "talk", "NOUN", 2, "nsubj"), ("failed", "fail", "VERB", 2, "ROOT"),
      (",", ",", "PUNCT", 2, "punct"), ("according", "accord", "VERB", 2, "prep"), ("to", "to", "ADP", 4, "prep"),
      ("officials", "official", "NOUN", 5, "pobj"), (".", ".", "PUNCT", 2, "punct")], "The talks failed"),
])
def test_according_to_credits_the_rest_of_the_sentence_to_its_object(rows, content):
    doc = make_doc(rows)
    ((found, cue),) = [(f, doc.text[slice(*f.cue)]) for f in statements.find_statements(doc)]
    assert (doc.text[slice(*found.content)], doc[found.speaker_tokens[0]].text, found.rule) == (
        content, "officials", "according-to")
    assert cue.lower() == "according to" and found.kind == "indirect"


def _per(words: list[str], pos: list[str], heads: list[int], deps: list[str], ents: list[tuple[str, str]] = ()) -> Doc:
    doc = Doc(VOCAB, words=words, spaces=[i + 1 < len(words) and pos[i + 1] != "PUNCT" for i in range(len(words))],
              lemmas=[w.lower() for w in words], pos=pos, heads=heads, deps=deps,
              sent_starts=[i == 0 for i in range(len(words))])
    doc.ents = [doc.char_span(doc.text.index(name), doc.text.index(name) + len(name), label=label)
                for name, label in ents]
    return doc


def test_per_a_speaker_attributes_like_according_to():
    # 'Per the minister, the talks failed.'
    doc = _per(["Per", "the", "minister", ",", "the", "talks", "failed", "."],
               ["ADP", "DET", "NOUN", "PUNCT", "DET", "NOUN", "VERB", "PUNCT"], [6, 2, 0, 6, 5, 6, 6, 6],
               ["prep", "det", "pobj", "punct", "det", "nsubj", "ROOT", "punct"])
    assert _found(doc) == [("the talks failed", "minister", "according-to")]
    # 'The talks failed, per Reuters.'
    doc = _per(["The", "talks", "failed", ",", "per", "Reuters", "."], ["DET", "NOUN", "VERB", "PUNCT", "ADP", "PROPN", "PUNCT"],
               [1, 2, 2, 2, 2, 4, 2], ["det", "nsubj", "ROOT", "punct", "prep", "pobj", "punct"], [("Reuters", "ORG")])
    assert _found(doc) == [("The talks failed", "Reuters", "according-to")]
    assert statements.find_statements(doc)[0].cue_lemma == "per"


@pytest.mark.parametrize("words, pos, heads, deps", [
    # 'Prices rose 5 per cent.': a measure
    (["Prices", "rose", "5", "per", "cent", "."], ["NOUN", "VERB", "NUM", "ADP", "NOUN", "PUNCT"], [1, 1, 1, 2, 3, 1],
     ["nsubj", "ROOT", "dobj", "prep", "pobj", "punct"]),
    # 'The deal, per the agreement, ends.': no speaker
    (["The", "deal", ",", "per", "the", "agreement", ",", "ends", "."],
     ["DET", "NOUN", "PUNCT", "ADP", "DET", "NOUN", "PUNCT", "VERB", "PUNCT"], [1, 7, 7, 7, 5, 3, 7, 7, 7],
     ["det", "nsubj", "punct", "prep", "det", "pobj", "punct", "ROOT", "punct"]),
    # 'It costs $5 per official a day.': a human noun, but no punctuation sets 'per' off
    (["It", "costs", "$", "5", "per", "official", "a", "day", "."],
     ["PRON", "VERB", "SYM", "NUM", "ADP", "NOUN", "DET", "NOUN", "PUNCT"], [1, 1, 3, 1, 3, 4, 7, 1, 1],
     ["nsubj", "ROOT", "nmod", "dobj", "prep", "pobj", "det", "npadvmod", "punct"]),
])
def test_per_as_a_measure_or_without_a_speaker_attributes_nothing(words, pos, heads, deps):
    assert _found(_per(words, pos, heads, deps)) == []


def test_a_parenthetical_attribution_gives_the_whole_sentence():
    # 'Lenox was strong, Clarke said, until it failed.': the parser hangs 'said' on the sentence's verb
    rows = [("Lenox", "Lenox", "PROPN", 1, "nsubj"), ("was", "be", "AUX", 1, "ROOT"), ("strong", "strong", "ADJ", 1, "acomp"),
            (",", ",", "PUNCT", 5, "punct"), ("Clarke", "Clarke", "PROPN", 5, "nsubj"), ("said", "say", "VERB", 1, "parataxis"),
            (",", ",", "PUNCT", 5, "punct"), ("until", "until", "SCONJ", 9, "mark"), ("it", "it", "PRON", 9, "nsubj"),
            ("failed", "fail", "VERB", 1, "advcl"), (".", ".", "PUNCT", 1, "punct")]
    doc = make_doc(rows)
    assert _found(doc) == [("Lenox was strong, Clarke said, until it failed", "Clarke", "reported-parenthetical")]


def test_a_quote_split_around_its_attribution_is_one_statement():
    words = ['"', "We", "will", "win", ",", '"', "he", "said", ",", '"', "and", "soon", ".", '"']
    doc = Doc(VOCAB, words=words,
              spaces=[False, True, True, False, False, True, True, False, True, False, True, False, False, False],
              lemmas=[w.lower() if w != "said" else "say" for w in words],
              pos=["PUNCT", "PRON", "AUX", "VERB", "PUNCT", "PUNCT", "PRON", "VERB", "PUNCT", "PUNCT", "CCONJ", "ADV",
                   "PUNCT", "PUNCT"],
              heads=[7, 3, 3, 7, 7, 7, 7, 7, 7, 7, 11, 7, 7, 7],
              deps=["punct", "nsubj", "aux", "ccomp", "punct", "punct", "nsubj", "ROOT", "punct", "punct", "cc",
                    "advmod", "punct", "punct"],
              sent_starts=[i == 0 for i in range(len(words))])
    assert doc.text == '"We will win," he said, "and soon."'
    assert _found(doc) == [('We will win," he said, "and soon.', "he", "direct-quote-split")]


@pytest.mark.parametrize("rows, ents, names", [
    # 'the' before a proper name is not part of it; before a description it stays
    ([("the", "the", "DET", 2, "det"), ("United", "United", "PROPN", 2, "compound"),
      ("States", "States", "PROPN", 3, "nsubj"), ("left", "leave", "VERB", 3, "ROOT")],
     [("the United States", "GPE")], ["United States"]),
    ([("the", "the", "DET", 3, "det"), ("Russian", "Russian", "ADJ", 3, "amod"),
      ("defense", "defense", "NOUN", 3, "compound"), ("ministry", "ministry", "NOUN", 4, "nsubj"),
      ("left", "leave", "VERB", 4, "ROOT")],
     [("the Russian defense ministry", "ORG")], ["the Russian defense ministry"]),
])
def test_a_name_starts_after_the(rows, ents, names):
    from kg.extract.entities import find_mentions

    doc = _sentences_doc(rows, {0}, ents)
    assert [m.text for m in find_mentions(doc) if m.form == "name"] == names


def test_a_name_joined_by_a_hyphen_to_a_word_is_a_modifier_not_a_mention():
    from kg.extract.entities import find_mentions

    words = ["Ontario", "-", "based", "Magna", "and", "pro", "-", "Moscow", "leaders", "met", "Bosnia", "-",
             "Herzegovina"]
    spaces = [False, False, True, True, True, False, False, True, True, True, False, False, False]
    pos = ["PROPN", "PUNCT", "VERB", "PROPN", "CCONJ", "X", "PUNCT", "PROPN", "NOUN", "VERB", "PROPN", "PUNCT",
           "PROPN"]
    doc = Doc(VOCAB, words=words, spaces=spaces, pos=pos, heads=[9] * 9 + [9, 9, 9, 9],
              deps=["dep"] * 9 + ["ROOT", "dobj", "punct", "dep"], sent_starts=[i == 0 for i in range(len(words))])
    doc.ents = [doc.char_span(doc.text.index(n), doc.text.index(n) + len(n), label=label)
                for n, label in (("Ontario", "GPE"), ("Magna", "ORG"), ("Moscow", "GPE"),
                                 ("Bosnia-Herzegovina", "GPE"))]
    assert [m.text for m in find_mentions(doc) if m.form == "name"] == ["Magna", "Bosnia-Herzegovina"]


def _flat_doc(words: list[str], ents: list[tuple[str, str]], heads: dict[int, tuple[int, str]] | None = None,
              verbs: set[str] = frozenset()):
    """A one-sentence Doc whose words all hang from the first word unless ``heads`` says otherwise; ``verbs``
    are tagged VERB."""
    heads = heads or {}
    doc = Doc(VOCAB, words=words, spaces=[True] * len(words), lemmas=[w.lower() for w in words],
              pos=["VERB" if w in verbs else "PROPN" if w[:1].isupper() else "X" for w in words],
              heads=[heads.get(k, (0, "dep"))[0] for k in range(len(words))],
              deps=["ROOT" if k == 0 and 0 not in heads else heads.get(k, (0, "dep"))[1] for k in range(len(words))],
              sent_starts=[k == 0 for k in range(len(words))])
    doc.ents = [doc.char_span(doc.text.index(n), doc.text.index(n) + len(n), label=label) for n, label in ents]
    return doc


def test_an_entity_the_model_ran_over_a_separator_a_score_or_a_headline_verb_is_cut_and_a_capital_headline_is_no_name():
    from kg.extract.entities import find_mentions

    words = "Results : Scott Draper ( Australia ) ; Haitai 2 Samsung 0 ; W D L PCT GB ; Trump Warns Clinton".split()
    doc = _flat_doc(words, [("Scott Draper ( Australia", "PERSON"), ("Haitai 2 Samsung 0", "ORG"),
                            ("W D L PCT GB", "ORG"), ("Trump Warns Clinton", "PERSON")], verbs={"Warns"})
    assert [m.text for m in find_mentions(doc) if m.form == "name"] == ["Scott Draper", "Australia", "Haitai",
                                                                        "Samsung", "Trump", "Clinton"]


def test_in_a_sports_report_a_place_named_as_a_side_is_a_team():
    from kg.extract.entities import find_mentions

    words = "CRICKET - Leicestershire beat Somerset at Grace Road in Derby".split()
    doc = _flat_doc(words, [("Leicestershire", "GPE"), ("Somerset", "GPE"), ("Derby", "GPE")],
                    {0: (3, "dep"), 1: (3, "punct"), 2: (3, "nsubj"), 3: (3, "ROOT"), 4: (3, "dobj"),
                     5: (3, "prep"), 6: (7, "compound"), 7: (5, "pobj"), 8: (3, "prep"), 9: (8, "pobj")})
    types = {m.text: m.type for m in find_mentions(doc) if m.form == "name"}
    assert types == {"Leicestershire": "Organization", "Somerset": "Organization", "Derby": "Place"}
    # the same sentence in a news report keeps the places
    news = _flat_doc(words[2:], [("Leicestershire", "GPE"), ("Somerset", "GPE")],
                     {0: (1, "nsubj"), 1: (1, "ROOT"), 2: (1, "dobj")})
    assert {m.type for m in find_mentions(news) if m.form == "name"} == {"Place"}


def test_a_title_case_headline_name_is_cut_to_the_name_the_story_uses():
    from kg.extract.entities import find_mentions

    words = ["Derelict", "Obama", "Fails", "Veterans", "\n\n", "Barack", "Obama", "spoke", "."]
    doc = Doc(VOCAB, words=words, spaces=[True, True, True, False, False, True, True, False, False],
              pos=["ADJ", "PROPN", "VERB", "NOUN", "SPACE", "PROPN", "PROPN", "VERB", "PUNCT"],
              heads=[1, 2, 2, 2, 2, 6, 7, 7, 7],
              deps=["amod", "nsubj", "ROOT", "dobj", "dep", "compound", "nsubj", "ROOT", "punct"],
              sent_starts=[True, False, False, False, False, True, False, False, False])
    doc.ents = [doc.char_span(0, len("Derelict Obama"), label="PERSON"),
                doc.char_span(doc.text.index("Barack"), doc.text.index("Barack") + len("Barack Obama"),
                              label="PERSON")]
    assert [m.text for m in find_mentions(doc) if m.form == "name"] == ["Obama", "Barack Obama"]
    # a headline name the story does not use stays whole
    doc.ents = [doc.char_span(0, len("Derelict Obama"), label="PERSON")]
    assert [m.text for m in find_mentions(doc) if m.form == "name"] == ["Derelict Obama"]


def test_a_gendered_title_tells_apart_two_people_who_share_a_surname():
    from spacy.tokens import Span

    from kg.extract.coref import cluster
    from kg.extract.entities import find_mentions

    words = "Hillary Clinton and Bill Clinton met ; Mrs. Clinton spoke ; Mr. Clinton left".split()
    doc = _flat_doc(words, [("Hillary Clinton", "PERSON"), ("Bill Clinton", "PERSON")])
    doc.ents = list(doc.ents) + [Span(doc, 8, 9, label="PERSON"), Span(doc, 12, 13, label="PERSON")]
    titles = {c.name: [doc[m.i - 1].text for m in c.mentions if m.text == "Clinton"]
              for c in cluster(doc, find_mentions(doc))}
    assert titles == {"Hillary Clinton": ["Mrs."], "Bill Clinton": ["Mr."]}


@pytest.mark.parametrize("before, kept", [
    ("Human Rights in", False),  # the place ends a longer name
    ("the Golf Club of", False),
    ("the Bank of", False),  # an institution's head word
    ("Police in", True),  # one capitalised word, no institution: where the police are
    ("President of", True),  # a title of the country
    ("the Republic of", True),  # a state form
    ("Dow Chemical Co of", True),  # where a company is from
    ("Karlsruhe of", True),  # a named side of the place: the model tags it
])
def test_a_place_that_ends_a_longer_capitalised_name_is_no_mention_of_the_place(before, kept):
    from kg.extract.entities import find_mentions

    words = ["He", "spoke", "for", *before.split(), "Chad", "."]
    ents = [("Chad", "GPE")] + ([("Karlsruhe", "ORG")] if "Karlsruhe" in before else [])
    doc = _flat_doc(words, ents)
    assert ("Chad" in [m.text for m in find_mentions(doc) if m.form == "name"]) == kept


def test_pro_before_a_place_makes_a_modifier_not_a_mention():
    from kg.extract.entities import find_mentions

    words = ["Pro", "-", "Moscow", "leaders", "met", "Moscow", "officials"]
    doc = Doc(VOCAB, words=words, spaces=[False, False, True, True, True, True, False],
              pos=["X", "PUNCT", "PROPN", "NOUN", "VERB", "PROPN", "NOUN"], heads=[2, 2, 3, 4, 4, 6, 4],
              deps=["dep", "punct", "amod", "nsubj", "ROOT", "compound", "dobj"])
    doc.ents = [doc.char_span(4, 10, label="GPE"), doc.char_span(doc.text.rindex("Moscow"), len(doc.text) - 10,
                                                                    label="GPE")]
    assert [m.start for m in find_mentions(doc) if m.form == "name"] == [doc.text.rindex("Moscow")]


@pytest.mark.parametrize("demonym, country", [("Pakistani", False), ("British", True), ("Chinese", True)])
def test_the_demonym_of_one_person_is_no_mention_of_the_country(demonym, country):
    from kg.extract.entities import find_mentions

    words = ["He", "shouted", "at", "the", demonym, "."]
    doc = Doc(VOCAB, words=words, pos=["PRON", "VERB", "ADP", "DET", "PROPN", "PUNCT"], heads=[1, 1, 1, 4, 2, 1],
              deps=["nsubj", "ROOT", "prep", "det", "pobj", "punct"])
    doc.ents = [doc.char_span(doc.text.index(demonym), doc.text.index(demonym) + len(demonym), label="NORP")]
    assert any(m.type == "Country" for m in find_mentions(doc)) == country


def test_a_name_the_model_calls_a_person_is_a_place_by_its_generic_word_or_its_context_and_spellings_join():
    from kg.extract.coref import cluster
    from kg.extract.entities import find_mentions

    words = ["Gas", "came", "from", "Kherbet", "al", "-", "Jawz", "to", "residents", "of", "Jisr", "ash", "-",
             "Shugour", "and", "Jisr", "al", "-", "Shughour", "near", "Khan", "Sheikhoun", "."]
    no_space = {4, 5, 11, 12, 16, 17}  # 'al-Jawz', 'ash-Shugour', 'al-Shughour'
    doc = Doc(VOCAB, words=words, spaces=[k not in no_space and k + 1 < len(words) and words[k + 1] != "."
                                          for k in range(len(words))],
              pos=["PROPN" if w[:1].isupper() else "X" for w in words], heads=[0] * len(words),
              deps=["ROOT"] + ["dep"] * (len(words) - 1), sent_starts=[k == 0 for k in range(len(words))])
    text = doc.text
    ents = [("Kherbet al-Jawz", 0), ("Jisr", text.index("Jisr ash")), ("Jisr al-Shughour", text.index("Jisr al")),
            ("Khan Sheikhoun", 0)]
    doc.ents = [doc.char_span(start or text.index(n), (start or text.index(n)) + len(n), label="PERSON")
                for n, start in ents]
    mentions = [m for m in find_mentions(doc) if m.form == "name"]
    # 'Khan' opens people's names too ('Sadiq Khan'): no evidence of a place by itself
    assert [(m.text, m.type) for m in mentions] == [("Kherbet al-Jawz", "Place"), ("Jisr ash-Shugour", "Place"),
                                                    ("Jisr al-Shughour", "Place"), ("Khan Sheikhoun", "Person")]
    jisr = [c for c in cluster(doc, mentions) if "Jisr" in c.name]
    assert [[m.text for m in c.mentions] for c in jisr] == [["Jisr ash-Shugour", "Jisr al-Shughour"]]


def _lines_doc(text: str):
    tokens = spacy.blank("en")(text)
    words = [t.text for t in tokens]
    return Doc(VOCAB, words=words, spaces=[bool(t.whitespace_) for t in tokens],
               pos=["PROPN" if w[:1].isupper() else "X" for w in words], heads=[0] * len(words),
               deps=["ROOT"] + ["dep"] * (len(words) - 1), sent_starts=[k == 0 for k in range(len(words))])


def test_in_a_sports_report_the_sides_of_a_table_are_teams():
    from kg.extract.entities import find_mentions

    table = ("Clyde 3 1 0 2 2 5 3\nGreenock Morton 3 2 0 1 5 2 6\nNorway 3 2 1 0 5 2 7\nJohn Daly 68 70 72\n"
             "Alloa 0 Montrose 2 Ross County 1 ( halftime 0-1 )\nLOS ANGELES AT PHILADELPHIA\nClyde lost 2 games .")
    doc = _lines_doc("SOCCER - SCOTTISH LEAGUE STANDINGS .\nGLASGOW 1996-08-31\n" + table)
    # a country is the country's name and a player's name is no team; a line of prose makes no side
    assert [m.text for m in find_mentions(doc) if m.type == "Organization"] == [
        "Clyde", "Greenock Morton", "Alloa", "Montrose", "Ross County", "LOS ANGELES", "PHILADELPHIA"]
    # the same lines under a news desk are no table of sides
    news = _lines_doc("POLITICS - SCOTTISH COUNCIL VOTES .\nGLASGOW 1996-08-31\n" + table)
    assert not [m for m in find_mentions(news) if m.type == "Organization"]


@pytest.mark.parametrize("name, type_", [("Patriot Coal", "Organization"), ("Kia Motors Corp.", "Organization"),
                                         ("Tom Clarke", "Person")])
def test_a_name_the_model_calls_a_person_that_ends_in_a_company_word_is_an_organisation(name, type_):
    from kg.extract.entities import find_mentions

    doc = _flat_doc(["Then", *name.split(), "said", "no", "."], [(name, "PERSON")])
    assert [m.type for m in find_mentions(doc) if m.form == "name"] == [type_]


def test_a_name_the_parser_hung_before_a_subjectless_reporting_verb_is_its_speaker():
    # 'In a meeting with the board Trump said that talks failed.': 'Trump' hangs on 'board' as an apposition
    doc = make_doc([("In", "in", "ADP", 7, "prep"), ("a", "a", "DET", 2, "det"), ("meeting", "meeting", "NOUN", 0, "pobj"),
                    ("with", "with", "ADP", 2, "prep"), ("the", "the", "DET", 5, "det"),
                    ("board", "board", "NOUN", 3, "pobj"), ("Trump", "Trump", "PROPN", 5, "appos"),
                    ("said", "say", "VERB", 7, "ROOT"), ("that", "that", "SCONJ", 10, "mark"),
                    ("talks", "talk", "NOUN", 10, "nsubj"), ("failed", "fail", "VERB", 7, "ccomp"),
                    (".", ".", "PUNCT", 7, "punct")])
    (found,) = statements.find_statements(doc)
    assert doc.text[slice(*found.content)] == "talks failed"
    assert [doc[i].text for i in found.speaker_tokens] == ["Trump"]
    assert doc.text[slice(*found.speaker_span)] == "Trump"


def test_another_attribution_inside_reported_content_closes_it():
    # 'Some say women would not be as funny, and some say it is a tradition.': the parser hangs the second
    # attribution on the first content's verb
    rows = [("Some", "some", "PRON", 1, "nsubj"), ("say", "say", "VERB", 1, "ROOT"), ("women", "woman", "NOUN", 5, "nsubj"),
            ("would", "would", "AUX", 5, "aux"), ("not", "not", "PART", 5, "neg"), ("be", "be", "AUX", 1, "ccomp"),
            ("as", "as", "ADV", 7, "advmod"), ("funny", "funny", "ADJ", 5, "acomp"), (",", ",", "PUNCT", 5, "punct"),
            ("and", "and", "CCONJ", 5, "cc"), ("some", "some", "PRON", 11, "nsubj"), ("say", "say", "VERB", 5, "conj"),
            ("it", "it", "PRON", 13, "nsubj"), ("is", "be", "AUX", 11, "ccomp"), ("a", "a", "DET", 15, "det"),
            ("tradition", "tradition", "NOUN", 13, "attr"), (".", ".", "PUNCT", 1, "punct")]
    doc = make_doc(rows)
    assert _found(doc) == [("women would not be as funny", "Some", "reported-ccomp"),
                           ("it is a tradition", "some", "reported-ccomp")]


def test_a_short_quotation_a_verb_of_naming_gives_is_a_name_not_a_statement():
    # 'The group dubbed "the Squad" met.': the parser makes the participle the main verb, 'group' its subject
    rows = [("The", "the", "DET", 1, "det"), ("group", "group", "NOUN", 2, "nsubj"), ("dubbed", "dub", "VERB", 2, "ROOT"),
            ('"', '"', "PUNCT", 5, "punct"), ("the", "the", "DET", 5, "det"), ("Squad", "Squad", "PROPN", 2, "oprd"),
            ('"', '"', "PUNCT", 5, "punct"), ("met", "meet", "VERB", 2, "ccomp"), (".", ".", "PUNCT", 2, "punct")]
    doc = make_doc(rows, text_spaces=[True, True, True, False, True, False, True, False, False])
    assert doc.text == 'The group dubbed "the Squad" met.'
    assert _found(doc) == []
    # 'Clinton calls Obamacare "crazy system".': the object reaches out of the quotation, so it is what was said
    rows = [("Clinton", "Clinton", "PROPN", 1, "nsubj"), ("calls", "call", "VERB", 1, "ROOT"),
            ("Obamacare", "Obamacare", "PROPN", 5, "nmod"), ('"', '"', "PUNCT", 5, "punct"),
            ("crazy", "crazy", "ADJ", 5, "amod"), ("system", "system", "NOUN", 1, "dobj"),
            ('"', '"', "PUNCT", 5, "punct"), (".", ".", "PUNCT", 1, "punct")]
    doc = make_doc(rows, text_spaces=[True, True, True, False, True, False, False, False])
    assert doc.text == 'Clinton calls Obamacare "crazy system".'
    assert _found(doc) == [('Obamacare "crazy system"', "Clinton", "reported-object")]


def _parenthetical(trailing: list[tuple]) -> Doc:
    """'The plan failed, officials said, <trailing>.' with the trailing words hung on 'said'."""
    rows = [("The", "the", "DET", 1, "det"), ("plan", "plan", "NOUN", 2, "nsubj"), ("failed", "fail", "VERB", 5, "ccomp"),
            (",", ",", "PUNCT", 5, "punct"), ("officials", "official", "NOUN", 5, "nsubj"),
            ("said", "say", "VERB", 5, "ROOT"), (",", ",", "PUNCT", 5, "punct"), *trailing, (".", ".", "PUNCT", 5, "punct")]
    return make_doc(rows)


def test_a_clause_of_its_own_after_a_parenthetical_attribution_tells_of_the_attribution():
    doc = _parenthetical([("as", "as", "SCONJ", 9, "mark"), ("they", "they", "PRON", 9, "nsubj"),
                          ("left", "leave", "VERB", 5, "advcl")])
    assert _found(doc) == [("The plan failed", "officials", "reported-preposed")]
    # a participle goes on with what was said ('Twitter announced, gaining 22,000 followers'): the two parts
    doc = _parenthetical([("raising", "raise", "VERB", 5, "advcl"), ("doubts", "doubt", "NOUN", 7, "dobj")])
    doc[7].tag_ = "VBG"
    (found,) = statements.find_statements(doc)
    assert doc.text[slice(*found.content)] == "The plan failed, officials said, raising doubts"
    assert [doc.text[a:b] for a, b in found.parts] == ["The plan failed", "raising doubts"]


def test_a_verb_joined_to_one_of_the_part_before_is_no_main_verb_of_its_part():
    # 'Visitors were old, she said, and we had to leave.': 'had to' is joined to 'were', not a request of its own
    rows = [("Visitors", "visitor", "NOUN", 1, "nsubj"), ("were", "be", "AUX", 1, "ROOT"), ("old", "old", "ADJ", 1, "acomp"),
            (",", ",", "PUNCT", 5, "punct"), ("she", "she", "PRON", 5, "nsubj"), ("said", "say", "VERB", 1, "parataxis"),
            (",", ",", "PUNCT", 5, "punct"), ("and", "and", "CCONJ", 1, "cc"), ("we", "we", "PRON", 9, "nsubj"),
            ("had", "have", "VERB", 1, "conj"), ("to", "to", "PART", 11, "aux"), ("leave", "leave", "VERB", 9, "xcomp"),
            (".", ".", "PUNCT", 1, "punct")]
    doc = make_doc(rows)
    (found,) = statements.find_statements(doc)
    assert [doc.text[a:b] for a, b in found.parts] == ["Visitors were old", "and we had to leave"]
    assert statements.content_stance(doc, found, lambda t: False) is None


@pytest.mark.parametrize("rows, ents, type_", [
    # 'the Hong Kong Standard said': a name after 'the' is no person's
    ([("the", "the", "DET", 3, "det"), ("Hong", "Hong", "PROPN", 2, "compound"), ("Kong", "Kong", "PROPN", 3, "compound"),
      ("Standard", "Standard", "PROPN", 4, "nsubj"), ("said", "say", "VERB", 4, "ROOT")],
     ["O", "B-GPE", "I-GPE", "O", "O"], "Organization"),
    # a title keeps the person ('the Rev. Al Sharpton'), and so does a title standing alone ('the Duke')
    ([("the", "the", "DET", 3, "det"), ("Rev.", "Rev.", "PROPN", 3, "compound"), ("Al", "Al", "PROPN", 3, "compound"),
      ("Sharpton", "Sharpton", "PROPN", 4, "nsubj"), ("said", "say", "VERB", 4, "ROOT")],
     ["O", "O", "O", "O", "O"], "Person"),
    ([("the", "the", "DET", 1, "det"), ("Duke", "Duke", "PROPN", 2, "nsubj"), ("said", "say", "VERB", 2, "ROOT")],
     ["O", "O", "O"], "Person"),
])
def test_an_untyped_name_after_the_speaks_for_an_organisation(rows, ents, type_):
    from kg.extract.entities import speaker_mention

    doc = make_doc(rows, ents=ents)
    head = next(t for t in doc if t.dep_ == "nsubj")
    assert speaker_mention(doc, 0, head.i + 1, head).type == type_


def test_a_verb_of_asking_that_puts_a_question_requests_nothing_of_whom_it_asks():
    def asked(second: tuple) -> list[str]:
        # 'Brown asked Kate whether she left.' / 'Brown asked Kate to leave.'
        rows = [("Brown", "Brown", "PROPN", 1, "nsubj"), ("asked", "ask", "VERB", 1, "ROOT"),
                ("Kate", "Kate", "PROPN", 1, "dobj"), *second, (".", ".", "PUNCT", 1, "punct")]
        doc = make_doc(rows)
        owner = {0: "e1", 2: "e2"}.get
        return [r.type for r in relations._verb_relations(doc, doc[1], owner)]

    assert asked([("whether", "whether", "SCONJ", 5, "mark"), ("she", "she", "PRON", 5, "nsubj"),
                  ("left", "leave", "VERB", 1, "ccomp")]) == []
    assert asked([("to", "to", "PART", 4, "aux"), ("leave", "leave", "VERB", 1, "xcomp")]) == ["requests"]


@pytest.mark.parametrize("words, label, type_", [
    ("Keith Lamont Scott", "ORG", "Person"), ("Ivan Lendl", "GPE", "Person"),  # a given name opens them
    ("Walter Energy", "ORG", "Organization"), ("Christopher Newport University", "ORG", "Organization"),
    ("Beverly Hills", "GPE", "Place"), ("Grace Road", "FAC", "Place"),  # a word of organisations or places
    ("the Charlotte Observer", "ORG", "Organization"),  # no one's name takes 'the'
    ("Douglas & Lomason", "ORG", "Organization"),
])
def test_a_name_the_model_calls_an_organisation_or_place_that_opens_with_a_given_name_is_a_person(words, label, type_):
    from kg.extract.entities import find_mentions

    name = words.removeprefix("the ")
    doc = _flat_doc(["Then", *words.split(), "said", "no", "."], [(name, label)])
    assert [m.type for m in find_mentions(doc) if m.form == "name"] == [type_]


def _two_clauses(verb: tuple) -> Doc:
    """'He said losses were heavy and forces <verb> the city.', with the second clause hung on 'said' too."""
    rows = [("He", "he", "PRON", 1, "nsubj"), ("said", "say", "VERB", 1, "ROOT"), ("losses", "loss", "NOUN", 3, "nsubj"),
            ("were", "be", "AUX", 1, "ccomp"), ("heavy", "heavy", "ADJ", 3, "acomp"), ("and", "and", "CCONJ", 3, "cc"),
            ("forces", "force", "NOUN", 7, "nsubj"), verb, ("the", "the", "DET", 9, "det"),
            ("city", "city", "NOUN", 7, "dobj"), (".", ".", "PUNCT", 1, "punct")]
    return make_doc(rows)


def test_two_clauses_the_parser_hung_on_the_cue_are_both_what_was_said():
    doc = _two_clauses(("defended", "defend", "VERB", 1, "ccomp"))
    assert _found(doc) == [("losses were heavy and forces defended the city", "He", "reported-ccomp")]
    # another attribution is no part of it
    doc = _two_clauses(("warned", "warn", "VERB", 1, "ccomp"))
    assert ("losses were heavy", "He", "reported-ccomp") in _found(doc)


def test_a_name_after_a_joined_title_speaks():
    # '"...," said Pirelli chairman and chief executive Marco Provera.': the name follows the last title
    rows = [("Pirelli", "Pirelli", "PROPN", 1, "compound"), ("chairman", "chairman", "NOUN", 7, "nsubj"),
            ("and", "and", "CCONJ", 1, "cc"), ("chief", "chief", "ADJ", 4, "amod"),
            ("executive", "executive", "NOUN", 1, "conj"), ("Marco", "Marco", "PROPN", 6, "compound"),
            ("Provera", "Provera", "PROPN", 1, "appos"), ("said", "say", "VERB", 7, "ROOT"),
            ("sales", "sale", "NOUN", 9, "nsubj"), ("rose", "rise", "VERB", 7, "ccomp"), (".", ".", "PUNCT", 7, "punct")]
    doc = make_doc(rows, ents=["B-ORG", "O", "O", "O", "O", "B-PERSON", "I-PERSON", "O", "O", "O", "O"])
    (found,) = statements.find_statements(doc)
    assert [doc[i].text for i in found.speaker_tokens] == ["Provera"]


@pytest.mark.parametrize("subject, neg, adjective, found", [
    ("Merkel", False, "confident", [("the euro survives", "Merkel", "thought", "optimistic")]),
    ("Officials", False, "worried", [("the euro survives", "Officials", "thought", "concern")]),
    ("Erdogan", False, "adamant", [("the euro survives", "Erdogan", "speech", "assert")]),
    ("Merkel", True, "sure", []),  # 'not sure that ...' states nothing
    ("It", False, "certain", []),  # no one's state of mind
])
def test_an_adjective_of_a_state_of_mind_reports_the_clause_it_governs(subject, neg, adjective, found):
    # 'Merkel is confident that the euro survives.'
    rows = [(subject, subject.lower(), "PROPN" if subject != "It" else "PRON", 1, "nsubj"), ("is", "be", "AUX", 1, "ROOT"),
            (adjective, adjective, "ADJ", 1, "acomp"), ("that", "that", "SCONJ", 6, "mark"),
            ("the", "the", "DET", 5, "det"), ("euro", "euro", "NOUN", 6, "nsubj"),
            ("survives", "survive", "VERB", 2, "ccomp"), (".", ".", "PUNCT", 1, "punct")]
    if neg:  # 'is not sure': one word more after 'is'
        rows = [(w, l, p, h + (h >= 2), d) for w, l, p, h, d in rows]
        rows.insert(2, ("not", "not", "PART", 1, "neg"))
    doc = make_doc(rows)
    assert [(doc.text[slice(*f.content)], doc[f.speaker_tokens[0]].text, f.mode, f.stance)
            for f in statements.find_statements(doc)] == found


@pytest.mark.parametrize("as_word, found", [
    ("as", [("his plan as a threat", "Critics", "thought")]),  # 'Critics saw his plan as a threat.'
    ("during", []),  # 'Critics saw his plan during a visit.': no opinion without 'as'
])
def test_seeing_something_as_something_is_an_opinion(as_word, found):
    rows = [("Critics", "critic", "NOUN", 1, "nsubj"), ("saw", "see", "VERB", 1, "ROOT"), ("his", "his", "PRON", 3, "poss"),
            ("plan", "plan", "NOUN", 1, "dobj"), (as_word, as_word, "ADP", 1, "prep"), ("a", "a", "DET", 6, "det"),
            ("threat" if as_word == "as" else "visit", "threat", "NOUN", 4, "pobj"), (".", ".", "PUNCT", 1, "punct")]
    doc = make_doc(rows)
    assert [(doc.text[slice(*f.content)], doc[f.speaker_tokens[0]].text, f.mode)
            for f in statements.find_statements(doc)] == found


def _in_phrase(noun: str, poss: bool, verb: tuple[str, str]) -> Doc:
    """'In (his) <noun>, Clinton <verb> Trump.' with the phrase hung on the verb."""
    v = 5 if poss else 4  # the verb's index
    rows = [("In", "in", "ADP", v, "prep"), *([("his", "his", "PRON", 2, "poss")] if poss else []),
            (noun, noun, "NOUN", 0, "pobj"), (",", ",", "PUNCT", v, "punct"), ("Clinton", "Clinton", "PROPN", v, "nsubj"),
            (verb[0], verb[1], "VERB", v, "ROOT"), ("Trump", "Trump", "PROPN", v, "dobj"), (".", ".", "PUNCT", v, "punct")]
    return make_doc(rows)


def test_a_phrase_that_opens_its_sentence_can_name_whose_view_or_evidence_the_rest_is():
    eyes = _in_phrase("eyes", True, ("leads", "lead"))
    assert _found(eyes) == [("Clinton leads Trump", "his", "in-source")]
    assert statements.find_statements(eyes)[0].mode == "thought"
    assert _found(_in_phrase("poll", False, ("leads", "lead"))) == [("Clinton leads Trump", "poll", "in-source")]
    # a verb that reports has the statement; a view with no one to hold it is no one's
    said = _in_phrase("statement", True, ("criticized", "criticize"))
    assert "in-source" not in [f.rule for f in statements.find_statements(said)]
    assert _found(_in_phrase("view", False, ("leads", "lead"))) == []
