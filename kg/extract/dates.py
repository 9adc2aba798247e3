"""Resolve relative dates ('on Monday', 'Tuesday', 'yesterday') against the article's publish date."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
OFFSETS = {"today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "yesterday": -1, "tomorrow": 1,
           "last night": -1}
MONTH_DAY = re.compile(r"\b(january|february|march|april|may|june|july|august|september|october|november|december)"
                       r"\.?\s+(\d{1,2})\b", re.IGNORECASE)


def resolve(expression: str, published: str | None) -> str | None:
    """ISO date of a date expression in an article published on ``published`` (ISO), else None.

    A weekday is the latest such day on or before the publish date, as news reports use them.

    >>> resolve("on Monday", "2018-09-11T22:25"), resolve("Tuesday's", "2018-09-11"), resolve("yesterday", "2018-09-11")
    ('2018-09-10', '2018-09-11', '2018-09-10')
    >>> resolve("September 10", "2018-09-11")
    '2018-09-10'
    """
    if not published:
        return None
    try:
        base = date.fromisoformat(published[:10])
    except ValueError:
        return None
    text = expression.lower()
    for i, day in enumerate(WEEKDAYS):
        if re.search(rf"\b{day}\b", text):
            if re.search(r"\bnext\b", text):
                return (base + timedelta(days=(i - base.weekday()) % 7 or 7)).isoformat()
            return (base - timedelta(days=(base.weekday() - i) % 7)).isoformat()
    for phrase, offset in OFFSETS.items():
        if re.search(rf"\b{phrase}\b", text):
            return (base + timedelta(days=offset)).isoformat()
    m = MONTH_DAY.search(expression)
    if m:
        try:
            parsed = datetime.strptime(f"{m.group(1)} {m.group(2)} {base.year}", "%B %d %Y").date()
        except ValueError:
            return None
        if parsed > base + timedelta(days=1):  # "December 30" in a January article: last year
            parsed = parsed.replace(year=base.year - 1)
        return parsed.isoformat()
    return None


def sentence_date(date_ents: list[tuple[int, int, str]], start: int, end: int, published: str | None) -> str | None:
    """The first resolvable DATE entity inside characters ``start:end`` (a sentence), from the document's DATE
    entities as (start, end, text) in text order (read once per document: ``Span.ents`` walks every entity
    of the document each time)."""
    for s, e, text in date_ents:
        if s >= end:
            break
        if s >= start and e <= end:
            found = resolve(text, published)
            if found:
                return found
    return None
