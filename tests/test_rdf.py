"""IRIs and literal escaping: property tests over arbitrary names and texts."""
from __future__ import annotations

import tempfile

import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.export import export
from kg.model import Article, Entity, Extraction, Mention, Span, Statement
from kg.rdf import iris, to_quads
from kg.rdf.namespaces import KG, NIF
from kg.store import EmbeddedStore

BASE = "https://w3id.org/kg-news/id/"


@given(st.text(min_size=1), st.text(min_size=1))
def test_article_iris_are_valid_and_distinct(a, b):
    ia, ib = iris.article_iri(BASE, a), iris.article_iri(BASE, b)
    ox.NamedNode(ia)  # raises on an invalid IRI
    assert (ia == ib) == (a == b)


@given(st.sampled_from(["Person", "Country", "Group"]), st.text())
def test_actor_iris_are_valid_and_fold_case_and_accents(type_, name):
    iri = iris.actor_iri(BASE, type_, name, None, "a")
    ox.NamedNode(iri)
    assert iri == iris.actor_iri(BASE, type_, name.casefold(), None, "a")


def test_actor_iri_is_the_same_across_spellings_and_types_but_a_lone_surname_stays_in_its_article():
    def same(a: tuple[str, str], b: tuple[str, str]) -> bool:  # (type, name) in article a and in article b
        return iris.actor_iri(BASE, *a, None, "a") == iris.actor_iri(BASE, *b, None, "b")
    assert same(("Country", "Türkiye"), ("Country", "turkiye"))
    assert same(("Person", "John Bolton"), ("Person", "JOHN  BOLTON"))
    assert same(("Person", "James B. Comey"), ("Person", "Mr. James Comey"))
    assert same(("Organization", "F.B.I."), ("Place", "FBI"))  # a type one article got wrong splits nothing
    assert same(("Organization", "Hamas"), ("Organization", "Hamas"))
    assert not same(("Person", "Kim"), ("Person", "Kim"))


@settings(max_examples=50, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",))), min_size=2, max_size=12))
def test_sorting_by_order_key_then_label_is_sorting_by_label_in_the_store(labels):
    """Sorting by kg:labelOrder, and by the label on a tie, is sorting by the label."""
    from kg.rdf.keys import order_key

    store = ox.Store()
    xsd_decimal = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
    for i, label in enumerate(labels):
        s = ox.NamedNode(f"{BASE}actor/{i}")
        store.add(ox.Quad(s, ox.NamedNode(f"{KG}label"), ox.Literal(label)))
        store.add(ox.Quad(s, ox.NamedNode(f"{KG}labelOrder"), ox.Literal(order_key(label), datatype=xsd_decimal)))
    by_key = [r["l"].value for r in store.query(
        f"SELECT ?l WHERE {{ ?s <{KG}label> ?l ; <{KG}labelOrder> ?k }} ORDER BY ?k ?l")]
    assert by_key == sorted(labels)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=126, blacklist_categories=("Cs",))),
       st.text(alphabet=st.characters(max_codepoint=126, blacklist_categories=("Cs",))))
def test_order_keys_of_strings_that_differ_in_their_first_17_characters_differ(a, b):
    """Below character 127, the key tells apart any two strings that differ in their first 17 characters, in
    their order: a query that sorts by it reads the strings only when that many characters are the same."""
    from decimal import Decimal

    from kg.rdf.keys import order_key

    if a[:17].ljust(17, "\0") != b[:17].ljust(17, "\0"):
        assert (Decimal(order_key(a)) < Decimal(order_key(b))) == (a < b)


def _extraction(text: str, name: str) -> Extraction:
    article = Article(id="doc \"1\"", text=text, body=(0, len(text)), published="2018-09-11T22:25")
    whole = Span(0, len(text), text)
    first = Span(0, 1, text[0])
    entity = Entity("e1", name, "Person", (Mention(first, whole),))
    statement = Statement("s1", content=whole, kind="direct", sentence=whole, speaker="e1", rule="test",
                          confidence=1.0)
    return Extraction(article, (whole,), (entity,), (statement,), ())


@settings(max_examples=25, deadline=None)
@given(st.text(min_size=2, alphabet=st.characters(blacklist_categories=("Cs",))),
       st.text(min_size=1, alphabet=st.characters(blacklist_categories=("Cs",))))
def test_any_text_survives_store_and_turtle_export(text, name):
    quads = to_quads(_extraction(text, name), base_iri=BASE, content_hash="0" * 64)
    with tempfile.TemporaryDirectory() as tmp, EmbeddedStore(tmp + "/s") as store:
        store.replace_article(quads[0].graph_name.value, quads)
        data = export(store, "turtle").decode("utf-8")
    graph = rdflib.Graph().parse(data=data, format="turtle")
    anchors = {str(o) for o in graph.objects(None, rdflib.URIRef(NIF.anchorOf.value))}
    strings = {str(o) for o in graph.objects(None, rdflib.URIRef(NIF.isString.value))}
    assert strings == {text} and text in anchors
    assert name in {str(o) for o in graph.objects(None, rdflib.RDFS.label)}


def test_an_article_title_and_url_are_written():
    """A JSONL article with a title once crashed the build: ``DCTERMS.title`` was ``str.title``."""
    from dataclasses import replace

    from kg.rdf.namespaces import DCTERMS, SCHEMA

    extraction = _extraction("Russia said it backs the plan.", "Russia")
    extraction = replace(extraction, article=replace(extraction.article, title="Talks in Geneva",
                                                     url="https://example.org/geneva"))
    quads = to_quads(extraction, base_iri=BASE, content_hash="0" * 64)
    assert {(q.predicate, q.object) for q in quads} >= {(DCTERMS.title, ox.Literal("Talks in Geneva")),
                                                        (SCHEMA.url, ox.NamedNode("https://example.org/geneva"))}


@pytest.mark.parametrize("text, label", [
    ("Rus\u200bsia backed the campaign in Idlib. Vladimir Putin said the plan would work.", "Russia"),
    ("Russia \U0001F1F7\U0001F1FA backed the campaign in Idlib. Vladimir Putin said the plan would work.", "Russia"),
    ("John Bolton\u200b said the response would be much stronger.", "John Bolton"),
    ("Turkey warned against the attack on Id\u200dlib, Erdogan said.", "Idlib"),
])
def test_labels_carry_no_invisible_characters_emoji_or_tags_and_mentions_keep_the_text(nlp_ready, text, label):
    """'Rus\\u200bsia' and '<b>Russia</b' once became actor labels."""
    import unicodedata

    from kg.names import clean

    from kg import extract_text as extract

    x = extract(text)
    assert label in {e.name for e in x.entities}
    quads = to_quads(x, base_iri=BASE, content_hash="0" * 64)
    labels = [q.object.value for q in quads if q.predicate.value.endswith(("#label", "#altLabel"))]
    assert labels and all(clean(v) == v and not any(unicodedata.category(c) in ("Cf", "So") for c in v) for v in labels)
    for e in x.entities:  # the mentions still slice the text exactly
        assert all(text[m.span.start:m.span.end] == m.span.text for m in e.mentions)


def test_clean_takes_tags_out_of_a_name():
    from kg.names import clean, normalise

    assert clean("<b>Russia</b") == clean("<span class='x'>Russia</span>") == "Russia"
    assert normalise("Rus\u200bsia") == normalise("<b>Russia</b>") == "russia"


# --- modes ---------------------------------------------------------------------------------------------

def _objects(quads, predicate) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for q in quads:
        if q.predicate == predicate:
            out.setdefault(q.subject.value, set()).add(q.object.value)
    return out


def test_each_statement_gets_its_mode_and_only_a_spoken_quote_is_indexed_as_a_quote(modes_extraction):
    from kg.rdf import parts
    from kg.rdf.mapping import KEY_PREDICATES
    from kg.rdf.namespaces import KG, KGMODE

    x = modes_extraction
    assert {s.mode for s in x.statements} == {"speech", "thought", "nominal"}
    quads = to_quads(x, base_iri=BASE, content_hash="0" * 64)
    text = {s: t.pop() for s, t in _objects(quads, KG.text).items()}
    modes = _objects(quads, KG.mode)
    assert {text[s]: m for s, m in modes.items()} == {st.content.text: {KGMODE[st.mode].value} for st in x.statements}

    time = {text[s]: k.pop() for s, k in _objects(quads, KG.timeKey).items()}
    merkel = BASE + "actor/Q567"
    quoted = _objects(quads, KG.quoteIndex)[merkel]
    assert quoted == {time[st.content.text] for st in x.statements
                      if st.kind in ("direct", "mixed") and st.mode == "speech"}
    assert len(quoted) == 2  # a spoken direct and a spoken mixed quote; not the thought or nominal direct ones
    assert _objects(quads, KG.statementIndex)[merkel] == set(time.values())  # every statement, whatever its mode
    for mode in ("speech", "thought", "nominal"):  # and under the index of its mode
        assert _objects(quads, KG[f"{mode}Index"])[merkel] == {time[st.content.text] for st in x.statements
                                                                if st.mode == mode}

    # a store that rebuilds the keys from the graph (kg.rdf.parts) reads the mode as the mapping did ...
    graph = quads[0].graph_name.value
    facts = [q for q in quads if q.predicate.value not in KEY_PREDICATES]
    assert set(parts.fact_keys(graph, facts)) == {q for q in quads if q.predicate.value in KEY_PREDICATES}
    # ... and a graph written before modes, without kg:mode, is all speech: every direct or mixed statement is a quote
    old = parts.fact_keys(graph, [q for q in facts if q.predicate != KG.mode])
    assert {q.object.value for q in old if q.predicate == KG.quoteIndex} == {
        time[st.content.text] for st in x.statements if st.kind in ("direct", "mixed")}
    assert {q.object.value for q in old if q.predicate == KG.speechIndex} == set(time.values())
    assert not [q for q in old if q.predicate in (KG.thoughtIndex, KG.nominalIndex)]


def test_a_statement_mode_that_is_none_of_the_modes_is_an_error(modes_extraction):
    from dataclasses import replace

    x = modes_extraction
    bad = replace(x, statements=(replace(x.statements[0], mode="reported"),) + x.statements[1:])
    with pytest.raises(ValueError, match="mode 'reported'"):
        to_quads(bad, base_iri=BASE, content_hash="0" * 64)


def test_the_graph_of_statements_of_every_mode_conforms_to_the_shapes(modes_extraction, tmp_path):
    from kg import resources
    from kg.rdf import article_graph
    from kg.validate import validate

    with EmbeddedStore(tmp_path / "s") as store:
        store.ensure_ontology(resources.ontology())
        store.write_articles([article_graph(modes_extraction, base_iri=BASE, content_hash="0" * 64)])
        report = validate(store)
    assert report.conforms, report.problems


def test_a_joined_quotation_keeps_its_parts_and_conforms(tmp_path):
    from kg import resources
    from kg.rdf import article_graph
    from kg.validate import validate

    text = '"We tried," Merkel said. "We will try again."\n\n"And we will win."'
    spans = [Span(text.index(p), text.index(p) + len(p), p) for p in ("We tried,", "And we will win.")]
    content = Span(spans[0].start, spans[-1].end, text[spans[0].start:spans[-1].end])
    sentence = Span(0, len(text), text)
    name = Span(text.index("Merkel"), text.index("Merkel") + 6, "Merkel")
    merkel = Entity("e1", "Angela Merkel", "Person", (Mention(name, sentence),))
    st = Statement("s1", content, "direct", sentence, speaker="e1", speaker_mention=name, rule="test",
                   confidence=0.9, parts=tuple(spans))
    x = Extraction(Article("parts.txt", text, (0, len(text))), (sentence,), (merkel,), (st,), ())
    quads = to_quads(x, base_iri=BASE, content_hash="0" * 64)
    parts = {q.object.value for q in quads if q.predicate == KG.part}
    anchors = {q.subject.value: q.object.value for q in quads if q.predicate == NIF.anchorOf}
    assert sorted(anchors[p] for p in parts) == ["And we will win.", "We tried,"]
    with EmbeddedStore(tmp_path / "s") as store:
        store.ensure_ontology(resources.ontology())
        store.write_articles([article_graph(x, base_iri=BASE, content_hash="0" * 64)])
        report = validate(store)
    assert report.conforms, report.problems
