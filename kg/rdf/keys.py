"""Keys written at build time so that queries find things by an index lookup, not by a string function over
every row: name keys (how users type an actor), topic keys (topics equal up to case and spacing) and sort keys
(a fact's place in time order as one number).

>>> sorted(name_keys("President Donald J. Trump"))
['donald j trump', 'donald trump', 'president donald j trump', 'president donald trump']
>>> query_keys("Mr. Trump")
['mr trump', 'trump']
>>> query_keys("JK Rowling") == query_keys("J. K. Rowling") == ["jk rowling"]
True
>>> topic_key("  Military  campaign on Idlib ")
'military campaign on idlib'
"""
from __future__ import annotations

import hashlib
import re
from datetime import datetime
from functools import lru_cache

from kg.names import normalise, strip_titles


def _canonical(key: str) -> str:
    """Initials joined and middle initials dropped: 'j k rowling' -> 'jk rowling', 'donald j trump' -> 'donald
    trump'. A query is looked up under this form, and every name is stored under it too."""
    words = re.sub(r"\b([a-z]) (?=[a-z]\b)", r"\1", key).split()
    if len(words) > 2:
        words = [words[0]] + [w for w in words[1:-1] if len(w) > 1] + [words[-1]]
    return " ".join(words)


@lru_cache(maxsize=200_000)
def name_keys(name: str) -> frozenset[str]:
    """Every key a name of an actor is stored under: with and without leading titles, as written and canonical."""
    keys = set()
    for variant in (name, strip_titles(name)):
        key = normalise(variant)
        if key:
            keys |= {key, _canonical(key)}
    return frozenset(keys)


def query_keys(text: str) -> list[str]:
    """The keys a user's name for an actor is looked up under, the most specific first: as typed (canonical), then
    without titles. Case, accents, dots of acronyms, middle initials and a possessive do not count."""
    keys = [_canonical(normalise(text)), _canonical(normalise(strip_titles(text)))]
    return [k for k in dict.fromkeys(keys) if k]


def topic_key(text: str) -> str:
    """Topics are the same when equal after lower-casing and collapsing whitespace."""
    return " ".join(text.lower().split())


def topic_words(text: str) -> list[str]:
    """The words of a topic, lower-cased: a topic is found by any of them.

    >>> topic_words("the U.S.-led campaign")
    ['the', 'u', 's', 'led', 'campaign']
    """
    return list(dict.fromkeys(re.findall(r"\w+", text.lower())))


_EPOCH = datetime(1900, 1, 1)


def _minutes(value: str | None) -> int:
    if not value:
        return 0
    try:
        moment = datetime.fromisoformat(value[:16]) if "T" in value else datetime.fromisoformat(value[:10])
    except ValueError:
        return 0
    return max(0, min(999_999_999, int((moment - _EPOCH).total_seconds() // 60)))


def id_hash(text: str, digits: int = 10) -> int:
    return int(hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16], 16) % 10 ** digits


def _within(article_id: str, begin: int, fact: str) -> str:
    # the article (a hash), the offset in it, and the fact (a hash: two facts at one offset differ)
    return f"{id_hash(article_id, 6):06d}{min(begin, 9_999_999):07d}{id_hash(fact, 5):05d}"


def sort_key(*, published: str | None, article_id: str, begin: int, fact: str) -> str:
    """A fact's place in document order, as an xsd:decimal lexical form: by its article's key
    (:func:`article_sort_key`: publish date, undated articles first, then a hash of the article id), within an
    article by offset.

    One number, so that a query sorts thousands of facts without fetching three values for each, and a
    different one for every fact. It is its article's key with digits appended, so that the facts of the first
    articles are the first facts: a list in document order can be cut from the first articles.

    >>> sort_key(published="2018-09-11T22:25", article_id="a", begin=7, fact="s1")
    '6242822598278634844.962250000000726695'
    """
    whole, fraction = _article_digits(published, article_id)
    return decimal(f"{whole}.{fraction}{min(begin, 9_999_999):07d}{id_hash(fact, 5):05d}")


def time_key(*, date_: str | None, published: str | None, article_id: str, begin: int, fact: str) -> str:
    """A statement's place in time order: by its date (the date it was made, else its article's publish date),
    then in document order (:func:`sort_key`). The date comes first as YYYYMMDD, so that 'since a date' is one
    comparison: the key is at least YYYYMMDD000000000.

    >>> time_key(date_="2018-09-10", published="2018-09-11T22:25", article_id="a", begin=7, fact="s1")
    '20180910062428225.962250000000726695'
    """
    day = (date_ or published or "")[:10].replace("-", "")
    day = day if len(day) == 8 and day.isdigit() else "0"
    return decimal(f"{day}{_minutes(published):09d}.{_within(article_id, begin, fact)}")


def since_key(day: str) -> str:
    """The smallest time key of a statement of ``day`` (YYYY-MM-DD) or later."""
    return decimal(day[:10].replace("-", "") + "000000000")


def article_sort_key(*, published: str | None, article_id: str) -> str:
    """An article's place in the article list: by publish date (undated first), then by a 17-digit hash of its
    id (two articles of the same minute share a hash with odds below one in a million in a million articles).

    >>> article_sort_key(published="2018-09-11T22:25", article_id="a")
    '6242822598278634844.96225'
    """
    whole, fraction = _article_digits(published, article_id)
    return decimal(f"{whole}.{fraction}")


def _article_digits(published: str | None, article_id: str) -> tuple[str, str]:
    # 20 digits before the point and 6 after: Oxigraph's decimals hold 18 after it and 38 in all
    h = f"{id_hash(article_id, 17):017d}"
    return f"{_minutes(published):09d}{h[:11]}", h[11:]


def order_key(text: str) -> str:
    """A number (xsd:decimal) in the order of ``text`` among strings: its first nine characters as base-128
    digits before the point and the next eight after it, so that ``a < b`` gives ``order_key(a) <=
    order_key(b)``, and strings that differ in their first 17 characters get different numbers. A character
    from 127 up is a 127 and so is every digit after it (the number of the largest string that begins so: 'é'
    sorts after 'z…'). A query sorts by it first and by the string only on a tie: Oxigraph compares two stored
    strings of more than 16 bytes by reading both from the store, once per comparison, and a number in place.

    >>> from decimal import Decimal as D
    >>> D(order_key("Abe")) < D(order_key("Abel")) < D(order_key("Bob")) < D(order_key("Éa"))
    True
    >>> D(order_key("Secretary of Defense")) < D(order_key("Secretary of State"))
    True
    """
    digits, top = [], False
    for c in text[:17].ljust(17, "\0"):
        top = top or ord(c) >= 127
        digits.append(127 if top else ord(c))
    whole = fraction = 0
    for d in digits[:9]:
        whole = whole * 128 + d
    for d in digits[9:]:
        fraction = fraction * 128 + d  # below 128 ** 8 < 10 ** 17: it fits the 18 digits of a decimal's fraction
    return decimal(f"{whole}.{fraction:018d}")


def decimal(text: str) -> str:
    """The canonical form of an xsd:decimal, as the store gives it back: '007.10' -> '7.1', '5.0' -> '5'."""
    whole, _, fraction = text.partition(".")
    whole, fraction = whole.lstrip("0") or "0", fraction.rstrip("0")
    return f"{whole}.{fraction}" if fraction else whole
