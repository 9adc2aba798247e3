"""Names folded into keys: what does not count when two names are compared or a user types one (case, accents,
dots, possessives, a leading 'the', leading titles). The knowledge base looks aliases up by these keys, and the
store's summary matches the names users give to saved queries (kg.rdf.keys)."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from kg import lexicons

TITLES = frozenset(lexicons.load("entities")["person_titles"])
_DELETED = frozenset(".'’`")  # U.S. -> us, O'Brien -> obrien: no word break


_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?(?:>|$)|&(?:nbsp|amp|quot|#\d+);")


def clean(name: str) -> str:
    """A name as a label: without HTML tags, zero-width and other invisible characters, emoji and other
    symbols, and with its spaces collapsed. Mentions keep the text as it stands; labels and keys take this.

    >>> clean("Rus\u200bsia"), clean("<b>Russia</b"), clean("Russia 🇷🇺"), clean("  Vladimir\u00a0 Putin ")
    ('Russia', 'Russia', 'Russia', 'Vladimir Putin')
    """
    text = _TAG.sub(" ", name)
    text = "".join("" if unicodedata.category(c) in ("Cf", "Cs", "So", "Co", "Cn") or 0xFE00 <= ord(c) <= 0xFE0F
                   else c for c in text)
    return " ".join(text.split())


@lru_cache(maxsize=200_000)  # the summary of a big build folds the same names again and again
def normalise(name: str) -> str:
    """The alias key of a name: case, accents, possessive, a leading 'the' and punctuation do not count.

    >>> normalise("Bashar al-Assad")
    'bashar al assad'
    >>> normalise("BASHAR AL ASSAD")
    'bashar al assad'
    >>> normalise("the U.S.")
    'us'
    >>> normalise("Erdoğan’s")
    'erdogan'
    >>> normalise("  Washington,   D.C. ")
    'washington dc'
    """
    # case folded first: folding can turn a combining mark into a letter (U+0345 -> iota) and 'ß' into 'ss',
    # so the other order gave a name and its case-folded form two keys
    folded = unicodedata.normalize("NFKD", clean(name.casefold()))
    text = "".join(c for c in folded if not unicodedata.combining(c))
    text = re.sub(r"['’]s\b", "", text)
    text = "".join("" if c in _DELETED else " " if unicodedata.category(c)[0] in "PSZC" else c for c in text)
    text = " ".join(text.split())
    return text[4:] if text.startswith("the ") else text


def strip_titles(name: str) -> str:
    """'President Donald Trump's' -> 'Donald Trump'; 'Mr. Bolton' -> 'Bolton'."""
    name = re.sub(r"[’']s$", "", name.strip())
    words = name.split()
    while len(words) > 1 and words[0].lower().rstrip(".") in TITLES:
        words = words[1:]
    return " ".join(words)


def identity_key(name: str) -> str:
    """What names one actor across articles: titles, case, accents, dots, a possessive and middle initials do
    not count.

    >>> identity_key("James B. Comey"), identity_key("Mr. James Comey's"), identity_key("F.B.I."), identity_key("FBI")
    ('james comey', 'james comey', 'fbi', 'fbi')
    """
    words = normalise(strip_titles(name)).split()
    if len(words) > 2:
        words = [words[0], *(w for w in words[1:-1] if len(w) > 1), words[-1]]
    return " ".join(words)


PARTICLES = frozenset({"al", "el"})
_GENERATIONAL = frozenset({"jr", "sr", "ii", "iii", "iv"})
_PATRONYMIC = frozenset({"bin", "ibn", "bint", "ben"})


def squeezed(key: str) -> str:
    """'abdel fattah el sissi' -> 'abdel fatah el sisi'."""
    return re.sub(r"([a-z])\1+", r"\1", key)


def surname_keys(name: str) -> list[str]:
    """For a person's full name, the keys of the last name alone (with and without an al-/el- particle).

    >>> surname_keys("John R. Bolton")
    ['bolton']
    >>> surname_keys("Bashar al-Assad")
    ['al assad', 'assad', 'asad']
    >>> surname_keys("William B. Taylor, Jr.")
    ['taylor']
    >>> surname_keys("Bolton")
    []
    >>> surname_keys("Mohammad bin Salman")
    []
    """
    words = name.split()  # raw words, so that "al-Assad" stays one word
    while len(words) > 1 and normalise(words[-1]) in _GENERATIONAL:
        words.pop()
    if len(words) < 2:
        return []
    last = words[-1]
    if len(words) > 2 and normalise(words[-2]) in _PATRONYMIC:
        return []  # 'Mohammad bin Salman': 'Salman' is his father, not a surname
    if len(words) > 2 and normalise(words[-2]) in PARTICLES:  # "Bashar al Assad"
        last = f"{words[-2]} {last}"
    key = normalise(last)
    if not key or key == normalise(" ".join(words)):
        return []
    bare = " ".join(w for w in key.split() if w not in PARTICLES) or key
    return list(dict.fromkeys((key, bare, squeezed(bare))))
