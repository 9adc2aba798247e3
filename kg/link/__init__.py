"""Stage 4, link: attach Wikidata ids to extracted entities.

The default linker is offline and conservative: it links countries and supranational bodies through the
territory tables of the installed ``rigour`` package, whose entries carry their Wikidata ids. A wrong id is
worse than none, so anything it is not sure of stays unlinked (and shows up in the ``unlinked`` query).
"""
from __future__ import annotations

from dataclasses import replace
from functools import cache
from typing import Protocol

from kg.model import Entity, Extraction


class Linker(Protocol):
    """Anything that can propose a Wikidata id for an entity in the context of its article."""

    def link(self, entity: Entity, extraction: Extraction) -> tuple[str, float, str] | None:
        """``(qid, score, method)`` or None."""


@cache
def _territory(name: str):
    from rigour.territories import lookup_territory

    return lookup_territory(name)


class TerritoryLinker:
    """Countries and supranational organisations (UN, EU ...) by name, with rigour's Wikidata ids."""

    def link(self, entity: Entity, extraction: Extraction) -> tuple[str, float, str] | None:
        if entity.type not in ("Country", "Organization"):
            return None
        forms = {entity.name} | {m.span.text for m in entity.mentions if m.form == "name"}
        for form in sorted(forms, key=len, reverse=True):
            form = form[4:] if form.lower().startswith("the ") else form
            territory = _territory(form)
            if territory is None or not territory.qid or form.casefold() in {p.casefold() for p in territory.places}:
                continue  # rigour finds a country by its capital too: 'Paris' is not France
            if entity.type == "Country" and territory.is_country:
                return territory.qid, 0.95, "territory-name"
            # Only bodies that are organisations, never a subdivision, for an organisation mention.
            if entity.type == "Organization" and territory.parent is None and not territory.is_country \
                    and not territory.is_jurisdiction and territory.code.isalpha() and len(territory.code) == 2:
                return territory.qid, 0.9, "territory-name"
        return None


def link(extraction: Extraction, linker: Linker | None = None) -> Extraction:
    """The extraction with ``qid``, ``link_score`` and ``link_method`` set where the linker is sure."""
    linker = linker or TerritoryLinker()
    entities = []
    for e in extraction.entities:
        found = linker.link(e, extraction)
        entities.append(replace(e, qid=found[0], link_score=found[1], link_method=found[2]) if found else e)
    return replace(extraction, entities=tuple(entities))
