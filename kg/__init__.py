"""kg: news articles in, a knowledge graph of actors and their stated positions out.

The library mirrors the CLI::

    import kg
    extraction = kg.extract_text("Russia said on Tuesday that ...", published="2018-09-11")
    kg.build(["seeds/"], store="kg-store")
    columns, rows = kg.query("positions", {"actor": "Bolton"}, store="kg-store")
    kg.export_graph("turtle", output="out/graph.ttl", store="kg-store")
    report = kg.validate_store(store="kg-store")

The functions are named apart from the stage modules (``kg.extract``, ``kg.export``, ``kg.validate``), so
``import kg`` loads no stage and ``kg.extract.coref`` is always the module.
"""
from __future__ import annotations

__version__ = "0.2.0"

from pathlib import Path  # noqa: E402
from typing import Iterable  # noqa: E402

from kg.config import Config, load_config  # noqa: E402
from kg.errors import KgError  # noqa: E402

__all__ = ["Config", "KgError", "build", "export_graph", "extract_text", "load_config", "open_store", "query",
           "validate_store"]


def open_store(store=None, config: Config | None = None, *, create: bool = True, reader: bool = False):
    """The store a path or URL names (default: the configured store), or ``store`` itself: an
    :class:`kg.store.EmbeddedStore` for a folder, a :class:`kg.store.remote.RemoteStore` for an ``http(s)://``
    URL (:func:`kg.store.open_store`). ``reader``: opened to be read only, beside a build that may be writing it
    (:func:`kg.store.open_reader`)."""
    from kg.store import open_store as open_spec

    if store is None or isinstance(store, (str, Path)):
        return open_spec(store or (config or load_config()).store, create=create, reader=reader)
    return store


def extract_text(text: str, *, doc_id: str = "text", published: str | None = None, title: str | None = None,
            config: Config | None = None):
    """Entities, statements and relations of one text (:class:`kg.model.Extraction`)."""
    from kg.pipeline import extract_text

    return extract_text(text, config or load_config(), doc_id=doc_id, published=published, title=title)


def build(paths: Iterable[str | Path], *, store=None, config: Config | None = None, progress: bool = False,
          force: bool = False):
    """Build or update the graph from files and folders of articles; returns a :class:`kg.pipeline.BuildReport`."""
    from kg.pipeline import build as run_build

    config = config or load_config()
    s = open_store(store, config)
    try:
        return run_build(paths, s, config, progress=progress, force=force)
    finally:
        if s is not store:
            s.close()


def query(name: str, params: dict[str, str] | None = None, *, store=None, config: Config | None = None):
    """``(columns, rows)`` of a saved query."""
    from kg import queries

    s = open_store(store, config, reader=True)
    try:
        return queries.run(s, name, params)
    finally:
        if s is not store:
            s.close()


def export_graph(fmt: str = "turtle", *, output=None, store=None, config: Config | None = None) -> bytes:
    """Serialise the store (turtle, trig, nquads, jsonld)."""
    from kg.export import export as run_export

    s = open_store(store, config, reader=True)
    try:
        return run_export(s, fmt, output)
    finally:
        if s is not store:
            s.close()


def validate_store(*, store=None, config: Config | None = None):
    """SHACL report (:class:`kg.validate.Report`) for the store."""
    from kg.validate import validate as run_validate

    s = open_store(store, config, reader=True)
    try:
        return run_validate(s)
    finally:
        if s is not store:
            s.close()
