"""Statements and relations: scores against attribution gold (PolNeAR style) and contract gold (seed-gold.json).

Metrics (the definitions of the published news-quote evaluations):
- content: overlap = |chars(gold) ∩ chars(pred)| / |chars(gold)|, spans trimmed of whitespace and quote marks;
  gold in document order, each matched to the unmatched prediction with the highest overlap above the threshold
  (0.3 and 0.8); micro P/R/F1.
- speaker accuracy over matches: a mention of the predicted speaker entity, or the speaker mention, overlaps the
  gold source (gold without source: right iff no speaker predicted); cue accuracy: the cues overlap.
- relations (contract gold): same type (case, '-', ' ' ignored), subject and object entities share a mention
  span with the gold ones (a gold topic string: its content words all appear in the predicted object);
  meets/cooperates/consults either way round; one-to-one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.evaluation.counts import Counts as _Counts
from kg.evaluation.gold import doc_id

QUOTES = "\"'“”„‟«»‘’‚‛`"
THRESHOLDS = (0.3, 0.8)
SYMMETRIC = {"meets", "cooperates", "consults"}
STOP = set("a an the of on in at to for from by with and or but not no its it is are was were be been "
           "that this these those as into over about against than".split())


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and (text[s].isspace() or text[s] in QUOTES):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in QUOTES):
        e -= 1
    return s, e


def _chars(text: str, spans) -> set[int]:
    out: set[int] = set()
    for s, e in spans:
        s, e = _trim(text, s, e)
        out.update(range(s, e))
    return out


def _overlaps(a, b) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def _span(x) -> tuple[int, int]:
    return (x["start"], x["end"]) if isinstance(x, dict) else (x[0], x[1])


@dataclass
class Counts(_Counts):
    speaker: int = 0
    cue: int = 0
    cue_total: int = 0


@dataclass
class Scores:
    documents: int = 0
    statements: dict[float, Counts] = field(default_factory=lambda: {t: Counts() for t in THRESHOLDS})
    relations: Counts | None = None


def _gold_statements(doc: dict, text: str) -> list[dict]:
    """Gold items with ``chars``, ``sources`` (spans naming the speaker) and ``cues``."""
    items = []
    if "attributions" in doc:
        for a in doc["attributions"]:
            items.append({"chars": _chars(text, [_span(x) for x in a["content"]]),
                          "sources": [_span(x) for x in a["source"]], "has_source": bool(a["source"]),
                          "cues": [_span(x) for x in a["cue"]]})
    else:
        mentions = {e["id"]: [_span(m) for m in e["mentions"]] for e in doc.get("entities", [])}
        for st in doc.get("statements", []):
            sources = mentions.get(st.get("speaker"), []) + ([_span(st["speaker_mention"])]
                                                             if st.get("speaker_mention") else [])
            items.append({"chars": _chars(text, [_span(st["content"])]), "sources": sources,
                          "has_source": st.get("speaker") is not None,
                          "cues": [_span(st["cue"])] if st.get("cue") else []})
    return [it for it in items if it["chars"]]


def predicted_statements(pred: dict, text: str) -> list[dict]:
    """A prediction's statements, each with the characters of its content (``_chars``) that matching compares."""
    return [dict(p, _chars=_chars(text, [_span(p["content"])]) if p.get("content") else set())
            for p in pred.get("statements", [])]


def _match(gold: list[dict], preds: list[dict], thr: float) -> list[tuple[dict, dict]]:
    remaining = list(preds)
    pairs = []
    for g in gold:
        best, best_score = None, 0.0
        for p in remaining:
            score = len(g["chars"] & p["_chars"]) / len(g["chars"])
            if score > thr and score > best_score:
                best, best_score = p, score
        if best is not None:
            remaining = [p for p in remaining if p is not best]
            pairs.append((g, best))
    return pairs


def _speaker_right(g: dict, p: dict, pred_mentions: dict) -> bool:
    if not g["has_source"]:
        return p.get("speaker") is None
    if p.get("speaker") is None:
        return False
    spans = pred_mentions.get(p["speaker"], []) + ([_span(p["speaker_mention"])] if p.get("speaker_mention") else [])
    return _overlaps(spans, g["sources"])


def _norm_type(t: str) -> str:
    return re.sub(r"[\s-]+", "_", (t or "").strip().lower())


def _words(s: str) -> set[str]:
    return {w for w in re.findall(r"\w+", s.lower()) if w not in STOP}


def _relations(gold: dict, pred: dict) -> Counts:
    g_sp = {e["id"]: [_span(m) for m in e["mentions"]] for e in gold.get("entities", [])}
    p_sp = {e["id"]: [_span(m) for m in e["mentions"]] for e in pred.get("entities", [])}
    names = {e["id"]: e.get("name") or "" for e in pred.get("entities", [])}

    def ent(pid, gid) -> bool:
        return bool(p_sp.get(pid)) and _overlaps(p_sp[pid], g_sp[gid])

    def obj(pobj, gobj) -> bool:
        if gobj in g_sp:
            return ent(pobj, gobj)
        want = _words(gobj)
        return bool(want) and want <= _words(names.get(pobj, str(pobj or "")))

    def match(p, g) -> bool:
        if _norm_type(p.get("type")) != _norm_type(g["type"]):
            return False
        if ent(p.get("subject"), g["subject"]) and obj(p.get("object"), g["object"]):
            return True
        return (_norm_type(g["type"]) in SYMMETRIC and g["object"] in g_sp
                and ent(p.get("object"), g["subject"]) and ent(p.get("subject"), g["object"]))

    preds = list(pred.get("relations", []))
    left = list(range(len(preds)))
    tp = 0
    for g in gold.get("relations", []):
        for i in left:
            if match(preds[i], g):
                left.remove(i)
                tp += 1
                break
    return Counts(tp=tp, fp=len(preds) - tp, fn=len(gold.get("relations", [])) - tp)


def score(gold_docs: list[dict], predictions: dict[str, dict], texts: dict[str, str]) -> Scores:
    """Score predictions (contract documents keyed by doc id) against gold documents."""
    out = Scores()
    for gold in gold_docs:
        text = texts[doc_id(gold)]
        pred = predictions.get(doc_id(gold), {})
        out.documents += 1
        items = _gold_statements(gold, text)
        preds = predicted_statements(pred, text)
        mentions = {e["id"]: [_span(m) for m in e.get("mentions", [])] for e in pred.get("entities", [])}
        for thr, counts in out.statements.items():
            pairs = _match(items, preds, thr)
            counts.tp += len(pairs)
            counts.fn += len(items) - len(pairs)
            counts.fp += len(preds) - len(pairs)
            for g, p in pairs:
                counts.speaker += _speaker_right(g, p, mentions)
                if g["cues"]:
                    counts.cue_total += 1
                    counts.cue += bool(p.get("cue") and _overlaps([_span(p["cue"])], g["cues"]))
        if "relations" in gold:
            r = _relations(gold, pred)
            out.relations = out.relations or Counts()
            out.relations.add(r)
    return out


def report(scores: Scores) -> str:
    lines = [f"{scores.documents} document(s)",
             f"{'statements':<12}{'thr':>5}{'P':>8}{'R':>8}{'F1':>8}{'TP':>6}{'FP':>6}{'FN':>6}{'speaker':>9}{'cue':>7}"]
    for thr, c in scores.statements.items():
        p, r, f = c.prf()
        spk = c.speaker / c.tp if c.tp else 0.0
        cue = c.cue / c.cue_total if c.cue_total else 0.0
        lines.append(f"{'':<12}{thr:>5}{p:>8.3f}{r:>8.3f}{f:>8.3f}{c.tp:>6}{c.fp:>6}{c.fn:>6}{spk:>9.3f}{cue:>7.3f}")
    if scores.relations is not None:
        p, r, f = scores.relations.prf()
        lines.append(f"{'relations':<17}{p:>8.3f}{r:>8.3f}{f:>8.3f}{scores.relations.tp:>6}{scores.relations.fp:>6}"
                     f"{scores.relations.fn:>6}")
    return "\n".join(lines)
