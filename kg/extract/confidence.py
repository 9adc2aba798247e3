"""How far each rule is trusted: the confidence of what it finds, by rule name, in one table.

Rules named after the word that fired them ('verb:back', 'modifier:backed') are listed by the part before the colon.
"""
from __future__ import annotations

CONFIDENCE: dict[str, float] = {
    # statements
    "direct-quote": 0.9,
    "direct-quote-split": 0.85,
    "dash-signature": 0.8,
    "reported-ccomp": 0.8,
    "quote-continuation": 0.75,
    "block-quote": 0.7,
    "according-to": 0.7,
    "speaker-label": 0.7,
    "reported-object": 0.65,
    "reported-preposed": 0.65,
    "reported-parenthetical": 0.65,
    "nominal-act": 0.6,
    "nominal-clause": 0.6,
    "predicative": 0.6,
    "in-source": 0.6,
    # relations
    "verb": 0.75,  # 'Iran backed Syria': an actor as object
    "verb-topic": 0.7,  # 'Iran backed the campaign': a topic phrase as object
    "modifier": 0.75,
    "title": 0.7,
    "joint-action": 0.7,
    "located-in": 0.7,
    "apposition": 0.65,
    "role-phrase": 0.65,
    "despite-plea": 0.6,
    "claim-accusation": 0.55,
}
