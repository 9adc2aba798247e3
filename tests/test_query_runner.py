"""How kg runs a saved query on a real store built from the seed article: names as users type them, pages and
totals, dates, facts by their id, and the W3C results formats."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import queries
from kg.config import Config
from kg.errors import QueryError
from kg.pipeline import build
from kg.store import EmbeddedStore

ROOT = Path(__file__).resolve().parents[1]
OFFLINE = sorted(n for n, q in queries.saved_queries().items() if not q.online)


@pytest.fixture(scope="module")
def store(tmp_path_factory, nlp_ready):
    from kg.enrich import enrich
    from kg.link.default_kb import open_default

    path = tmp_path_factory.mktemp("runner") / "store"
    with EmbeddedStore(path) as s:
        build([ROOT / "seeds"], s, Config(store=str(path)))
        with open_default(None) as kb:
            enrich(s, kb, base_iri=Config().base_iri)
        yield s


def texts(a: queries.Answer, column: str) -> list[str]:
    i = a.columns.index(column)
    return [queries.plain(r[i]) for r in a.rows]


@pytest.mark.parametrize("name", OFFLINE)
def test_pages_put_together_are_the_whole_answer_and_the_total_counts_it(store, name):
    from kg.cli import _example_params

    params = _example_params(queries.get(name).example)
    whole = queries.answer(store, name, params)
    assert whole.total == len(whole.rows) > 0, name
    pages, offset = [], 0
    while offset < whole.total + 2:
        page = queries.answer(store, name, params, limit=2, offset=offset)
        assert page.total == whole.total, (name, offset)
        pages += page.rows
        offset += 2
    assert pages == whole.rows


@pytest.mark.parametrize("typed", ["Bolton", "bolton", "Mr. Bolton", "JOHN BOLTON", "John R. Bolton",
                                   "Bolton's", "Q311269", "q311269"])
def test_an_actor_is_found_however_it_is_typed(store, typed):
    a = queries.answer(store, "positions", {"actor": typed})
    assert a.total == 4 and set(texts(a, "speaker")) == {"John Bolton"}
    assert texts(a, "actor") == [typed] * 4  # the parameter is echoed as given


def test_a_name_no_actor_bears_is_an_error_that_suggests_the_nearest(store):
    with pytest.raises(QueryError, match=r"no actor .* 'Jon Boltn'.*did you mean John Bolton"):
        queries.answer(store, "positions", {"actor": "Jon Boltn"})
    with pytest.raises(QueryError, match="no actor"):
        queries.answer(store, "quotes", {"actor": "Zebedee Xylophone"})


def test_the_answer_says_which_actor_a_name_picked(store):
    a = queries.answer(store, "timeline", {"actor": "Bolton"})
    assert a.notes == ["actor 'Bolton' is John Bolton (Q311269, 1 article)"]


def test_a_target_that_is_no_actor_is_looked_for_in_topics(store):
    a = queries.answer(store, "supporters", {"target": "campaign"})
    assert set(texts(a, "supporter")) == {"Iran", "Russia"}
    assert a.notes == ["'campaign' is no actor's name: looked for in topics"]


@pytest.mark.parametrize("since, rows", [("2018", 4), ("2018-09", 4), ("2018-9-10", 4), ("2018-09-11", 0),
                                         ("2019", 0)])
def test_since_takes_a_partial_date(store, since, rows):
    assert queries.answer(store, "positions", {"actor": "Bolton", "since": since}).total == rows


@pytest.mark.parametrize("since", ["yesterday", "2018-13-45", "2018-02-30", "18"])
def test_a_date_that_is_not_one_is_an_error(store, since):
    with pytest.raises(QueryError, match="not a date"):
        queries.answer(store, "positions", {"actor": "Bolton", "since": since})


def test_a_fact_is_found_by_the_end_of_its_iri(store):
    everything = queries.answer(store, "provenance", {})
    iri = queries.plain(everything.rows[3][everything.columns.index("fact_iri")])
    for given in (iri, iri.rsplit("/", 1)[1]):
        one = queries.answer(store, "provenance", {"fact": given})
        assert texts(one, "fact_iri") == [iri]
    with pytest.raises(QueryError, match="no statement or relation"):
        queries.answer(store, "provenance", {"fact": "0123456789abcdef"})


def test_a_table_page_ends_where_asked_and_counts_the_rest(store):
    a = queries.answer(store, "actors", {}, limit=3, offset=2)
    whole = queries.answer(store, "actors", {})
    assert a.rows == whole.rows[2:5] and a.total == len(whole.rows) and a.offset == 2


@pytest.mark.parametrize("fmt", ["json", "tsv"])
def test_results_formats_read_back_as_the_same_terms(store, fmt):
    a = queries.answer(store, "positions", {"actor": "Bolton"})
    data = queries.results(a.columns, a.rows, fmt)
    parsed = ox.parse_query_results(data, format=getattr(ox.QueryResultsFormat, fmt.upper()))
    assert [v.value for v in parsed.variables] == a.columns
    assert [[s[c] for c in a.columns] for s in parsed] == a.rows


def test_results_csv_has_one_line_per_row_and_the_values(store):
    a = queries.answer(store, "positions", {"actor": "Bolton"})
    rows = list(csv.reader(io.StringIO(queries.results(a.columns, a.rows, "csv").decode("utf-8"))))
    assert rows[0] == a.columns and len(rows) == 1 + len(a.rows)
    assert [r[a.columns.index("text")] for r in rows[1:]] == texts(a, "text")


def test_helper_columns_stay_out_of_every_format(store):
    a = queries.answer(store, "supporters", {"target": "campaign"})
    assert not [c for c in a.columns if c.endswith(("_key", "_text", "_node"))]
    head = json.loads(queries.results(a.columns, a.rows, "json"))["head"]["vars"]
    assert head == a.columns


# Articles of different dates (one undated), given out of date order, some with relations and some without.
CORPUS = {
    "c.txt": ("Publish Date: 3 May 2018 - 10:00\n\nJohn Bolton said the United States would respond. "
              "Hassan Rouhani met Vladimir Putin in Moscow."),
    "a.txt": ("Publish Date: 1 March 2017 - 09:00\n\nAngela Merkel said Germany backs the deal. "
              "Russia opposes the sanctions, Lavrov said."),
    "b.txt": "Emmanuel Macron warned that France would not accept the plan.",
    "d.txt": ("Publish Date: 3 May 2018 - 10:00\n\nBoris Johnson met Donald Trump in London. "
              "\"We will stand firm,\" Johnson said. Angela Merkel hosted Emmanuel Macron in Berlin."),
    "e.txt": "Publish Date: 20 January 2016 - 08:00\n\nThe weather was mild and nothing else happened.",
    "f.txt": ("Publish Date: 5 June 2018 - 09:00\n\nAngela Merkel backed Emmanuel Macron. Boris Johnson supported "
              "Emmanuel Macron and his budget plan. Donald Trump criticised Emmanuel Macron. \"Macron is wrong about "
              "the budget plan,\" Trump said."),
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, nlp_ready):
    folder = tmp_path_factory.mktemp("corpus")
    for name, text in CORPUS.items():
        (folder / name).write_text(text, encoding="utf-8")
    path = folder / "store"
    with EmbeddedStore(path) as s:
        build([folder], s, Config(store=str(path)))
        yield s


@pytest.mark.parametrize("name, kind", [("provenance", None), ("relations", "kg:relationType")])
def test_a_list_read_through_a_window_of_articles_is_every_fact_in_document_order(corpus, name, kind):
    """provenance and relations without parameters read their facts from the first articles only; pages of any
    size, put together, are still every fact of the store in kg:sortKey order, and the total counts them."""
    facts = [(queries.plain(s["f"]), s["k"].value) for s in corpus.query(
        "PREFIX kg: <https://w3id.org/kg-news/ontology#> SELECT DISTINCT ?f ?k WHERE { ?f kg:sortKey ?k . "
        + (f"?f {kind} ?t " if kind else "") + "} ORDER BY ?k")]
    assert len(facts) >= 3 and len({k[:20] for _, k in facts}) > 1  # facts of more than one article
    column = "fact_iri" if name == "provenance" else "relation"
    whole = queries.answer(corpus, name, {})
    assert texts(whole, column) == [f for f, _ in facts] and whole.total == len(facts)
    for size in (1, 2, 3):
        pages = []
        for offset in range(0, len(facts) + 2, size):
            page = queries.answer(corpus, name, {}, limit=size, offset=offset)
            assert page.total == len(facts), (size, offset)
            pages += page.rows
        assert pages == whole.rows, size


@pytest.mark.parametrize("name, params", [("relations", {"type": "meets"}), ("relations", {"actor": "Donald Trump"}),
                                          ("relations", {"type": "Supports"}), ("relations", {"actor": "Macron"}),
                                          ("relations", {"type": "hosts", "actor": "Angela Merkel"}),
                                          ("provenance", {"actor": "Angela Merkel"}), ("articles", {}),
                                          ("supporters", {"target": "Emmanuel Macron"}),
                                          ("supporters", {"target": "budget"}), ("opponents", {"target": "macron"}),
                                          ("conflicts", {})])
def test_pages_of_a_store_of_several_articles_put_together_are_the_whole_answer(corpus, name, params):
    whole = queries.answer(corpus, name, params)
    assert whole.total == len(whole.rows) > 0
    pages = [queries.answer(corpus, name, params, limit=1, offset=i) for i in range(whole.total + 1)]
    assert [p.total for p in pages] == [whole.total] * len(pages)
    assert [r for p in pages for r in p.rows] == whole.rows


@pytest.mark.parametrize("name, params", [("relations", {"type": "meets"}), ("relations", {"actor": "Donald Trump"}),
                                          ("provenance", {"actor": "Emmanuel Macron"}), ("conflicts", {})])
def test_a_total_is_read_from_the_summary_and_is_the_answer_counted(corpus, name, params):
    """The summary's counts of a relation type and of an actor's facts give the total of a big answer without
    counting it; they must equal the page block counted."""
    import re

    q = queries.get(name)
    binding = queries.bind(q, params, corpus)
    prologue = q.text[:re.search(r"^SELECT\b", q.text, re.MULTILINE).start()]
    summary = [int(r["kg_total"].value) for r in corpus.query(prologue + q.total,
                                                               substitutions=queries._projected(q.total, binding))]
    assert summary == [len(queries.answer(corpus, name, params).rows)]


@pytest.fixture(scope="module")
def holders(tmp_path_factory, nlp_ready):
    """John Bolton's statements before his first US office (2003), in his first (2006), and between his two
    (2010), and Condoleezza Rice's, Secretary of State, on a day he spoke too, in a store enriched with the
    offices the default KB holds."""
    from kg.enrich import enrich
    from kg.link.default_kb import open_default

    folder = tmp_path_factory.mktemp("holders")
    for day, text in (("3 May 2003", "John Bolton said the United States would not wait."),
                      ("3 May 2006", "John Bolton said the council must act. Bolton warned Iran."),
                      ("4 May 2006", "John Bolton said the council would vote soon."),
                      ("4 May 2006 Rice", "Condoleezza Rice said the talks would go on."),
                      ("3 May 2010", "John Bolton said the treaty was a mistake.")):
        (folder / f"{day.replace(' ', '-')}.txt").write_text(f"Publish Date: {day[:10]} - 10:00\n\n{text}",
                                                             encoding="utf-8")
    path = folder / "store"
    with EmbeddedStore(path) as s:
        build([folder], s, Config(store=str(path)))
        with open_default(None) as kb:
            enrich(s, kb, base_iri=Config().base_iri)
        yield s


def test_office_holders_counts_only_statements_made_in_office_and_its_total_comes_from_the_summary(holders):
    import re

    whole = queries.answer(holders, "office-holders", {"country": "Q30"})
    assert all("2006" in a for a in texts(whole, "article")) and whole.total >= 4
    offices = dict(zip(texts(whole, "speaker"), texts(whole, "office")))
    assert offices == {"John Bolton": "United States Ambassador to the United Nations",
                       "Condoleezza Rice": "United States Secretary of State"}
    assert queries.answer(holders, "office-holders", {"country": "United States"}).total == whole.total
    # a page is cut from the first days a holder spoke; two holders spoke on 4 May 2006, and pages of one row
    # put together are still the whole answer in its order
    pages = [queries.answer(holders, "office-holders", {"country": "Q30"}, limit=1, offset=i)
             for i in range(whole.total + 1)]
    assert [p.total for p in pages] == [whole.total] * len(pages)
    assert [r for p in pages for r in p.rows] == whole.rows
    q = queries.get("office-holders")
    binding = queries.bind(q, {"country": "Q30"}, holders)
    prologue = q.text[:re.search(r"^SELECT\b", q.text, re.MULTILINE).start()]
    summary = [int(r["kg_total"].value) for r in holders.query(prologue + q.total,
                                                                substitutions=queries._projected(q.total, binding))]
    assert summary == [whole.total]


def test_the_turtle_export_states_each_triple_once(corpus):
    """Articles that share an actor each state its label: the union of their graphs holds it once."""
    import pyoxigraph as ox

    from kg.export import export

    data = export(corpus, "turtle")
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(data, format=ox.RdfFormat.TURTLE)]
    assert len(triples) == len(set(triples))
    in_graphs = {ox.Triple(q.subject, q.predicate, q.object) for q in corpus.quads()
                 if q.graph_name.value.startswith(Config().base_iri + "article/")}
    assert len(in_graphs) < sum(1 for q in corpus.quads() if q.graph_name.value.startswith(Config().base_iri))
    assert in_graphs <= set(triples)


def test_a_saved_query_whose_endpoint_cannot_be_reached_is_one_error(store, tmp_path):
    """Oxigraph calls a SERVICE as the answer is read: wikidata-offices without network once gave a traceback."""
    path = tmp_path / "remote.rq"
    path.write_text("# name: remote\n# online: yes\nSELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> "
                    "{ ?s ?p ?o } }\n", encoding="utf-8")
    query = queries.parse(path)
    with pytest.raises(QueryError, match="remote.*failed.*check the network"):
        queries._run(store, query, query.text, queries.Binding())


def test_a_name_is_found_right_after_a_first_build_in_the_same_process(tmp_path, nlp_ready):
    """A first build writes its summary when its store is first read; looking a name up is such a read."""
    path = tmp_path / "store"
    with EmbeddedStore(path) as s:
        build([ROOT / "seeds"], s, Config(store=str(path)))
        assert queries.answer(s, "positions", {"actor": "Bolton"}).total == 4


@pytest.mark.parametrize("typed, label", [("Merkel", "Angela Merkel"), ("merkel", "Angela Merkel"),
                                          ("Trump", "Donald Trump")])
def test_a_person_is_found_by_surname_where_no_article_uses_it_alone(corpus, typed, label):
    """The corpus says only 'Angela Merkel'; a user types 'Merkel'."""
    a = queries.answer(corpus, "relations", {"actor": typed})
    assert a.rows and len(a.notes) == 1 and a.notes[0].startswith(f"actor {typed!r} is {label} (")


def test_a_relation_type_that_does_not_exist_is_an_error_that_lists_the_types(store):
    """'type=foo' once gave 0 rows and exit 0; a type is matched by its local name or label in any case."""
    with pytest.raises(QueryError, match=r"type='foo' is none of .*memberOf.*supports"):
        queries.answer(store, "relations", {"type": "foo"})
    assert queries.answer(store, "relations", {"type": "Role"}).total == queries.answer(
        store, "relations", {"type": "role"}).total > 0
    queries.answer(store, "relations", {"type": "member of"})  # a prefLabel: no error, whatever it finds


# --- modes ----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def modes_store(tmp_path_factory, modes_extraction):
    """A store (no spaCy) of one article in which Angela Merkel says, thinks and names things
    (tests/conftest.py, MODE_LINES), written as kg writes articles; closed, so that a kg process may read it."""
    from kg import resources
    from kg.rdf import article_graph

    path = tmp_path_factory.mktemp("modes") / "store"
    with EmbeddedStore(path) as s:
        s.ensure_ontology(resources.ontology())
        s.write_articles([article_graph(modes_extraction, base_iri=Config().base_iri, content_hash="0" * 64)])
    with EmbeddedStore(path, create=False) as s:
        yield s


def _texts_of(x, **which) -> list[str]:
    """The contents of the extraction's statements whose fields have the given values, in text order."""
    return [s.content.text for s in x.statements
            if all(getattr(s, k) in (v if isinstance(v, tuple) else (v,)) for k, v in which.items())]


def test_quotes_are_what_the_speaker_said_not_what_it_thought_or_named(modes_store, modes_extraction):
    a = queries.answer(modes_store, "quotes", {"actor": "Merkel"})
    assert texts(a, "quote") == _texts_of(modes_extraction, kind=("direct", "mixed"), mode="speech")
    assert len(a.rows) == a.total == 2
    direct = _texts_of(modes_extraction, kind="direct")
    assert len(direct) == 3 and not set(direct[1:]) & set(texts(a, "quote"))  # the thought and the nominal quote


@pytest.mark.parametrize("mode", ["speech", "thought", "nominal"])
def test_positions_of_one_mode_are_the_statements_of_that_mode_in_pages(modes_store, modes_extraction, mode):
    whole = queries.answer(modes_store, "positions", {"actor": "Angela Merkel", "mode": mode})
    assert texts(whole, "text") == _texts_of(modes_extraction, mode=mode) and len(whole.rows) >= 2
    assert set(texts(whole, "statement_mode")) == {mode}
    pages = [queries.answer(modes_store, "positions", {"actor": "Angela Merkel", "mode": mode}, limit=1, offset=i)
             for i in range(whole.total + 1)]
    assert [p.total for p in pages] == [whole.total] * len(pages) and whole.total == len(whole.rows)
    assert [r for p in pages for r in p.rows] == whole.rows


def test_positions_without_a_mode_are_every_statement_with_its_mode(modes_store, modes_extraction):
    a = queries.answer(modes_store, "positions", {"actor": "Merkel"})
    assert texts(a, "text") == [s.content.text for s in modes_extraction.statements]
    assert texts(a, "statement_mode") == [s.mode for s in modes_extraction.statements]
    assert queries.answer(modes_store, "positions", {"actor": "Merkel"}, limit=2).total == len(a.rows)


def test_a_mode_that_is_none_of_the_modes_is_an_error_that_lists_them(modes_store):
    with pytest.raises(QueryError, match=r"mode='speach' is none of .*: nominal, speech, thought"):
        queries.answer(modes_store, "positions", {"actor": "Merkel", "mode": "speach"})
    assert texts(queries.answer(modes_store, "positions", {"actor": "Merkel", "mode": "Thought"}), "text") == \
        texts(queries.answer(modes_store, "positions", {"actor": "Merkel", "mode": "thought"}), "text")


def test_a_store_written_before_modes_is_all_speech_once_opened(tmp_path, modes_extraction):
    """A store an older kg wrote: no kg:mode, no mode indexes, keys of version 3, an ontology without kg:Modes.
    Opened, it gets the keys of this kg, every statement is speech, and a mode is still checked."""
    from kg import resources
    from kg.rdf import article_graph
    from kg.rdf.namespaces import KG, KGMODE, ONTOLOGY_GRAPH, SKOS, SUMMARY_GRAPH

    path = tmp_path / "store"
    with EmbeddedStore(path) as s:
        s.ensure_ontology(resources.ontology())
        s.write_articles([article_graph(modes_extraction, base_iri=Config().base_iri, content_hash="0" * 64)])
    raw = ox.Store(str(path))
    old = [q for q in raw if q.predicate in (KG.mode, KG.speechIndex, KG.thoughtIndex, KG.nominalIndex)
           or q.graph_name == ONTOLOGY_GRAPH and (q.subject.value.startswith(str(KGMODE))
                                                  or q.subject == KG.Modes or q.object == KG.Modes)]
    assert any(q.predicate == KG.mode for q in old) and any(q.object == KG.Modes for q in old)
    for q in old:
        raw.remove(q)
    raw.update(f"DELETE WHERE {{ GRAPH <{SUMMARY_GRAPH.value}> {{ ?s <{KG.keysVersion.value}> ?v }} }}")
    assert not list(raw.quads_for_pattern(None, SKOS.inScheme, KG.Modes, None))
    raw.flush()
    del raw
    every = [s.content.text for s in modes_extraction.statements]
    with EmbeddedStore(path) as s:
        assert texts(queries.answer(s, "positions", {"actor": "Merkel", "mode": "speech"}), "text") == every
        assert queries.answer(s, "positions", {"actor": "Merkel", "mode": "thought"}).rows == []
        assert set(texts(queries.answer(s, "positions", {"actor": "Merkel"}), "statement_mode")) == {"speech"}
        assert texts(queries.answer(s, "quotes", {"actor": "Merkel"}), "quote") == _texts_of(
            modes_extraction, kind=("direct", "mixed"))
        with pytest.raises(QueryError, match=r"mode='speach' is none of .*: nominal, speech, thought"):
            queries.answer(s, "positions", {"actor": "Merkel", "mode": "speach"})


def test_kg_query_with_a_mode_that_is_none_of_the_modes_is_one_line_and_exit_2(modes_store):
    import subprocess
    import sys

    def kg(*params: str) -> subprocess.CompletedProcess:
        args = ["query", "positions", "--store", str(modes_store.path), "--format", "csv"]
        return subprocess.run([sys.executable, "-m", "kg", *args, *(a for p in params for a in ("--param", p))],
                              capture_output=True, text=True, timeout=300)
    bad = kg("actor=Merkel", "mode=speach")
    lines = [line for line in bad.stderr.splitlines() if line.strip()]
    assert bad.returncode == 2 and bad.stdout == "" and len(lines) == 1, bad.stderr
    assert lines[0].startswith("kg: ") and "mode='speach'" in lines[0] and "thought" in lines[0]
    good = kg("actor=Merkel", "mode=thought")
    assert good.returncode == 0, good.stderr
    assert len(list(csv.DictReader(io.StringIO(good.stdout)))) == 2
