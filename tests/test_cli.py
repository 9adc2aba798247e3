"""The ``kg`` command as a user runs it: real subprocesses, a real on-disk store, exit codes and one-line errors.

spaCy is loaded by at most one subprocess here (the build in the ``built`` fixture); the in-process rebuild
uses the session's ``nlp_ready`` pipeline. Every other command runs without parsing, so its subprocess is cheap,
and several tests also check that such commands never import spaCy.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest

import kg.cli
from kg.config import Config
from kg.queries import saved_queries
from kg.rdf.iris import article_iri

BASE = Config().base_iri
A_IRI = article_iri(BASE, "a.txt")
B_IRI = article_iri(BASE, "b1")

A_TEXT = ("News ID: 1\n"
          "Publish Date: 11 September 2018 - 22:25\n"
          "Iran said on Tuesday that it opposes the offensive. Russia backed the campaign in Idlib.\n"
          "\n"
          "* Comment:\n")
A_OLD_SENTENCE = "Russia backed the campaign in Idlib."
A_NEW_SENTENCE = "Turkey condemned the strikes on Afrin."
B_LINE = json.dumps({"id": "b1", "text": "Turkey warned against the attack. "
                                         "John Bolton said the response would be much stronger."})
BROKEN_LINE = '{"id": "b2", "text": "Russia said'
BAD_SOURCES = ["in/b.jsonl:2", "in/binary.txt", "in/empty.txt", "in/latin.txt"]


# --- running kg -------------------------------------------------------------------------------------------

@dataclass
class Run:
    code: int
    out: str
    err: str
    spacy_imported: bool | None = None

    @property
    def err_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.strip()]


def kg_run(args: list[str], cwd: Path, env: dict | None = None) -> Run:
    """``python -m kg ARGS`` in ``cwd``."""
    p = subprocess.run([sys.executable, "-m", "kg", *args], cwd=cwd, capture_output=True, text=True, env=env,
                       timeout=300)
    return Run(p.returncode, p.stdout, p.stderr)


PROBE = textwrap.dedent("""
    import json, sys
    import kg.cli
    try:
        code = kg.cli.main(json.loads(sys.argv[1]))
    finally:
        with open(sys.argv[2], "w") as fh:
            fh.write(str("spacy" in sys.modules))
    sys.exit(code)
""")


def kg_probe(args: list[str], cwd: Path) -> Run:
    """Like :func:`kg_run`, through ``kg.cli.main``, and also tells whether spaCy got imported."""
    flag = cwd / ".spacy-imported"
    p = subprocess.run([sys.executable, "-c", PROBE, json.dumps(args), str(flag)], cwd=cwd, capture_output=True,
                       text=True, timeout=300)
    imported = flag.read_text() == "True" if flag.exists() else None
    flag.unlink(missing_ok=True)
    return Run(p.returncode, p.stdout, p.stderr, imported)


def assert_one_line_error(run: Run, code: int = 2, *, mentions: str = "") -> str:
    assert run.code == code, (run.code, run.out, run.err)
    assert "Traceback" not in run.err
    assert len(run.err_lines) == 1, run.err
    line = run.err_lines[0]
    assert line.startswith("kg: "), line
    if mentions:
        assert re.search(mentions, line, re.IGNORECASE), line
    return line


def stats(cwd: Path, store: str = "kg-store") -> dict[str, int]:
    run = kg_run(["stats", "--store", store], cwd)
    assert run.code == 0, run.err
    return {name: int(value) for name, value in (line.split() for line in run.out.splitlines() if line.strip())}


def nquads(cwd: Path, store: str = "kg-store") -> list[str]:
    run = kg_run(["export", "--format", "nquads", "--store", store], cwd)
    assert run.code == 0, run.err
    return [line for line in run.out.splitlines() if line.strip()]


def in_graph(lines: list[str], iri: str) -> set[str]:
    return {line for line in lines if line.rstrip().endswith(f"<{iri}> .")}


def anchor(text: str) -> str:
    return f'<http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#anchorOf> "{text}"'


# --- fixtures ---------------------------------------------------------------------------------------------

def write_inputs(folder: Path) -> None:
    folder.mkdir(parents=True)
    (folder / "a.txt").write_text(A_TEXT, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01")
    (folder / "latin.txt").write_bytes("Genève: Iran said so.".encode("latin-1"))
    (folder / "b.jsonl").write_text(f"{B_LINE}\n{BROKEN_LINE}\n", encoding="utf-8")


@dataclass
class Built:
    workdir: Path
    run: Run
    stats: dict[str, int]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Built:
    """``kg build in --store kg-store`` run once, in a subprocess (the one spaCy load of this module)."""
    workdir = tmp_path_factory.mktemp("cli")
    write_inputs(workdir / "in")
    run = kg_run(["build", "in", "--store", "kg-store"], workdir)
    return Built(workdir, run, stats(workdir))


@pytest.fixture
def built_copy(built, tmp_path) -> Path:
    """A private copy of the built work folder (inputs and closed store) for tests that change it."""
    copy = tmp_path / "work"
    shutil.copytree(built.workdir, copy)
    return copy


@pytest.fixture
def empty_store(tmp_path) -> Path:
    """An existing, empty kg store made without spaCy."""
    from kg.store import EmbeddedStore

    EmbeddedStore(tmp_path / "kg-store").close()
    return tmp_path / "kg-store"


# --- help -------------------------------------------------------------------------------------------------

def _subcommands() -> list[str]:
    ap = kg.cli._parser()
    action = next(a for a in ap._actions if isinstance(a, argparse._SubParsersAction))
    return sorted(action.choices)


def test_top_level_help_has_an_example(capsys):
    with pytest.raises(SystemExit) as exit_:
        kg.cli.main(["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert "example:" in out
    for name in _subcommands():
        assert name in out


@pytest.mark.parametrize("name", _subcommands())
def test_subcommand_help_exits_0_with_a_working_example(name, capsys):
    with pytest.raises(SystemExit) as exit_:
        kg.cli.main([name, "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert "example:" in out
    example = re.search(rf"example: (kg {name}\b.*)", out)
    assert example, f"the example of 'kg {name}' does not show 'kg {name}':\n{out}"
    # the example, copied as it is shown, is a valid command line (a "  (...)" remark and shell redirections
    # or pipes after it left out)
    lexer = shlex.shlex(re.split(r"\s{2,}\(", example.group(1))[0], posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    words = list(lexer)
    cut = next((i for i, w in enumerate(words) if w in {">", ">>", "|", "&&", ";", "<"}), len(words))
    kg.cli._parser().parse_args(words[1:cut])


# --- build ------------------------------------------------------------------------------------------------

def test_build_skips_each_bad_input_with_one_line_and_stores_the_good(built):
    run = built.run
    assert run.code == 1, (run.out, run.err)
    assert "Traceback" not in run.err
    skipped = [line for line in run.err_lines if line.startswith("kg: skipped ")]
    assert skipped == run.err_lines, f"other output on stderr:\n{run.err}"
    for source in BAD_SOURCES:
        assert sum(line.startswith(f"kg: skipped {source}:") for line in skipped) == 1, (source, skipped)
    assert len(skipped) == len(BAD_SOURCES)
    assert re.search(r"\bstored 2 article", run.out), run.out
    assert built.stats["articles"] == 2
    assert built.stats["triples"] > 0


def test_rebuild_of_unchanged_articles_skips_them_without_spacy(built, built_copy):
    run = kg_probe(["build", "in", "--store", "kg-store", "--quiet"], built_copy)

    assert run.code == 1  # the bad inputs are still reported
    assert re.search(r"\b2 unchanged\b", run.out) and re.search(r"\bstored 0 article", run.out), run.out
    assert run.spacy_imported is False, "an unchanged rebuild loaded spaCy"
    assert stats(built_copy) == built.stats  # no duplicated triples


def test_rebuild_after_an_edit_replaces_that_articles_graph(built, built_copy, nlp_ready, capsys, monkeypatch):
    before = nquads(built_copy)
    assert any(anchor(A_OLD_SENTENCE) in line for line in before)
    source = built_copy / "in" / "a.txt"
    source.write_text(A_TEXT.replace(A_OLD_SENTENCE, A_NEW_SENTENCE), encoding="utf-8")
    monkeypatch.chdir(built_copy)

    code = kg.cli.main(["build", "in", "--store", "kg-store", "--quiet"])

    out = capsys.readouterr().out
    assert code == 1
    assert re.search(r"\bstored 1 article", out) and re.search(r"\b1 unchanged\b", out), out
    after = nquads(built_copy)
    assert not any(anchor(A_OLD_SENTENCE) in line for line in after), "the old text's triples are still there"
    assert any(anchor(A_NEW_SENTENCE) in line for line in after)
    assert in_graph(after, B_IRI) == in_graph(before, B_IRI)  # the other article is untouched
    assert stats(built_copy)["articles"] == 2


# --- remove -----------------------------------------------------------------------------------------------

def test_remove_takes_out_one_articles_graph(built, built_copy):
    before = nquads(built_copy)
    assert in_graph(before, A_IRI)

    run = kg_run(["remove", "a.txt", "--store", "kg-store"], built_copy)

    assert run.code == 0, run.err
    assert "a.txt" in run.out
    after_stats = stats(built_copy)
    assert after_stats["articles"] == 1
    assert after_stats["triples"] < built.stats["triples"]
    after = nquads(built_copy)
    assert in_graph(after, A_IRI) == set()
    assert in_graph(after, B_IRI) == in_graph(before, B_IRI)


def test_remove_of_an_unknown_article_is_a_one_line_error(built_copy):
    run = kg_run(["remove", "no-such-article.txt", "--store", "kg-store"], built_copy)
    assert_one_line_error(run, 2, mentions=r"no-such-article\.txt")
    assert stats(built_copy)["articles"] == 2


def test_remove_error_points_to_a_query_that_exists(empty_store):
    run = kg_run(["remove", "nope.txt", "--store", empty_store.name], empty_store.parent)
    line = assert_one_line_error(run, 2)
    hinted = re.findall(r"kg query (\w+)", line)
    assert all(name in saved_queries() for name in hinted), f"the hint names a query that does not exist: {line}"


# --- one-line errors --------------------------------------------------------------------------------------

ERRORS = {
    "unknown query": (["query", "nosuch"], r"nosuch"),
    "missing required param": (["query", "positions"], r"actor"),
    "unknown param": (["query", "actors", "--param", "colour=red"], r"colour"),
    "param without =": (["query", "positions", "--param", "actor"], r"KEY=VALUE|="),
    "no query name": (["query"], r"kg queries|--all"),
    "unknown export format": (["export", "--format", "xml"], r"xml"),
}


@pytest.mark.parametrize("case", ERRORS, ids=list(ERRORS))
def test_usage_errors_are_one_line_without_spacy(case, empty_store):
    args, mentions = ERRORS[case]
    run = kg_probe([*args, "--store", empty_store.name], empty_store.parent)
    assert_one_line_error(run, 2, mentions=mentions)
    assert run.out == ""
    assert run.spacy_imported is False


@pytest.mark.parametrize("args", [["query", "actors"], ["export"], ["export", "--format", "trig"], ["stats"],
                                  ["validate"], ["remove", "a.txt"]], ids=" ".join)
def test_commands_on_a_missing_store_fail_with_one_line_and_create_nothing(args, tmp_path):
    run = kg_probe([*args, "--store", "no-store-here"], tmp_path)
    assert_one_line_error(run, 2, mentions=r"no-store-here")
    assert not (tmp_path / "no-store-here").exists()
    assert run.spacy_imported is False


def test_read_commands_do_not_turn_a_plain_folder_into_a_store(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("Iran said so.")

    run = kg_run(["stats", "--store", "articles"], tmp_path)

    assert sorted(p.name for p in folder.iterdir()) == ["a.txt"], "kg wrote store files into a plain folder"
    assert_one_line_error(run, 2, mentions=r"articles")


def test_a_store_another_process_writes_is_a_one_line_error_for_a_writer_and_readable_for_a_reader(empty_store):
    holder = ox.Store(str(empty_store))
    try:
        write = kg_run(["remove", "a.txt", "--store", empty_store.name], empty_store.parent)
        read = kg_run(["stats", "--store", empty_store.name], empty_store.parent)
    finally:
        del holder
    assert_one_line_error(write, 2, mentions=r"another\b.*\bprocess")
    assert read.code == 0 and "articles    0" in read.out, (read.out, read.err)


@pytest.mark.parametrize("toml, mentions", [
    ("store = [\n", r"kg\.toml.*TOML|TOML.*kg\.toml"),
    ('colour = "red"\n', r"colour"),
    ('[kg]\nmax_bytes = "lots"\n', r"max_bytes"),
    ('online = "maybe"\n', r"online must be true or false"),
    ("batch_size = 0\n", r"batch_size must be a whole number of at least 1"),
    ("batch_size = -3\n", r"batch_size must be a whole number of at least 1"),
    ("store = 42\n", r"store must be a path"),
    ('base_iri = "not an iri"\n', r"base_iri must be an absolute IRI"),
], ids=["invalid TOML", "unknown key", "bad value", "not a boolean", "no batches", "negative batches",
        "store not a path", "base IRI not an IRI"])
def test_a_bad_kg_toml_is_a_one_line_error(tmp_path, empty_store, toml, mentions):
    (tmp_path / "kg.toml").write_text(toml, encoding="utf-8")
    run = kg_run(["stats", "--store", empty_store.name], tmp_path)
    assert_one_line_error(run, 2, mentions=mentions)


def test_an_invalid_base_iri_in_the_environment_is_a_one_line_error(tmp_path, empty_store):
    import os

    env = {**os.environ, "KG_BASE_IRI": "http://example.org/a b/"}
    run = kg_run(["build", "--store", empty_store.name, "in"], tmp_path, env=env)
    assert_one_line_error(run, 2, mentions=r"base_iri.*KG_BASE_IRI")


@pytest.mark.parametrize("text, online", [('"false"', False), ('"no"', False), ("false", False), ('"true"', True),
                                          ("true", True), ('"yes"', True)])
def test_online_written_as_text_in_kg_toml_means_what_it_says(tmp_path, text, online):
    """online = "false" once turned network lookups on: a non-empty string is true in Python."""
    from kg.config import load_config

    (tmp_path / "kg.toml").write_text(f"online = {text}\n", encoding="utf-8")
    assert load_config(tmp_path / "kg.toml").online is online


def test_a_missing_config_file_is_a_one_line_error(tmp_path, empty_store):
    run = kg_run(["stats", "--store", empty_store.name, "--config", "missing.toml"], tmp_path)
    assert_one_line_error(run, 2, mentions=r"missing\.toml")


def test_kg_toml_settings_are_used(built, tmp_path):
    (tmp_path / "kg.toml").write_text(f"[kg]\nstore = {json.dumps(str(built.workdir / 'kg-store'))}\n")
    run = kg_run(["stats"], tmp_path)
    assert run.code == 0, run.err
    assert f"articles    {built.stats['articles']}" in run.out


# --- reading the graph: queries, export, validate ---------------------------------------------------------

@pytest.mark.parametrize("args", [["queries"], ["query", "actors"], ["query", "actors", "--format", "json"],
                                  ["export"], ["export", "--format", "nquads"], ["stats"]], ids=" ".join)
def test_read_commands_succeed_without_importing_spacy(built, args):
    run = kg_probe([*args, "--store", "kg-store"] if args != ["queries"] else args, built.workdir)
    assert run.code == 0, run.err
    assert run.out.strip()
    assert run.spacy_imported is False


def test_query_results_in_the_w3c_formats(built):
    runs = {fmt: kg_run(["query", "actors", "--format", fmt, "--store", "kg-store"], built.workdir)
            for fmt in ("json", "csv", "tsv")}
    for fmt, run in runs.items():
        assert run.code == 0, (fmt, run.err)

    data = json.loads(runs["json"].out)
    variables = data["head"]["vars"]
    bindings = data["results"]["bindings"]
    assert "label" in variables
    assert bindings, "no actors in a store built from articles about Iran, Russia and Turkey"

    rows = list(csv.reader(io.StringIO(runs["csv"].out)))
    assert rows[0] == variables
    assert len(rows) - 1 == len(bindings)
    labels = [row[variables.index("label")] for row in rows[1:]]
    assert labels == [b["label"]["value"] if "label" in b else "" for b in bindings]

    tsv = runs["tsv"].out.splitlines()
    assert tsv[0].split("\t") == [f"?{v}" for v in variables]
    assert len(tsv) - 1 == len(bindings)


def test_query_table_format(built):
    run = kg_run(["query", "actors", "--store", "kg-store"], built.workdir)
    assert run.code == 0, run.err
    header = run.out.splitlines()[0].split()
    assert header[0] == "label"
    assert re.search(r"\(\d+ rows?\)", run.err)


def test_export_trig_to_a_new_folder_parses_as_trig(built, tmp_path):
    import rdflib

    out_file = built.workdir / "out" / "x.trig"
    shutil.rmtree(built.workdir / "out", ignore_errors=True)

    run = kg_run(["export", "--format", "trig", "--output", "out/x.trig", "--store", "kg-store"], built.workdir)

    assert run.code == 0, run.err
    assert run.out == ""
    assert out_file.is_file()
    dataset = rdflib.Dataset()
    dataset.parse(out_file, format="trig")
    graphs = {str(g.identifier) for g in dataset.graphs()}
    assert {A_IRI, B_IRI} <= graphs
    assert len(dataset) == len(nquads(built.workdir))


def test_export_jsonld_parses_as_json_with_the_same_quads(built):
    import rdflib

    run = kg_run(["export", "--format", "jsonld", "--store", "kg-store"], built.workdir)

    assert run.code == 0, run.err
    doc = json.loads(run.out)
    assert doc
    assert A_IRI in run.out and B_IRI in run.out
    dataset = rdflib.Dataset()
    dataset.parse(data=run.out, format="json-ld")
    assert len(dataset) == len(nquads(built.workdir))


def test_export_turtle_parses(built):
    import rdflib

    run = kg_run(["export", "--store", "kg-store"], built.workdir)
    assert run.code == 0, run.err
    graph = rdflib.Graph().parse(data=run.out, format="turtle")
    assert len(graph) > 0


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full, a device that is always full")
@pytest.mark.parametrize("args", [["export", "--format", "nquads"], ["query", "actors", "--format", "csv"],
                                  ["query", "actors"], ["stats"]], ids=" ".join)
def test_output_to_a_full_disk_is_a_one_line_error_not_a_silent_cut(built, args):
    with open("/dev/full", "w") as full:
        p = subprocess.run([sys.executable, "-m", "kg", *args, "--store", "kg-store"], cwd=built.workdir,
                           stdout=full, stderr=subprocess.PIPE, text=True, timeout=300)
    assert_one_line_error(Run(p.returncode, "", p.stderr), 2, mentions=r"E051.*No space left")


def test_an_export_that_cannot_be_written_leaves_the_old_file_and_no_part(built, tmp_path, monkeypatch):
    import errno

    from kg.errors import ExportError
    from kg.export import export
    from kg.store import EmbeddedStore

    def half_then_full(self, data):  # what a disk that fills up part way does
        with open(self, "wb") as fh:
            fh.write(data[:len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    out = tmp_path / "graph.nq"
    out.write_text("the last export\n")
    monkeypatch.setattr(Path, "write_bytes", half_then_full)
    with EmbeddedStore(built.workdir / "kg-store", create=False) as store, pytest.raises(ExportError, match="space"):
        export(store, "nquads", out)
    assert out.read_text() == "the last export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.nq"]


def test_validate_reports_a_literal_that_does_not_fit_its_datatype_in_one_line_each(built_copy):
    """A knowledge base of an older kg could hold the end date 2018-02-30; validate once printed rdflib's
    tracebacks for it and still said "conforms"."""
    from kg.rdf.namespaces import ENRICH_GRAPH, XSD

    store = ox.Store(str(built_copy / "kg-store"))
    store.add(ox.Quad(ox.NamedNode("http://www.wikidata.org/entity/statement/x"),
                      ox.NamedNode("http://www.wikidata.org/prop/qualifier/P582"),
                      ox.Literal("2018-02-30", datatype=XSD.date), ENRICH_GRAPH))
    del store
    run = kg_run(["validate", "--store", "kg-store"], built_copy)
    assert run.code == 1 and "Traceback" not in run.err and "does not conform" in run.out, (run.out, run.err)
    assert "2018-02-30 is not a valid http://www.w3.org/2001/XMLSchema#date" in run.out


def test_validate_passes_on_a_fresh_build(built):
    run = kg_probe(["validate", "--store", "kg-store"], built.workdir)
    assert run.code == 0, (run.out, run.err)
    assert "conforms" in run.out and "does not conform" not in run.out
    assert run.spacy_imported is False


# --- paging, widths, your own SPARQL, stats ---------------------------------------------------------------

def test_query_pages_with_limit_and_offset_and_says_how_many_there_are(built):
    whole = kg_run(["query", "actors", "--format", "csv", "--store", "kg-store"], built.workdir)
    rows = list(csv.reader(io.StringIO(whole.out)))[1:]
    assert len(rows) > 3
    page = kg_run(["query", "actors", "--format", "csv", "--limit", "2", "--offset", "1", "--store", "kg-store"],
                  built.workdir)
    assert list(csv.reader(io.StringIO(page.out)))[1:] == rows[1:3]
    table = kg_run(["query", "actors", "--limit", "1", "--store", "kg-store"], built.workdir)
    assert table.code == 0 and len(table.out.splitlines()) == 3  # header, rule, one row
    assert f"(rows 1-1 of {len(rows)}; next page: --offset 1)" in table.err


def test_table_cells_are_whole_off_a_terminal_and_cut_at_width(built):
    whole = kg_run(["query", "provenance", "--iris", "--store", "kg-store"], built.workdir)
    facts = [c for line in whole.out.splitlines()[2:] for c in line.split() if c.startswith(BASE + "statement/")]
    assert facts and all(re.fullmatch(re.escape(BASE) + r"statement/[0-9a-f]{16}", c) for c in facts)  # whole
    cut = kg_run(["query", "provenance", "--width", "12", "--store", "kg-store"], built.workdir)
    cells = [c for line in cut.out.splitlines()[2:] for c in line.split("  ") if c.strip()]
    assert cells and max(len(c.strip()) for c in cells) <= 12 and any(c.strip().endswith("…") for c in cells)


def test_an_actor_no_one_is_called_is_one_line_with_the_nearest_names(built):
    run = kg_probe(["query", "positions", "--param", "actor=Jon Boltn", "--store", "kg-store"], built.workdir)
    assert_one_line_error(run, 2, mentions=r"no actor .*did you mean John Bolton")


def test_sparql_runs_a_select_with_kgs_prefixes(built):
    query = "SELECT ?label ?n WHERE { GRAPH kgg:summary { ?a rdfs:label ?label ; kg:mentionCount ?n } } ORDER BY ?label"
    run = kg_run(["sparql", query, "--format", "csv", "--store", "kg-store"], built.workdir)
    assert run.code == 0, run.err
    rows = list(csv.reader(io.StringIO(run.out)))
    assert rows[0] == ["label", "n"] and ["John Bolton", "1"] in rows
    assert len(rows) - 1 == stats(built.workdir)["entities"]


def test_sparql_reads_a_file_and_answers_ask_and_construct(built):
    (built.workdir / "ask.rq").write_text("ASK { ?s a kg:Statement }", encoding="utf-8")
    assert kg_run(["sparql", "--file", "ask.rq", "--store", "kg-store"], built.workdir).out.strip() == "true"
    run = kg_run(["sparql", "CONSTRUCT { ?a rdfs:label ?l } WHERE { GRAPH kgg:summary { ?a rdfs:label ?l } }",
                  "--store", "kg-store"], built.workdir)
    assert run.code == 0 and "John Bolton" in run.out
    ox.parse(run.out.encode(), format=ox.RdfFormat.TURTLE)


@pytest.mark.parametrize("query, mentions", [
    ("DELETE WHERE { ?s ?p ?o }", r"update \(DELETE\)"),
    ("PREFIX x: <http://x#> INSERT DATA { x:a x:b x:c }", r"update \(INSERT\)"),
    ("SELECT * WHERE { ?s ?p }", r"not valid SPARQL"),
    ("hello", r"not a SPARQL query"),
    # a SERVICE endpoint nobody listens on (port 1 of this machine): no network needed to fail
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }", r"the query failed"),
])
def test_sparql_refuses_updates_and_bad_text_in_one_line(built_copy, query, mentions):
    before = nquads(built_copy)
    run = kg_probe(["sparql", query, "--store", "kg-store"], built_copy)
    assert_one_line_error(run, 2, mentions=mentions)
    assert nquads(built_copy) == before


def test_sparql_past_its_timeout_is_stopped_with_one_line(built):
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # billions of combinations
    start = time.monotonic()
    run = kg_probe(["sparql", slow, "--timeout", "1", "--store", "kg-store"], built.workdir)
    assert_one_line_error(run, 2, mentions=r"--timeout 1 s")
    assert time.monotonic() - start < 30


def test_ctrl_c_stops_a_query_with_a_timeout_at_once(built, foreground):
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    child = subprocess.Popen([sys.executable, "-m", "kg", "sparql", slow, "--timeout", "600", "--store", "kg-store"],
                             cwd=built.workdir, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             start_new_session=True, preexec_fn=foreground)
    children = Path(f"/proc/{child.pid}/task/{child.pid}/children")
    try:
        deadline = time.monotonic() + 60
        while not children.read_text().split() and time.monotonic() < deadline:  # until the query process runs
            time.sleep(0.05)
        query = int(children.read_text().split()[0])
        os.kill(child.pid, signal.SIGINT)  # kg's process only, as `kill -INT` does: kg must stop its query
        out, err = child.communicate(timeout=20)  # not the 600 s the query would take
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
    assert (child.returncode, err.strip()) == (130, "kg: interrupted")
    assert not Path(f"/proc/{query}").exists()  # the query's process is gone too


def test_stats_come_from_the_summary_and_match_a_count(built):
    got = stats(built.workdir)
    counted = kg_run(["sparql", "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a kg:Statement }", "--format", "csv",
                      "--store", "kg-store"], built.workdir)
    assert got["statements"] == int(counted.out.splitlines()[1]) > 0
    assert got["articles"] == 2
