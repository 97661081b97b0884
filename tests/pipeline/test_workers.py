"""Comparing pairs in worker processes: order, work sharing, failures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retold.config import CompareOptions
from retold.errors import StoreError
from retold.ingest.corpora.meter import load_meter
from retold.model import Article
from retold.pipeline import _workers
from retold.pipeline._workers import compare_in_pool, locality_order, verbatim_signals_of
from retold.pipeline.compare import Comparer
from retold.provenance.probes import WordProbe, verbatim_signals

CORPUS = Path(__file__).resolve().parents[2] / "examples" / "corpus"


@pytest.fixture(scope="module")
def articles() -> dict[str, Article]:
    return {
        p.stem: Article.from_text(p.read_text(encoding="utf-8"), id=p.stem)
        for p in sorted(CORPUS.glob("*.txt"))
    }


def _all_pairs(names: list[str]) -> list[tuple[str, str]]:
    return [(a, b) for a in names for b in names if a != b]


_IDS = st.sampled_from([f"n{k}" for k in range(30)])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_IDS, _IDS).filter(lambda p: p[0] != p[1]), max_size=80), st.randoms())
def test_locality_order_is_a_permutation_fixed_by_the_set_of_pairs(pairs, rnd) -> None:
    order = locality_order(pairs)
    assert sorted(order) == list(range(len(pairs)))
    shuffled = list(range(len(pairs)))
    rnd.shuffle(shuffled)
    flipped = [pairs[i][::-1] if rnd.random() < 0.5 else pairs[i] for i in shuffled]
    # The same pairs in another order and orientation come out as the same sequence of pairs.
    again = [frozenset(flipped[i]) for i in locality_order(flipped)]
    first = [frozenset(pairs[i]) for i in order]
    assert sorted(map(sorted, first)) == sorted(map(sorted, again))
    if len(set(first)) == len(first):
        assert again == first


def test_locality_order_keeps_a_chain_together() -> None:
    # Pairs along a chain of articles, given shuffled: walked in order, each article is needed
    # in one stretch of the order, so a small memo prepares each article once.
    chain = [(f"c{k:02d}", f"c{k + 1:02d}") for k in range(40)]
    shuffled = chain[1::2] + chain[::2]
    order = locality_order(shuffled)
    last_seen: dict[str, int] = {}
    for pos, i in enumerate(order):
        for x in shuffled[i]:
            assert pos - last_seen.get(x, pos) <= 1
            last_seen[x] = pos


@pytest.mark.parametrize(("workers", "chunk"), [(2, 1), (3, 2), (5, 64)])
def test_every_pair_is_compared_once_whatever_the_workers(
    articles: dict[str, Article], workers: int, chunk: int
) -> None:
    pairs = _all_pairs(sorted(articles))
    serial = dict(compare_in_pool(articles, pairs, CompareOptions(), 1, 4))
    got = list(compare_in_pool(articles, pairs, CompareOptions(), workers, chunk))
    assert sorted(i for i, _ in got) == list(range(len(pairs)))
    assert dict(got) == serial


def test_the_memo_bound_does_not_change_results(
    articles: dict[str, Article], monkeypatch: pytest.MonkeyPatch
) -> None:
    pairs = _all_pairs(sorted(articles))
    full = dict(compare_in_pool(articles, pairs, CompareOptions(), 1, 4))
    monkeypatch.setattr(_workers, "_MEMO", 1)
    assert dict(compare_in_pool(articles, pairs, CompareOptions(), 1, 4)) == full


def _failing_compare(fail: str, how: str):
    original = Comparer.compare

    def compare(self, a, b):  # type: ignore[no-untyped-def]
        if fail in (a.article.id, b.article.id):
            if how == "exit":
                os._exit(3)
            if how == "unpicklable":
                error = StoreError("cannot travel")
                error.payload = lambda: None  # type: ignore[attr-defined]
                raise error
            raise StoreError(f"broken {fail}")
        return original(self, a, b)

    return compare


@pytest.mark.parametrize(
    ("victim", "mode", "error", "match"),
    [
        # A worker's exception reaches the caller as itself.
        (-1, "raise", StoreError, "broken {name}"),
        # One that cannot be pickled arrives as its text.
        (0, "unpicklable", RuntimeError, "cannot travel"),
        # A worker that dies is reported, not waited for.
        (0, "exit", RuntimeError, "exit code 3"),
    ],
)
def test_a_worker_failure_reaches_the_caller(
    articles: dict[str, Article],
    monkeypatch: pytest.MonkeyPatch,
    victim: int,
    mode: str,
    error: type[Exception],
    match: str,
) -> None:
    names = sorted(articles)
    monkeypatch.setattr(Comparer, "compare", _failing_compare(names[victim], mode))
    with pytest.raises(error, match=match.format(name=names[victim])):
        list(compare_in_pool(articles, _all_pairs(names), CompareOptions(), 2, 2))


def test_pooled_verbatim_signals_equal_verbatim_signals_on_meter(shared: Path) -> None:
    corpus = load_meter(shared / "data" / "meter")
    items = [i for i in corpus.newspapers if (i.date, i.catchline) in corpus.pa][:300:5]
    arts = {i.article.id: i.article for i in items}
    pairs = []
    for item in items:
        for source in corpus.pa[(item.date, item.catchline)][:2]:
            arts[source.id] = source
            pairs.append((item.article.id, source.id))
    pairs += [(items[k].article.id, items[k + 1].article.id) for k in range(len(items) - 1)]
    want = [
        verbatim_signals(WordProbe.of(arts[a], 2000), WordProbe.of(arts[b], 2000)) for a, b in pairs
    ]
    assert any(0 < w.share < 0.2 for w in want) and any(w.share > 0.5 for w in want)
    assert any(w.run > 2 for w in want)
    for workers, chunk in ((1, 512), (2, 7)):
        assert verbatim_signals_of(arts, pairs, 2000, workers, chunk) == want


_WORDS = ["the", "court", "heard", "Smith", "fined", "500", "pounds", "said", '"', "\u201c"]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(_WORDS), min_size=0, max_size=30),
    st.lists(st.sampled_from(_WORDS), min_size=0, max_size=30),
)
def test_pooled_verbatim_signals_equal_verbatim_signals(left: list[str], right: list[str]) -> None:
    a = Article.from_text(" ".join(left) + " end.", id="a")
    b = Article.from_text(" ".join(left[:10] + right) + " end.", id="b")
    want = verbatim_signals(WordProbe.of(a), WordProbe.of(b))
    pairs = [("a", "b"), ("b", "a")]
    assert verbatim_signals_of({"a": a, "b": b}, pairs, 200_000, 1, 1) == [want] * 2
