"""The one reader of Wikidata's entity JSON: a line of a JSON dump and an entity of a ``wbgetentities`` answer
are the same format, so ``kg kb import`` and the online lookup read them here and store the same facts.

:func:`entity` turns an item into the entity dict that every Wikidata path of kg yields (the SPARQL paging of
:mod:`kg.link.sparql_pages` builds the same shape from result rows), and :func:`to_kb_entity` turns that dict
into a :class:`kg.link.kb.KbEntity`::

    {"qid": "Q311269", "label": "John Bolton", "description": "American diplomat and lawyer",
     "aliases": ["John Robert Bolton"], "types": ["Q5"], "countries": ["Q30"],
     "positions": [{"qid": "Q1414246", "label": "United States National Security Advisor",
                    "start": "2018-04-09", "end": "2019-09-10", "country": "Q30"}],
     "popularity": 57}

Ranks are read as Wikidata's truthy (``wdt:``) values are: a deprecated statement never counts, and where a
property has preferred statements, its normal ones do not either. Positions held (P39) are the exception, as
in ``queries/kb/default.rq``: every non-deprecated one is kept, because a preferred current office must not
hide the earlier ones that date an article's mention of a person.

Dates are ``YYYY-MM-DD`` whatever the precision: a year is ``YYYY-01-01`` and a month ``YYYY-MM-01``, as the
query service writes them, so the three paths agree.
"""
from __future__ import annotations

import re
from typing import Iterable

from kg.link.kb import QID_PATTERN, KbEntity, Position, calendar_date, kind_of

DEFAULT_LANGUAGES = ("en", "mul")  # English, then the language-neutral names many items moved to in 2024

_TIME = re.compile(r"^([+-]?)(\d{4,})-(\d\d)-(\d\d)")
YEAR, MONTH = 9, 10  # Wikibase time precisions; 11 is a day


def date_of(value: str | None, precision: int = 11) -> str | None:
    """``YYYY-MM-DD`` from a Wikibase time (``+2018-04-09T00:00:00Z``) or an xsd:dateTime; the parts finer than
    ``precision`` (and 00 parts) become 01. None for anything that is no date.

    >>> date_of("+2018-04-09T00:00:00Z"), date_of("+2018-00-00T00:00:00Z", 9), date_of("+2018-04-09T00:00:00Z", 10)
    ('2018-04-09', '2018-01-01', '2018-04-01')
    >>> date_of("-0044-03-15T00:00:00Z"), date_of("+00000002018-04-09T00:00:00Z"), date_of("+2018-02-30T00:00:00Z")
    ('-0044-03-15', '2018-04-09', None)
    """
    match = _TIME.match(value.strip()) if isinstance(value, str) else None
    if not match:
        return None
    sign, year, month, day = match.groups()
    if not isinstance(precision, int):
        precision = 11
    month = "01" if month == "00" or precision <= YEAR else month
    day = "01" if day == "00" or precision <= MONTH else day
    # older dumps pad years to 11 digits (+00000002018)
    return calendar_date(f"{'-' if sign == '-' else ''}{int(year):04d}-{month}-{day}")


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _value(snak) -> object:
    """The datavalue of a snak that has one ("some value" and "no value" have none)."""
    snak = _dict(snak)
    if snak.get("snaktype", "value") != "value":
        return None
    return _dict(snak.get("datavalue")).get("value")


def item_id(snak) -> str | None:
    """The item a snak points to (``Q42``), or None."""
    value = _dict(_value(snak))
    if isinstance(value.get("id"), str) and QID_PATTERN.match(value["id"]):
        return value["id"]
    if value.get("entity-type") == "item" and isinstance(value.get("numeric-id"), int) and value["numeric-id"] > 0:
        return f"Q{value['numeric-id']}"
    return None


def time_of(snak) -> str | None:
    """The date of a time snak, to its precision (see :func:`date_of`)."""
    value = _dict(_value(snak))
    return date_of(value.get("time"), value.get("precision", 11))


def statements(claims, prop: str) -> list[dict]:
    """The non-deprecated statements of a property, in the item's order."""
    return [s for s in _list(_dict(claims).get(prop)) if isinstance(s, dict) and s.get("rank") != "deprecated"]


def truthy(claims, prop: str) -> list[dict]:
    """The statements Wikidata calls truthy: the preferred ones if there are any, else the normal ones."""
    found = statements(claims, prop)
    preferred = [s for s in found if s.get("rank") == "preferred"]
    return preferred or found


def truthy_items(claims, prop: str) -> list[str]:
    """The items of a property's truthy statements, without repeats."""
    values: list[str] = []
    for statement in truthy(claims, prop):
        add(values, item_id(statement.get("mainsnak")))
    return values


def qualifier_date(statement: dict, prop: str) -> str | None:
    """The first date of a qualifier (P580 start time, P582 end time) of a statement."""
    for snak in _list(_dict(statement.get("qualifiers")).get(prop)):
        value = time_of(snak)
        if value is not None:
            return value
    return None


def text(values, languages: Iterable[str]) -> str | None:
    """The value of the first language present in a ``{lang: {"language", "value"}}`` map (labels, descriptions)."""
    values = _dict(values)
    for language in languages:
        value = _dict(values.get(language)).get("value")
        if isinstance(value, str) and value:
            return value
    return None


def empty(qid: str) -> dict:
    """The entity dict of an item nothing is known of yet."""
    return {"qid": qid, "label": None, "description": None, "aliases": [], "types": [], "countries": [],
            "positions": [], "popularity": 0}


def add(values: list, value) -> None:
    """Append a value that is given and new."""
    if value is not None and value != "" and value not in values:
        values.append(value)


def add_position(positions: list[dict], position: dict) -> None:
    """Merge one position into the list: the same (qid, start, end) is one position; fill missing label/country."""
    for known in positions:
        if (known["qid"], known["start"], known["end"]) == (position["qid"], position["start"], position["end"]):
            for key in ("label", "country"):
                if known[key] is None and position[key] is not None:
                    known[key] = position[key]
            return
    positions.append(position)


def entity(item, languages: Iterable[str] = DEFAULT_LANGUAGES) -> dict:
    """The entity dict of one item of Wikidata's entity JSON. Positions carry no label or country: those are
    the office's own (see :func:`office`). Raises ValueError if ``item`` is no entity object."""
    if not isinstance(item, dict) or not isinstance(item.get("id"), str):
        raise ValueError("not a Wikidata entity object")
    languages = tuple(languages)
    claims = _dict(item.get("claims"))
    out = empty(item["id"])
    out["label"] = text(item.get("labels"), languages)
    out["description"] = text(item.get("descriptions"), languages)
    aliases = _dict(item.get("aliases"))
    for language in languages:
        for alias in _list(aliases.get(language)):
            value = _dict(alias).get("value")
            add(out["aliases"], value if isinstance(value, str) else None)
    out["types"] = truthy_items(claims, "P31")
    for prop in ("P17", "P27"):  # country; country of citizenship
        for country in truthy_items(claims, prop):
            add(out["countries"], country)
    for statement in statements(claims, "P39"):
        position = item_id(statement.get("mainsnak"))
        if position is not None:
            add_position(out["positions"], {
                "qid": position, "label": None, "start": qualifier_date(statement, "P580"),
                "end": qualifier_date(statement, "P582"), "country": None})
    out["popularity"] = len(_dict(item.get("sitelinks")))
    return out


def office(item, languages: Iterable[str] = DEFAULT_LANGUAGES) -> tuple[str | None, str | None]:
    """An office's label and country: its P17, else P1001 (applies to jurisdiction), as default.rq reads it."""
    item = _dict(item)
    claims = _dict(item.get("claims"))
    countries = truthy_items(claims, "P17") or truthy_items(claims, "P1001")
    return text(item.get("labels"), tuple(languages)), countries[0] if countries else None


def to_kb_entity(d: dict, *, source: str) -> KbEntity:
    """An entity dict (of any Wikidata path) as a :class:`KbEntity`; an item with no label is named after its
    first alias, else its QID."""
    aliases = [a for a in d.get("aliases") or () if a]
    label = d.get("label") or (aliases[0] if aliases else d["qid"])
    types = tuple(d.get("types") or ())
    return KbEntity(
        qid=d["qid"], label=label, description=d.get("description") or "",
        aliases=tuple(dict.fromkeys(a for a in aliases if a != label)), types=types, kind=kind_of(types),
        countries=tuple(d.get("countries") or ()),
        positions=tuple(Position(p["qid"], p.get("label") or "", p.get("start"), p.get("end"), p.get("country"))
                        for p in d.get("positions") or ()),
        popularity=int(d.get("popularity") or 0), source=source)
