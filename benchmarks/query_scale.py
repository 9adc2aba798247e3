"""Every saved query on a store of N articles: in-process median, one whole `kg query` process, rows.

    python benchmarks/query_scale.py --articles 10000 [--texts PATH ...] [--cache DIR] [--runs 5] [--store DIR]

The store: the dev texts (by default ../shared/eval polnear-dev, aida-dev, news-fair-dev and the seed article,
about 350 documents) are extracted for real, once (cached), and their article graphs are then copied under new
article ids up to N articles. Actors stay shared, as in a real corpus where the same people recur, so the
busiest actor has thousands of statements. The store is loaded the way `kg build` loads a first build
(kg.store.EmbeddedStore.write_articles), enriched (`kg enrich`), and kept in the cache for the next run.

Each saved query runs with parameters that hit the busiest actor, target, topic and relation type, as a
table page would (the first 50 rows, and the total): one warm-up, then the median of --runs in this process,
then the median of three whole `kg query` processes. Not a test: figures depend on the machine.
"""
from __future__ import annotations

import argparse
import dataclasses
import gc
import hashlib
import os
import pickle
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SHARED = ROOT.parent / "shared"
DEFAULT_TEXTS = [SHARED / "eval" / "polnear-dev.jsonl", SHARED / "eval" / "aida-dev.jsonl",
                 SHARED / "eval" / "news-fair-dev.jsonl", ROOT / "seeds"]
BATCH = 256
REFERENCE_ALL = 20_000  # up to this many articles, the bare bulk_load reference loads all of them
REFERENCE_BATCHES = 8  # beyond, its first batches
# `kg` as a user runs it: Python caches compiled modules. Some sandboxes set PYTHONDONTWRITEBYTECODE, which
# makes every process compile kg afresh (about 60 ms more per process here).
USER_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def fingerprint(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in sorted(paths):
        for f in sorted(p.rglob("*")) if p.is_dir() else [p]:
            if f.is_file() and "__pycache__" not in f.parts:
                h.update(str(f.relative_to(ROOT) if f.is_relative_to(ROOT) else f).encode())
                h.update(f.read_bytes())
    return h.hexdigest()[:12]


def extraction_key(texts: list[Path]) -> str:
    """Changes with the texts and with the code that extracts them."""
    return fingerprint(texts + [ROOT / "kg" / "extract", ROOT / "kg" / "link", ROOT / "kg" / "lexicons"])


def extractions(texts: list[Path], cache: Path, key: str):
    """The extractions of the dev texts, computed once per ``key`` (:func:`extraction_key`)."""
    from kg.config import Config
    from kg.pipeline import extract_articles
    from kg.read import Problem, read

    path = cache / f"extractions-{key}.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    articles = [a for a in read([str(t) for t in texts], max_bytes=50_000_000) if not isinstance(a, Problem)]
    print(f"extracting {len(articles)} dev articles (once; cached in {path})", file=sys.stderr)
    problems: list = []
    out = list(extract_articles(articles, Config(), problems))
    path.write_bytes(pickle.dumps(out))
    return out


def copies(base: list, n: int):
    """n articles: the base ones, then copies of them under new ids (the graph of each is its own)."""
    for i in range(n):
        x = base[i % len(base)]
        c = i // len(base)
        if c:
            x = dataclasses.replace(x, article=dataclasses.replace(x.article, id=f"{x.article.id}~{c}"))
        yield x


def build_store(base: list, n: int, path: Path, reference: bool) -> dict:
    """Load n articles as a first build does, enrich, and return the load figures."""
    import pyoxigraph as ox

    from kg import resources
    from kg.config import Config
    from kg.enrich import enrich
    from kg.link.default_kb import open_default
    from kg.rdf import article_graph
    from kg.store import EmbeddedStore

    config = Config()
    shutil.rmtree(path, ignore_errors=True)
    figures = {"map_s": 0.0, "load_s": 0.0, "quads": 0}
    # the reference: Oxigraph's bulk_load of the same batches, into an empty store as kg's was; of all of them
    # up to REFERENCE_ALL articles (kept in a file meanwhile), of the first REFERENCE_BATCHES beyond
    kept = path.parent / "bulk-reference.nq"
    sizes: list[int] = []
    whole = n <= REFERENCE_ALL
    with EmbeddedStore(path) as store:
        store.ensure_ontology(resources.ontology())
        batch = []
        for x in copies(base, n):
            t = time.perf_counter()
            batch.append(article_graph(x, base_iri=config.base_iri, content_hash="benchmark"))
            figures["map_s"] += time.perf_counter() - t
            if len(batch) == BATCH:
                figures["quads"] += sum(g.nquads.count(b"\n") for g in batch)
                if reference and (whole or len(sizes) < REFERENCE_BATCHES):
                    data = b"".join(g.nquads for g in batch)
                    with kept.open("ab" if sizes else "wb") as f:
                        f.write(data)
                    sizes.append(len(data))
                t = time.perf_counter()
                store.write_articles(batch)
                figures["load_s"] += time.perf_counter() - t
                batch = []
        figures["quads"] += sum(g.nquads.count(b"\n") for g in batch)
        t = time.perf_counter()
        store.write_articles(batch)
        store.finish(compact=False)  # the first build's summary
        store._store.flush()
        figures["load_s"] += time.perf_counter() - t
        t = time.perf_counter()
        store.compact()  # as a first build ends
        figures["compact_s"] = time.perf_counter() - t
        t = time.perf_counter()
        with open_default(None) as kb:
            enrich(store, kb, base_iri=config.base_iri)
        figures["enrich_s"] = time.perf_counter() - t
    if sizes:  # bare bulk_load of the same batches, for the load rate kg keeps
        ref = path.parent / "bulk-reference"
        shutil.rmtree(ref, ignore_errors=True)
        s = ox.Store(str(ref))
        quads, elapsed = 0, 0.0
        with kept.open("rb") as f:
            for size in sizes:
                data = f.read(size)
                quads += data.count(b"\n")
                t = time.perf_counter()
                s.bulk_load(data, format=ox.RdfFormat.N_QUADS)
                elapsed += time.perf_counter() - t
        t = time.perf_counter()
        s.flush()
        elapsed += time.perf_counter() - t
        figures["bulk_rate"], figures["bulk_batches"], figures["bulk_all"] = quads / elapsed, len(sizes), whole
        del s
        shutil.rmtree(ref, ignore_errors=True)
        kept.unlink()
    (path / "benchmark-complete").write_text(str(n))
    return figures


def busiest(store) -> dict[str, str]:
    """Parameters that hit the busiest actor, target, topic, relation type, country and fact."""
    def one(sparql: str) -> str:
        row = next(iter(store.query(sparql)), None)
        return row[0].value if row is not None else ""
    return {
        "actor": one("SELECT ?l WHERE { GRAPH kgg:summary { ?a kg:statementCount ?n ; rdfs:label ?l } } "
                     "ORDER BY DESC(?n) LIMIT 1"),
        "target": one("SELECT ?l WHERE { { SELECT ?t (COUNT(*) AS ?n) WHERE { { ?f kg:about ?t } UNION "
                      "{ ?f kg:object ?t } } GROUP BY ?t ORDER BY DESC(?n) LIMIT 1 } "
                      "GRAPH kgg:summary { ?t rdfs:label ?l } }"),
        "topic": one("SELECT ?k WHERE { ?f kg:topicKey ?k } GROUP BY ?k ORDER BY DESC(COUNT(*)) LIMIT 1"),
        "type": one("SELECT (REPLACE(STR(?c), '^.*#', '') AS ?t) WHERE { ?r kg:relationType ?c } GROUP BY ?c "
                    "ORDER BY DESC(COUNT(*)) LIMIT 1"),
        "country": one("SELECT ?q WHERE { GRAPH kgg:summary { ?a a kg:Country ; kg:wikidataId ?q ; "
                       "kg:mentionCount ?n } } ORDER BY DESC(?n) LIMIT 1"),
        "fact": one("SELECT (STRAFTER(STR(?f), 'statement/') AS ?h) WHERE { ?f a kg:Quotation } LIMIT 1"),
    }


def cases(b: dict[str, str]) -> list[tuple[str, dict[str, str]]]:
    return [
        ("actors", {}), ("articles", {}), ("unlinked", {}), ("conflicts", {}), ("positions-by-country", {}),
        ("positions", {"actor": b["actor"]}), ("positions", {"actor": b["actor"], "mode": "speech"}),
        ("positions", {"actor": b["actor"], "mode": "thought"}),
        ("quotes", {"actor": b["actor"]}), ("timeline", {"actor": b["actor"]}),
        ("supporters", {"target": b["target"]}), ("opponents", {"target": b["target"]}),
        ("supporters", {"target": b["topic"]}), ("opponents", {"target": b["topic"]}),
        ("relations", {"type": b["type"]}), ("relations", {"actor": b["actor"]}),
        ("provenance", {"actor": b["actor"]}), ("provenance", {"fact": b["fact"]}),
        ("office-holders", {"country": b["country"]}),
        ("relations", {}), ("provenance", {}),
    ]


def kg_command(name: str, params: dict[str, str], store: Path) -> list[str]:
    kg = Path(sys.executable).with_name("kg")
    cmd = [str(kg), "query", name, "--store", str(store)]
    for k, v in params.items():
        cmd += ["--param", f"{k}={v}"]
    return cmd


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=1000, help="articles in the store (e.g. 1000, 10000, 100000)")
    ap.add_argument("--texts", nargs="+", type=Path, default=DEFAULT_TEXTS, help="the texts to extract")
    ap.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "kg" / "benchmark",
                    help="where extractions and stores are kept between runs")
    ap.add_argument("--runs", type=int, default=5, help="in-process runs per query, after one warm-up")
    ap.add_argument("--rebuild", action="store_true", help="build the store again even if one is cached")
    ap.add_argument("--store", type=Path, help="measure this store, built by an earlier run (perhaps of an older "
                    "kg, whose summary kg brings up to date when it opens it), instead of building one")
    args = ap.parse_args()
    texts = [t for t in args.texts if t.exists()]
    if not texts:
        print(f"none of the texts exist: {' '.join(map(str, args.texts))}; give --texts", file=sys.stderr)
        return 2
    args.cache.mkdir(parents=True, exist_ok=True)

    from kg import queries
    from kg.store import EmbeddedStore

    key = extraction_key(texts)
    base = extractions(texts, args.cache, key)
    # a store is built again when the extractions it copies or the code that maps and stores them change
    code = fingerprint([ROOT / "kg" / "rdf", ROOT / "kg" / "store", ROOT / "kg" / "enrich.py"]) + key[:6]
    store_path = args.store or args.cache / f"store-{args.articles}-{len(base)}-{code}"
    figures = None
    if args.store and not (store_path / "benchmark-complete").exists():
        print(f"{store_path} is no store this script built; leave --store out to build one", file=sys.stderr)
        return 2
    if not args.store and (args.rebuild or not (store_path / "benchmark-complete").exists()):
        for old in args.cache.glob(f"store-{args.articles}-*"):
            shutil.rmtree(old, ignore_errors=True)
        print(f"building a store of {args.articles} articles in {store_path}", file=sys.stderr)
        figures = build_store(base, args.articles, store_path, reference=True)
    size = sum(f.stat().st_size for f in store_path.rglob("*") if f.is_file())
    # the queries run in a process like a user's `kg query`: without the extractions on the heap, whose
    # millions of objects Python's garbage collector would walk again and again while answers are read
    extracted = len(base)
    del base
    gc.collect()

    results = []
    with EmbeddedStore(store_path, create=False) as store:
        stats = store.stats()
        b = busiest(store)
        for name, params in cases(b):
            times, answer = [], None
            for i in range(args.runs + 1):
                t = time.perf_counter()
                answer = queries.answer(store, name, params, limit=queries.TABLE_PAGE)
                if i:
                    times.append(time.perf_counter() - t)
            results.append([name, params, answer.total, statistics.median(times)])
    for r in results:
        process = []
        for _ in range(3):
            t = time.perf_counter()
            done = subprocess.run(kg_command(r[0], r[1], store_path), capture_output=True, text=True, env=USER_ENV)
            process.append(time.perf_counter() - t)
            if done.returncode:
                print(f"kg query {r[0]} failed: {done.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
        r.append(statistics.median(process))
    t = time.perf_counter()
    subprocess.run([str(Path(sys.executable).with_name("kg")), "stats", "--store", str(store_path)],
                   capture_output=True, check=True, env=USER_ENV)
    stats_s = time.perf_counter() - t

    print(f"# {shlex.join(['python', 'benchmarks/query_scale.py'] + sys.argv[1:])}")
    print(f"# {stats['articles']:,} articles ({extracted} extracted dev articles, copied), {stats['entities']:,} actors,"
          f" {stats['statements']:,} statements, {stats['relations']:,} relations, {stats['triples']:,} triples")
    if figures:
        rate = figures["quads"] / figures["load_s"]
        line = (f"# load (kg's first build: bulk load + summary): {figures['load_s']:.1f} s, {rate:,.0f} quads/s")
        if "bulk_rate" in figures:
            of = (f"the same {figures['bulk_batches']} full batches" if figures["bulk_all"] else
                  f"the first {figures['bulk_batches']} batches")
            line += (f"; bare bulk_load of {of} {figures['bulk_rate']:,.0f} quads/s (kg keeps "
                     f"{rate / figures['bulk_rate']:.2f} of it)")
        print(line + f"; then compaction {figures['compact_s']:.1f} s; mapping to RDF {figures['map_s']:.1f} s; "
                     f"kg enrich {figures['enrich_s']:.1f} s")
    else:
        print(f"# store reused from {store_path} (load figures are printed when it is built)")
    print(f"# store on disk: {size / 1e6:,.0f} MB, {size / stats['articles'] / 1e3:,.1f} kB per article; "
          f"kg stats (whole process): {stats_s:.2f} s")
    print()
    print("| query | parameters | rows | in-process median | whole `kg query` process |")
    print("|---|---|---|---|---|")
    for name, params, total, inproc, process in results:
        shown = " ".join(f"{k}={v}" for k, v in params.items()) or "-"
        print(f"| {name} | {shown} | {total:,} | {inproc * 1000:,.1f} ms | {process:.2f} s |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
