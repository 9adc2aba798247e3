"""HTTP for every Wikidata service kg talks to: one ``requests.Session`` that follows Wikimedia's rules.

A descriptive User-Agent (Wikimedia's policy), timeouts, a deadline for a client's requests all together,
retries with exponential backoff, ``Retry-After`` and the API's ``maxlag``, and a minimum interval between
requests. Sleep and clock are injectable so tests never wait.
"""
from __future__ import annotations

import email.utils
import time
from datetime import datetime, timezone
from typing import Callable

import requests

import kg
from kg.errors import WikidataError

USER_AGENT = (f"kg/{kg.__version__} (https://github.com/kg-news/kg; news knowledge graph) "
              f"python-requests/{requests.__version__}")


def first_line(text: str, limit: int = 200) -> str:
    """The first non-blank line of an answer's body, cut to ``limit`` characters, for one-line messages."""
    for line in (text or "").splitlines():
        line = line.strip()
        if line:
            return line if len(line) <= limit else line[:limit - 1] + "…"
    return "(empty body)"


def bare_url(url: str) -> str:
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
        where = bare_url(url)
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
                           f"{first_line(response.text)}; the service may be down, try again later")
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
                                    f"{first_line(response.text)}; {advice}")
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
