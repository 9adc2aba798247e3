"""kg build streams its input in batches and spreads extraction over worker processes, whose number never
changes what is stored. Inputs are a few short articles with a batch size of 2, so that several batches go
through a pool of workers in a few seconds (forked workers share the session's spaCy pipeline)."""
from __future__ import annotations

import json
import multiprocessing
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

import kg.cli
import kg.nlp
import kg.parallel
import kg.pipeline
from kg.config import Config, load_config
from kg.errors import StoreError, WorkerError
from kg.model import Article
from kg.pipeline import build, extract_articles
from kg.rdf.namespaces import ONTOLOGY_GRAPH
from kg.read import make_article
from kg.store import EmbeddedStore

ROOT = Path(__file__).resolve().parents[1]
TEXTS = {
    "a1": "Iran said on Tuesday that it opposes the offensive. Russia backed the campaign in Idlib.",
    "a2": "Turkey warned against the attack. John Bolton said the response would be much stronger.",
    "a3": "Germany and France called for a ceasefire in Syria, according to the United Nations.",
    "a4": "Angela Merkel met Emmanuel Macron in Berlin on Monday. She said Europe must act together.",
    "a5": "The White House denied the report. Officials said President Trump would travel to Brussels.",
    "a6": "Israel accused Hezbollah of firing rockets. Lebanon rejected the claim on Friday.",
}


@pytest.fixture
def inputs(tmp_path) -> list[Path]:
    """seeds/ and a JSONL file of six short articles: seven articles, four batches of at most two."""
    jsonl = tmp_path / "news.jsonl"
    jsonl.write_text("".join(json.dumps({"id": k, "text": v}) + "\n" for k, v in TEXTS.items()), encoding="utf-8")
    return [ROOT / "seeds", jsonl]


def config(tmp_path: Path, workers: int, **changes) -> Config:
    return Config(store=str(tmp_path / f"store-{workers}"), workers=workers, **{"batch_size": 2, **changes})


@pytest.fixture
def pools(monkeypatch) -> list[int]:
    """The number of workers of every pool started (to tell that a test really used one)."""
    started: list[int] = []
    real = kg.parallel.ordered

    def spy(tasks, workers, *args):
        started.append(workers)
        return real(tasks, workers, *args)
    monkeypatch.setattr(kg.parallel, "ordered", spy)
    return started


def within(seconds: int, function, *args):
    """``function(*args)``, failing the test if it takes longer than ``seconds`` (a hang, say)."""
    def timeout(signum, frame):
        raise TimeoutError(f"still running after {seconds} s")
    previous = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(seconds)
    try:
        return function(*args)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def build_into(paths, cfg: Config):
    with EmbeddedStore(cfg.store) as store:
        report = build(paths, store, cfg)
        # every quad but the ontology's (loaded the same way whatever the workers, with fresh blank nodes)
        quads = sorted(str(q) for q in store.quads() if q.graph_name != ONTOLOGY_GRAPH)
    return report, quads


def test_parse_batches_are_bounded_by_text_as_well_as_by_articles():
    # spaCy's memory grows with the text of a batch: sixteen long articles must not be parsed at once
    sizes = [10_000] * 7 + [80_000] + [30_000] * 3 + [100] * 40
    articles = [make_article(f"n{n}", "x" * size) for n, size in enumerate(sizes)]

    batches = [[len(a.text) for a in batch] for batch in kg.nlp.batches(articles, 16)]

    assert [a for batch in batches for a in batch] == sizes  # all, in order
    assert batches[:5] == [[10_000] * 5, [10_000] * 2, [80_000], [30_000], [30_000]]
    assert all(sum(b) <= kg.nlp.BATCH_CHARS and len(b) <= 16 for b in batches if len(b) > 1)


@contextmanager
def uneven_squares():
    yield lambda n: (time.sleep(0.1 if n % 4 == 0 else 0.01), n * n)[1]


def test_workers_hand_back_every_result_in_task_order():
    # every fourth task is slow: the other worker finishes several tasks meanwhile, which wait for their turn
    assert list(kg.parallel.ordered(range(30), 2, uneven_squares)) == [n * n for n in range(30)]


def test_one_or_two_workers_or_none_store_the_same_quads(inputs, tmp_path, nlp_ready, pools):
    one, quads_one = build_into(inputs, config(tmp_path, 1))
    two, quads_two = build_into(inputs, config(tmp_path, 2))
    here, quads_here = build_into(inputs, config(tmp_path, 3, batch_size=10))  # one batch: extracted in-process

    assert pools == [1, 2], "a build of several batches did not use workers"
    assert not one.problems and not two.problems and not here.problems
    assert one.stored == two.stored == here.stored == ["idlib-geneva-talks-2018-09-11.txt", *TEXTS]  # input order
    assert len(quads_one) > 1000
    assert quads_two == quads_one
    assert quads_here == quads_one


def test_a_build_that_fits_in_one_batch_starts_no_workers(tmp_path, nlp_ready, pools):
    report, _ = build_into([ROOT / "seeds"], config(tmp_path, 2))
    assert report.stored == ["idlib-geneva-talks-2018-09-11.txt"]
    assert pools == []


def test_online_builds_use_one_worker(inputs, tmp_path, nlp_ready, pools, monkeypatch):
    # Online answers are written into the knowledge base as they come: several workers would race on it.
    offline = kg.pipeline.default_linker
    monkeypatch.setattr(kg.pipeline, "default_linker", lambda kb, online: offline(kb, online=False))
    report, _ = build_into(inputs, config(tmp_path, 2, online=True))
    assert len(report.stored) == 7
    assert pools == [1]


@pytest.mark.parametrize("workers", [1, 2])
def test_build_reads_articles_only_a_few_batches_ahead_of_storing(tmp_path, nlp_ready, monkeypatch, workers):
    read = []

    def articles(paths, cfg, fetcher=None):
        for n in range(40):
            read.append(n)
            yield make_article(f"n{n}", f"Iran said on day {n} that it opposes the offensive.")
    monkeypatch.setattr(kg.pipeline, "read_articles", articles)
    read_at_first_write = []
    real = EmbeddedStore.write_articles
    monkeypatch.setattr(EmbeddedStore, "write_articles",
                        lambda self, graphs: (read_at_first_write or read_at_first_write.append(len(read)),
                                              real(self, graphs)))

    report, _ = build_into(["unused"], config(tmp_path, workers))

    assert len(report.stored) == 40
    assert read_at_first_write[0] <= 10, "the build read far ahead of what it stored: memory grows with the input"


# extraction runs in a worker, mapping to RDF in the main process: a failure in either costs its article only
@pytest.mark.parametrize("stage, failing", [("extract_doc", "a3"), ("article_graph", "a4")])
def test_an_article_that_fails_to_extract_or_map_is_skipped_and_the_others_are_stored(stage, failing, inputs, tmp_path,
                                                                                     nlp_ready, pools, monkeypatch):
    real = getattr(kg.pipeline, stage)

    def fail(first, *args, **kw):  # an Article (extraction) or an Extraction (mapping)
        if getattr(first, "article", first).id == failing:
            raise ValueError("odd input")
        return real(first, *args, **kw)
    monkeypatch.setattr(kg.pipeline, stage, fail)

    report, quads = build_into(inputs, config(tmp_path, 2))

    assert pools == [2]
    assert [p.message.split(" (")[0] for p in report.problems] == ["extraction failed"]
    assert f"news.jsonl:{failing[1]}" in report.problems[0].source
    assert "ValueError: odd input" in report.problems[0].message
    assert report.stored == [a for a in ["idlib-geneva-talks-2018-09-11.txt", "a1", "a2", "a3", "a4", "a5", "a6"]
                             if a != failing]
    assert not any(f"/article/{failing}>" in q for q in quads)


def test_a_killed_worker_is_one_clear_error_and_building_again_finishes_the_job(inputs, tmp_path, nlp_ready,
                                                                                monkeypatch, capsys):
    main = os.getpid()
    real = kg.pipeline.extract_doc

    def extract(article: Article, doc):
        if article.id == "a5" and os.getpid() != main:
            os.kill(os.getpid(), signal.SIGKILL)  # as the kernel does when memory runs out
        return real(article, doc)
    monkeypatch.setattr(kg.pipeline, "extract_doc", extract)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "kg.toml").write_text("batch_size = 2\n")
    args = ["build", *map(str, inputs), "--store", "kg-store", "--workers", "2", "--quiet"]

    code = within(120, kg.cli.main, args)

    out, err = capsys.readouterr()
    assert code == WorkerError.exit_code
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error: [E090]") and "signal 9" in lines[0], lines
    monkeypatch.setattr(kg.pipeline, "extract_doc", real)
    assert within(120, kg.cli.main, args) == 0
    summary = re.match(r"stored (\d+) article\(s\), (\d+) unchanged", capsys.readouterr().out)
    stored, unchanged = map(int, summary.groups())
    assert stored + unchanged == 7 and stored >= 2  # a5 and a6 at least were left to do
    with EmbeddedStore(tmp_path / "kg-store") as store:
        assert len([g for g in store.named_graphs() if "/article/" in g]) == 7


def test_a_store_error_stops_the_workers_and_is_one_line(inputs, tmp_path, nlp_ready, pools, monkeypatch, capsys):
    calls = []
    real = EmbeddedStore.write_articles

    def write(self, graphs):
        calls.append(len(graphs))
        if len(calls) == 2:
            raise StoreError("could not write graph: disk full")
        real(self, graphs)
    monkeypatch.setattr(EmbeddedStore, "write_articles", write)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "kg.toml").write_text("batch_size = 2\n")

    code = within(120, kg.cli.main, ["build", *map(str, inputs), "--store", "kg-store", "--workers", "2", "--quiet"])

    assert pools == [2] and code == 2
    assert capsys.readouterr().err.strip().splitlines() == ["kg: error: [E030] could not write graph: disk full"]
    assert multiprocessing.active_children() == []  # the workers were stopped and reaped


INTERRUPTED = textwrap.dedent("""
    import os, sys, time
    import kg.cli, kg.pipeline
    main = os.getpid()

    def slow(batch, config, linker):  # workers hang on their batch until the main process is interrupted
        if os.getpid() == main:  # the warm-up before forking
            return []
        open(sys.argv[1] + f".{os.getpid()}", "w").close()
        time.sleep(60)
    kg.pipeline._extractions = slow
    if sys.argv[2] == "thread":  # Ctrl-C as the kernel may deliver it: to a thread other than the main one
        import glob, signal, threading

        def ctrl_c():
            while len(glob.glob(sys.argv[1] + ".*")) < 2:
                time.sleep(0.05)
            signal.pthread_kill(threading.get_ident(), signal.SIGINT)
        threading.Thread(target=ctrl_c, daemon=True).start()
    sys.exit(kg.cli.main(["build", *sys.argv[3:], "--store", "kg-store", "--workers", "2", "--quiet"]))
""")


@pytest.mark.parametrize("receiver", ["group", "thread"])
def test_ctrl_c_stops_the_workers_and_says_so_in_one_line(receiver, inputs, tmp_path, foreground):
    (tmp_path / "kg.toml").write_text("batch_size = 2\n")
    marker = tmp_path / "working"
    child = subprocess.Popen([sys.executable, "-c", INTERRUPTED, str(marker), receiver, *map(str, inputs)],
                             cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             start_new_session=True, preexec_fn=foreground)
    try:
        deadline = time.monotonic() + 60
        while len(list(tmp_path.glob("working.*"))) < 2 and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(list(tmp_path.glob("working.*"))) == 2, child.communicate(timeout=5)
        if receiver == "group":
            os.killpg(child.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole process group
        out, err = child.communicate(timeout=30)
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
    assert child.returncode == 130, err
    assert err.strip().splitlines() == ["kg: interrupted; articles stored so far are complete"]
    with pytest.raises(ProcessLookupError):
        os.killpg(child.pid, 0)  # no worker is left behind
    EmbeddedStore(tmp_path / "kg-store").close()  # and the store is free again


def test_extract_articles_streams_its_input(nlp_ready):
    def articles():
        for n in range(100):
            assert n < 40, "extract_articles read its whole input before extracting"
            yield make_article(f"n{n}", "Russia backed the campaign in Idlib.")

    first = next(extract_articles(articles(), Config()))

    assert first.article.id == "n0"


def test_kg_extract_writes_each_line_as_it_is_extracted(tmp_path, nlp_ready, monkeypatch):
    output = tmp_path / "out.jsonl"
    written_before_the_last_read = []

    def articles(paths, cfg, fetcher=None):
        for n in range(40):
            if n == 39:
                written_before_the_last_read.append(len(output.read_text().splitlines()))
            yield make_article(f"n{n}", "Russia backed the campaign in Idlib.")
    monkeypatch.setattr(kg.pipeline, "read_articles", articles)

    assert kg.cli.main(["extract", "unused", "--output", str(output)]) == 0

    assert written_before_the_last_read[0] >= 16
    assert len(output.read_text().splitlines()) == 40


@pytest.mark.parametrize("where, value", [("env", "0"), ("env", "two"), ("toml", "-1"), ("toml", "1.5"),
                                          ("flag", "0"), ("flag", "many")])
def test_a_bad_workers_setting_is_a_one_line_error(where, value, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    args = ["build", "nothing-here", "--store", "kg-store"]
    if where == "env":
        monkeypatch.setenv("KG_WORKERS", value)
    elif where == "toml":
        (tmp_path / "kg.toml").write_text(f"workers = {value}\n")
    else:
        args += ["--workers", value]

    assert kg.cli.main(args) == 2

    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("kg: error: [E001] workers must be a whole number"), err
    assert not (tmp_path / "kg-store").exists()


def test_workers_default_to_the_usable_cores_and_can_be_set(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert Config().workers == len(os.sched_getaffinity(0))
    (tmp_path / "kg.toml").write_text("workers = 3\n")
    assert load_config().workers == 3
    monkeypatch.setenv("KG_WORKERS", "5")
    assert load_config().workers == 5


# --- reading while a build writes ---------------------------------------------------------------------------

BUILD_IN_CHILD = textwrap.dedent("""
    import sys
    from kg.config import Config
    from kg.pipeline import build
    from kg.store import EmbeddedStore
    with EmbeddedStore(sys.argv[1]) as store:  # one article per batch: many writes for a reader to meet
        build(sys.argv[2:], store, Config(store=sys.argv[1], batch_size=1, workers=1))
""")


def _articles(store) -> set[str]:
    from kg import queries

    columns, rows = queries.run(store, "articles")
    return {queries.plain(r[columns.index("id")]) for r in rows}


def test_queries_answer_from_a_whole_snapshot_while_a_build_writes(inputs, tmp_path, nlp_ready):
    """Readers once got [E031] for as long as any build ran. They now read the store as it was when they
    opened it: the articles of an earlier build, and of the running one only whole batches."""
    from kg.store import open_reader

    path = tmp_path / "store"
    with EmbeddedStore(path) as s:
        build([inputs[0]], s, Config(store=str(path)))  # the seed article
    with open_reader(path) as s:
        before, statements = _articles(s), s.stats()["statements"]
    assert len(before) == 1 and statements > 10
    child = subprocess.Popen([sys.executable, "-c", BUILD_IN_CHILD, str(path), str(inputs[1])], cwd=tmp_path,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    reads, seen = 0, []
    try:
        while child.poll() is None:
            with open_reader(path) as s:
                articles = _articles(s)
                stats = s.stats()
            # the articles the query lists are the ones the summary counts: one snapshot, not two moments
            assert before <= articles and len(articles) == stats["articles"], articles
            assert stats["statements"] >= statements
            seen.append(len(articles))
            reads += 1
            cli = kg.cli.main(["stats", "--store", str(path)])  # the command, beside the build
            assert cli == 0
            time.sleep(0.1)
    finally:
        out, err = child.communicate(timeout=300)
    assert child.returncode == 0, err
    assert reads >= 3 and seen == sorted(seen), seen  # it read while the build ran, and saw the store only grow
    with open_reader(path) as s:
        assert s.stats()["articles"] == 1 + len(TEXTS)


def test_during_a_first_build_a_reader_gets_the_whole_answer_or_one_clear_error(inputs, tmp_path):
    """A first build writes its summary at its end: before then a reader is told so, never given part of it."""
    path = tmp_path / "store"
    child = subprocess.Popen([sys.executable, "-c", BUILD_IN_CHILD, str(path), *map(str, inputs)], cwd=tmp_path,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    outcomes = set()
    try:
        while child.poll() is None:
            run = subprocess.run([sys.executable, "-m", "kg", "stats", "--store", str(path)], cwd=tmp_path,
                                 capture_output=True, text=True, timeout=120)
            if run.returncode == 0:
                outcomes.add("whole" if f"articles    {1 + len(TEXTS)}" in run.stdout
                             else "empty" if "articles    0\n" in run.stdout else run.stdout)
            else:
                assert len(run.stderr.strip().splitlines()) == 1 and "Traceback" not in run.stderr, run.stderr
                outcomes.add("being built" if "being built for the first time" in run.stderr
                             else "no store yet" if "no store at" in run.stderr else run.stderr)
    finally:
        child.communicate(timeout=300)
    assert child.returncode == 0
    # before its first batch, the build has made an empty store: that is a whole snapshot too
    assert outcomes <= {"whole", "being built", "no store yet", "empty"}, outcomes


@pytest.mark.parametrize("files, message", [
    (["LOCK"], "is being built for the first time"),  # RocksDB has locked the folder, not yet written CURRENT
    ([], "no store at"),  # a folder RocksDB has only just made
    (["notes.txt"], "is not a kg store"),
])
def test_a_reader_of_a_store_in_the_making_is_told_what_it_is(tmp_path, capsys, files, message):
    import kg.cli

    path = tmp_path / "store"
    path.mkdir()
    for name in files:
        (path / name).write_text("")
    assert kg.cli.main(["stats", "--store", str(path)]) != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0], err


# --- article ids across builds --------------------------------------------------------------------------------

def _text_of(store, article_id: str) -> str:
    from kg.rdf.iris import article_iri

    rows = list(store.query(f"SELECT ?t WHERE {{ GRAPH <{article_iri(Config().base_iri, article_id)}> "
                            "{ ?a <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#isString> ?t } }"))
    return rows[0]["t"].value if rows else ""


def test_another_file_with_a_stored_articles_id_replaces_it_and_says_where_the_old_one_came_from(
        tmp_path, nlp_ready, caplog):
    """'kg build a/report.txt' and later 'kg build b/report.txt' once replaced the first article in silence."""
    for folder, text in (("a", TEXTS["a1"]), ("b", TEXTS["a2"])):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "report.txt").write_text(text, encoding="utf-8")
    config = Config(store=str(tmp_path / "store"), workers=1)
    with EmbeddedStore(tmp_path / "store") as store:
        build([tmp_path / "a" / "report.txt"], store, config)
        caplog.clear()
        report = build([tmp_path / "b" / "report.txt"], store, config)
        assert report.stored == ["report.txt"] and report.replaced == [("report.txt", str(tmp_path / "a" / "report.txt"))]
        [line] = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
        assert str(tmp_path / "a" / "report.txt") in line and "--id-from path" in line
        assert _text_of(store, "report.txt") == TEXTS["a2"]
        # an edit of the same file is an edit, and says nothing
        (tmp_path / "b" / "report.txt").write_text(TEXTS["a3"], encoding="utf-8")
        caplog.clear()
        report = build([tmp_path / "b" / "report.txt"], store, config)
        assert report.stored == ["report.txt"] and not report.replaced
        assert not [r for r in caplog.records if r.levelname == "WARNING"]
        # ids from paths tell them apart
        report = build([tmp_path], store, config.replace(id_from="path"))
        assert sorted(report.stored) == ["a/report.txt", "b/report.txt"] and not report.problems
