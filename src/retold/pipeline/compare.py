"""``compare``: the one place that composes the stages for a pair of articles.

prepare (segment, tokenize, embed) → align → features → verdict → facts → direction.
Unrelated pairs get no passages and no fact diff.
"""

from __future__ import annotations

from collections import OrderedDict

from retold.align import Prepared, align, prepare
from retold.config import CompareOptions
from retold.fingerprint import get_embedder
from retold.model import Article, Comparison, FactDiff, Relation, passage_order
from retold.provenance.direction import infer_direction
from retold.provenance.facts import diff_facts
from retold.provenance.features import document_features
from retold.provenance.verdict import decide, likeliest

__all__ = ["KEEP_BYTES", "Comparer", "compare"]

# Arrays of prepared articles :meth:`Comparer.prepared` keeps. A ~4 KB METER article holds about
# 0.5 MB (mostly one 256-float vector per content word), so this keeps some 500 such articles.
KEEP_BYTES = 256 * 2**20


def _size(p: Prepared) -> int:
    """Approximate bytes a prepared article holds (its arrays and text)."""
    # The word table and ids, not ``word_vectors``: that property builds a per-token copy.
    arrays = (p.vectors, p.word_table, p.word_ids, p.hashes, p.stem_keys, p.content_before)
    grams = sum(g.hashes.nbytes + g.ordered.nbytes for g in p.shingles)
    spans = p.tokens.spans.nbytes + p.bounds.nbytes
    return sum(a.nbytes for a in arrays) + grams + spans + len(p.article.text)


class Comparer:
    """Compares articles; holds the loaded embedder so many comparisons share it.

    Args:
        options: Comparison options.

    Example:
        >>> from retold.model import Article
        >>> c = Comparer()
        >>> r = c.compare(Article.from_text("The court fined him 500 pounds for the theft."),
        ...               Article.from_text("The court fined him 500 pounds for the theft."))
        >>> r.verdict.relation.value
        'wholly_derived'
    """

    def __init__(self, options: CompareOptions | None = None):
        self.options = options or CompareOptions()
        self._embedder = get_embedder(self.options.embedder)
        self._kept: OrderedDict[Article, Prepared] = OrderedDict()
        self._kept_bytes = 0

    def prepare(self, article: Article) -> Prepared:
        """Segment, tokenize and embed one article for later comparisons."""
        return prepare(article, self._embedder, max_chars=self.options.max_chars)

    def prepared(self, article: Article) -> Prepared:
        """:meth:`prepare`, remembering the articles prepared last.

        For batch runs that name one article in many pairs (a wire story against each of its
        rewrites): an article is prepared once while it stays among the most recently used,
        up to about ``KEEP_BYTES`` of arrays. Equal articles (same text and metadata) share one
        entry, so reading a file again finds it.
        """
        hit = self._kept.get(article)
        if hit is not None:
            self._kept.move_to_end(article)
            return hit
        made = self.prepare(article)
        self._kept[article] = made
        self._kept_bytes += _size(made)
        while self._kept_bytes > KEEP_BYTES and len(self._kept) > 1:
            _, old = self._kept.popitem(last=False)
            self._kept_bytes -= _size(old)
        return made

    def compare(self, a: Article | Prepared, b: Article | Prepared) -> Comparison:
        """Compare two articles (raw or prepared).

        Returns:
            The comparison. ``compare(b, a)`` equals ``compare(a, b).swapped()``.
        """
        pa = a if isinstance(a, Prepared) else self.prepare(a)
        pb = b if isinstance(b, Prepared) else self.prepare(b)
        alignment = align(pa, pb)
        features = document_features(pa, pb, alignment)
        verdict = decide(features)
        passages = alignment.passages
        facts: tuple[FactDiff, ...] = ()
        if verdict.relation is Relation.UNRELATED:
            # Nothing is retold, so there is nothing to diff (the diff is skipped where most
            # pairs are unrelated, as in ``stories``).
            passages = ()
        else:
            # Already sorted by fact_order (then by end offsets and texts).
            facts = diff_facts(pa.article, pb.article, passages, facts_a=pa.facts, facts_b=pb.facts)
        direction = infer_direction(
            pa.article,
            pb.article,
            verdict.relation,
            features,
            facts,
            shape=likeliest(verdict).derived,
        )
        features = dict(
            features,
            truncated=float(pa.truncated or pb.truncated),
            truncated_a=float(pa.truncated),
            truncated_b=float(pb.truncated),
        )
        return Comparison(
            pa.article,
            pb.article,
            verdict,
            tuple(sorted(passages, key=passage_order)),
            facts,
            direction,
            features,
        )


_DEFAULT: dict[CompareOptions, Comparer] = {}


def compare(a: Article, b: Article, options: CompareOptions | None = None) -> Comparison:
    """Compare two articles with a process-wide :class:`Comparer` for these options.

    Args:
        a: First article.
        b: Second article.
        options: Comparison options (default :class:`~retold.config.CompareOptions`).

    Returns:
        What retold finds out about the pair.
    """
    options = options or CompareOptions()
    comparer = _DEFAULT.get(options)
    if comparer is None:
        comparer = _DEFAULT[options] = Comparer(options)
    return comparer.compare(a, b)
