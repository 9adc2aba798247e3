"""Relations and stances: scores against hand-annotated gold (docs/annotation-relations-stances.md).

A gold document: ``{"id", "set", "relations": [{"type", "subject", "object", "evidence"}], "statements": [{"source",
"cue", "content", "stance", "target"}]}``, every span ``[start, end]`` in the text of ``id`` (read from
``<texts>/<set>.jsonl``, or the document's own ``text``).

Relations. The gold lists every relation between two actors that the article states, once per sentence that
states it. A predicted relation is scored when it is a relation between two entities that kg asserts: not one to a
topic string, not ``negated`` or ``hypothetical``, not of a type the gold leaves out (``located_in``, whose ends
are places); the others are counted apart, by reason. An entity *is* a gold span when one of its mentions overlaps
the span, or the span's text is its name or one of its mention texts (titles, 'the', dots and a possessive aside),
or a demonym or a name of the country it names ('Russian', 'U.S.').

- precision: a scored prediction is right when a gold relation has its type, its subject and object (either way
  round for the symmetric ``meets``, ``consults`` and ``cooperates``) and evidence that overlaps the prediction's.
- recall: a gold relation is found when a scored prediction has its type, subject and object, wherever its
  evidence is (kg keeps one relation per type, subject and object in an article; the gold lists every sentence).

Stances. Each gold statement is matched one-to-one, in document order, to the unmatched predicted statement whose
content overlaps it most (over 0.3 of the gold characters, as for attribution gold). Over the matched ones:
stance accuracy over all of them and over those whose gold stance is not neutral (``assert`` and ``neutral`` are
the neutral stances, and count as one); and target accuracy over matched non-neutral ones with a gold target: the
prediction's ``about`` holds an entity that is the target span, or a topic that shares a content word with it.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from kg.evaluation.gold import doc_id
from kg.evaluation.statements import (STOP, SYMMETRIC, THRESHOLDS, _chars, _match, _norm_type, _overlaps, _span,
                                      predicted_statements)

NEUTRAL = frozenset({"assert", "neutral", ""})
NOT_SCORED = frozenset({"located_in"})  # the ends of these are places, not actors: the gold leaves them out


@dataclass
class TypeCounts:
    gold: int = 0  # gold relations
    found: int = 0  # ... found by a prediction (recall)
    pred: int = 0  # scored predictions
    right: int = 0  # ... that a gold relation confirms (precision)


@dataclass
class RelationStanceScores:
    documents: int = 0
    types: dict[str, TypeCounts] = field(default_factory=dict)
    skipped: Counter = field(default_factory=Counter)  # predictions left out of the scoring, by reason
    statements: int = 0  # gold statements
    matched: int = 0  # ... matched to a predicted statement
    stance_right: int = 0  # matched, same stance
    non_neutral: int = 0  # matched, non-neutral gold stance
    non_neutral_right: int = 0
    targets: int = 0  # matched, non-neutral gold stance, gold target
    targets_right: int = 0
    confusion: Counter = field(default_factory=Counter)  # (gold stance, predicted stance) of matched statements

    def total(self) -> TypeCounts:
        out = TypeCounts()
        for c in self.types.values():
            out.gold, out.found, out.pred, out.right = (out.gold + c.gold, out.found + c.found, out.pred + c.pred,
                                                        out.right + c.right)
        return out

    def prf(self) -> tuple[float, float, float]:
        t = self.total()
        p = t.right / t.pred if t.pred else 0.0
        r = t.found / t.gold if t.gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _pair(x) -> tuple[int, int]:
    return _span(x) if isinstance(x, dict) else (int(x[0]), int(x[1]))


def _key(text: str) -> str:
    """A name's spelling for comparison: no leading 'the', possessive, dots or titles' case."""
    text = re.sub(r"[’']s$", "", text.strip().strip("'’‘\"“”`«» "))
    text = re.sub(r"^the\s+", "", text, flags=re.IGNORECASE)
    return re.sub(r"\s+", " ", text.replace(".", "")).lower().strip()


def _country(text: str) -> str | None:
    """The country a demonym or a country name names ('Russian', 'U.S.'), from kg's own tables; None when the
    tables cannot be read."""
    try:
        from kg.extract.entities import country_name, demonym_country
    except Exception:  # pragma: no cover - the scorer still works without the extraction package
        return None
    name = demonym_country(text.strip())
    if name:
        return name
    try:
        return country_name(text.strip())
    except Exception:  # pragma: no cover
        return None


class _Entities:
    """A prediction's entities, to ask whether one of them is a gold span."""

    def __init__(self, pred: dict, text: str):
        self.text = text
        self.spans = {e["id"]: [_pair(m) for m in e.get("mentions", [])] for e in pred.get("entities", [])}
        self.keys = {}
        for e in pred.get("entities", []):
            keys = {_key(e.get("name") or "")} | {_key(text[s:t]) for s, t in self.spans[e["id"]]}
            self.keys[e["id"]] = keys - {""}

    def __contains__(self, entity) -> bool:
        return isinstance(entity, str) and entity in self.spans

    def names(self, entity: str, span: tuple[int, int]) -> bool:
        if entity not in self.spans:
            return False
        if _overlaps(self.spans[entity], [span]):
            return True
        words = self.text[span[0]:span[1]]
        if _key(words) in self.keys[entity]:
            return True
        country = _country(words)
        return bool(country) and _key(country) in self.keys[entity]


def _relations(gold: dict, pred: dict, text: str, out: RelationStanceScores) -> None:
    ents = _Entities(pred, text)
    golds = [dict(g, _t=_norm_type(g["type"]), _s=_pair(g["subject"]), _o=_pair(g["object"]),
                  _e=_pair(g["evidence"])) for g in gold.get("relations", [])]
    scored = []
    for p in pred.get("relations", []):
        t = _norm_type(p.get("type"))
        if t in NOT_SCORED:
            out.skipped[f"type {t}"] += 1
        elif p.get("object") not in ents:
            out.skipped["object a topic"] += 1
        elif p.get("negated") or p.get("hypothetical"):
            out.skipped["negated or hypothetical"] += 1
        else:
            scored.append(dict(p, _t=t))

    def same(p, g) -> bool:
        if p["_t"] != g["_t"]:
            return False
        if ents.names(p.get("subject"), g["_s"]) and ents.names(p["object"], g["_o"]):
            return True
        return g["_t"] in SYMMETRIC and ents.names(p["object"], g["_s"]) and ents.names(p.get("subject"), g["_o"])

    for g in golds:
        c = out.types.setdefault(g["_t"], TypeCounts())
        c.gold += 1
        c.found += any(same(p, g) for p in scored)
    for p in scored:
        c = out.types.setdefault(p["_t"], TypeCounts())
        c.pred += 1
        ev = [_pair(p["evidence"])] if p.get("evidence") else []
        c.right += any(same(p, g) and _overlaps(ev, [g["_e"]]) for g in golds)


def _stance(x) -> str:
    x = (x or "").strip().lower()
    return "assert" if x in NEUTRAL else x


def _target_right(p: dict, target: tuple[int, int], ents: _Entities, text: str) -> bool:
    want = {w for w in re.findall(r"\w+", text[target[0]:target[1]].lower()) if w not in STOP}
    for a in p.get("about") or []:
        if a in ents:
            if ents.names(a, target):
                return True
        elif want & {w for w in re.findall(r"\w+", str(a).lower()) if w not in STOP}:
            return True
    return False


def _stances(gold: dict, pred: dict, text: str, out: RelationStanceScores) -> None:
    ents = _Entities(pred, text)
    items = []
    for st in gold.get("statements", []):
        chars = _chars(text, [_pair(x) for x in st.get("content") or []])
        if chars:
            items.append({"chars": chars, "stance": _stance(st.get("stance")),
                          "target": _pair(st["target"]) if st.get("target") else None})
    preds = predicted_statements(pred, text)
    out.statements += len(items)
    for g, p in _match(items, preds, THRESHOLDS[0]):
        got = _stance(p.get("stance"))
        out.matched += 1
        out.stance_right += got == g["stance"]
        out.confusion[(g["stance"], got)] += 1
        if g["stance"] != "assert":
            out.non_neutral += 1
            out.non_neutral_right += got == g["stance"]
            if g["target"]:
                out.targets += 1
                out.targets_right += _target_right(p, g["target"], ents, text)


def score(gold_docs: list[dict], predictions: dict[str, dict], texts: dict[str, str]) -> RelationStanceScores:
    """Score predictions (contract documents keyed by doc id) against relation and stance gold documents."""
    out = RelationStanceScores()
    for gold in gold_docs:
        text = texts[doc_id(gold)]
        pred = predictions.get(doc_id(gold), {})
        out.documents += 1
        _relations(gold, pred, text, out)
        _stances(gold, pred, text, out)
    return out


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.3f} ({a}/{b})" if b else "- (0/0)"


def report(scores: RelationStanceScores) -> str:
    p, r, f = scores.prf()
    t = scores.total()
    lines = [f"{scores.documents} document(s)",
             f"{'relations':<22}{'P':>7}{'R':>7}{'F1':>7}   right/pred  found/gold",
             f"{'':<22}{p:>7.3f}{r:>7.3f}{f:>7.3f}{t.right:>8}/{t.pred:<5}{t.found:>5}/{t.gold}"]
    for name in sorted(scores.types, key=lambda k: (-scores.types[k].gold - scores.types[k].pred, k)):
        c = scores.types[name]
        cp = f"{c.right / c.pred:.3f}" if c.pred else "-"
        cr = f"{c.found / c.gold:.3f}" if c.gold else "-"
        lines.append(f"  {name:<20}{cp:>7}{cr:>7}{'':>7}{c.right:>8}/{c.pred:<5}{c.found:>5}/{c.gold}")
    if scores.skipped:
        lines.append("  not scored: " + ", ".join(f"{n} {k}" for k, n in sorted(scores.skipped.items())))
    lines += [f"statements matched      {_ratio(scores.matched, scores.statements)} at content overlap > "
              f"{THRESHOLDS[0]}",
              f"stance accuracy         non-neutral gold {_ratio(scores.non_neutral_right, scores.non_neutral)}; "
              f"all {_ratio(scores.stance_right, scores.matched)}",
              f"target accuracy         non-neutral gold with a target {_ratio(scores.targets_right, scores.targets)}"]
    wrong = [(n, g, p) for (g, p), n in scores.confusion.items() if g != p]
    if wrong:
        wrong.sort(key=lambda x: (-x[0], x[1], x[2]))
        lines.append("stance errors (gold -> predicted): "
                     + ", ".join(f"{g}->{p} {n}" for n, g, p in wrong[:12]))
    return "\n".join(lines)
