"""Entity linking against ELEVANT gold (news-fair): ELEVANT's InKB counting, exact spans.

Every mention of a predicted entity is a prediction linked to the entity's ``qid`` (no qid: detected, not linked,
which is never an error). Gold labels are counted as ELEVANT does (src/elevant/evaluation/case_generator.py and
case.py, "ignored" mode), the way the reference scorer score_el.py ports it:

- one unit per root label: nested labels ('Denver, Colorado' > 'Denver', 'Colorado') form one unit, which its
  children may satisfy instead of the whole span;
- optional labels (quantities, dates, descriptions) are never missed; linking one to its own QID is neither a
  hit nor an error, to another QID an error;
- NIL labels are not in recall; a QID predicted on one is an error;
- P counts as false positives only linked predictions that overlap a gold label (news-fair does not annotate
  every mention), and only predictions inside the document's evaluation span;
- rows: all, coref (labels marked coreference; for other predictions, pronouns and 'the …' nominals) and entity.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from kg.evaluation.counts import Counts
from kg.evaluation.gold import doc_id
from kg.evaluation.mentions import Mention, is_coref_mention, predicted_mentions

NIL = "<NIL>"
ROWS = ("all", "entity", "coref")
TP, FP, FN = "TP", "FP", "FN"


@dataclass
class LinkingScores:
    documents: int = 0
    mentions: int = 0  # predicted mentions
    linked: int = 0
    rows: dict[str, Counts] = field(default_factory=lambda: {row: Counts() for row in ROWS})
    units: int = 0  # gold units in recall, and how many of them had a prediction on their span
    detected: int = 0
    inkb: Counts | None = None  # recall over the units whose QID the knowledge base holds (None: no KB given)


@dataclass
class _Case:
    """One gold label, or one prediction on no gold label, with its ELEVANT verdict."""
    span: tuple[int, int]
    label: dict | None
    pred: str | None  # entity predicted on exactly this span (NIL: unlinked), None: no prediction
    counted: bool = True  # ELEVANT's factor: False for labels whose unit is judged elsewhere in its tree
    root: bool = False
    coref: bool = False
    overlaps_gold: bool = True
    verdict: frozenset = frozenset()


def _gold_entity(label: dict) -> str:
    # what a prediction must carry to hit the label
    return label["qid"] or {"quantity": "QUANTITY", "datetime": "DATETIME"}.get(label["kind"], NIL)


def _verdict(label: dict | None, pred: str | None, counted: bool = True, below: set | None = None,
             required_below: bool = False) -> frozenset:
    """TP / FN / FP of one case (ELEVANT Case._get_linking_eval_type, 'ignored' mode).

    ``below``: for a root judged through its children, the verdicts of the children that were; ``required_below``:
    an optional root has a non-optional label nested in it, so missing the whole span can be a miss.
    """
    if not counted:
        # the unit is right when every judged child is, wrong when one was missed
        if below is None:
            return frozenset()
        if FN in below:
            return frozenset({FN})
        return frozenset({TP}) if below == {TP} else frozenset()
    linked = pred is not None and pred != NIL
    if label is None:
        return frozenset({FP}) if linked else frozenset()
    has_qid = bool(label["qid"])
    if pred is None:
        if label["optional"] and not required_below:
            return frozenset()
        return frozenset({FN}) if has_qid else frozenset()
    if label["optional"]:
        return frozenset({FP}) if linked and pred != label["eid"] else frozenset()
    if has_qid:
        if pred == label["eid"]:
            return frozenset({TP})
        return frozenset({FN, FP}) if linked else frozenset({FN})
    return frozenset({FP}) if linked else frozenset()


def _cases(doc: dict, text: str, mentions: list[Mention]) -> list[_Case]:
    """The evaluation cases of one document (ELEVANT CaseGenerator, exact spans)."""
    # one prediction per span: the first linked mention on it, else unlinked
    preds: dict[tuple[int, int], str] = {}
    for m in sorted(mentions, key=lambda m: (m.start, m.end)):
        if preds.get((m.start, m.end), NIL) == NIL:
            preds[(m.start, m.end)] = m.qid or NIL

    labels = {lab["label_id"]: dict(lab, span=(lab["start"], lab["end"]), eid=_gold_entity(lab))
              for lab in doc["labels"]}

    def is_root(lid) -> bool:
        return labels[lid]["parent"] not in labels

    def kids(lid) -> list:
        return [c for c in labels[lid]["children"] if c in labels]

    # ELEVANT's factor: which labels of a nested unit are judged. A label predicted with its own entity is; below
    # it nothing is. A root is judged itself when nothing below it is. A child is judged when it was predicted
    # (with another entity) on a span other than its parent's, or when it was not predicted but a sibling was.
    counted: dict = {}

    def judged_below(lid, sibling_rule: bool = True) -> bool:
        """Whether this label or one below it is judged; records the labels' factors on the way."""
        lab = labels[lid]
        if preds.get(lab["span"]) == lab["eid"]:
            if sibling_rule:
                counted[lid] = True
            return True
        children = [judged_below(c) for c in kids(lid)]  # every child is visited, for its factor
        below = any(children)
        if is_root(lid):
            judged = not below
        elif below:
            judged = False
        elif lab["span"] in preds:
            judged = labels[lab["parent"]]["span"] != lab["span"]
        else:
            # the sibling rule looks at each sibling without applying the rule again to it
            judged = sibling_rule and any(judged_below(s, sibling_rule=False)
                                          for s in kids(lab["parent"]) if s != lid)
        if sibling_rule:
            counted[lid] = judged
        return below or judged

    roots = [lid for lid in labels if is_root(lid)]
    for lid in roots:
        judged_below(lid)

    cases = {}
    for lid, lab in labels.items():
        coref = lab.get("coref")
        cases[lid] = _Case(lab["span"], lab, preds.get(lab["span"]), counted=counted.get(lid, False),
                           root=is_root(lid),
                           coref=coref if coref is not None else is_coref_mention(text[lab["start"]:lab["end"]]))
        cases[lid].verdict = _verdict(lab, cases[lid].pred, counted=cases[lid].counted)

    def judged_verdicts_below(lid) -> set:
        out: set = set()
        for c in kids(lid):
            out |= judged_verdicts_below(c) | (cases[c].verdict if cases[c].counted else set())
        return out

    def optional_only(lid) -> bool:
        return all(labels[c]["optional"] and optional_only(c) for c in kids(lid))

    # a nested root's verdict depends on its children's
    for lid in roots:
        if kids(lid):
            c = cases[lid]
            c.verdict = _verdict(c.label, c.pred, counted=c.counted,
                                 below=None if c.counted else judged_verdicts_below(lid),
                                 required_below=c.label["optional"] and not optional_only(lid))

    # predictions on no gold span count only inside the evaluation span
    gold_spans = {lab["span"] for lab in labels.values()}
    start, end = doc.get("evaluation_span") or (0, len(text))
    extra = []
    for span, eid in sorted(preds.items()):
        if span in gold_spans or not (start <= span[0] and span[1] <= end):
            continue
        extra.append(_Case(span, None, eid, coref=is_coref_mention(text[span[0]:span[1]]),
                           overlaps_gold=any(span[0] < e and s < span[1] for s, e in gold_spans),
                           verdict=_verdict(None, eid)))
    return list(cases.values()) + extra


def score(gold_docs: list[dict], predictions: dict[str, dict], texts: dict[str, str],
          kb: set[str] | None = None) -> LinkingScores:
    """Score predictions (contract documents keyed by doc id) against ELEVANT gold; ``kb``: the QIDs of the
    knowledge base the linker uses, for the InKB accuracy."""
    out = LinkingScores(inkb=Counts() if kb is not None else None)
    for gold in gold_docs:
        text = texts[doc_id(gold)]
        out.documents += 1
        mentions = predicted_mentions(predictions.get(doc_id(gold), {}), text)
        out.mentions += len(mentions)
        out.linked += sum(1 for m in mentions if m.qid)
        for c in _cases(gold, text, mentions):
            for row in ("all", "coref" if c.coref else "entity"):
                counts = out.rows[row]
                # recall is over units (roots); an error anywhere in a judged label costs precision
                counts.tp += TP in c.verdict and c.root
                counts.fn += FN in c.verdict and c.root
                counts.fp += FP in c.verdict and c.counted and c.overlaps_gold
            if c.root and (TP in c.verdict or FN in c.verdict):
                out.units += 1
                out.detected += c.pred is not None or not c.counted
                if kb is not None and c.label["qid"] in kb:
                    out.inkb.tp += TP in c.verdict
                    out.inkb.fn += TP not in c.verdict
    return out


def report(scores: LinkingScores) -> str:
    all_ = scores.rows["all"]
    lines = [(f"{scores.documents} document(s), {all_.tp + all_.fn} gold QID units (entity "
              f"{scores.rows['entity'].tp + scores.rows['entity'].fn}, coref "
              f"{scores.rows['coref'].tp + scores.rows['coref'].fn}); {scores.mentions} predicted mentions, "
              f"{scores.linked} linked"),
             f"{'linking':<9}{'exact':<7}{'TP':>6}{'FP':>6}{'FN':>6}{'P':>8}{'R':>8}{'F1':>8}"]
    for row in ROWS:
        c = scores.rows[row]
        p, r, f = c.prf()
        lines.append(f"{'':<9}{row:<7}{c.tp:>6}{c.fp:>6}{c.fn:>6}{p:>8.4f}{r:>8.4f}{f:>8.4f}")
    det = scores.detected / scores.units if scores.units else 0.0
    lines.append(f"detection recall {det:.3f} ({scores.detected}/{scores.units})")
    if scores.inkb is not None:
        k = scores.inkb
        acc = k.tp / (k.tp + k.fn) if k.tp + k.fn else 0.0
        lines.append(f"InKB accuracy {acc:.4f} ({k.tp}/{k.tp + k.fn} gold QID units in the knowledge base)")
    return "\n".join(lines)
