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


def test_bad_gold_file_is_one_clear_error(tmp_path, capsys):
    bad = tmp_path / "gold.jsonl"
    bad.write_text('{"id": "x", "text": "t"}\n', encoding="utf-8")
    with pytest.raises(evaluation.EvalError, match="attributions") as err:
        evaluation.read_gold(bad)
    assert all(word in str(err.value) for word in ("contract", "entity linking", "NER"))
    from kg.cli import main

    assert main(["eval", str(bad)]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


@pytest.mark.parametrize("doc, mentions", [
    ({"id": "x", "text": "t", "attributions": [1]}, "'attributions' must be a list of objects"),
    ({"id": "x", "text": "t", "attributions": [{"source": [], "cue": [[0, 1]]}]}, "needs 'content'"),
    ({"id": "x", "text": "t", "attributions": [{"source": [], "cue": [], "content": [[5, 2]]}]}, "needs 'content'"),
    ({"id": "x", "text": "t", "attributions": [{"source": [], "cue": [], "content": [{"start": "0", "end": 1}]}]},
     "needs 'content'"),
    ({"doc_id": "x", "text": "t", "statements": [{"speaker": "e1"}]}, "'statements' needs 'content'"),
    ({"doc_id": "x", "text": "t", "statements": [], "entities": [{"id": "e1"}]}, "'entities' needs 'mentions'"),
    ({"doc_id": "x", "text": "t", "statements": [], "relations": [{"type": "meets"}]}, "'relations' needs 'subject'"),
    ({"doc_id": "x", "text": 42, "statements": []}, "'text' must be a string"),
], ids=["attribution not an object", "no content", "span backwards", "span of text", "statement without content",
        "entity without mentions", "relation without subject", "text not a string"])
def test_a_gold_document_the_scorers_cannot_read_is_one_clear_error(tmp_path, capsys, doc, mentions):
    """Such files once stopped scoring with a TypeError or KeyError traceback."""
    from kg.cli import main

    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(doc) + "\n", encoding="utf-8")
    with pytest.raises(evaluation.EvalError, match=re.escape(mentions)):
        evaluation.read_gold(gold)
    assert main(["eval", str(gold), "--pred", str(gold)]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_an_empty_gold_file_is_an_error_not_a_table_of_zeros(tmp_path, capsys):
    from kg.cli import main

    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n\n", encoding="utf-8")
    assert main(["eval", str(gold)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no gold document" in err[0]


def test_predictions_for_other_documents_are_one_clear_error(tmp_path, capsys):
    from kg.cli import main

    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "b", "text": "Paris", "entities": [{"start": 0, "end": 5, "type": "LOC"}]}) + "\n",
                    encoding="utf-8")
    pred = tmp_path / "pred.jsonl"
    pred.write_text(json.dumps({"doc_id": "elsewhere", "entities": []}) + "\n", encoding="utf-8")
    assert main(["eval", str(gold), "--pred", str(pred)]) == 2  # not a table of zeros
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "'elsewhere'" in err[0]


def test_gold_shapes_are_told_apart_by_their_keys(tmp_path):
    lines = {"linking": {"id": "a", "text": "Paris", "evaluation_span": [0, 5], "labels": []},
             "ner": {"id": "b", "text": "Paris", "entities": [{"start": 0, "end": 5, "type": "LOC"}]},
             "statements": {"doc_id": "c", "text": "Paris", "entities": [], "statements": [], "relations": []}}
    for task, line in lines.items():
        (tmp_path / f"{task}.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
        docs, _ = evaluation.read_gold(tmp_path / f"{task}.jsonl")
        assert evaluation.task(docs) == task
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text(json.dumps(lines["linking"]) + "\n" + json.dumps(lines["ner"]) + "\n", encoding="utf-8")
    with pytest.raises(evaluation.EvalError, match="mixes"):
        evaluation.read_gold(mixed)


# --- entity linking (ELEVANT counting, exact spans) and NER: hand-made cases -------------------------------------

EL_TEXT = "Denver, Colorado hosted the talks; the mayor said prices rose by 5 percent."


def label(lid, s, e, qid=None, kind="entity", optional=False, parent=None, children=(), coref=False):
    return {"label_id": lid, "start": s, "end": e, "qid": qid, "kind": "nil" if qid is None and kind == "entity"
            else kind, "optional": optional, "parent": parent, "children": list(children), "coref": coref}


def linked(*mentions):
    """A prediction: one entity per (start, end, qid)."""
    return {"entities": [{"id": f"e{i}", "type": "Place", "qid": q, "mentions": [{"start": s, "end": e}]}
                         for i, (s, e, q) in enumerate(mentions)]}


def el_score(labels, *mentions, span=None, kb=None):
    gold = [{"id": "d", "text": EL_TEXT, "evaluation_span": span or [0, len(EL_TEXT)], "labels": labels}]
    return evaluation.score(gold, {"d": linked(*mentions)}, {"d": EL_TEXT}, kb)


def counts(scores, row="all"):
    c = scores.rows[row]
    return c.tp, c.fp, c.fn


NESTED = [label(0, 0, 16, "Q16554", children=[1, 2]), label(1, 0, 6, "Q16554", parent=0),
          label(2, 8, 16, "Q1261", parent=0)]


def test_a_nested_label_is_one_unit_that_its_children_can_satisfy():
    assert counts(el_score(NESTED, (0, 16, "Q16554"))) == (1, 0, 0)              # the whole span
    assert counts(el_score(NESTED, (0, 6, "Q16554"), (8, 16, "Q1261"))) == (1, 0, 0)  # or its parts
    assert counts(el_score(NESTED, (0, 6, "Q16554"), (8, 16, "Q99"))) == (0, 1, 1)    # one part wrong: a miss
    assert counts(el_score(NESTED)) == (0, 0, 1)


def test_an_optional_label_is_never_missed_and_its_own_qid_is_no_hit():
    five = [label(0, 65, 74, "Q11229", kind="quantity", optional=True)]
    assert counts(el_score(five)) == (0, 0, 0)
    assert counts(el_score(five, (65, 74, "Q11229"))) == (0, 0, 0)
    assert counts(el_score(five, (65, 74, "Q5"))) == (0, 1, 0)


def test_nil_gold_linked_is_a_false_positive_and_unlinked_is_fine():
    mayor = [label(0, 35, 44, coref=True)]
    assert counts(el_score(mayor, (35, 44, "Q5")), "coref") == (0, 1, 0)
    assert counts(el_score(mayor, (35, 44, None))) == (0, 0, 0)


def test_only_predictions_in_the_evaluation_span_that_overlap_gold_cost_precision():
    denver = [label(0, 0, 6, "Q16554")]
    assert counts(el_score(denver, (0, 3, "Q5"))) == (0, 1, 1)                  # overlaps gold, in the span
    assert counts(el_score(denver, (0, 3, "Q5"), span=[2, len(EL_TEXT)])) == (0, 0, 1)  # starts before the span
    assert counts(el_score(denver, (28, 33, "Q5"))) == (0, 0, 1)               # on no gold label


def test_inkb_accuracy_and_detection_recall():
    labels = [label(0, 0, 6, "Q16554"), label(1, 8, 16, "Q1261")]
    scores = el_score(labels, (0, 6, "Q16554"), (8, 16, None), kb={"Q16554", "Q1261"})
    assert (scores.inkb.tp, scores.inkb.fn, scores.detected, scores.units) == (1, 1, 2, 2)


def test_ner_drops_pronoun_and_nominal_mentions_and_maps_types():
    text = "Merkel met Paris officials. She and the chancellor left."
    gold = [{"id": "d", "text": text, "entities": [{"start": 0, "end": 6, "type": "PER"},
                                                   {"start": 11, "end": 16, "type": "LOC"}]}]
    pred = {"entities": [
        {"id": "e1", "type": "Person", "mentions": [{"start": 0, "end": 6}, {"start": 28, "end": 31},
                                                     {"start": 36, "end": 50}]},
        {"id": "e2", "type": "Place", "mentions": [{"start": 11, "end": 16}]}]}
    scores = evaluation.score(gold, {"d": pred}, {"d": text})
    assert scores.dropped == 2
    h = scores.headline()
    assert (h.tp, h.fp, h.fn) == (2, 0, 0)


# --- entity linking and NER: agreement with score_el.py and score_ner.py on the dev files ------------------------

def _dev_sample(tmp_path_factory, name, pick):
    """Gold documents of a dev file (a few, or all), written to a temporary file for the reference scorer."""
    gold_file = SHARED / "eval" / name
    if not gold_file.is_file():
        pytest.skip("../shared/eval is not here")
    docs = [json.loads(line) for line in gold_file.read_text(encoding="utf-8").splitlines() if line.strip()]
    docs = pick(docs)
    tmp = tmp_path_factory.mktemp(name.split(".")[0])
    (tmp / "gold.jsonl").write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    return tmp, docs


def _write_predictions(path, preds):
    path.write_text("".join(json.dumps(p) + "\n" for p in preds.values()), encoding="utf-8")


def _kb_qids(path) -> set[str]:
    from kg.link.default_kb import open_default

    with open_default() as kb:
        qids = set(kb.qids())
    path.write_text("".join(q + "\n" for q in sorted(qids)), encoding="utf-8")
    return qids


def _table(head: str, out: str) -> dict:
    """Rows of a printed table: the row name (matched by ``head``) -> its three counts and three ratios."""
    numbers = r"\s+(\d+)\s+(\d+)\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)"
    return {m[0]: m[1:] for m in re.findall(f"^{head}{numbers}", out, re.MULTILINE)}


def _reference_el(out: str) -> dict:
    """score_el.py's exact-mode figures: rows, detection recall and InKB accuracy, as printed."""
    return {"rows": _table(r"exact\s+(all|entity|coref)", out),
            "detection": re.search(r"^exact: detection recall ([\d.]+ \(\d+/\d+\))", out, re.MULTILINE)[1],
            "inkb": re.search(r"^exact: InKB accuracy ([\d.]+ \(\d+/\d+)", out, re.MULTILINE)[1]}


def _ours_el(scores) -> dict:
    rows = {}
    for row, c in scores.rows.items():
        rows[row] = (str(c.tp), str(c.fp), str(c.fn), *(f"{x:.4f}" for x in c.prf()))
    k = scores.inkb
    return {"rows": rows, "detection": f"{scores.detected / scores.units:.3f} ({scores.detected}/{scores.units})",
            "inkb": f"{k.tp / (k.tp + k.fn) if k.tp + k.fn else 0.0:.4f} ({k.tp}/{k.tp + k.fn}"}


def _score_el(tmp) -> str:
    return subprocess.run([sys.executable, "score_el.py", "--gold", str(tmp / "gold.jsonl"), "--pred",
                           str(tmp / "pred.jsonl"), "--kb", str(tmp / "kb.txt")], cwd=TOOLS, capture_output=True,
                          text=True, check=True).stdout


# news-fair documents with nested labels, coreference labels and a few hits by kg's linker
EL_DOCS = ("news-fair-dev-2020723524", "news-fair-dev-2013460263", "news-fair-dev-2015812096")


def test_kg_eval_agrees_with_the_reference_linking_scorer(tmp_path_factory, nlp_ready):
    tmp, docs = _dev_sample(tmp_path_factory, "news-fair-dev.jsonl", lambda ds: [d for d in ds if d["id"] in EL_DOCS])
    assert any(lab["children"] for d in docs for lab in d["labels"])
    assert any(lab["coref"] for d in docs for lab in d["labels"])
    preds = {x.article.id: x.to_json() for x in extract_articles([make_article(d["id"], d["text"]) for d in docs],
                                                                  Config())}
    _write_predictions(tmp / "pred.jsonl", preds)
    kb = _kb_qids(tmp / "kb.txt")
    ours = evaluation.score(docs, preds, {d["id"]: d["text"] for d in docs}, kb)
    assert ours.units > 0 and ours.detected > 0
    assert _ours_el(ours) == _reference_el(_score_el(tmp))


def _made_up_links(doc: dict, wrong_qid: str) -> dict:
    """Predictions that exercise every rule: hits, wrong and missing QIDs, unlinked and shifted spans, children
    without their parent, and linked mentions on no gold label inside and outside the evaluation span."""
    mentions = []
    for i, lab in enumerate(doc["labels"]):
        s, e, qid = lab["start"], lab["end"], lab["qid"]
        way = (i + len(doc["text"])) % 6
        if way == 1:
            mentions.append((s, e, qid))
        elif way == 2:
            mentions.append((s, e, wrong_qid))
        elif way == 3:
            mentions.append((s, e, None))
        elif way == 4 and e - s > 1:
            mentions.append((s, e - 1, qid or wrong_qid))
        elif way == 5 and lab["parent"] is None:
            mentions.append((s, e, qid or "Q5"))
    es, ee = doc["evaluation_span"]
    mentions += [(es, es + 4, wrong_qid), (max(0, es - 3), es + 2, wrong_qid), (ee - 2, min(len(doc["text"]), ee + 3),
                                                                              wrong_qid)]
    pred = linked(*mentions)
    pred["doc_id"] = doc["id"]
    return pred


def test_kg_eval_pred_agrees_with_the_reference_linking_scorer_on_the_whole_dev_file(tmp_path_factory):
    tmp, docs = _dev_sample(tmp_path_factory, "news-fair-dev.jsonl", lambda ds: ds)
    qids = sorted({lab["qid"] for d in docs for lab in d["labels"] if lab["qid"]})
    preds = {d["id"]: _made_up_links(d, qids[n % len(qids)]) for n, d in enumerate(docs)}
    _write_predictions(tmp / "pred.jsonl", preds)
    kb = _kb_qids(tmp / "kb.txt")
    ours = evaluation.score(docs, preds, {d["id"]: d["text"] for d in docs}, kb)
    assert all(x > 0 for x in counts(ours)) and ours.inkb.tp > 0
    ref = _reference_el(_score_el(tmp))
    assert _ours_el(ours) == ref
    # and the command line prints the same figures
    out = subprocess.run([sys.executable, "-m", "kg", "eval", str(SHARED / "eval" / "news-fair-dev.jsonl"),
                          "--pred", str(tmp / "pred.jsonl")], capture_output=True, text=True, check=True).stdout
    assert _table(r"\s+(all|entity|coref)", out) == ref["rows"]
    assert f"detection recall {ref['detection']}" in out and f"InKB accuracy {ref['inkb']}" in out


def test_kg_eval_agrees_with_the_reference_ner_scorer(tmp_path_factory, nlp_ready):
    tmp, docs = _dev_sample(tmp_path_factory, "conllpp-dev.jsonl", lambda ds: ds[:8])
    preds = {x.article.id: x.to_json() for x in extract_articles([make_article(d["id"], d["text"]) for d in docs],
                                                                  Config())}
    _write_predictions(tmp / "pred.jsonl", preds)
    out = subprocess.run([sys.executable, "score_ner.py", "--gold", str(tmp / "gold.jsonl"), "--pred",
                          str(tmp / "pred.jsonl")], cwd=TOOLS, capture_output=True, text=True, check=True).stdout
    ref = _table(r"(PER|ORG|LOC|MISC|micro PER\+ORG\+LOC|untyped spans)", out)
    ours = evaluation.score(docs, preds, {d["id"]: d["text"] for d in docs})
    mine = {name: (str(c.tp + c.fn), str(c.tp + c.fp), str(c.tp), *(f"{x:.4f}" for x in c.prf()))
            for name, c in [*ours.classes.items(), ("micro PER+ORG+LOC", ours.headline()),
                            ("untyped spans", ours.untyped)]}
    assert ours.headline().tp > 0
    assert mine == ref
