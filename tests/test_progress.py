"""Progress bars of the long commands (kg/progress.py): a bar with a rate and an ETA on a terminal, nothing at all
when standard error is a file or a pipe. The commands run in-process, their standard error captured (no terminal)
or replaced by a stand-in terminal."""
from __future__ import annotations

import gzip
import io
import json
import re
import sys

import pytest
from werkzeug import Response

import kg.cli
from kg import progress
from kg.config import Config
from kg.link.kb import KbEntity, KnowledgeBase

class Terminal(io.StringIO):
    """Standard error as a terminal would be: what tqdm writes to it is kept."""

    def isatty(self) -> bool:
        super().isatty()  # a closed one raises, as a closed file does
        return True


# --- the helper -------------------------------------------------------------------------------------------------

def test_on_a_terminal_a_bar_shows_the_count_the_rate_and_the_eta():
    term = Terminal()
    with progress.bar(40, desc="kg test", unit=" article", file=term) as bar:
        for _ in range(40):
            bar.update(1)
    out = term.getvalue()
    assert "kg test: 100%" in out and "40/40" in out
    assert re.search(r"\[\d\d:\d\d<\d\d:\d\d, +[\d.]+ ?article/s\]", out), out  # elapsed<remaining, rate


def test_with_no_total_a_bar_shows_the_count_and_the_rate_without_an_eta():
    term = Terminal()
    items = list(progress.track(range(7), desc="kg test", unit=" entity", file=term))
    out = term.getvalue()
    assert items == list(range(7))
    assert re.search(r"kg test: 7 entity \[\d\d:\d\d, +[\d.]+ ?entity/s\]", out), out
    assert "<" not in out and "%" not in out


def test_bytes_are_counted_in_kilobytes_and_megabytes():
    term = Terminal()
    with progress.bar(3_000_000, desc="kg kb import", unit="B", unit_scale=True, file=term) as bar:
        bar.update(3_000_000)
    assert re.search(r"3\.00M/3\.00M \[.*B/s\]", term.getvalue()), term.getvalue()


@pytest.mark.parametrize("stream, enabled", [(io.StringIO(), True), (Terminal(), False)])
def test_off_a_terminal_or_when_not_wanted_nothing_is_written(stream, enabled):
    with progress.bar(5, desc="kg test", file=stream, enabled=enabled) as bar:
        bar.update(2)
        bar.update(3)
        bar.set_postfix_str("more")
    assert isinstance(bar, progress.Quiet) and bar.n == 5
    assert stream.getvalue() == ""
    assert list(progress.track("abc", desc="kg test", file=stream, enabled=enabled)) == ["a", "b", "c"]
    assert stream.getvalue() == ""


def test_a_closed_or_missing_stream_is_no_terminal():
    closed = Terminal()
    closed.close()
    assert not progress.shown(closed) and not progress.shown(object())


# --- the commands -----------------------------------------------------------------------------------------------

def _dump(path):
    entity = {"type": "item", "id": "Q311269", "labels": {"en": {"language": "en", "value": "John Bolton"}},
              "claims": {"P31": [{"mainsnak": {"snaktype": "value", "property": "P31", "datavalue": {
                  "value": {"entity-type": "item", "id": "Q5"}, "type": "wikibase-entityid"}}, "rank": "normal"}]}}
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write("[\n" + json.dumps(entity) + "\n]\n")
    return path


def test_kb_import_prints_no_bar_off_a_terminal_and_one_on_it(tmp_path, capsys, monkeypatch):
    dump = _dump(tmp_path / "latest-all.json.gz")
    assert kg.cli.main(["kb", "import", str(dump), "--kb", str(tmp_path / "kb.sqlite")]) == 0
    out, err = capsys.readouterr()
    assert "imported 1 entities" in out and err == ""
    term = Terminal()
    monkeypatch.setattr(sys, "stderr", term)
    assert kg.cli.main(["kb", "import", str(dump), "--kb", str(tmp_path / "kb.sqlite")]) == 0
    assert "kg kb import: 100%" in term.getvalue() and "B/s]" in term.getvalue()
    term.seek(0)
    term.truncate()
    assert kg.cli.main(["kb", "import", str(dump), "--kb", str(tmp_path / "kb.sqlite"), "--quiet"]) == 0
    assert term.getvalue() == ""


def test_kb_build_sparql_prints_no_bar_off_a_terminal_and_one_on_it(tmp_path, capsys, monkeypatch, httpserver):
    wd = "http://www.wikidata.org/entity/"
    rows = [{"item": {"type": "uri", "value": wd + q}, "itemLabel": {"type": "literal", "value": label}}
            for q, label in (("Q311269", "John Bolton"), ("Q567", "Angela Merkel"))]
    answer = {"head": {"vars": ["item", "itemLabel"]}, "results": {"bindings": rows}}
    httpserver.expect_request("/sparql").respond_with_handler(
        lambda r: Response(json.dumps(answer), content_type="application/sparql-results+json"))
    query = tmp_path / "q.rq"
    query.write_text("SELECT ?item ?itemLabel WHERE { ?item ?p ?o } ORDER BY ?item\n")
    args = ["kb", "build", "--sparql", "--endpoint", httpserver.url_for("/sparql"), "--query", str(query),
            "--kb", str(tmp_path / "kb.sqlite")]
    assert kg.cli.main(args) == 0
    out, err = capsys.readouterr()
    assert "added 2 entities" in out and err == ""
    term = Terminal()
    monkeypatch.setattr(sys, "stderr", term)
    assert kg.cli.main(args) == 0
    assert re.search(r"kg kb build: 2 entity \[.*entity/s\]", term.getvalue()), term.getvalue()


@pytest.fixture
def linked_store(tmp_path, modes_extraction, monkeypatch):
    """A store in which Angela Merkel (Q567) is linked, and a knowledge base that knows her."""
    from kg import resources
    from kg.rdf import article_graph
    from kg.store import EmbeddedStore

    path = tmp_path / "store"
    with EmbeddedStore(path) as s:
        s.ensure_ontology(resources.ontology())
        s.write_articles([article_graph(modes_extraction, base_iri=Config().base_iri, content_hash="0" * 64)])
    kb = tmp_path / "kb.sqlite"
    with KnowledgeBase(kb) as base:
        base.add([KbEntity("Q567", "Angela Merkel", "German politician", kind="Person", types=("Q5",),
                           countries=("Q183",), source="test")])
    monkeypatch.setenv("KG_KB", str(kb))
    return path


def test_enrich_prints_no_bar_off_a_terminal_and_one_on_it(linked_store, capsys, monkeypatch):
    assert kg.cli.main(["enrich", "--store", str(linked_store)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("enriched 1 linked actor(s)") and err == ""
    term = Terminal()
    monkeypatch.setattr(sys, "stderr", term)
    assert kg.cli.main(["enrich", "--store", str(linked_store)]) == 0
    assert re.search(r"kg enrich: 100%.*1/1 \[\d\d:\d\d<\d\d:\d\d, .*actor/s\]", term.getvalue()), term.getvalue()


def test_build_prints_no_bar_off_a_terminal_and_one_with_its_total_on_it(tmp_path, capsys, monkeypatch, nlp_ready):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Iran said on Tuesday that it opposes the offensive.\n", encoding="utf-8")
    (folder / "b.jsonl").write_text(json.dumps({"id": "b1", "text": "Russia backed the campaign."}) + "\n" +
                                    json.dumps({"id": "b2", "text": "Turkey warned against the attack."}) + "\n",
                                    encoding="utf-8")
    args = ["build", str(folder), "--store", str(tmp_path / "store"), "--workers", "1"]
    assert kg.cli.main(args) == 0
    out, err = capsys.readouterr()
    assert out.startswith("stored 3 article(s)") and err == ""
    term = Terminal()
    monkeypatch.setattr(sys, "stderr", term)
    assert kg.cli.main(args + ["--force"]) == 0
    assert re.search(r"kg build: 100%.*3/3 \[\d\d:\d\d<\d\d:\d\d, .*article/s\]", term.getvalue()), term.getvalue()
