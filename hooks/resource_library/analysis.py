"""Text into index terms, exactly as lunr does it.

lunr.py's trimmer, English stop-word filter and stemmer, run once per
distinct word and remembered (each is a pure function of one word). The
finder runs lunr.js's versions of the same three on the reader's words, so a
query term and an index term agree.
"""
from __future__ import annotations

import re
from functools import lru_cache

from lunr.stemmer import stemmer
from lunr.stop_word_filter import stop_word_filter
from lunr.token import Token
from lunr.trimmer import trimmer

# lunr's separator: white space and hyphens (lunr.js uses /[\s\-]+/).
SEPARATORS = re.compile(r"[ \t\n\r\f\v\xa0\-]+")


# Longer words are indexed as they are, not stemmed: lunr.py's Porter
# stemmer recurses once per `y` in a row and reads the word again for each
# (2,000 `y` and an `e` ended the build in a RecursionError; 400 words of 930
# took it 55 s). No English word is this long; finder.js has the same rule.
MAX_STEMMED_WORD = 40


@lru_cache(maxsize=None)
def term(word: str) -> str:
    """The index term for one lowercased word; "" for a stop word or for
    punctuation alone."""
    token: object = Token(word)
    steps = (trimmer, stop_word_filter, stemmer) if len(word) <= MAX_STEMMED_WORD else (trimmer, stop_word_filter)
    for step in steps:
        token = step(token, 0, [token]) if token else token
    return str(token) if token else ""


def words(text: str) -> list[str]:
    """The words of a text, lowercased, as lunr's tokenizer splits them."""
    text = str(text or "").lower()
    if text.isascii() and not any(space in text for space in OTHER_ASCII_SPACE):
        # The same words, several times faster: in ASCII without those four,
        # str.split() splits at exactly SEPARATORS once hyphens are spaces.
        return text.replace("-", " ").split()
    return [w for w in SEPARATORS.split(text) if w]


# ASCII that str.split() takes for white space and lunr does not: the file,
# group, record and unit separators.
OTHER_ASCII_SPACE = "\x1c\x1d\x1e\x1f"


def terms(text: str) -> list[str]:
    """The index terms of a text, in order, stop words left out."""
    return [t for t in (term(w) for w in words(text)) if t]


@lru_cache(maxsize=None)
def trimmed(word: str) -> str:
    """A word as lunr's trimmer leaves it: punctuation at either end gone,
    as a reader would write the word again."""
    return str(trimmer(Token(word)))


# Punctuation that ends a phrase: a synonym phrase matches only within one
# stretch of words between these (finder.js uses the same set).
PHRASE_BREAKS = set(".,;:!?()[]{}\"\u201c\u201d/|")


def breaks_before(word: str) -> bool:
    return word[:1] in PHRASE_BREAKS


def breaks_after(word: str) -> bool:
    return word[-1:] in PHRASE_BREAKS
