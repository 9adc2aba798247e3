"""Cluster mentions into entities: same name, surname and partial names, a given name alone, acronyms, nominal
phrases ("the ministry", "the country"), role phrases ("President Donald Trump's national security adviser") and
pronouns, of speakers and wherever the reading is clear."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Callable, Sequence

from kg import lexicons
from kg.extract import parsed, statements
from kg.extract.entities import RawMention, country_name, demonym_country
from kg.names import TITLES, clean

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_LEX = lexicons.load("entities")
PERSON_PRONOUNS = frozenset(_LEX["person_pronouns"])
THING_PRONOUNS = frozenset(_LEX["thing_pronouns"])
PLURAL_PRONOUNS = frozenset(_LEX["plural_pronouns"])
COUNTRY_DISPLAY = _LEX["country_display"]
MENTION_PRONOUNS = {k: v for k, v in _LEX["mention_pronouns"].items() if not k.startswith("_")}
PLEONASTIC_HEADS = frozenset(_LEX["pleonastic_heads"])
GENDERED_TITLES = _LEX["gendered_titles"]
# the census's names by gender, and the hand-made list's, which wins where they differ
GIVEN_NAMES = {name: g for lex in (lexicons.load("census_given_names"), _LEX["given_names"]) for g in ("m", "f")
               for name in lex[g]}
GENDERED_NOUNS = {w: g for g in ("m", "f") for w in _LEX["gendered_nouns"][g] + _LEX["epithets"][g]}  # 'one woman'
PRONOUN_GENDER = {k: v for k, v in MENTION_PRONOUNS.items() if v in ("m", "f")}
_ARTICLE = re.compile(r"\b(?:%s)-" % "|".join(_LEX["arabic_articles"]))


def _spelling(key: str) -> str | None:
    """One key for the spellings of a transliterated Arabic name ('jisr al-shughour', 'jisr ash-shugour'): the
    article as 'al-', no h after s/g/k/t/d, 'ou' as 'u', no double letters. None for other names."""
    if not _ARTICLE.search(key):
        return None
    key = _ARTICLE.sub("al-", key).replace("'", "")
    key = re.sub(r"([sgktd])h", r"\1", key).replace("ou", "u").replace("ee", "i")
    return re.sub(r"(.)\1", r"\1", key)


THING_KINDS = ("Organization", "Country", "Group")  # what 'it' and 'they' can stand for
PRONOUN_KINDS = ("Person", *THING_KINDS)  # the kinds of entity a pronoun tells apart
TYPE_PRIORITY = {"Person": 5, "Country": 4, "Organization": 3, "Place": 2, "Group": 1, "Other": 0}


@dataclass
class Cluster:
    """An entity being built: its mentions and the words of titles and roles seen next to its name."""

    mentions: list[RawMention] = field(default_factory=list)
    titles: set[str] = field(default_factory=set)
    # (the mentions list, its length, the type voted for it): the type is voted again only when they changed
    _type: tuple[list[RawMention] | None, int, str] = field(default=(None, -1, ""), repr=False, compare=False)

    @property
    def names(self) -> list[RawMention]:
        return [m for m in self.mentions if m.form == "name"]

    @property
    def type(self) -> str:
        # asked for in every loop over clusters: computed again only when mentions were added or replaced
        if self._type[0] is not self.mentions or self._type[1] != len(self.mentions):
            self._type = (self.mentions, len(self.mentions), self._vote())
        return self._type[2]

    def _vote(self) -> str:
        votes: dict[str, int] = {}
        longest = max((len(m.key.split()) for m in self.names), default=0)
        # a full name decides: 'David Cameron' is a person however often the model calls 'Cameron' an organisation
        decisive = [m for m in self.names if longest > 1 and len(m.key.split()) == longest]
        for m in decisive or self.mentions:
            weight = (2 + 3 * (len(m.key.split()) == longest)) if m.form == "name" else 1
            votes[m.type] = votes.get(m.type, 0) + weight
        return max(votes, key=lambda t: (votes[t], TYPE_PRIORITY[t]))

    @property
    def name(self) -> str:
        return self.label()

    def label(self, quoted: Sequence[tuple[int, int]] = ()) -> str:
        """The entity's name: its fullest name, from outside quotations when a full name stands there (a
        speaker's nickname, 'Crooked Hillary Clinton', is not how the story names her)."""
        countries = [m.country for m in self.names if m.country]
        if countries and self.type == "Country":
            return COUNTRY_DISPLAY.get(countries[0], countries[0])
        if not self.names:
            nominal = next((m for m in self.mentions if m.country and m.head), None)
            if nominal:  # "the Syrian government" -> "Government of Syria"
                return f"{nominal.head.capitalize()} of {COUNTRY_DISPLAY.get(nominal.country, nominal.country)}"
        names = self.names or self.mentions

        def fullest(ms: list[RawMention]) -> RawMention:
            return max(ms, key=lambda m: (len(m.key.split()), len(m.text), -m.start))
        best = fullest(names)
        outside = [m for m in names if not any(a <= m.start < b for a, b in quoted)]
        if outside and len(_tokens(fullest(outside).key)) > 1:  # not 'Putin' for the quoted 'Vladimir Putin'
            best = fullest(outside)
        text = clean(best.canonical or best.text) or best.text  # no tag, invisible character or emoji in a label
        if text.lower().startswith("the "):
            text = text[4:]
        return text.rstrip("’'s") if text.endswith(("'s", "’s")) else text

    @property
    def first(self) -> int:
        return min(m.start for m in self.mentions)


@lru_cache(maxsize=65536)  # the clustering compares every name with every cluster's names
def _tokens(key: str) -> tuple[str, ...]:
    return tuple(t for t in key.replace("-", " ").split() if t not in TITLES)


_MINOR = frozenset({"of", "and", "for", "the", "on", "in", "&", "de"})


def _acronym_of(acronym: str, name: str) -> bool:
    """'FDA' of 'U.S. Food and Drug Administration', 'ACLU' of 'American Civil Liberties Union'."""
    letters = acronym.replace(".", "")
    if not (acronym.isupper() and 2 <= len(letters) <= 6 and letters.isalpha()):
        return False
    words = [w for w in name.replace("-", " ").split() if w.lower() not in _MINOR]
    initials = "".join(w[0] for w in words).upper()
    if initials == letters:
        return True
    # 'U.S.' before an agency's name is left out of its acronym
    return len(words) > 2 and "".join(w[0] for w in words[1:]).upper() == letters \
        and country_name(words[0]) is not None


def _partial_name(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """'bolton' of 'john bolton', 'jaberi ansari' of 'hussein jaberi ansari', 'de mistura' of 'staffan de mistura'."""
    return 0 < len(short) < len(long) and long[-len(short):] == short


def _titles(doc: Doc, m: RawMention) -> set[str]:
    """Lower-cased words of the title before a person's name and of an appositive role after it."""
    words = set()
    k = m.i - 1
    while k >= 0 and doc[k].pos_ in ("PROPN", "NOUN", "ADJ") and not doc[k].ent_type_ == "PERSON" \
            and doc[k].dep_ in ("compound", "amod", "nmod"):
        words.add(doc[k].lower_)
        k -= 1
    root = doc[m.j - 1]
    for child in root.children:
        if child.dep_ == "appos":  # "Hussein Jaberi Ansari, a special envoy for ...": the envoy, not the minister
            words.add(child.lower_)
            words.update(t.lower_ for t in child.children if t.dep_ in ("amod", "compound"))
    return words


def cluster(doc: Doc, mentions: list[RawMention]) -> list[Cluster]:
    """Entities in order of first mention. Role phrases and nominals that match no named entity are dropped,
    except nominal organisations modified by a country ("the Syrian government") and groups."""
    clusters: list[Cluster] = []
    by_key: dict[str, Cluster] = {}
    by_spelling: dict[str, Cluster] = {}
    names = [m for m in mentions if m.form == "name"]
    # Longest names first so that partial names find their full form wherever it stands.
    for m in sorted(names, key=lambda m: (-len(_tokens(m.key)), m.start)):
        spelling = _spelling(m.key)
        c = by_key.get(m.key) or by_spelling.get(spelling)
        # 'Mrs. Clinton' and 'Mr. Clinton' in an article that names Hillary and Bill: the title tells them apart
        titled = GENDERED_TITLES.get(doc[m.i - 1].lower_.rstrip(".")) if m.i > 0 and m.type == "Person" else None
        if c is not None and titled and gender(doc, c) not in (None, titled):
            c = None
        if c is None:
            toks = _tokens(m.key)
            candidates = [
                c for c in clusters
                if any(_partial_name(toks, _tokens(n.key)) for n in c.names)
                and (c.type == "Person" or len(toks) > 1)
                and m.type not in ("Country", "Place") or False
            ]
            if titled:
                candidates = [c for c in candidates if gender(doc, c) == titled] or \
                    [c for c in candidates if gender(doc, c) is None] or candidates
            if len(candidates) == 1 or candidates and (m.type == "Person" or all(c.type == "Person"
                                                                                 for c in candidates)):
                # Nearest preceding full name wins when several share the surname; a surname the model typed
                # otherwise ('Trump' as an organisation) is a person's when only people bear it.
                c = min(candidates, key=lambda c: min(abs(n.start - m.start) for n in c.names))
            elif not candidates and len(toks) == 1 and m.type == "Person":
                # 'Taylor' after 'Taylor Swift': a given name alone, when one person of the article bears it
                given = [c for c in clusters if c.type == "Person"
                         and any(len(_tokens(n.key)) > 1 and _tokens(n.key)[0] == toks[0] for n in c.names)]
                c = given[0] if len(given) == 1 else None
            elif not candidates and len(toks) == 1 and m.type not in ("Country", "Place"):
                # 'FDA' after 'U.S. Food and Drug Administration', 'Harvard' after 'Harvard University': the
                # acronym or first word of one organisation's name
                # ('EU' of 'EU-NATO', a compound of two names, is not)
                orgs = [c for c in clusters if c.type == "Organization" and any(
                    _acronym_of(m.text, n.text) or m.type == "Organization" and len(_tokens(n.key)) > 1
                    and n.key.split()[0] == toks[0] for n in c.names)]
                c = orgs[0] if len(orgs) == 1 else None
        if c is None:
            c = Cluster()
            clusters.append(c)
        c.mentions.append(m)
        by_key.setdefault(m.key, c)
        if spelling:
            by_spelling.setdefault(spelling, c)
        if m.type == "Person":
            c.titles |= _titles(doc, m)
    for m in mentions:
        if m.form == "nominal":
            c = (by_key.get(m.key) if m.type != "Country" else None) or _antecedent(doc, clusters, m)
            if c is None and (m.country or m.type == "Group") and m.type != "Country":
                c = Cluster()
                clusters.append(c)
                by_key[m.key] = c
            if c is not None:
                c.mentions.append(m)
        elif m.form == "role":
            c = _role_match(doc, clusters, m) or _cataphor(doc, clusters, m)
            if c is not None:
                c.mentions.append(m)
    for c in clusters:
        c.mentions.sort(key=lambda m: m.start)
        # a nested name mention ("Iran" in "Iran's foreign minister") is fine; drop exact duplicates
        seen, unique = set(), []
        for m in c.mentions:
            if (m.start, m.end) not in seen:
                seen.add((m.start, m.end))
                unique.append(m)
        c.mentions = unique
    clusters.sort(key=lambda c: c.first)
    return clusters


def _antecedent(doc: Doc, clusters: list[Cluster], m: RawMention) -> Cluster | None:
    """'the ministry', 'the defense ministry': the nearest preceding organisation whose name has that head;
    'the country': the one country named in this sentence or the one before, or else the only country named
    so far ('Iran, Russia and Turkey ... the country's constitution' is left alone)."""
    if m.type == "Country":
        return _country_antecedent(doc, clusters, m)
    best, best_pos = None, -1
    mine = _modifiers(m.key, m.head)
    for c in clusters:
        if c.type != "Organization":
            continue
        for n in c.mentions:
            if n.start < m.start and m.head and m.head in n.key.split() and n.start > best_pos \
                    and not (mine and _modifiers(n.key, m.head).isdisjoint(mine)):
                # 'the defence ministry' is not 'the foreign ministry' named before it
                best, best_pos = c, n.start
    return best


_NOT_MODIFIERS = frozenset({"the", "a", "an", "of", "and", "for", "its", "his", "her", "their", "our", "new"})


def _modifiers(key: str, head: str) -> frozenset[str]:
    """The words that tell one organisation with this head from another ('foreign', 'defence' of a ministry),
    without countries, which nominals name apart, in one spelling ('defence' and 'defense')."""
    heads = {head, head + "s", head + "es", head[:-1] + "ies"}  # the key holds the head as written: 'the banks'
    return frozenset(_american(w) for w in key.split() if w not in heads and w not in _NOT_MODIFIERS
                     and w.isalpha() and not country_name(w) and not demonym_country(w))


def _american(word: str) -> str:
    return re.sub(r"(?<=[a-z]{3})(?:ence$|our$|re$)", lambda x: {"ence": "ense", "our": "or", "re": "er"}[x[0]], word)


def _country_antecedent(doc: Doc, clusters: list[Cluster], m: RawMention) -> Cluster | None:
    sent = doc[m.i].sent
    window = doc[sent.start - 1].sent.start if sent.start > 0 else 0
    before = [c for c in clusters if c.type == "Country" and any(n.form == "name" and n.j <= m.i for n in c.mentions)]
    near = [c for c in before if any(n.form == "name" and window <= n.i < m.i for n in c.mentions)]
    if len(near) == 1 or not near and len(before) == 1:
        return (near or before)[0]
    return None


def _role_match(doc: Doc, clusters: list[Cluster], m: RawMention) -> Cluster | None:
    """The person whose title shares the role phrase's head and a modifier ('national security adviser')."""
    span = doc[m.i:m.j]
    words = {t.lower_ for t in span if t.pos_ in ("NOUN", "PROPN", "ADJ") and t.ent_type_ != "PERSON"}
    if m.head not in words:
        return None
    best, best_score = None, 1
    for c in clusters:
        if c.type != "Person" or m.head not in c.titles:
            continue
        # the role must not be a description of someone named inside it ("Trump's adviser" is not Trump)
        if any(n.i >= m.i and n.j <= m.j for n in c.names):
            continue
        score = len(words & c.titles)
        if score > best_score:
            best, best_score = c, score
    return best


def _cataphor(doc: Doc, clusters: list[Cluster], m: RawMention) -> Cluster | None:
    """A lede's 'The UN envoy for Syria hosted ...' names its person in the next sentence or two: the first
    person named after a definite role phrase that no title matched, if that person has no other title."""
    if doc[m.i].lower_ != "the":
        return None
    limit = doc[m.i].sent.end
    nxt = doc[limit].sent.end if limit < len(doc) else limit
    best, best_start = None, None
    for c in clusters:
        if c.type != "Person":
            continue
        for n in c.names:
            if m.j <= n.i < nxt and (best_start is None or n.start < best_start):
                best, best_start = c, n.start
    if best is not None and best.titles and m.head not in best.titles:
        return None
    return best


def resolve_pronoun(token: Token, clusters: list[Cluster], speakers: Sequence[tuple[int, Cluster]]) -> Cluster | None:
    """The entity a speaker pronoun refers to: the subject of a clause that governs it or of the sentence before
    it, else the nearest preceding speaker of a compatible kind, else the nearest preceding mention of one; for a
    possessive ('his claim that ...'), the nearest preceding mention."""
    if token.lower_ not in PERSON_PRONOUNS | THING_PRONOUNS | PLURAL_PRONOUNS:
        return None
    if token.lower_ in THING_PRONOUNS and token.head.lemma_ == "be" and any(c.dep_ == "attr"
                                                                             for c in token.head.children):
        return None  # "It's his way of asserting ...": what it is, not who

    def fits(c: Cluster) -> bool:
        return may_refer(token, c)
    if token.dep_ == "poss" or token.tag_ == "PRP$":
        return _nearest(token, clusters, fits)  # 'his hopes', 'its support': whoever was named last, not who spoke
    if (governing := _governing_subject(token, clusters, fits)) is not None:
        return governing
    if _after_a_thing(token, clusters, speakers):
        return None
    before = [(pos, c) for pos, c in speakers if pos < token.idx and fits(c)]
    last = max(before, key=lambda x: x[0]) if before else None
    if (subject := _previous_subject(token, clusters, fits)) is not None and (last is None or subject[0] > last[0]):
        return subject[1]
    if last is not None:
        return last[1]
    return _nearest(token, clusters, fits)


def _nearest(token: Token, clusters: list[Cluster], fits: Callable[[Cluster], bool]) -> Cluster | None:
    """The entity of the nearest mention before ``token`` that it may refer to."""
    best, best_pos = None, -1
    for c in clusters:
        if fits(c):
            for n in c.mentions:
                if best_pos < n.start < token.idx:
                    best, best_pos = c, n.start
    return best


QUOTE_MARKS = frozenset(statements.QUOTE_CHARS + statements.SINGLE_MARKS) | {"''", "``"}  # as tokens


def _governing_subject(token: Token, clusters: list[Cluster], fits: Callable[[Cluster], bool]) -> Cluster | None:
    """The entity that is the subject of a clause governing the pronoun's, before it in its sentence, when it can
    be what the pronoun stands for: 'The FBI needs to stay out unless it wants to ...' is the FBI, whoever spoke
    last."""
    if token.dep_ not in ("nsubj", "nsubjpass"):
        return None  # 'her concern for racial issues' inside what someone said of her is not her own statement
    doc = token.doc
    for verb in token.head.ancestors:
        # not across a quotation mark: a subject inside a quotation is the quoted speaker's, not the text's; a
        # whole quotation between them is no bar ('Rowling reached peak anger: "How stunning," she wrote')
        for subj in (c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < token.i
                     and sum(t.text in QUOTE_MARKS for t in doc[c.i:token.i]) % 2 == 0):
            owner = next((c for c in clusters for m in c.mentions if m.i <= subj.i < m.j), None)
            if owner is not None and fits(owner):
                return owner
    return None


def _after_a_thing(token: Token, clusters: list[Cluster], speakers: Sequence[tuple[int, Cluster]]) -> bool:
    """Whether an 'it' that opens its sentence stands for a thing: the subject of the main clause of the sentence
    before, outside any quotation, is a singular thing, neither an entity nor a speaker ('The full video emerged
    hours after Rowling tweeted. It shows Trump ...' is the video, not the country named three paragraphs up;
    '..., the report says. It also points out ...')."""
    if token.lower_ != "it" or token.dep_ not in ("nsubj", "nsubjpass") or token.sent.start == 0 \
            or any(t.pos_ not in ("ADV", "CCONJ", "PUNCT", "SPACE") for t in token.doc[token.sent.start:token.i]):
        return False
    doc = token.doc
    root = doc[token.sent.start - 1].sent.root
    subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None or subject.pos_ != "NOUN" or subject.tag_ != "NN" \
            or sum(k.text in QUOTE_MARKS for k in doc[subject.i:token.i]) % 2:
        return False
    start, end = subject.left_edge.idx, subject.idx + len(subject)
    return not any(m.i <= subject.i < m.j for c in clusters for m in c.mentions) and not statements.someone(subject) \
        and not any(start <= pos < end for pos, _ in speakers)


def _previous_subject(token: Token, clusters: list[Cluster], fits: Callable[[Cluster], bool]
                      ) -> tuple[int, Cluster] | None:
    """The subject of the main clause of the sentence before the pronoun's, or of its own before it, outside any
    quotation, when it can be what the pronoun stands for: 'England coach Brian Ashton is under no illusions.
    "We are still looking down the barrel of a gun," he said.' is Ashton, whoever spoke before. As (character
    offset, entity)."""
    doc = token.doc
    start = doc[token.sent.start - 1].sent.start if token.sent.start > 0 else token.sent.start
    for t in reversed(doc[start:token.i]):
        if t.dep_ in ("nsubj", "nsubjpass") and t.head.dep_ == "ROOT" \
                and sum(k.text in QUOTE_MARKS for k in doc[t.i:token.i]) % 2 == 0:
            owner = next((c for c in clusters for m in c.mentions if m.i <= t.i < m.j), None)
            if owner is not None and fits(owner):
                return t.idx, owner
    return None


def may_refer(token: Token, c: Cluster) -> bool:
    """Whether a third-person pronoun can stand for the entity: 'he' or 'she' for a person of that gender or of
    none known, 'it' and 'they' for an organisation, a country or a group."""
    word = token.lower_
    if word in PERSON_PRONOUNS:
        wanted = PRONOUN_GENDER.get(word)
        return c.type == "Person" and (wanted is None or gender(token.doc, c) in (None, wanted))
    return word in THING_PRONOUNS | PLURAL_PRONOUNS and c.type in THING_KINDS


def gender(doc: Doc, c: Cluster) -> str | None:
    """'m' or 'f' from a title before a name ('Mrs May'), a common given name ('Donald Trump') or a noun of one
    gender that names the person ('one woman', 'the actress'), else None."""
    nouns = {GENDERED_NOUNS.get(m.head) for m in c.mentions if m.form in ("nominal", "role")} - {None}
    if len(nouns) == 1 and not c.names:
        return nouns.pop()
    for m in c.names:
        g = GENDERED_TITLES.get(doc[m.i - 1].lower_.rstrip(".")) if m.i > 0 else None
        if g:
            return g
    for m in sorted(c.names, key=lambda m: -len(m.key.split())):
        words = [w for w in m.key.replace("-", " ").split() if w not in TITLES]
        if len(words) > 1 and words[0] in GIVEN_NAMES:
            return GIVEN_NAMES[words[0]]
    return None


def pronoun_mentions(doc: Doc, clusters: list[Cluster], start: int, end: int, *, taken: set[int],
                     quoted: Sequence[tuple[int, int, frozenset[int]]]) -> list[tuple[Cluster, int]]:
    """Pronouns that refer to an entity, as (entity, token index), resolved only when the reading is clear:

    - 'he', 'his', 'she', 'her': the person last mentioned, when no other person was mentioned since the
      sentence before that mention, at most three sentences back, and a title or a common given name says the
      person is of the pronoun's gender (NER misses people, and 'she' must not land on the man named last).
      Inside a quotation (``quoted``: start, end and the ``id`` of its speakers' clusters) a third-person
      pronoun is never the speaker, so the speakers are passed over; a quotation nobody is known to have said
      is left alone.
    - 'it', 'its': the country or organisation named in the same sentence, when it is the nearest singular
      noun before the pronoun ('the state of Egypt, with all that it has done for its people'); not the
      'it' of 'it is clear that', 'it seems'.
    Tokens in ``taken`` (speakers already resolved) are left alone.
    """
    owner: dict[int, Cluster] = {}
    for c in clusters:
        for m in c.mentions:
            for t in range(m.i, m.j):
                owner.setdefault(t, c)
    genders = {id(c): gender(doc, c) for c in clusters if c.type == "Person"}
    sents = parsed.sents(doc)
    sent_no: dict[int, int] = {}
    for n, sent in enumerate(sents):
        for t in range(sent.start, sent.end):
            sent_no[t] = n
    out = []
    for tok in doc:
        kind = MENTION_PRONOUNS.get(tok.lower_)
        if kind is None or tok.i in taken or tok.i in owner or not start <= tok.idx < end or tok.pos_ != "PRON":
            continue
        inside = [who for s, e, who in quoted if s <= tok.idx < e]
        if kind == "thing":
            c = _thing_antecedent(doc, tok, owner)
        elif not inside or inside[0]:
            c = _person_antecedent(tok, owner, sents, sent_no, skip=inside[0] if inside else frozenset())
            c = c if c is not None and genders.get(id(c)) == kind else None
        else:
            c = None
        if c is not None:
            out.append((c, tok.i))
    return out


def _person_antecedent(tok: Token, owner: dict[int, Cluster], sents: list[Span], sent_no: dict[int, int],
                       skip: frozenset[int]) -> Cluster | None:
    """The person last mentioned at most three sentences before ``tok``, when no other person (outside ``skip``)
    is mentioned from the sentence before that mention on."""
    def person(t: int) -> bool:
        return t in owner and owner[t].type == "Person" and id(owner[t]) not in skip

    limit = sents[max(sent_no[tok.i] - 3, 0)].start  # at most three sentences back, so long texts stay linear
    k = tok.i - 1
    while k >= limit and not person(k):
        k -= 1
    if k < limit:
        return None
    c = owner[k]
    first = sents[max(sent_no[k] - 1, 0)].start
    if any(owner[t] is not c for t in range(first, tok.i) if person(t)):
        return None
    return c


def _thing_antecedent(doc: Doc, tok: Token, owner: dict[int, Cluster]) -> Cluster | None:
    """The country or organisation that is the nearest singular noun before 'it'/'its' in its sentence."""
    if tok.lower_ == "it":
        head = tok.head
        if head.lemma_ in PLEONASTIC_HEADS or tok.dep_ == "dobj" and head.lemma_ in ("make", "take") or \
                any(c.dep_ in ("ccomp", "xcomp", "csubj", "acomp") for c in head.children if c.i > tok.i):
            return None
    for k in range(tok.i - 1, tok.sent.start - 1, -1):
        t = doc[k]
        if t.pos_ in ("NOUN", "PROPN") and t.tag_ not in ("NNS", "NNPS"):
            c = owner.get(k)
            return c if c is not None and c.type in ("Country", "Organization") else None
    return None
