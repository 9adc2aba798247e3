"""kg on a remote triple store: a real ``oxigraph serve`` on loopback, started and stopped by these tests.

The seed article is built once into the server and once into an embedded store (the session's spaCy pipeline,
in-process); everything else compares the two, or writes hand-built graphs (no spaCy) into a server of its own.
"""
from __future__ import annotations

import base64
import io
import logging
import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests

import kg.cli
from kg import resources
from kg.errors import StoreError
from kg.rdf.namespaces import ONTOLOGY_GRAPH, SUMMARY_GRAPH
from kg.store import EmbeddedStore, open_store, summary
from kg.store.remote import RemoteStore, substitute

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SEED_ID = "idlib-geneva-talks-2018-09-11.txt"
SECRET = "s3cret-Pa55word"


def _oxigraph() -> str:
    found = Path(sys.executable).with_name("oxigraph")
    path = str(found) if found.exists() else shutil.which("oxigraph")
    if not path:
        pytest.skip("the Oxigraph server is not installed (pip install 'oxigraph>=0.5,<0.6')")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``oxigraph serve --location DIR --bind 127.0.0.1:PORT``, started and stopped on demand."""

    def __init__(self, location: Path, *, timeout: int | None = None):
        self.location, self.port, self.process = location, free_port(), None
        self.url = f"http://127.0.0.1:{self.port}"
        self.options = ["--timeout-s", str(timeout)] if timeout else []  # the server's own query timeout

    def start(self) -> "Server":
        self.process = subprocess.Popen([_oxigraph(), "serve", "--location", str(self.location), "--bind",
                                         f"127.0.0.1:{self.port}", *self.options], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "oxigraph serve stopped as it started"
            try:
                if requests.get(f"{self.url}/query", params={"query": "ASK {}"}, timeout=1).ok:
                    return self
            except requests.ConnectionError:
                pass
            time.sleep(0.05)
        raise AssertionError("oxigraph serve did not answer in 30 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


@pytest.fixture
def server(tmp_path):
    s = Server(tmp_path / "oxigraph").start()
    yield s
    s.stop()


@dataclass
class Built:
    server: Server
    embedded: str


@pytest.fixture(scope="module")
def built(tmp_path_factory, nlp_ready) -> Built:
    """The seed article built by ``kg build`` into a server and into an embedded store."""
    folder = tmp_path_factory.mktemp("remote")
    s = Server(folder / "oxigraph").start()
    embedded = str(folder / "kg-store")
    for store in (s.url, embedded):
        assert kg.cli.main(["build", str(SEEDS), "--store", store, "--quiet"]) == 0
    yield Built(s, embedded)
    s.stop()


def run(capsys, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = kg.cli.main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def by_graph(store) -> dict[str, list[ox.Quad]]:
    out: dict[str, list[ox.Quad]] = {}
    for q in store.quads():
        out.setdefault(q.graph_name.value, []).append(q)
    return out


def same_graph(a: list[ox.Quad], b: list[ox.Quad]) -> bool:
    """Equal quads, or isomorphic graphs where there are blank nodes (the ontology's OWL lists)."""
    if not any(isinstance(t, ox.BlankNode) for q in a + b for t in (q.subject, q.object)):
        return sorted(map(str, a)) == sorted(map(str, b))
    import rdflib
    from rdflib.compare import isomorphic

    def graph(quads):
        data = ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads], format=ox.RdfFormat.N_TRIPLES)
        return rdflib.Graph().parse(data=data.decode("utf-8"), format="nt")
    return isomorphic(graph(a), graph(b))


def rebuilt(store) -> set[str]:
    """The summary a rebuild from the article graphs computes, with literals as a store writes them back."""
    scratch = ox.Store()
    scratch.extend(summary.rebuild(store))
    return {str(q) for q in scratch}


# --- the seed article, built remotely and embedded ---------------------------------------------------------------

def test_a_remote_build_is_isomorphic_to_the_embedded_one_summary_included(built):
    with open_store(built.server.url, reader=True) as remote, open_store(built.embedded, reader=True) as embedded:
        r, e = by_graph(remote), by_graph(embedded)
        assert set(r) == set(e)
        assert {SUMMARY_GRAPH.value, ONTOLOGY_GRAPH.value} < set(r) and len(r) == 3  # and the article's graph
        for g in e:
            assert same_graph(r[g], e[g]), g
        assert remote.stats() == embedded.stats() and remote.stats()["articles"] == 1


def test_saved_queries_give_the_same_rows_remotely(built, capsys):
    cases = [["query", "--all"], ["query", "actors", "--format", "json"],
             ["query", "positions", "--param", "actor=Bolton", "--format", "csv"],
             ["query", "positions", "--param", "actor=Bolton", "--param", "mode=speech", "--limit", "2",
              "--offset", "1"],
             ["query", "office-holders", "--param", "country=Q30", "--format", "tsv"],
             ["query", "relations", "--param", "type=hosts"],
             ["query", "supporters", "--param", "target=campaign", "--format", "json"],
             ["query", "positions", "--param", "actor=Donald Trmp"]]
    for args in cases:
        remote = run(capsys, *args, "--store", built.server.url)
        embedded = run(capsys, *args, "--store", built.embedded)
        assert remote == embedded, args
    assert "John Bolton" in run(capsys, "query", "actors", "--store", built.server.url)[1]


def test_export_stats_validate_and_sparql_work_remotely(built, capsys):
    for args in (["export", "--format", "trig"], ["export", "--format", "nquads"], ["export"], ["stats"],
                 ["validate"],
                 ["sparql", "SELECT ?l (COUNT(*) AS ?n) WHERE { ?s kg:speaker ?a . GRAPH kgg:summary { ?a rdfs:label ?l"
                            " } } GROUP BY ?l ORDER BY DESC(?n) ?l"],
                 ["sparql", "ASK { ?s a kg:Statement }"],
                 ["sparql", "CONSTRUCT { ?a rdfs:label ?l } WHERE { GRAPH kgg:summary { ?a rdfs:label ?l } } "
                            "ORDER BY ?l LIMIT 3"],
                 ["sparql", "SELECT ?x WHERE {\n  ?x ?y }"]):  # an error on line 2, said so remotely too
        remote = run(capsys, *args, "--store", built.server.url)
        embedded = run(capsys, *args, "--store", built.embedded)
        assert remote == embedded, args
    code, out, _ = run(capsys, "validate", "--store", built.server.url)
    assert code == 0 and "conforms: 1 article graph(s) checked" in out
    code, out, _ = run(capsys, "stats", "--store", built.server.url)
    assert code == 0 and out.split()[:2] == ["articles", "1"]
    code, _, err = run(capsys, "sparql", "SELECT ?x WHERE {\n  ?x ?y }", "--store", built.server.url)
    assert code == 2 and "at 2:" in err


def test_building_the_same_article_again_replaces_its_graph(built, capsys):
    with open_store(built.server.url, reader=True) as remote:
        before = by_graph(remote)
    code, out, _ = run(capsys, "build", str(SEEDS), "--store", built.server.url, "--quiet", "--force")
    assert code == 0 and "stored 1 article(s)" in out
    with open_store(built.server.url, reader=True) as remote:
        after = by_graph(remote)
        assert set(after) == set(before)
        for g in before:
            assert same_graph(after[g], before[g]), g
        assert len(remote) == sum(len(q) for q in before.values())  # no quad twice
    code, out, _ = run(capsys, "build", str(SEEDS), "--store", built.server.url, "--quiet")
    assert "1 unchanged" in out  # the content hash is read back from the server


def test_parameters_are_sent_as_terms_never_as_query_text(built, capsys):
    hostile = 'Bolton" } } ; DROP ALL ; # \\ \n ?actor <x>'
    with open_store(built.server.url, reader=True) as remote:
        rows = list(remote.query("SELECT ?v ?n WHERE { BIND(STRLEN(?v) AS ?n) }", {ox.Variable("v"): ox.Literal(hostile)}))
        assert rows[0]["v"] == ox.Literal(hostile) and int(rows[0]["n"].value) == len(hostile)
        quads = len(remote)
    remote = run(capsys, "query", "positions", "--param", f"actor={hostile}", "--store", built.server.url)
    embedded = run(capsys, "query", "positions", "--param", f"actor={hostile}", "--store", built.embedded)
    assert remote == embedded and remote[0] == 2
    with open_store(built.server.url, reader=True) as remote_store:
        assert len(remote_store) == quads


# --- writes, restarts and errors ------------------------------------------------------------------------------

def test_replacing_and_removing_articles_keeps_the_summary_equal_to_a_rebuild(server, tmp_path):
    """Hand-built articles (no spaCy) written, replaced and removed on the server and in an embedded store: the
    same graphs, and a summary that is what a rebuild from the article graphs computes."""
    from test_summary import extraction, graph

    steps = [("write", "a", [(0, 0, 2, 2), (1, 1, None, 1)]), ("write", "b", [(2, 1, 0, 1), (4, 2, 0, 1)]),
             ("write", "a", [(0, 1, 2, 1), (3, 0, None, 3)]), ("remove", "b", None), ("write", "c", [(1, 0, 0, 1)]),
             ("remove", "a", None)]
    with RemoteStore(server.url) as remote, EmbeddedStore(tmp_path / "kg") as embedded:
        for store in (remote, embedded):
            store.ensure_ontology(resources.ontology())
        for op, doc, picks in steps:
            for store in (remote, embedded):
                if op == "write":
                    store.write_articles([graph(extraction(doc, picks))])
                else:
                    assert store.remove_article(f"https://w3id.org/kg-news/id/article/{doc}")
            r, e = by_graph(remote), by_graph(embedded)
            assert set(r) == set(e), (op, doc)
            for g in e:
                assert same_graph(r[g], e[g]), (op, doc, g)
            assert {str(q) for q in remote.quads(SUMMARY_GRAPH)} == rebuilt(remote), (op, doc)
        assert not remote.remove_article("https://w3id.org/kg-news/id/article/a")
        assert remote.stats() == embedded.stats() and remote.stats()["articles"] == 1


def test_a_server_restart_between_two_builds_loses_nothing(server, tmp_path, nlp_ready, capsys):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir(), second.mkdir()
    (first / "a.txt").write_text("Iran said on Tuesday that it opposes the offensive on Idlib.", encoding="utf-8")
    (second / "b.txt").write_text("Russia backed the campaign, the Kremlin said.", encoding="utf-8")
    assert run(capsys, "build", str(first), "--store", server.url, "--quiet")[0] == 0
    with open_store(server.url, reader=True) as store:
        before = by_graph(store)
    server.stop()
    server.start()
    assert run(capsys, "build", str(second), "--store", server.url, "--quiet")[0] == 0
    with open_store(server.url, reader=True) as store:
        after = by_graph(store)
        assert store.stats()["articles"] == 2
        assert {str(q) for q in store.quads(SUMMARY_GRAPH)} == rebuilt(store)
    for g, quads in before.items():
        if g != SUMMARY_GRAPH.value:  # the summary has the second article now; every other graph is as it was
            assert same_graph(after[g], quads), g
    code, out, _ = run(capsys, "query", "articles", "--format", "csv", "--store", server.url)
    assert code == 0 and "a.txt" in out and "b.txt" in out


def test_a_server_that_is_down_is_one_line_and_exit_2_without_credentials(tmp_path):
    url = f"http://127.0.0.1:{free_port()}"  # no one listens there
    env = {**os.environ, "KG_STORE_USER": "alice", "KG_STORE_PASSWORD": SECRET}
    for args in (["stats"], ["-v", "query", "actors"], ["build", str(SEEDS)], ["export", "--format", "trig"]):
        done = subprocess.run([sys.executable, "-m", "kg", *args, "--store", url], capture_output=True, text=True,
                              env=env, cwd=tmp_path, timeout=120)
        assert done.returncode == 2, (args, done.stderr)
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("kg: error: [E030] cannot reach the SPARQL endpoint "
                                                       f"{url}/query"), done.stderr
        assert "start the server" in lines[0] and "Traceback" not in done.stderr
        assert SECRET not in done.stderr + done.stdout


def test_credentials_are_sent_from_the_environment_and_never_shown(httpserver, monkeypatch, caplog):
    httpserver.expect_request("/query").respond_with_data("who are you?", status=401)
    url = httpserver.url_for("/").rstrip("/")
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("KG_STORE_USER", "alice")
    monkeypatch.setenv("KG_STORE_PASSWORD", SECRET)
    with pytest.raises(StoreError) as basic:
        RemoteStore(url)
    monkeypatch.delenv("KG_STORE_USER")
    monkeypatch.setenv("KG_STORE_TOKEN", SECRET)
    with pytest.raises(StoreError) as bearer:
        RemoteStore(url)
    sent = [r.headers.get("Authorization") for r, _ in httpserver.log]
    assert sent == [f"Basic {base64.b64encode(f'alice:{SECRET}'.encode()).decode()}", f"Bearer {SECRET}"]
    for error in (basic.value, bearer.value):
        assert "HTTP 401" in str(error) and "KG_STORE_USER" in str(error) and SECRET not in str(error)
    assert "kg sent KG_STORE_USER and KG_STORE_PASSWORD" in str(basic.value)
    assert SECRET not in caplog.text and "http://" in caplog.text  # the requests are logged, their credentials not
    with pytest.raises(StoreError) as in_url:  # a password in the URL would be printed with it: refused
        RemoteStore(f"http://alice:{SECRET}@127.0.0.1:1")
    assert SECRET not in str(in_url.value) and "KG_STORE_PASSWORD" in str(in_url.value)


def test_a_url_that_is_no_sparql_endpoint_says_what_to_give(server, capsys):
    code, _, err = run(capsys, "stats", "--store", f"{server.url}/nothing/here")
    assert code == 2 and "is no SPARQL endpoint (HTTP 404)" in err and "base URL" in err
    code, _, err = run(capsys, "compact", "--store", server.url)
    assert code == 2 and "embedded store" in err


# --- parameters written into the query text --------------------------------------------------------------------

def test_substitute_writes_terms_where_pyoxigraph_would_bind_them():
    v = {ox.Variable("actor"): ox.Literal("Bolton"), ox.Variable("node"): ox.NamedNode("http://e/x")}
    text = ('SELECT ?s ?actor WHERE { { SELECT ?s ?actor WHERE { ?s ?p ?actor } } '
            'FILTER(?actor != "?actor" && ?s != <http://e/?actor>) # ?actor\n'
            ' BIND(?node AS ?n) } GROUP BY ?s ?actor ORDER BY ?actor')
    assert substitute(text, v) == (
        'SELECT ?s ("Bolton" AS ?actor) WHERE { { SELECT ?s  WHERE { ?s ?p "Bolton" } } '
        'FILTER("Bolton" != "?actor" && ?s != <http://e/?actor>) # ?actor\n'
        ' BIND(<http://e/x> AS ?n) } GROUP BY ?s ("Bolton") ORDER BY ("Bolton")')
    # a sub-select that projected only parameters still projects something
    assert substitute("SELECT ?a WHERE { { SELECT ?actor WHERE { ?a ?p ?actor } } }", v) == \
        'SELECT ?a WHERE { { SELECT ("Bolton" AS ?kg_substituted_actor) WHERE { ?a ?p "Bolton" } } }'
    assert substitute("SELECT * WHERE { ?s ?p ?o }", v) == "SELECT * WHERE { ?s ?p ?o }"
    store = ox.Store()  # every form above is SPARQL pyoxigraph runs
    for text in (substitute(text, v), substitute("SELECT ?a WHERE { { SELECT ?actor WHERE { ?a ?p ?actor } } }", v)):
        list(store.query(text))


def test_a_remote_store_reads_odd_literals_back_exactly(server):
    odd = ['say "hi"\n\ttab', "back\\slash \\u0041 not an escape", "é 😀 \x01", "'single' \"\"\"triple\"\"\""]
    g = ox.NamedNode("http://example.org/g")
    quads = [ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), ox.NamedNode("http://example.org/p"), ox.Literal(v), g)
             for i, v in enumerate(odd)]
    with RemoteStore(server.url) as store:
        store.replace_article(g.value, quads)
        assert sorted(map(str, store.quads(g))) == sorted(map(str, quads))
        for v in odd:  # and as query parameters
            assert list(store.query("SELECT ?v WHERE { }", {ox.Variable("v"): ox.Literal(v)}))[0]["v"].value == v
        out = io.BytesIO()
        store.dump(out, ox.RdfFormat.N_TRIPLES, graph=ox.NamedNode("http://example.org/none"))
        assert out.getvalue() == b""  # a graph the server does not have is empty, as in an embedded store
