"""The ordered stages: read -> parse -> extract -> link -> map to RDF -> store.

One bad article is reported and skipped; it never stops the run or touches the other articles' graphs.
"""
from __future__ import annotations

import hashlib
import logging
from collections import deque
from contextlib import ExitStack, closing, contextmanager
from dataclasses import dataclass, field
from functools import partial
from itertools import chain
from pathlib import Path
from typing import Iterable, Iterator

from kg import __version__, lexicons, nlp, parallel, resources
from kg import progress as progressbar
from kg.config import Config
from kg.extract import extract as extract_doc
from kg.link import default_linker, link
from kg.link.default_kb import open_default
from kg.model import Article, Extraction
from kg.rdf import ArticleGraph, article_graph, iris
from kg.read import Problem, make_article, read
from kg.read import count as count_articles

log = logging.getLogger(__name__)


@dataclass
class BuildReport:
    stored: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    replaced: list[tuple[str, str]] = field(default_factory=list)  # (id, file it was read from) of another file


# The version of the rules that turn a Doc into a graph (kg/extract, kg/link, kg/rdf). Bump it with any change
# that changes what they output: a build then extracts every article again instead of calling it unchanged.
# tests/test_rules_version.py fails when the output changed and this did not.
RULES_VERSION = 118


def content_hash(article: Article, config: Config, kb_state: str = "") -> str:
    """Changes when the article or anything that shapes its graph changes: the rules and the lexicons, the
    spaCy pipeline and its version, the base IRI and what the knowledge base holds."""
    h = hashlib.sha256()
    for part in (__version__, str(RULES_VERSION), lexicons.digest(), config.pipeline,
                 nlp.pipeline_version(config.pipeline), config.base_iri, kb_state, article.id, article.text,
                 article.title or "", article.url or "", article.published or ""):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return h.hexdigest()


def read_articles(paths: Iterable[str | Path], config: Config, fetcher=None) -> Iterator[Article | Problem]:
    """Articles (and problems) under ``paths``, and at the http(s) URLs among them (fetched by ``fetcher``, a
    :class:`kg.fetch.Fetcher`, or one with the default settings); a second article with an id already read is a
    problem."""
    return _unique(_inputs(paths, config, fetcher))


def _inputs(paths: Iterable[str | Path], config: Config, fetcher) -> Iterator[Article | Problem]:
    from kg import fetch

    own = None
    try:
        for path in paths:
            if fetch.is_url(path):
                if fetcher is None:
                    fetcher = own = fetch.Fetcher(max_bytes=config.max_bytes)
                yield fetcher.read(path)
            else:
                yield from read([path], max_bytes=config.max_bytes, id_from=config.id_from)
    finally:
        if own is not None:
            own.close()


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


def extract_articles(articles: Iterable[Article], config: Config, problems: list[Problem] | None = None
                     ) -> Iterator[Extraction]:
    """Parse, extract and link articles, streamed in batches. An article whose extraction fails becomes a problem
    (or raises, when ``problems`` is None)."""
    articles = iter(articles)
    first = next(articles, None)
    if first is None:  # nothing to do: do not open (or build) the knowledge base
        return
    with closing(default_linker(config.kb, online=config.online)) as linker:
        for article, doc in nlp.parse(chain([first], articles), pipeline=config.pipeline,
                                      batch_size=config.batch_size, kb=config.kb):
            try:
                extraction = link(extract_doc(article, doc), linker)
            except Exception as exc:  # a kg bug on odd input must not cost the other articles
                if problems is None:
                    raise
                problems.append(_failed(article, exc))
                continue
            yield extraction


def _failed(article: Article, exc: Exception) -> Problem:
    log.debug("extraction failed", exc_info=True)
    return Problem(article.source, f"extraction failed ({type(exc).__name__}: {exc}); the article was skipped, "
                                   "please report it")


@dataclass
class _Batch:
    """Articles to extract (each with its content hash), and the input problems read along with them."""

    articles: list[tuple[Article, str]]
    problems: list[Problem]


def build(paths: Iterable[str | Path], store, config: Config, *, progress: bool = False,
          force: bool = False, fetcher=None) -> BuildReport:
    """Read, extract and store every article under ``paths`` (files, folders and http(s) URLs, which ``fetcher``
    fetches: see :func:`read_articles`); unchanged articles are skipped.

    The articles stream through in batches: only a few batches are held at a time, however many articles there
    are. Batches are extracted by ``config.workers`` processes (one with ``config.online``) and stored in input
    order."""
    report = BuildReport()
    store.ensure_ontology(resources.ontology())
    with open_default(config.kb or None) as kb:  # built here on first use, not by each worker
        kb_state = kb.state()
    paths = list(paths)
    progress = progress and progressbar.shown()
    total = _estimate(paths) if progress else None
    pending = _pending(paths, store, config, kb_state, force, report, fetcher)
    with ExitStack() as stack:
        bar, done = None, 0
        with closing(_extracted(_batches(pending, config.batch_size), config)) as batches:
            for batch, extracted in batches:
                report.problems.extend(batch.problems)
                results = mapped(batch.articles, extracted, config)
                graphs = [r for r in results if isinstance(r, ArticleGraph)]
                if graphs:
                    store.write_articles(graphs)
                report.stored.extend(g.article_id for g in graphs)
                report.problems.extend(r for r in results if isinstance(r, Problem))
                if progress and bar is None:
                    # made once the first batch is back, so after the workers are forked: they never hold a
                    # copy of it (or of its lock)
                    bar = stack.enter_context(progressbar.bar(total, desc="kg build", unit=" article"))
                if bar is not None:  # unchanged and unreadable articles are done too
                    now = len(report.stored) + len(report.unchanged) + len(report.problems)
                    bar.update(now - done)
                    done = now
    return report


def _estimate(paths: list) -> int:
    """About how many articles ``paths`` hold (a URL is one), for the progress bar's total."""
    from kg import fetch

    return sum(1 for p in paths if fetch.is_url(p)) + count_articles(p for p in paths if not fetch.is_url(p))


def _pending(paths, store, config: Config, kb_state: str, force: bool, report: BuildReport, fetcher=None):
    """Input problems, and the articles to extract with their content hash; unchanged ones are noted in the report."""
    for item in read_articles(paths, config, fetcher):
        if isinstance(item, Problem):
            yield item
            continue
        digest = content_hash(item, config, kb_state)
        iri = iris.article_iri(config.base_iri, item.id)
        stored = store.article_hash(iri)
        if not force and stored == digest:
            report.unchanged.append(item.id)
            continue
        origin = store.article_source(iri) if stored is not None and item.origin else None
        if origin and origin != item.origin:  # maybe an edit of a moved file, maybe another file with the same id
            log.warning("%s replaces article %r, which was read from %s; to keep both, give .txt articles ids "
                        "from their paths (--id-from path)", item.source, item.id, origin)
            report.replaced.append((item.id, origin))
        yield item, digest


def _batches(items: Iterable, size: int) -> Iterator[_Batch]:
    """The articles in :func:`kg.nlp.batches`, each batch with the problems read while it was filled."""
    problems: list[Problem] = []

    def articles():
        for item in items:
            if isinstance(item, Problem):
                problems.append(item)
            else:
                yield item
    for group in nlp.batches(articles(), size, article=lambda item: item[0]):
        yield _Batch(group, problems[:])
        problems.clear()
    if problems:
        yield _Batch([], problems)


def _extracted(batches: Iterator[_Batch], config: Config) -> Iterator[tuple[_Batch, list]]:
    """Each batch with its results (an Extraction or a Problem per article), in input order.

    Every batch is parsed on its own, in a worker or (when there is only one) here: the same batches, whatever the
    number of workers."""
    first = next(batches, None)
    if first is None:
        return
    if not first.articles:  # nothing but input problems
        yield first, []
        return
    second = next(batches, None)
    if second is None:  # one batch: a worker process would cost more than it saves
        with _extractor(config) as work:
            yield first, work(first.articles)
        return
    batches = chain([first, second], batches)
    # Even one worker is worth its process: the main process maps and stores one batch while the worker parses
    # and extracts the next (measured: about 10% faster than extracting in-process on two cores, the same on one;
    # mapping here rather than in the worker takes its 5% off the worker's path).
    workers = 1 if config.online else config.workers  # online answers go into the KB as they come: one writer
    if parallel.METHOD == "fork":
        warm(config)
    sent: deque[_Batch] = deque()

    def tasks():
        for batch in batches:
            sent.append(batch)
            yield batch.articles
    with closing(parallel.ordered(tasks(), workers, _extractor, config)) as extracted:  # closed: workers stop
        for results in extracted:
            yield sent.popleft(), results


@contextmanager
def _extractor(config: Config):
    """``work(batch)``: the batch's articles parsed, extracted and linked (an Extraction each), or Problems for
    those whose extraction failed. Runs in the process that extracts, with a knowledge-base connection of its
    own; :func:`mapped` makes the graphs."""
    with closing(default_linker(config.kb, online=config.online)) as linker:
        yield partial(_extractions, config=config, linker=linker)


def _extractions(batch: list[tuple[Article, str]], config: Config, linker) -> list[Extraction | Problem]:
    out: list[Extraction | Problem] = []
    if not batch:  # do not load the spaCy pipeline for nothing
        return out
    docs = nlp.parse([a for a, _ in batch], pipeline=config.pipeline, batch_size=config.batch_size, kb=config.kb)
    for article, doc in docs:
        try:
            out.append(link(extract_doc(article, doc), linker))
        except Exception as exc:  # a kg bug on odd input must not cost the other articles
            out.append(_failed(article, exc))
    return out


def mapped(batch: list[tuple[Article, str]], results: list[Extraction | Problem], config: Config
           ) -> list[ArticleGraph | Problem]:
    """The graph of each extraction of ``batch`` (with its article's content hash); problems stay problems."""
    out: list[ArticleGraph | Problem] = []
    for (article, digest), result in zip(batch, results, strict=True):
        if isinstance(result, Problem):
            out.append(result)
            continue
        try:
            out.append(article_graph(result, base_iri=config.base_iri, content_hash=digest))
        except Exception as exc:  # as for extraction: this article is skipped, not the run
            out.append(_failed(article, exc))
    return out


def warm(config: Config) -> None:
    """Load the spaCy pipeline and build the indexes extraction builds on first use (the country index takes
    seconds) in this process, before it forks: the workers then share them instead of each building its own."""
    with _extractor(config.replace(online=False)) as work:
        work([(make_article("warm-up", "France and the United Nations said so."), "")])


def extract_text(text: str, config: Config, *, doc_id: str = "text", published: str | None = None,
                 title: str | None = None) -> Extraction:
    article = make_article(doc_id, text, published=published, title=title)
    return next(extract_articles([article], config))
