"""Stage 6, store: the on-disk pyoxigraph store, one named graph per article, replaced atomically. No spaCy."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pyoxigraph as ox
import pytest

import kg.store
from kg.errors import StoreError, StoreLockedError
from kg.rdf.namespaces import KG, ONTOLOGY_GRAPH, RDFS
from kg.store import EmbeddedStore

EX = "https://example.org/"
ARTICLE = EX + "article/a"
OTHER = EX + "article/b"


def quads(graph: str, n: int, *, tag: str, digest: str | None = None) -> list[ox.Quad]:
    g = ox.NamedNode(graph)
    out = [ox.Quad(ox.NamedNode(f"{EX}{tag}/{i}"), RDFS.label, ox.Literal(f"{tag} {i}"), g) for i in range(n)]
    if digest is not None:
        out.append(ox.Quad(g, KG.contentHash, ox.Literal(digest), g))
    return out


def graph_quads(store: EmbeddedStore, graph: str) -> set[ox.Quad]:
    return set(store.quads(ox.NamedNode(graph)))


@pytest.fixture
def store(tmp_path):
    s = EmbeddedStore(tmp_path / "kg")
    yield s
    s.close()


def test_replace_article_twice_leaves_only_the_second_set(store):
    first = quads(ARTICLE, 5, tag="old", digest="h1")
    second = quads(ARTICLE, 3, tag="new", digest="h2")
    store.replace_article(ARTICLE, first)
    assert graph_quads(store, ARTICLE) == set(first)

    store.replace_article(ARTICLE, second)

    assert graph_quads(store, ARTICLE) == set(second)


def test_replace_article_leaves_other_graphs_alone(store):
    other = quads(OTHER, 4, tag="other", digest="o")
    store.replace_article(OTHER, other)
    store.replace_article(ARTICLE, quads(ARTICLE, 2, tag="old"))
    store.replace_article(ARTICLE, quads(ARTICLE, 2, tag="new"))
    assert graph_quads(store, OTHER) == set(other)


def test_replace_article_keeps_odd_literals_exactly(store):
    g = ox.NamedNode(ARTICLE)
    odd = [
        ox.Quad(ox.NamedNode(EX + "s"), RDFS.label, ox.Literal('quote " backslash \\ newline \n tab \t } >'), g),
        ox.Quad(ox.NamedNode(EX + "s"), RDFS.label, ox.Literal("Genève", language="fr"), g),
        ox.Quad(ox.NamedNode(EX + "s"), RDFS.comment, ox.Literal("GRAPH <x> { } ; DROP ALL"), g),
        ox.Quad(ox.NamedNode(EX + "s"), KG["count"], ox.Literal("7", datatype=ox.NamedNode(
            "http://www.w3.org/2001/XMLSchema#integer")), g),
    ]
    store.replace_article(ARTICLE, odd)
    assert graph_quads(store, ARTICLE) == set(odd)


def test_article_hash(store):
    assert store.article_hash(ARTICLE) is None
    store.replace_article(ARTICLE, quads(ARTICLE, 2, tag="a", digest="abc123"))
    assert store.article_hash(ARTICLE) == "abc123"
    assert store.article_hash(OTHER) is None
    store.replace_article(ARTICLE, quads(ARTICLE, 2, tag="a", digest="def456"))
    assert store.article_hash(ARTICLE) == "def456"


def test_remove_article(store):
    store.replace_article(ARTICLE, quads(ARTICLE, 3, tag="a", digest="h"))
    kept = quads(OTHER, 3, tag="b", digest="h")
    store.replace_article(OTHER, kept)

    assert store.remove_article(ARTICLE) is True

    assert graph_quads(store, ARTICLE) == set()
    assert store.article_hash(ARTICLE) is None
    assert ARTICLE not in store.named_graphs()
    assert graph_quads(store, OTHER) == set(kept)
    assert store.remove_article(ARTICLE) is False  # already gone
    assert store.remove_article(EX + "article/never") is False


def test_graphs_survive_reopening(tmp_path):
    first = quads(ARTICLE, 4, tag="a", digest="h")
    with EmbeddedStore(tmp_path / "kg") as s:
        s.replace_article(ARTICLE, first)
    with EmbeddedStore(tmp_path / "kg", create=False) as s:
        assert graph_quads(s, ARTICLE) == set(first)
        assert s.article_hash(ARTICLE) == "h"


def test_opening_a_missing_store_without_create_is_a_store_error(tmp_path):
    with pytest.raises(StoreError, match="no store"):
        EmbeddedStore(tmp_path / "nope", create=False)
    assert not (tmp_path / "nope").exists()


def test_opening_a_locked_store_is_a_store_locked_error(tmp_path):
    holder = ox.Store(str(tmp_path / "kg"))
    try:
        with pytest.raises(StoreLockedError):
            EmbeddedStore(tmp_path / "kg")
    finally:
        del holder


def test_a_damaged_store_is_a_store_error_that_says_so(tmp_path):
    with EmbeddedStore(tmp_path / "kg") as s:
        s.replace_article(ARTICLE, quads(ARTICLE, 200, tag="a", digest="h"))
        s._store.optimize()  # into table files, which RocksDB checksums
    tables = list((tmp_path / "kg").glob("*.sst"))
    assert tables
    for f in tables:  # what a disk fault does: bits flipped all over
        data = bytearray(f.read_bytes())
        for i in range(100, len(data) - 100, 97):
            data[i] ^= 0xFF
        f.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="is damaged.*build a new one"):
        EmbeddedStore(tmp_path / "kg", create=False)


def test_opening_a_store_many_times_leaves_no_pile_of_logs(tmp_path):
    for i in range(5):
        with EmbeddedStore(tmp_path / "kg") as s:
            s.replace_article(ARTICLE, quads(ARTICLE, 3, tag=str(i), digest=str(i)))
    assert not list((tmp_path / "kg").glob("LOG.old.*"))


@pytest.mark.parametrize("make", ["folder", "file"])
def test_a_folder_or_file_of_the_users_is_not_turned_into_a_store(tmp_path, make):
    target = tmp_path / "mine"
    if make == "folder":
        target.mkdir()
        (target / "LOG").write_text("my notes")  # RocksDB would have renamed it
    else:
        target.write_text("my notes")
    with pytest.raises(StoreError, match="not a kg store; give --store a new or empty folder"):
        EmbeddedStore(target)
    assert (target / "LOG" if make == "folder" else target).read_text() == "my notes"
    if make == "folder":
        assert [p.name for p in target.iterdir()] == ["LOG"]


def test_an_empty_folder_becomes_a_store(tmp_path):
    (tmp_path / "new").mkdir()
    with EmbeddedStore(tmp_path / "new") as s:
        assert s.stats()["articles"] == 0


def test_a_store_in_a_folder_that_does_not_exist_yet_is_made_with_its_folders(tmp_path):
    with EmbeddedStore(tmp_path / "runs" / "2018" / "store") as s:
        assert s.stats()["articles"] == 0
    assert (tmp_path / "runs" / "2018" / "store" / "CURRENT").is_file()


def test_a_store_whose_folder_cannot_be_made_is_a_one_line_error(tmp_path):
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(StoreError, match="cannot open store .*check the path"):
        EmbeddedStore(tmp_path / "file" / "store")


class _FullDisk:
    """A store whose writes to disk fail (flush), as on a full disk; everything else is the real store's."""

    def __init__(self, store):
        self._real = store

    def flush(self):
        raise OSError(28, "No space left on device")

    def __getattr__(self, name):
        return getattr(self._real, name)


def test_a_failed_flush_at_close_is_a_store_error_and_does_not_hide_the_error_before_it(tmp_path):
    with pytest.raises(StoreError, match="could not write .* free space"):
        with EmbeddedStore(tmp_path / "a") as s:
            s._store = _FullDisk(s._store)
    with pytest.raises(StoreError, match="the write that failed first"):
        with EmbeddedStore(tmp_path / "b") as s:
            s._store = _FullDisk(s._store)
            raise StoreError("the write that failed first")


ONTOLOGY_V1 = b"""@prefix kg: <https://w3id.org/kg-news/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
kg:Actor a rdfs:Class ; rdfs:label "Actor" .
kg:Person rdfs:subClassOf kg:Actor .
"""
ONTOLOGY_V2 = b"""@prefix kg: <https://w3id.org/kg-news/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
kg:Actor a rdfs:Class ; rdfs:label "Actor (v2)" .
"""


def test_ensure_ontology_loads_once_and_replaces_on_change(store):
    store.ensure_ontology(ONTOLOGY_V1)
    loaded = graph_quads(store, ONTOLOGY_GRAPH.value)
    assert ox.Quad(KG.Person, RDFS.subClassOf, KG.Actor, ONTOLOGY_GRAPH) in loaded
    assert len(loaded) == 3 + 1  # three triples and the content-hash marker

    store.ensure_ontology(ONTOLOGY_V1)
    assert graph_quads(store, ONTOLOGY_GRAPH.value) == loaded

    store.ensure_ontology(ONTOLOGY_V2)
    changed = graph_quads(store, ONTOLOGY_GRAPH.value)
    assert ox.Quad(KG.Actor, RDFS.label, ox.Literal("Actor (v2)"), ONTOLOGY_GRAPH) in changed
    assert ox.Quad(KG.Person, RDFS.subClassOf, KG.Actor, ONTOLOGY_GRAPH) not in changed
    assert ox.Quad(KG.Actor, RDFS.label, ox.Literal("Actor"), ONTOLOGY_GRAPH) not in changed
    assert len(changed) == 2 + 1


def test_ensure_ontology_with_kgs_own_ontology_is_idempotent(store):
    from kg import resources

    store.ensure_ontology(resources.ontology())
    first = graph_quads(store, ONTOLOGY_GRAPH.value)
    store.ensure_ontology(resources.ontology())
    assert graph_quads(store, ONTOLOGY_GRAPH.value) == first
    assert len(first) > 10


def test_failed_replace_is_a_store_error_and_keeps_the_previous_graph(store):
    before = quads(ARTICLE, 5, tag="old", digest="h1")
    store.replace_article(ARTICLE, before)
    # A quad in the default graph cannot be written as "GRAPH ... { }" data: the whole update must fail.
    broken = quads(ARTICLE, 5, tag="new", digest="h2") + [
        ox.Quad(ox.NamedNode(EX + "s"), RDFS.label, ox.Literal("x"), ox.DefaultGraph())]

    with pytest.raises(StoreError):
        store.replace_article(ARTICLE, broken)

    assert graph_quads(store, ARTICLE) == set(before)
    assert store.article_hash(ARTICLE) == "h1"


def test_failed_replace_from_bad_update_text_keeps_the_previous_graph(store, monkeypatch):
    before = quads(ARTICLE, 5, tag="old", digest="h1")
    store.replace_article(ARTICLE, before)
    real = kg.store._terms
    monkeypatch.setattr(kg.store, "_terms", lambda qs: real(qs) + "\nGRAPH <" + EX + "g> { this is not rdf }")

    with pytest.raises(StoreError):
        store.replace_article(ARTICLE, quads(ARTICLE, 5, tag="new", digest="h2"))

    assert graph_quads(store, ARTICLE) == set(before)


OLD_N, NEW_N = 1_000, 200_000
CHILD = textwrap.dedent("""
    import sys
    import pyoxigraph as ox
    from kg.rdf.namespaces import RDFS
    from kg.store import EmbeddedStore
    path, graph, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    store = EmbeddedStore(path)
    g = ox.NamedNode(graph)
    new = [ox.Quad(ox.NamedNode(f"https://example.org/new/{i}"), RDFS.label, ox.Literal(f"new {i}"), g)
           for i in range(n)]
    print("replacing", flush=True)
    store.replace_article(graph, new)
    print("done", flush=True)
    store.close()
""")


def test_killed_replace_leaves_the_old_graph_or_the_new_one_never_half(tmp_path):
    path = tmp_path / "kg"
    with EmbeddedStore(path) as s:
        s.replace_article(ARTICLE, quads(ARTICLE, OLD_N, tag="old"))

    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path), ARTICLE, str(NEW_N)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    try:
        assert child.stdout.readline().strip() == "replacing", child.stderr.read()
        time.sleep(1.5)  # the update of 200k quads takes many seconds: this lands in the middle of it
        finished_early = child.poll() is not None
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
        child.stdout.close()
        child.stderr.close()
    assert not finished_early, "the replace finished before the kill; make NEW_N larger"
    assert child.returncode == -signal.SIGKILL

    with EmbeddedStore(path, create=False) as s:
        counts = {row["tag"].value: int(row["n"].value) for row in s.query(f"""
            SELECT ?tag (COUNT(*) AS ?n) WHERE {{
              GRAPH <{ARTICLE}> {{ ?s ?p ?o }}
              BIND(IF(STRSTARTS(STR(?s), "{EX}new/"), "new", "old") AS ?tag)
            }} GROUP BY ?tag""")}
    assert counts in ({"old": OLD_N}, {"new": NEW_N}), counts
