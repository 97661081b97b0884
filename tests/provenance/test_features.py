"""Document features: shared n-gram masks, quoted tokens, and the features of real pairs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retold.align import align
from retold.ingest import read_article
from retold.ingest.corpora.meter import load_meter
from retold.model import Article, FactKind
from retold.pipeline import Comparer
from retold.provenance.features import (
    SIDE_FEATURES,
    _covered,
    _outside_quotes,
    document_features,
    shared_names,
)
from retold.text.shingles import covered_by, ngrams, word_hashes

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "corpus"

# A small vocabulary, so that generated texts share n-grams of every size, and miss some.
_WORDS = st.lists(st.sampled_from("the court was told he had a knife".split()), max_size=40)


@settings(max_examples=300)
@given(_WORDS, _WORDS)
def test_shared_ngram_masks_equal_one_lookup_per_size(a: list[str], b: list[str]) -> None:
    sizes = (2, 3, 5)
    ha, hb = word_hashes(a), word_hashes(b)
    grams_a = [ngrams(ha, n) for n in sizes]
    grams_b = [ngrams(hb, n) for n in sizes]
    for ga, gb, shared in zip(grams_a, grams_b, _covered(grams_a, grams_b), strict=True):
        assert shared.covered_a.tolist() == covered_by(ga, gb).tolist()
        assert shared.covered_b.tolist() == covered_by(gb, ga).tolist()


def _depth_reference(text: str, lo: int, hi: int, starts: list[int]) -> list[bool]:
    """Outside quotes, counted plainly: an even number of marks before the position."""
    marks = [i for i in range(lo, hi) if text[i] in '"\u201c\u201d`']
    marks += [i for i in range(lo, hi - 1) if text[i : i + 2] == "''"]
    if len(marks) < 2:
        return [True] * len(starts)
    return [sum(m < s for m in marks) % 2 == 0 for s in starts]


@given(
    st.text(alphabet=st.sampled_from("ab '\"\u201c\u201d`\n"), max_size=60),
    st.integers(0, 60),
    st.integers(0, 60),
)
def test_outside_quotes_counts_the_marks_before_each_token(text: str, lo: int, hi: int) -> None:
    lo, hi = sorted((min(lo, len(text)), min(hi, len(text))))
    starts = [i for i in range(lo, hi) if text[i] in "ab" and (i == lo or text[i - 1] not in "ab")]
    got = _outside_quotes(text, lo, hi, np.asarray(starts, dtype=np.int64))
    assert got.tolist() == _depth_reference(text, lo, hi, starts)


@pytest.fixture(scope="module")
def meter_pairs(shared: Path) -> list[tuple[Article, Article]]:
    meter = shared / "data" / "meter"
    if not meter.is_dir():
        pytest.skip("METER not available")
    corpus = load_meter(meter)
    pairs = []
    for item in corpus.newspapers[::60]:
        sources = corpus.sources(item)
        if sources:
            pairs.append((item.article, sources[0]))
    if not pairs:
        pytest.skip("no METER pairs")
    return pairs[:5]


def test_features_of_meter_pairs_swap_with_the_sides(
    meter_pairs: list[tuple[Article, Article]],
) -> None:
    comparer = Comparer()
    for a, b in meter_pairs:
        pa, pb = comparer.prepare(a), comparer.prepare(b)
        ab = document_features(pa, pb, align(pa, pb))
        ba = document_features(pb, pa, align(pb, pa))
        for name in SIDE_FEATURES:
            assert ab[f"{name}_a"] == ba[f"{name}_b"]
            assert ab[f"{name}_max"] == ba[f"{name}_max"]
        for name in ("c2", "c3", "c5", "u3"):
            assert 0.0 <= ab[f"{name}_a"] <= 1.0
        # Verbatim 5-grams are inside verbatim trigrams, trigrams inside bigrams.
        assert ab["c5_a"] <= ab["c3_a"] <= ab["c2_a"]
        assert ab["names"] == ba["names"]
        assert 0.0 <= ab["names"] <= 1.0


def test_shared_names_tell_one_event_from_another() -> None:
    """The example corpus's independent report names the wire story's streets and river.

    It shares almost no wording with the wire story, so the names are what says it is the
    same flood; the unrelated story names nothing the wire story does.
    """
    comparer = Comparer()
    wire = comparer.prepare(read_article(EXAMPLES / "wire.txt"))
    own = comparer.prepare(read_article(EXAMPLES / "independent.txt"))
    other = comparer.prepare(read_article(EXAMPLES / "unrelated.txt"))
    named = {f.key for f in own.facts if f.kind in (FactKind.NAME, FactKind.PLACE)}
    assert {"leyne", "mill lane", "station road"} <= named
    assert shared_names(wire, own) == shared_names(own, wire) >= 0.5
    assert shared_names(wire, other) == 0.0


_COURT = (
    "A builder who stole tools from a site in Leeds was jailed for eight months yesterday. "
    "The judge told him the thefts had cost his employer more than 3,000 pounds. "
    'He said: "You abused the trust placed in you by people who gave you work." '
    "The man had admitted four charges of theft at an earlier hearing."
)
# An independent report of the same hearing: its own wording, the judge's words quoted as said.
_OWN_WORDS = (
    "Magistrates heard that the tools went missing over several weeks last spring. "
    'He said: "You abused the trust placed in you by people who gave you work." '
    "His lawyer said he was sorry and had begun to repay the money."
)
# A rewrite of the first report: its first two sentences kept, the rest reworded.
_COPIED = (
    "A builder who stole tools from a site in Leeds was jailed for eight months yesterday. "
    "The judge told him the thefts had cost his employer more than 3,000 pounds. "
    "The man, who now lives in Bradford, had pleaded guilty to four thefts last month."
)


def test_copied_sentences_ignore_quotes_and_count_copied_sentences() -> None:
    comparer = Comparer()
    court = comparer.prepare(Article.from_text(_COURT))

    def csent(text: str) -> tuple[float, float]:
        other = comparer.prepare(Article.from_text(text))
        f = document_features(court, other, align(court, other))
        return f["csent_a"], f["csent_b"]

    # Only the shared quotation: nothing counts as copied.
    assert csent(_OWN_WORDS) == (0.0, 0.0)
    # Two of three sentences copied; on the court side those two out of its four, which hold
    # 30 of its 57 tokens (and 30 of the rewrite's 45), so the shares are 0.53 and 0.67.
    on_court, on_copy = csent(_COPIED)
    assert 0.4 < on_court < 0.6
    assert 0.6 < on_copy < 0.8
