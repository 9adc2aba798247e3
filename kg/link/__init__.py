"""Stage 4, link: attach Wikidata ids to extracted entities.

The default is offline: a knowledge base (:mod:`kg.link.kb`, an SQLite file built on first use from the
installed ``rigour`` territory tables and a hand-checked list, and grown with ``kg kb``) and a conservative
scorer (:mod:`kg.link.linker`). A wrong id is worse than none, so an entity the linker is not sure of stays
unlinked and shows up in the ``unlinked`` query. ``online=True`` first looks unresolved names up on Wikidata
(:mod:`kg.link.wikidata`, answers cached on disk) and adds what it finds to the knowledge base.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Protocol

from kg.model import Extraction


class Linker(Protocol):
    """Anything that can choose Wikidata ids for the entities of an extraction."""

    def link_all(self, extraction: Extraction) -> dict:
        """Entity id -> an object with ``qid``, ``score`` and ``method``."""


def link(extraction: Extraction, linker: Linker) -> Extraction:
    """The extraction with ``qid``, ``link_score`` and ``link_method`` set where the linker is sure."""
    choices = linker.link_all(extraction)
    entities = tuple(replace(e, qid=c.qid, link_score=c.score, link_method=c.method) if (c := choices.get(e.id))
                     else e for e in extraction.entities)
    return replace(extraction, entities=entities)


def default_linker(kb_path: str | None = None, *, online: bool = False):
    """A :class:`kg.link.linker.KbLinker` over the default (or given) knowledge base; close it when done."""
    from kg.link.kb import open_default
    from kg.link.linker import KbLinker, OnlineKbLinker

    kb = open_default(kb_path or None)
    return OnlineKbLinker(kb) if online else KbLinker(kb)
