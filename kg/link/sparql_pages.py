"""A knowledge base from a SPARQL endpoint: :func:`fetch_sparql` pages a SELECT query (``queries/kb/default.rq``)
through the endpoint and yields one entity dict (the shape of :mod:`kg.link.wikibase`) per ``?item``."""
from __future__ import annotations

import re
from typing import Iterator

from kg.errors import WikidataError
from kg.link.http import Http, bare_url, first_line
from kg.link.wikibase import add, add_position, date_of, empty

DEFAULT_SPARQL_ENDPOINT = "https://query.wikidata.org/sparql"
SPARQL_JSON = "application/sparql-results+json"
POST_ABOVE = 1500  # queries longer than this (in characters) go by POST
MAX_SITELINKS = 1_000_000  # Wikidata's most linked item has a few hundred; more is not a count

_ENTITY_IRI = re.compile(r"^https?://www\.wikidata\.org/entity/(Q[1-9][0-9]*)$")

# Tokens that may contain "LIMIT"/"OFFSET" without being keywords: strings, IRIs, comments.
_SPARQL_SKIP = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""' r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"' r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\s]*>'
    r"|#[^\n]*"
)
_LIMIT = re.compile(r"\b(LIMIT|OFFSET)\b", re.IGNORECASE)


def qid_of(iri: str | None) -> str | None:
    """``Q42`` from ``http://www.wikidata.org/entity/Q42``; None for anything else (properties, blank nodes ...)."""
    if not iri:
        return None
    match = _ENTITY_IRI.match(iri)
    return match.group(1) if match else None


def _strip_sparql(query: str) -> str:
    """The query with comments removed and strings/IRIs blanked, for keyword checks."""
    return _SPARQL_SKIP.sub(lambda m: "" if m.group(0).startswith("#") else " ", query)


def check_no_limit(query: str, *, source: str = "the query") -> None:
    """Raise :class:`WikidataError` if the query carries its own LIMIT or OFFSET (fetch_sparql adds them per page)."""
    match = _LIMIT.search(_strip_sparql(query))
    if match:
        raise WikidataError(f"{source} has its own {match.group(1).upper()}; remove it: kg pages the results "
                            "itself with LIMIT page_size OFFSET n")


def _ordered_by_item(query: str) -> bool:
    """True if the query is ORDER BY ?item first, so that all rows of one item are contiguous."""
    return re.search(r"\bORDER\s+BY\s+(?:ASC\s*\(\s*)?\?item\b", _strip_sparql(query), re.IGNORECASE) is not None


def _value(binding: dict, name: str) -> str | None:
    term = binding.get(name)
    if not isinstance(term, dict):
        return None
    value = term.get("value")
    return value if isinstance(value, str) else None


def _merge_row(entity: dict, row: dict) -> None:
    """Add one SPARQL result row (``{var: {"type", "value", ...}}``) to the entity dict."""
    if entity["label"] is None:
        entity["label"] = _value(row, "itemLabel") or None
    if entity["description"] is None:
        entity["description"] = _value(row, "itemDescription") or None
    sitelinks = _value(row, "sitelinks")
    if sitelinks is not None:
        try:  # a count of sitelinks: "1e400" or "nan" is none
            entity["popularity"] = max(entity["popularity"], min(int(float(sitelinks)), MAX_SITELINKS))
        except (ValueError, OverflowError):
            pass
    add(entity["aliases"], _value(row, "alias"))
    add(entity["types"], qid_of(_value(row, "type")))
    add(entity["countries"], qid_of(_value(row, "country")))
    position = qid_of(_value(row, "position"))
    if position is not None:
        add_position(entity["positions"], {
            "qid": position,
            "label": _value(row, "positionLabel") or None,
            "start": date_of(_value(row, "start")),
            "end": date_of(_value(row, "end")),
            "country": qid_of(_value(row, "positionCountry")),
        })


def _sparql_page(http: Http, endpoint: str, query: str) -> list[dict]:
    headers = {"Accept": SPARQL_JSON}
    hint = "check the query file"
    if len(query) > POST_ABOVE:
        response = http.request("POST", endpoint, data={"query": query}, headers=headers, hint=hint)
    else:
        response = http.request("GET", endpoint, params={"query": query}, headers=headers, hint=hint)
    try:
        bindings = response.json()["results"]["bindings"]
        if not isinstance(bindings, list):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        kind = response.headers.get("Content-Type", "no content type")
        raise WikidataError(f"Wikidata endpoint {bare_url(endpoint)} did not answer with SPARQL JSON results "
                            f"({kind}): {first_line(response.text)}; check the endpoint URL and that the query "
                            "is a SELECT") from None
    return bindings


def fetch_sparql(endpoint: str, query: str, *, page_size: int = 10000, max_pages: int = 1000,
                 deadline: float = 3600.0, http: Http | None = None) -> Iterator[dict]:
    """Run a SELECT query page by page at ``endpoint`` (e.g. :data:`DEFAULT_SPARQL_ENDPOINT`) and yield one
    entity dict per ``?item``. A LIMIT/OFFSET in the query raises at the call.

    Each page is the query with ``LIMIT page_size OFFSET n`` appended; paging stops at the first page with fewer
    than ``page_size`` rows. More than ``max_pages`` pages, a page that repeats the one before (an endpoint that
    ignores OFFSET) or more than ``deadline`` seconds in all raise :class:`WikidataError`. Rows are grouped by
    ``?item``: when the query is ``ORDER BY ?item`` the entities stream out as soon as the next item starts;
    otherwise they are all collected first and yielded in the order they were first seen. The variables read
    are ?item ?itemLabel ?itemDescription ?alias ?type ?country ?position ?positionLabel ?start ?end
    ?positionCountry ?sitelinks; others are ignored.
    """
    if page_size < 1 or max_pages < 1:
        raise WikidataError(f"the page size and the number of pages must be at least 1, not {page_size} and "
                            f"{max_pages}; give --page-size 1 or more")
    if not query.strip():
        raise WikidataError("the SPARQL query is empty; pass the text of a SELECT query file")
    check_no_limit(query, source="the SPARQL query file")  # checked now, not at the first next()
    return _pages(endpoint, query, page_size, max_pages, http or Http(deadline=deadline), own=http is None)


def _pages(endpoint: str, query: str, page_size: int, max_pages: int, http: Http, *, own: bool) -> Iterator[dict]:
    streaming = _ordered_by_item(query)
    base = query.rstrip() + "\n"  # a trailing comment line must not swallow the LIMIT
    entities: dict[str, dict] = {}
    try:
        page, previous = 0, None
        while True:
            if page == max_pages:
                raise WikidataError(f"Wikidata endpoint {bare_url(endpoint)} still sent full pages after "
                                    f"{max_pages} pages of {page_size} rows; nothing was added: narrow the query or "
                                    "raise the page size")
            rows = _sparql_page(http, endpoint, f"{base}LIMIT {page_size} OFFSET {page * page_size}")
            if rows and rows == previous:
                raise WikidataError(f"Wikidata endpoint {bare_url(endpoint)} sent page {page + 1} the same as page "
                                    f"{page}: it ignores OFFSET; nothing was added: use an endpoint that pages")
            previous = rows
            for row in rows:
                if not isinstance(row, dict):  # a binding must be an object of variables; skip anything else
                    continue
                qid = qid_of(_value(row, "item"))
                if qid is None:
                    continue
                if streaming and qid not in entities and entities:
                    yield from entities.values()  # ORDER BY ?item: the previous item is complete
                    entities.clear()
                _merge_row(entities.setdefault(qid, empty(qid)), row)
            page += 1
            if len(rows) < page_size:
                break
        yield from entities.values()
    finally:
        if own:
            http.close()
