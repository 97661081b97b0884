"""Word probes: whether compare could call a pair a verbatim copy, from its words alone.

Clustering ties articles dated far apart only when compare calls them a verbatim whole copy
(:mod:`retold.provenance.clusters`), and compare calls a derived pair verbatim only when its
``KIND_FEATURE`` or its ``KIND_RUN_FEATURE`` reaches its cut point
(:func:`retold.provenance.verdict.document_kind`). Both features depend on the two texts' words
only, so a cheap probe of each article rules most such pairs out before anything is prepared.

Example:
    >>> from retold.model import Article
    >>> a = Article.from_text("The court heard that Smith was fined 500 pounds in Leeds.")
    >>> signals = verbatim_signals(WordProbe.of(a), WordProbe.of(a))
    >>> signals.share, signals.may_be_verbatim()
    (1.0, True)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from retold.model import Article, Span
from retold.provenance.calibration import (
    KIND_FEATURE,
    KIND_RUN_FEATURE,
    KIND_VERBATIM_RATE,
    KIND_VERBATIM_RUN,
)
from retold.provenance.features import mean_run
from retold.text import tokenize
from retold.text.shingles import U64, Ngrams, covered_by, ngrams, word_hashes

__all__ = ["VerbatimSignals", "WordProbe", "verbatim_signals"]

# Double quotation marks as compare's document features read them (straight, curly, backtick,
# and PA's doubled apostrophe): the same rule as retold.provenance.features.
_QUOTE_CHAR = re.compile('["\u201c\u201d`]')
_DOUBLED_APOSTROPHE = re.compile("(?='')")


@dataclass(frozen=True, slots=True, eq=False)
class WordProbe:
    """An article's words as far as they decide whether a pair can be a verbatim copy.

    A fraction of the cost of preparing the article for compare (no sentences, embeddings or
    facts): 0.5 ms per Reuters-21578 article here.

    Attributes:
        hashes: Hash of each word token of the compared region (as compare hashes them; stable
            within one process only).
        outside: Per token, True when it lies outside double quotation marks.
        trigrams: The word trigrams, hashed and sorted once, so that probing one article
            against many costs two binary searches a pair.
    """

    hashes: U64
    outside: npt.NDArray[np.bool_]
    trigrams: Ngrams

    @classmethod
    def of(cls, article: Article, max_chars: int = 200_000) -> WordProbe:
        """Probe the region compare reads: the body, cut to ``max_chars`` like compare cuts it."""
        body = article.body_span
        region = Span(body.start, body.start + max_chars) if len(body) > max_chars else body
        text = article.text
        tokens = tokenize(text, region.start, region.end)
        starts = tokens.spans[:, 0]
        marks = [m.start() for m in _QUOTE_CHAR.finditer(text, region.start, region.end)]
        doubled = [m.start() for m in _DOUBLED_APOSTROPHE.finditer(text, region.start, region.end)]
        if doubled:
            marks = sorted(marks + doubled)
        if len(marks) < 2:
            outside = np.ones(len(starts), dtype=bool)
        else:
            outside = np.searchsorted(np.asarray(marks), starts) % 2 == 0
        hashes = word_hashes(tokens.words)
        return cls(hashes, outside, ngrams(hashes, 3))


@dataclass(frozen=True, slots=True)
class VerbatimSignals:
    """Compare's two rewrite-kind features of a pair, from two probes.

    Attributes:
        share: ``u3_max``: the larger of the two sides' shares of their words outside quotes
            that lie inside a word trigram the other side also has.
        run: ``run_max``: the larger of the two sides' log1p mean length of the unbroken runs
            of such words (quoted or not).
    """

    share: float
    run: float

    def may_be_verbatim(self) -> bool:
        """Whether compare could call the pair verbatim (``False`` is a certainty)."""
        if (KIND_FEATURE, KIND_RUN_FEATURE) != ("u3_max", "run_max"):
            return True  # the kind rule changed: nothing is certain any more
        # Features are rounded to 1e-6 before the cut points apply; stay on the safe side.
        return self.share >= KIND_VERBATIM_RATE - 1e-6 or self.run >= KIND_VERBATIM_RUN - 1e-6


def verbatim_signals(a: WordProbe, b: WordProbe) -> VerbatimSignals:
    """Compare's ``u3_max`` and ``run_max`` features of a pair, from two probes."""
    shares, runs = [], []
    for mine, theirs in ((a, b), (b, a)):
        covered = covered_by(mine.trigrams, theirs.trigrams)
        shares.append(float(covered[mine.outside].mean()) if mine.outside.any() else 0.0)
        runs.append(mean_run(covered))
    return VerbatimSignals(max(shares), max(runs))
