"""Conventions of wire copy that later stages read: the dateline ('LONDON 1996-08-30') and whether an article
is a sports report (its desk slug, 'CRICKET - ...', or the words of its lead)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from kg import lexicons

SPORTS = frozenset(lexicons.load("entities")["sports_terms"])
SPORTS_DESKS = frozenset(lexicons.load("entities")["sports_desks"])
# 'Romania beat Lithuania 2-1', 'Mauritania drew 0-0 with Benin'
_SCORELINE = re.compile(r"\b(?:beat|beats|drew|draw|drawn|defeated|lost|won)\b[^.]{0,60}?\b\d{1,3}-\d{1,3}\b",
                        re.IGNORECASE)
_DESK = re.compile(r"\s*([A-Za-z][A-Za-z ]{1,30}?)\s+-\s")


SPORTS_LEAD = 500  # characters of the body whose words tell a sports report: its headline and lead


def sports_report(text: str) -> bool:
    """A sports report: its countries are teams ('England beat Samoa'), not the countries. Its wire slug says so
    ('CRICKET - ...'), or two sports words in its headline and lead, a scoreline counting as one."""
    text = text[:SPORTS_LEAD]
    desk = _DESK.match(text)
    if desk and desk.group(1).lower() in SPORTS_DESKS:
        return True
    tokens = re.findall(r"[a-z][a-z0-9-]+", text.lower())
    words = set(tokens) | {f"{a} {b}" for a, b in zip(tokens, tokens[1:])}
    return len(SPORTS & words) + bool(_SCORELINE.search(text)) >= 2


# A wire dateline near the start of the body: 'LONDON 1996-08-30', 'ROCHESTER , N.H. 1996-08-30' (perhaps after
# a byline), or at the start of the body or after a headline's full stop, 'WASHINGTON (Reuters) -', 'VICTORIA,
# B.C. (CP) -', 'ISTANBUL, Turkey, June 7 (UPI) --', 'GENEVA - ', and at the start of a line after the headline,
# 'WASHINGTON ― ' (a horizontal bar)
# (not a desk slug, 'CRICKET - LEICESTERSHIRE WIN', whose headline is in capitals too).
_PLACE = r"(?P<place>[A-Z][A-Z'.-]+(?: [A-Z][A-Z'.-]+)*(?: ?, [A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+)*(?: \.)?)?)"
_DATED = re.compile(r"(?<![\w'.-])" + _PLACE + r" (?P<date>\d{4}-\d{2}-\d{2})\b")
_UNDATED = re.compile(r"(?:^|(?<=[.!?] )|(?<=\n))" + _PLACE + r"(?:, [A-Z][a-z]{2,8}\.? \d{1,2})?"
                      r"(?: ?\([A-Z][A-Za-z.]{1,11}(?: [A-Z][A-Za-z.]{1,11})?\) ?[-–—―]{1,2}"
                      r"| [-–—―]{1,2} )"
                      r"(?![A-Z0-9'\- ]+(?: [.!?]|$))")
DATELINE_REACH = 300  # characters into the body a dateline may start: after a headline, not in the story


@dataclass(frozen=True)
class Dateline:
    """Where an article says it was filed from (characters ``start:end`` of its text), and when, if it says;
    the whole dateline, its date or agency and dash too, ends at ``through``."""

    start: int
    end: int
    date: str | None
    through: int


def dateline(text: str, body: tuple[int, int]) -> Dateline | None:
    """The dateline of an article, if its body has one near its start.

    >>> text = "SOCCER - FRANCE WIN . PARIS 1996-08-31 France beat Mexico 2-0 ."
    >>> d = dateline(text, (0, len(text))); text[d.start:d.end], d.date
    ('PARIS', '1996-08-31')
    >>> text = "Shares rise . FARMINGTON HILLS , Mich . 1996-08-30 Shares of ..."
    >>> d = dateline(text, (0, len(text))); text[d.start:d.end], d.date
    ('FARMINGTON HILLS , Mich .', '1996-08-30')
    >>> text = "VICTORIA, B.C. (CP) - Police said."
    >>> d = dateline(text, (0, len(text))); text[d.start:d.end], d.date
    ('VICTORIA, B.C.', None)
    >>> text = "ISTANBUL, Turkey, June 7 (UPI) -- Europeans are worried."
    >>> d = dateline(text, (0, len(text))); text[d.start:d.end], text[d.through:]
    ('ISTANBUL, Turkey', ' Europeans are worried.')
    >>> text = "GENEVA - Talks on Syria ended."
    >>> d = dateline(text, (0, len(text))); text[d.start:d.end], d.date
    ('GENEVA', None)
    >>> text = "Trump Is A Fraud." + chr(10) * 2 + "WASHINGTON ― Trump's obsession ended."
    >>> d = dateline(text, (0, len(text))); text[d.start:d.end], text[d.through:]
    ('WASHINGTON', "Trump's obsession ended.")
    >>> dateline("CRICKET - LEICESTERSHIRE WIN . Leicestershire won.", (0, 50)) is None
    True
    >>> dateline("CRICKET - Leicestershire won.", (0, 29)) is None  # a desk slug, not a place
    True
    """
    end = min(body[1], body[0] + DATELINE_REACH)
    for rx in (_DATED, _UNDATED):
        m = rx.search(text, body[0], end)
        if m and sum(c.isalpha() for c in m.group("place")) >= 3 and m.group("place").lower() not in SPORTS_DESKS:
            date = m.groupdict().get("date")
            from kg.read import parse_date  # read imports this module

            return Dateline(m.start("place"), m.end("place"), parse_date(date) if date else None, m.end())
    return None

