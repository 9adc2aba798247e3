"""Named entities against CoNLL++ gold: exact span and class, micro P/R/F1 over PER, ORG and LOC (the headline),
and untyped spans.

Every mention of a predicted entity is a predicted span with its entity's type mapped to a CoNLL class. Entities
also carry mentions CoNLL never tags ('he', 'the minister', lowercase words), so pronouns, nominals and mentions
without a capital letter or digit are dropped. Duplicate (span, class) pairs count once.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from kg.evaluation.counts import Counts
from kg.evaluation.gold import doc_id
from kg.evaluation.mentions import is_named_mention, predicted_mentions

TYPE_MAP = {"Person": "PER", "Organization": "ORG", "Country": "LOC", "Place": "LOC",
            "Group": "MISC", "Event": "MISC", "Other": "MISC"}
CLASSES = ("PER", "ORG", "LOC", "MISC")
HEADLINE = ("PER", "ORG", "LOC")


@dataclass
class NerScores:
    documents: int = 0
    gold_mentions: int = 0
    predicted_spans: int = 0  # scored, after dropping
    dropped: int = 0
    classes: dict[str, Counts] = field(default_factory=lambda: {c: Counts() for c in CLASSES})
    untyped: Counts = field(default_factory=Counts)

    def headline(self) -> Counts:
        total = Counts()
        for c in HEADLINE:
            total.add(self.classes[c])
        return total


def _diff(gold: set, pred: set) -> Counts:
    return Counts(tp=len(gold & pred), fp=len(pred - gold), fn=len(gold - pred))


def score(gold_docs: list[dict], predictions: dict[str, dict], texts: dict[str, str]) -> NerScores:
    """Score predictions (contract documents keyed by doc id) against NER gold."""
    out = NerScores()
    for doc in gold_docs:
        out.documents += 1
        out.gold_mentions += len(doc["entities"])
        gold = {(g["start"], g["end"], g["type"]) for g in doc["entities"]}
        pred = set()
        for m in predicted_mentions(predictions.get(doc_id(doc), {}), texts[doc_id(doc)]):
            if not is_named_mention(m.text):
                out.dropped += 1
                continue
            pred.add((m.start, m.end, TYPE_MAP.get(m.type or "", "MISC")))  # an unknown type scores as MISC
        out.predicted_spans += len(pred)
        for c in CLASSES:
            out.classes[c].add(_diff({x for x in gold if x[2] == c}, {x for x in pred if x[2] == c}))
        out.untyped.add(_diff({x[:2] for x in gold}, {x[:2] for x in pred}))
    return out


def report(scores: NerScores) -> str:
    lines = [(f"{scores.documents} document(s), {scores.gold_mentions} gold mentions; {scores.predicted_spans} "
              f"predicted spans scored, {scores.dropped} non-named mentions dropped"),
             f"{'ner (exact span)':<18}{'gold':>6}{'pred':>6}{'TP':>6}{'P':>8}{'R':>8}{'F1':>8}"]
    rows = [(c, scores.classes[c]) for c in CLASSES] + [("micro PER+ORG+LOC", scores.headline()),
                                                        ("untyped spans", scores.untyped)]
    for name, c in rows:
        p, r, f = c.prf()
        lines.append(f"{name:<18}{c.tp + c.fn:>6}{c.tp + c.fp:>6}{c.tp:>6}{p:>8.4f}{r:>8.4f}{f:>8.4f}")
    return "\n".join(lines)
