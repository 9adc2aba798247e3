"""Extraction on a Dask cluster: ``kg build PATH... --engine dask [--scheduler ADDRESS]``.

This process (the client) reads the articles, skips the unchanged ones (by content hash, as a local build does)
and cuts the rest into partitions. Each partition goes to a Dask worker, which parses, extracts, links and maps
its articles with the functions of a local build (:func:`kg.pipeline._extractor`, :func:`kg.pipeline.mapped`),
so the graphs are the same, and writes them as one N-Quads shard (:mod:`kg.shards`). The client loads each shard
into the store, embedded or remote, in partition order as the shards come in, through the store's write path for
article graphs: the summary graph is kept in step, and a first build into an empty store is bulk-loaded.

A worker that dies loses the partition it was running: the scheduler runs it again on another worker (up to
``distributed.scheduler.allowed-failures`` times, 3 by default), and a partition whose code raises is retried
``RETRIES`` times. A shard has a name fixed by its partition and is written whole or not at all
(:func:`kg.shards.write_shard`), and the client loads a shard once, after its partition has finished: no article
is lost or stored twice.

Without a scheduler address, a ``LocalCluster`` of ``config.workers`` single-threaded worker processes runs on
this machine. A real cluster's workers must see the shards' folder (``--shards DIR`` on a shared file system)
and hold the same kg, spaCy pipeline and knowledge base as the client: each partition checks that first.
"""
from __future__ import annotations

import hashlib
import logging
import shutil
import tempfile
import uuid
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from kg import __version__, lexicons, nlp, resources
from kg import progress as progressbar
from kg.config import Config
from kg.errors import ClusterError, ConfigError, KgError
from kg.model import Article
from kg.read import Problem

log = logging.getLogger(__name__)

PARTITION_SIZE = 64  # articles per partition: about 15 s of a core for news articles, much more than a task costs
RETRIES = 2  # more runs of a partition whose code raised (a worker that dies is the scheduler's to retry)


@dataclass
class Partition:
    number: int
    articles: list[tuple[Article, str]]  # each with its content hash
    problems: list[Problem] = field(default_factory=list)  # input problems read while it was filled


@dataclass(frozen=True)
class PartitionResult:
    number: int
    shard: str  # the path of its shard, as the worker wrote it
    digest: str  # the SHA-256 of its bytes
    entries: list  # kg.shards.Entry of each article in it, in order
    problems: list[Problem]


def build(paths: Iterable[str | Path], store, config: Config, *, scheduler: str | None = None,
          shards: str | Path | None = None, partition_size: int = PARTITION_SIZE, force: bool = False,
          fetcher=None, progress: bool = False, task: Callable | None = None):
    """Build as :func:`kg.pipeline.build` does, extracting on a Dask cluster; returns a
    :class:`kg.pipeline.BuildReport`.

    ``scheduler``: the address of a running scheduler (``tcp://host:8786``); None starts a LocalCluster of
    ``config.workers`` processes. ``shards``: the folder the shards are written to and kept in (new or empty; it
    must be on a file system the workers and this process share); None writes them to a temporary folder and
    deletes each once it is loaded. ``task``: what runs a partition on a worker (:func:`extract_partition`, or a
    wrapper of it in tests)."""
    from kg.link.default_kb import open_default
    from kg.pipeline import BuildReport, _pending

    distributed = _dask()
    if config.online:
        raise ConfigError("--online builds look names up as they come and write the answers into the knowledge "
                          "base, one writer at a time: build with --engine local")
    if scheduler and shards is None:
        raise ConfigError("a cluster's workers write the shards where kg reads them: give --shards DIR, a folder "
                          "on a file system that the workers and this machine share")
    if partition_size < 1:
        raise ConfigError(f"the partition size must be at least 1, not {partition_size}")
    task = task or extract_partition
    report = BuildReport()
    store.ensure_ontology(resources.ontology())
    with open_default(config.kb or None) as kb:  # built here on first use, as a local build does
        kb_state = kb.state()
    expected = fingerprint(config, kb_state)
    with ExitStack() as stack:
        folder, keep = _folder(shards, stack)
        pending = _pending(paths, store, config, kb_state, force, report, fetcher)
        bar = stack.enter_context(progressbar.bar(None, desc="kg build", unit=" article", enabled=progress))
        loader = _Loader(store, folder, config.base_iri, keep, report, bar)
        token = uuid.uuid4().hex[:8]
        client = futures = None
        running = window = 0
        for partition in partitions(pending, partition_size):
            report.problems.extend(partition.problems)
            if not partition.articles:
                continue
            if client is None:  # only once there is work: a build of unchanged articles needs no cluster
                client = _client(distributed, scheduler, config, stack)
                futures = distributed.as_completed(loop=client.loop)
                window = _window(client, scheduler)
            futures.add(client.submit(task, partition.number, partition.articles, str(folder), config, expected,
                                      key=f"kg-partition-{partition.number}-{token}", retries=RETRIES, pure=False))
            running += 1
            while running >= window:  # a few partitions ahead of the workers: the client holds their texts
                loader.take(_result(next(futures), distributed))
                running -= 1
        for future in futures or ():
            loader.take(_result(future, distributed))
        loader.finish()
    return report


def _dask():
    try:
        import distributed
    except ImportError:
        raise ClusterError("--engine dask needs Dask: pip install 'dask[distributed]' (or build with --engine "
                           "local)") from None
    return distributed


def _folder(shards, stack: ExitStack) -> tuple[Path, bool]:
    """The shards' folder, and whether its shards are kept."""
    if shards is None:
        folder = Path(tempfile.mkdtemp(prefix="kg-shards-"))
        stack.callback(shutil.rmtree, folder, ignore_errors=True)
        return folder, False
    folder = Path(shards)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ConfigError(f"--shards {folder} is not a new or empty folder; shards of another build would be "
                          "mixed with these: give a new folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"cannot make the shards' folder {folder}: {exc.strerror or exc}") from None
    return folder, True


def _client(distributed, scheduler: str | None, config: Config, stack: ExitStack):
    import dask

    # Dask logs each worker's start and stop at INFO, and a partition given up as an error kg reports itself:
    # its warnings (a worker that died and was restarted) only when kg logs what it does (kg -v)
    logger = logging.getLogger("distributed")
    stack.callback(logger.setLevel, logger.level)
    logger.setLevel(logging.WARNING if log.isEnabledFor(logging.INFO) else logging.CRITICAL)
    if scheduler is None:
        # the scheduler's HTTP server (health, metrics; the dashboard where bokeh is installed) on a free loopback
        # port, not on every interface at 8787
        cluster = stack.enter_context(distributed.LocalCluster(
            n_workers=config.workers, threads_per_worker=1, processes=True, dashboard_address="127.0.0.1:0",
            silence_logs=logging.ERROR))
        return stack.enter_context(distributed.Client(cluster, set_as_default=False))
    timeout = dask.config.get("distributed.comm.timeouts.connect")
    try:
        return stack.enter_context(distributed.Client(scheduler, timeout=timeout, set_as_default=False))
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        why = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ClusterError(f"cannot reach the Dask scheduler at {scheduler} ({why[:200]}); check the address "
                           "(tcp://HOST:8786) and that the scheduler runs") from None


def _window(client, scheduler: str | None) -> int:
    """How many partitions may be submitted and not yet loaded: two per worker thread."""
    threads = sum(client.nthreads().values())
    if not threads and scheduler:
        log.warning("the scheduler at %s has no workers yet; the partitions wait for one", scheduler)
    return max(2, 2 * threads)


def _result(future, distributed) -> PartitionResult:
    try:
        return future.result()
    except KgError:
        raise  # a worker's kg error (a missing pipeline, a knowledge base that differs) says what to do
    except distributed.KilledWorker:
        raise ClusterError(f"the workers that ran partition {_number(future)} died (often memory running out) and "
                           "the scheduler gave it up; the articles stored so far are complete: build again to add "
                           "the rest, with a smaller --partition-size or workers with more memory") from None
    except Exception as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        raise ClusterError(f"partition {_number(future)} failed on the cluster ({type(exc).__name__}: "
                           f"{first[:300]}); the articles stored so far are complete: build again to add the "
                           "rest") from None


def _number(future) -> str:
    return str(future.key).split("-")[2]  # kg-partition-N-TOKEN


def partitions(pending: Iterable, size: int) -> Iterator[Partition]:
    """The (article, content hash) pairs of ``pending`` in partitions of ``size``, numbered from 0, each with the
    problems read while it was filled (a last partition may hold problems only)."""
    current = Partition(0, [])
    for item in pending:
        if isinstance(item, Problem):
            current.problems.append(item)
            continue
        current.articles.append(item)
        if len(current.articles) == size:
            yield current
            current = Partition(current.number + 1, [])
    if current.articles or current.problems:
        yield current


class _Loader:
    """Loads the shards into the store in partition order, as their partitions finish: the graphs of small shards
    are gathered into writes of :data:`kg.shards.BATCH` (each bulk load costs a few files for RocksDB to merge)."""

    def __init__(self, store, folder: Path, base_iri: str, keep: bool, report, bar):
        self.store, self.folder, self.base_iri, self.keep, self.report, self.bar = \
            store, folder, base_iri, keep, report, bar
        self.done: dict[int, PartitionResult] = {}
        self.next = 0
        self.graphs: list = []  # read from shards, not yet written
        self.read: list[tuple[Path, PartitionResult]] = []  # those shards

    def take(self, result: PartitionResult) -> None:
        from kg import shards

        self.done[result.number] = result
        while self.next in self.done:
            r = self.done.pop(self.next)
            path = self.folder / Path(r.shard).name
            if not path.is_file():
                raise ClusterError(f"a worker wrote shard {r.shard}, which is not in {self.folder} on this "
                                   "machine; give --shards a folder on a file system that the workers and this "
                                   "machine share")
            # the worker listed each graph's bytes and summary part, as a local build's worker hands them over
            self.graphs += shards.own_shard(path, r.digest, r.entries)
            self.read.append((path, r))
            self.next += 1
            if len(self.graphs) >= shards.BATCH:
                self.write()

    def write(self) -> None:
        from kg import shards

        shards.write(self.store, self.graphs)
        self.report.stored += [g.article_id for g in self.graphs]
        for path, r in self.read:
            self.report.problems += r.problems
            if not self.keep:
                path.unlink(missing_ok=True)
        self.bar.update(len(self.graphs) + sum(len(r.problems) for _, r in self.read))
        self.graphs, self.read = [], []

    def finish(self) -> None:
        # only partitions with articles were submitted: numbers of problem-only partitions never come
        if self.done:  # a partition that finished and was never loaded would be articles lost
            raise ClusterError(f"partitions {sorted(self.done)} finished but were never loaded; run the build again")
        self.write()


# --- on the workers ------------------------------------------------------------------------------------------------

def fingerprint(config: Config, kb_state: str) -> dict[str, str]:
    """What must be the same on the client and on a worker for the worker's graphs to be the ones a local build
    makes: everything that goes into a content hash but the article."""
    from kg.pipeline import RULES_VERSION

    return {"kg version": __version__, "rules version": str(RULES_VERSION), "lexicons": lexicons.digest(),
            "spaCy pipeline": f"{config.pipeline} {nlp.pipeline_version(config.pipeline)}".strip(),
            "knowledge base": hashlib.sha256(kb_state.encode()).hexdigest()[:16]}


_kb_states: dict[str, str] = {}  # this worker's knowledge base (by setting) -> its state when last used


def _check_worker(config: Config, expected: dict[str, str]) -> None:
    import socket

    from kg.link.default_kb import open_default

    with open_default(config.kb or None) as kb:
        state = kb.state()
    if _kb_states.get(config.kb, state) != state:  # the KB changed since this worker loaded its gazetteer
        nlp._load.cache_clear()
    _kb_states[config.kb] = state
    mine = fingerprint(config, state)
    differ = [k for k in expected if mine.get(k) != expected[k]]
    if differ:
        shown = "; ".join(f"{k}: {mine.get(k)!r} here, {expected[k]!r} on the client" for k in differ)
        raise ConfigError(f"Dask worker on {socket.gethostname()} would not build the graphs kg builds on the "
                          f"client ({shown}); install the same kg, spaCy pipeline and knowledge base (KG_KB) on "
                          "every worker")


def extract_partition(number: int, articles: list[tuple[Article, str]], folder: str, config: Config,
                      expected: dict[str, str]) -> PartitionResult:
    """Run on a worker: parse, extract, link and map one partition's articles as a local build does, and write
    their graphs as the partition's shard. An article whose extraction fails is a Problem, as in a local
    build; the spaCy pipeline is loaded once per worker process (:func:`kg.nlp.load`)."""
    from kg import shards
    from kg.pipeline import _extractor, mapped
    from kg.rdf import ArticleGraph

    _check_worker(config, expected)
    with _extractor(config) as work:
        results = mapped(articles, work(articles), config)
    graphs = [r for r in results if isinstance(r, ArticleGraph)]
    path, digest = shards.write_shard(folder, number, graphs)
    return PartitionResult(number, str(path), digest, shards.entries(graphs),
                           [r for r in results if isinstance(r, Problem)])


def warm_workers(client, config: Config) -> None:
    """Load the spaCy pipeline and the indexes extraction builds on first use in every worker, in the thread that
    runs its tasks (benchmarks: so that start-up is not counted)."""
    from kg.pipeline import warm

    client.gather([client.submit(warm, config, workers=[w], pure=False, allow_other_workers=False)
                   for w in client.nthreads()])
