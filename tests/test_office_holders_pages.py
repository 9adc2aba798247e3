"""office-holders reads, of each office a holder held, only its first keys in time order (as many as the page
needs from the start): every page must still be the slice of the whole answer, whoever spoke when, in office or
not, dated or not, one office or two. Hand-built extractions, offices written as kg enrich writes them, a real
on-disk store, no spaCy."""
from __future__ import annotations

import pyoxigraph as ox
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg import queries, resources
from kg.enrich import facts
from kg.link.kb import KbEntity, Position
from kg.model import Article, Entity, Extraction, Mention, Span, Statement
from kg.rdf import article_graph
from kg.rdf.namespaces import ENRICH_GRAPH
from kg.store import EmbeddedStore

BASE = "https://w3id.org/kg-news/id/"
PEOPLE = [("Donald Trump", "Q22686"), ("Barack Obama", "Q76"), ("Joe Biden", "Q6279")]
PRESIDENT, VICE_PRESIDENT = "Q11696", "Q11699"
OFFICES = [  # who held which US office when (Wikidata's dates), as the knowledge base gives them
    KbEntity("Q22686", "Donald Trump", kind="Person",
             positions=(Position(PRESIDENT, "President of the United States", "2017-01-20", "2021-01-20", "Q30"),)),
    KbEntity("Q76", "Barack Obama", kind="Person",
             positions=(Position(PRESIDENT, "President of the United States", "2009-01-20", "2017-01-20", "Q30"),)),
    KbEntity("Q6279", "Joe Biden", kind="Person",
             positions=(Position(VICE_PRESIDENT, "Vice President of the United States", "2009-01-20", "2017-01-20",
                                 "Q30"),
                        Position(PRESIDENT, "President of the United States", "2021-01-20", None, "Q30"))),
]
DATES = [None, "2008-06-01", "2009-01-20", "2012-03-03", "2017-01-20", "2018-09-11", "2021-06-01"]
# an article: its publish date (None: undated) and its statements, each by one of PEOPLE
ARTICLES = st.lists(st.tuples(st.sampled_from(DATES), st.lists(st.integers(0, 2), min_size=1, max_size=4)),
                    min_size=1, max_size=8)


def extraction(doc: str, published: str | None, speakers: list[int]) -> Extraction:
    words, entities, statements, offset = [], [], [], 0
    for i in sorted(set(speakers)):
        name, qid = PEOPLE[i]
        entities.append(Entity(f"e{i}", name, "Person", (Mention(Span(offset, offset + len(name), name),
                                                                 Span(0, 1, "x")),),
                               qid=qid, link_score=0.9, link_method="test"))
        words.append(name)
        offset += len(name) + 1
    for n, i in enumerate(speakers):
        text = f"statement {n} says"
        content = Span(offset, offset + len(text), text)
        words.append(text)
        offset += len(text) + 1
        statements.append(Statement(f"s{n}", content, "indirect", content, speaker=f"e{i}"))
    text = " ".join(words) + " "
    return Extraction(Article(doc, text, (0, len(text)), published=published), entities=tuple(entities),
                      statements=tuple(statements))


def filled(store: EmbeddedStore, articles) -> None:
    store.ensure_ontology(resources.ontology())
    store.write_articles([article_graph(extraction(f"doc{n}", published, speakers), base_iri=BASE,
                                        content_hash=f"hash-{n}") for n, (published, speakers) in enumerate(articles)])
    store.finish()
    store.replace_article(ENRICH_GRAPH.value, [ox.Quad(t.subject, t.predicate, t.object, ENRICH_GRAPH)
                                               for e in OFFICES for t in facts(e, BASE)])


def plain_statements(store: EmbeddedStore) -> list[str]:
    """The statements of the whole answer as plain SPARQL gives them: there the window line is a comment, and
    the country's key is its lower-cased name."""
    subs = {ox.Variable("country"): ox.Literal("Q30"), ox.Variable("country_key"): ox.Literal("q30")}
    return [s["statement"].value for s in store.query(queries.get("office-holders").text, subs)]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ARTICLES)
def test_every_page_of_office_holders_is_its_slice_of_the_whole_answer(tmp_path_factory, articles):
    with EmbeddedStore(tmp_path_factory.mktemp("s") / "kg") as store:
        filled(store, articles)
        whole = queries.answer(store, "office-holders", {"country": "Q30"})
        column = whole.columns.index("statement")
        assert [r[column].value for r in whole.rows] == plain_statements(store)
        for size in (1, 2, 3):
            for offset in range(0, len(whole.rows) + 1):
                page = queries.answer(store, "office-holders", {"country": "Q30"}, limit=size, offset=offset)
                assert page.rows == whole.rows[offset:offset + size], (size, offset)
                assert page.total == len(whole.rows)


def test_statements_out_of_office_are_not_in_the_answer_and_undated_ones_are(tmp_path):
    """Obama in 2018 held no office; in 2012 he was president; undated, he is counted in (kg cannot tell)."""
    with EmbeddedStore(tmp_path / "kg") as store:
        filled(store, [("2018-09-11", [1]), ("2012-03-03", [1, 1]), (None, [1])])
        answer = queries.answer(store, "office-holders", {"country": "Q30"})
        assert [queries.plain(r[answer.columns.index("article")]) for r in answer.rows] == ["doc2", "doc1", "doc1"]
