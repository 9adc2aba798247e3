"""kg eval on relation and stance gold (docs/annotation-relations-stances.md): the scorer's logic on hand-made
documents, and the gold files of tests/data scored from the command line."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kg import evaluation
from kg.evaluation import relations

ROOT = Path(__file__).resolve().parents[1]
SHARED_EVAL = ROOT.parent / "shared" / "eval"
TEXT = "Putin met Erdogan in Sochi. Iran backs Assad. Merkel said Turkey lied. Macron said the deal was signed."


def at(part: str, n: int = 1) -> list[int]:
    """The span [start, end] of the n-th occurrence of ``part`` in TEXT."""
    i = -1
    for _ in range(n):
        i = TEXT.index(part, i + 1)
    return [i, i + len(part)]


def sentence(word: str) -> list[int]:
    s = TEXT.rfind(". ", 0, TEXT.index(word))
    s = 0 if s < 0 else s + 2
    return [s, TEXT.index(".", TEXT.index(word)) + 1]


def sp(span: list[int]) -> dict:
    return {"start": span[0], "end": span[1], "text": TEXT[span[0]:span[1]]}


ENTITIES = [{"id": name.lower(), "name": name, "type": "Person", "mentions": [sp(at(name))]}
            for name in ("Putin", "Erdogan", "Iran", "Assad", "Merkel", "Turkey", "Macron")]


def gold(relations_=(), statements=()) -> list[dict]:
    return [{"id": "d", "text": TEXT, "relations": list(relations_), "statements": list(statements)}]


def rel(kind, subject, obj, evidence_word=None) -> dict:
    return {"type": kind, "subject": at(subject), "object": at(obj), "evidence": sentence(evidence_word or subject)}


def pred_rel(kind, subject, obj, evidence_word=None, **flags) -> dict:
    return {"id": f"r-{kind}-{subject}-{obj}", "type": kind, "subject": subject.lower(), "object": obj,
            "evidence": sp(sentence(evidence_word or subject)), **flags} | (
        {"object": obj.lower()} if obj in {e["name"] for e in ENTITIES} else {})


def score_relations(gold_rels, pred_rels):
    pred = {"d": {"doc_id": "d", "entities": ENTITIES, "statements": [], "relations": list(pred_rels)}}
    return relations.score(gold(gold_rels), pred, {"d": TEXT})


def test_a_right_relation_counts_for_precision_and_recall():
    s = score_relations([rel("supports", "Iran", "Assad")], [pred_rel("supports", "Iran", "Assad")])
    assert s.prf() == (1.0, 1.0, 1.0)
    assert (s.types["supports"].right, s.types["supports"].found) == (1, 1)


def test_a_wrong_type_is_wrong_both_ways():
    s = score_relations([rel("supports", "Iran", "Assad")], [pred_rel("opposes", "Iran", "Assad")])
    assert s.prf() == (0.0, 0.0, 0.0)
    assert (s.types["opposes"].pred, s.types["opposes"].right, s.types["supports"].gold) == (1, 0, 1)


def test_a_swapped_subject_and_object_is_wrong_for_an_asymmetric_type():
    s = score_relations([rel("supports", "Iran", "Assad")], [pred_rel("supports", "Assad", "Iran", "Iran")])
    assert s.prf()[:2] == (0.0, 0.0)


def test_a_swapped_subject_and_object_is_right_for_a_symmetric_type():
    s = score_relations([rel("meets", "Putin", "Erdogan")], [pred_rel("meets", "Erdogan", "Putin", "Putin")])
    assert s.prf() == (1.0, 1.0, 1.0)


def test_precision_needs_the_evidence_recall_does_not():
    """kg keeps one relation per type, subject and object in an article; the gold lists every sentence."""
    s = score_relations([rel("supports", "Iran", "Assad")], [pred_rel("supports", "Iran", "Assad", "Merkel")])
    t = s.total()
    assert (t.right, t.pred, t.found, t.gold) == (0, 1, 1, 1)


def test_topics_negated_and_located_in_are_left_out_and_counted():
    s = score_relations([], [pred_rel("supports", "Iran", "the deal"),
                             pred_rel("meets", "Putin", "Erdogan", negated=True),
                             pred_rel("located_in", "Putin", "Erdogan")])
    assert s.total().pred == 0
    assert s.skipped == {"object a topic": 1, "negated or hypothetical": 1, "type located_in": 1}


def test_an_entity_is_a_gold_span_by_its_name_when_no_mention_overlaps():
    """A role's country may be an entity whose mentions are elsewhere ('Russian President' -> Russia)."""
    text = "Russian President Vladimir Putin spoke. Russia agreed."
    ents = [{"id": "p", "name": "Vladimir Putin", "mentions": [{"start": 18, "end": 32}]},
            {"id": "r", "name": "Russia", "mentions": [{"start": 40, "end": 46}]}]
    g = [{"id": "d", "text": text, "statements": [],
          "relations": [{"type": "role", "subject": [18, 32], "object": [0, 7], "evidence": [0, 39]}]}]
    p = {"d": {"entities": ents, "statements": [], "relations": [
        {"type": "role", "subject": "p", "object": "r", "evidence": {"start": 0, "end": 32}}]}}
    assert relations.score(g, p, {"d": text}).prf() == (1.0, 1.0, 1.0)


def statement(cue, content, stance, target=None) -> dict:
    return {"source": None, "cue": at(cue), "content": [at(content)], "stance": stance,
            "target": at(target) if target else None}


def pred_statement(cue, content, stance, about=()) -> dict:
    return {"id": cue, "speaker": None, "speaker_mention": None, "cue": sp(at(cue)), "content": sp(at(content)),
            "kind": "indirect", "stance": stance, "about": list(about)}


def score_stances(gold_sts, pred_sts):
    pred = {"d": {"entities": ENTITIES, "statements": list(pred_sts), "relations": []}}
    return relations.score(gold(statements=gold_sts), pred, {"d": TEXT})


def test_stance_right_and_wrong_and_a_neutral_gold_out_of_the_non_neutral_accuracy():
    g = [statement("said", "Turkey lied", "accuse", "Turkey"),
         statement("said", "the deal was signed", "assert")]
    s = score_stances(g, [pred_statement("said", "Turkey lied", "accuse", ["turkey"]),
                          pred_statement("said", "the deal was signed", "assert")])
    assert (s.matched, s.non_neutral, s.non_neutral_right, s.stance_right) == (2, 1, 1, 2)
    assert (s.targets, s.targets_right) == (1, 1)
    s = score_stances(g, [pred_statement("said", "Turkey lied", "assert"),
                          pred_statement("said", "the deal was signed", "oppose")])
    assert (s.matched, s.non_neutral, s.non_neutral_right, s.stance_right) == (2, 1, 0, 0)
    assert s.confusion[("accuse", "assert")] == 1 and s.confusion[("assert", "oppose")] == 1
    assert (s.targets, s.targets_right) == (1, 0)


def test_neutral_and_assert_are_one_stance_and_unmatched_statements_are_not_scored():
    g = [statement("said", "the deal was signed", "neutral"), statement("said", "Turkey lied", "accuse")]
    s = score_stances(g, [pred_statement("said", "the deal was signed", "assert")])
    assert (s.statements, s.matched, s.stance_right, s.non_neutral) == (2, 1, 1, 0)


def test_a_target_topic_shares_a_content_word():
    g = [statement("said", "the deal was signed", "support", "the deal")]
    s = score_stances(g, [pred_statement("said", "the deal was signed", "support", ["deal"])])
    assert (s.targets, s.targets_right) == (1, 1)


def test_relation_gold_is_told_apart_from_contract_gold():
    doc = gold([rel("meets", "Putin", "Erdogan")])[0]
    assert evaluation.shape(doc) == "relations" and evaluation.task([doc]) == "relations"
    assert evaluation.shape({"id": "d", "set": "polnear-dev", "relations": [], "statements": []}) == "relations"
    assert evaluation.shape({"doc_id": "d", "statements": [], "relations": [
        {"type": "meets", "subject": "e1", "object": "e2"}]}) == "contract"


def test_report_names_the_figures():
    s = score_relations([rel("supports", "Iran", "Assad")], [pred_rel("supports", "Iran", "Assad")])
    out = evaluation.report(s)
    assert "relations" in out and "supports" in out and "non-neutral" in out


@pytest.mark.parametrize("doc, says", [
    ({"id": "d", "set": "polnear-dev", "relations": [{"type": "meets", "subject": [0, 1]}], "statements": []},
     "'relations' needs 'object'"),
    ({"id": "d", "set": "polnear-dev", "relations": [],
      "statements": [{"source": None, "cue": [0, 1], "content": [[0, 1]], "target": None}]},
     "'statements' needs 'stance'"),
    ({"id": "d", "set": "no-such-set", "relations": [], "statements": []}, "pass --texts DIR"),
], ids=["relation without object", "statement without stance", "set not found"])
def test_a_bad_relation_gold_document_is_one_clear_error(tmp_path, capsys, doc, says):
    from kg.cli import main

    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(doc) + "\n", encoding="utf-8")
    with pytest.raises(evaluation.EvalError, match=re.escape(says)):
        evaluation.read_gold(path, tmp_path)
    assert main(["eval", str(path), "--texts", str(tmp_path), "--pred", str(path)]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_texts_come_from_the_set_file(tmp_path):
    (tmp_path / "mini-dev.jsonl").write_text(json.dumps({"id": "d", "text": TEXT}) + "\n", encoding="utf-8")
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps({"id": "d", "set": "mini-dev", "relations": [rel("meets", "Putin", "Erdogan")],
                                "statements": []}) + "\n", encoding="utf-8")
    docs, texts = evaluation.read_gold(path, tmp_path)
    assert texts == {"d": TEXT}
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"id": "d", "set": "mini-dev", "statements": [], "relations": [
        {"type": "meets", "subject": [0, 5], "object": [0, 5], "evidence": [0, 9999]}]}) + "\n", encoding="utf-8")
    with pytest.raises(evaluation.EvalError, match="ends after its text"):
        evaluation.read_gold(bad, tmp_path)


@pytest.mark.parametrize("name, articles", [
    ("relations-stances-polnear.jsonl", 15), ("relations-stances-news.jsonl", 15),
    ("relations-stances-polnear-heldout.jsonl", 7), ("relations-stances-news-heldout.jsonl", 5)])
def test_kg_eval_scores_the_annotated_files(tmp_path, capsys, name, articles):
    """The gold files of tests/data read against the shared sets, scored from saved predictions (empty ones:
    no model is loaded here), so every gold relation and statement is counted and none found."""
    from kg.cli import main

    path = ROOT / "tests" / "data" / name
    if not path.is_file():
        pytest.skip(f"{name} is not written yet")
    if not SHARED_EVAL.is_dir():
        pytest.skip("../shared/eval is not here")
    docs, texts = evaluation.read_gold(path)
    assert evaluation.task(docs) == "relations" and len(docs) == articles and set(texts) == {d["id"] for d in docs}
    assert all("text" not in d for d in docs), "gold files hold offsets only, never the shared texts"
    pred = tmp_path / "pred.jsonl"
    pred.write_text("".join(json.dumps({"doc_id": d["id"], "entities": [], "statements": [], "relations": []})
                            + "\n" for d in docs), encoding="utf-8")
    assert main(["eval", str(path), "--pred", str(pred)]) == 0
    out = capsys.readouterr().out
    n_rel = sum(len(d["relations"]) for d in docs)
    assert f"{len(docs)} document(s)" in out and f"0/{n_rel}" in out and "non-neutral" in out
