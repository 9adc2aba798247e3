"""Stable IRIs: the same input gives the same IRIs, and an actor gets one IRI across articles.

>>> base = "https://w3id.org/kg-news/id/"
>>> article_iri(base, "idlib geneva.txt")
'https://w3id.org/kg-news/id/article/idlib%20geneva.txt'
>>> actor_iri(base, "Person", "John Bolton", "Q311269", "a.txt")
'https://w3id.org/kg-news/id/actor/Q311269'
>>> actor_iri(base, "Person", "John R. Bolton", None, "a.txt") == actor_iri(base, "Organization", "Mr. John Bolton", None, "b.txt")
True
>>> actor_iri(base, "Person", "Kim", None, "a.txt") == actor_iri(base, "Person", "Kim", None, "b.txt")
False
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import quote

from kg.names import identity_key


def _segment(text: str) -> str:
    return quote(text, safe="-._~")


def slug(name: str) -> str:
    """A readable, case- and accent-folded path segment for a name ('Türkiye' -> 'turkiye')."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = re.sub(r"[’'`.]", "", folded)
    folded = re.sub(r"[^\w]+", "-", folded).strip("-")
    return _segment(folded or "unnamed")


def article_iri(base: str, doc_id: str) -> str:
    return f"{base}article/{_segment(doc_id)}"


def actor_iri(base: str, type_: str, name: str, qid: str | None, article_id: str) -> str:
    """A linked actor's IRI is its item's; an unlinked actor's is its name's identity key
    (:func:`kg.names.identity_key`), whatever type one article gives it, so that 'James B. Comey' and 'James
    Comey' are one actor across articles. A person named by one word only ('Kim') is someone of that article:
    a surname alone names different people in different articles."""
    if qid:
        return f"{base}actor/{qid}"
    key = identity_key(name) or name
    if type_ == "Person" and " " not in key:
        return f"{base}actor/{slug(key)}/in-{hashlib.sha256(article_id.encode('utf-8', 'surrogatepass')).hexdigest()[:12]}"
    return f"{base}actor/{slug(key)}"


def span_iri(article: str, start: int, end: int) -> str:
    """RFC 5147-style fragment, as NIF uses for strings."""
    return f"{article}#char={start},{end}"


def fact_iri(base: str, kind: str, *parts: object) -> str:
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]
    return f"{base}{kind}/{digest}"
