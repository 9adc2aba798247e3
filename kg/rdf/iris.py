"""Stable IRIs: the same input gives the same IRIs, and an actor gets one IRI across articles.

>>> article_iri("https://w3id.org/kg-news/id/", "idlib geneva.txt")
'https://w3id.org/kg-news/id/article/idlib%20geneva.txt'
>>> actor_iri("https://w3id.org/kg-news/id/", "Person", "John  Bolton", None)
'https://w3id.org/kg-news/id/actor/person/john-bolton'
>>> actor_iri("https://w3id.org/kg-news/id/", "Person", "John Bolton", "Q311269")
'https://w3id.org/kg-news/id/actor/Q311269'
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import quote


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


def actor_iri(base: str, type_: str, name: str, qid: str | None) -> str:
    if qid:
        return f"{base}actor/{qid}"
    return f"{base}actor/{type_.lower()}/{slug(name)}"


def span_iri(article: str, start: int, end: int) -> str:
    """RFC 5147-style fragment, as NIF uses for strings."""
    return f"{article}#char={start},{end}"


def fact_iri(base: str, kind: str, *parts: object) -> str:
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]
    return f"{base}{kind}/{digest}"
