"""Entity mentions in a parsed article: named entities, definite organisation/group noun phrases, role phrases.

Mentions are clustered into entities by :mod:`kg.extract.coref`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Iterator

from kg import lexicons
from kg.extract import parsed
from kg.names import TITLES, normalise
from kg.wire import Dateline, dateline, sports_report

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_LEX = lexicons.load("entities")
DEMONYMS: dict[str, str] = _LEX["demonyms"]
ORG_HEADS = frozenset(_LEX["org_heads"])
GROUP_HEADS = frozenset(_LEX["group_heads"])
ROLE_NOUNS = frozenset(lexicons.load("relations")["role_nouns"])
HUMAN_NOUNS = frozenset(_LEX["human_nouns"])
COUNTRY_HEADS = frozenset(_LEX["country_heads"])
AGENT_SUFFIXES = tuple(_LEX["agent_suffixes"])  # 'exporters', 'loyalists': plurals for people
ACTOR_NOUNS = HUMAN_NOUNS | ROLE_NOUNS | GROUP_HEADS | ORG_HEADS | COUNTRY_HEADS | frozenset(_LEX["people_nouns"]) \
    | frozenset(_LEX["people_plurals"])  # 'a senior politician', 'thousands', 'the ministry'
EPITHETS = {w: g for g in ("f", "m", "either") for w in _LEX["epithets"][g]}  # 'actress': 'f'
BODY_EPITHETS = frozenset(_LEX["body_epithets"]["nouns"])  # 'the company said' after 'LM Ericsson AB said'
BODY_KINDS = {w: kind for kind, words in _LEX["body_epithets"]["kinds"].items() for w in words}  # 'daily': 'news'
PARTICLE_NAME = re.compile(r"(?:[A-Z][\w'-]+ )+(?i:%s)[ -][A-Z][\w'-]+" % "|".join(_LEX["name_particles"]))
US_STATES = _LEX["us_state_abbreviations"]
US_STATE_NAMES = frozenset(US_STATES["postal"].values())
_STATE_WORDS = frozenset(US_STATES["ap"]) | frozenset(US_STATES["postal"]) | US_STATE_NAMES
_SCORE = re.compile(r"\d+[-–/]\d+")  # '4-28', '108-3'
PLACE_SUFFIXES = tuple(" " + s for s in _LEX["place_suffixes"])
TEAM_VERBS = frozenset(_LEX["team_verbs"])
TEAM_PREPOSITIONS = frozenset(_LEX["team_prepositions"])
NAME_TAIL_PREPOSITIONS = frozenset(_LEX["name_tail_prepositions"])
STATE_FORM_WORDS = frozenset(_LEX["state_form_words"])
HYPHEN_PREFIXES = frozenset(_LEX["hyphen_prefixes"])
COMPANY_SUFFIXES = frozenset(_LEX["company_suffixes"])
ORG_NAME_WORDS = frozenset(_LEX["org_name_words"]) | COMPANY_SUFFIXES
LOCATIVE_HEADS = frozenset(_LEX["locative_heads"])
ARABIC_ARTICLES = frozenset(_LEX["arabic_articles"])
INSTITUTION_HEADS = frozenset(_LEX["institution_heads"])
TOPONYM_GENERICS = frozenset(_LEX["toponym_generics"])
PLACE_OF_NOUNS = frozenset(_LEX["place_of_nouns"])
_NOT_NAME_HEADS = TITLES | COMPANY_SUFFIXES  # 'President of France', 'Dow Chemical Co of the United States'
_PLACE_HEADS = STATE_FORM_WORDS | LOCATIVE_HEADS  # 'Republic of Ireland', 'Grace Road in Derby'


@dataclass(frozen=True)
class RawMention:
    """A mention before clustering. ``i``/``j`` are token indices, ``start``/``end`` character offsets."""

    i: int
    j: int
    start: int
    end: int
    text: str
    type: str
    form: str  # name | nominal | role
    key: str  # cluster_key() of the name: mentions with one key are one entity
    country: str | None = None  # for nominals: the country that modifies them ("the Syrian government")
    head: str = ""  # head lemma of nominal and role phrases
    canonical: str = ""  # the full name an abbreviation stands for ('Calif.' -> 'California')


@cache
def country_name(name: str) -> str | None:
    """Canonical country name for a country name or alias, else None (``U.S.`` -> ``United States``)."""
    from rigour.territories import lookup_territory

    from kg.link.default_kb import not_country_name

    territory = lookup_territory(name)
    if territory is None or not territory.is_country or not_country_name(territory.code, name):
        return None
    if normalise(name) in {normalise(p) for p in territory.places}:
        return None  # rigour also finds a country by its capital: 'Paris' ('Bogota') is no name of France
    return territory.name


def demonym_country(word: str) -> str | None:
    """The country a demonym names: 'Syrian' -> 'Syria'."""
    return DEMONYMS.get(word.lower().rstrip("-"))


def cluster_key(text: str) -> str:
    """The key that clusters an article's mentions of a name: lower case, no leading article, no possessive, no
    dots or odd spacing. Hyphens, accents and other punctuation stay ('al-assad'), unlike in the knowledge base's
    alias keys (:func:`kg.names.normalise`, 'al assad'), which match names across articles.

    >>> cluster_key("The Russian  defense ministry's"), cluster_key("Al-Assad's"), cluster_key("Donald Trump ''")
    ('russian defense ministry', 'al-assad', 'donald trump')
    """
    text = re.sub(r"[’']s$", "", text.strip().strip("'’‘\"“”`«» "))
    text = re.sub(r"^(the)\s+", "", text, flags=re.IGNORECASE)
    return re.sub(r"\s+", " ", text.replace(".", "")).lower().strip()


def _trim(doc: Doc, i: int, j: int) -> tuple[int, int]:
    while j > i and (doc[j - 1].is_punct or doc[j - 1].is_space or doc[j - 1].tag_ == "POS"):
        j -= 1
    while i < j and (doc[i].is_punct or doc[i].is_space):
        i += 1
    return i, j


def _mention(doc: Doc, i: int, j: int, type_: str, form: str, key: str | None = None, country: str | None = None,
             head: str = "", canonical: str = "") -> RawMention | None:
    if not canonical:  # an abbreviation keeps its final dot: 'Calif.'
        i, j = _trim(doc, i, j)
    if i >= j:
        return None
    span = doc[i:j]
    return RawMention(i, j, span.start_char, span.end_char, span.text, type_, form,
                      key or cluster_key(span.text), country, head, canonical)


def _is_title_fragment(ent: Span) -> bool:
    # "National Security" in "National Security Adviser John Bolton": part of a person's title.
    nxt = ent.doc[ent.end] if ent.end < len(ent.doc) else None
    return bool(nxt is not None and nxt.lower_ in ROLE_NOUNS and nxt.head.ent_type_ == "PERSON")


def _inside_a_longer_name(doc: Doc, ent: Span) -> bool:
    """'Ohio' of 'Ohio State recruiter', 'Texas' of 'H Texas', '(England and Wales)' after 'Rape Crisis': a place
    name that is part of another name is no mention of the place."""
    root = ent.root
    if root.dep_ == "compound" and root.head.pos_ == "PROPN" and root.head.i >= ent.end:
        return True
    nxt = doc[ent.end] if ent.end < len(doc) else None
    if nxt is not None and root.dep_ == "compound" and nxt.dep_ == "compound" and nxt.head.i == root.head.i \
            and nxt.pos_ == "PROPN" and nxt.is_title and not nxt.ent_type_ and nxt.lower_ not in ROLE_NOUNS \
            and nxt.lower_.rstrip(".") not in TITLES:
        return True  # 'Ohio State recruiter' parsed as two modifiers of 'recruiter'; not 'Ohio Governor Kasich'
    if ent.start > 0 and doc[ent.start - 1].pos_ == "PROPN" and doc[ent.start - 1].dep_ == "compound" \
            and doc[ent.start - 1].head.i == root.i and not doc[ent.start - 1].ent_type_:
        return True
    # '(England and Wales)' right after a capitalised name
    k = ent.start - 1
    while k >= 0 and (doc[k].ent_type_ in ("GPE", "LOC") or doc[k].lower_ in ("and", ",")):
        k -= 1
    if k >= 1 and doc[k].text == "(" and doc[k - 1].is_title and doc[k - 1].pos_ == "PROPN" \
            and not doc[k - 1].ent_type_:
        return True
    # 'Human Rights in China', 'U.N. Interim Force in Lebanon', 'the Bank of England': the place ends a longer
    # name, of two capitalised words or more or with an institution's head word. Not after a title ('President
    # of France'), a state form ('Republic of Ireland') or a company's name ('Dow Chemical Co of the United
    # States': where it is from), nor after a site the place holds ('Grace Road in Derby') or a word that opens
    # the sentence ('Talks in Geneva', 'LONDON - Police in Essex')
    if ent.start >= 2 and doc[ent.start - 1].lower_ in NAME_TAIL_PREPOSITIONS:
        t = doc[ent.start - 2]
        before = doc[t.i - 1] if t.i > 0 else None
        chain = before is not None and (before.is_title or before.is_upper and before.is_alpha
                                        or before.text.isupper() and "." in before.text) and not before.is_sent_start
        return (chain or t.lower_ in INSTITUTION_HEADS) and t.is_title and t.pos_ in ("PROPN", "NOUN") \
            and not t.is_sent_start and (not t.ent_type_ or t.ent_type_ == "ORG" and t.lower_ in INSTITUTION_HEADS) \
            and t.lower_ not in ROLE_NOUNS \
            and t.lower_.rstrip(".") not in _NOT_NAME_HEADS and t.lower_ not in _PLACE_HEADS
    return False


def _one_person(demonym: str) -> bool:
    """'the Pakistani', 'the American': one person of the country. 'the British', 'the Chinese', 'the
    Russians' name the nation."""
    return not demonym.lower().endswith(("s", "sh", "ch", "ese"))


def _proper(span: Span) -> bool:
    """Every word is capitalised but the function words: 'Organisation for Security and Cooperation in Europe'."""
    return all(t.is_title or t.is_upper or not t.is_alpha or t.pos_ in ("ADP", "CCONJ", "DET") for t in span)


def _hyphenated(doc: Doc, i: int, j: int) -> bool:
    """``doc[i:j]`` is joined by a hyphen to a word ('Ontario-based', 'pro-Moscow', 'aid-U.N.') other than a
    capitalised name ('Bosnia-Herzegovina' split in two)."""
    def joined(hyphen: Token, word: Token) -> bool:
        return hyphen.text in ("-", "–") and word.is_alpha and \
            (not word.is_title and not word.is_upper or word.lower_ in HYPHEN_PREFIXES)
    after = j + 1 < len(doc) and not doc[j - 1].whitespace_ and not doc[j].whitespace_ \
        and joined(doc[j], doc[j + 1])
    before = i >= 2 and not doc[i - 1].whitespace_ and not doc[i - 2].whitespace_ and joined(doc[i - 1], doc[i - 2])
    return after or before


def _us_state(doc: Doc, i: int, j: int) -> str | None:
    """The US state that ``doc[i:j]`` names or abbreviates, as the knowledge base names it, in an address or a
    dateline: after a place and a comma ('Houston, TX', 'Manhattan Beach, Calif.', 'Atlanta, Georgia'). An
    abbreviation anywhere else is no state ('Mass.' the service, 'Colo.' in a table)."""
    text = doc[i:j].text
    after_place = i >= 2 and doc[i - 1].text == "," and doc[i - 2].ent_type_ in ("GPE", "LOC")
    name = US_STATES["ap"].get(text) if after_place else None
    name = name or (US_STATES["postal"].get(text) if after_place else None)
    if name is None and after_place and text in US_STATE_NAMES \
            and doc[i - 2].text not in US_STATES["not_after"].get(text, ()):
        name = text  # 'Atlanta, Georgia' is the state; 'Tbilisi, Georgia' the country
    return US_STATES["display"].get(name, name) if name else None


def _us_states(doc: Doc) -> list[RawMention]:
    out = []
    for t in doc:
        if t.text not in _STATE_WORDS:
            continue  # most words: no lookups on the way
        name = _us_state(doc, t.i, t.i + 1)
        if name:
            m = _mention(doc, t.i, t.i + 1, "Place", "name", key=cluster_key(name), canonical=name)
            if m:
                out.append(m)
    return out


_SEPARATORS = frozenset({"-", "–", "—", "(", ")", ",", "/", ":", ";", "|", "+"})


@cache
def _reporting_forms() -> frozenset[str]:
    """Forms of the reporting verbs a title-case headline glues to names ('Obama Says', 'Trump Warns Clinton')."""
    irregular = {"say": ("said",), "tell": ("told",), "write": ("wrote",)}
    out = set()
    for lemma in lexicons.load("reporting")["verbs"]:
        if " " in lemma:
            continue
        stem = lemma[:-1] if lemma.endswith("e") else lemma
        out |= {lemma, lemma + "s", lemma + "es", stem + "ed", *irregular.get(lemma, ())}
    return frozenset(out)


def _pieces(doc: Doc) -> Iterator[Span]:
    """The model's entities, cut where the small model ran one over a separator, a score or a headline's verb
    into the next ('Scott Draper ( Australia', 'Haitai 2 Samsung 0', 'Trump Warns Clinton'), without all-capital
    runs of three words or more, which are headlines and table heads ('BASEBALL - MAJOR LEAGUE STANDINGS',
    'W D L PCT GB'), not names."""
    from spacy.tokens import Span

    for ent in doc.ents:
        start = ent.start
        # a number inside ('Haitai 2 Samsung 0') makes the one at the end a score too
        scores = any(doc[k].text.isdigit() for k in range(ent.start + 1, ent.end - 1))
        for k in range(ent.start, ent.end + 1):
            t = doc[k] if k < ent.end else None
            if t is not None and not (t.text in _SEPARATORS and (t.whitespace_ or k + 1 == ent.end
                                                                  or doc[k - 1].whitespace_)
                                      or t.lower_ == "and" and _two_names(doc, start, k, ent.end)
                                      or t.text.isdigit() and start < k and (k < ent.end - 1 or scores)
                                      or k > ent.start and t.is_title and t.pos_ == "VERB"
                                      and t.lower_ in _reporting_forms()):
                continue
            if k > start:
                piece = Span(doc, start, k, label=ent.label_)
                words = [w for w in piece if w.is_alpha]
                if not (len(words) >= 3 and all(w.is_upper for w in words)):
                    yield piece
            start = k + 1


def _two_names(doc: Doc, start: int, k: int, end: int) -> bool:
    """Whether the model ran two names joined by 'and' (token k) into one ('Driefontein Consolidated and Gold
    Fields', 'Rachel and Blaine'): the story names each on its own elsewhere. One name with 'and' inside
    ('Securities and Exchange Commission', 'Globe and Mail') has no such halves."""
    if start >= k or k + 1 >= end or not doc[start].text[:1].isupper() or not doc[k + 1].text[:1].isupper():
        return False
    left, right = doc[start:k].text, doc[k + 1:end].text
    text = parsed.text(doc)
    return bool(re.search(rf"\b{re.escape(left)}\b(?! and {re.escape(right)})", text)) and \
        bool(re.search(rf"(?<!{re.escape(left)} and )\b{re.escape(right)}\b", text))


def _team(doc: Doc, i: int, j: int) -> bool:
    """In a sports report, a place named as a side: it beats or is beaten, plays against someone, or has a
    score after it ('Leicestershire beat Somerset', 'lost to Kent', 'Haitai 2 Samsung 0')."""
    if j < len(doc) and doc[j].text.isdigit() and len(doc[j].text) <= 3:
        return True  # a score, not a year
    root = doc[i:j].root
    head = root.head
    if root.dep_ in ("nsubj", "dobj", "nsubjpass") and head.lemma_.lower() in TEAM_VERBS:
        return True
    return root.dep_ == "pobj" and head.lower_ in TEAM_PREPOSITIONS and head.head.lemma_.lower() in TEAM_VERBS \
        or root.dep_ == "pobj" and head.lower_ in ("v", "v.", "vs", "vs.", "versus") \
        or i >= 1 and doc[i - 1].lower_ in ("v", "v.", "vs", "vs.", "versus")


def _named(doc: Doc, sports: bool, line: Dateline | None) -> list[RawMention]:
    """Mentions of the named entities the model found, typed, trimmed and keyed. In a sports report a place
    named as a side is a team (an organisation)."""
    labels = _LEX["labels"]
    out = _us_states(doc)
    for ent in _pieces(doc):
        type_ = labels.get(ent.label_)
        if type_ is None or not any(c.isupper() for c in ent.text) or \
                len(ent) == 1 and _us_state(doc, ent.start, ent.end):
            continue  # a name has a capital: not the 'un' of 'un-redacted'; states come from _us_states
        i, j = ent.start, ent.end
        if _hyphenated(doc, i, j):
            continue  # 'Ontario-based', 'pro-Moscow', 'U.N.-sponsored': a modifier, not a mention of the place
        # 'Leicestershire 296', 'S. Watkin 4-28': a score the model ran into the name (not 'Channel 4')
        while j - i > 1 and (_SCORE.fullmatch(doc[j - 1].text) or
                             ent.label_ in ("PERSON", "GPE", "LOC", "NORP") and doc[j - 1].like_num):
            j -= 1
        while j - i > 1 and doc[j - 1].pos_ == "ADV" and doc[j - 1].is_lower:
            j -= 1  # 'The foreign ministry later announced': the model ran the name into the adverb after it
        # 'Jisr' + 'ash-Shugour': the rest of an Arabic name the model left off
        while j + 2 < len(doc) and ent.label_ in ("PERSON", "GPE", "LOC") and doc[j].lower_ in ARABIC_ARTICLES \
                and doc[j + 1].text == "-" and doc[j + 2].is_title and not doc[j + 2].ent_type_ \
                and not doc[j].whitespace_ and not doc[j + 1].whitespace_:
            j += 3
        if j - i > 1 and doc[i].lower_ == "the" and ent.label_ != "NORP" and _proper(doc[i + 1:j]):
            i += 1  # 'the United States' is the name 'United States'; 'the Russian defense ministry' stays whole
        name = doc[i:j].text
        if ent.label_ == "NORP":
            root = ent.root
            if root.dep_ in ("amod", "compound", "npadvmod") or root.pos_ == "ADJ" and root.dep_ != "pobj":
                continue  # adjectival: "Syrian President", "Russian defense ministry"
            country = demonym_country(name)
            if country and i > 0 and doc[i - 1].lower_ == "the" and not _one_person(name):
                canonical = country_name(country) or country
                m = _mention(doc, i - 1, j, "Country", "name", key=cluster_key(canonical), country=canonical)
                if m:
                    out.append(m)
                continue
        if ent.label_ == "PERSON" and j - i > 1 and doc[j - 1].lower_.rstrip(".") in ORG_NAME_WORDS:
            type_ = "Organization"  # 'Patriot Coal', 'Kia Motors'
        if line and line.start <= ent.start_char and ent.end_char <= line.end and ent.label_ in ("ORG", "PERSON"):
            type_ = "Place"  # 'VICTORIA, B.C. (CP) -': a dateline names places, whatever the model says
        if ent.label_ == "ORG" and _is_title_fragment(ent):
            continue
        if ent.label_ == "ORG" and PARTICLE_NAME.fullmatch(name):
            type_ = "Person"  # "Staffan de Mistura": the small model takes particles for organisations
        elif ent.label_ in _NOT_PERSON_LABELS and _personal_name(doc, i, j):
            type_ = "Person"  # 'Enrique Peña Nieto', 'Keith Lamont Scott', 'Ivan Lendl' typed ORG or GPE
        if ent.label_ in ("GPE", "LOC") and _inside_a_longer_name(doc, ent):
            continue
        if sports and ent.label_ in ("GPE", "LOC", "PERSON") and _team(doc, i, j) \
                and (ent.label_ != "PERSON" or len(ent) == 1) and not country_name(doc[i:j].text):
            # 'Derbyshire beat Kent': the county sides. A country named as a side stays the country's name
            # (news NER marks it so); the linker leaves it unlinked, as a team
            m = _mention(doc, i, j, "Organization", "name")
            if m:
                out.append(m)
            continue
        if ent.label_ == "GPE":
            canonical = country_name(name)
            if canonical:
                m = _mention(doc, i, j, "Country", "name", key=cluster_key(canonical), country=canonical)
                if m:
                    out.append(m)
                continue
        if ent.label_ == "PERSON":
            # 'DJ Casey Kasem', 'Treasurer Joe Hockey': the name without the title, which stays a title word
            while j - i > 1 and doc[i + 1].pos_ == "PROPN" and \
                    (doc[i].lower_.rstrip(".") in TITLES or doc[i].lower_ in ROLE_NOUNS):
                i += 1
        if ent.label_ == "PERSON" and (j - i > 1 and doc[i].lower_ in TOPONYM_GENERICS or
                                       i >= 2 and doc[i - 2].lower_ in PLACE_OF_NOUNS and doc[i - 1].lower_ == "of"):
            type_ = "Place"  # "the city of Jisr al-Shughour", "Kherbet al-Jawz": the small model often calls these people
        key = cluster_key(doc[i:j].text)
        if type_ == "Place" and key.endswith(PLACE_SUFFIXES):
            key = key.rsplit(" ", 1)[0]  # "Idlib Province" is "Idlib"
        m = _mention(doc, i, j, type_, "name", key=key)
        if m:
            out.append(m)
    return out


def _np_country(doc: Doc, head: Token) -> str | None:
    """The country that modifies a noun phrase: 'Syrian' / "Syria's" -> Syria."""
    for child in head.children:
        if child.dep_ in ("amod", "compound", "npadvmod", "nmod") and demonym_country(child.text):
            return country_name(demonym_country(child.text)) or demonym_country(child.text)
        if child.dep_ == "poss" and child.ent_type_ == "GPE":
            return country_name(child.text) or child.text
    return None


def _nominals(doc: Doc, named: list[RawMention]) -> list[RawMention]:
    """Mentions by a noun phrase: 'the country', 'the Syrian government', 'the rebels', 'the UN envoy'."""
    labels = _LEX["labels"]
    taken = {t for m in named for t in range(m.i, m.j)}
    out = []
    for chunk in parsed.noun_chunks(doc):
        head = chunk.root
        for t in chunk:  # "the nation's drift": the possessor is the country
            if t.i != head.i and t.dep_ == "poss" and t.lower_ in COUNTRY_HEADS and t.i > chunk.start \
                    and doc[t.i - 1].lower_ == "the" and doc[t.i - 1].head.i == t.i:
                m = _mention(doc, t.i - 1, t.i + 1, "Country", "nominal", key=f"the {t.lower_}", head=t.lower_)
                if m:
                    out.append(m)
        if head.i in taken or head.pos_ not in ("NOUN", "PROPN"):
            continue
        lemma = head.lemma_.lower()
        det = [t.lower_ for t in chunk if t.dep_ == "det"]
        owned = any(t.ent_type_ == "PERSON" for t in chunk if t.dep_ == "poss")  # "Bashar Assad's forces"
        if head.lower_ in COUNTRY_HEADS and det == ["the"] and len(chunk) == 2:  # singular only
            # 'the country', 'the nation': resolved to the country last named, or dropped
            m = _mention(doc, chunk.start, head.i + 1, "Country", "nominal", key=f"the {lemma}", head=lemma)
            if m:
                out.append(m)
            continue
        if (lemma in ORG_HEADS or head.lower_ in ORG_HEADS) and not owned:
            country = _np_country(doc, head)
            definite = det in (["the"], []) or any(t.dep_ == "poss" for t in chunk)
            if not definite or (not country and det != ["the"]):
                continue
            start = chunk.start
            # "The Russian and Syrian governments": each country gets its own mention.
            conj_mods = [c for c in head.children if c.dep_ == "amod" and demonym_country(c.text)]
            for mod in conj_mods:
                for conj in mod.conjuncts:
                    if demonym_country(conj.text) and conj.i > mod.i:
                        start = conj.i
                        country = country_name(demonym_country(conj.text)) or demonym_country(conj.text)
            m = _mention(doc, start, head.i + 1, "Organization", "nominal", country=country, head=lemma,
                         key=f"{lemma} of {(country or '').lower()}" if country else None)
            if m:
                out.append(m)
        elif (lemma in GROUP_HEADS or head.lower_ in GROUP_HEADS) and not owned:
            names = [t for t in chunk if t.dep_ == "compound" and t.pos_ == "PROPN" and t.ent_type_ not in labels]
            if names:  # "White Helmets activists": the compound names an organisation
                m = _mention(doc, names[0].i, names[-1].i + 1, "Organization", "name")
                if m:
                    out.append(m)
            if det in (["the"], []) and not any(t.pos_ == "NUM" for t in chunk):
                m = _mention(doc, chunk.start, head.i + 1, "Group", "nominal", key=head.lower_, head=lemma)
                if m:
                    out.append(m)
        elif lemma in ROLE_NOUNS and head.tag_ != "NNS" and head.ent_type_ != "PERSON" and det != ["a"] \
                and det != ["an"] and head.dep_ != "appos":
            end = head.i + 1
            for c in head.children:  # "the UN envoy for Syria", "secretary of state"
                if c.dep_ == "prep" and c.i == end and c.lower_ in ("for", "of", "to"):
                    end = c.right_edge.i + 1
            m = _mention(doc, chunk.start, end, "Person", "role", head=lemma)
            if m:
                out.append(m)
    return out


def _dateline(doc: Doc, named: list[RawMention], line: Dateline | None) -> list[RawMention]:
    """The places of a wire dateline the model did not find ('BEIJING 1996-08-30', 'LANDGRAAF , Netherlands')."""
    text = parsed.text(doc)
    if line is None:
        return []
    out = []
    taken = {k for m in named for k in range(m.start, m.end)}
    for n, part in enumerate(re.finditer(r"[^,]+", text[line.start:line.end])):
        a = line.start + part.start() + len(part.group()) - len(part.group().lstrip())
        b = line.start + part.end() - (len(part.group()) - len(part.group().rstrip()))
        span = doc.char_span(a, b, alignment_mode="contract")
        if span is None or taken.intersection(range(a, b)) or not any(c.isalpha() for c in span.text):
            continue
        country = country_name(span.text.title()) if n else None  # the first part is the city ('TUNIS')
        m = _mention(doc, span.start, span.end, "Country" if country else "Place", "name",
                     key=cluster_key(country) if country else None, country=country)
        if m:
            out.append(m)
    return out


def _headline_end(doc: Doc) -> int:
    """The character where a title-case headline at the start of the text ends (0 when there is none): a first
    line of three words or more, most of them capitalised."""
    text = parsed.text(doc)
    start = len(text) - len(text.lstrip())
    end = text.find("\n", start)
    words = re.findall(r"[^\W\d_]+", text[start:end if end > 0 else start])
    if len(words) < 3 or sum(w[0].isupper() for w in words) < 0.6 * len(words):
        return 0
    return end


def _confirmed(doc: Doc, named: list[RawMention]) -> list[RawMention]:
    """Names of a title-case headline cut to the name the story itself uses: 'Derelict Obama', 'Clinton Hid Past
    Health' and 'Clinton Plan' are 'Obama' and 'Clinton' when the story names them so. A headline name the story
    does not confirm stays as it is."""
    end = _headline_end(doc)
    if not end:
        return named
    body = [m for m in named if m.start >= end]
    body_keys = {m.key for m in body} | {m.key.split()[-1] for m in body if m.type == "Person" and " " in m.key}
    out = []
    for m in named:
        if m.end <= end and m.j - m.i > 1 and m.key not in body_keys:
            cuts = [(i, j) for i in range(m.i, m.j) for j in range(m.j, i, -1) if (i, j) != (m.i, m.j)
                    and (i == m.i or j == m.j) and cluster_key(doc[i:j].text) in body_keys]
            if cuts:
                i, j = max(cuts, key=lambda c: c[1] - c[0])
                m = _mention(doc, i, j, m.type, m.form) or m
        out.append(m)
    return out


_NOT_PERSON_LABELS = ("ORG", "GPE", "LOC", "FAC")
_NOT_PERSON_WORDS = ORG_NAME_WORDS | INSTITUTION_HEADS | LOCATIVE_HEADS | STATE_FORM_WORDS \
    | frozenset(_LEX["place_suffixes"])


def _personal_name(doc: Doc, i: int, j: int) -> bool:
    """Whether a name the model typed as an organisation or a place is a person's: two or three capitalised words,
    the first a common given name (lexicon given_names), none a word of organisations or places ('Walter Energy',
    'Grace Road', 'Christopher Newport University'), no '&', and no 'the' before it, which no one's name takes
    ('the Charlotte Observer')."""
    words = [t.text for t in doc[i:j]]
    return 2 <= len(words) <= 3 and words[0].lower() in _GIVEN and (i == 0 or doc[i - 1].lower_ != "the") \
        and all(w[:1].isupper() and w.replace("-", "").replace(".", "").isalpha() for w in words) \
        and not any(w.lower().rstrip(".") in _NOT_PERSON_WORDS for w in words[1:])


_SIDE = r"[A-Z][\w'.&]*(?:[ -](?:[A-Z][\w'.&]*|of|de|'s))*"
_QUALIFIER = r"(?: \( [A-Z][\w.]* \))?"  # 'Radnicki ( N )', 'Benetton ( Italy )'
_STANDING = re.compile(rf"(?P<side>{_SIDE}){_QUALIFIER}(?: [-+]?\d*[.]?\d+){{3,}} ?")
_RESULT = re.compile(rf"(?P<side>{_SIDE}){_QUALIFIER} \d{{1,3}}(?= |$)")
_FIXTURE = re.compile(rf"(?P<side>{_SIDE}) (?:at|AT|v|vs\.?) (?P<other>{_SIDE})")
_GIVEN = frozenset(_LEX["given_names"]["m"]) | frozenset(_LEX["given_names"]["f"])


def _table_sides(doc: Doc, named: list[RawMention], sports: bool) -> list[RawMention]:
    """In a sports report, the sides the model did not find in a table: a line of standings ('Clyde 3 1 0 2 2 5
    3', 'COLORADO 70 65 .519 5'), of results ('Alloa 0 Montrose 2 Ross County 1') or a fixture ('LOS ANGELES AT
    PHILADELPHIA', 'Clyde v Alloa'). A country stays the
    country's name, and a side whose first word is a given name is a player ('John Daly 68 70 72', not 'Ross
    County')."""
    text = parsed.text(doc)
    if not sports:
        return []
    taken = {k for m in named for k in range(m.start, m.end)}
    out = []
    offset = 0
    for line in text.split("\n"):
        sides = []
        standing, fixture = _STANDING.fullmatch(line.strip()), _FIXTURE.fullmatch(line.strip())
        if standing:
            sides = [standing]
        elif fixture:
            sides = [(fixture.start("side"), fixture.end("side")), (fixture.start("other"), fixture.end("other"))]
        else:
            results = list(_RESULT.finditer(line.strip()))
            covered = sum(len(r.group()) for r in results) + len(results) - 1
            rest = re.sub(r" \([^()]*\)$", "", line.strip())  # '( halftime 50-28 )'
            if len(results) >= 2 and covered >= len(rest):
                sides = results
        lead = len(line) - len(line.lstrip())
        for r in sides:
            start, end = r if isinstance(r, tuple) else r.span("side")
            a, b = offset + lead + start, offset + lead + end
            span = doc.char_span(a, b, alignment_mode="contract")
            if span is None or taken.intersection(range(a, b)) or country_name(span.text) or len(span) > 4 \
                    or span[0].lower_ in _GIVEN and not (" " + span[-1].lower_).endswith(PLACE_SUFFIXES):
                continue
            m = _mention(doc, span.start, span.end, "Organization", "name")
            if m:
                out.append(m)
        offset += len(line) + 1
    return out


def find_mentions(doc: Doc) -> list[RawMention]:
    """Named, nominal and role mentions in document order (no overlaps between names and nominals)."""
    text = parsed.text(doc)
    sports = sports_report(text.lstrip())  # the body's lead, as the linker reads it: not the blanked header
    line = dateline(text, (len(text) - len(text.lstrip()), len(text)))
    named = _confirmed(doc, _named(doc, sports, line))
    named += _table_sides(doc, named, sports)
    named += _dateline(doc, named, line)
    mentions = named + _nominals(doc, named)
    return sorted(mentions, key=lambda m: (m.start, -m.end))


PARTITIVES = frozenset(_LEX["partitives"]["words"])


def whole_of(head: Token) -> Token:
    """For a word that names a part of a group, the group or the one it names: 'Many of his supporters' ->
    'supporters', 'one of the family's attorneys, Justin Bamberg' -> 'Bamberg', 'most of whom' -> the noun the
    relative clause hangs on; any other word itself."""
    if head.lower_ not in PARTITIVES:
        return head
    named = next((c for c in head.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
    if named is not None:
        return named
    of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    whole = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    if whole is None:
        return head
    if whole.lower_ in ("whom", "which"):
        clause = head.head
        return clause.head if clause.dep_ == "relcl" and clause.head.pos_ in ("NOUN", "PROPN") else head
    return whole if whole.pos_ in ("NOUN", "PROPN") and can_act(whole) else head  # not 'one of his offences'


def can_act(head: Token) -> bool:
    """Whether a noun can name someone who acts or takes a side ('a senior politician', 'analysts', 'the
    ministry'), not a thing ('our advocacy', 'the data', 'research grants'). A name always can."""
    if head.pos_ != "NOUN" or head.text[:1].isupper():
        return True
    return bool({head.lemma_.lower(), head.lower_} & ACTOR_NOUNS) or head.tag_ == "NNS" and \
        head.lemma_.lower().endswith(AGENT_SUFFIXES)


def _the_name(head: Token) -> bool:
    """Whether a name of several words that the model did not type comes after 'the' and no title ('the Hong
    Kong Standard'; not 'the Rev. Al Sharpton', 'the late John Smith', nor 'the Duke', a title standing alone)."""
    words = [t for t in head.subtree if t.i <= head.i]
    return any(t.dep_ == "det" and t.lower_ == "the" for t in head.children) \
        and sum(t.pos_ == "PROPN" for t in words) > 1 \
        and not any(t.lower_.rstrip(".") in TITLES or t.lower_ == "late" for t in words)


def speaker_mention(doc: Doc, i: int, j: int, head: Token) -> RawMention | None:
    """A mention for a speaker phrase that no entity covers, typed from its head: a proper name is a person
    (or what NER says), 'the campaign' an organisation, 'experts' a group, 'a source' a person."""
    if head.pos_ == "PROPN":
        # a name the model did not type is a person, unless it is an acronym ('JDRF said')
        default = "Organization" if head.text.isupper() and len(head.text) > 1 and j - i == 1 else "Person"
        label = _LEX["labels"].get(head.ent_type_, default)
        if head.lower_ in ORG_HEADS and j - i == 1:
            label = "Organization"  # 'Police said', capitalised at the start of a sentence
        elif label == "Person" and not head.ent_type_ and _the_name(head):
            label = "Organization"  # 'the Hong Kong Standard said': a person is named without 'the'
        if label == "Place" and country_name(doc[i:j].text):
            label = "Country"
        return _mention(doc, i, j, label, "name")
    if head.pos_ != "NOUN":
        return None
    lemma = head.lemma_.lower()
    if lemma in ORG_HEADS:
        type_ = "Organization"
    elif head.tag_ in ("NNS", "NNPS") or lemma in GROUP_HEADS:
        type_ = "Group"
    elif lemma in ROLE_NOUNS or lemma in HUMAN_NOUNS:
        type_ = "Person"
    else:
        type_ = "Other"  # 'the poll', 'the report': a source that is not an actor of the usual kinds
    return _mention(doc, i, j, type_, "nominal", head=lemma)
