"""Stage 1, read: ``.txt`` files, ``.jsonl`` files and folders of them into :class:`Article` records.

Header lines (``Publish Date: 11 September 2018 - 22:25``) give the publish date and, like footer boilerplate
(``* Comment:``), stay out of the analysed ``body``; offsets still index the original text.
Unreadable inputs become :class:`Problem` records so that one bad file never stops the others.
"""
from __future__ import annotations

import json
import logging
import os
import re
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Iterable, Iterator

from kg import lexicons
from kg.errors import InputError
from kg.model import Article
from kg.wire import dateline

log = logging.getLogger(__name__)
SUFFIXES = (".txt", ".jsonl")
DATE_FORMATS = ("%d %B %Y %H:%M", "%d %B %Y", "%B %d %Y %H:%M", "%B %d %Y", "%d %b %Y %H:%M", "%d %b %Y",
                "%b %d %Y %H:%M", "%b %d %Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S",
                "%Y-%m-%dT%H:%M", "%Y-%m-%d")


@dataclass(frozen=True)
class Problem:
    """An input that could not be read; ``message`` says what is wrong and what to do."""

    source: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


def _patterns(key: str) -> list[re.Pattern]:
    return [re.compile(p, re.IGNORECASE) for p in lexicons.load("boilerplate")[key]]


def parse_date(value: str) -> str | None:
    """ISO 8601 form of a news date, or None.

    >>> parse_date("11 September 2018 - 22:25")
    '2018-09-11T22:25'
    >>> parse_date("2018-09-11")
    '2018-09-11'
    """
    value = value.strip()
    try:  # ISO 8601, with or without a zone ("2018-09-11T22:25:00Z")
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return parsed.strftime("%Y-%m-%dT%H:%M") if re.search(r"\d[T ]\d", value) else parsed.strftime("%Y-%m-%d")
    except ValueError:
        pass
    try:  # RFC 2822, as in RSS feeds ("Tue, 11 Sep 2018 22:25:00 GMT")
        return parsedate_to_datetime(value).strftime("%Y-%m-%dT%H:%M")
    except (TypeError, ValueError, IndexError):
        pass
    value = re.sub(r"^(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+", "", value, flags=re.IGNORECASE)
    cleaned = re.sub(r"\s*[-–—|]\s*(?=\d{1,2}:\d{2})", " ", value)
    cleaned = re.sub(r"[,]", " ", cleaned)
    cleaned = re.sub(r"\s+", " ", re.sub(r"(?<=\d)(st|nd|rd|th)\b", "", cleaned)).strip()
    cleaned = re.sub(r"\s*(GMT|UTC|[+-]\d{2}:?\d{2})$", "", cleaned)
    for fmt in DATE_FORMATS:
        try:
            parsed = datetime.strptime(cleaned, fmt)
        except ValueError:
            continue
        return parsed.strftime("%Y-%m-%dT%H:%M") if "%H" in fmt else parsed.strftime("%Y-%m-%d")
    return None


def split_boilerplate(text: str) -> tuple[tuple[int, int], str | None]:
    """The analysed body ``(start, end)`` of ``text`` and the publish date found in its header lines.

    >>> text = "News ID: 1\\nPublish Date: 11 September 2018 - 22:25\\nGENEVA - Talks.\\n\\n* Comment:"
    >>> (start, end), published = split_boilerplate(text)
    >>> text[start:end], published
    ('GENEVA - Talks.', '2018-09-11T22:25')
    """
    header, footer, published_rx = _patterns("header"), _patterns("footer"), _patterns("published")
    lines = text.splitlines(keepends=True)
    offsets, pos = [], 0
    for line in lines:
        offsets.append(pos)
        pos += len(line)
    first, published = 0, None
    while first < len(lines) and (not lines[first].strip() or any(p.fullmatch(lines[first].strip()) for p in header)):
        for p in published_rx:
            m = p.fullmatch(lines[first].strip())
            if m and published is None:
                published = parse_date(m.group("date"))
        first += 1
    last = len(lines)
    while last > first and (not lines[last - 1].strip() or any(p.fullmatch(lines[last - 1].strip()) for p in footer)):
        last -= 1
    if first == last:  # nothing but header-like lines: analyse everything rather than nothing
        first, last = 0, len(lines)
    start = offsets[first] if first < len(lines) else len(text)
    end = offsets[last - 1] + len(lines[last - 1].rstrip()) if last else 0
    while start < end and text[start].isspace():
        start += 1
    return (start, end), published


def make_article(doc_id: str, text: str, *, source: str = "", title: str | None = None, url: str | None = None,
                 published: str | None = None, origin: str = "") -> Article:
    """An article from raw text: boilerplate split off, publish date taken from the header when not given, else
    from a dateline ('LONDON 1996-08-30')."""
    body, header_date = split_boilerplate(text)
    if not published and not header_date:
        line = dateline(text, body)
        header_date = line.date if line else None
    if published:
        given, published = published, parse_date(published)
        if published is None:
            log.warning("%s: publish date %r not understood (use ISO 8601, e.g. 2018-09-11); stored without it",
                        source or doc_id, given)
    return Article(id=doc_id, text=text, body=body, title=title, url=url, published=published or header_date,
                   source=source or doc_id, origin=origin)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _unicode(text: str, source: str, what: str) -> str:
    """``text`` with each lone surrogate (a JSON "\\ud800" half of a pair) as U+FFFD: one code point for one, so
    offsets stay; such a string cannot be written as UTF-8, in the store or anywhere."""
    text, n = _SURROGATE.subn("\ufffd", text)
    if n:
        log.warning("%s: %d lone surrogate(s) in the %s replaced by U+FFFD", source, n, what)
    return text


def _shown(path: Path) -> str:
    """A path as text that can be written: a file name that is not UTF-8 gets U+FFFD for its bad bytes."""
    return os.fsencode(path).decode("utf-8", "replace")


def _decode(data: bytes, source: str) -> str:
    if not data.strip():
        raise InputError(f"{source}: the file is empty; give it the article text or remove it")
    if b"\x00" in data[:8192]:
        raise InputError(f"{source}: looks like a binary file, not text; give kg .txt or .jsonl articles")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{source}: not UTF-8 (byte {exc.start}); convert it, e.g. iconv -f latin1 -t utf-8") from None


def _read_txt(path: Path, max_bytes: int, doc_id: str) -> Iterator[Article | Problem]:
    size = path.stat().st_size
    source = _shown(path)
    if size > max_bytes:
        yield Problem(source, f"{size} bytes is over the {max_bytes}-byte limit; raise max_bytes "
                              "(kg.toml, KG_MAX_BYTES or --max-bytes) or split the file")
        return
    try:
        text = _decode(path.read_bytes(), source)
    except InputError as exc:
        yield Problem(source, str(exc).split(": ", 1)[1])
        return
    yield make_article(doc_id, text, source=source, origin=_shown(path.resolve()))


def _read_jsonl(path: Path, max_bytes: int) -> Iterator[Article | Problem]:
    seen: set[str] = set()
    if path.stat().st_size == 0 or not path.read_bytes()[:65536].strip() and path.stat().st_size < 65536:
        yield Problem(_shown(path), "the file is empty; give it one JSON article per line or remove it")
        return
    with path.open("rb") as fh:
        for lineno, raw in enumerate(fh, 1):
            where = f"{_shown(path)}:{lineno}"
            if not raw.strip():
                continue
            if len(raw) > 6 * max_bytes + 65536:  # past what JSON escapes (\u00e9 is 6 bytes) of a text in the limit
                yield Problem(where, f"a line of {len(raw)} bytes holds a text over the {max_bytes}-byte limit; "
                                     "raise max_bytes or split the article")
                continue
            try:
                record = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError:
                yield Problem(where, "not UTF-8; re-encode the file as UTF-8")
                continue
            except json.JSONDecodeError as exc:
                yield Problem(where, f"not JSON ({exc.msg} at column {exc.colno}); each line must be one JSON object")
                continue
            if not isinstance(record, dict):
                yield Problem(where, 'not a JSON object; each line must look like {"id": ..., "text": ...}')
                continue
            doc_id, text = record.get("id"), record.get("text")
            if not isinstance(doc_id, (str, int)) or str(doc_id) == "":
                yield Problem(where, 'has no "id"; give each line a unique string "id"')
                continue
            if not isinstance(text, str) or not text.strip():
                yield Problem(where, f'article {doc_id!r} has no "text" (or it is empty); give it the article text')
                continue
            size = len(text.encode("utf-8", "surrogatepass"))
            if size > max_bytes:  # the text, not its JSON escaping
                yield Problem(where, f"article {doc_id!r}: {size} bytes of text is over the {max_bytes}-byte "
                                     "limit; raise max_bytes (kg.toml, KG_MAX_BYTES or --max-bytes) or split it")
                continue
            doc_id = _unicode(str(doc_id), where, "id")
            text = _unicode(text, where, "text")
            if doc_id in seen:
                yield Problem(where, f"id {doc_id!r} is used twice in this file; ids must be unique")
                continue
            seen.add(doc_id)
            meta = {k: _unicode(record[k], where, k) if isinstance(record.get(k), str) else None
                    for k in ("title", "url", "published")}
            yield make_article(doc_id, text, source=where, origin=_shown(path.resolve()), **meta)


def _files(path: Path) -> Iterator[Path | Problem]:
    if path.is_dir():
        found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        if not found:
            yield Problem(_shown(path), "folder holds no .txt or .jsonl files; point kg at the folder of articles")
        yield from found
    elif path.is_file():
        if path.suffix.lower() in SUFFIXES:
            yield path
        else:
            yield Problem(_shown(path), f"unsupported file type {path.suffix or '(none)'}; kg reads .txt and .jsonl")
    else:
        yield Problem(_shown(path), "no such file or folder; check the path")


ID_FROM = ("name", "path")


def read(paths: Iterable[str | Path], *, max_bytes: int = 2_000_000, id_from: str = "name"
         ) -> Iterator[Article | Problem]:
    """Articles (and problems) from files and folders, in a stable order. A .txt article's id is its file name,
    or with ``id_from="path"`` its path inside the folder given (the path as given, for a file); a JSONL
    article's id is its "id".

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()); _ = (d / "b").mkdir(); _ = (d / "b" / "a.txt").write_text("Iran said so.")
    >>> [a.id for a in read([d])], [a.id for a in read([d], id_from="path")]
    (['a.txt'], ['b/a.txt'])
    """
    for given in map(Path, paths):
        for item in _files(given):
            if isinstance(item, Problem):
                yield item
            elif item.suffix.lower() == ".jsonl":
                yield from _read_jsonl(item, max_bytes)
            else:
                name = item.relative_to(given) if given.is_dir() else item
                yield from _read_txt(item, max_bytes, _shown(Path(item.name) if id_from == "name" else name))


def count(paths: Iterable[str | Path]) -> int:
    """About how many articles (and problems) :func:`read` gives for ``paths``, cheaply, for a progress bar's
    total: one per .txt file and per line of a .jsonl file (its bytes are counted, not parsed), one per problem
    of a path.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "a.txt").write_text("x"); _ = (d / "b.jsonl").write_text("{}\\n{}")
    >>> count([d, d / "missing.txt"])
    4
    """
    n = 0
    for given in map(Path, paths):
        for item in _files(given):
            if isinstance(item, Problem) or item.suffix.lower() != ".jsonl":
                n += 1
                continue
            try:
                with item.open("rb") as f:
                    last = b"\n"
                    while chunk := f.read(1 << 20):
                        n += chunk.count(b"\n")
                        last = chunk[-1:]
                    n += last != b"\n"
            except OSError:
                n += 1
    return n
