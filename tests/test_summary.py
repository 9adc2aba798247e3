"""The summary graph: kept in step with every write, remove and crash, and always equal to a rebuild from the
article graphs. Hand-built extractions, a real on-disk store, no spaCy."""
from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg import resources
from kg.model import Article, Entity, Extraction, Mention, Relation, Span, Statement
from kg.rdf import article_graph, parts, to_quads
from kg.rdf.mapping import KEY_PREDICATES
from kg.rdf.namespaces import KG, SUMMARY_GRAPH
from kg.store import EmbeddedStore, summary

BASE = "https://w3id.org/kg-news/id/"
ROOT = Path(__file__).resolve().parents[1]
NAMES = [("Donald Trump", "Person", "Q22686"), ("Trump", "Person", None), ("Iran", "Country", "Q794"),
         ("Syrian government", "Organization", None), ("Ivanka Trump", "Person", None)]
FORMS = {"Donald Trump": ["Trump", "Mr. Trump", "Donald J. Trump"], "Ivanka Trump": ["Ms. Trump"],
         "Iran": ["Tehran"], "Trump": [], "Syrian government": ["Damascus"]}
STANCES = ["support", "oppose", "warn", None]


def extraction(doc: str, picks: list[tuple[int, int, int | None, int]], published: str | None = "2018-09-11") \
        -> Extraction:
    """An article that mentions actors NAMES[i] (with their forms), with statements (speaker, stance, about)."""
    words, entities, statements, relations, offset = [], [], [], [], 0
    used = sorted({p[0] for p in picks} | {p[2] for p in picks if p[2] is not None})
    for i in used:
        name, kind, qid = NAMES[i]
        mentions = []
        for form in [name] + FORMS[name][: (len(picks) + i) % 4]:  # forms come and go between writes
            mentions.append(Mention(Span(offset, offset + len(form), form), Span(0, 1, "x")))
            words.append(form)
            offset += len(form) + 1
        entities.append(Entity(f"e{i}", name, kind, tuple(mentions), qid=qid, link_score=0.9 if qid else None,
                               link_method="test" if qid else None))
    for n, (speaker, stance, about, times) in enumerate(picks):
        for t in range(times):
            text = f"statement {n}.{t} says"
            content = Span(offset, offset + len(text), text)
            words.append(text)
            offset += len(text) + 1
            statements.append(Statement(f"s{n}.{t}", content, "direct" if t % 2 else "indirect", content,
                                        speaker=f"e{speaker}", stance=STANCES[stance],
                                        about=(f"e{about}",) if about is not None else (),
                                        topics=("the war",) if stance == 0 else ()))
        if about is not None and about != speaker and stance in (0, 1):
            # some relations are hypothetical (a position no one holds) or negated (no position)
            relations.append(Relation(f"r{n}", "supports" if stance == 0 else "opposes", f"e{speaker}",
                                      statements[-1].content, statements[-1].content, object=f"e{about}",
                                      hypothetical=times == 2, negated=times == 3))
    text = " ".join(words) + " "
    article = Article(doc, text, (0, len(text)), published=published)
    return Extraction(article, (Span(0, len(text), text),), tuple(entities), tuple(statements), tuple(relations))


def graph(x: Extraction):
    return article_graph(x, base_iri=BASE, content_hash=f"hash-{x.article.id}-{len(x.statements)}")


def summary_quads(store: EmbeddedStore) -> set[str]:
    return {str(q) for q in store.quads(SUMMARY_GRAPH)}


def rebuilt(store: EmbeddedStore) -> set[str]:
    """What a rebuild from the article graphs gives, as the store would write it back (canonical literals)."""
    scratch = ox.Store()
    scratch.extend(summary.rebuild(store._store))
    return {str(q) for q in scratch}


@pytest.fixture
def store(tmp_path):
    with EmbeddedStore(tmp_path / "kg") as s:
        s.ensure_ontology(resources.ontology())
        yield s


PICKS = st.lists(st.tuples(st.integers(0, 4), st.integers(0, 3), st.none() | st.integers(0, 4), st.integers(1, 3)),
                 min_size=1, max_size=4)
OPS = st.lists(st.tuples(st.sampled_from(["write", "remove"]), st.integers(0, 4), PICKS), min_size=1, max_size=8)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(OPS)
def test_the_summary_kept_up_to_date_equals_a_rebuild(tmp_path_factory, ops):
    """Whatever the order of first builds, replacements, new articles and removals, the summary the store keeps
    is exactly what a rebuild from the article graphs computes."""
    with EmbeddedStore(tmp_path_factory.mktemp("s") / "kg") as store:
        store.ensure_ontology(resources.ontology())
        first = [graph(extraction(f"doc{d}", [(d, 0, (d + 1) % 5, 1)])) for d in range(2)]
        store.write_articles(first)  # a first build: bulk-loaded, summary computed at the end
        store.finish()
        assert summary_quads(store) == rebuilt(store)
        for op, doc, picks in ops:
            if op == "write":  # some undated: their statements count in day 0
                store.write_articles([graph(extraction(f"doc{doc}", picks, published=None if doc % 3 == 2
                                                       else "2018-09-11"))])
            else:
                store.remove_article(f"{BASE}article/doc{doc}")
            assert summary_quads(store) == rebuilt(store), (op, doc, picks)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(PICKS, min_size=1, max_size=6), st.integers(1, 3))
def test_the_summary_a_first_build_folds_as_it_streams_equals_a_rebuild(tmp_path_factory, articles, batch):
    """A first build never reads its articles back: the summary it folds from them batch by batch is exactly
    what a rebuild from the article graphs computes."""
    graphs = [graph(extraction(f"doc{n}", picks, published=None if n % 3 == 2 else "2018-09-11"))
              for n, picks in enumerate(articles)]
    with EmbeddedStore(tmp_path_factory.mktemp("s") / "kg") as store:
        store.ensure_ontology(resources.ontology())
        for i in range(0, len(graphs), batch):
            store.write_articles(graphs[i:i + batch])
        store.finish()
        assert summary_quads(store) == rebuilt(store)


def test_actor_counts_follow_writes_and_removals(store):
    a = graph(extraction("a", [(0, 0, 2, 2)]))
    b = graph(extraction("b", [(0, 1, 2, 1), (2, 2, None, 1)]))
    store.write_articles([a])
    store.finish()
    store.write_articles([b])  # no longer a first build: an incremental update
    trump = ox.NamedNode(f"{BASE}actor/Q22686")

    def count(p):
        return int(next(q for q in store.quads(SUMMARY_GRAPH) if q.subject == trump and q.predicate == p).object.value)
    assert count(KG.articleCount) == 2 and count(KG.statementCount) == 3
    assert store.stats()["articles"] == 2 and store.stats()["statements"] == 4
    store.remove_article(b.iri)
    assert count(KG.articleCount) == 1 and count(KG.statementCount) == 2
    store.remove_article(a.iri)
    assert not [q for q in store.quads(SUMMARY_GRAPH) if q.subject == trump]
    assert store.stats() == {"articles": 0, "entities": 0, "statements": 0, "relations": 0, "triples": 0}


def test_who_holds_a_position_in_how_many_articles_and_the_first_follows_writes_and_removals(store):
    """Donald Trump supports Iran (a statement with stance support about it) in articles a, b and c."""
    docs = [graph(extraction(d, [(0, 0, 2, 1)])) for d in ("a", "b", "c")]
    store.write_articles(docs[:1])
    store.finish()
    store.write_articles(docs[1:])

    def holding():
        rows = store.query("""SELECT ?type ?target ?n ?first WHERE { GRAPH kgg:summary {
            ?h kg:position ?p ; kg:heldBy ?a ; kg:articleCount ?n ; kg:exampleArticle ?first .
            ?p kg:positionType ?type ; kg:target ?target } FILTER(?a = <%sactor/Q22686>) }""" % BASE)
        return [(r["type"].value.rsplit("#")[1], r["target"].value.rsplit("/")[-1], int(r["n"].value),
                 r["first"].value.rsplit("/")[-1]) for r in rows]
    assert sorted(holding()) == [("support", "Q794", 3, "a"), ("supports", "Q794", 3, "a")]
    store.remove_article(docs[0].iri)  # the first article goes: the next one is found in the store
    assert sorted(holding()) == [("support", "Q794", 2, "b"), ("supports", "Q794", 2, "b")]
    store.write_articles([graph(extraction("b", [(0, 1, 2, 1)]))])  # b now opposes instead
    assert sorted(holding()) == [("oppose", "Q794", 1, "b"), ("opposes", "Q794", 1, "b"),
                                 ("support", "Q794", 1, "c"), ("supports", "Q794", 1, "c")]


def test_two_opposite_positions_are_linked_only_while_both_are_taken(store):
    """conflicts reads its pairs from kg:oppositePosition: a link to a position no fact takes would only cost."""
    def links():
        rows = store.query("""SELECT ?t1 ?t2 WHERE { GRAPH kgg:summary {
            ?p1 kg:oppositePosition ?p2 . ?p1 kg:positionType ?t1 . OPTIONAL { ?p2 kg:positionType ?t2 } } }""")
        return sorted((r["t1"].value.rsplit("#")[1], r["t2"].value.rsplit("#")[1] if r["t2"] else None)
                      for r in rows)
    store.write_articles([graph(extraction("a", [(0, 0, 2, 1)]))])  # Donald Trump supports Iran
    store.finish()
    assert links() == []
    store.write_articles([graph(extraction("b", [(3, 1, 2, 1)]))])  # the Syrian government opposes it
    assert links() == [("oppose", "support"), ("opposes", "supports"), ("support", "oppose"),
                       ("supports", "opposes")]
    store.remove_article(f"{BASE}article/a")
    assert links() == []


def test_a_name_picks_the_actors_it_labels_and_the_one_it_most_often_names(store):
    """'Trump' is the label of one actor and a mention form of two more: it picks the labelled one and the most
    mentioned one (Donald Trump), not Ivanka Trump, whom an article calls 'Ms. Trump'."""
    store.write_articles([graph(extraction("a", [(0, 0, None, 3), (1, 1, None, 1), (4, 2, None, 1)]))])
    store.finish()
    # the actor called 'Trump' alone is someone of article a: <actor/trump/in-...>
    picked = {q.subject.value.split("/actor/")[1].split("/")[0] for q in store.quads(SUMMARY_GRAPH)
              if q.predicate == KG.nameKey and q.object.value == "trump"}
    carried = {q.subject.value.split("/actor/")[1].split("/")[0] for q in store.quads(SUMMARY_GRAPH)
               if q.predicate == KG.formKey and q.object.value == "trump"}
    assert picked == {"Q22686", "trump"}
    assert carried == picked | {"ivanka-trump"}


def test_a_killed_first_build_gets_its_summary_when_the_store_is_opened_again(tmp_path):
    path = tmp_path / "kg"
    s = EmbeddedStore(path)
    s.write_articles([graph(extraction("a", [(0, 0, 2, 2)]))])  # bulk-loaded; the summary waits for finish()
    s._store.flush()
    del s._store, s._reader  # the process dies here: no finish(), no close()
    with EmbeddedStore(path) as again:
        assert again.stats()["articles"] == 1
        assert summary_quads(again) == rebuilt(again)


def test_articles_in_flight_when_a_write_was_killed_are_dropped_on_open(tmp_path):
    path = tmp_path / "kg"
    with EmbeddedStore(path) as s:
        s.write_articles([graph(extraction("a", [(0, 0, 2, 1)]))])
    half = graph(extraction("b", [(2, 1, 0, 1)]))
    raw = ox.Store(str(path))  # what write_articles does for new articles, up to a kill before its last step
    raw.update(f"INSERT DATA {{ GRAPH <{SUMMARY_GRAPH.value}> {{ <{SUMMARY_GRAPH.value}> <{KG.pendingArticle.value}> "
               f"<{half.iri}> }} }}")
    raw.bulk_load(half.nquads, format=ox.RdfFormat.N_QUADS)
    raw.flush()
    del raw
    with EmbeddedStore(path) as s:
        assert half.iri not in s.named_graphs()
        assert s.stats()["articles"] == 1
        assert summary_quads(s) == rebuilt(s)


def test_graphs_of_an_older_kg_get_their_keys_and_a_summary_on_open(tmp_path):
    """A store built by kg 0.1 has no summary and no fact keys: opening it adds both, so queries find its facts
    (and so it does for keys of another version)."""
    path = tmp_path / "kg"
    quads = [q for q in to_quads(extraction("a", [(0, 0, 2, 2)]), base_iri=BASE, content_hash="h")
             if q.predicate.value not in KEY_PREDICATES]
    raw = ox.Store(str(path))
    raw.extend(quads)
    raw.flush()
    del raw
    with EmbeddedStore(path) as s:
        assert s.stats()["statements"] == 2
        keys = parts.fact_keys(quads[0].graph_name.value, quads)
        assert keys and all(q in set(s.quads(quads[0].graph_name)) for q in keys)


def test_the_mapping_writes_the_keys_a_graph_gives_back():
    """kg:sortKey, kg:timeKey, topic keys and index triples: the mapping and the graph-level computation (used for
    graphs written without them) agree."""
    x = extraction("a", [(0, 0, 2, 2), (2, 1, 3, 1)])
    quads = to_quads(x, base_iri=BASE, content_hash="h")
    written = {q for q in quads if q.predicate.value in KEY_PREDICATES}
    assert written and written == set(parts.fact_keys(quads[0].graph_name.value, quads))


def test_the_generated_part_of_mini_trig_is_what_kg_computes():
    sys.path.insert(0, str(ROOT / "tests" / "data"))
    import regenerate_mini

    want = ox.Store()
    want.load(regenerate_mini.render(regenerate_mini.generated(regenerate_mini.hand_written())).encode(),
              format=ox.RdfFormat.TRIG)
    text = regenerate_mini.MINI.read_text(encoding="utf-8")
    got = ox.Store()
    got.load(text.split(regenerate_mini.MARK)[1].encode(), format=ox.RdfFormat.TRIG)
    assert set(got) == set(want), "mini.trig is stale: run tests/data/regenerate_mini.py and review the diff"


def _bytes(path: Path, pattern: str = "*") -> int:
    return sum(f.stat().st_size for f in path.rglob(pattern) if f.is_file())


def test_a_closed_store_keeps_no_write_ahead_log(tmp_path):
    """Replacing articles writes through RocksDB's log; a closed store has no log left behind (it once kept
    hundreds of MB of it until the next command opened the store)."""
    path = tmp_path / "kg"
    with EmbeddedStore(path) as s:
        s.write_articles([graph(extraction(f"d{i}", [(i % 5, 0, None, 2)])) for i in range(8)])
        for round_ in range(4):  # the same articles again: replacements, through the log
            s.write_articles([graph(extraction(f"d{i}", [(i % 5, round_ % 4, 2, 3)])) for i in range(8)])
        assert _bytes(path, "*.log") > 100_000
    assert _bytes(path, "*.log") < 64_000


def test_compact_reclaims_the_space_of_removed_articles(tmp_path):
    path = tmp_path / "kg"
    with EmbeddedStore(path) as s:
        s.write_articles([graph(extraction(f"d{i}", [(i % 5, 0, 2, 3), (2, 1, 0, 3)])) for i in range(200)])
    with EmbeddedStore(path) as s:
        for i in range(190):
            s.remove_article(f"{BASE}article/d{i}")
    before = _bytes(path)
    with EmbeddedStore(path) as s:
        s.compact()
        assert s.stats()["articles"] == 10
    assert _bytes(path) < before / 2


def test_an_article_written_twice_during_a_first_build_is_replaced_not_doubled(store):
    old, new = graph(extraction("a", [(0, 0, 2, 3)])), graph(extraction("a", [(2, 1, None, 1)]))
    store.write_articles([old])  # a first build: bulk-loaded
    store.write_articles([new])  # the same article again, before the first build ended
    assert set(store.quads(ox.NamedNode(new.iri))) == set(new.quads())
    assert summary_quads(store) == rebuilt(store)


def test_keys_of_another_version_are_rewritten_on_open(tmp_path):
    path = tmp_path / "kg"
    g = graph(extraction("a", [(0, 0, 2, 2)]))
    with EmbeddedStore(path) as s:
        s.write_articles([g])
    raw = ox.Store(str(path))  # as an older kg would have left it: no topic words, keys of version 0
    words = list(raw.quads_for_pattern(None, KG.topicWord, None, None))
    assert words
    for q in words:
        raw.remove(q)
    raw.update(f"DELETE WHERE {{ GRAPH <{SUMMARY_GRAPH.value}> {{ ?s <{KG.keysVersion.value}> ?v }} }}")
    raw.flush()
    del raw
    with EmbeddedStore(path) as s:
        assert set(s.quads(ox.NamedNode(g.iri))) == set(g.quads())
        assert summary_quads(s) == rebuilt(s)


def test_an_actors_label_and_type_are_the_ones_most_articles_give(store):
    """One article's error ('BERNIE SANDERS' as an organisation in a headline) neither names nor types the actor."""
    def article(doc: str, name: str, kind: str) -> Extraction:
        text = f"{name} spoke. "
        mention = Mention(Span(0, len(name), name), Span(0, len(text), text))
        return Extraction(Article(doc, text, (0, len(text))), (Span(0, len(text), text),),
                          (Entity("e1", name, kind, (mention,)),))
    store.write_articles([graph(article("a", "Bernie Sanders", "Person")),
                          graph(article("b", "BERNIE SANDERS", "Organization")),
                          graph(article("c", "Bernie Sanders", "Person"))])
    store.finish()

    def shown() -> tuple[str, str]:
        (row,) = store.query("PREFIX kg: <https://w3id.org/kg-news/ontology#> "
                             "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?l ?t WHERE { GRAPH "
                             "<https://w3id.org/kg-news/graph/summary> { ?a rdfs:label ?l ; kg:typeName ?t } }")
        return row["l"].value, row["t"].value
    assert shown() == ("Bernie Sanders", "Person")
    store.remove_article(BASE + "article/a")  # one article each way: both types, the label not in capitals
    assert shown() == ("Bernie Sanders", "Organization, Person") and summary_quads(store) == rebuilt(store)
