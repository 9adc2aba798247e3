"""kg eval: its metrics on hand-made cases, and agreement with the reference scorers on the dev files."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kg import evaluation
from kg.config import Config
from kg.pipeline import extract_articles
from kg.read import make_article

SHARED = Path(__file__).resolve().parents[2] / "shared"
TOOLS = SHARED / "eval" / "tools"
TEXT = 'Iran said "we will win" and Russia agreed.'


def span(s, e):
    return {"start": s, "end": e, "text": TEXT[s:e]}


def test_overlap_threshold_is_strict_and_gold_normalised():
    gold = [{"id": "d", "text": TEXT, "attributions": [
        {"source": [span(0, 4)], "cue": [span(5, 9)], "content": [span(10, 23)]}]}]
    # 'we will' is 7 of the 11 gold characters once quote marks are trimmed: > 0.3, < 0.8
    pred = {"d": {"entities": [{"id": "e1", "mentions": [span(0, 4)]}],
                  "statements": [{"speaker": "e1", "speaker_mention": None, "cue": span(5, 9),
                                  "content": span(11, 18)}]}}
    scores = evaluation.score(gold, pred, {"d": TEXT})
    assert scores.statements[0.3].tp == 1 and scores.statements[0.3].speaker == 1
    assert scores.statements[0.8].tp == 0 and scores.statements[0.8].fn == 1 and scores.statements[0.8].fp == 1


def test_a_missing_speaker_is_right_only_when_gold_has_none():
    gold = [{"id": "d", "text": TEXT, "attributions": [{"source": [], "cue": [], "content": [span(10, 23)]}]}]
    pred = {"d": {"entities": [{"id": "e1", "mentions": [span(0, 4)]}],
                  "statements": [{"speaker": "e1", "content": span(10, 23)}]}}
    assert evaluation.score(gold, pred, {"d": TEXT}).statements[0.3].speaker == 0
    pred["d"]["statements"][0]["speaker"] = None
    assert evaluation.score(gold, pred, {"d": TEXT}).statements[0.3].speaker == 1


def _last_numbers(line: str) -> list[float]:
    return [float(x) for x in re.findall(r"=\s*([0-9.]+)", line)]


@pytest.fixture(scope="module")
def polnear_sample(tmp_path_factory):
    gold_file = SHARED / "eval" / "polnear-dev.jsonl"
    if not gold_file.is_file():
        pytest.skip("../shared/eval is not here")
    docs = [json.loads(line) for line in gold_file.read_text(encoding="utf-8").splitlines()[:8]]
    tmp = tmp_path_factory.mktemp("polnear")
    (tmp / "gold.jsonl").write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    articles = [make_article(d["id"], d["text"]) for d in docs]
    preds = [x.to_json() for x in extract_articles(articles, Config())]
    (tmp / "pred.jsonl").write_text("".join(json.dumps(p) + "\n" for p in preds), encoding="utf-8")
    return tmp, docs, {p["doc_id"]: p for p in preds}


def test_kg_eval_agrees_with_the_reference_quote_scorer(polnear_sample):
    tmp, docs, preds = polnear_sample
    out = subprocess.run([sys.executable, "score_quotes.py", "--gold", str(tmp / "gold.jsonl"),
                          "--pred", str(tmp / "pred.jsonl")], cwd=TOOLS, capture_output=True, text=True, check=True)
    f1_03, f1_08, spk = _last_numbers(out.stdout.strip().splitlines()[-1])
    ours = evaluation.score(docs, preds, {d["id"]: d["text"] for d in docs})
    c3, c8 = ours.statements[0.3], ours.statements[0.8]
    assert c3.tp > 0
    assert round(100 * c3.prf()[2], 1) == f1_03
    assert round(100 * c8.prf()[2], 1) == f1_08
    assert round(100 * c3.speaker / c3.tp, 1) == spk


def test_kg_eval_agrees_with_the_reference_seed_scorer(tmp_path):
    gold_file = SHARED / "eval" / "seed-gold.json"
    if not gold_file.is_file():
        pytest.skip("../shared/eval is not here")
    docs, texts = evaluation.read_gold(gold_file, Path(__file__).resolve().parents[1] / "seeds")
    (doc_id,) = texts
    pred = next(extract_articles([make_article(doc_id, texts[doc_id])], Config())).to_json()
    (tmp_path / "seed.json").write_text(json.dumps(pred), encoding="utf-8")
    out = subprocess.run([sys.executable, "score_seed.py", "--pred", str(tmp_path / "seed.json")], cwd=TOOLS,
                         capture_output=True, text=True, check=True)
    last = out.stdout.strip().splitlines()[-1]
    ref = dict(re.findall(r"([\w@.]+)=([0-9.]+)", last))
    ours = evaluation.score(docs, {doc_id: pred}, texts)
    assert f"{ours.statements[0.3].prf()[2]:.3f}" == ref["F1@0.3"]
    assert f"{ours.statements[0.8].prf()[2]:.3f}" == ref["F1@0.8"]
    rp, rr, _ = ours.relations.prf()
    assert (f"{rr:.3f}", f"{rp:.3f}") == (ref["R"], ref["P"])


def test_bad_gold_file_is_one_clear_error(tmp_path):
    bad = tmp_path / "gold.jsonl"
    bad.write_text('{"id": "x", "text": "t"}\n', encoding="utf-8")
    with pytest.raises(evaluation.EvalError, match="attributions"):
        evaluation.read_gold(bad)
