"""kg graph: the network around an actor or a topic as SVG (Graphviz or kg's own layout) and as a standalone HTML
page, over a real on-disk store of hand-built extractions (no spaCy), one of them with a hostile label."""
from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

import kg.cli
from kg import network
from kg.config import Config
from kg.model import Article, Entity, Extraction, Mention, Relation, Span, Statement
from kg.store import EmbeddedStore

BASE = Config().base_iri
HOSTILE = '<script>alert("x")</script> & Jo "Smith" ]]>\x01'
SENTENCES = [
    "Angela Merkel met Emmanuel Macron in Berlin.",
    "Macron backed the ceasefire plan.",
    "<script>alert(1)</script> Jo Smith opposed the ceasefire plan.",
    'Merkel said: "Macron is right."',
    "Jo Smith criticized Merkel.",
    "Merkel hosted Jo Smith.",
]


def _politics() -> Extraction:
    """Merkel meets Macron, hosts Smith and speaks for Macron; Smith opposes Merkel; Macron backs the ceasefire plan
    and Smith (whose label is hostile markup) opposes it; Berlin is mentioned and nothing more."""
    text = " ".join(SENTENCES)
    starts = [text.index(s) for s in SENTENCES]
    sentences = [Span(b, b + len(s), s) for b, s in zip(starts, SENTENCES)]

    def span(n: int, part: str) -> Span:
        at = starts[n] + SENTENCES[n].index(part)
        return Span(at, at + len(part), part)

    def mentions(*where) -> tuple:
        return tuple(Mention(span(n, part), sentences[n]) for n, part in where)
    merkel = Entity("e1", "Angela Merkel", "Person", mentions((0, "Angela Merkel"), (3, "Merkel"), (4, "Merkel"),
                                                               (5, "Merkel")), qid="Q567", link_score=0.9,
                    link_method="test")
    macron = Entity("e2", "Emmanuel Macron", "Person", mentions((0, "Emmanuel Macron"), (1, "Macron"), (3, "Macron")))
    smith = Entity("e3", HOSTILE, "Person", mentions((2, "Jo Smith"), (4, "Jo Smith"), (5, "Jo Smith")))
    berlin = Entity("e4", "Berlin", "Place", mentions((0, "Berlin")))

    def relation(rid, kind, subject, n, obj=None, topic=None):
        return Relation(rid, kind, subject, sentences[n], sentences[n], object=obj, object_topic=topic, rule="test",
                        confidence=0.9)
    relations = (relation("r1", "meets", "e1", 0, obj="e2"),
                 relation("r2", "supports", "e2", 1, topic="the ceasefire plan"),
                 relation("r3", "opposes", "e3", 2, topic="the ceasefire plan"),
                 relation("r4", "opposes", "e3", 4, obj="e1"),
                 relation("r5", "hosts", "e1", 5, obj="e3"))
    statement = Statement("s1", span(3, "Macron is right."), "direct", sentences[3], speaker="e1",
                          speaker_mention=span(3, "Merkel"), cue=span(3, "said"), cue_lemma="say", stance="support",
                          about=("e2",), rule="test", confidence=0.9)
    article = Article("politics.txt", text, (0, len(text)), published="2018-09-12T10:00")
    return Extraction(article, tuple(sentences), (merkel, macron, smith, berlin), (statement,), relations)


@pytest.fixture(scope="module")
def store_path(tmp_path_factory, modes_extraction):
    from kg import resources
    from kg.rdf import article_graph

    path = tmp_path_factory.mktemp("graph") / "store"
    with EmbeddedStore(path) as s:
        s.ensure_ontology(resources.ontology())
        s.write_articles([article_graph(x, base_iri=BASE, content_hash="0" * 64)
                          for x in (modes_extraction, _politics())])
    return path


@pytest.fixture
def store(store_path):
    from kg.store import open_reader

    s = open_reader(store_path)
    yield s
    s.close()


def run(args: list[str], capsys) -> tuple[int, str, str]:
    code = kg.cli.main(args)
    out, err = capsys.readouterr()
    return code, out, err


def links(net: network.Network) -> set[tuple[str, str, str]]:
    label = {n["data"]["id"]: n["data"]["label"] for n in net.nodes}
    return {(label[e["data"]["source"]], e["data"]["label"], label[e["data"]["target"]]) for e in net.edges}


def svg_text(svg: str) -> str:
    return " ".join("".join(e.itertext()) for e in ElementTree.fromstring(svg.encode("utf-8")).iter())


# --- the network ------------------------------------------------------------------------------------------------

def test_an_actors_network_has_its_relations_and_the_sides_taken_on_it(store):
    net = network.around_actor(store, "merkel", base_iri=BASE)
    smith = HOSTILE
    assert links(net) == {("Angela Merkel", "meets", "Emmanuel Macron"),
                          ("Angela Merkel", "supports", "Emmanuel Macron"),
                          ("Angela Merkel", "hosts", smith), (smith, "opposes", "Angela Merkel")}
    assert [n["data"]["label"] for n in net.nodes if n["data"]["focus"]] == ["Angela Merkel"]
    assert net.notes == ["actor 'merkel' is Angela Merkel (Q567, 2 articles)"]
    # a Wikidata id and a mention form pick the same actor
    assert links(network.around_actor(store, "Q567", base_iri=BASE)) == links(net)


def test_a_topic_network_has_who_supports_and_who_opposes_it(store):
    net = network.around_topic(store, "Ceasefire", base_iri=BASE)
    assert links(net) == {("Emmanuel Macron", "supports", "the ceasefire plan"),
                          (HOSTILE, "opposes", "the ceasefire plan")}
    assert [(n["data"]["label"], n["data"]["type"]) for n in net.nodes if n["data"]["focus"]] == \
        [("the ceasefire plan", "Topic")]
    # from a word on, as kg query supporters matches topics: 'cease' is no word of it
    with pytest.raises(kg.errors.QueryError, match="no actor takes a side on a topic that contains 'cease'"):
        network.around_topic(store, "cease", base_iri=BASE)
    # depth 2: the networks of those who take a side too
    deeper = network.around_topic(store, "ceasefire plan", base_iri=BASE, depth=2)
    assert links(net) < links(deeper) and (HOSTILE, "opposes", "Angela Merkel") in links(deeper)


def test_depth_two_adds_the_neighbours_networks(store):
    one, two = (links(network.around_actor(store, "Macron", base_iri=BASE, depth=d)) for d in (1, 2))
    assert one == {("Angela Merkel", "meets", "Emmanuel Macron"), ("Angela Merkel", "supports", "Emmanuel Macron")}
    assert two == one | {("Angela Merkel", "hosts", HOSTILE), (HOSTILE, "opposes", "Angela Merkel")}


# --- SVG ----------------------------------------------------------------------------------------------------------

def test_kgs_own_svg_parses_as_xml_with_every_label_escaped(store):
    net = network.around_actor(store, "Angela Merkel", base_iri=BASE)
    svg, how = network.to_svg(net, graphviz=None)
    assert how == "kg's own layout"
    root = ElementTree.fromstring(svg.encode("utf-8"))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    text = svg_text(svg)
    for label in ("Angela Merkel", "Emmanuel Macron", "meets", "hosts", "supports", "opposes"):
        assert label in text
    assert HOSTILE.replace("\x01", "\ufffd") in text  # the control character XML cannot hold is replaced
    assert "<script" not in svg and "&lt;script&gt;" in svg
    # one circle per node, one arc (with an arrowhead) per edge
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert len(root.findall(".//s:circle", ns)) == len(net.nodes) == 3
    paths = root.findall(".//s:g[@class='edges']/s:path", ns)
    assert len(paths) == len(net.edges) == 4 and all(p.get("marker-end", "").startswith("url(#arrow-") for p in paths)
    colours = {p.get("stroke") for p in paths}
    assert {"#2e7d32", "#c62828"} <= colours  # supports green, opposes red, as in kg serve
    # the two edges between Merkel and Macron bend apart instead of lying on each other
    pair = [p.get("d") for p in paths if "Emmanuel Macron" in "".join(p.itertext())]
    assert len(pair) == 2 and pair[0] != pair[1]


@pytest.mark.skipif(not shutil.which("dot"), reason="Graphviz is not installed (Debian package graphviz)")
def test_graphviz_svg_parses_as_xml_with_every_label_escaped(store):
    net = network.around_actor(store, "Angela Merkel", base_iri=BASE)
    svg, how = network.to_svg(net)
    assert how == "graphviz twopi"
    text = svg_text(svg)
    for label in ("Angela Merkel", "Emmanuel Macron", "meets", "relations of Angela Merkel"):
        assert label in text
    assert HOSTILE.replace("\x01", "\ufffd") in text and "<script" not in svg


def test_a_graphviz_that_fails_gives_kgs_own_picture(store, tmp_path):
    fake = tmp_path / "dot"
    fake.write_text("#!/bin/sh\necho '<svg' ; exit 0\n")
    fake.chmod(0o755)
    net = network.around_actor(store, "Angela Merkel", base_iri=BASE)
    svg, how = network.to_svg(net, graphviz=str(fake))
    assert how == "kg's own layout" and "Emmanuel Macron" in svg_text(svg)


def test_kg_graph_writes_an_svg(store_path, tmp_path, capsys):
    out = tmp_path / "pictures" / "net.svg"
    code, stdout, err = run(["graph", "--actor", "Merkel", "--output", str(out), "--store", str(store_path)], capsys)
    assert code == 0 and stdout == ""
    assert "Emmanuel Macron" in svg_text(out.read_text(encoding="utf-8"))
    assert err.splitlines()[0] == "kg: actor 'Merkel' is Angela Merkel (Q567, 2 articles)"
    assert re.match(r"wrote .*net\.svg: relations of Angela Merkel, 3 actor\(s\) and 4 link\(s\) \(",
                    err.splitlines()[1])
    # without --output, the SVG goes to standard output
    code, stdout, _ = run(["graph", "--topic", "ceasefire", "--store", str(store_path)], capsys)
    assert code == 0 and "the ceasefire plan" in svg_text(stdout)


# --- HTML ---------------------------------------------------------------------------------------------------------

def _scripts(page: str) -> list[tuple[str, str]]:
    return re.findall(r"<script([^>]*)>(.*?)</script>", page, re.DOTALL)


def test_the_html_page_inlines_cytoscape_and_the_data_and_no_label_is_markup(store_path, tmp_path, capsys):
    out = tmp_path / "net.html"
    code, _, err = run(["graph", "--actor", "Q567", "--output", str(out), "--store", str(store_path)], capsys)
    assert code == 0 and "(cytoscape.js)" in err
    page = out.read_text(encoding="utf-8")
    library = (Path(kg.__file__).parent / "serve" / "static" / "vendor" / network.LIBRARY).read_text(encoding="utf-8")
    scripts = _scripts(page)
    assert page.count("<script") == 3 and len(scripts) == 3  # the data, the library, the drawing: nothing else
    (data_attrs, data), (_, inlined), (_, draw) = scripts
    assert 'type="application/json"' in data_attrs and inlined == library and "cytoscape(" in draw
    graph = json.loads(data)
    assert {n["data"]["label"] for n in graph["nodes"]} == {"Angela Merkel", "Emmanuel Macron", HOSTILE}
    assert {e["data"]["label"] for e in graph["edges"]} == {"meets", "supports", "hosts", "opposes"}
    assert not re.search(r"[<>&]", data)  # escaped as \u003c ...: no label can end the element
    assert "alert(" not in page.replace(data, "").replace(library, "")  # the hostile label is in the data only
    # the page runs only its own scripts: the Content-Security-Policy names their hashes
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1)
    for source in (inlined, draw):
        digest = base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert "default-src 'none'" in csp and "unsafe" not in csp


def test_the_html_page_draws_the_network_offline_from_disk(store, tmp_path, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    page = tmp_path / "net.html"
    network.write(network.to_html(network.around_actor(store, "Merkel", base_iri=BASE)).encode("utf-8"), page)
    browser.get(page.as_uri())
    rendered = WebDriverWait(browser, 15).until(
        lambda b: b.find_element(By.ID, "network").get_attribute("data-rendered"))
    assert rendered == "3" and browser.find_elements(By.CSS_SELECTOR, "#network canvas")
    assert browser.title == "kg: relations of Angela Merkel"
    # the hostile label is drawn as text on the canvas: no element made of it, no alert (which would fail here)
    assert browser.execute_script("return document.querySelectorAll('script').length") == 3
    # and the Content-Security-Policy blocked nothing the page does
    assert not [e for e in browser.get_log("browser") if "Content Security Policy" in e["message"]]


# --- errors: one line, exit 2, nothing written ----------------------------------------------------------------------

@pytest.mark.parametrize("args, message", [
    (["--actor", "Angela Merkl"], "[E040] no actor in the store is called 'Angela Merkl'; did you mean Angela Merkel "
                                  "(Q567, 2 articles)?"),
    (["--actor", "Q42"], "[E040] Q42 is no actor of the store; 'kg query actors' lists them"),
    (["--actor", "Berlin"], "[E040] Berlin has no links to draw: no relation to another actor"),
    (["--topic", "armistice"], "[E040] no actor takes a side on a topic that contains 'armistice'"),
    (["--topic", "..."], "[E040] --topic '...' has no word in it"),
    (["--actor", "Merkel", "--depth", "4"], "[E040] --depth 4 is out of range"),
    (["--actor", "Merkel", "--output", "net.png"], "[E050] kg graph writes .svg or .html, not .png"),
])
def test_errors_are_one_line_and_write_nothing(store_path, tmp_path, monkeypatch, capsys, args, message):
    monkeypatch.chdir(tmp_path)
    if "--output" not in args:
        args = args + ["--output", "net.svg"]
    code, out, err = run(["graph", *args, "--store", str(store_path)], capsys)
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and err.startswith("kg: error: " + message)
    assert list(tmp_path.iterdir()) == []


def test_a_misspelt_name_gets_the_same_error_as_in_a_saved_query(store_path, capsys):
    _, _, graph_err = run(["graph", "--actor", "Emanuel Macron", "--store", str(store_path)], capsys)
    _, _, query_err = run(["query", "positions", "--param", "actor=Emanuel Macron", "--store", str(store_path)], capsys)
    assert graph_err == query_err and "did you mean Emmanuel Macron" in graph_err


def test_a_wrong_suffix_is_reported_before_the_store_is_opened(tmp_path, capsys):
    code, _, err = run(["graph", "--actor", "Merkel", "--output", "net.pdf", "--store", str(tmp_path / "none")],
                       capsys)
    assert code == 2 and "[E050] kg graph writes .svg or .html, not .pdf" in err
    assert not (tmp_path / "none").exists()


@pytest.mark.parametrize("where", ["a file/net.svg", "a folder.svg"])
def test_an_unwritable_output_is_one_line_and_leaves_nothing_behind(store_path, tmp_path, capsys, where):
    (tmp_path / "a file").write_text("not a folder")
    (tmp_path / "a folder.svg").mkdir()
    before = sorted(p.name for p in tmp_path.rglob("*"))
    code, out, err = run(["graph", "--actor", "Merkel", "--output", str(tmp_path / where), "--store",
                          str(store_path)], capsys)
    assert code == 2 and out == ""
    assert err.splitlines()[-1].startswith(f"kg: error: [E050] cannot write {tmp_path / where}: ")
    assert len([line for line in err.splitlines() if "error" in line]) == 1
    assert sorted(p.name for p in tmp_path.rglob("*")) == before  # no part-written file, no temporary one


def test_an_old_picture_stays_whole_when_the_new_one_cannot_be_written(tmp_path, monkeypatch):
    out = tmp_path / "net.svg"
    out.write_text("old")
    real = Path.write_bytes

    def full(self, data):  # a disk that fills up half-way through the file
        real(self, data[:3])
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(Path, "write_bytes", full)
    with pytest.raises(kg.errors.ExportError, match="No space left on device"):
        network.write(b"<svg/>", out)
    monkeypatch.undo()
    assert out.read_text() == "old" and sorted(p.name for p in tmp_path.iterdir()) == ["net.svg"]
