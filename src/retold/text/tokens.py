"""Word tokens with spans into the original text, their stems, and content-word filtering.

Example:
    >>> toks = tokenize("Kim’s visit: 130 km away.")
    >>> toks.words
    ("kim's", 'visit', '130', 'km', 'away')
    >>> toks.stems[1]
    'visit'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from retold.text.normalize import normalize

__all__ = ["STOPWORDS", "Tokens", "stem_words", "tokenize"]

# Words with letters (inner apostrophes and hyphens kept) or numbers (inner , . kept: 2,000 4.5).
# Captured, so ``split`` gives gaps and words in turn: their lengths give the offsets without
# a match object per word.
# Written as one character class first (a number continues only after a digit), so the regex
# engine skips gaps with a character-set scan, and with possessive repeats, which never give
# back what they matched (nothing after them could use it): about 20% faster than the two
# branches on the METER 4 KB articles.
_WORD = re.compile(r"([^\W_](?:(?<=\d)\d*+(?:[.,]\d++)*+|[^\W\d_]*+(?:['-][^\W\d_]++)*+))")
_ASCII_BYTES = bytes(range(128))

# The same rule for text whose letters and digits are all ASCII, on arrays (see
# :func:`_ascii_words`): the class of each ASCII character, every other character a gap (0).
_GAP, _LETTER, _DIGIT, _JOINS_LETTERS, _JOINS_DIGITS = range(5)
_CLASS = np.zeros(128, np.uint8)
_CLASS[list(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")] = _LETTER
_CLASS[list(b"0123456789")] = _DIGIT
_CLASS[list(b"'-")] = _JOINS_LETTERS
_CLASS[list(b".,")] = _JOINS_DIGITS
_SPACE = ord(" ")
# ``bytes.translate`` tables of the same classes (bytes past ASCII are gaps): a translation of
# the text's bytes is several times faster than indexing ``_CLASS`` with them.
_CLASS_TABLE = bytes(_CLASS.tolist()) + bytes(128)
_KIND_TABLE = bytes(c if c <= _DIGIT else _GAP for c in _CLASS_TABLE)

# Function words that carry no content; a compact list written for news English.
_STOPWORD_LIST = """a about above after again against all also am an and any are as at be
    because been before being below between both but by can could did do does doing down during
    each few for from further had has have having he her here hers herself him himself his how i
    if in into is it its itself just me more most my myself no nor not now of off on once only
    or other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up very
    was we were what when where which while who whom why will with would you your yours yourself
    yourselves said says say told would may might must shall one ago yesterday today mr mrs ms
    dr s t"""
STOPWORDS = frozenset(_STOPWORD_LIST.split())


@dataclass(frozen=True, slots=True)
class Tokens:
    """Word tokens of a text region.

    Attributes:
        spans: ``(n, 2)`` array of original-text offsets ``[start, end)`` per token.
        words: Normalised (case-folded, accent-stripped) token strings.
        stems: Snowball English stems of ``words``.
    """

    spans: npt.NDArray[np.int64]
    words: tuple[str, ...]
    stems: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.words)

    def content_mask(self) -> npt.NDArray[np.bool_]:
        """Boolean mask of tokens that are not stop words."""
        return np.fromiter((w not in STOPWORDS for w in self.words), bool, len(self.words))


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("english")


_STEM_CACHE: dict[str, str] = {}
_STEM_CACHE_MAX = 200_000


def stem_words(words: list[str]) -> list[str]:
    """Snowball English stems of many words (memoised; unseen words in one native call)."""
    cache = _STEM_CACHE
    try:
        return list(map(cache.__getitem__, words))  # the usual case once the memo is warm
    except KeyError:
        pass  # some words are new
    unseen = set(words).difference(cache)
    if len(cache) > _STEM_CACHE_MAX:
        cache.clear()
        unseen = set(words)
    missing = list(unseen)
    cache.update(zip(missing, _stemmer().stemWords(missing), strict=True))
    return list(map(cache.__getitem__, words))


def _ascii_only_words(text: str) -> bool:
    """Whether every letter and digit of ``text`` is ASCII (then :func:`_ascii_words` applies).

    Most non-ASCII news text holds no non-ASCII letter once normalised (only the pound signs
    of METER copy, dashes, symbols).
    """
    if text.isascii():
        return True
    # Deleting the ASCII bytes of UTF-8 leaves the non-ASCII characters, still valid UTF-8.
    data = text.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES)
    return not any(c.isalnum() for c in set(data.decode("utf-8", "surrogatepass")))


Bounds = tuple[list[str], npt.NDArray[np.intp], npt.NDArray[np.intp]]


def _ascii_words(text: str) -> Bounds:
    """The words ``_WORD`` finds in ``text`` (letters and digits all ASCII), starts and ends.

    Array operations instead of a regex match per word (about 3x faster on the METER 4 KB
    articles). A word is a run of letters or a run of digits; an apostrophe or a hyphen between
    two letters, or a point or a comma between two digits, continues the run.
    """
    if text.isascii():
        data = text.encode("ascii")
    else:  # the non-ASCII characters are all gaps
        wide = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)
        data = np.minimum(wide, 127).astype(np.uint8).tobytes()  # 127 (DEL) is a gap too
    codes = np.frombuffer(data, np.uint8)
    cls = np.frombuffer(data.translate(_CLASS_TABLE), np.uint8)
    padded = np.zeros(len(cls) + 2, np.uint8)
    padded[1:-1] = cls
    before, after = padded[:-2], padded[2:]
    kind = np.frombuffer(bytearray(data.translate(_KIND_TABLE)), np.uint8)  # letter, digit, gap
    kind[(cls == _JOINS_LETTERS) & (before == _LETTER) & (after == _LETTER)] = _LETTER
    kind[(cls == _JOINS_DIGITS) & (before == _DIGIT) & (after == _DIGIT)] = _DIGIT
    padded[1:-1] = kind
    edge = padded[1:] != padded[:-1]  # edge[i]: the kind changes between i - 1 and i
    inside = kind != _GAP
    starts = np.flatnonzero(edge[:-1] & inside)
    ends = np.flatnonzero(edge[1:] & inside) + 1
    # The words as strings: gaps become spaces, and a space goes between a run of letters and
    # a run of digits that touch ("10am"); then one ``str.split``.
    chars = np.where(inside, codes, _SPACE).astype(np.uint8)
    touching = np.flatnonzero(edge[1:-1] & inside[:-1] & inside[1:]) + 1
    if touching.size:
        chars = np.insert(chars, touching, _SPACE)
    return chars.tobytes().decode("ascii").split(), starts, ends


def _words(text: str) -> Bounds:
    """The words of ``text`` (normalised) with their starts and ends."""
    if _ascii_only_words(text):
        return _ascii_words(text)
    parts = _WORD.split(text)  # gap, word, gap, word, ..., gap
    ends = np.cumsum(np.fromiter(map(len, parts), np.intp, len(parts)))
    return parts[1::2], ends[0:-1:2], ends[1::2]


def tokenize(text: str, start: int = 0, end: int | None = None) -> Tokens:
    """Tokenize ``text[start:end]``, reporting spans into the whole original ``text``.

    Args:
        text: The original text.
        start: Where the region starts.
        end: Where it ends (default: the end of the text).

    Returns:
        The region's tokens.
    """
    end = len(text) if end is None else end
    norm = normalize(text[start:end])
    words, starts, ends = _words(norm.text)
    if not words:
        return Tokens(np.zeros((0, 2), dtype=np.int64), (), ())
    spans = np.empty((len(words), 2), dtype=np.int64)
    spans[:, 0] = norm.offsets[starts]
    spans[:, 1] = norm.offsets[ends - 1] + 1
    spans += start
    return Tokens(spans, tuple(words), tuple(stem_words(words)))
