"""kg build --engine dask: partitions extracted on a real Dask LocalCluster of 2 worker processes, written as
N-Quads shards and loaded into the store, give the graph a local build gives (summary included); kg load loads
shards into another store; a worker that dies loses and doubles no article; errors are one line.

Most tests share one LocalCluster (its workers load spaCy once) and reach it by its address, as a real cluster
is reached; one builds through the command line, which starts a cluster of its own."""
from __future__ import annotations

import functools
import json
import os
import shutil
import signal
import socket
import sys
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")

import kg.cli  # noqa: E402
from kg import distributed as engine  # noqa: E402
from kg import shards  # noqa: E402
from kg.config import Config  # noqa: E402
from kg.errors import ClusterError, ShardError  # noqa: E402
from kg.pipeline import build as local_build  # noqa: E402
from kg.rdf.namespaces import ONTOLOGY_GRAPH, SUMMARY_GRAPH  # noqa: E402
from kg.store import EmbeddedStore  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
from test_build import TEXTS  # noqa: E402  (the articles of the local build tests, built here on Dask)
IDS = ["idlib-geneva-talks-2018-09-11.txt", *TEXTS]


def write_inputs(folder: Path, texts: dict[str, str] = TEXTS) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    jsonl = folder / "news.jsonl"
    jsonl.write_text("".join(json.dumps({"id": k, "text": v}) + "\n" for k, v in texts.items()), encoding="utf-8")
    return [ROOT / "seeds", jsonl]


def graph_of(store: EmbeddedStore) -> tuple[list[str], object]:
    """Every quad but the ontology's, sorted as N-Quads lines, and the ontology as an rdflib graph (its blank nodes
    are new in every store)."""
    import rdflib

    quads = sorted(str(q) for q in store.quads() if q.graph_name != ONTOLOGY_GRAPH)
    ontology = rdflib.Graph().parse(data="\n".join(f"{q.subject} {q.predicate} {q.object} ."
                                                   for q in store.quads(ONTOLOGY_GRAPH)), format="nt")
    return quads, ontology


def same_graph(a, b) -> None:
    from rdflib.compare import isomorphic

    assert a[0] == b[0]
    assert isomorphic(a[1], b[1])


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> list[Path]:
    """seeds/ and six short articles in a JSONL file, read from the same paths by every build (a graph names the
    file an article was read from)."""
    return write_inputs(tmp_path_factory.mktemp("inputs"))


@pytest.fixture(scope="module")
def cluster():
    """A LocalCluster of 2 single-threaded worker processes, as kg starts one without --scheduler."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address="127.0.0.1:0") as c:
        yield c


@pytest.fixture(scope="module")
def local(tmp_path_factory, inputs, nlp_ready):
    """The graph of a local build of the inputs (one batch, in this process)."""
    tmp = tmp_path_factory.mktemp("local")
    with EmbeddedStore(tmp / "store") as store:
        report = local_build(inputs, store, Config(workers=1, batch_size=32))
        assert report.stored == IDS and not report.problems
        return graph_of(store)


@pytest.fixture(scope="module")
def dask_built(tmp_path_factory, inputs, cluster):
    """A build on the shared cluster, in partitions of 3 articles, with its shards kept: (report, graph, shards)."""
    tmp = tmp_path_factory.mktemp("dask")
    with EmbeddedStore(tmp / "store") as store:
        report = engine.build(inputs, store, Config(workers=2), scheduler=cluster.scheduler_address,
                              shards=tmp / "shards", partition_size=3)
        return report, graph_of(store), tmp / "shards"


def test_a_dask_build_stores_the_graph_a_local_build_stores(dask_built, local):
    report, graph, folder = dask_built
    assert report.stored == IDS and not report.problems and not report.unchanged  # input order
    assert len(graph[0]) > 1000 and any(str(SUMMARY_GRAPH) in q for q in graph[0])
    same_graph(graph, local)
    # one shard a partition, whole, under its partition's name: no temporary file is left
    assert sorted(os.listdir(folder)) == ["part-000000.nq", "part-000001.nq", "part-000002.nq"]


def test_kg_load_of_the_shards_into_a_fresh_store_gives_the_same_graph(dask_built, local, tmp_path, capsys):
    store = tmp_path / "loaded"
    assert kg.cli.main(["load", str(dask_built[2]), "--store", str(store), "--quiet"]) == 0
    assert capsys.readouterr().out.strip() == f"loaded 7 article(s), 0 unchanged, from 3 shard(s); store: {store}"
    with EmbeddedStore(store) as s:
        same_graph(graph_of(s), local)

    assert kg.cli.main(["load", str(dask_built[2]), "--store", str(store), "--quiet"]) == 0  # again: nothing to do
    assert capsys.readouterr().out.startswith("loaded 0 article(s), 7 unchanged, from 3 shard(s)")
    with EmbeddedStore(store) as s:
        same_graph(graph_of(s), local)


def test_unchanged_articles_are_skipped_and_changed_ones_replaced_as_a_local_build_does(cluster, tmp_path,
                                                                                        nlp_ready):
    paths = write_inputs(tmp_path / "in")
    changed = dict(TEXTS, a2="Turkey warned against the attack. Angela Merkel said the talks would go on.")
    with EmbeddedStore(tmp_path / "dask") as store:
        engine.build(paths, store, Config(workers=2), scheduler=cluster.scheduler_address,
                     shards=tmp_path / "s1", partition_size=4)
        write_inputs(tmp_path / "in", changed)
        report = engine.build(paths, store, Config(workers=2), scheduler=cluster.scheduler_address,
                              shards=tmp_path / "s2", partition_size=4)
        got = graph_of(store)
    assert report.stored == ["a2"] and len(report.unchanged) == 6
    assert os.listdir(tmp_path / "s2") == ["part-000000.nq"]

    write_inputs(tmp_path / "in", TEXTS)
    with EmbeddedStore(tmp_path / "local") as store:  # the same two builds, locally
        local_build(paths, store, Config(workers=1, batch_size=32))
        write_inputs(tmp_path / "in", changed)
        local_build(paths, store, Config(workers=1, batch_size=32))
        same_graph(got, graph_of(store))


def dies_once(number, articles, folder, config, expected, *, marker: str, victim: int):
    """extract_partition, but the worker running partition ``victim`` for the first time is killed once its shard
    is written, as the kernel kills a process that runs out of memory. Each run is noted in ``marker``.runs."""
    with open(marker + ".runs", "a") as runs:
        runs.write(f"{number} {os.getpid()}\n")
    result = engine.extract_partition(number, articles, folder, config, expected)
    if number == victim and not os.path.exists(marker):
        Path(marker).write_text(str(os.getpid()))
        os.kill(os.getpid(), signal.SIGKILL)
    return result


def test_a_worker_that_dies_loses_no_article_and_stores_none_twice(cluster, inputs, local, tmp_path):
    import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the workers need not import this file
    marker = tmp_path / "died"
    task = functools.partial(dies_once, marker=str(marker), victim=1)
    with EmbeddedStore(tmp_path / "store") as store:
        report = engine.build(inputs, store, Config(workers=2), scheduler=cluster.scheduler_address,
                              shards=tmp_path / "shards", partition_size=3, task=task)
        got = graph_of(store)
    assert marker.exists(), "no worker was killed"
    runs = [line.split() for line in Path(f"{marker}.runs").read_text().splitlines()]
    victims = [pid for number, pid in runs if number == "1"]
    assert len(runs) == 4 and len(victims) == 2 and victims[0] == marker.read_text() != victims[1]
    assert report.stored == IDS and not report.problems
    same_graph(got, local)
    assert sorted(os.listdir(tmp_path / "shards")) == ["part-000000.nq", "part-000001.nq", "part-000002.nq"]


def kills_its_worker(*args):
    os.kill(os.getpid(), signal.SIGKILL)


def test_a_partition_whose_workers_keep_dying_is_a_one_line_error(tmp_path, monkeypatch, capsys):
    import cloudpickle
    import dask

    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    real = engine.build
    monkeypatch.setattr(engine, "build", functools.partial(real, task=kills_its_worker))
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):  # the scheduler runs in this process
        code = kg.cli.main(["build", str(ROOT / "seeds"), "--engine", "dask", "--workers", "1",
                            "--store", str(tmp_path / "store"), "--quiet"])
    assert code == ClusterError.exit_code
    line = one_error_line(capsys)
    assert line.startswith("kg: error: [E091] the workers that ran partition 0 died"), line


def with_other_rules(number, articles, folder, config, expected):
    """extract_partition on a worker whose kg has other rules than the client's."""
    return engine.extract_partition(number, articles, folder, config, dict(expected, **{"rules version": "0"}))


def test_a_worker_that_would_build_other_graphs_is_a_one_line_error(cluster, inputs, tmp_path, monkeypatch,
                                                                    capsys):
    import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    monkeypatch.setattr(engine, "build", functools.partial(engine.build, task=with_other_rules))
    code = kg.cli.main(["build", *map(str, inputs), "--engine", "dask", "--scheduler", cluster.scheduler_address,
                        "--shards", str(tmp_path / "shards"), "--store", str(tmp_path / "store"), "--quiet"])
    assert code == 2
    line = one_error_line(capsys)
    assert line.startswith("kg: error: [E001] Dask worker on ") and "would not build the graphs" in line, line
    assert "rules version: " in line and "install the same kg" in line
    with EmbeddedStore(tmp_path / "store") as store:
        assert store.stats()["articles"] == 0


def fails_on(number, articles, folder, config, expected, *, article: str):
    """extract_partition with extraction failing on one article, as a kg bug on odd input would."""
    import kg.pipeline

    real = kg.pipeline.extract_doc

    def extract(a, doc):
        if a.id == article:
            raise ValueError("odd input")
        return real(a, doc)
    kg.pipeline.extract_doc = extract
    try:
        return engine.extract_partition(number, articles, folder, config, expected)
    finally:
        kg.pipeline.extract_doc = real


def test_bad_inputs_and_failed_extractions_are_skipped_as_in_a_local_build(cluster, inputs, tmp_path):
    import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    paths = inputs + [tmp_path / "missing.txt"]
    with EmbeddedStore(tmp_path / "store") as store:
        report = engine.build(paths, store, Config(workers=2), scheduler=cluster.scheduler_address,
                              shards=tmp_path / "shards", partition_size=3,
                              task=functools.partial(fails_on, article="a4"))
        ids = {g.rsplit("/", 1)[-1] for g in store.named_graphs() if "/article/" in g}
    assert report.stored == [i for i in IDS if i != "a4"]
    problems = sorted(str(p) for p in report.problems)
    assert len(problems) == 2
    assert "missing.txt" in problems[1] and "extraction failed (ValueError: odd input)" in problems[0]
    assert ids == set(IDS) - {"a4"}


def test_the_command_line_builds_on_a_local_cluster_of_its_own(inputs, local, tmp_path, monkeypatch, capsys):
    import tempfile

    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    args = ["build", *map(str, inputs), "--engine", "dask", "--workers", "2",
            "--partition-size", "4", "--store", str(tmp_path / "store"), "--quiet"]

    assert kg.cli.main(args) == 0
    out, err = capsys.readouterr()
    assert out.strip() == f"stored 7 article(s), 0 unchanged, 0 skipped; store: {tmp_path / 'store'}"
    assert err == ""  # Dask's own logging stays quiet
    assert not list(temporary.glob("kg-shards-*"))  # the temporary shards are gone
    with EmbeddedStore(tmp_path / "store") as store:
        same_graph(graph_of(store), local)

    assert kg.cli.main(args) == 0  # again: nothing changed, and no cluster is started for nothing
    assert capsys.readouterr().out.startswith("stored 0 article(s), 7 unchanged, 0 skipped")


def one_error_line(capsys) -> str:
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize("damage, message", [
    (lambda text: text.replace(" .\n", "\n", 1), "is not N-Quads (Parser error at line"),
    (lambda text: text + '<https://example.org/s> <https://example.org/p> "o" .\n', "outside any named graph"),
    (lambda text: text + f'<https://example.org/s> <https://example.org/p> "o" {SUMMARY_GRAPH} .\n',
     "kg's own graph"),
    (lambda text: text + '<https://example.org/s> <https://example.org/p> "o" <https://example.org/g> .\n',
     "is not a kg article graph"),
])
def test_a_broken_shard_is_a_one_line_error_and_damages_nothing(dask_built, tmp_path, capsys, damage, message):
    folder = tmp_path / "shards"
    shutil.copytree(dask_built[2], folder)
    store = tmp_path / "store"
    assert kg.cli.main(["load", str(folder / "part-000000.nq"), "--store", str(store), "--quiet"]) == 0
    with EmbeddedStore(store) as s:
        before = graph_of(s)
    last = folder / "part-000002.nq"
    last.write_text(damage(last.read_text(encoding="utf-8")), encoding="utf-8")
    capsys.readouterr()

    assert kg.cli.main(["load", str(folder), "--store", str(store), "--quiet"]) == ShardError.exit_code

    line = one_error_line(capsys)
    assert line.startswith("kg: error: [E013] shard ") and str(last) in line and message in line, line
    with EmbeddedStore(store) as s:
        same_graph(graph_of(s), before)  # not even the good shards were loaded


def test_an_article_in_two_shards_is_an_error_and_makes_no_store(dask_built, tmp_path, capsys):
    folder = tmp_path / "shards"
    shutil.copytree(dask_built[2], folder)
    shutil.copy(folder / "part-000001.nq", folder / "part-000009.nq")
    assert kg.cli.main(["load", str(folder), "--store", str(tmp_path / "store"), "--quiet"]) == 2
    assert "is in shard" in one_error_line(capsys)
    assert not (tmp_path / "store").exists()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_unreachable_scheduler_is_a_one_line_error(tmp_path, capsys):
    import dask

    address = f"tcp://127.0.0.1:{closed_port()}"
    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}):
        code = kg.cli.main(["build", str(ROOT / "seeds"), "--engine", "dask", "--scheduler", address, "--shards",
                            str(tmp_path / "shards"), "--store", str(tmp_path / "store"), "--quiet"])
    assert code == ClusterError.exit_code
    line = one_error_line(capsys)
    assert line.startswith(f"kg: error: [E091] cannot reach the Dask scheduler at {address}"), line


def test_without_dask_installed_the_engine_is_a_one_line_error(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed raises ImportError
    code = kg.cli.main(["build", str(ROOT / "seeds"), "--engine", "dask", "--store", str(tmp_path / "store")])
    assert code == 2
    assert "pip install 'dask[distributed]'" in one_error_line(capsys)


@pytest.mark.parametrize("args, message", [
    (["--scheduler", "tcp://127.0.0.1:8786"], "--scheduler: only with --engine dask"),
    (["--engine", "dask", "--scheduler", "tcp://127.0.0.1:8786"], "give --shards DIR"),
    (["--engine", "dask", "--online"], "build with --engine local"),
])
def test_options_that_do_not_go_together_are_a_one_line_error(tmp_path, capsys, args, message):
    code = kg.cli.main(["build", str(ROOT / "seeds"), "--store", str(tmp_path / "store"), *args])
    assert code == 2
    assert message in one_error_line(capsys)


def test_shards_are_not_written_into_a_folder_that_holds_files(tmp_path, capsys):
    (tmp_path / "shards").mkdir()
    (tmp_path / "shards" / "notes.txt").write_text("mine")
    code = kg.cli.main(["build", str(ROOT / "seeds"), "--engine", "dask", "--shards", str(tmp_path / "shards"),
                        "--store", str(tmp_path / "store")])
    assert code == 2 and "not a new or empty folder" in one_error_line(capsys)
    assert os.listdir(tmp_path / "shards") == ["notes.txt"]


def test_partitions_keep_the_input_order_and_carry_the_problems_read_with_them():
    from kg.read import Problem

    items = [("x1", "h"), Problem("bad", "no"), ("x2", "h"), ("x3", "h"), Problem("worse", "no")]
    got = [(p.number, p.articles, [q.source for q in p.problems]) for p in engine.partitions(items, 2)]
    assert got == [(0, [("x1", "h"), ("x2", "h")], ["bad"]), (1, [("x3", "h")], ["worse"])]


def test_a_retried_partition_replaces_its_shard(tmp_path, dask_built):
    graphs = [a.graph for a in shards.read_shard(dask_built[2] / "part-000000.nq", Config().base_iri)]
    first, digest = shards.write_shard(tmp_path, 0, graphs)
    again, same = shards.write_shard(tmp_path, 0, graphs)
    assert (first, digest) == (again, same) and os.listdir(tmp_path) == ["part-000000.nq"]
    assert first.read_bytes() == (dask_built[2] / "part-000000.nq").read_bytes()


def test_a_dask_build_into_a_remote_store_gives_the_graph_a_local_build_gives(cluster, inputs, local, tmp_path):
    from test_remote_store import Server  # a real oxigraph serve on loopback

    from kg.store.remote import RemoteStore

    server = Server(tmp_path / "oxigraph").start()
    try:
        with RemoteStore(server.url) as store:
            report = engine.build(inputs, store, Config(workers=2), scheduler=cluster.scheduler_address,
                                  shards=tmp_path / "shards", partition_size=3)
            assert report.stored == IDS
            same_graph(graph_of(store), local)
    finally:
        server.stop()
