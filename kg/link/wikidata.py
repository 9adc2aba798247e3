"""Wikidata online: :class:`OnlineWikidata` looks up the names the offline knowledge base does not know through
the MediaWiki API (``wbsearchentities``, ``wbgetentities``) and keeps every answer in an on-disk cache, so a
second run with the same inputs sends no request. Entities come back as the dicts of :mod:`kg.link.wikibase`,
which reads their JSON exactly as ``kg kb import`` reads a dump's.
"""
from __future__ import annotations

import json
import os
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable
from urllib.parse import urlencode

import requests

from kg.errors import WikidataError
from kg.link import wikibase
from kg.link.http import Http, bare_url, first_line, parse_retry_after
from kg.link.kb import QID_PATTERN

DEFAULT_API = "https://www.wikidata.org/w/api.php"
MAX_IDS = 50  # wbgetentities accepts at most 50 ids per request (for non-bot accounts)
MAX_SEARCH_LIMIT = 50


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
            raise WikidataError(f"Wikidata API {bare_url(self.api_url)} did not answer with JSON "
                                f"({response.headers.get('Content-Type', 'no content type')}): "
                                f"{first_line(response.text)}; check the API URL") from None
        error = body.get("error")
        if isinstance(error, dict):
            raise WikidataError(f"Wikidata API {bare_url(self.api_url)} answered error {error.get('code', '?')}: "
                                f"{first_line(str(error.get('info', '')))}; {hint}")
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
            if not isinstance(hit, dict) or not QID_PATTERN.match(str(hit.get("id", ""))):
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
                if isinstance(entity, dict) and "missing" not in entity and isinstance(entity.get("id"), str):
                    raw[key] = entity
        return raw

    def entities(self, qids: Iterable[str], *, position_details: bool = True) -> dict[str, dict]:
        """Entity dicts (of :mod:`kg.link.wikibase`) keyed by the requested id, for ids that exist.

        Ids are fetched 50 per request. A redirected id keeps its requested key; its dict's ``qid`` is the
        target. With ``position_details`` the positions' labels and countries (P17, else P1001) are fetched too,
        with one more request per 50 positions.
        """
        wanted: list[str] = []
        for qid in qids:
            qid = str(qid).strip().upper()
            if not QID_PATTERN.match(qid):
                raise WikidataError(f"{qid!r} is not a Wikidata item id such as Q42; pass item ids only")
            wikibase.add(wanted, qid)
        if not wanted:
            return {}
        languages = self._languages(self.language)
        raw = self._fetch(wanted, "labels|aliases|descriptions|claims|sitelinks", languages)
        result = {key: wikibase.entity(entity, languages) for key, entity in raw.items()}
        if position_details:
            positions: list[str] = []
            for entity in result.values():
                for position in entity["positions"]:
                    wikibase.add(positions, position["qid"])
            if positions:
                details = self._fetch(positions, "labels|claims", languages)
                for entity in result.values():
                    for position in entity["positions"]:
                        detail = details.get(position["qid"])
                        if detail is None:
                            continue
                        position["label"], position["country"] = wikibase.office(detail, languages)
        return result
