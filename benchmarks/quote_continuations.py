"""Quotations that span several sentences or paragraphs: kg against a small hand annotation of its own.

    python benchmarks/quote_continuations.py [--shared ../shared]

tests/data/quote-continuations.jsonl holds 18 statements of 15 dev articles (polnear-dev and news-fair-dev),
annotated by hand for this purpose: quotations of several sentences, quotations that go on in the paragraphs
after their attribution (floating quotes), one quotation interrupted by a bare attribution ('"...," Nervo
wrote. "..."'), a quotation that goes on after a longer attribution, which is a statement of its own as in
the seed annotation, and quotations in straight single marks (Daily Mail style). Each item gives the quoted parts (without their marks), the source and the cue, as
character offsets only; the article texts are read from SHARED/eval. Only kg's statements that overlap an
annotated paragraph are scored, with SHARED/eval/tools/score_quotes.py (all modes, then speech only). Not a
test: it needs ../shared and prints figures.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "data" / "quote-continuations.jsonl"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"), help="the shared folder (default ../shared)")
    args = ap.parse_args()
    shared = Path(args.shared)
    if not (shared / "eval" / "tools" / "score_quotes.py").exists():
        print(f"error: {shared}/eval is missing; give --shared PATH", file=sys.stderr)
        return 2
    sys.path.insert(0, str(ROOT))
    from kg.config import Config
    from kg.pipeline import extract_articles
    from kg.read import make_article

    items = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = {}
    for name in {d["set"] for d in items}:
        for line in (shared / "eval" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            d = json.loads(line)
            texts[d["id"]] = d["text"]
    with tempfile.TemporaryDirectory() as tmp:
        gold, pred = Path(tmp) / "gold.jsonl", Path(tmp) / "pred.jsonl"
        with gold.open("w", encoding="utf-8") as g:
            for d in items:
                g.write(json.dumps({"id": d["id"], "text": texts[d["id"]], "attributions": d["attributions"]}) + "\n")
        regions = {d["id"]: d["regions"] for d in items}
        with pred.open("w", encoding="utf-8") as p:
            for x in extract_articles([make_article(d["id"], texts[d["id"]]) for d in items], Config()):
                out = x.to_json()
                out["statements"] = [s for s in out["statements"] if any(
                    s["content"]["start"] < b and a < s["content"]["end"] for a, b in regions[out["doc_id"]])]
                p.write(json.dumps(out) + "\n")
        tool = shared / "eval" / "tools" / "score_quotes.py"
        for mode in ([], ["--mode", "speech"]):
            print(f"$ score_quotes.py --gold quote-continuations --pred kg {' '.join(mode)}".rstrip())
            run = subprocess.run([sys.executable, str(tool), "--gold", str(gold), "--pred", str(pred), *mode],
                                 capture_output=True, text=True)
            print(run.stdout.strip() or run.stderr.strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
