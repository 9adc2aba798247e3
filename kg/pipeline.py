"""The ordered stages: read -> parse -> extract -> link -> map to RDF -> store.

One bad article is reported and skipped; it never stops the run or touches the other articles' graphs.
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from kg import __version__, nlp, resources
from kg.config import Config
from kg.extract import extract as extract_doc
from kg.link import default_linker, link
from kg.model import Article, Extraction
from kg.rdf import article_graph, iris
from kg.read import Problem, make_article, read

log = logging.getLogger(__name__)


@dataclass
class BuildReport:
    stored: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def content_hash(article: Article, config: Config, kb_state: str = "") -> str:
    """Changes when the article or anything that shapes its graph changes (kg version, pipeline, base IRI,
    what the knowledge base holds)."""
    h = hashlib.sha256()
    for part in (__version__, config.pipeline, config.base_iri, kb_state, article.id, article.text,
                 article.title or "", article.url or "", article.published or ""):
        h.update(part.encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()


def read_articles(paths: Iterable[str | Path], config: Config) -> Iterator[Article | Problem]:
    """Articles (and problems) under ``paths``; a second article with an id already read is a problem."""
    return _unique(read(paths, max_bytes=config.max_bytes))


def _unique(items: Iterable[Article | Problem]) -> Iterator[Article | Problem]:
    seen: dict[str, str] = {}
    for item in items:
        if isinstance(item, Article):
            if item.id in seen:
                yield Problem(item.source, f"article id {item.id!r} was already read from {seen[item.id]}; "
                                           "give each article a unique file name or id")
                continue
            seen[item.id] = item.source
        yield item


def extract_articles(articles: list[Article], config: Config, problems: list[Problem] | None = None,
                     progress=None, linker=None) -> Iterator[Extraction]:
    """Parse, extract and link articles in batches. An article whose extraction fails becomes a problem."""
    if not articles:
        return
    own = linker is None
    linker = linker or default_linker(config.kb, online=config.online)
    try:
        yield from _extract(articles, config, linker, problems, progress)
    finally:
        if own:
            linker.close()


def _extract(articles, config, linker, problems, progress) -> Iterator[Extraction]:
    for article, doc in nlp.parse(articles, pipeline=config.pipeline, batch_size=config.batch_size):
        try:
            yield link(extract_doc(article, doc), linker)
        except Exception as exc:  # a kg bug on odd input must not cost the other articles
            log.debug("extraction failed", exc_info=True)
            if problems is None:
                raise
            problems.append(Problem(article.source, f"extraction failed ({type(exc).__name__}: {exc}); "
                                                    "the article was skipped, please report it"))
        finally:
            if progress is not None:
                progress.update(1)


def build(paths: Iterable[str | Path], store, config: Config, *, progress: bool = False,
          force: bool = False) -> BuildReport:
    """Read, extract and store every article under ``paths``; unchanged articles are skipped."""
    report = BuildReport()
    store.ensure_ontology(resources.ontology())
    linker = default_linker(config.kb, online=config.online)
    try:
        _build(paths, store, config, report, linker, progress, force)
    finally:
        linker.close()
    return report


def _build(paths, store, config: Config, report: BuildReport, linker, progress: bool, force: bool) -> None:
    kb_state = linker.kb.state()
    todo: list[tuple[Article, str]] = []
    for item in read_articles(paths, config):
        if isinstance(item, Problem):
            report.problems.append(item)
            continue
        digest = content_hash(item, config, kb_state)
        if not force and store.article_hash(iris.article_iri(config.base_iri, item.id)) == digest:
            report.unchanged.append(item.id)
        else:
            todo.append((item, digest))
    bar = None
    if progress and todo:
        from tqdm import tqdm
        bar = tqdm(total=len(todo), unit="article", desc="kg build")
    digests = {a.id: d for a, d in todo}
    try:
        for extraction in extract_articles([a for a, _ in todo], config, report.problems, bar, linker):
            a = extraction.article
            store.write_articles([article_graph(extraction, base_iri=config.base_iri, content_hash=digests[a.id])])
            report.stored.append(a.id)
    finally:
        if bar is not None:
            bar.close()


def extract_text(text: str, config: Config, *, doc_id: str = "text", published: str | None = None,
                 title: str | None = None) -> Extraction:
    article = make_article(doc_id, text, published=published, title=title)
    return next(extract_articles([article], config))
