"""Conventions of the rule code in kg/extract that keep it safe to change: every parameter and return typed, the
records of what the rules find built with keywords, and each confidence taken from the one table by rule name."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from kg.extract.confidence import CONFIDENCE

FOLDER = Path(__file__).resolve().parents[1] / "kg" / "extract"
MODULES = sorted(FOLDER.glob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_every_function_is_typed(path):
    untyped = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            a = node.args
            params = [p for p in a.posonlyargs + a.args + a.kwonlyargs + [a.vararg, a.kwarg]
                      if p is not None and p.arg not in ("self", "cls")]
            if node.returns is None or any(p.annotation is None for p in params):
                untyped.append(f"{path.name}:{node.lineno} {node.name}")
    assert not untyped


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_found_records_take_keywords_and_a_confidence_from_the_table(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("Found", "FoundRelation"):
            where = f"{path.name}:{node.lineno}"
            assert not node.args, f"{where}: build {node.func.id} with keyword arguments"
            (confidence,) = [k.value for k in node.keywords if k.arg == "confidence"]
            assert isinstance(confidence, ast.Subscript) and getattr(confidence.value, "id", None) == "CONFIDENCE", \
                f"{where}: take the confidence from CONFIDENCE[rule]"
            if isinstance(confidence.slice, ast.Constant):
                assert confidence.slice.value in CONFIDENCE, where


def test_confidences_are_probabilities():
    assert all(0 < c <= 1 for c in CONFIDENCE.values())


def test_what_the_rules_cache_of_a_doc_leaves_the_doc_alone_and_does_not_keep_it_alive():
    """A caller's Doc stays serialisable after extraction, and a long run does not keep every Doc in memory."""
    import gc
    import weakref

    import spacy

    from kg.extract import parsed, statements

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    doc = nlp('He said "yes." She agreed.')
    assert len(parsed.sents(doc)) == 2 and statements.doc_quotes(doc, 0, len(doc.text)) == [(9, 13)]
    assert doc.user_data == {} and doc.to_bytes()
    refs = []
    for n in range(3 * parsed.KEPT):
        d = nlp(f"Text number {n}. Another sentence.")
        parsed.sents(d)
        refs.append(weakref.ref(d))
        del d
    gc.collect()
    assert sum(r() is not None for r in refs) <= parsed.KEPT
