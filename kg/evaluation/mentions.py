"""Predicted mentions as the NER and linking scores see them, and ELEVANT's mention kinds.

A prediction (``extraction.to_json()``) holds entities with mentions; both scores look at every mention on its
own, carrying its entity's type and Wikidata id. Pronouns and nominals ('the minister') are what ELEVANT calls
coreference mentions (src/elevant/utils/pronoun_finder.py, evaluation/mention_type.py).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    type: str | None
    qid: str | None  # None: detected but not linked


def predicted_mentions(pred: dict, text: str) -> list[Mention]:
    """Every mention of every predicted entity, in the prediction's order.

    The text is read from the gold text at the mention's offsets (offsets are what is scored), and a mention whose
    offsets fall outside the text is dropped.
    """
    out = []
    for entity in pred.get("entities") or []:
        qid = entity.get("qid") or None
        for m in entity.get("mentions") or []:
            s, e = m.get("start"), m.get("end")
            if isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text):
                out.append(Mention(s, e, text[s:e], entity.get("type"), qid))
    return out


PRONOUNS = frozenset("i my me myself mine you your yourself yours he his him himself she her herself hers "
                     "it its itself we us our ourselves ours yourselves they their them themselves theirs".split())
NOMINAL_PREFIXES = ("the ", "that ", "this ", "these ", "those ",
                    "my ", "your ", "his ", "her ", "its ", "our ", "their ")


def is_pronoun(mention: str) -> bool:
    # all capitals is an acronym ('US', 'IT'), except 'I'
    return mention.lower() in PRONOUNS and (not mention.isupper() or mention.lower() == "i")


def is_nominal(mention: str) -> bool:
    """'the/this/his …' followed by a lowercase word ('the minister'), not a name ('the White House')."""
    low = mention.lower()
    return any(low.startswith(p) and len(mention) > len(p) and not mention[len(p)].isupper()
               for p in NOMINAL_PREFIXES)


def is_coref_mention(mention: str) -> bool:
    return is_pronoun(mention) or is_nominal(mention)


def is_named_mention(mention: str) -> bool:
    """What NER gold tags: no pronoun or nominal, and at least one capital letter or digit."""
    return not is_coref_mention(mention) and any(c.isupper() or c.isdigit() for c in mention)
