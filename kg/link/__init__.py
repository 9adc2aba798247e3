"""Stage 4, link: attach Wikidata ids to extracted entities.

The default is offline: a knowledge base (:mod:`kg.link.kb`, an SQLite file built on first use by
:mod:`kg.link.default_kb` from the installed ``rigour`` territory tables and a hand-checked list, and grown with
``kg kb`` through :mod:`kg.link.imports` and :mod:`kg.link.sparql_pages`) and a conservative scorer
(:mod:`kg.link.linker`). A wrong id is worse than none, so an entity the linker is not sure of stays unlinked and
shows up in the ``unlinked`` query. ``online=True`` first looks unresolved names up on Wikidata
(:mod:`kg.link.wikidata`, answers cached on disk) and adds what it finds to the knowledge base. Wikidata's entity
JSON, from a dump or the API, is read by one parser, :mod:`kg.link.wikibase`; :mod:`kg.link.http` carries all
the traffic.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Protocol

from kg.model import Extraction


class Linker(Protocol):
    """Anything that can choose Wikidata ids for the entities of an extraction."""

    def link_all(self, extraction: Extraction) -> dict:
        """Entity id -> an object with ``qid``, ``score``, ``method`` and optionally ``type`` (the linked item's
        kind, when it corrects the extracted type) and ``label`` (the item's name)."""


def link(extraction: Extraction, linker: Linker) -> Extraction:
    """The extraction with ``qid``, ``link_score``, ``link_method`` and ``label`` set where the linker is sure.

    Two entities linked to the same item are one actor: they are merged (mentions joined, the first entity's
    id kept, statements and relations pointed at it)."""
    choices = linker.link_all(extraction)
    entities = [replace(e, qid=c.qid, link_score=c.score, link_method=c.method, label=getattr(c, "label", None),
                        type=getattr(c, "type", None) or e.type) if (c := choices.get(e.id))
                else e for e in extraction.entities]
    first: dict[str, int] = {}
    renamed: dict[str, str] = {}
    merged: list = []
    for e in entities:
        if e.qid and e.qid in first:
            keep = merged[first[e.qid]]
            mentions = tuple(sorted(set(keep.mentions) | set(e.mentions), key=lambda m: (m.span.start, m.span.end)))
            name = max((keep.name, e.name), key=len)
            merged[first[e.qid]] = replace(keep, mentions=mentions, name=name,
                                           link_score=max(keep.link_score or 0, e.link_score or 0))
            renamed[e.id] = keep.id
            continue
        if e.qid:
            first[e.qid] = len(merged)
        merged.append(e)
    if not renamed:
        return replace(extraction, entities=tuple(merged))
    return extraction.renamed(renamed, tuple(merged))


def default_linker(kb_path: str | None = None, *, online: bool = False):
    """A :class:`kg.link.linker.KbLinker` over the default (or given) knowledge base; close it when done."""
    from kg.link.default_kb import open_default
    from kg.link.linker import KbLinker, OnlineKbLinker

    kb = open_default(kb_path or None)
    return OnlineKbLinker(kb) if online else KbLinker(kb)
