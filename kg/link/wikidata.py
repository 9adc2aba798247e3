"""Wikidata over the network: the SPARQL knowledge-base extraction and the online lookup of unresolved mentions.

Two entry points, both returning plain dicts of one shape (the caller converts them to its own types)::

    {"qid": "Q311269", "label": "John Bolton", "description": "American diplomat and lawyer",
     "aliases": ["John Robert Bolton"], "types": ["Q5"], "countries": ["Q30"],
     "positions": [{"qid": "Q1414246", "label": "United States National Security Advisor",
                    "start": "2018-04-09", "end": "2019-09-10", "country": "Q30"}],
     "popularity": 57}

- :func:`fetch_sparql` pages a SELECT query (``queries/kb/default.rq``) through a SPARQL endpoint and yields one
  such dict per ``?item``;
- :class:`OnlineWikidata` asks the MediaWiki API (``wbsearchentities``, ``wbgetentities``) and keeps every answer
  in an on-disk cache, so a second run with the same inputs sends no request.

All traffic goes through :class:`Http`: one ``requests.Session`` with a descriptive User-Agent (Wikimedia's
policy), timeouts, retries with exponential backoff, ``Retry-After`` handling and a minimum interval between
requests. Sleep and clock are injectable so tests never wait.
"""
from __future__ import annotations

import email.utils
import json
import os
import re
import sqlite3
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Iterator
from urllib.parse import urlencode

import requests

import kg
from kg.errors import KgError

__all__ = [
    "DEFAULT_API", "DEFAULT_SPARQL_ENDPOINT", "USER_AGENT", "Http", "OnlineWikidata", "WikidataError",
    "default_cache_path", "fetch_sparql", "check_no_limit",
]

USER_AGENT = (f"kg/{kg.__version__} (https://github.com/kg-news/kg; news knowledge graph) "
              f"python-requests/{requests.__version__}")
DEFAULT_SPARQL_ENDPOINT = "https://query.wikidata.org/sparql"
DEFAULT_API = "https://www.wikidata.org/w/api.php"

SPARQL_JSON = "application/sparql-results+json"
POST_ABOVE = 1500  # queries longer than this (in characters) go by POST
MAX_IDS = 50  # wbgetentities accepts at most 50 ids per request (for non-bot accounts)
MAX_SEARCH_LIMIT = 50
MAX_SITELINKS = 1_000_000  # Wikidata's most linked item has a few hundred; more is not a count

_ENTITY_IRI = re.compile(r"^https?://www\.wikidata\.org/entity/(Q[1-9][0-9]*)$")
_QID = re.compile(r"^Q[1-9][0-9]*$")
_DATE = re.compile(r"^([+-]?)(\d{4,})-(\d\d)-(\d\d)")


class WikidataError(KgError):
    """Wikidata (the query service or the API) cannot be reached, refuses a request or answers nonsense."""

    code = "E080"


# --------------------------------------------------------------------------------------------------------------
# HTTP


def _first_line(text: str, limit: int = 200) -> str:
    for line in (text or "").splitlines():
        line = line.strip()
        if line:
            return line if len(line) <= limit else line[:limit - 1] + "…"
    return "(empty body)"


def _bare(url: str) -> str:
    """The URL without its query string, for messages (a SPARQL query can be kilobytes long)."""
    return url.split("?", 1)[0]


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date; None if absent or unreadable."""
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


class Http:
    """One ``requests.Session`` with timeouts, retries, ``Retry-After`` and a minimum interval between requests.

    - connection errors, timeouts and 5xx answers are retried with exponential backoff (``backoff``, ``2*backoff``,
      ``4*backoff`` ...), at most ``max_tries`` attempts in all;
    - 429 and 503 wait for ``Retry-After`` (seconds or an HTTP date, capped at ``max_retry_after``);
    - ``retry_check(response)`` may return a number of seconds to treat a 200 answer as "retry later"
      (the MediaWiki API's ``maxlag`` error);
    - other 4xx answers fail at once;
    - every failure is a :class:`WikidataError` with a one-line message saying what to do.
    """

    def __init__(self, *, connect_timeout: float = 5.0, read_timeout: float = 60.0, max_tries: int = 4,
                 backoff: float = 1.0, min_interval: float = 1.0, max_retry_after: float = 120.0,
                 user_agent: str = USER_AGENT, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic, session: requests.Session | None = None,
                 deadline: float | None = None):
        """``deadline``: seconds for all the requests of this client together, bodies included (an endpoint
        that trickles a byte at a time never trips the read timeout)."""
        if max_tries < 1:
            raise ValueError("max_tries must be at least 1")
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.max_tries = max_tries
        self.backoff = backoff
        self.min_interval = min_interval
        self.max_retry_after = max_retry_after
        self.sleep = sleep
        self.clock = clock
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = user_agent
        self._not_before: float | None = None
        self.deadline = deadline
        self._ends = None if deadline is None else clock() + deadline

    def _in_time(self, where: str) -> None:
        if self._ends is not None and self.clock() > self._ends:
            raise WikidataError(f"Wikidata endpoint {where} did not finish within {self.deadline:g} s; try again "
                                "later, or narrow the query")

    def _read_body(self, response: requests.Response, where: str) -> None:
        """Read the body in pieces as they come, minding the deadline; requests then serves it from memory."""
        chunks = []
        try:
            while True:
                self._in_time(where)
                chunk = response.raw.read1(1 << 16, decode_content=True)
                if not chunk:
                    break
                chunks.append(chunk)
        except WikidataError:
            response.close()
            raise
        response._content = b"".join(chunks)  # what response.content would have read whole
        response._content_consumed = True

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> "Http":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _pause(self, delay: float) -> None:
        """Wait ``delay`` seconds, or until the minimum interval since the last request has passed if longer."""
        wait = delay
        if self._not_before is not None:
            wait = max(wait, self._not_before - self.clock())
        if wait > 0:
            self.sleep(wait)
        self._not_before = self.clock() + self.min_interval

    def _backoff(self, attempt: int) -> float:
        return self.backoff * (2 ** (attempt - 1))

    def request(self, method: str, url: str, *, params: dict | None = None, data: dict | None = None,
                headers: dict | None = None, hint: str = "check the request",
                retry_check: Callable[[requests.Response], float | None] | None = None) -> requests.Response:
        """The successful response; raises :class:`WikidataError` once retries are used up or on a 4xx answer."""
        where = _bare(url)
        delay = 0.0
        problem = ""
        for attempt in range(1, self.max_tries + 1):
            self._pause(delay)
            self._in_time(where)
            try:
                response = self.session.request(method, url, params=params, data=data, headers=headers,
                                                timeout=(self.connect_timeout, self.read_timeout), stream=True)
                self._read_body(response, where)
            except (requests.exceptions.MissingSchema, requests.exceptions.InvalidSchema,
                    requests.exceptions.InvalidURL) as exc:
                raise WikidataError(f"Wikidata endpoint {where!r} is not a usable URL ({exc}); "
                                    "give an http(s) URL") from None
            except requests.exceptions.ConnectTimeout:
                problem = (f"could not connect to Wikidata endpoint {where} within {self.connect_timeout:g} s "
                           f"in {self.max_tries} tries; check the network connection and the URL, or try again later")
                delay = self._backoff(attempt)
                continue
            except requests.exceptions.Timeout:
                problem = (f"Wikidata endpoint {where} did not answer within {self.read_timeout:g} s "
                           f"in {self.max_tries} tries; try again later or raise the read timeout")
                delay = self._backoff(attempt)
                continue
            except (requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
                problem = (f"could not reach Wikidata endpoint {where} in {self.max_tries} tries "
                           f"({type(exc).__name__}); check the network connection and the URL, or try again later")
                delay = self._backoff(attempt)
                continue
            status = response.status_code
            if status in (429, 503):
                wait = parse_retry_after(response.headers.get("Retry-After"))
                delay = min(self.max_retry_after, wait if wait is not None else self._backoff(attempt))
                problem = (f"Wikidata endpoint {where} still answered {status} (too many requests or busy) "
                           f"after {self.max_tries} tries; wait a few minutes and run again")
                continue
            if status >= 500:
                delay = self._backoff(attempt)
                problem = (f"Wikidata endpoint {where} answered {status} {self.max_tries} times: "
                           f"{_first_line(response.text)}; the service may be down, try again later")
                continue
            if status >= 400:
                advice = hint
                if status == 403:
                    advice = "the service refused this client; check the User-Agent and the URL"
                elif status == 404:
                    advice = "check the endpoint URL"
                elif status == 414:
                    advice = "the request is too long; shorten the query"
                raise WikidataError(f"Wikidata endpoint {where} answered {status}: "
                                    f"{_first_line(response.text)}; {advice}")
            if status >= 300:  # redirects are followed by requests; anything left is unexpected
                raise WikidataError(f"Wikidata endpoint {where} answered {status}; check the endpoint URL")
            if retry_check is not None:
                wait = retry_check(response)
                if wait is not None:
                    delay = min(self.max_retry_after, wait)
                    problem = (f"Wikidata endpoint {where} asked to retry later (maxlag: replication lag) "
                               f"{self.max_tries} times; the servers are under load, run again later")
                    continue
            return response
        raise WikidataError(problem)


# --------------------------------------------------------------------------------------------------------------
# Shared conversion helpers


def qid_of(iri: str | None) -> str | None:
    """``Q42`` from ``http://www.wikidata.org/entity/Q42``; None for anything else (properties, blank nodes ...)."""
    if not iri:
        return None
    match = _ENTITY_IRI.match(iri)
    return match.group(1) if match else None


def date_of(value: str | None) -> str | None:
    """``YYYY-MM-DD`` from an xsd:dateTime or a Wikibase time (``+2018-04-09T00:00:00Z``); 00 month/day -> 01.

    Years before 1 keep their minus sign (``-0044-03-15``). Anything else (unknown values) gives None.
    """
    if not value:
        return None
    match = _DATE.match(value.strip())
    if not match:
        return None
    sign, year, month, day = match.groups()
    month = "01" if month == "00" else month
    day = "01" if day == "00" else day
    return f"{'-' if sign == '-' else ''}{year}-{month}-{day}"


def _empty(qid: str) -> dict:
    return {"qid": qid, "label": None, "description": None, "aliases": [], "types": [], "countries": [],
            "positions": [], "popularity": 0}


def _add(values: list, value) -> None:
    if value is not None and value != "" and value not in values:
        values.append(value)


def _add_position(positions: list[dict], position: dict) -> None:
    """Merge one position into the list: the same (qid, start, end) is one position; fill missing label/country."""
    for known in positions:
        if (known["qid"], known["start"], known["end"]) == (position["qid"], position["start"], position["end"]):
            for key in ("label", "country"):
                if known[key] is None and position[key] is not None:
                    known[key] = position[key]
            return
    positions.append(position)


# --------------------------------------------------------------------------------------------------------------
# SPARQL knowledge-base extraction

# Tokens that may contain "LIMIT"/"OFFSET" without being keywords: strings, IRIs, comments.
_SPARQL_SKIP = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""' r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"' r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\s]*>'
    r"|#[^\n]*"
)
_LIMIT = re.compile(r"\b(LIMIT|OFFSET)\b", re.IGNORECASE)


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
    _add(entity["aliases"], _value(row, "alias"))
    _add(entity["types"], qid_of(_value(row, "type")))
    _add(entity["countries"], qid_of(_value(row, "country")))
    position = qid_of(_value(row, "position"))
    if position is not None:
        _add_position(entity["positions"], {
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
        raise WikidataError(f"Wikidata endpoint {_bare(endpoint)} did not answer with SPARQL JSON results "
                            f"({kind}): {_first_line(response.text)}; check the endpoint URL and that the query "
                            "is a SELECT") from None
    return bindings


def fetch_sparql(endpoint: str, query: str, *, page_size: int = 10000, max_pages: int = 1000,
                 deadline: float = 3600.0, http: Http | None = None) -> Iterator[dict]:
    """Run a SELECT query page by page at ``endpoint`` (e.g. :data:`DEFAULT_SPARQL_ENDPOINT`) and yield one
    entity dict per ``?item`` (see the module docstring). A LIMIT/OFFSET in the query raises at the call.

    Each page is the query with ``LIMIT page_size OFFSET n`` appended; paging stops at the first page with fewer
    than ``page_size`` rows. More than ``max_pages`` pages, a page that repeats the one before (an endpoint that
    ignores OFFSET) or more than ``deadline`` seconds in all raise :class:`WikidataError`. Rows are grouped by ``?item``: when the query is
    ``ORDER BY ?item`` the entities stream out as soon as the next item starts; otherwise they are all collected
    first and yielded in the order they were first seen. The variables read are ?item ?itemLabel ?itemDescription
    ?alias ?type ?country ?position ?positionLabel ?start ?end ?positionCountry ?sitelinks; others are ignored.
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
                raise WikidataError(f"Wikidata endpoint {_bare(endpoint)} still sent full pages after {max_pages} "
                                    f"pages of {page_size} rows; nothing was added: narrow the query or raise "
                                    "the page size")
            rows = _sparql_page(http, endpoint, f"{base}LIMIT {page_size} OFFSET {page * page_size}")
            if rows and rows == previous:
                raise WikidataError(f"Wikidata endpoint {_bare(endpoint)} sent page {page + 1} the same as page "
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
                _merge_row(entities.setdefault(qid, _empty(qid)), row)
            page += 1
            if len(rows) < page_size:
                break
        yield from entities.values()
    finally:
        if own:
            http.close()


# --------------------------------------------------------------------------------------------------------------
# Online lookup through the MediaWiki API, with an on-disk cache


def default_cache_path() -> Path:
    """``$XDG_CACHE_HOME/kg/wikidata-cache.sqlite`` (``~/.cache`` when XDG_CACHE_HOME is unset)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kg" / "wikidata-cache.sqlite"


class _Cache:
    """Answers keyed by method + URL + sorted parameters, in one SQLite table; entries never expire."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path)
            self.db.execute("CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, body TEXT NOT NULL, "
                            "stored TEXT NOT NULL)")
            self.db.commit()
        except (OSError, sqlite3.Error) as exc:
            raise WikidataError(f"cannot open the Wikidata cache {self.path} ({exc}); pass a writable cache path "
                                "or set XDG_CACHE_HOME") from None

    @staticmethod
    def key(url: str, params: dict) -> str:
        return f"GET {url}?{urlencode(sorted(params.items()))}"

    def get(self, key: str) -> str | None:
        row = self.db.execute("SELECT body FROM answers WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def put(self, key: str, body: str) -> None:
        try:
            self.db.execute("INSERT OR REPLACE INTO answers (key, body, stored) VALUES (?, ?, ?)",
                            (key, body, datetime.now(timezone.utc).isoformat(timespec="seconds")))
            self.db.commit()
        except sqlite3.Error as exc:
            raise WikidataError(f"cannot write the Wikidata cache {self.path} ({exc}); check disk space and "
                                "permissions") from None

    def clear(self) -> None:
        self.db.execute("DELETE FROM answers")
        self.db.commit()

    def close(self) -> None:
        self.db.close()


def _maxlag_wait(response: requests.Response) -> float | None:
    """Seconds to wait if the API answered ``{"error": {"code": "maxlag"}}``, else None."""
    try:
        body = response.json()
    except ValueError:
        return None
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict) and error.get("code") == "maxlag":
        wait = parse_retry_after(response.headers.get("Retry-After"))
        return 5.0 if wait is None else wait
    return None


def _text(values: dict, languages: Iterable[str]) -> str | None:
    """The value of the first language present in a Wikibase ``{lang: {"language", "value"}}`` map."""
    for language in languages:
        entry = (values or {}).get(language)
        if isinstance(entry, dict) and entry.get("value"):
            return entry["value"]
    return None


def _statements(claims: dict, prop: str) -> list[dict]:
    """The non-deprecated statements of a property; preferred ones first, as the truthy wdt: values would be."""
    found = [s for s in (claims or {}).get(prop, []) if isinstance(s, dict) and s.get("rank") != "deprecated"]
    return sorted(found, key=lambda s: s.get("rank") != "preferred")


def _snak_item(snak: dict | None) -> str | None:
    if not isinstance(snak, dict) or snak.get("snaktype") != "value":
        return None
    value = (snak.get("datavalue") or {}).get("value")
    if isinstance(value, dict) and isinstance(value.get("id"), str) and _QID.match(value["id"]):
        return value["id"]
    if isinstance(value, dict) and value.get("entity-type") == "item" and "numeric-id" in value:
        return f"Q{value['numeric-id']}"
    return None


def _snak_time(snak: dict | None) -> str | None:
    if not isinstance(snak, dict) or snak.get("snaktype") != "value":
        return None
    value = (snak.get("datavalue") or {}).get("value")
    return date_of(value.get("time")) if isinstance(value, dict) else None


def _qualifier(statement: dict, prop: str, convert: Callable[[dict], str | None]) -> str | None:
    for snak in (statement.get("qualifiers") or {}).get(prop, []):
        value = convert(snak)
        if value is not None:
            return value
    return None


def _truthy_items(claims: dict, prop: str) -> list[str]:
    values: list[str] = []
    statements = _statements(claims, prop)
    if any(s.get("rank") == "preferred" for s in statements):  # truthy: preferred ones hide the normal ones
        statements = [s for s in statements if s.get("rank") == "preferred"]
    for statement in statements:
        _add(values, _snak_item(statement.get("mainsnak")))
    return values


class OnlineWikidata:
    """Search and fetch Wikidata items through the MediaWiki API, caching every answer on disk.

    >>> wd = OnlineWikidata(cache_path="/tmp/wd.sqlite")        # doctest: +SKIP
    >>> wd.search("John Bolton")[0]["qid"]                       # doctest: +SKIP
    'Q311269'
    >>> wd.entities(["Q311269"])["Q311269"]["positions"][0]["start"]  # doctest: +SKIP
    '2018-04-09'

    Labels, descriptions and aliases are English, falling back to Wikidata's language-neutral ``mul`` values
    (many items, people especially, have moved their name from ``en`` to ``mul`` since 2024).
    """

    def __init__(self, api_url: str = DEFAULT_API, *, cache_path: str | os.PathLike | None = None,
                 http: Http | None = None, maxlag: int | None = 5, language: str = "en"):
        self.api_url = api_url
        self.maxlag = maxlag
        self.language = language
        self._own_http = http is None
        self.http = http or Http()
        self.cache = _Cache(cache_path if cache_path is not None else default_cache_path())

    def close(self) -> None:
        self.cache.close()
        if self._own_http:
            self.http.close()

    def __enter__(self) -> "OnlineWikidata":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def clear_cache(self) -> None:
        """Forget every cached answer (entries never expire otherwise)."""
        self.cache.clear()

    def _languages(self, language: str) -> list[str]:
        return [language, "mul"] if language != "mul" else ["mul"]

    def _get(self, params: dict, *, hint: str) -> dict:
        """The API's JSON answer for ``params``, from the cache or the network (then cached)."""
        params = {**params, "format": "json"}
        if self.maxlag is not None:
            params["maxlag"] = str(self.maxlag)
        key = self.cache.key(self.api_url, params)
        cached = self.cache.get(key)
        if cached is not None:
            return json.loads(cached)
        response = self.http.request("GET", self.api_url, params=params, headers={"Accept": "application/json"},
                                     hint=hint, retry_check=_maxlag_wait)
        try:
            body = response.json()
            if not isinstance(body, dict):
                raise ValueError
        except ValueError:
            raise WikidataError(f"Wikidata API {_bare(self.api_url)} did not answer with JSON "
                                f"({response.headers.get('Content-Type', 'no content type')}): "
                                f"{_first_line(response.text)}; check the API URL") from None
        error = body.get("error")
        if isinstance(error, dict):
            raise WikidataError(f"Wikidata API {_bare(self.api_url)} answered error {error.get('code', '?')}: "
                                f"{_first_line(str(error.get('info', '')))}; {hint}")
        self.cache.put(key, json.dumps(body, ensure_ascii=False, separators=(",", ":")))
        return body

    def search(self, name: str, *, language: str | None = None, limit: int = 7) -> list[dict]:
        """Candidate items for a name, best first (``wbsearchentities``).

        Each: ``{"qid", "label", "description", "aliases": [...], "match_type", "match_text"}`` where
        ``match_type`` is what matched (``label``, ``alias`` ...) and ``match_text`` the matched text.
        """
        name = " ".join((name or "").split())
        if not name:
            return []
        language = language or self.language
        body = self._get({
            "action": "wbsearchentities", "search": name, "language": language, "uselang": language,
            "type": "item", "limit": str(max(1, min(limit, MAX_SEARCH_LIMIT))),
        }, hint="check the search text and language code")
        results = []
        for hit in body.get("search") or []:
            if not isinstance(hit, dict) or not _QID.match(str(hit.get("id", ""))):
                continue
            display = hit.get("display") or {}
            match = hit.get("match") or {}
            results.append({
                "qid": hit["id"],
                "label": hit.get("label") or (display.get("label") or {}).get("value"),
                "description": hit.get("description") or (display.get("description") or {}).get("value"),
                "aliases": [a for a in hit.get("aliases") or [] if isinstance(a, str)],
                "match_type": match.get("type"),
                "match_text": match.get("text"),
            })
        return results

    def _fetch(self, qids: list[str], props: str, languages: list[str]) -> dict[str, dict]:
        raw: dict[str, dict] = {}
        for i in range(0, len(qids), MAX_IDS):
            body = self._get({
                "action": "wbgetentities", "ids": "|".join(qids[i:i + MAX_IDS]), "props": props,
                "languages": "|".join(languages),
            }, hint="check the item ids")
            for key, entity in (body.get("entities") or {}).items():
                if isinstance(entity, dict) and "missing" not in entity and entity.get("id"):
                    raw[key] = entity
        return raw

    def entities(self, qids: Iterable[str], *, position_details: bool = True) -> dict[str, dict]:
        """Entity dicts (module docstring shape) keyed by the requested id, for ids that exist.

        Ids are fetched 50 per request. A redirected id keeps its requested key; its dict's ``qid`` is the
        target. With ``position_details`` the positions' labels and countries (P17, else P1001) are fetched too,
        with one more request per 50 positions.
        """
        wanted: list[str] = []
        for qid in qids:
            qid = str(qid).strip().upper()
            if not _QID.match(qid):
                raise WikidataError(f"{qid!r} is not a Wikidata item id such as Q42; pass item ids only")
            _add(wanted, qid)
        if not wanted:
            return {}
        languages = self._languages(self.language)
        raw = self._fetch(wanted, "labels|aliases|descriptions|claims|sitelinks", languages)
        result = {key: self._convert(entity, languages) for key, entity in raw.items()}
        if position_details:
            positions: list[str] = []
            for entity in result.values():
                for position in entity["positions"]:
                    _add(positions, position["qid"])
            if positions:
                details = self._fetch(positions, "labels|claims", languages)
                for entity in result.values():
                    for position in entity["positions"]:
                        detail = details.get(position["qid"])
                        if detail is None:
                            continue
                        claims = detail.get("claims") or {}
                        position["label"] = _text(detail.get("labels"), languages)
                        countries = _truthy_items(claims, "P17") or _truthy_items(claims, "P1001")
                        position["country"] = countries[0] if countries else None
        return result

    @staticmethod
    def _convert(entity: dict, languages: list[str]) -> dict:
        claims = entity.get("claims") or {}
        out = _empty(entity["id"])
        out["label"] = _text(entity.get("labels"), languages)
        out["description"] = _text(entity.get("descriptions"), languages)
        for language in languages:
            for alias in (entity.get("aliases") or {}).get(language) or []:
                if isinstance(alias, dict):
                    _add(out["aliases"], alias.get("value"))
        out["types"] = _truthy_items(claims, "P31")
        for prop in ("P17", "P27"):
            for country in _truthy_items(claims, prop):
                _add(out["countries"], country)
        for statement in _statements(claims, "P39"):
            position = _snak_item(statement.get("mainsnak"))
            if position is None:
                continue
            _add_position(out["positions"], {
                "qid": position, "label": None,
                "start": _qualifier(statement, "P580", _snak_time),
                "end": _qualifier(statement, "P582", _snak_time),
                "country": None,
            })
        out["popularity"] = len(entity.get("sitelinks") or {})
        return out
