"""kg serve over real HTTP: a uvicorn server on loopback in front of a real on-disk store (no spaCy: the
articles are extractions made by hand, one of them hostile), asked with requests as a client would."""
from __future__ import annotations

import csv
import io
import json
import re
import socket
import threading
import time
from urllib.parse import quote

import pytest
import requests

from kg import resources
from kg.config import Config
from kg.model import Article, Entity, Extraction, Mention, Relation, Span, Statement
from kg.store import EmbeddedStore

HOSTILE_NAME = '<script>alert("label")</script> Smith'
HOSTILE_TEXT = ('Publish Date: 4 May 2018 - 09:00\n\n<script>alert("text")</script> Jo Smith said '
                '"<img src=x onerror=alert(1)> we will win". Angela Merkel opposed Jo Smith.')


def _hostile() -> Extraction:
    text = HOSTILE_TEXT
    span = lambda part, after=0: Span(text.index(part, after), text.index(part, after) + len(part), part)  # noqa: E731
    first = Span(text.index("<script>"), text.index('win".') + 5, text[text.index("<script>"):text.index('win".') + 5])
    second = span("Angela Merkel opposed Jo Smith.")
    smith = span("Jo Smith")
    smith2 = span("Jo Smith", second.start)
    merkel = span("Angela Merkel")
    people = (Entity("e1", HOSTILE_NAME, "Person", (Mention(smith, first), Mention(smith2, second))),
              Entity("e2", "Angela Merkel", "Person", (Mention(merkel, second),), qid="Q567", link_score=0.9,
                     link_method="test"))
    content = span("<img src=x onerror=alert(1)> we will win")
    statement = Statement("s1", content, "direct", first, speaker="e1", speaker_mention=smith, cue=span("said"),
                          cue_lemma="say", stance="support", about=("e2",), rule="test", confidence=0.9)
    relation = Relation("r1", "opposes", "e2", Span(second.start, second.end - 1, second.text[:-1]), second,
                        object="e1", rule="test", confidence=0.9)
    article = Article("hostile <b>1</b>.txt", text, (0, len(text)), title='<img src=x onerror=alert("title")>',
                      url="javascript://%0aalert(document.domain)", published="2018-05-04T09:00")
    return Extraction(article, (first, second), people, (statement,), (relation,))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, app):
        import uvicorn

        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        for _ in range(200):
            if self.server.started:
                return self
            time.sleep(0.02)
        raise RuntimeError("the server did not start")

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture(scope="module")
def graphs(modes_extraction) -> list:
    from kg.rdf import article_graph

    return [article_graph(x, base_iri=Config().base_iri, content_hash="0" * 64) for x in (modes_extraction, _hostile())]


@pytest.fixture(scope="module")
def store_path(tmp_path_factory, graphs):
    path = tmp_path_factory.mktemp("serve") / "store"
    with EmbeddedStore(path) as s:
        s.ensure_ontology(resources.ontology())
        s.write_articles(graphs)
    return path


@pytest.fixture(scope="module", params=["embedded", "remote"])
def server(request, store_path, graphs, tmp_path_factory):
    """kg serve over the on-disk store, and over the same graphs on a real ``oxigraph serve`` (--store URL)."""
    from kg.serve.app import create_app

    if request.param == "embedded":
        with Server(create_app(str(store_path), base_iri=Config().base_iri, timeout=5, max_rows=50)) as s:
            yield s
        return
    from test_remote_store import Server as Oxigraph

    from kg.store.remote import RemoteStore

    oxigraph = Oxigraph(tmp_path_factory.mktemp("oxigraph"), timeout=10).start()
    try:
        with RemoteStore(oxigraph.url) as remote, EmbeddedStore(store_path, read_only=True) as local:
            remote.ensure_ontology(resources.ontology())
            remote.write_articles(graphs)
            assert remote.stats() == local.stats()
        with Server(create_app(oxigraph.url, base_iri=Config().base_iri, timeout=5, max_rows=50)) as s:
            yield s
    finally:
        oxigraph.stop()


HTML = {"Accept": "text/html"}


# --- SPARQL 1.1 Protocol ---------------------------------------------------------------------------------------

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH kgg:summary { ?a kg:mentionCount ?m } }"


def test_sparql_get_and_both_posts_answer_the_same(server):
    got = [requests.get(f"{server.url}/sparql", params={"query": COUNT}),
           requests.post(f"{server.url}/sparql", data={"query": COUNT}),
           requests.post(f"{server.url}/sparql", data=COUNT.encode(),
                         headers={"Content-Type": "application/sparql-query"})]
    assert [r.status_code for r in got] == [200] * 3
    assert {r.headers["content-type"] for r in got} == {"application/sparql-results+json"}
    assert {r.json()["results"]["bindings"][0]["n"]["value"] for r in got} == {"2"}


@pytest.mark.parametrize("accept, media", [
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("text/html;q=0.9, text/csv;q=0.5", "text/csv"),
])
def test_sparql_results_follow_the_accept_header(server, accept, media):
    r = requests.get(f"{server.url}/sparql", params={"query": COUNT}, headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(media)
    if media == "text/csv":
        assert list(csv.reader(io.StringIO(r.text))) == [["n"], ["2"]]
    if media.endswith("xml"):
        assert '<variable name="n"/>' in r.text and ">2</literal>" in r.text


@pytest.mark.parametrize("accept, media", [("text/turtle", "text/turtle"), ("application/ld+json", "application/ld+json")])
def test_construct_answers_turtle_or_json_ld(server, accept, media):
    q = "CONSTRUCT { ?a rdfs:label ?l } WHERE { GRAPH kgg:summary { ?a rdfs:label ?l } }"
    r = requests.get(f"{server.url}/sparql", params={"query": q}, headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(media)
    assert "Angela Merkel" in r.text
    if media == "application/ld+json":
        json.loads(r.text)


def test_ask_and_an_unacceptable_type(server):
    r = requests.get(f"{server.url}/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert r.json() == {"head": {}, "boolean": True}
    r = requests.get(f"{server.url}/sparql", params={"query": COUNT}, headers={"Accept": "image/png"})
    assert r.status_code == 406 and "image/png" in r.json()["error"]


@pytest.mark.parametrize("how", ["get", "form", "update-type"])
def test_updates_are_refused_and_change_nothing(server, how):
    update = "DELETE WHERE { GRAPH ?g { ?s ?p ?o } }"
    if how == "get":
        r = requests.get(f"{server.url}/sparql", params={"query": update})
        assert r.status_code == 400
    elif how == "form":
        r = requests.post(f"{server.url}/sparql", data={"update": update})
        assert r.status_code == 403
    else:
        r = requests.post(f"{server.url}/sparql", data=update, headers={"Content-Type": "application/sparql-update"})
        assert r.status_code == 403
    assert "queries only" in r.json()["error"]
    assert requests.get(f"{server.url}/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True


def test_a_bad_query_a_long_answer_and_a_slow_query_are_errors_not_parts(server):
    r = requests.get(f"{server.url}/sparql", params={"query": "SELECT WHERE {"})
    assert r.status_code == 400 and "not valid SPARQL" in r.json()["error"]
    r = requests.get(f"{server.url}/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert r.status_code == 400 and "more than 50 rows" in r.json()["error"]
    slow = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")
    started = time.monotonic()
    r = requests.get(f"{server.url}/sparql", params={"query": slow})
    assert r.status_code == 503 and "timeout of 5 s" in r.json()["error"]
    assert time.monotonic() - started < 15


def test_a_body_over_the_limit_is_refused(store_path):
    from kg.serve.app import create_app

    with Server(create_app(str(store_path), base_iri=Config().base_iri, max_body=1000)) as s:
        r = requests.post(f"{s.url}/sparql", data={"query": COUNT + " " * 2000})
        assert r.status_code == 413


# --- saved queries over HTTP ---------------------------------------------------------------------------------

def test_the_api_lists_the_saved_queries_with_their_parameters(server):
    listed = {q["name"]: q for q in requests.get(f"{server.url}/api/queries").json()}
    assert {"actors", "positions", "conflicts"} <= set(listed)
    assert [p["name"] for p in listed["positions"]["params"]] == ["actor", "since", "mode"]


def test_a_saved_query_pages_and_counts_as_kg_query_does(server, store_path):
    from kg import queries

    whole = requests.get(f"{server.url}/api/queries/positions", params={"actor": "Merkel"})
    assert whole.status_code == 200 and whole.headers["X-Total-Count"] == "7"
    rows = whole.json()["results"]["bindings"]
    assert len(rows) == 7
    page = requests.get(f"{server.url}/api/queries/positions", params={"actor": "Merkel", "limit": 3, "offset": 3})
    assert page.headers["X-Total-Count"] == "7" and page.json()["results"]["bindings"] == rows[3:6]
    assert 'rel="next"' in page.headers["Link"] and "offset=6" in page.headers["Link"]
    tsv = requests.get(f"{server.url}/api/queries/positions", params={"actor": "Merkel", "format": "tsv"})
    assert tsv.headers["content-type"].startswith("text/tab-separated-values") and len(tsv.text.splitlines()) == 8
    with EmbeddedStore(store_path, read_only=True) as s:
        a = queries.answer(s, "positions", {"actor": "Merkel"})
    assert [b["text"]["value"] for b in rows] == [queries.plain(r[a.columns.index("text")]) for r in a.rows]


@pytest.mark.parametrize("url, status, message", [
    ("/api/queries/nope", 404, "unknown query"),
    ("/api/queries/positions", 400, "needs --param actor"),
    ("/api/queries/positions?actor=Nobody%20At%20All", 400, "no actor in the store"),
    ("/api/queries/positions?actor=Merkel&limit=x", 400, "not a number"),
    ("/api/queries/positions?actor=Merkel&format=png", 406, "unknown results format"),
    ("/api/queries/positions?actor=Merkel&mode=dream", 400, "none of the values"),
])
def test_a_value_the_api_cannot_honour_is_an_error(server, url, status, message):
    r = requests.get(server.url + url)
    assert r.status_code == status and message in r.json()["error"]


# --- the UI --------------------------------------------------------------------------------------------------

def _found(server, q: str) -> str:
    page = requests.get(server.url + "/", params={"q": q}, headers=HTML).text
    return page.split('<ul class="found">', 1)[1].split("</ul>", 1)[0] if '<ul class="found">' in page else ""


def test_search_finds_an_actor_by_a_prefix_of_any_name_in_any_case_and_accent(server):
    for q in ("merk", "MERKEL", "angela m", "Mérkel", "smi"):
        assert 'href="/actor/' in _found(server, q), q
    assert 'href="/actor/Q567"' in _found(server, "merk")
    assert _found(server, "xyz") == "" and _found(server, "erkel") == ""


def test_actor_page_shows_its_facts_tables_timeline_and_network(server):
    r = requests.get(f"{server.url}/actor/Q567", headers=HTML)
    assert r.status_code == 200
    page = r.text
    assert 'href="https://www.wikidata.org/wiki/Q567"' in page
    assert "We will act now." in page
    # Smith supports her: the supporters table links to his page, whose positions carry a stance badge
    section = page.split('<section id="supporters">', 1)[1].split("</section>", 1)[0]
    smith = re.search(r'<td class="col-supporter"><a href="(/actor/[^"]+)">', section).group(1)
    his = requests.get(server.url + smith, headers=HTML).text
    assert 'class="badge stance-support"' in his
    assert "<h1>&lt;script&gt;alert(&#34;label&#34;)&lt;/script&gt; Smith</h1>" in his
    assert "<svg class=\"timeline\"" in page and "2018-09: 7 statements" in page
    assert 'id="network"' in page and "/static/vendor/cytoscape-3.35.0.min.js" in page
    assert "/api/queries/positions?actor=Q567&amp;format=csv" in page
    # every statement links to its sentence in its article
    assert "/article/modes.txt#st-" in page


def test_article_page_highlights_statements_and_mentions(server):
    hostile = requests.get(f"{server.url}/article/{quote('hostile <b>1</b>.txt', safe='')}", headers=HTML).text
    assert 'class="badge stance-support">support</span>' in hostile  # the stance's name, not its IRI's tail
    assert "opposes" in hostile.split("<h2>Relations</h2>", 1)[1]
    page = requests.get(f"{server.url}/article/modes.txt", headers=HTML).text
    assert page.count('class="hl stance-') >= 7
    assert 'class="mention" href="/actor/Q567"' in page
    assert 'id="st-' in page


def test_hostile_html_in_text_labels_titles_and_parameters_arrives_escaped(server):
    from kg.serve import pages

    article = requests.get(f"{server.url}/article/{quote('hostile <b>1</b>.txt', safe='')}", headers=HTML)
    assert article.status_code == 200
    tail = pages.actor_path(f"{Config().base_iri}actor/x", Config().base_iri)
    assert tail == "/actor/x"
    search = requests.get(server.url + "/", params={"q": "<script>alert"}, headers=HTML)
    query = requests.get(server.url + "/queries/positions", params={"actor": '<script>alert("p")</script>', "run": 1},
                         headers=HTML)
    for page in (article.text, search.text, query.text):
        assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#34;text&#34;)&lt;/script&gt;" in article.text
    assert "&lt;img src=x onerror=alert(1)&gt;" in article.text
    assert "&lt;img src=x onerror=alert(&#34;title&#34;)&gt;" in article.text
    assert "&lt;script&gt;alert(&#34;p&#34;)&lt;/script&gt;" in query.text
    assert "default-src 'self'" in article.headers["Content-Security-Policy"]
    assert 'href="javascript:' not in article.text  # the article's url is a link only when it is http(s)
    # the hostile label reaches the network picture only as escaped data
    smith = requests.get(server.url + "/actor/Q567", headers=HTML).text
    assert "<script>alert(\"label\")" not in smith and "&lt;script&gt;" in smith


def test_a_saved_query_form_runs_and_shows_the_answer(server):
    form = requests.get(f"{server.url}/queries/positions", headers=HTML).text
    assert '<input type="text" name="actor"' in form
    page = requests.get(f"{server.url}/queries/positions", params={"actor": "Merkel", "run": 1}, headers=HTML).text
    assert "rows 1–7 of 7" in page
    bad = requests.get(f"{server.url}/queries/positions", params={"actor": "Nobody At All", "run": 1}, headers=HTML)
    assert "no actor in the store" in bad.text


def test_conflicts_page_and_a_missing_page(server):
    assert requests.get(f"{server.url}/conflicts", headers=HTML).status_code == 200
    r = requests.get(f"{server.url}/actor/Q1", headers=HTML)
    assert r.status_code == 404 and "no actor" in r.text


# --- the token -------------------------------------------------------------------------------------------------

def test_a_token_is_required_on_every_request_when_given(store_path):
    from kg.serve.app import create_app

    with Server(create_app(str(store_path), base_iri=Config().base_iri, token="s3cret")) as s:
        assert requests.get(f"{s.url}/api/queries").status_code == 401
        assert requests.get(f"{s.url}/sparql", params={"query": COUNT},
                            headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert requests.get(f"{s.url}/api/queries", headers={"Authorization": "Bearer s3cret"}).status_code == 200
        browser = requests.Session()
        assert browser.get(f"{s.url}/", headers=HTML).url.endswith("/login")
        assert browser.post(f"{s.url}/login", data={"token": "nope"}).status_code == 401
        assert browser.post(f"{s.url}/login", data={"token": "s3cret"}).status_code == 200
        assert browser.get(f"{s.url}/", headers=HTML).url.endswith("/")


def test_serve_refuses_to_listen_beyond_loopback_without_a_token(tmp_path, store_path, capsys):
    from kg import cli

    assert cli.main(["serve", "--store", str(store_path), "--host", "0.0.0.0"]) == 2
    err = capsys.readouterr().err
    assert "--token" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert cli.main(["serve", "--store", str(tmp_path / "none")]) == 2
    assert "no store" in capsys.readouterr().err
    assert cli.main(["serve", "--store", "http://127.0.0.1:1"]) == 2  # a server nobody runs: before listening
    assert "cannot reach the SPARQL endpoint" in capsys.readouterr().err


def test_serve_with_two_worker_processes_answers_from_both_with_the_same_page(store_path):
    """`kg serve --workers 2`: two uvicorn processes share the port, each with its own reader and cache."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    port = _free_port()
    kg = str(Path(sys.executable).with_name("kg"))
    server = subprocess.Popen([kg, "serve", "--store", str(store_path), "--port", str(port), "--workers", "2"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=dict(os.environ))
    try:
        url = f"http://127.0.0.1:{port}/api/queries/actors"
        for _ in range(300):
            try:
                first = requests.get(url, params={"limit": 2}, timeout=5)
                break
            except requests.ConnectionError:
                assert server.poll() is None, server.stderr.read().decode()[-500:]
                time.sleep(0.1)
        else:
            pytest.fail("kg serve --workers 2 did not start")
        answers = [requests.get(url, params={"limit": 2}, timeout=5) for _ in range(8)]
        assert {a.status_code for a in answers} == {200}
        assert {a.text for a in answers} == {first.text} and int(first.headers["X-Total-Count"]) >= 2
        children = subprocess.run(["ps", "-ww", "--ppid", str(server.pid), "-o", "args="], capture_output=True,
                                  text=True)
        workers = [line for line in children.stdout.splitlines() if "multiprocessing.spawn" in line]
        assert len(workers) == 2  # the workers, under uvicorn's process manager
    finally:
        server.terminate()
        server.wait(20)


# --- in a browser: headless Chromium (Debian's chromium and chromium-driver) -----------------------------------


def _screen(browser, name: str) -> None:
    """With KG_SCREENS=DIR (or KG_SCREENS=1: out/screens), save the page as DIR/NAME.png."""
    import os
    from pathlib import Path

    where = os.environ.get("KG_SCREENS")
    if where:
        folder = Path("out/screens" if where == "1" else where)
        folder.mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(folder / f"{name}.png"))


def _wait(browser, condition, seconds: float = 10):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, seconds).until(lambda b: condition(b))


def test_in_a_browser_search_open_an_actor_follow_a_statement_and_run_a_saved_query(server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get_log("browser")  # what earlier tests left in the log
    browser.get(server.url + "/")
    _screen(browser, "home")
    box = browser.find_element(By.CSS_SELECTOR, ".big-search input[name=q]")
    box.send_keys("merk", Keys.ENTER)
    _wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "ul.found a"))
    _screen(browser, "search")
    browser.find_element(By.CSS_SELECTOR, 'ul.found a[href="/actor/Q567"]').click()
    _wait(browser, lambda b: b.current_url.endswith("/actor/Q567"))
    # the network is drawn by cytoscape.js, served by kg itself (no CDN)
    rendered = _wait(browser, lambda b: b.find_element(By.ID, "network").get_attribute("data-rendered"))
    assert int(rendered) >= 2
    assert browser.find_elements(By.CSS_SELECTOR, "#network canvas")
    _screen(browser, "actor")
    link = browser.find_element(By.CSS_SELECTOR, "#positions td.col-text a")
    expected = link.text
    link.click()
    _wait(browser, lambda b: "/article/modes.txt#st-" in b.current_url)
    focused = _wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "article.text .focus"))
    assert "".join(e.text for e in focused).strip() == expected.strip()
    _screen(browser, "article")
    browser.get(server.url + "/queries/positions")
    field = browser.find_element(By.CSS_SELECTOR, "form.query-form input[name=actor]")
    field.send_keys("Angela Merkel")
    browser.find_element(By.CSS_SELECTOR, "form.query-form button").click()
    rows = _wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, ".results tbody tr"))
    assert len(rows) == 7
    _screen(browser, "query")
    browser.get(server.url + "/conflicts")
    _screen(browser, "conflicts")
    # the pages ran no script and applied no style that the Content-Security-Policy refused
    assert not [e for e in browser.get_log("browser") if "Content Security Policy" in e["message"]]


def test_in_a_browser_hostile_markup_runs_no_script(server, browser):
    from selenium.webdriver.common.by import By

    browser.get(f"{server.url}/article/{quote('hostile <b>1</b>.txt', safe='')}")
    assert '<script>alert("text")</script>' in browser.find_element(By.ID, "text").text
    assert browser.execute_script("return document.querySelectorAll('article script, article img').length") == 0
    # an alert would have left a dialog open; the page answers scripts, so there is none
    assert browser.execute_script("return 1") == 1


@pytest.mark.parametrize("kind", ["embedded", "remote"])
def test_pages_are_kept_until_the_store_changes_and_a_build_can_write_meanwhile(kind, tmp_path, modes_extraction):
    """The server holds no lock: a build writes while it serves, and the next snapshot shows the new article
    (and forgets the pages kept from the old one). A remote store is watched through its totals."""
    from dataclasses import replace

    from kg.rdf import article_graph
    from kg.serve.app import create_app
    from kg.store import open_store

    base = Config().base_iri
    if kind == "embedded":
        path, oxigraph = str(tmp_path / "store"), None
    else:
        from test_remote_store import Server as Oxigraph

        oxigraph = Oxigraph(tmp_path / "oxigraph").start()
        path = oxigraph.url
    try:
        with open_store(path) as s:
            s.ensure_ontology(resources.ontology())
            s.write_articles([article_graph(modes_extraction, base_iri=base, content_hash="0" * 64)])
        with Server(create_app(path, base_iri=base)) as server:
            ask = lambda: requests.get(f"{server.url}/api/queries/articles", params={"limit": 10})  # noqa: E731
            first, again = ask(), ask()
            assert (first.headers["X-KG-Cache"], again.headers["X-KG-Cache"]) == ("miss", "hit")
            assert first.headers["X-Total-Count"] == "1"
            other = replace(modes_extraction, article=replace(modes_extraction.article, id="modes-2.txt"))
            with open_store(path, create=False) as s:  # a build, while the server reads
                s.write_articles([article_graph(other, base_iri=base, content_hash="1" * 64)])
            deadline = time.monotonic() + 10
            while ask().headers["X-Total-Count"] != "2" and time.monotonic() < deadline:
                time.sleep(0.3)
            assert ask().headers["X-Total-Count"] == "2"
    finally:
        if oxigraph is not None:
            oxigraph.stop()


def test_a_whole_api_answer_over_the_row_cap_is_an_error_and_every_answer_has_the_security_headers(store_path):
    from kg.serve.app import create_app

    with Server(create_app(str(store_path), base_iri=Config().base_iri, max_rows=3)) as s:
        whole = requests.get(f"{s.url}/api/queries/positions", params={"actor": "Merkel"})
        assert whole.status_code == 400 and "more than the server's cap of 3" in whole.json()["error"]
        page = requests.get(f"{s.url}/api/queries/positions", params={"actor": "Merkel", "limit": 3})
        assert page.status_code == 200 and page.headers["X-Total-Count"] == "7"
        for r in (page, whole, requests.get(f"{s.url}/sparql", params={"query": COUNT, "format": "xml"})):
            assert r.headers["X-Content-Type-Options"] == "nosniff"
            assert "default-src 'self'" in r.headers["Content-Security-Policy"]
