"""Articles prepared for alignment: sentences, their tokens and their embeddings.

Preparing is the per-article half of a comparison; a prepared article can be compared with many
others without being segmented or embedded again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import compress
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from retold.fingerprint.words import static_word_table
from retold.model import Article, Span
from retold.text import STOPWORDS, Sentence, Tokens, segment, tokenize
from retold.text.entities import Fact, extract_facts
from retold.text.shingles import U64, Ngrams, ngrams, word_hashes

if TYPE_CHECKING:
    from retold.fingerprint.embed import Embedder

__all__ = ["SHINGLE_SIZES", "Prepared", "prepare"]

# Word n-gram sizes hashed and sorted once per article (the containment features and the copy
# rate use them; see :func:`retold.text.shingles.covered_by`).
SHINGLE_SIZES = (2, 3, 5)


@dataclass(frozen=True, slots=True, eq=False)
class Prepared:
    """One article ready to be aligned.

    Attributes:
        article: The article.
        region: The part of the text compared (the body, possibly cut to a size bound).
        sentences: Sentences of the region.
        tokens: Word tokens of the region.
        bounds: ``bounds[k]:bounds[k+1]`` are the token indices of sentence ``k``.
        content: Per token, True when it is a content word (not a stop word).
        vectors: ``(n_sentences, dim)`` L2-normalised sentence embeddings.
        doc_vector: L2-normalised mean of the sentence vectors weighted by length.
        truncated: True when the body was cut to the size bound.
        hashes: 64-bit hash of each token's word, for shingles.
        word_table: ``(n_distinct_content_words, dim)`` unit static vectors of the distinct
            content words, in no particular order (for soft word matching, see
            :mod:`retold.align.similarity`; :attr:`word_vectors` has one row per token).
        word_ids: Row of ``word_table`` of each content token, in text order.
        word_sentence: Sentence index of each content token, non-decreasing.
        stem_keys: 64-bit hash of each content token's stem, in text order.
        content_stems: The distinct stems of the content tokens.
        content_before: ``content_before[k]`` content tokens precede token ``k`` (length
            ``n_tokens + 1``), so tokens ``lo:hi`` hold content tokens
            ``content_before[lo]:content_before[hi]``.
        shingles: Word n-grams of the region for each size of ``SHINGLE_SIZES``, in that order.
        known_facts: The facts once extracted (see :attr:`facts`); ``None`` until then.
    """

    article: Article
    region: Span
    sentences: tuple[Sentence, ...]
    tokens: Tokens
    bounds: npt.NDArray[np.int64]
    content: npt.NDArray[np.bool_]
    vectors: npt.NDArray[np.float32]
    doc_vector: npt.NDArray[np.float32]
    truncated: bool
    hashes: U64
    word_table: npt.NDArray[np.float32]
    word_ids: npt.NDArray[np.intp]
    word_sentence: npt.NDArray[np.int64]
    stem_keys: U64
    content_stems: frozenset[str]
    content_before: npt.NDArray[np.int64]
    shingles: tuple[Ngrams, ...]
    known_facts: tuple[Fact, ...] | None = field(default=None, repr=False, compare=False)

    @property
    def facts(self) -> tuple[Fact, ...]:
        """Checkable facts (names, numbers, quotes ...) of the whole text.

        Extracted on first use and kept (a quarter to a third of preparing an article: 2 of 7.5
        ms on METER articles). Every comparison reads the names and places for the verdict
        (:func:`~retold.provenance.features.shared_names`), so an article is extracted once,
        when it is first compared, not when it is prepared.
        """
        facts = self.known_facts
        if facts is None:
            facts = extract_facts(self.article.text)
            # A memo on a frozen instance: the value is a pure function of the article.
            object.__setattr__(self, "known_facts", facts)
        return facts

    @property
    def word_vectors(self) -> npt.NDArray[np.float32]:
        """``(n_content_tokens, dim)`` unit static vectors of the content words, in text order."""
        return self.word_table[self.word_ids]

    def sentence_stems(self, k: int) -> list[str]:
        """Content-word stems of sentence ``k``."""
        lo, hi = int(self.bounds[k]), int(self.bounds[k + 1])
        return [s for s, c in zip(self.tokens.stems[lo:hi], self.content[lo:hi], strict=True) if c]

    def ngrams(self, n: int) -> Ngrams:
        """Word n-grams of the region (kept from :func:`prepare` for ``SHINGLE_SIZES``)."""
        if n in SHINGLE_SIZES:
            return self.shingles[SHINGLE_SIZES.index(n)]
        return ngrams(self.hashes, n)

    @property
    def n_tokens(self) -> int:
        """Number of word tokens in the compared region."""
        return len(self.tokens)


def _word_vectors(
    tokens: Tokens, content: npt.NDArray[np.bool_], bounds: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.intp], npt.NDArray[np.int64]]:
    """Static vectors of the distinct content words, each content token's row, its sentence.

    Words are remembered across articles; a 4 KB article's 350 content tokens hold about 250
    distinct words, and soft word matching compares distinct words only.
    """
    index = np.flatnonzero(content)
    sentence = (np.searchsorted(bounds, index, side="right") - 1).astype(np.int64)
    words = list(compress(tokens.words, content.tolist()))
    if not words:
        return np.zeros((0, 1), np.float32), np.zeros(0, np.intp), sentence
    return *static_word_table(words), sentence


def prepare(
    article: Article, embedder: Embedder, *, max_chars: int = 200_000, single_unit: bool = False
) -> Prepared:
    """Segment, tokenize and embed an article's body.

    Args:
        article: The article.
        embedder: Sentence embedder (see :func:`retold.fingerprint.get_embedder`).
        max_chars: Bodies longer than this are cut (``truncated`` is then True).
        single_unit: Treat the whole body as one sentence (for sentence-pair data sets).

    Returns:
        The prepared article.
    """
    body = article.body_span
    truncated = len(body) > max_chars
    region = Span(body.start, body.start + max_chars) if truncated else body
    text = article.text
    if single_unit:
        t0, t1 = region.start, region.end
        while t0 < t1 and text[t0].isspace():
            t0 += 1
        while t1 > t0 and text[t1 - 1].isspace():
            t1 -= 1
        sentences: tuple[Sentence, ...] = (Sentence(Span(t0, t1), 0, 0, False),) if t1 > t0 else ()
    else:
        sentences = segment(text, region)
    tokens = tokenize(text, region.start, region.end)
    starts = np.fromiter((s.span.start for s in sentences), np.int64, len(sentences))
    token_starts = tokens.spans[:, 0] if len(tokens) else np.zeros(0, np.int64)
    bounds = np.empty(len(sentences) + 1, np.int64)
    bounds[:-1] = np.searchsorted(token_starts, starts, side="left")
    bounds[-1] = len(tokens)
    # Tokens between two sentences (rare: stray symbols) fold into the earlier sentence.
    # bytes() of the bools is a C loop: a third cheaper than np.fromiter on 700 tokens.
    content = ~np.frombuffer(bytes(map(STOPWORDS.__contains__, tokens.words)), bool)
    vectors = embedder.embed([s.span.slice(text) for s in sentences])
    if len(sentences):
        weights = (bounds[1:] - bounds[:-1]).astype(np.float32) + 1.0
        doc = (vectors * weights[:, None]).sum(axis=0)
        norm = float(np.sqrt(doc @ doc))  # np.linalg.norm of a vector, without its checks
        doc_vector = (doc / norm if norm > 0 else doc).astype(np.float32)
    else:
        doc_vector = np.zeros(vectors.shape[1] if vectors.ndim == 2 else 1, np.float32)
    hashes = word_hashes(tokens.words)
    stems = list(compress(tokens.stems, content.tolist()))
    content_before = np.zeros(len(tokens) + 1, np.int64)
    np.cumsum(content, out=content_before[1:])
    return Prepared(
        article,
        region,
        sentences,
        tokens,
        bounds,
        content,
        vectors,
        doc_vector,
        truncated,
        hashes,
        *_word_vectors(tokens, content, bounds),
        word_hashes(stems),
        frozenset(stems),
        content_before,
        tuple(ngrams(hashes, n) for n in SHINGLE_SIZES),
        () if single_unit else None,
    )
