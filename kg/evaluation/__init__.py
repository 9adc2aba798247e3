"""``kg eval``: score kg's extraction against a gold file, like ``spacy evaluate``.

Gold files are JSONL (or one JSON document), one article per line; the shape of the lines says what is measured:

- attribution gold (PolNeAR style) and contract gold (seed-gold.json): statements and relations
  (``statements.py``);
- entity linking gold (ELEVANT news-fair): ELEVANT's InKB counting on exact spans (``linking.py``);
- NER gold (CoNLL++): exact span and class P/R/F1 (``ner.py``);
- relation and stance gold (hand-annotated, docs/annotation-relations-stances.md): relation P/R/F1 by type and
  stance accuracy (``relations.py``).

The first four agree with the reference scorers of their gold sets (score_quotes.py, score_seed.py, score_el.py,
score_ner.py); tests/test_eval.py runs them side by side.
"""
from __future__ import annotations

from kg.errors import EvalError
from kg.evaluation import linking, ner, relations, statements
from kg.evaluation.gold import SHAPES, doc_id, read_gold, shape, task
from kg.evaluation.statements import Counts, Scores

__all__ = ["SHAPES", "Counts", "EvalError", "Scores", "doc_id", "read_gold", "report", "score", "shape", "task"]


def score(gold_docs: list[dict], predictions: dict[str, dict], texts: dict[str, str], kb: set[str] | None = None):
    """Score predictions (contract documents keyed by doc id) against gold documents of one task.

    ``kb``: the QIDs of the knowledge base kg links against, for the InKB accuracy of linking gold.
    """
    kind = task(gold_docs)
    if kind == "linking":
        return linking.score(gold_docs, predictions, texts, kb)
    if kind == "ner":
        return ner.score(gold_docs, predictions, texts)
    if kind == "relations":
        return relations.score(gold_docs, predictions, texts)
    return statements.score(gold_docs, predictions, texts)


def report(scores) -> str:
    if isinstance(scores, linking.LinkingScores):
        return linking.report(scores)
    if isinstance(scores, ner.NerScores):
        return ner.report(scores)
    if isinstance(scores, relations.RelationStanceScores):
        return relations.report(scores)
    return statements.report(scores)
