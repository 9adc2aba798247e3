"""N-Quads shards: the article graphs of one partition of a build, in one file, and loading them into a store.

A shard is plain N-Quads, each article in its own named graph exactly as a local build stores it (content hash,
IRIs, keys). The Dask engine (:mod:`kg.distributed`) writes one per partition, ``part-000017.nq``; ``kg load``
loads shards made anywhere. A shard is written under a temporary name and renamed, so a reader sees a whole
shard or none, and a partition that runs again replaces its shard instead of adding a second one.

Loading goes through the store's own write path for article graphs (:meth:`kg.store.EmbeddedStore.write_articles`
or the remote store's), so the summary graph is kept in step and a first load into an empty store is bulk-loaded;
an article whose stored graph has the same content hash is left as it is.
"""
from __future__ import annotations

import hashlib
import os
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import pyoxigraph as ox

from kg import progress as progressbar
from kg.errors import ShardError
from kg.rdf import ArticleGraph, iris
from kg.rdf.namespaces import DCTERMS, KG, RDF, SPECIAL_GRAPHS
from kg.rdf.parts import ArticlePart, article_part

SUFFIX = ".nq"


def shard_name(number: int) -> str:
    """The file name of partition ``number``'s shard: ``part-000017.nq``."""
    return f"part-{number:06d}{SUFFIX}"


def write_shard(folder: str | Path, number: int, graphs: Iterable[ArticleGraph]) -> tuple[Path, str]:
    """Write the graphs as partition ``number``'s shard in ``folder`` (which must exist); return its path and the
    SHA-256 of its bytes.

    Written to a temporary name of this attempt's own, synced, then renamed over the shard's name: a shard is
    never half there, and a partition written twice (a retry) leaves one shard."""
    folder = Path(folder)
    digest = hashlib.sha256()
    if not folder.is_dir():
        raise ShardError(f"the shards' folder {folder} is not on this machine ({os.uname().nodename}); give "
                         "--shards a folder on a file system that the workers and kg share")
    path = folder / shard_name(number)
    tmp = folder / f".{path.name}.{os.getpid()}.{uuid.uuid4().hex}.tmp"
    try:
        with open(tmp, "wb") as fh:
            for g in graphs:
                fh.write(g.nquads)
                digest.update(g.nquads)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path, digest.hexdigest()


@dataclass(frozen=True)
class Entry:
    """One article of a shard as the worker that wrote it knows it: where its graph's bytes are, and what the
    summary needs from it (computed where it was mapped, as in a local build)."""

    article_id: str
    iri: str
    size: int  # bytes of its N-Quads, which follow the article before it in the shard
    part: ArticlePart


def entries(graphs: Sequence[ArticleGraph]) -> list[Entry]:
    return [Entry(g.article_id, g.iri, len(g.nquads), g.part) for g in graphs]


def own_shard(path: str | Path, digest: str, written: Sequence[Entry]) -> list[ArticleGraph]:
    """The graphs of a shard a build's worker has just written, cut from its bytes as the worker lists them: no
    parsing. A file that is not what the worker wrote (another build's, or cut short) is a :class:`ShardError`."""
    data = Path(path).read_bytes()
    if hashlib.sha256(data).hexdigest() != digest or len(data) != sum(e.size for e in written):
        raise ShardError(f"shard {path} is not the one its partition wrote; is another build writing the same "
                         "folder?")
    out, at = [], 0
    for e in written:
        out.append(ArticleGraph(e.article_id, e.iri, data[at:at + e.size], e.part))
        at += e.size
    return out


def shard_files(paths: Iterable[str | Path]) -> list[Path]:
    """The shards named by ``paths`` (files, and the ``*.nq`` files of folders, in partition order)."""
    out: list[Path] = []
    for given in paths:
        p = Path(given)
        if p.is_dir():
            found = sorted((f for f in p.iterdir() if f.suffix == SUFFIX and not f.name.startswith(".")
                            and f.is_file()), key=_natural)
            if not found:
                raise ShardError(f"no shards (*{SUFFIX} files) in {p}; give the folder a build wrote with "
                                 "--engine dask --shards DIR")
            out += found
        elif p.is_file():
            out.append(p)
        else:
            raise ShardError(f"no shard or folder of shards at {p}")
    return out


def _natural(path: Path) -> list:
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", path.name)]


@dataclass(frozen=True)
class ShardArticle:
    graph: ArticleGraph
    content_hash: str


def read_shard(path: str | Path, base_iri: str, *, parts: bool = True) -> list[ShardArticle]:
    """The article graphs of one shard, in the order they first appear, each with its content hash; ``parts``:
    with what the summary needs computed (to load them), or not (only to check them).

    Anything but kg article graphs under ``base_iri`` is a :class:`ShardError`: a line that does not parse, a
    triple in the default graph, kg's own graphs (summary, ontology), a graph without its kg:Article node."""
    path = Path(path)
    by_graph: dict[str, list[ox.Quad]] = {}
    try:
        for q in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS):
            if not isinstance(q.graph_name, ox.NamedNode):
                raise ShardError(f"shard {path} has a triple outside any named graph ({q.subject} {q.predicate} "
                                 f"…); a shard holds kg article graphs only")
            by_graph.setdefault(q.graph_name.value, []).append(q)
    except (SyntaxError, ValueError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else "a syntax error"
        raise ShardError(f"shard {path} is not N-Quads ({first}); nothing was loaded") from None
    except OSError as exc:
        raise ShardError(f"cannot read shard {path}: {exc.strerror or exc}") from None
    out = []
    for iri, quads in by_graph.items():
        article_id, digest = _article(path, iri, quads, base_iri)
        data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
        part = article_part(iri, quads) if parts else None
        out.append(ShardArticle(ArticleGraph(article_id, iri, data, part), digest))
    return out


def _article(path: Path, iri: str, quads: Sequence[ox.Quad], base_iri: str) -> tuple[str, str]:
    """The article id and content hash of a shard's graph ``iri``, which must be a kg article graph."""
    if iri in SPECIAL_GRAPHS:
        raise ShardError(f"shard {path} holds kg's own graph <{iri}>; a shard holds article graphs only")
    node = ox.NamedNode(iri)
    values = {p: [q.object for q in quads if q.subject == node and q.predicate == p]
              for p in (RDF.type, DCTERMS.identifier, KG.contentHash)}
    if KG.Article not in values[RDF.type] or len(values[DCTERMS.identifier]) != 1 or \
            len(values[KG.contentHash]) != 1:
        raise ShardError(f"shard {path}: graph <{iri}> is not a kg article graph (no kg:Article with one "
                         "dcterms:identifier and one kg:contentHash); nothing was loaded")
    article_id = values[DCTERMS.identifier][0].value
    if iris.article_iri(base_iri, article_id) != iri:
        raise ShardError(f"shard {path}: article {article_id!r} is <{iri}>, not under this store's base IRI "
                         f"{base_iri}; load it with the KG_BASE_IRI it was built with")
    return article_id, values[KG.contentHash][0].value


@dataclass
class LoadReport:
    loaded: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    shards: int = 0


def check_shards(files: Sequence[Path], base_iri: str) -> None:
    """Read every shard before anything is loaded: a broken one is an error that leaves the store as it was.
    An article in two shards is one too (which of them should win is not the shards' to say)."""
    seen: dict[str, Path] = {}
    for f in files:
        for a in read_shard(f, base_iri, parts=False):
            other = seen.setdefault(a.graph.iri, f)
            if other != f:
                raise ShardError(f"article {a.graph.article_id!r} is in shard {other} and in shard {f}; load "
                                 "one of them")


BATCH = 64  # article graphs per write into the store


def load_shard(store, path: str | Path, base_iri: str) -> tuple[list[str], list[str]]:
    """Load one shard's article graphs into ``store``; those whose stored graph has the same content hash are left
    as they are. Returns the ids (loaded, unchanged)."""
    unchanged, todo = [], []
    for a in read_shard(path, base_iri):
        if store.article_hash(a.graph.iri) == a.content_hash:
            unchanged.append(a.graph.article_id)
        else:
            todo.append(a.graph)
    write(store, todo)
    return [g.article_id for g in todo], unchanged


def write(store, graphs: Sequence[ArticleGraph]) -> None:
    """Write article graphs into the store, :data:`BATCH` at a time, through its write path for article graphs."""
    for k in range(0, len(graphs), BATCH):
        store.write_articles(graphs[k:k + BATCH])


def load_shards(store, paths: Iterable[str | Path], base_iri: str, *, ontology: bytes | None = None,
                progress: bool = False, check: bool = True) -> LoadReport:
    """``kg load``: check every shard under ``paths`` (:func:`check_shards`; ``check=False`` when that was done),
    then load them in partition order (:func:`load_shard`). ``ontology``: the ontology's Turtle, loaded too when
    the store lacks it."""
    files = shard_files(paths)
    if check:
        check_shards(files, base_iri)
    if ontology is not None:
        store.ensure_ontology(ontology)
    report = LoadReport(shards=len(files))
    for f in progressbar.track(files, len(files), desc="kg load", unit=" shard", enabled=progress):
        loaded, unchanged = load_shard(store, f, base_iri)
        report.loaded += loaded
        report.unchanged += unchanged
    return report
