"""How entity linking changes as the knowledge base grows with `kg kb add`.

    python benchmarks/linking_growth.py [--shared ../shared] [--keep DIR]

Starts from the default KB, then adds, one step at a time and as a user would (`kg kb add FILE.csv`):
  1. office holders from the reference tables in SHARED/reference/wikidata/ (people with their positions and
     dates: US cabinet, Iran, Italy, Russia, Syria, world leaders of 2021);
  2. the international organisations of the same folder (names and abbreviations);
  3. an oracle step: every gold QID of news-fair-dev under its gold name only (no aliases), typed from the gold
     type. It is not a fair KB (it is built from the answers); it shows how far detection and the linker
     themselves go once the KB is no limit.
After each step it runs `kg extract` on news-fair-dev and scores it with SHARED/eval/tools/score_el.py (InKB
accuracy against the step's KB), and links the seed article with score_seed.py. The CSV files are written to a
temporary folder (or --keep DIR) and never into the project. Not a test: it needs ../shared and prints figures.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KG = [sys.executable, "-m", "kg"]
COLUMNS = ["qid", "label", "aliases", "description", "kind", "country", "position", "start", "end"]
# the countries of the per-country holder tables
HOLDER_TABLES = {"us-cabinet": "Q30", "iran-ministers": "Q794", "italy-ministers": "Q38",
                 "russia-cabinet": "Q159", "syria": "Q858"}


def _positions(ref: Path, table: str) -> dict[str, str]:
    """Holder-table position name -> position QID, where the positions table names it unambiguously."""
    path = ref / f"{table}-positions.csv"
    if not path.exists():
        return {}
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    out = {}
    for name in {r["position"] for r in csv.DictReader((ref / f"{table}-holders.csv").open(encoding="utf-8"))}:
        hits = [r["id"] for r in rows if r["position"] == name or r["position"].endswith(" " + name)]
        if len(hits) == 1:
            out[name] = hits[0]
    return out


def office_holders(ref: Path) -> list[dict]:
    rows = []
    for table, country in HOLDER_TABLES.items():
        positions = _positions(ref, table)
        for r in csv.DictReader((ref / f"{table}-holders.csv").open(encoding="utf-8")):
            rows.append({"qid": r["personID"], "label": r["person"], "kind": "Person", "country": country,
                         "description": f"{r['position']} ({country})", "position": positions.get(r["position"], ""),
                         "start": r["start"][:10] if r.get("start") and positions.get(r["position"]) else "",
                         "end": r["end"][:10] if r.get("end") and positions.get(r["position"]) else ""})
    for r in csv.DictReader((ref / "world-leaders-2021.csv").open(encoding="utf-8")):
        rows.append({"qid": r["officeholder"], "label": r["officeholderLabel"], "kind": "Person",
                     "country": r["countryid"], "description": r["positionLabel"], "position": r["position"],
                     "start": r["start_year"], "end": r["end_year"]})
    return [r for r in rows if re.fullmatch(r"Q[1-9]\d*", r["qid"])]


def organisations(ref: Path) -> list[dict]:
    """The top-level entries of international-organisations.yaml (read line by line: no YAML library)."""
    rows, entry = [], None
    for line in (ref / "international-organisations.yaml").open(encoding="utf-8"):
        if line[:1] not in (" ", "-", "") and line.rstrip().endswith(":"):
            entry = {"kind": "Organization", "aliases": []}
            rows.append(entry)
        elif entry is not None and line.startswith("  ") and ":" in line:
            key, _, value = line.strip().partition(":")
            value = value.strip().strip("'\"")
            if key == "Wikidata_code":
                entry["qid"] = value
            elif key == "Name_en":
                entry["label"] = value
            elif key.startswith(("Abbreviation_en", "Name_other")) and key.endswith("_en") and value:
                entry["aliases"].append(value)
    out = []
    for e in rows:
        if re.fullmatch(r"Q[1-9]\d*", e.get("qid", "")) and e.get("label"):
            out.append({"qid": e["qid"], "label": e["label"], "kind": "Organization",
                        "aliases": "|".join(a for a in e["aliases"] if "|" not in a)})
    return out


def oracle(shared: Path) -> list[dict]:
    sys.path.insert(0, str(shared / "eval" / "tools"))
    from ner_el_common import coarse_type

    kinds = {"PER": "Person", "ORG": "Organization", "LOC": "Place"}
    rows = {}
    for line in (shared / "eval" / "news-fair-dev.jsonl").open(encoding="utf-8"):
        for g in json.loads(line)["labels"]:
            kind = kinds.get(coarse_type(g.get("type") or ""))
            if g.get("qid") and kind and g.get("name"):
                rows[g["qid"]] = {"qid": g["qid"], "label": g["name"], "kind": kind}
    return list(rows.values())


def _write(path: Path, rows: list[dict]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, COLUMNS)
        w.writeheader()
        for r in rows:
            w.writerow({c: r.get(c, "") for c in COLUMNS})
    return path


def _run(args: list[str], env: dict, cwd: Path | None = None) -> str:
    out = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"{' '.join(args)} failed: {(out.stderr.strip().splitlines() or ['no message'])[-1]}")
    return out.stdout


def measure(tmp: Path, env: dict, shared: Path) -> dict:
    tools = shared / "eval" / "tools"
    kb_list = tmp / "kb-qids.txt"
    kb_list.write_text(_run(KG + ["kb", "qids"], env), encoding="utf-8")
    _run(KG + ["extract", str(tmp / "nf.in.jsonl"), "--output", str(tmp / "nf.pred.jsonl")], env)
    el = _run([sys.executable, "score_el.py", "--gold", "../news-fair-dev.jsonl", "--pred", str(tmp / "nf.pred.jsonl"),
               "--kb", str(kb_list), "--json", str(tmp / "el.json")], env, cwd=tools)
    exact = json.loads((tmp / "el.json").read_text())["results"]["exact"]
    seed = next((shared / "seeds").glob("*.txt"))
    _run(KG + ["extract", str(seed), "--output", str(tmp / "seed.pred.jsonl")], env)
    seed_out = _run([sys.executable, "score_seed.py", "--pred", str(tmp / "seed.pred.jsonl")], env, cwd=tools)
    qid_line = next((line for line in seed_out.splitlines() if "qid" in line.lower()), "")
    return {"el": exact, "el_summary": el.strip().splitlines()[-1], "seed_qid": qid_line.strip(),
            "kb": sum(1 for _ in kb_list.open())}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--keep", help="write the CSV files and predictions here instead of a temporary folder")
    args = ap.parse_args()
    shared = Path(args.shared)
    ref = shared / "reference" / "wikidata"
    if not ref.is_dir() or not (shared / "eval" / "news-fair-dev.jsonl").exists():
        sys.exit(f"{shared} has no reference/wikidata or eval/news-fair-dev.jsonl; give --shared PATH")
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(args.keep or t)
        tmp.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ, KG_KB=str(tmp / "kb.sqlite"), PYTHONPATH=str(ROOT))
        (tmp / "kb.sqlite").unlink(missing_ok=True)
        (tmp / "nf.in.jsonl").write_text(_run([sys.executable, "make_inputs.py", "../news-fair-dev.jsonl"], env,
                                              cwd=shared / "eval" / "tools"), encoding="utf-8")
        steps = [("default KB", None),
                 ("+ office holders", _write(tmp / "office-holders.csv", office_holders(ref))),
                 ("+ international organisations", _write(tmp / "organisations.csv", organisations(ref))),
                 ("+ oracle: gold QIDs by gold name", _write(tmp / "oracle.csv", oracle(shared)))]
        print(f"{'step':<34}{'KB':>7}{'TP':>5}{'FP':>5}{'P':>8}{'R':>8}{'InKB':>14}   seed")
        for name, csv_path in steps:
            if csv_path is not None:
                if name.startswith("+ oracle"):  # only what the KB lacks: a gold type must not overwrite a KB kind
                    known = set(_run(KG + ["kb", "qids"], env).split())
                    _write(csv_path, [r for r in oracle(shared) if r["qid"] not in known])
                _run(KG + ["kb", "add", str(csv_path)], env)
            r = measure(tmp, env, shared)
            a = r["el"]["categories"]["all"]
            ik = r["el"]["inkb"]
            print(f"{name:<34}{r['kb']:>7}{a['tp']:>5}{a['fp']:>5}{a['precision']:>8.3f}{a['recall']:>8.3f}"
                  f"{ik['accuracy']:>7.3f} {ik['tp']:>3}/{ik['gold']:<3}   {r['seed_qid']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
