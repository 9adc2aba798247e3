"""Statements: direct quotes, reported speech, mixed quotes, 'according to X' ('per X') and nominal acts ("Turkey's
pleas").

Works sentence by sentence over a parsed Doc; a sentence that trips a rule is skipped, never the document.
"""
from __future__ import annotations

import logging
import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Callable, Sequence

from kg import lexicons
from kg.extract import parsed
from kg.extract.confidence import CONFIDENCE
from kg.extract.entities import INSTITUTION_HEADS, LOCATIVE_HEADS, can_act
from kg.wire import dateline

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

log = logging.getLogger(__name__)
_LEX = lexicons.load("reporting")
VERBS: dict[str, str] = _LEX["verbs"]
NOUNS: dict[str, str] = _LEX["nouns"]
SUBJECT_DEPS = frozenset(_LEX["subject_deps"])
OBJECT_CONTENT = frozenset(_LEX["object_content_verbs"])  # "called the charges unsubstantiated"
NEEDS_OBJECT = frozenset(_LEX["object_content_needs_direct_object"])  # not "called into a radio show"
NEEDS_COMPLEMENT = frozenset(_LEX["object_content_needs_complement"]["verbs"])  # not "called a press conference"
CONTENT_PREPS = {k: frozenset(v) for k, v in _LEX["object_content_preps"].items() if not k.startswith("_")}
ADDRESSEE_VERBS = frozenset(_LEX["addressee_verbs"])  # 'told reporters that ...'
SOURCE_OBJECT = frozenset(_LEX["source_object_verbs"])  # "citing Idlib residents": a source, not content
RECEIVING = frozenset(_LEX["receiving_verbs"]["verbs"])  # 'admitted 10,000 refugees': no statement
THOUGHT_VERBS = frozenset(_LEX["thought_verbs"])
THOUGHT_NOUNS = frozenset(_LEX["thought_nouns"])
QUOTE_VERBS = frozenset(_LEX["quote_verbs"])  # 'He continued: "..."': the quotation only
RAISING_VERBS = frozenset(_LEX["raising_verbs"]["verbs"])  # 'the storm threatens to flood the city'
AS_VERBS = frozenset(_LEX["as_clause_verbs"])  # 'as one analyst put it', 'as Trump said last week'
TOPIC_VERBS = {k: frozenset(v) for k, v in _LEX["topic_verbs"].items() if not k.startswith("_")}  # 'spoke of ...'
EVIDENCE_VERBS = frozenset(_LEX["evidence_verbs"])
EVIDENCE_SOURCES = frozenset(_LEX["evidence_sources"])  # 'the poll shows Clinton ahead': its object is its finding
# things that may take a side: texts ('the article hailed Trump'), findings, and places that are also bodies
# ('the school endorses its views')
SOURCE_NOUNS = EVIDENCE_SOURCES | frozenset(_LEX["text_sources"]["nouns"]) | INSTITUTION_HEADS | LOCATIVE_HEADS
NOMINAL_RULES = frozenset({"reported-object", "nominal-act"})  # the content is a noun phrase
JUDGING_WORDS = {k: v for k, v in _LEX["judging_words"].items() if not k.startswith("_")}
JUDGING_ADJECTIVES = frozenset(_LEX["judging_adjectives"]["words"])
DESCRIBING_ADJECTIVES = frozenset(_LEX["judging_adjectives"]["describing_words"])
JUDGING_IDIOMS = [tuple(p.split()) for p in _LEX["judging_adjectives"]["idioms"]]
HEADLINE_PASSIVES = {k: v for k, v in _LEX["headline_passives"].items() if not k.startswith("_")}
ANONYMITY = re.compile("|".join(f"(?:{p})" for p in _LEX["anonymity_requests"]["patterns"]))  # 'asked not to be named'
ASKING_VERBS = _LEX["asking_verbs"]  # verbs that request only when they ask someone for something
QUOTING_VERBS = frozenset(_LEX["quoting_verbs"])  # 'quoted X as saying': X speaks
STANCE_ADJECTIVES = {k: tuple(v) for k, v in _LEX["stance_adjectives"].items() if not k.startswith("_")}
NAMING_VERBS = frozenset(_LEX["naming_verbs"]["verbs"])  # 'a group dubbed 'the Squad'': a name, no one's words
PRICE_VERBS = frozenset(_LEX["price_verbs"]["verbs"])  # 'it charges 5 per cent'
IN_SOURCES = {k: v for k, v in _LEX["in_sources"].items() if not k.startswith("_")}  # 'In his eyes, ...'
REGARDING_VERBS = frozenset(_LEX["regarding_verbs"]["verbs"])  # 'critics saw it as an attempt to ...'
CIRCUMSTANCE_PREPS = frozenset(_LEX["circumstance_prepositions"])  # 'in 2015', 'during the debate': no content
CONTENT_STANCES = {k: (frozenset(v) if isinstance(v, list) else v) for k, v in _LEX["content_stances"].items()
                   if not k.startswith("_")}
NEGATED_STANCES = {k: v for k, v in _LEX["negated_stances"].items() if not k.startswith("_")}
TITLE_QUOTES = {k: (frozenset(v) if isinstance(v, list) else v) for k, v in _LEX["title_quotes"].items()
                if not k.startswith("_")}
LEMMA_FIXES = {k: v for k, v in _LEX["lemma_fixes"].items() if not k.startswith("_")}
ACCORDING_TO = tuple(tuple(p.split()) for p in _LEX["according_to"])  # ('according', 'to'), ('per',)
NEEDS_SPEAKER = frozenset(tuple(p.split()) for p in _LEX["according_to_needs_speaker"])  # 'per cent', 'per day'
_ENTITIES = lexicons.load("entities")
PEOPLE_NOUNS = frozenset(_ENTITIES["human_nouns"]) | {w.rstrip("s") for w in _ENTITIES["group_heads"]} | \
    frozenset(lexicons.load("relations")["role_nouns"])
ORG_HEADS = frozenset(_ENTITIES["org_heads"])  # 'police', 'the ministry': a body that can speak
RELATIVE = frozenset({"who", "which", "that"})
OPENERS, CLOSERS, AMBIGUOUS = "“«„", "”»", '"'
QUOTE_CHARS = OPENERS + CLOSERS + AMBIGUOUS
SINGLE_MARKS = "‘’'"  # quote marks that are also apostrophes
CharSpans = Sequence[tuple[int, int]]  # character spans (start, end), in text order


@dataclass(frozen=True)
class Found:
    """A statement before entity ids are attached: token-level speaker and char-level spans."""

    content: tuple[int, int]
    kind: str
    sentence: tuple[int, int]
    speaker_tokens: tuple[int, ...]  # heads of the speaker phrase(s); several for joint speakers
    speaker_span: tuple[int, int] | None
    cue: tuple[int, int] | None
    cue_lemma: str | None
    stance: str | None
    rule: str
    confidence: float
    mode: str = "speech"  # speech | thought | nominal (kg.model.MODES)
    parts: tuple[tuple[int, int], ...] = ()  # the quotes a joined statement is made of; () when it is one


def _lemma(tok: Token) -> str:
    """The token's lemma, where the small model's is wrong ('hoped' -> 'hop') as the lexicon fixes it."""
    return LEMMA_FIXES.get(tok.lower_, tok.lemma_.lower())


_DOUBLE_MARK_OR_LINE = re.compile("\n|''|``|[" + re.escape(QUOTE_CHARS) + "]")


def find_quotes(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Character spans of quoted text (marks excluded) in ``text[start:end]``, paragraph by paragraph.

    Curly and straight double quotes, mixed freely; a quote left open runs to the end of its paragraph
    (news style for quotes that continue in the next paragraph), so an odd number of marks never loses more.

    >>> t = 'He said "we will win," and left. "Open quote\\nNext'
    >>> [t[s:e] for s, e in find_quotes(t)]
    ['we will win,', 'Open quote']
    >>> t = "‘We don’t know,’ he said. ''It's more tinkering,'' said Cole."
    >>> [t[s:e] for s, e in find_quotes(t)]
    ['We don’t know,', "It's more tinkering,"]
    >>> t = "”Fear. I am afraid.” ― Karen Bobadilla."
    >>> [t[s:e] for s, e in find_quotes(t)]
    ['Fear. I am afraid.']
    >>> t = 'Li said . " We are waiting , " Li said .'
    >>> [t[s:e] for s, e in find_quotes(t)]
    ['We are waiting ,']

    A spaced straight mark after a comma and before a lowercase word closes a quote ('today , " said Henke'): when
    one such comes with no quote open, a mark went missing before it, and the quote ran from the last mark.

    >>> t = 'Lee won . " It was hard , he said . " Bob was fine , " said Lee . " I am happy , " he said .'
    >>> [t[s:e] for s, e in find_quotes(t)]
    ['It was hard , he said .', 'Bob was fine ,', 'I am happy ,']
    """
    end = len(text) if end is None else end
    spans, open_at, stray = [], None, False  # stray: the open quote's mark stood between spaces
    last = None  # where the paragraph's last mark ended
    # the marks and line ends, the only characters that change anything (a pair may end just past ``end``)
    for found in _DOUBLE_MARK_OR_LINE.finditer(text, start, min(len(text), end + 1)):
        pos = found.start()
        if pos >= end:
            break
        ch = text[pos]
        width = found.end() - pos  # 2 for typewriter quotes in NYT-style text ('' and ``)
        if ch == "\n":
            if open_at is not None and pos > open_at and not stray:
                spans.append((open_at, pos))
            open_at = last = None
        elif ch in QUOTE_CHARS or width == 2:
            prev = text[pos - 1] if pos > start else " "
            nxt = text[pos + width] if pos + width < end else " "
            at_word = (prev.isspace() or prev in "([{—–-:") and not nxt.isspace()
            # a closing mark at a word's start with no quote open opens one: a typo ('”Fear. I am afraid...”');
            # a straight mark between spaces opens and closes in turn, as in tokenised wire text ('said . " I ...
            # waiting , " Li said'); one that no mark closes in its paragraph is a stray, no quote
            spaced = ch == '"' and prev.isspace() and nxt.isspace()
            if spaced and open_at is None and _closes(text, pos, end):
                if last is not None and pos > last:  # a mark went missing: the quote ran from the last one
                    spans.append((last, pos))
            elif ch in OPENERS or ch == "`" or at_word and (ch in AMBIGUOUS or width == 2 or open_at is None) \
                    or spaced and open_at is None:
                if open_at is None:
                    open_at, stray = pos + width, spaced
                # an opener inside an open quote starts a nested quote: keep the outer one
            elif open_at is not None:
                if pos > open_at:
                    spans.append((open_at, pos))
                open_at = None
            last = pos + width
    if open_at is not None and end > open_at and not stray:
        spans.append((open_at, end))
    starts = [s for s, _ in spans]  # in text order, and they do not overlap
    spans += [q for q in _single_quotes(text, start, end)
              if (k := bisect_right(starts, q[0]) - 1) < 0 or q[0] >= spans[k][1]]  # not inside a double quote
    outer, reach = [], -1
    for s, e in sorted(set(spans), key=lambda q: (q[0], -q[1])):
        if e > reach:  # a quote inside another ('I said "no" and left,' he said) is part of it
            outer.append((s, e))
            reach = e
    return sorted((s, e) for s, e in (_strip(text, s, e) for s, e in outer) if e > s)


def _closes(text: str, pos: int, end: int) -> bool:
    """Whether the straight mark at ``pos`` can only close a quote: a comma before it and a reporting verb after
    it ('today , " said Henke'; not 'he said , " especially as ...', which opens the quote's second part)."""
    if not text[max(0, pos - 8):pos].rstrip().endswith(","):
        return False
    word = text[pos + 1:min(end, pos + 16)].split()[:1]
    w = word[0] if word else ""
    # ('says', 'noted': the lemma less one letter; 'added': less two)
    return w.islower() and (w in ("said", "told", "wrote") or bool({w[:-1], w[:-2]} & VERBS.keys()))


_SINGLE_MARK_OR_LINE = re.compile("[\n‘’']")


def _single_quotes(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """‘British-style’ quotes, curly or straight ('You wear leotards,' she said). Both marks are also the
    apostrophe, so a mark opens a quote only at a word's start (not 'the '90s', 'rock 'n' roll') and closes one
    only before a non-letter (don’t, Trump’s stay apostrophes). A quote ends with its line; one left open runs to
    the line's end when it opened the line or followed a colon ('She added: 'I am ...'), as a quote that goes on
    in the next paragraph does."""
    spans: list[tuple[int, int]] = []
    open_at, mark, clear = None, "", False  # clear: the quote opened its line or followed a colon
    for found in _SINGLE_MARK_OR_LINE.finditer(text, start, end):  # the other characters change nothing
        pos = found.start()
        ch = text[pos]
        prev = text[pos - 1] if pos > start else "\n"
        nxt = text[pos + 1] if pos + 1 < end else " "
        if ch == "\n":
            if open_at is not None and clear and pos > open_at:
                spans.append((open_at, pos))
            open_at = None
        elif open_at is None and (ch == "‘" and not prev.isalnum() or ch == "'" and _opens_straight(text, pos, end)):
            k = pos - 1  # the last character before the mark that is not a space or a tab
            while k >= start and text[k] in " \t":
                k -= 1
            open_at, mark, clear = pos + 1, ch, k < start or text[k] in "\n:"
        elif ch == ("’" if mark == "‘" else "'") and open_at is not None and not nxt.isalpha() \
                and pos - open_at >= 2 and not prev.isspace() and not _possessive(text, pos, end, open_at, mark):
            spans.append((open_at, pos))
            open_at = None
    if open_at is not None and clear and end > open_at:
        spans.append((open_at, end))
    return spans


# a straight mark that opens a word is an elision, not a quote, before these ('em, 'til, 'n', 'tis)
_ELISIONS = re.compile(r"(?:em|til|cause|cos|n|tis|twas|bout|nuff|round|s)\b", re.IGNORECASE)


def _opens_straight(text: str, pos: int, end: int) -> bool:
    prev = text[pos - 1] if pos > 0 else "\n"
    return (prev.isspace() or prev in "([{—–-:\"“") and pos + 1 < end and text[pos + 1].isalpha() \
        and not _ELISIONS.match(text, pos + 1, end)


def _possessive(text: str, pos: int, end: int, open_at: int, mark: str) -> bool:
    """A plural's apostrophe ('the players' union') rather than the quote's end: after an s, before a space,
    when the quote is one word or a later mark on the line closes it after punctuation."""
    if text[pos - 1] not in "sS" or pos + 1 < end and text[pos + 1] != " ":
        return False
    if " " not in text[open_at:pos]:
        return True
    line_end = text.find("\n", pos, end)
    rest = text[pos + 1:line_end if line_end >= 0 else end]
    closer = "’" if mark == "‘" else "'"
    return any(rest[i - 1] in ",.?!" for i in range(1, len(rest)) if rest[i] == closer
               and (i + 1 == len(rest) or not rest[i + 1].isalpha()))


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _inside(pos: int, spans: CharSpans) -> bool:
    return any(s <= pos < e for s, e in spans)


def _char_span(doc: Doc, i: int, j: int) -> tuple[int, int] | None:
    """Characters of tokens i..j-1 with punctuation and space trimmed at both ends, else None."""
    while i < j and (doc[i].is_punct and doc[i].text not in QUOTE_CHARS or doc[i].is_space or doc[i].dep_ == "mark"
                     and doc[i].lower_ in ("that", "whether")):
        i += 1
    while j > i and (doc[j - 1].is_punct and doc[j - 1].text not in QUOTE_CHARS or doc[j - 1].is_space):
        j -= 1
    if i >= j:
        return None
    return doc[i].idx, doc[j - 1].idx + len(doc[j - 1].text)


def _balanced_strip(text: str, s: int, e: int) -> tuple[int, int]:
    """Drop a leading/trailing quote mark that has no partner inside the span."""
    inner = text[s:e]
    n = sum(inner.count(c) for c in QUOTE_CHARS)
    if n % 2 == 1:
        if text[s] in QUOTE_CHARS:
            s += 1
        elif text[e - 1] in QUOTE_CHARS:
            e -= 1
        elif s > 0 and text[s - 1] in OPENERS + AMBIGUOUS:
            s -= 1  # '"budget reforms" and ...': the quotation's opening mark, which the parse left out
    return _strip(text, s, e)


def _quoted_as(verb: Token) -> Token | None:
    """Who a verb of quoting quotes ('Interfax quoted Chernomyrdin as saying ...', 'Edwards was quoted as saying
    ...'; lexicon quoting_verbs): its object, or in the passive its subject."""
    if verb.dep_ != "pcomp" or verb.head.lower_ != "as" or _lemma(verb.head.head) not in QUOTING_VERBS:
        return None
    quoting = verb.head.head
    return next((c for c in quoting.children if c.dep_ == "dobj"), None) or next(
        (c for c in quoting.children if c.dep_ == "nsubjpass"), None)


def _quoted_name(text: str, verb: Token, quotes: CharSpans) -> bool:
    """Whether a verb of naming has a short quotation for its object: 'a group dubbed 'the Squad'', 'the
    marshmallow labelled 'one'' (the parser makes the participle a main verb and the noun its subject); not
    'called the plan "a disaster"', whose object is the plan, nor a quotation that is a sentence ('called
    "Help!"')."""
    objects = [c for c in verb.children if c.dep_ in ("dobj", "oprd")]
    quote = next(((s, e) for s, e in quotes if objects and s <= objects[0].idx < e), None)
    if quote is None or any(not quote[0] <= t.idx < quote[1] for c in objects for t in c.subtree if not t.is_punct):
        return False  # 'calls Obamacare 'crazy system'': the object reaches out of the quotation
    words = text[quote[0]:quote[1]].rstrip(",; ").split()
    return len(words) <= _LEX["naming_verbs"]["max_words"] and not any(c in " ".join(words) for c in ".!?;:")


def _subjects(verb: Token) -> list[Token]:
    subj = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
    # 'German police searching for a missing girl said ...', parsed as a clause that is the subject: its own
    # subject speaks
    subj = [next((k for k in c.children if k.dep_ == "nsubj" and k.i < c.i), c)
            if c.dep_ == "csubj" and c.tag_ in ("VBG", "VBN") else c for c in subj]
    if not subj:  # 'Europeans are worried ...' with 'Europeans' hung on the auxiliary
        subj = [k for c in verb.children if c.dep_ in ("aux", "auxpass") for k in c.children if k.dep_ in SUBJECT_DEPS]
    if not subj and verb.head.pos_ in ("VERB", "AUX") and (
            verb.dep_ == "conj" or verb.tag_ == "VBG" and verb.dep_ in ("advcl", "xcomp", "conj")):
        # "X stood up and said ...", "X left, saying ...": the governing verb's subject speaks; 'the war left
        # many nations feeling that ...': the object of the verb a participle completes does
        # ('uses footage of Hillary Clinton asking ...': the person who ends the object)
        objects = [c.right_edge if c.right_edge.ent_type_ == "PERSON" and c.right_edge.dep_ == "pobj" else c
                   for c in verb.head.children if c.dep_ == "dobj" and c.i < verb.i] \
            if verb.dep_ == "xcomp" and verb.tag_ == "VBG" else []
        subj = objects or [c for c in verb.head.children if c.dep_ in SUBJECT_DEPS]
    if not subj and verb.tag_ == "VBG" and verb.dep_ == "pcomp":
        # "X began by saying ...", "after saying ..., X left": the governing verb's subject speaks; "they
        # praised X for saying ...", "accused X of saying ...": its object does
        gov = verb.head
        for _ in range(2):  # the preposition, and a word it hangs on ('aside from saying')
            if gov.pos_ in ("VERB", "AUX"):
                break
            gov = gov.head
        if gov.pos_ in ("VERB", "AUX") and gov.i != verb.i:
            objects = [c for c in gov.children if c.dep_ == "dobj"] if verb.head.lower_ in ("for", "of") else []
            subj = objects or _subjects(gov)
    if not subj:
        agent = [c for c in verb.children if c.dep_ == "agent"]
        subj = [g for a in agent for g in a.children if g.dep_ == "pobj"]
    if not subj and verb.dep_ == "ROOT" and verb.i > verb.sent.start:
        # 'In a meeting with the board of the Washington Post Trump said that ...': the parser hung the name
        # before the verb on the phrase before it; a name right before a reporting verb is its subject
        prev = verb.doc[verb.i - 1]
        if prev.pos_ == "PROPN" and prev.dep_ in ("pobj", "appos", "npadvmod") and (
                prev.head.lower_ != "of" or prev.ent_type_ not in ("GPE", "LOC", "NORP", "FAC")):
            subj = [prev]  # ('Tono Eitel of Germany said': not Germany)
    return subj


def _speaker(subj: Token, name_only: bool = False) -> tuple[tuple[int, ...], tuple[int, int]]:
    # 'Irish soccer manager Mick McCarthy said', parsed with the title as the head and the name as its
    # apposition: the name speaks
    # ('Pirelli chairman and chief executive officer Marco Tonchetti Provera said': after the last title)
    last_title = max(k.i for k in (subj, *subj.conjuncts) if k.i >= subj.i)
    named = [c for c in subj.children if c.dep_ == "appos" and c.left_edge.i == last_title + 1 and c.pos_ == "PROPN"
             and any(t.ent_type_ in ("PERSON", "ORG") for t in c.subtree)] if subj.pos_ == "NOUN" else []
    hung = _hung_name(subj) if not named else None
    named = [hung] if hung is not None else named
    head = named[0] if named else subj
    # a joined speaker must be able to speak: not 'violence' of 'Union leaders and violence against women
    # campaigners', a parse that joins the wrong words
    heads = [head] + [c for c in head.conjuncts if c.i > head.i and can_act(c)]
    left = subj.left_edge.i if hung is None else hung.left_edge.i
    if name_only:  # a name the parser hung on the phrase before it: the name alone
        left = subj.i
        while left > subj.left_edge.i and subj.doc[left - 1].pos_ == "PROPN":
            left -= 1
    right = max(h.i for h in heads)
    # trim relative clauses and appositions off the speaker phrase
    for c in subj.children:
        if c.dep_ in ("appos", "relcl", "acl", "prep") and c.i > subj.i and c.i <= right + 1 and c not in named:
            right = min(right, c.i - 1)
    span = (subj.doc[left].idx, subj.doc[right].idx + len(subj.doc[right].text))
    return tuple(h.i for h in heads), span


def _hung_name(subj: Token) -> Token | None:
    """A name the parser hung as an apposition on a thing it took for the subject ('With 50 days until the
    election, Minyon Moore, a senior adviser, called ...', parsed with 'election' the subject): the name."""
    if subj.pos_ != "NOUN" or can_act(subj) or _names_someone(subj) or subj.lemma_.lower() in SOURCE_NOUNS:
        return None
    return next((c for c in subj.children if c.dep_ == "appos" and c.pos_ == "PROPN"
                 and c.ent_type_ in ("PERSON", "ORG")), None)


def antecedent(relative: Token) -> Token:
    """The noun a relative pronoun's clause hangs on; for 'who', the one a place only locates ('a woman in Kuala
    Lumpur, Malaysia, who wanted ...': the woman)."""
    noun = relative.head.head
    if relative.lower_ != "who":
        return noun
    place = noun
    while place.dep_ == "appos" and place.ent_type_ in _PLACES:
        place = place.head
    if place.ent_type_ in _PLACES and place.dep_ == "pobj" and place.head.head.pos_ == "NOUN":
        return place.head.head
    return noun


_PLACES = ("GPE", "LOC", "FAC")


def _subjectless(verb: Token, comp: Token) -> bool:
    """Whether a clause the parser hung on a cue is the predicate of the noun the cue qualifies ('Everything Trump
    says is a lie', 'The loopholes he cited are ...'): it opens with its own finite verb and has no subject, and
    the cue is a relative clause or its subject comes after a common noun of its phrase. Not a headline's dropped
    subject ('Ericsson says wins China order')."""
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    return comp.dep_ == "ccomp" and comp.tag_ in ("VBZ", "VBD", "VBP") and comp.left_edge.i == comp.i == verb.i + 1 \
        and not any(c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for c in comp.children) \
        and (verb.dep_ == "relcl" or subject is not None and subject.left_edge.tag_ in ("NN", "NNS")
             and subject.left_edge.i < subject.i and subject.tag_ != subject.left_edge.tag_)


def _object_gap(verb: Token, comp: Token) -> bool:
    """Whether a reporting verb in a relative clause of its own subject reports an infinitive whose object is the
    noun the clause qualifies ('the target it pledged to reach', 'the loopholes she might seek to close'), not
    one that holds its object ('the reasons that Trump refuses to make public his returns')."""
    return comp.dep_ == "xcomp" and verb.dep_ == "relcl" \
        and any(k.dep_ == "nsubj" and k.lower_ not in RELATIVE for k in verb.children) \
        and not any(k.dep_ in ("dobj", "ccomp", "xcomp", "attr", "oprd") for t in comp.conjuncts + (comp,)
                    for k in t.children)


def _hung_after(doc: Doc, verb: Token, subj: list[Token], sent: Span) -> bool:
    """Whether the parser hung a closing attribution on the clause it reports ('Police have detained 26 members
    of the group, government newspapers reported on Friday.', with 'reported' an adverbial clause of
    'detained'): a comma, its subject, the verb and nothing it governs but adverbials, to the sentence's end."""
    return verb.dep_ == "advcl" and verb.head == sent.root and verb.head.i < verb.i and bool(subj) \
        and subj[0].left_edge.i > sent.start and doc[subj[0].left_edge.i - 1].text == "," \
        and not any(c.dep_ in ("ccomp", "xcomp", "dobj", "dative", "mark") for c in verb.children) \
        and all(t.is_punct for t in doc[verb.right_edge.i + 1:sent.end])


def _verb_content(doc: Doc, verb: Token, sent: Span) -> tuple[tuple[int, int] | None, str]:
    """Content of reported speech governed by ``verb``, and the rule that found it."""
    subj = _subjects(verb)
    if subj and _as_clause(verb):
        # 'As one analyst put it, the plan is dead', 'the plan, as Smith said, is dead': the clause it qualifies
        first, last = verb.left_edge.i, verb.right_edge.i
        if first <= sent.start + 1:  # from the comma that closes the clause ('As Trump said last week, ...')
            comma = next((t.i for t in doc[verb.i + 1:sent.end] if t.text == ","), last)
            return _char_span(doc, max(comma, last) + 1, sent.end), "reported-parenthetical"
        if last >= sent.end - 2:
            return _char_span(doc, sent.start, first), "reported-parenthetical"
        return _char_span(doc, sent.start, sent.end), "reported-parenthetical"
    if subj and (around := _parenthetical(doc, verb, subj[0], sent)):
        first, k = around
        # a clause of its own ('as they bristled at ...'), not a participle, which goes on with what was said
        # ('Twitter announced, gaining 22,000 followers', 'experts say, including a provision ...')
        adverbials = {t.i for c in verb.children if c.dep_ == "advcl" and any(
            w.dep_ in ("mark", "nsubj", "nsubjpass") for w in c.children) for t in c.subtree}
        if all(t.i in adverbials for t in doc[k + 1:sent.end] if not (t.is_punct or t.is_space)):
            # '..., top black lawmakers said Friday, as they bristled at ...': the rest tells of the attribution
            return _char_span(doc, sent.start, first - 1), "reported-preposed"
        # "Lenox was a juggernaut, Mr. Clarke said, until it went bankrupt": the sentence around the attribution
        return _char_span(doc, sent.start, sent.end), "reported-parenthetical"
    comps = [c for c in verb.children
             if c.dep_ in ("ccomp", "xcomp", "parataxis") and c.pos_ in ("VERB", "AUX", "NOUN", "ADJ")
             or _unmarked_clause(c, verb)]
    if not comps and _lemma(verb) in ADDRESSEE_VERBS:
        # 'he told a meeting of Pacific Island leaders that few people understood ...', parsed as a relative clause
        # of whom he told: a 'that' that fills no gap in a clause with a subject of its own opens what was told
        comps = [c for o in verb.children if o.dep_ == "dobj" for c in o.subtree if c.dep_ == "relcl"
                 and any(k.dep_ == "mark" and k.lower_ == "that" and k.i < c.i for k in c.children)
                 and any(k.dep_ in ("nsubj", "nsubjpass") and k.lower_ not in RELATIVE for k in c.children)][:1]
    after = [c for c in comps if c.i > verb.i]
    before = [c for c in comps if c.i < verb.i]
    if after and _object_gap(verb, after[0]):
        return None, ""  # 'the goal China pledged to reach': what it pledged is the noun, which no content holds
    if after and _subjectless(verb, after[0]):
        return None, ""  # 'Everything Trump says is a lie': the cue is in a clause that qualifies the subject
    if after:
        c = after[0]
        # a subject the parser hung on the reporting verb ("promised the U.S. would ...") belongs to the content
        # ('told reporters that ...': the object of a verb of telling is whom it was told to)
        hung = ("nsubj", "nsubjpass") if _lemma(verb) in ADDRESSEE_VERBS else ("nsubj", "dobj", "nsubjpass")
        start = min([c.left_edge.i] + [k.left_edge.i for k in verb.children if k.dep_ in hung and verb.i < k.i < c.i])
        if start < verb.i:  # 'the arms, which the spokesman said came from ...': what is said comes after the cue
            start = min(t.i for t in c.subtree if t.i > verb.i)
        # 'said damage was heavy and forces were defending the city', parsed as two clauses of the verb: both
        # (not another attribution: 'Republicans said ... and Democrats accused the GOP of ...')
        joined = [k for k in after[1:] if c.dep_ == k.dep_ == "ccomp" and k.right_edge.i < sent.end
                  and not (_lemma(k) in VERBS and any(x.dep_ == "nsubj" and x.pos_ in ("NOUN", "PROPN")
                                                      for x in k.children))
                  and all(t.dep_ in ("cc", "punct") for t in doc[c.right_edge.i + 1:k.left_edge.i])][:1]
        # '..., while a different user wrote: ...': another attribution closes the content
        stop = min([d.left_edge.i for k in (c, *joined) for d in k.subtree if d.i > c.i and _attribution_within(d)]
                   + [max(k.right_edge.i for k in (c, *joined)) + 1])
        while stop > start + 1 and (doc[stop - 1].text in ",;:" or doc[stop - 1].dep_ == "cc"):
            stop -= 1
        return _char_span(doc, start, stop), "reported-ccomp"
    if before or _hung_after(doc, verb, subj, sent):
        # "..., the ministry said." The content is what precedes the attribution.
        stop = min([s.left_edge.i for s in subj] + [verb.i])
        return _char_span(doc, sent.start, stop), "reported-preposed"
    objs = [c for c in verb.children if c.dep_ in ("dobj", "prep", "dative", "oprd") and c.i > verb.i]
    lemma = _lemma(verb)
    direct_object = any(o.dep_ in ("dobj", "oprd") for o in objs)
    # 'denied the use of ...', 'warned X against ...', 'called the charges unsubstantiated' -- not 'called into'
    stance = VERBS.get(lemma)
    # 'called for more school investment': the preposition's object is the content
    via = [o for o in objs if o.dep_ == "prep" and o.lower_ in CONTENT_PREPS.get(lemma, ()) and o.i == verb.i + 1]
    if _names_a_price(verb):
        return None, ""  # 'it charges 5 per cent': a price, no charge
    sources = lemma in SOURCE_OBJECT and any(o.dep_ == "dobj" and _names_someone(o) for o in objs) \
        or lemma in RECEIVING and any(o.dep_ == "dobj" and o.left_edge.i == verb.i + 1
                                      and (_names_someone(o) or can_act(o)) for o in objs)
    # 'a new poll shows Clinton ahead', 'a 2014 study found 31 incidents': what a thing gives as evidence
    evidence = lemma in EVIDENCE_VERBS and direct_object and subj and subj[0].dep_ == "nsubj" \
        and subj[0].lemma_.lower() in EVIDENCE_SOURCES and not any(c.dep_ == "prt" for c in verb.children)
    # 'called the charges unsubstantiated', 'branded North Korea an outlaw nation' (two objects), 'called the
    # winner "Miss Piggy"', 'calls Obamacare ‘crazy system’': what it was called is there; 'called out' is
    # a verb of its own
    named = lemma not in NEEDS_COMPLEMENT or via or any(o.dep_ == "oprd" for o in objs) \
        or any(c.dep_ == "prt" and f"{lemma} {c.lower_}" in VERBS for c in verb.children) \
        or sum(o.dep_ == "dobj" for o in objs) > 1 \
        or any(t.dep_ == "appos" or t.text in QUOTE_CHARS or t.text in ("‘", "’") for o in objs
               if o.dep_ == "dobj" for t in o.subtree)  # (not "'", which is as often a plural's genitive)
    # a phrase of time or place alone says nothing ('rejected in 2015', 'detailed in SEC filings')
    circumstance = all(o.dep_ == "prep" and o.lower_ in CIRCUMSTANCE_PREPS for o in objs)
    # a thing that is neither someone nor a text or a source of evidence takes no side ('the latest evidence in no
    # way supported the allegations', 'research grants supported the development of this algorithm'); it may
    # show or reveal ('the section revealed a yawning gulf': evidence, a thought statement)
    thing = bool(subj) and subj[0].dep_ == "nsubj" and subj[0].pos_ == "NOUN" and not can_act(subj[0]) \
        and not _names_someone(subj[0]) and subj[0].lemma_.lower() not in SOURCE_NOUNS \
        and lemma not in EVIDENCE_VERBS and lemma not in THOUGHT_VERBS and _hung_name(subj[0]) is None
    if objs and (stance not in (None, "assert") or lemma in OBJECT_CONTENT or evidence) and not thing and \
            (direct_object or lemma not in NEEDS_OBJECT or via) and named and not sources and not circumstance:
        last = max(o.right_edge.i for o in objs)
        first = objs[0].left_edge.i if not via else via[0].i + 1
        return _char_span(doc, first, last + 1), "reported-object"
    if verb.i >= sent.end - 2 or (verb.i + 1 < sent.end and doc[verb.i + 1].is_punct and doc[verb.i + 1].text in ".!?"):
        # the subject next to the verb: the parser may take a noun of the clause reported for another one
        # ('The four "loopholes" he cited are "...," The Hill reported')
        subj = sorted(_subjects(verb), key=lambda t: abs(t.i - verb.i))
        # "..., the ministry added." -- only when a comma or closing quote sets the attribution off
        if subj and subj[0].left_edge.i > sent.start + 2 and doc[subj[0].left_edge.i - 1].text in (",", "”", '"'):
            return _char_span(doc, sent.start, subj[0].left_edge.i), "reported-preposed"
    return None, ""


def _attribution_within(d: Token) -> bool:
    """Whether a verb inside reported content starts an attribution of its own: a verb of speech with someone for
    its subject, set off by 'while', 'whereas', 'though' or 'although', or joined by a conjunction ('Some say
    women would not be as funny, and some say ...'); not 'because he doubted ...' nor 'and the data show ...'."""
    lemma = _lemma(d)
    if lemma not in VERBS or lemma in THOUGHT_VERBS or lemma in EVIDENCE_VERBS:
        return False
    if not any(k.dep_ == "nsubj" and someone(k) for k in d.children):
        return False
    return d.dep_ == "conj" or d.dep_ == "advcl" and any(
        k.dep_ == "mark" and k.lower_ in ("while", "whereas", "though", "although") for k in d.children)


def _unmarked_clause(c: Token, verb: Token) -> bool:
    """'Trump said after the convention he would not accept it': a clause with a subject of its own and no
    conjunction that the parser hung on the reporting verb as an adverbial clause is what was said."""
    return c.dep_ == "advcl" and c.i > verb.i and c.pos_ in ("VERB", "AUX") and c.tag_ != "VBG" \
        and any(k.dep_ in ("nsubj", "nsubjpass") for k in c.children) \
        and not any(k.dep_ in ("mark", "advmod") and k.i < c.i for k in c.children)


def _whole_quote(text: str, content: tuple[int, int], quotes: CharSpans) -> tuple[int, int]:
    """Content that opens a quotation going on past it (past its sentence: 'Limbaugh told his audience, "What
    has happened is this. The campaign has sent ..."') runs to the quotation's end: the quotation is one
    statement."""
    s, e = content
    for qs, qe in quotes:
        if qs <= s < qe and e < qe and _only_marks(text[qs:s]):
            return _strip(text, s, qe)
    return content


def _names_someone(obj: Token) -> bool:
    """'Idlib residents', 'officials', 'Reuters': people or a body, not a thing said."""
    return obj.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or obj.lemma_.lower() in PEOPLE_NOUNS


def _as_clause(verb: Token) -> bool:
    """'as one analyst put it', 'as Trump said last week': an adverbial clause opened by 'as', with a verb of
    lexicon as_clause_verbs and nothing said in it (a verb that is no reporting verb, 'put', with 'it' as its
    object); not 'as I write', 'as he protested about a goal' (a time), 'as far as I know'."""
    lemma = _lemma(verb)
    if lemma not in AS_VERBS or verb.dep_ != "advcl":
        return False
    marks = [c for c in verb.children if c.dep_ == "mark" and c.lower_ == "as" and c.i < verb.i]
    objects = [c for c in verb.children if c.dep_ in ("dobj", "ccomp", "xcomp", "dative")]
    wanted = [] if lemma in VERBS else ["it"]  # 'as X put it': a verb that reports only so
    return bool(marks) and [c.lower_ for c in objects] == wanted and (
        marks[0].i == 0 or verb.doc[marks[0].i - 1].lower_ != "far")


def _parenthetical(doc: Doc, verb: Token, subj: Token, sent: Span) -> tuple[int, int] | None:
    """', he said,' set off by commas in the middle of its sentence, with the subject next to the verb: the
    tokens of the attribution's first word and of the comma that closes it."""
    first, last = min(subj.left_edge.i, verb.i), max(subj.i, verb.i)
    if last - first > 12 or abs(subj.i - verb.i) > 1 and subj.i > verb.i:
        return None
    k = last + 1
    while k < sent.end and k - last <= 4 and doc[k].dep_ in ("npadvmod", "advmod", "prep", "pobj", "det", "compound"):
        k += 1  # ', he told me on Friday,'
    if (first - 1 > sent.start and doc[first - 1].text == ","
            and k < sent.end - 2 and doc[k].text == ","
            and not any(c.dep_ == "ccomp" and c.i > verb.i for c in verb.children)):
        return first, k
    return None


def _around_attribution(doc: Doc, verb: Token, subj: Token, sent: Span, content: tuple[int, int]
                        ) -> tuple[tuple[int, int], ...]:
    """The two parts of a content that an attribution set off by commas splits ('Back in Virginia, | Mr. Clarke
    said, | he decided to ...'), else ()."""
    around = _parenthetical(doc, verb, subj, sent) if not _as_clause(verb) else None
    if around is None:
        return ()
    first, k = around
    before = _char_span(doc, sent.start, first - 1)
    after = _char_span(doc, k + 1, sent.end)
    if before is None or after is None or not content[0] <= before[0] or after[1] > content[1]:
        return ()
    return _balanced_strip(parsed.text(doc), *before), _balanced_strip(parsed.text(doc), after[0], content[1])


def _is_title(text: str, span: tuple[int, int]) -> bool:
    """Whether a quotation is a title ('Fox News Sunday,', 'Face the Nation', 'Make Your Kid a Millionaire'):
    every word capitalised but small words after the first, and no stop inside (lexicon title_quotes).

    >>> _is_title('on "Face the Nation," he said', (4, 20)), _is_title('"We will win," he said', (1, 13))
    (True, False)
    """
    words = text[span[0]:span[1]].rstrip(",.;: ").split()
    t = TITLE_QUOTES
    if not t["min_words"] <= len(words) <= t["max_words"] or any(c in " ".join(words) for c in ".!?;:"):
        return False
    return words[0][:1].isupper() and all(w[:1].isupper() or w[:1].isdigit() or w.lower() in t["lower_words"]
                                          for w in words[1:])


def _only_marks(text: str) -> bool:
    return all(c.isspace() or c in QUOTE_CHARS or c in ",:;.—–-'`" for c in text)


# ', referring to the 1 percent excuse, ' between an attribution and the rest of its quote, in one sentence
_ASIDE = re.compile(r",[^\"“”‘’'\n;:.!?]{1,100},\s*[\"“‘']*")


def _adjacent_quotes(text: str, doc: Doc, verb: Token, subj: Token, sent: Span, quotes: CharSpans
                     ) -> list[tuple[int, int]]:
    """Quotes attributed by this verb: '"...," X said', 'X said: "..."', '"...," said X, "..."', '"...," X said,
    referring to ..., "..."'."""
    left = min(subj.left_edge.i, verb.i)
    right = max(subj.i, verb.i) if subj.i < verb.i + 3 else verb.i
    left_char = doc[left].idx
    right_char = doc[right].idx + len(doc[right].text)
    out = []
    for qs, qe in quotes:
        gap = text[qe:left_char]
        # '"...," he said': a comma (or ? ! —) closes the quote; a full stop or a line break ends it instead
        if qe <= left_char and _only_marks(gap) and "\n" not in gap and (
                "," in gap or qe > 0 and text[qe - 1] in ",?!—–-") and not _ends_a_clause(text, sent, qs):
            out.append((qs, qe))
        elif qs >= right_char and qs <= sent.end_char + 2 and not _opens_a_clause(doc, verb, qs, qe) and (
                _only_marks(text[right_char:qs]) or _ASIDE.fullmatch(text[right_char:qs])
                or _describes_speaker(doc, verb, subj, right_char, qs)) and (
                subj.dep_ != "nsubjpass" or not any(c in text[right_char:qs] for c in ".;")) and (
                "\n" not in text[right_char:qs] or ":" in text[right_char:qs]):
            # 'X said: "..."', '..., X said. "..."' (the speaker goes on), not 'The plan was criticized. "..."';
            # across a paragraph break only after a colon ('X said:' ending its paragraph)
            out.append((qs, qe))
    return out


_CLAUSE_BREAK = re.compile(r"[.!?:;—–\n]|\s-{1,2}\s")


def _ends_a_clause(text: str, sent: Span, qs: int) -> bool:
    """Whether a quotation before its attribution ends a clause the writer began without a break ('..., a top
    priority ''is increasing the tax liability,'' Mr. Kamin said'): the attribution reports the whole clause, of
    which the quotation is a part. Not '"...," he said', nor 'Asked about it, "...," he said'."""
    before = _CLAUSE_BREAK.split(text[sent.start_char:qs])[-1].rstrip(QUOTE_CHARS + SINGLE_MARKS + "` ")
    return before[-1:].isalnum()


def _opens_a_clause(doc: Doc, verb: Token, qs: int, qe: int) -> bool:
    """Whether a quotation after its attribution opens a clause that goes on past it ('he said "budget reforms"
    and the collection of unpaid taxes would help'): a phrase in marks that the clause after it goes on with is a
    part of what was said, not all of it. A clause of its own in the marks is a whole quotation ('he said "we will
    win" and left')."""
    text = parsed.text(doc)
    if text[qs:qe].rstrip()[-1:] in tuple(".!?,;:—–-"):
        return False
    j = qe
    while j < len(text) and (text[j] in QUOTE_CHARS + SINGLE_MARKS + "`" or text[j] == " "):
        j += 1
    first, after = doc.char_span(qs, qe, alignment_mode="expand"), doc.char_span(j, j + 1, alignment_mode="expand")
    if first is None or after is None or not (text[j].islower() or text[j].isdigit()):
        return False
    if any(t.pos_ in ("VERB", "AUX") and any(c.dep_ in ("nsubj", "nsubjpass") and first.start <= c.i < first.end
                                            for c in t.children) for t in first):
        return False  # a clause of its own in the marks is a whole quotation
    return any(c.left_edge.i <= first.start and after.start <= c.right_edge.i for c in verb.children
               if c.dep_ in ("ccomp", "xcomp", "parataxis"))


def _describes_speaker(doc: Doc, verb: Token, subj: Token, start: int, end: int) -> bool:
    """Whether the characters ``start:end`` between an attribution and the next quotation only name or describe
    the speaker ('"...," said Lee, an economist at the Acme Institute. "..."'), or whom a verb of telling
    addresses ('"...," one diner told me. "..."'): the quotation goes on, as readers and PolNeAR take it. Anything
    else there ('Bolton said in a speech on Monday in Washington.') ends it."""
    between = doc.char_span(start, end, alignment_mode="expand")
    if between is None or "\n" in between.text:
        return False
    told = [c for c in verb.children if c.dep_ in ("dobj", "dative") and _lemma(verb) in ADDRESSEE_VERBS]
    first = next((t for t in doc[between.end:] if not t.is_punct and not t.is_space), None)
    if first is not None and any(n.left_edge.i <= first.i <= n.right_edge.i for n in told):
        return False  # the quotation is part of what was told ('told MSNBC's "Morning Joe"'), not more words
    inside = [t for t in between if not t.is_punct and not t.is_space]
    return bool(inside) and all(any(n.left_edge.i <= t.i <= n.right_edge.i for n in [subj, *told]) for t in inside)


def _stance(verb: Token, lemma: str) -> tuple[str, str]:
    """The stance of a reporting verb and the cue's lemma: a phrasal verb's own ('called out' opposes, where
    'called' asserts), turned by a negation ('did not support' opposes)."""
    particle = next((c.lower_ for c in verb.children if c.dep_ == "prt"), None)
    if particle is None:  # 'called for a ceasefire', 'called on Russia to': a preposition, not a date ('on Monday')
        particle = next((c.lower_ for c in verb.children if c.dep_ == "prep" and f"{lemma} {c.lower_}" in VERBS
                         and not any(o.ent_type_ in ("DATE", "TIME") for o in c.children)), None)
    if particle and f"{lemma} {particle}" in VERBS:
        lemma = f"{lemma} {particle}"
    stance = VERBS[lemma]
    if any(c.dep_ == "neg" for c in verb.children):
        stance = NEGATED_STANCES.get(stance, stance)
    return stance, lemma


def stance_of(doc: Doc, f: Found, *, has_target: bool, speaks: Callable[[Token], bool]) -> str | None:
    """A statement's stance: the cue's, unless the cue takes no side ('said'); then its content's
    (:func:`content_stance`), and for a statement about an actor or a topic, its content's judgement
    (:func:`judged_stance`). ``speaks`` tells whether a pronoun of the content stands for the speaker."""
    if f.stance != "assert":
        return f.stance
    return content_stance(doc, f, speaks) or (judged_stance(doc, f) if has_target else f.stance)


def content_stance(doc: Doc, f: Found, speaks: Callable[[Token], bool]) -> str | None:
    """The stance the main verbs of a statement's content take (lexicon content_stances): 'the US must act' asks
    (request), 'we will end it' promises, 'we support the plan' supports; words of worry are a concern; None
    when it takes none. ``speaks`` tells whether a pronoun subject stands for the speaker ('the minister said she
    backed the plan')."""
    cs = CONTENT_STANCES
    spans = [s for a, b in f.parts or (f.content,) if (s := doc.char_span(a, b, alignment_mode="expand")) is not None]
    for span in spans:
        # a main verb: one whose head is outside every part ('"We will win," he said, "and soon."'), not one joined
        # to a verb of the part before ('Many were older, she said, and "I had to step back"')
        for verb in (t for t in span if t.pos_ in ("VERB", "AUX")
                     and (not any(s.start <= t.head.i < s.end for s in spans) or t.head.i == t.i)):
            subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            modals = {c.lower_ for c in verb.children if c.dep_ == "aux"}
            negated = any(c.dep_ == "neg" for c in verb.children)
            stance = None
            if subject is not None and someone(subject) and (
                    modals & cs["request_modals"] or verb.lemma_.lower() in cs["request_verbs"] and verb.tag_ != "VBD"
                    and any(
                        c.dep_ == "xcomp" and any(x.lower_ == "to" for x in c.children) for c in verb.children)) \
                    or _needed(verb, subject, speaks):
                stance = "request"
            elif subject is not None and (
                    modals & cs["promise_modals"] and speaks(subject)
                    or _committed(verb) and speaks(subject)
                    or modals & cs["announced_modals"] and _reports_a_will(f, verb, subject) and speaks(subject)
                    or modals & (cs["promise_modals"] | cs["announced_modals"])
                    and (f.cue_lemma or "") in cs["announcing_cues"]):
                stance = "promise"
            elif subject is not None and speaks(subject) and (
                    verb.lemma_.lower() not in ASKING_VERBS["wishes"] or _wants_of_another(verb)) \
                    and not _names_a_price(verb):
                # 'we support the plan'; 'the minister said she backed it'; not 'he wants a new policy', nor
                # 'it charges 5 per cent'
                stance = _side_taken(verb.lemma_.lower())
            if stance is None and not negated and modals & cs["warning_modals"] and _harms(verb):
                stance = "warn"  # 'the tax could hurt families', 'that can be deadly'
            if stance is not None:
                return NEGATED_STANCES.get(stance, stance) if negated and stance != "request" else stance
        if stance := next(filter(None, (_wrongdoing(verb) for verb in span if verb.pos_ == "VERB")), None):
            return stance
        # 'announced their support for the plan', 'reiterated his opposition': the speaker's own act, named
        root = span.root
        if root.pos_ == "NOUN" and NOUNS.get(root.lemma_.lower(), "assert") != "assert" \
                and any(c.dep_ == "poss" and c.pos_ == "PRON" for c in root.children):
            return NOUNS[root.lemma_.lower()]
        if stance := _stance_preposition(doc, span):
            return stance
        # 'we are worried', 'our concern', 'they fear'; not 'the talks concerning the budget'
        worried = [t for t in span if (t.lemma_.lower() in cs["concern_words"] or t.lower_ in cs["concern_words"])
                   and (t.pos_ in ("ADJ", "NOUN") or t.pos_ == "VERB" and any(c.dep_ == "nsubj" for c in t.children))]
        if worried and not any(c.dep_ == "neg" for t in worried for c in list(t.children) + list(t.head.children)):
            return "concern"  # 'we are worried', 'our concern is that ...'; not 'we are not worried'
    return None


def _subject_of(verb: Token) -> Token | None:
    """A verb's subject, or for a conjunct with none of its own, the subject of the verb it is joined to ('Trump
    knew the child was there and snubbed him')."""
    while True:
        subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None or verb.dep_ != "conj":
            return subject
        verb = verb.head


def _committed(verb: Token) -> bool:
    """'we remain committed to welcoming the stranger', 'I am determined to win' (lexicon promise_adjectives)."""
    return verb.lemma_.lower() in ("be", "remain", "stay") and not any(c.dep_ == "neg" for c in verb.children) \
        and any(c.dep_ == "acomp" and c.lower_ in CONTENT_STANCES["promise_adjectives"]
                and any(p.lower_ == "to" for p in c.children) for c in verb.children)


def _needed(verb: Token, subject: Token | None, speaks: Callable[[Token], bool]) -> bool:
    """Whether a verb of the content says that something is needed: 'we need change', 'other changes are needed',
    'there is a need for more oversight', 'it is time to end the sanctions' (lexicon content_stances needs)."""
    needs = CONTENT_STANCES["needs"]
    lemma = verb.lemma_.lower()
    if lemma in needs["verbs"]:
        return subject is not None and (subject.dep_ == "nsubjpass" or speaks(subject)) \
            and not any(c.dep_ == "neg" for c in verb.children)
    if lemma != "be" or any(c.dep_ == "neg" for c in verb.children):
        return False
    attrs = [c for c in verb.children if c.dep_ == "attr" and not any(d.lower_ == "no" for d in c.children)]
    return any(c.dep_ == "expl" for c in verb.children) and any(a.lemma_.lower() in needs["nouns"] for a in attrs) \
        or subject is not None and subject.lower_ == "it" and any(
            a.lemma_.lower() in needs["times"] and any(c.dep_ in ("relcl", "acl", "xcomp") or c.dep_ == "prep"
                                                       and c.lower_ == "for" for c in a.children) for a in attrs)


def _harms(verb: Token) -> bool:
    """Whether a verb tells of harm (lexicon content_stances harm_words): 'hurt', or 'be' with 'deadly'."""
    harms = CONTENT_STANCES["harm_words"]
    return verb.lemma_.lower() in harms or verb.lemma_ == "be" and any(
        c.dep_ == "acomp" and c.lower_ in harms for c in verb.children)


def _reports_a_will(f: Found, verb: Token, subject: Token) -> bool:
    """Whether a 'would' of reported speech is a 'will' told after a past cue ('the agency said it would
    increase oversight'): said, not thought; not of a state ('he would be surprised'), a passive ('when he would
    be released'), a condition ('he would win if ...') or a question ('whether he would run')."""
    return f.kind != "direct" and f.mode == "speech" and subject.dep_ == "nsubj" \
        and verb.lemma_.lower() not in CONTENT_STANCES["state_verbs"] \
        and not any(c.dep_ == "advcl" and any(m.lower_ in ("if", "unless") for m in c.children)
                    or c.dep_ in ("mark", "advmod") and c.lower_ in ("if", "whether", "when") for c in verb.children)


def _names_a_price(verb: Token) -> bool:
    """Whether a verb of price_verbs has money or a percentage for its object ('it charges 5 per cent')."""
    return _lemma(verb) in PRICE_VERBS and any(c.dep_ == "dobj" and c.ent_type_ in ("MONEY", "PERCENT")
                                               for c in verb.children)


def _side_taken(lemma: str) -> str | None:
    """The side a verb takes: a reporting verb's ('support', 'reject'), or a verb of taking a side's ('back')."""
    stance = CONTENT_STANCES["position_verbs"].get(lemma) or VERBS.get(lemma)
    return stance if stance not in ("assert", "agree") else None


def _wrongdoing(verb: Token) -> str | None:
    """The stance of a verb of the content that tells of a wrongdoing (lexicon content_stances wrongdoing_verbs):
    done by an actor it accuses ('Clinton hid her illness', 'the developers covered it up'), done by a thing it
    opposes it ('the plan discriminates against fathers'); so does causing trouble ('Clinton started the birther
    controversy': causing_verbs, trouble_nouns); None for 'I lied' (an admission), 'they could cheat' and
    'whether he lied'; denies it when negated ('he did not lie', 'we did not lie')."""
    lemma = _lemma(verb)
    particle = next((c.lower_ for c in verb.children if c.dep_ == "prt"), None)
    wrongs = CONTENT_STANCES["wrongdoing_verbs"]
    caused = lemma in CONTENT_STANCES["causing_verbs"] and any(
        c.dep_ == "dobj" and c.lemma_.lower() in CONTENT_STANCES["trouble_nouns"] for c in verb.children)
    if lemma not in wrongs and f"{lemma} {particle}" not in wrongs and not caused:
        return None
    subject = _subject_of(verb)
    if subject is None or subject.dep_ != "nsubj" or any(
            c.tag_ == "MD" or c.dep_ == "mark" and c.lower_ in ("if", "whether") for c in verb.children):
        return None
    if any(c.dep_ == "neg" for c in verb.children):
        return "deny" if not caused else None  # 'Trump didn't snub my son', 'we did not lie'
    if subject.lower_ in CONTENT_STANCES["verb_subjects"]:
        return None
    # a plural common noun that does wrong is people most often ('the developers'), a singular one a thing; a
    # thing that causes trouble is no wrong ('the storm caused chaos')
    if someone(subject) or subject.tag_ == "NNS":
        return "accuse"
    return None if caused else "oppose"


def _stance_preposition(doc: Doc, span: Span) -> str | None:
    """The stance of being against or in favour of something (lexicon content_stances stance_prepositions): 'he was
    totally against the war' opposes when its subject is a pronoun (in reported speech most often the speaker);
    not 'he was not against it', 'voters are against it', nor 'they voted against the bill' (an act reported)."""
    for phrase, stance in CONTENT_STANCES["stance_prepositions"].items():
        words = phrase.split()
        for t in span:
            if (t.lower_ == words[0] and t.dep_ == "prep" and t.head.lemma_ == "be"
                    and [w.lower_ for w in doc[t.i:t.i + len(words)]] == words
                    and any(c.dep_ == "nsubj" and c.tag_ == "PRP" for c in t.head.children)
                    and not any(c.dep_ == "neg" for c in t.head.children)):
                return stance
    return None


def judged_stance(doc: Doc, f: Found) -> str | None:
    """The stance of a statement about an actor or a topic: an assertion whose content judges only one way
    supports or opposes ('Trump is a disgusting fraud', 'she was not qualified', 'it was a mistake'); else the
    cue's. Crude by design: words of praise and blame from the lexicon, with no target of their own."""
    if f.stance != "assert":
        return f.stance
    signs = set()
    for a, b in f.parts or (f.content,):
        span = doc.char_span(a, b, alignment_mode="expand")
        for t in span or ():
            lemma = _lemma(t)
            sign = JUDGING_WORDS.get(lemma) or JUDGING_WORDS.get(t.lower_)  # 'was misguided' (lemma 'misguide')
            if not sign:
                continue
            if lemma in JUDGING_ADJECTIVES and t.pos_ != "ADJ" or _in_idiom(doc, t):
                continue  # 'the right to vote', 'for good', 'with respect to', 'a great deal' (an amount)
            if t.i > 1 and doc[t.i - 1].text == "-" and not doc[t.i - 2].whitespace_:
                continue  # the end of a compound: 'low-lying'
            if any(c.dep_ == "det" and c.lower_ == "no" for c in (*t.children, *t.head.children)):
                continue  # 'no credible threats': nothing judged
            if t.dep_ == "amod" and t.head.dep_ not in ("attr", "oprd", "acomp", "ROOT", "appos", "conj") \
                    and not (t.head.dep_ == "dobj" and t.head.head.lemma_ == "have") \
                    and (sign > 0 or lemma in DESCRIBING_ADJECTIVES):
                continue  # an adjective that describes a thing ('a good result could emerge', 'an illegal race'),
                # not a judgement predicated of one ('he is a disgusting fraud', 'called it a great deal', 'he has
                # good judgment'); a word of strong blame judges either way ('sent a terrible message')
            # a negation on the word or above it: 'not qualified' blames; "I don't think this is a ridiculous
            # idea" does not praise
            above = [t] + [h for h in t.ancestors if span.start <= h.i < span.end]
            if not any(c.dep_ == "neg" for h in above for c in h.children):
                signs.add(sign)
            elif sign > 0:
                signs.add(-1)
    return {frozenset({1}): "support", frozenset({-1}): "oppose"}.get(frozenset(signs), f.stance)


def _in_idiom(doc: Doc, t: Token) -> bool:
    """Whether a judging word is part of a phrase that judges nothing (lexicon judging_adjectives idioms)."""
    for phrase in JUDGING_IDIOMS:
        for k, word in enumerate(phrase):
            if word == t.lower_ and [w.lower_ for w in doc[max(0, t.i - k):t.i - k + len(phrase)]] == list(phrase):
                return True
    return False


def _mode(lemma: str, rule: str, subject: Token | None) -> str:
    """Thought for a belief, wish or intention ('hopes', 'wants'), and for evidence a thing gives ('the report
    found', 'data showed'); nominal for a speech act whose content is a noun phrase ('denied the attack'); else
    speech."""
    if lemma in THOUGHT_VERBS or lemma in EVIDENCE_VERBS and subject is not None and not someone(subject):
        return "thought"
    return "nominal" if rule in NOMINAL_RULES else "speech"


def someone(subject: Token) -> bool:
    """A subject that can speak: a person, a body, a country, a pronoun for one ('he', 'they')."""
    return subject.pos_ == "PRON" and subject.lower_ not in ("it", "this", "that", "which") or _names_someone(subject) \
        or subject.pos_ == "PROPN" or subject.lemma_.lower() in ORG_HEADS or subject.lower_ in ORG_HEADS


def _kind(text: str, span: tuple[int, int], quotes: CharSpans) -> str:
    s, e = span
    if any(qs <= s and e <= qe for qs, qe in quotes):
        return "direct"
    return "mixed" if any(c in text[s:e] for c in QUOTE_CHARS) else "indirect"


def _sentence_statements(text: str, doc: Doc, sent: Span, quotes: CharSpans) -> list[Found]:
    """The statements one sentence makes: by a reporting verb, a nominal act or 'according to' ('per')."""
    out: list[Found] = []
    here = [(s, e) for s, e in quotes if s < sent.end_char and e > sent.start_char]  # a token is in one of these
    for tok in sent:
        if _inside(tok.idx, here):
            continue
        lemma = _lemma(tok)
        if tok.pos_ == "VERB" and (lemma in VERBS or lemma in QUOTE_VERBS or _as_clause(tok)):
            # ('Europeans are worried that ...': a verb's participle as an adjective, when it reports nothing else)
            out += _verb_statements(text, doc, tok, sent, quotes) or (
                _predicative(doc, tok, sent) if tok.lower_ in STANCE_ADJECTIVES else [])
        elif tok.pos_ == "VERB" and lemma in TOPIC_VERBS:
            out += _topic_statement(doc, tok, lemma, sent, quotes)
        elif tok.pos_ == "VERB" and lemma in REGARDING_VERBS:
            out += _regarding(text, doc, tok, sent, quotes)
        elif tok.pos_ == "NOUN" and lemma in NOUNS:
            out += _nominal_act(doc, tok, sent)
        elif tok.lower_ in STANCE_ADJECTIVES and tok.pos_ in ("ADJ", "VERB"):
            out += _predicative(doc, tok, sent)
        elif tok.lower_ == "in" and tok.dep_ == "prep" and tok.i <= sent.start + 1:
            out += _in_source(text, doc, tok, sent, quotes)
        elif phrase := next((p for p in ACCORDING_TO if p[0] == tok.lower_
                             and [t.lower_ for t in doc[tok.i:tok.i + len(p)]] == list(p)), None):
            out += _according_to(text, doc, tok, phrase, sent, quotes)
    return out


def _verb_statements(text: str, doc: Doc, verb: Token, sent: Span, quotes: CharSpans) -> list[Found]:
    """'X said that ...', '"...," X said', 'X denied the attack': the quotes next to a reporting verb and the
    content it governs."""
    # a subject the parser found inside the quote ('"... it will ...," said Acton') is not the speaker
    subj = [s for s in _subjects(verb) if not _inside(s.idx, quotes)]
    if not subj or _asked_about(verb) or _asking(verb, sent):
        return []  # "Asked whether ...": a question put to someone is not their statement
    heads, sp_span = _speaker(subj[0], name_only=subj[0].i == verb.i - 1 and subj[0].dep_ not in SUBJECT_DEPS)
    if (quoted_one := _quoted_as(verb)) is not None:
        heads, sp_span = _speaker(quoted_one)  # 'Interfax quoted Chernomyrdin as saying': he speaks
    elif subj[0].dep_ == "nsubjpass" and not _perfect(verb) or subj[0] == _passive_subject(verb) \
            or subj[0].head in verb.ancestors and any(c.dep_ == "auxpass" for c in verb.children):
        # 'Clinton was criticized for ...', 'the minister was told that ...', 'he is expected to win', and a
        # passive joined to a verb whose subject it shares ('she weighed 80lbs and was told by doctors that ...'):
        # the passive's subject is whom it was said of or to, not who said it; an agent ('by Trump') is
        agent = [g for a in verb.children if a.dep_ == "agent" for g in a.children if g.dep_ == "pobj"
                 and not _inside(g.idx, quotes) and g.ent_type_ not in ("DATE", "TIME")]  # not 'by mid-September'
        heads, sp_span = _speaker(agent[0]) if agent else ((), None)
    if any(_inside(doc[h].idx, quotes) for h in heads):
        return []
    lemma = _lemma(verb)
    if lemma in NAMING_VERBS and _quoted_name(text, verb, quotes):
        return []
    # a relative pronoun stands for the noun its clause hangs on ('rules that promise to ...')
    who = verb.head if subj[0].tag_ in ("WDT", "WP") and verb.dep_ == "relcl" else subj[0]
    if lemma in RAISING_VERBS and not someone(who) and who.tag_ != "NNS" \
            and any(c.dep_ == "xcomp" and any(t.lower_ == "to" for t in c.children) for c in verb.children):
        # 'the storm threatens to flood the city': what is likely, no one's words ('the hijackers threatened
        # to ...': a plural common noun is people most often)
        return []
    quote_only = lemma not in VERBS and lemma not in AS_VERBS
    if lemma in VERBS:
        stance, cue_lemma = _stance(verb, lemma)
    else:  # a quotation's verb ('continued'), or 'put it'
        stance, cue_lemma = "assert", lemma if quote_only else f"{lemma} it"
    act = verb.head
    if stance == "assert" and verb.tag_ == "VBG" and verb.dep_ in ("advcl", "xcomp") and _lemma(act) in VERBS \
            and any(c.dep_ == "dobj" for c in act.children):
        # 'Trump attacked Clinton, saying ...': what is said takes the side the act it explains takes on someone
        # (not 'refused to go home, saying they fear reprisals', nor 'called off the boycott, citing ...')
        taken = _stance(act, _lemma(act))[0]
        stance = taken if taken in ("oppose", "support", "accuse") else stance

    def said(content: tuple[int, int], kind: str, rule: str) -> Found:
        asks = stance != "request" or _asks_someone(text, verb, lemma, content)
        return Found(content=content, kind=kind, sentence=(sent.start_char, sent.end_char), speaker_tokens=heads,
                     speaker_span=sp_span, cue=(verb.idx, verb.idx + len(verb.text)), cue_lemma=cue_lemma,
                     stance=stance if asks else "assert", rule=rule, confidence=CONFIDENCE[rule],
                     mode=_mode(lemma, rule, subj[0]))

    out = []
    quoted = _adjacent_quotes(text, doc, verb, subj[0], sent, quotes)
    adjacent = [q for q in quoted if not _is_title(text, q)]  # a title next to the cue is no one's words
    if len(adjacent) == 2 and adjacent[0][1] <= verb.idx <= adjacent[1][0]:
        # '"We will win," he said, "and soon."', '"We will win," he said. "And soon."': one statement around its
        # attribution
        out.append(replace(said((adjacent[0][0], adjacent[1][1]), "direct", "direct-quote-split"),
                           parts=tuple(adjacent)))
    else:
        out += [said(q, "direct", "direct-quote") for q in adjacent]
    unsaid = _done_by_no_one(verb)
    content, rule = (None, None) if quote_only or unsaid else _verb_content(doc, verb, sent)
    passive = _passive_parts(doc, verb, stance) if (content is None or rule == "reported-object") and not quoted \
        and not unsaid else ()
    if passive:
        content = (passive[0][0], passive[-1][1])
        out.append(replace(said(content, _kind(text, content, quotes), "reported-object"),
                           parts=passive if len(passive) > 1 else ()))
    elif content is not None and not any(q[0] < content[1] and content[0] < q[1] for q in quoted) and not (
            # '"...?" asked Mustafa Hoshiyeh, a labourer turned around by ...': the speaker is no content
            sp_span and content[0] < sp_span[1] and sp_span[0] < content[1] and rule != "reported-parenthetical"):
        content = _whole_quote(text, _balanced_strip(text, *_past_cue_time(doc, verb, content)), quotes)
        out.append(replace(said(content, _kind(text, content, quotes), rule),
                           parts=_around_attribution(doc, verb, subj[0], sent, content)))
    if not out and (block := _block_quote(text, verb, quotes)):
        out.append(said(block, "direct", "block-quote"))
    return out


_TIMES = ("DATE", "TIME")


def _past_cue_time(doc: Doc, verb: Token, content: tuple[int, int]) -> tuple[int, int]:
    """The content without the time that opens it right after its cue ('said on Friday he hoped to sign',
    'announced on Friday the arrest of a man'): when it was said, not what. A time set off by a comma ('said in
    1998, Clinton allowed ...') belongs to what was said."""
    i = k = verb.i + 1
    if i >= len(doc) or doc[i].idx != content[0]:
        return content
    while k < len(doc) and (doc[k].ent_type_ in _TIMES or doc[k].pos_ == "ADP" and k + 1 < len(doc)
                            and doc[k + 1].ent_type_ in _TIMES):
        k += 1
    # an adverbial of the cue or of the clause it reports (which the parser may take it into), not a part of a
    # noun phrase ('Friday's test', 'demanding four months of unpaid grants')
    if any(not (i <= t.head.i < k or t.dep_ in ("prep", "npadvmod", "advmod", "tmod")
                and (t.head == verb or t.head.head == verb and t.head.dep_ == "ccomp")) for t in doc[i:k]):
        return content
    if k < len(doc) and k > i and doc[k].lower_ == "that":
        k += 1
    if k == i or k >= len(doc) or doc[k].is_punct or doc[k].idx >= content[1]:
        return content
    return doc[k].idx, content[1]


def _asks_someone(text: str, verb: Token, lemma: str, content: tuple[int, int]) -> bool:
    """Whether a verb of asking asks someone for something (lexicon asking_verbs): not when it puts a question
    ('asked whether she had felt the baby kick', '"Do you think ...?" he asked'), nor when what is wanted is the
    speaker's own act ('wants to hold eggs'); 'wants Congress to act' asks."""
    asking = ASKING_VERBS
    said = text[content[0]:content[1]].strip(" \"'“”‘’")
    span = verb.doc.char_span(*content, alignment_mode="expand")
    opening = verb.doc[span.start - 1].lower_ if span is not None and span.start else ""  # 'asked whether [she ...]'
    if lemma in asking["questions"] and (said.endswith("?") or opening in asking["question_words"]
                                         or said.split(" ", 1)[0].lower() in asking["question_words"]):
        return False
    return lemma not in asking["wishes"] or _wants_of_another(verb)


def _wants_of_another(verb: Token) -> bool:
    """'wants Congress to act', 'wants Jerusalem as its capital': a wish for another's act or for a thing (a demand,
    most often, in the news); not 'wants to expand the program', the speaker's own act."""
    return not any(c.dep_ == "xcomp" for c in verb.children) \
        or any(d.dep_ in ("dobj", "dative") for d in verb.children)


def speaks_by(verb: Token) -> bool:
    """Whether a verb is one of speech (a reporting verb that tells of no thought): 'said', 'announced'."""
    lemma = _lemma(verb)
    return lemma in VERBS and lemma not in THOUGHT_VERBS and lemma not in EVIDENCE_VERBS


def _asked_about(verb: Token) -> bool:
    """Whether a cue is asked about, not reported: the verb of an indirect question ('asked Kate whether she had
    felt the baby kick', 'declined to comment on whether it suspected a link')."""
    return any(c.dep_ == "mark" and (c.lower_ == "whether" or c.lower_ == "if" and verb.dep_ in ("ccomp", "pcomp"))
               for c in verb.children)


def _asking(verb: Token, sent: Span) -> bool:
    """Whether a cue is the verb of a question the writer asks ('Do you know where your candidate's tax returns
    are?', 'Why would someone like Mr. Clarke want to take over a troubled mine?'): an auxiliary before its
    subject, in a sentence that ends with a question mark."""
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return subject is not None and any(c.dep_ in ("aux", "auxpass") and c.i < subject.i for c in verb.children) \
        and sent.text.rstrip(" \"”'’)\n").endswith("?")


def _perfect(verb: Token) -> bool:
    """Whether a verb the parser took for a passive is a perfect with 's ('she's acknowledged the relationship'):
    a passive has no direct object after a bare 's."""
    return any(c.dep_ == "dobj" for c in verb.children) and [c.lower_ for c in verb.children if c.dep_ == "auxpass"] \
        in (["'s"], ["’s"])


def _passive_subject(verb: Token) -> Token | None:
    """The subject of a passive ('Clinton was accused of lying'), also in a headline that leaves out 'was'
    ('Clinton accused of lying', 'Seven Iraqis charged with hijack': lexicon headline_passives, a verb with no
    object and with the preposition of its charge)."""
    subj = next((c for c in verb.children if c.dep_ == "nsubjpass"), None) if not _perfect(verb) else None
    preps = HEADLINE_PASSIVES.get(_lemma(verb), ())
    if subj is None and preps and verb.tag_ in ("VBD", "VBN") \
            and not any(c.dep_ in ("dobj", "dative", "ccomp", "xcomp", "aux", "auxpass") for c in verb.children) \
            and any(c.dep_ == "prep" and c.lower_ in preps for c in verb.children):
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    return subj


def _done_by_no_one(verb: Token) -> bool:
    """A passive speech act with no agent that is negated: 'Mr. Trump has never been charged with any wrongdoing',
    'Neither Clinton nor her allies have been charged', 'No one was accused': no one did it, so no one said
    anything. Not a verb of thought, whose negation is a belief ('it is not thought to be capable of ...')."""
    subj = _passive_subject(verb)
    return subj is not None and _lemma(verb) not in THOUGHT_VERBS and not any(c.dep_ == "agent" for c in verb.children) and (
        any(c.dep_ == "neg" for c in verb.children) or subj.lower_ in ("nobody", "none")
        or any(c.dep_ in ("preconj", "det") and c.lower_ in ("neither", "no") for c in subj.children))


def _passive_parts(doc: Doc, verb: Token, stance: str) -> tuple[tuple[int, int], ...]:
    """What a speech act in the passive was about: its subject, and what follows but the agent ('Mr. Quiros was
    accused of using $50 million' is about 'Mr. Quiros' and 'using $50 million'; 'Clinton was criticized by
    Trump' about 'Clinton'); () for a verb that takes no side and none of the object-content verbs, or an
    active one (a negated one with no agent, :func:`_done_by_no_one`, its caller leaves out)."""
    subj = _passive_subject(verb)
    lemma = _lemma(verb)
    if subj is None or subj.tag_ in ("WDT", "WP") or lemma in THOUGHT_VERBS or lemma in EVIDENCE_VERBS \
            or stance == "assert" and lemma not in OBJECT_CONTENT:
        return ()  # ('who was accused': the relative's antecedent; 'a decision is expected': no speech act)
    rest = [c for c in verb.children if c.i > verb.i and c.dep_ in ("prep", "oprd", "dobj", "dative", "advcl")]
    if lemma in NEEDS_OBJECT and not any(c.dep_ == "oprd" for c in rest):
        return ()  # 'she was called a liar', not 'the fire service was called to the fire'
    parts = [_char_span(doc, subj.left_edge.i, subj.right_edge.i + 1)]
    if rest:  # 'accused of using ...': the preposition is part of the cue, as in 'accused X of'
        start = rest[0].i + 1 if rest[0].dep_ == "prep" else rest[0].left_edge.i
        end = max(c.right_edge.i for c in rest)
        if start <= end:
            parts.append(_char_span(doc, start, end + 1))
    return tuple(p for p in parts if p is not None)


def _block_quote(text: str, verb: Token, quotes: CharSpans) -> tuple[int, int] | None:
    """'The governor added:' ending its paragraph, and the next paragraph, without quotation marks, is what he
    said (a quotation set as a block)."""
    if verb.i + 1 >= len(verb.doc) or verb.doc[verb.i + 1].text != ":":
        return None
    after = verb.doc[verb.i + 1].idx + 1
    line_end = text.find("\n", after)
    if line_end < 0 or text[after:line_end].strip():
        return None  # the quotation goes on in the same paragraph: the other rules read it
    start = line_end
    while start < len(text) and text[start].isspace():
        start += 1
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    if start >= end or text[start] in QUOTE_CHARS or _inside(start, quotes) or len(text[start:end].split()) < 3:
        return None
    return _strip(text, start, end)


def _topic_statement(doc: Doc, verb: Token, lemma: str, sent: Span, quotes: CharSpans) -> list[Found]:
    """'She spoke of the legacy of racism': what follows the verb's preposition (lexicon topic_verbs), as a
    nominal statement of the verb's subject."""
    prep = next((c for c in verb.children if c.dep_ == "prep" and c.i == verb.i + 1 and c.lower_ in TOPIC_VERBS[lemma]),
                None)
    subj = [s for s in _subjects(verb) if not _inside(s.idx, quotes)]
    if prep is None or not subj or not someone(subj[0]):
        return []
    content = _char_span(doc, prep.i + 1, prep.right_edge.i + 1)
    if content is None:
        return []
    heads, sp_span = _speaker(subj[0])
    rule = "reported-object"
    return [Found(content=content, kind="indirect", sentence=(sent.start_char, sent.end_char), speaker_tokens=heads,
                  speaker_span=sp_span, cue=(verb.idx, verb.idx + len(verb.text)), cue_lemma=f"{lemma} {prep.lower_}",
                  stance="assert", rule=rule, confidence=CONFIDENCE[rule], mode="nominal")]


def _nominal_act(doc: Doc, noun: Token, sent: Span) -> list[Found]:
    """"Turkey's pleas for a ceasefire": the possessor states what follows the preposition; "Trump's claim that
    there were thousands of shootings", "a New York Times report that ...": the possessor, or a name before the
    noun, states the clause the noun governs (said or thought, as the noun says: 'their fear that ...')."""
    # "Thursday's announcement": a date owns no statement
    source = next((c for c in noun.children if c.dep_ == "poss" and c.ent_type_ not in ("DATE", "TIME")), None)
    # a clause of the noun ('that' marks it), not a relative clause ('the claim that he made')
    clause = next((c for c in noun.children if c.dep_ in ("acl", "relcl") and c.pos_ in ("VERB", "AUX")
                   and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)), None)
    if source is None and clause is not None:
        source = next((c for c in noun.children if c.dep_ == "compound" and c.pos_ == "PROPN"
                       and _names_someone(c)), None)
    preps = [c for c in noun.children if c.dep_ == "prep" and c.lower_ in ("for", "of", "to", "against")]
    if source is None or clause is None and not preps:
        return []
    heads, sp_span = _speaker(source)
    lemma = noun.lemma_.lower()
    if clause is not None:
        content, rule, mode = _char_span(doc, clause.left_edge.i, clause.right_edge.i + 1), "nominal-clause", \
            "thought" if lemma in THOUGHT_NOUNS else "speech"
    else:
        content, rule, mode = _char_span(doc, preps[0].i + 1, preps[0].right_edge.i + 1), "nominal-act", "nominal"
    if not content:
        return []
    return [Found(content=content, kind="indirect", sentence=(sent.start_char, sent.end_char), speaker_tokens=heads,
                  speaker_span=sp_span, cue=(noun.idx, noun.idx + len(noun.text)), cue_lemma=lemma,
                  stance=NOUNS[lemma], rule=rule, confidence=CONFIDENCE[rule], mode=mode)]


def _regarding(text: str, doc: Doc, verb: Token, sent: Span, quotes: CharSpans) -> list[Found]:
    """'Critics saw his measures as an attempt to recast Turkey': the subject's opinion of the object, X as Y
    (lexicon regarding_verbs); not a question ('Do you see them as equivalent?') nor a passive ('is seen as')."""
    as_ = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "as" and c.i > verb.i and c.n_rights),
               None)
    obj = next((c for c in verb.children if c.dep_ == "dobj" and c.i > verb.i), None)
    subj = [s for s in _subjects(verb) if not _inside(s.idx, quotes)]
    if as_ is None or obj is None or not subj or subj[0].dep_ != "nsubj" or sent.text.rstrip(" \"'”’").endswith("?"):
        return []
    content = _char_span(doc, obj.left_edge.i, as_.right_edge.i + 1)
    if content is None:
        return []
    heads, sp_span = _speaker(subj[0])
    return [Found(content=content, kind=_kind(text, content, quotes), sentence=(sent.start_char, sent.end_char),
                  speaker_tokens=heads, speaker_span=sp_span, cue=(verb.idx, verb.idx + len(verb.text)),
                  cue_lemma=_lemma(verb), stance="assert", rule="reported-object",
                  confidence=CONFIDENCE["reported-object"], mode="thought")]


def _predicative(doc: Doc, adj: Token, sent: Span) -> list[Found]:
    """'Merkel is confident that the euro will survive', 'Europeans are worried the euro will fail': an adjective
    of a state of mind after 'be' reports the clause it governs (or that the parser hung on 'be'), said or thought
    by the subject (lexicon stance_adjectives)."""
    be = adj.head if adj.dep_ == "acomp" else adj
    subject = next((c for c in be.children if c.dep_ in ("nsubj", "nsubjpass")), None) or next(
        (k for a in be.children if a.dep_ in ("aux", "auxpass") for k in a.children if k.dep_ in ("nsubj", "nsubjpass")),
        None)  # ('Merkel is convinced that ...', with 'Merkel' hung on 'is')
    if subject is None or subject.tag_ in ("WDT", "WP", "EX") or subject.lower_ in ("it", "this", "that") \
            or not (be.lemma_ == "be" or any(c.dep_ in ("aux", "auxpass") and c.lemma_ == "be" for c in be.children)):
        return []  # 'it is certain that ...': no one's state of mind
    clause = next((c for c in (*adj.children, *be.children) if c.dep_ == "ccomp" and c.i > adj.i), None)
    if clause is None or any(c.dep_ == "neg" for c in (*adj.children, *be.children)):
        return []  # 'not sure that ...' states nothing
    content = _char_span(doc, clause.left_edge.i, clause.right_edge.i + 1)
    if content is None:
        return []
    heads, sp_span = _speaker(subject)
    mode, stance = STANCE_ADJECTIVES[adj.lower_]
    return [Found(content=content, kind="indirect", sentence=(sent.start_char, sent.end_char), speaker_tokens=heads,
                  speaker_span=sp_span, cue=(adj.idx, adj.idx + len(adj.text)), cue_lemma=adj.lower_, stance=stance,
                  rule="predicative", confidence=CONFIDENCE["predicative"], mode=mode)]


def _in_source(text: str, doc: Doc, prep: Token, sent: Span, quotes: CharSpans) -> list[Found]:
    """'In his eyes, only European immigrants are safe', 'In the previous poll, Clinton led Trump by 5 points': a
    phrase that opens its sentence names whose view, words or evidence the rest is (lexicon in_sources)."""
    noun = next((c for c in prep.children if c.dep_ == "pobj" and _in_source_word(c) in IN_SOURCES), None)
    if noun is None or noun.right_edge.i + 1 >= sent.end or doc[noun.right_edge.i + 1].text != "," \
            or _lemma(sent.root) in VERBS and any(c.dep_ in SUBJECT_DEPS for c in sent.root.children):
        return []  # 'In a statement, the company said ...': the verb's own statement
    source = next((c for c in noun.children if c.dep_ == "poss"), None) or next(
        (g for c in noun.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"),
        None)
    if source is None and noun.lemma_.lower() in EVIDENCE_SOURCES:
        source = noun  # the poll itself
    content = _char_span(doc, noun.right_edge.i + 2, sent.end)
    if source is None or content is None or _inside(source.idx, quotes):
        return []
    heads, sp_span = _speaker(source)
    content = _whole_quote(text, _balanced_strip(text, *content), quotes)
    return [Found(content=content, kind=_kind(text, content, quotes), sentence=(sent.start_char, sent.end_char),
                  speaker_tokens=heads, speaker_span=sp_span, cue=(prep.idx, prep.idx + len(prep.text)),
                  cue_lemma="in", stance="assert", rule="in-source", confidence=CONFIDENCE["in-source"],
                  mode=IN_SOURCES[_in_source_word(noun)])]


def _in_source_word(noun: Token) -> str:
    return noun.lower_ if noun.lower_ in IN_SOURCES else noun.lemma_.lower()  # 'eyes', not 'eye'


def _according_to(text: str, doc: Doc, tok: Token, phrase: tuple[str, ...], sent: Span, quotes: CharSpans
                  ) -> list[Found]:
    """'According to officials, ...', '..., per the minister': the rest of the sentence is theirs. ``phrase``
    ('according', 'to') starts at ``tok``."""
    last = doc[tok.i + len(phrase) - 1]  # 'to' of 'according to': its object is the source
    pobj = [c for c in last.children if c.dep_ == "pobj"]
    if not pobj or pobj[0].pos_ not in ("PROPN", "NOUN", "PRON") or _inside(pobj[0].idx, quotes):
        return []  # 'according to the "scenario"' names no source
    if phrase in NEEDS_SPEAKER and not (_names_someone(pobj[0]) and _set_off(doc, tok, last, sent)):
        return []  # '5 per cent', 'per the agreement', 'earnings per share'
    heads, sp_span = _speaker(pobj[0])
    edge = last.right_edge.i
    if tok.i <= sent.start + 1 and not any(t.is_alpha for t in doc[edge + 1:sent.end]):
        # the parse hung the rest of the sentence on the source ('According to Rush Limbaugh, the move reeks
        # ...' with 'reeks' an apposition): the source ends at its first comma
        edge = next((t.i for t in doc[pobj[0].i + 1:edge + 1] if t.text == ","), edge)
    rest = (sent.start, tok.i) if tok.i > sent.start + 1 else (edge + 1, sent.end)
    content = _char_span(doc, *rest)
    if not content:
        return []
    content = _whole_quote(text, _balanced_strip(text, *content), quotes)
    return [Found(content=content, kind=_kind(text, content, quotes),
                  sentence=(sent.start_char, sent.end_char), speaker_tokens=heads, speaker_span=sp_span,
                  cue=(tok.idx, last.idx + len(last.text)), cue_lemma=" ".join(phrase), stance="assert",
                  rule="according-to", confidence=CONFIDENCE["according-to"])]


def _set_off(doc: Doc, first: Token, last: Token, sent: Span) -> bool:
    """Whether punctuation or the sentence's edges enclose the phrase from ``first`` to the end of ``last``'s
    object: ', per officials.', 'Per the minister, ...'."""
    after = last.right_edge.i + 1
    return (first.i == sent.start or doc[first.i - 1].is_punct) and (after >= sent.end or doc[after].is_punct)


_NAME = r"[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|van|von|al|bin|la|le|del|da|di)){0,4}"
_LABEL = re.compile(rf"^[\"“”']?\s*(?P<name>{_NAME})\s*:\s+(?P<content>\S.*)$")
_DASH = re.compile(rf"[”\"]\s*[―—–]\s*(?P<name>{_NAME})")
NOT_SPEAKERS = frozenset(_LEX["not_speaker_labels"]["labels"])  # 'UPDATE: ...', 'The Latest: ...'
HEADLINE_WORDS = frozenset(_LEX["not_speaker_labels"]["function_words"])  # 'Stealth Over Health: ...' names no one


def _name_head(doc: Doc, s: int, e: int) -> Token | None:
    span = doc.char_span(s, e, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _label_statements(doc: Doc, text: str, start: int, end: int, quotes: CharSpans,
                      sents: Callable[[int], tuple[int, int]]) -> list[Found]:
    """'PENCE: Well, look, ...' (transcripts), 'Poll: Clinton and Trump in dead heat' (headlines) and
    '“...” ― Sonya Herridge' (quotes signed after a dash)."""
    out = []
    pos = start
    lines = text[start:end].split("\n")
    labels = [m.group("name") for m in map(_LABEL.match, lines) if m]
    named = {w.lower() for e in doc.ents if e.label_ in ("PERSON", "ORG", "NORP") and not e.text.isupper()
             for w in e.text.split()} if any(n.isupper() for n in labels) else set()
    for line in lines:
        m = _LABEL.match(line)
        name = m.group("name") if m else ""
        # a label in capitals is a transcript's speaker when it comes back ('PENCE: ... WALLACE: ... PENCE:') or
        # names someone the article names ('Mike Pence'); once and nameless, it heads a section ('CURRENCIES:')
        heading = name.isupper() and labels.count(name) < 2 and name.split()[-1].lower() not in named
        if m and not heading and _names_speaker(doc, name, pos + m.start("name")):
            ns, ne = pos + m.start("name"), pos + m.end("name")
            cs, ce = _strip(text, pos + m.start("content"), pos + len(line))
            head = _name_head(doc, ns, ne)
            if head is not None and ce > cs and not _only_names(doc, cs, ce):
                cs, ce = _balanced_strip(text, cs, ce)
                out.append(Found(content=(cs, ce), kind="direct", sentence=sents(cs), speaker_tokens=(head.i,),
                                 speaker_span=(ns, ne), cue=(ne, ne + 1), cue_lemma=":", stance="assert",
                                 rule="speaker-label", confidence=CONFIDENCE["speaker-label"]))
        pos += len(line) + 1
    for m in _DASH.finditer(text, start, end):
        close = m.start()
        q = next(((qs, qe) for qs, qe in quotes if qe <= close and _only_marks(text[qe:close + 1])), None)
        head = _name_head(doc, m.start("name"), m.end("name"))
        if q and head is not None:
            dash = text.index(next(c for c in "―—–" if c in m.group(0)), close)
            out.append(Found(content=q, kind="direct", sentence=sents(q[0]), speaker_tokens=(head.i,),
                             speaker_span=(m.start("name"), m.end("name")), cue=(dash, dash + 1), cue_lemma=None,
                             stance="assert", rule="dash-signature", confidence=CONFIDENCE["dash-signature"]))
    return out


def _names_speaker(doc: Doc, name: str, start: int) -> bool:
    """Whether a line's label can name who speaks: not a section's ('UPDATE', 'The Latest', lexicon
    not_speaker_labels), a number's ('Two: ...', a list's item) or a headline phrase's ('Stealth Over Health',
    'The Gap Goes On'; a name opens with 'The' only as an organisation's: 'The Pentagon')."""
    words = name.lower().rstrip(".").split()
    if " ".join(words) in NOT_SPEAKERS or HEADLINE_WORDS & set(words):
        return False
    span = doc.char_span(start, start + len(name), alignment_mode="expand")
    if span is None or span[0].like_num or span[0].pos_ == "NUM":
        return False
    return words[0] != "the" or any(e.label_ in ("ORG", "GPE", "NORP") and e.start <= span.start and span.end <= e.end
                                    for e in doc.ents)


def _only_names(doc: Doc, start: int, end: int) -> bool:
    """Whether a label's content holds only names, numbers, addresses or links ('England: Lewsey; Sackey, Tait',
    'Email Address: x@y.com'), or, with no verb, is a list of short items ('Tonga: Lilo; Hola, Latu (capt), Maka')
    or a work and its year ('Hair Piece: A Film for Nappy-Headed People (1984)'): which no one states."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    if all(t.pos_ in ("PROPN", "NUM", "PUNCT", "SYM", "X", "SPACE", "CCONJ") or t.like_url or t.like_email
           for t in span):
        return True
    if any(t.pos_ in ("VERB", "AUX") for t in span):
        return False
    items = re.split(r"[,;]", span.text)
    return len(items) >= 4 and all(len(i.split()) <= 3 for i in items) or bool(_A_YEAR.search(span.text))


_A_YEAR = re.compile(r"\((?:1[89]|20)\d\d\)\W*$")  # '... (1984)': a film's, a book's or an album's year


_CONTENT_WORDS = frozenset({"NOUN", "PROPN", "PRON", "VERB", "AUX", "ADJ", "NUM", "INTJ", "X"})


def _says_something(doc: Doc, content: tuple[int, int]) -> bool:
    """Whether a content holds a word that can carry a claim: 'charged with' or 'according to Smith, basically'
    leaves only a preposition or an adverb, which no one states."""
    span = doc.char_span(*content, alignment_mode="expand")
    return span is None or any(t.pos_ in _CONTENT_WORDS for t in span)


def doc_quotes(doc: Doc, start: int, end: int) -> list[tuple[int, int]]:
    """:func:`find_quotes` of the Doc's text, found once per Doc and range (two steps read them)."""
    return parsed.memo(doc, ("quotes", start, end), lambda: find_quotes(parsed.text(doc), start, end))


def find_statements(doc: Doc, start: int = 0, end: int | None = None) -> list[Found]:
    """Statements in the Doc (optionally only in characters ``start:end``), in document order.

    A quote paragraph that follows a direct quote without its own attribution continues the previous speaker.
    """
    text = parsed.text(doc)
    end = len(text) if end is None else end
    quotes = doc_quotes(doc, start, end)
    found: list[Found] = []
    for sent in parsed.sents(doc):
        if sent.end_char <= start or sent.start_char >= end or not sent.text.strip():
            continue
        try:
            found.extend(_sentence_statements(text, doc, sent, quotes))
        except Exception as exc:  # one odd sentence must not cost the document
            log.warning("statement rules skipped a sentence at %d: %s", sent.start_char, exc)
    spans = [(x.start_char, x.end_char) for x in parsed.sents(doc)]

    def sent_at(pos: int) -> tuple[int, int]:
        return next(((a, b) for a, b in spans if a <= pos < b), (pos, pos))
    try:
        found.extend(_label_statements(doc, text, start, end, quotes, sent_at))
    except Exception as exc:  # as above: a rule failure costs its lines, never the document
        log.warning("label rules skipped a document part: %s", exc)
    found = _continuations(text, quotes, found)
    line = dateline(text, (len(text) - len(text.lstrip()), len(text)))
    if line is not None:
        found = [_after_dateline(text, f, line.through) for f in found]
    unique: dict[tuple[int, int, tuple[int, ...]], Found] = {}
    for f in found:
        if _says_something(doc, f.content) and not ANONYMITY.fullmatch(text[slice(*f.content)].lower().rstrip(".,;")):
            unique.setdefault((f.content, f.speaker_tokens), f)
    # a quote that two cues claim ('X said.' before its paragraph, and its own '"...," Burke said', alone or as
    # a part of a quote around its attribution) is the nearer cue's: one in a sentence the quote is part of
    # before one in another sentence
    nearest: dict[tuple[int, int], tuple[int, int]] = {}
    for f in unique.values():
        for q in (f.content, *f.parts):
            nearest[q] = min(nearest.get(q, _distance(f)), _distance(f))
    return sorted((f for f in unique.values() if all(_distance(f) == nearest[q] for q in (f.content, *f.parts))),
                  key=lambda f: f.content)


def _after_dateline(text: str, f: Found, through: int) -> Found:
    """The statement without the wire dateline that opens its sentence ('MANILA 1996-08-31 The detention ...
    showed ..., an activist said' said 'The detention ... showed ...'): the dateline says where the story was
    filed, not what anyone said."""
    a, b = f.content
    if not a < through < b:
        return f
    start = through + len(text[through:b]) - len(text[through:b].lstrip())
    parts = tuple((start, pb) if pa < through < pb else (pa, pb) for pa, pb in f.parts)
    return replace(f, content=(start, b), parts=parts)


def _distance(f: Found) -> tuple[int, int]:
    """How far a statement's cue is from its content: (0 if the cue's sentence takes part of the content,
    else 1; then the characters between them). (0, 0) without a cue."""
    if not f.cue:
        return 0, 0
    (s, e), (ss, se) = f.content, f.sentence
    return int(not (ss < e and s < se)), max(0, s - f.cue[1], f.cue[0] - e)


def _heading(text: str, qs: int, qe: int) -> bool:
    """A line that is only a quotation without a stop at its end: a heading ('Ghost town'), not words that
    go on."""
    line_start, line_end = text.rfind("\n", 0, qs) + 1, text.find("\n", qe)
    line_end = len(text) if line_end < 0 else line_end
    return _only_marks(text[line_start:qs]) and _only_marks(text[qe:line_end]) \
        and text[qs:qe].rstrip(QUOTE_CHARS + SINGLE_MARKS)[-1:] not in tuple(".?!,;:…-—–")


def _continuations(text: str, quotes: CharSpans, found: list[Found]) -> list[Found]:
    covered = [f.content for f in found]
    out = list(found)
    for qs, qe in quotes:
        if any(s < qe and qs < e for s, e in covered) or _is_title(text, (qs, qe)) or _heading(text, qs, qe):
            continue  # a title or heading in quotes ('Legend in the Coal Fields.', 'Ghost town') is no one's words
        opening = qs  # the opening mark, and the spaces around it ('an " Artisans for Peace " award')
        while opening > 0 and text[opening - 1] == " ":
            opening -= 1
        for _ in range(2):  # one mark, or a typewriter pair ('' or ``)
            opening -= opening > 0 and text[opening - 1] in QUOTE_CHARS + SINGLE_MARKS + "`"
        before = text[:opening].rstrip()
        if before and before[-1] not in ".!?\n" + QUOTE_CHARS + SINGLE_MARKS and not text[:opening].endswith("\n"):
            continue  # only a quote that opens its sentence continues an earlier speaker
        prev = [f for f in out if f.content[1] <= qs]
        if not prev:
            continue
        last = max(prev, key=lambda f: f.content[1])
        between = text[last.content[1]:qs - 1]
        # a statement that ends with a quotation goes on in the next ('The summit did "too little," he added.
        # "Europe risks a lot."'), whether all of it is quoted or not
        ends_quoted = last.kind == "direct" or last.kind == "mixed" and any(
            last.content[0] <= s < e <= last.content[1] + 2 and last.content[1] <= e + 2 for s, e in quotes)
        if not ends_quoted or any(c in between for c in OPENERS + "‘") or between.count("\n") > 2:
            continue  # not past another quote, nor further than the next paragraph
        line_end = text.find("\n", qe)
        if "\n" in between and _only_marks(text[qe:line_end if line_end >= 0 else len(text)]):
            # a paragraph that is only a quotation goes on with the statement before it: one statement
            k = out.index(last)
            out[k] = replace(last, content=(last.content[0], qe), parts=(last.parts or (last.content,)) + ((qs, qe),))
            covered.append((qs, qe))
            continue
        out.append(replace(last, content=(qs, qe), kind="direct", rule="quote-continuation", mode="speech",
                           confidence=CONFIDENCE["quote-continuation"], parts=()))
    return out
