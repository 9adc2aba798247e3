"""Time and peak memory of parsing and extracting one long article, by its size: both should grow in step
with the size (kg parses and extracts an article longer than kg.nlp.PIECE_CHARS a piece at a time).

    python benchmarks/long_article.py [--sizes 125000 250000 500000 1000000 2000000] [--texts PATH ...]

The article is real news text: the texts of PATH (default ../shared/eval/polnear-dev.jsonl, else the seed
article) one after the other, as paragraphs, cut at the size. Each size runs in its own process (its peak
RSS is its own), after the spaCy pipeline and the knowledge base are loaded, which is not counted. Not a
test: figures depend on the machine.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEV = ROOT.parent / "shared" / "eval" / "polnear-dev.jsonl"


def _text(paths: list[Path], size: int) -> str:
    texts = []
    for p in paths:
        if p.suffix == ".jsonl":
            texts += [json.loads(line)["text"] for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
        else:
            texts.append(p.read_text(encoding="utf-8"))
    out, n = [], 0
    while n < size:
        for t in texts:
            out.append(t.strip())
            n += len(out[-1]) + 2
            if n >= size:
                break
    return "\n\n".join(out)[:size]


def _one(size: int, paths: list[Path]) -> None:
    """In a child process: print seconds and peak MiB of extracting one article of ``size`` characters."""
    from kg.config import Config
    from kg.pipeline import extract_articles, warm
    from kg.read import make_article

    config = Config(workers=1)
    warm(config)
    article = make_article("long", _text(paths, size))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    x = next(extract_articles([article], config))
    took = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": took, "peak": peak, "before": before, "statements": len(x.statements),
                      "entities": len(x.entities)}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[125_000, 250_000, 500_000, 1_000_000, 2_000_000])
    ap.add_argument("--texts", type=Path, nargs="+", default=[DEV] if DEV.is_file() else [ROOT / "seeds"])
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    paths = [f for p in args.texts for f in (sorted(p.glob("*.txt")) if p.is_dir() else [p])]
    if args.child:
        _one(args.child, paths)
        return
    from kg.nlp import PIECE_CHARS

    print(f"# python benchmarks/long_article.py --sizes {' '.join(map(str, args.sizes))}")
    print(f"# one article of real news text per size, pieces of at most {PIECE_CHARS:,} characters")
    print("| characters | parse + extract | per 100,000 characters | peak RSS | statements |")
    print("|---|---|---|---|---|")
    for size in args.sizes:
        run = subprocess.run([sys.executable, __file__, "--child", str(size), "--texts", *map(str, args.texts)],
                             capture_output=True, text=True, check=True)
        r = json.loads(run.stdout.strip().splitlines()[-1])
        print(f"| {size:,} | {r['seconds']:.1f} s | {r['seconds'] * 100_000 / size:.1f} s | {r['peak']:,.0f} MiB "
              f"| {r['statements']:,} |", flush=True)


if __name__ == "__main__":
    main()
