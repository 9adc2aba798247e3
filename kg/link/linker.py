"""Choose a Wikidata id for an extracted entity from knowledge-base candidates.

Candidates come by alias (case, diacritics, possessives and titles folded). Each is scored on how it matched
(full name, surname), type compatibility (a Person mention never links to a country), context (the countries
of the article's other linked entities), a position held at the article's date, and popularity. Below the
threshold, or too close to the runner-up, the entity stays unlinked: a wrong id is worse than none.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from kg import lexicons
from kg.errors import WikidataError
from kg.link.wikibase import to_kb_entity
from kg.model import Entity, Extraction
from kg.names import normalise, strip_titles
from kg.wire import Dateline, dateline, sports_report

log = logging.getLogger(__name__)
COMPATIBLE = {
    "Person": {"Person"},
    "Country": {"Country"},
    "Place": {"Place", "Country"},
    "Organization": {"Organization"},
    "Group": {"Group"},  # 'Polish' (nail polish, the language) is not Poland; 'the British' is typed Country
    "Other": set(),
}
# Kinds the small NER model confuses: a full name that matches exactly may cross, at a cost, and the entity
# takes the KB's kind ('David Cameron' typed as an organisation, a dateline's 'UNITED NATIONS' as a place).
# Never a person and a place.
CONFUSABLE = {"Person": {"Organization"}, "Organization": {"Person"}, "Place": {"Organization"}}
# An acronym the model calls a place may be the organisation the knowledge base knows by it ('E.U.', 'NATO').
ACRONYM = re.compile(r"(?:[A-Z]\.){2,6}|[A-Z]{2,6}")
CROSS_PENALTY = 0.1
MATCH_SCORE = {"exact": 0.7, "partial": 0.45, "surname": 0.45}


@dataclass(frozen=True)
class Choice:
    qid: str
    score: float
    method: str
    type: str | None = None  # the KB's kind, when it corrects the extracted type
    label: str | None = None  # the KB's label of the item


def _embedded(entity: Entity, text: str) -> bool:
    """Every name mention sits inside a longer name: 'Ohio' of 'Ohio State', 'Texas' of 'H Texas'."""
    names = [m.span for m in entity.mentions if m.form == "name"]

    def inside(s) -> bool:
        after = text[s.end:s.end + 2]
        before = text[max(0, s.start - 2):s.start]
        return (len(after) == 2 and after[0] == " " and after[1].isupper()) or \
            (len(before) == 2 and before[1] == " " and before[0].isalpha() and before[0].isupper())
    return bool(names) and all(inside(s) for s in names)


_VERSUS_AFTER = re.compile(r"\s+(?:versus|vs\.?|v\.)\s", re.IGNORECASE)
_VERSUS_BEFORE = re.compile(r"(?:^|\s)(?:versus|vs\.?|v\.)\s+$", re.IGNORECASE)


def _opponent(entity: Entity, text: str) -> bool:
    """'Alabama versus Florida State': a place facing another is a team."""
    return any(_VERSUS_AFTER.match(text, m.span.end) or _VERSUS_BEFORE.search(text[max(0, m.span.start - 10):m.span.start])
               for m in entity.mentions if m.form == "name")


_PLACE_BEFORE = re.compile(r"(?:\b(?:%s)|\()\s*$" % "|".join(lexicons.load("entities")["place_prepositions"]),
                           re.IGNORECASE)
_ADDRESS_BEFORE = re.compile(r"[A-Za-z.] ?, ?$")  # 'Cape Town , South Africa'
_CITY_REGIONS = lexicons.load("entities")["city_region_names"]
_STATE_BEFORE = re.compile(r"\b(?:%s)\s+$" % "|".join(_CITY_REGIONS["state_before"]), re.IGNORECASE)
_STATE_AFTER = re.compile(r"\s+(?:%s)\b" % "|".join(_CITY_REGIONS["state_after"]))
_CITY_NAMES = frozenset(normalise(n).replace(" ", "") for n in _CITY_REGIONS["names"])
_FIXTURE_BEFORE = re.compile(r"\b[A-Z][A-Za-z.]*\s+at\s+$")
_NATIONAL_OF = re.compile(r"\s*'s\s+[A-Z][a-z]+\s+[A-Z][a-z]+")  # "Mexico 's Manuel Medina"


def _place_position(m, text: str, line: Dateline | None) -> bool:
    """A name where a sports report means the country or city, not a team: in the dateline, an athlete's
    nationality in brackets ('Geir Moen ( Norway )'), after 'in', 'at', 'of' or 'from', after a place and a
    comma ('Cape Town , South Africa'), or before a person's name ('Mexico 's Manuel Medina')."""
    if line is not None and line.start <= m.span.start and m.span.end <= line.end:
        return True
    before = text[max(0, m.span.start - 12):m.span.start]
    after = text[m.span.end:m.span.end + 40]
    if before.rstrip().endswith("("):
        return after.lstrip().startswith(")")
    if _FIXTURE_BEFORE.search(text[max(0, m.span.start - 30):m.span.start]):
        return False  # 'Spain at Belgium', 'Boston at New York': the home side of a fixture
    return bool(_PLACE_BEFORE.search(before) or _ADDRESS_BEFORE.search(before) or _NATIONAL_OF.match(after))


def _team_in_sports(entity: Entity, text: str, line: Dateline | None) -> bool:
    """In a sports report, a country or city named anywhere but in a place position may be a team."""
    return any(not _place_position(m, text, line) for m in entity.mentions if m.form == "name")


_SENTENCE_END = re.compile(r"[.!?]\s")
# a year, not an amount ('1500 troops'): opening the sentence, after 'in', 'since' and the like, or in a range
_OLD_YEAR = re.compile(r"(?:^\s*|\b(?:in|since|until|by|from|of|year|century)\s+|\d[-–])1[0-8]\d\d(?![\d,])"
                       r"|(?<![\d,.])1[0-8]\d\d(?=\s*[-–]\s*(?:\d|[A-Z]))", re.IGNORECASE)
_NEW_YEAR = re.compile(r"(?<![\d,.])(?:19|20)\d\d(?![\d,])")


def _historical(entity: Entity, text: str) -> bool:
    """Every name mention sits in a sentence about the time before 1900 ('1822 - Brazil proclaimed
    independence from Portugal'): the state it meant then is not today's item."""
    def dated_before_1900(m) -> bool:
        start = max((x.end() for x in _SENTENCE_END.finditer(text, max(0, m.span.start - 400), m.span.start)),
                    default=max(0, m.span.start - 400))
        end = _SENTENCE_END.search(text, m.span.end)
        sentence = text[start:end.start() if end else len(text)]
        return bool(_OLD_YEAR.search(sentence)) and not _NEW_YEAR.search(sentence)
    names = [m for m in entity.mentions if m.form == "name"]
    return bool(names) and all(dated_before_1900(m) for m in names)


def _city_not_region(entity: Entity, text: str) -> bool:
    """'New York' names the city (and the state only where the text says state): the state is no candidate."""
    if _fold(entity.name) not in _CITY_NAMES:
        return False
    for m in entity.mentions:
        before, after = text[max(0, m.span.start - 12):m.span.start], text[m.span.end:m.span.end + 7]
        if _STATE_BEFORE.search(before) or _STATE_AFTER.match(after):
            return False
    return True


def _subdivision(kb_entity) -> bool:
    """A state, province or region of the default knowledge base (rigour's territories below a country)."""
    return kb_entity.source == "rigour" and kb_entity.kind == "Place"


def _given_names(entity: Entity) -> set[str]:
    """First words of the entity's full names in the article ('John' of 'President John R. Bolton')."""
    out = set()
    for m in entity.mentions:
        words = strip_titles(m.span.text).split() if m.form == "name" else []
        if len(words) > 1:
            out.add(_fold(words[0]))
    return out


def _same_given_name(given: str, kb_name: str) -> bool:
    """'john' fits 'John R. Bolton' and 'J. Bolton'; 'jonny' does not fit 'Richard Wilkinson'."""
    words = kb_name.split()
    if len(words) < 2:
        return False
    first = _fold(words[0])
    return first == given or (len(first) == 1 or len(given) == 1) and first[:1] == given[:1]


def _fold(word: str) -> str:
    return normalise(word).replace(" ", "")


def _held_at(kb_entity, date: str | None) -> bool:
    if not date:
        return False
    return any((p.start or "0000") <= date <= (p.end or "9999") for p in kb_entity.positions)


class KbLinker:
    """Links entities with a :class:`kg.link.kb.KnowledgeBase`."""

    def __init__(self, kb, *, threshold: float = 0.65, margin: float = 0.15):
        self.kb = kb
        self.threshold = threshold
        self.margin = margin

    def close(self) -> None:
        self.kb.close()

    def candidates(self, entity: Entity) -> dict[str, tuple[object, str]]:
        # The entity's full name, matched exactly, is the best evidence: 'Georgia, US' (from 'Atlanta, Ga.') is
        # the state, whatever the bare 'Georgia' of the text also names.
        by_name = self.kb.candidates(strip_titles(entity.name))
        exact = {e.qid: (e, how) for e, how in by_name if how == "exact"}
        if exact:
            return exact
        forms = {m.span.text for m in entity.mentions if m.form == "name"} - {entity.name}
        found: dict[str, tuple[object, str]] = {}
        for kb_entity, how in by_name + [c for form in sorted(forms, key=len, reverse=True)
                                         for c in self.kb.candidates(strip_titles(form))]:
            if kb_entity.qid not in found or MATCH_SCORE[how] > MATCH_SCORE[found[kb_entity.qid][1]]:
                found[kb_entity.qid] = (kb_entity, how)
        return found

    def score(self, entity: Entity, kb_entity, how: str, context: set[str], date: str | None,
              share: float) -> float:
        """The score of a type-compatible candidate. ``share``: its part of the popularity of all compatible
        candidates (a commonness prior)."""
        score = MATCH_SCORE[how]
        if how == "surname":
            given = _given_names(entity)
            if not given:
                # a surname alone, with no full name anywhere in the article, is weak evidence: it names the
                # KB's person only if they held an office at the article's date ('Johnson' is not the one
                # Johnson the KB knows, in a sports report of 1996), or, in an undated article, if the
                # article names their country
                if not (_held_at(kb_entity, date) if date else context & set(kb_entity.countries)):
                    return 0.0
                score -= 0.15
            elif not any(_same_given_name(g, name) for g in given for name in kb_entity.names):
                return 0.0  # the article's Jonny Wilkinson is not the KB's Richard Wilkinson
        if context & set(kb_entity.countries):
            score += 0.15
        if entity.type == "Person" and _held_at(kb_entity, date):
            score += 0.15
        score += 0.25 * share
        return round(min(score, 1.0), 3)

    def link_all(self, extraction: Extraction) -> dict[str, Choice]:
        """Entity id -> choice. Countries and places are linked first; they are the context of the rest."""
        date = extraction.article.published_date
        text = extraction.article.text
        body = extraction.article.body
        sports = sports_report(text[body[0]:body[1]])
        line = dateline(text, body)
        order = sorted(extraction.entities, key=lambda e: e.type not in ("Country", "Place"))
        context: set[str] = set()
        out: dict[str, Choice] = {}
        for entity in order:
            place_like = entity.type in ("Country", "Place", "Group")
            if _embedded(entity, text) or place_like and (sports and _team_in_sports(entity, text, line)
                                                          or _opponent(entity, text) or _historical(entity, text)):
                continue
            full_name = len(strip_titles(entity.name).split()) > 1
            acronym = place_like and ACRONYM.fullmatch(entity.name) is not None
            city = entity.type == "Place" and _city_not_region(entity, text)
            compatible = {qid: c for qid, c in self.candidates(entity).items()
                          if (c[0].kind in COMPATIBLE.get(entity.type, set()) or
                              full_name and c[1] == "exact" and c[0].kind in CONFUSABLE.get(entity.type, set()) or
                              acronym and c[1] == "exact" and c[0].kind == "Organization")
                          and not (city and _subdivision(c[0]))}
            total = sum(1 + c[0].popularity for c in compatible.values())
            scored = []
            for qid, (kb_entity, how) in compatible.items():
                s = self.score(entity, kb_entity, how, context, date, (1 + kb_entity.popularity) / total)
                if kb_entity.kind not in COMPATIBLE.get(entity.type, set()):
                    s = round(s - CROSS_PENALTY, 3)
                scored.append((s, qid, how, kb_entity.kind))
            if not scored:
                continue
            scored.sort(reverse=True)
            best, qid, how, kind = scored[0]
            runner_up = scored[1][0] if len(scored) > 1 else 0.0
            if best >= self.threshold and best - runner_up >= self.margin:
                out[entity.id] = Choice(qid, best, f"kb-{how}", kind if kind != entity.type else None,
                                        compatible[qid][0].label)
                if entity.type == "Country":  # and the wider state it is part of (the Kingdom of the Netherlands)
                    context.update({qid, *compatible[qid][0].countries})
        return out


class OnlineKbLinker(KbLinker):
    """Looks up on Wikidata (wbsearchentities, then wbgetentities) the names the knowledge base has no
    candidate for, adds what it finds to the knowledge base, then links as :class:`KbLinker` does. Every answer
    is cached on disk, so a second run needs no network."""

    def __init__(self, kb, *, client=None, **kwargs):
        super().__init__(kb, **kwargs)
        from kg.link.wikidata import OnlineWikidata

        self.client = client or OnlineWikidata()

    def candidates(self, entity: Entity) -> dict[str, tuple[object, str]]:
        found = super().candidates(entity)
        if found or entity.type == "Other" or self.client is None:
            return found
        try:
            hits = self.client.search(strip_titles(entity.name))
            if hits:
                fetched = self.client.entities([h["qid"] for h in hits])
                self.kb.add(to_kb_entity(d, source="wikidata-online") for d in fetched.values())
        except WikidataError as exc:
            # the network is gone: say so once, go on offline rather than fail every article
            log.warning("online lookup stopped (%s); linking goes on offline", exc)
            self.client.close()
            self.client = None
            return found
        return super().candidates(entity)

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
        super().close()
