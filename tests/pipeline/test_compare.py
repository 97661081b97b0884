"""compare() on real inputs: the seed pair, the example corpus, symmetry."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from retold.ingest import read_article
from retold.model import Relation, RewriteKind
from retold.pipeline import Comparer, compare
from retold.text.segment import segment

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "corpus"


@pytest.fixture(scope="module")
def comparer() -> Comparer:
    return Comparer()


@pytest.fixture(scope="module")
def seed_result(seeds: tuple[Path, Path], comparer: Comparer):
    return comparer.compare(read_article(seeds[0]), read_article(seeds[1]))


def test_seed_pair_is_not_unrelated(seed_result) -> None:
    assert seed_result.verdict.relation is not Relation.UNRELATED
    assert seed_result.verdict.probabilities[0][1] < 0.1  # P(unrelated)


# Issue 2's acceptance criterion. Measured partially derived, heavy, P(derived) 0.51 since the
# verdict reads sentence counterparts (same_story at 0.39 before: the verdict, fitted on METER's
# mostly light rewrites, read this heavy, padded spin as the same story told independently).
def test_seed_pair_is_a_derived_heavy_paraphrase(seed_result) -> None:
    assert seed_result.verdict.relation.derived
    assert seed_result.verdict.kind is RewriteKind.HEAVY


def test_seed_pair_passages_slice_real_text(seed_result) -> None:
    a, b = seed_result.a.text, seed_result.b.text
    assert len(seed_result.passages) >= 5
    for p in seed_result.passages:
        assert 0 <= p.a.start < p.a.end <= len(a)
        assert 0 <= p.b.start < p.b.end <= len(b)
        assert p.a.slice(a).strip() == p.a.slice(a)
        assert p.kind is not RewriteKind.VERBATIM


def test_seed_pair_has_at_least_eight_passages(seed_result) -> None:
    assert len(seed_result.passages) >= 8


def test_seed_pair_passages_do_not_span_headings(seed_result) -> None:
    """a is padded with section headings; no passage runs across one (they are not retold)."""
    a = seed_result.a
    headings = [s.span for s in segment(a.text, a.body_span) if s.heading]
    assert len(headings) >= 5
    for p in seed_result.passages:
        assert not any(p.a.start < h.start and h.end < p.a.end for h in headings)


def test_seed_pair_statements_around_a_heading_are_separate_passages(seed_result) -> None:
    """Sources cited anonymously, then the first trip abroad: a heading stands between them in a."""
    a, b = seed_result.a.text, seed_result.b.text

    def passage_with(word_a: str):
        found = [p for p in seed_result.passages if word_a in p.a.slice(a)]
        assert len(found) == 1, word_a
        return found[0]

    sources, trip = passage_with("anonymous sources"), passage_with("first foreign visit")
    assert sources != trip
    assert "anonymously" in sources.b.slice(b)
    assert "first trip abroad" in trip.b.slice(b)
    analysts, officials = passage_with("Experts speculate"), passage_with("White House")
    assert analysts != officials
    assert "Analysts suggest" in analysts.b.slice(b)
    assert "arms negotiations" in officials.b.slice(b)


def test_seed_pair_spot_checks(seed_result) -> None:
    """Passages that must align: the same statement, reworded and moved."""
    a, b = seed_result.a.text, seed_result.b.text

    def aligned(word_a: str, word_b: str) -> bool:
        return any(word_a in p.a.slice(a) and word_b in p.b.slice(b) for p in seed_result.passages)

    assert aligned("Rumors are swirling", "rumors have been swirling")
    assert aligned("police presence", "police presence")
    assert aligned("retained silence", "remained silent")
    assert aligned("arms negotiations", "arms negotiations")
    assert aligned("first foreign visit", "first trip abroad")
    # Clause-level rewording found by soft word matches.
    assert aligned("economic forum", "economic forum")
    assert aligned("bated breath", "ignited anticipation")


def test_seed_pair_has_no_passage_between_different_statements(seed_result) -> None:
    """The tourist's opinion in a has no counterpart in b; it must not be aligned."""
    a = seed_result.a.text
    assert not any("Yelena" in p.a.slice(a) for p in seed_result.passages)


def test_seed_pair_shares_facts(seed_result) -> None:
    texts = {(f.a_text or f.b_text or "").lower() for f in seed_result.facts}
    assert any("vladivostok" in t for t in texts)


def test_swapping_swaps_a_and_b_and_nothing_else(
    seeds: tuple[Path, Path], comparer: Comparer
) -> None:
    a, b = read_article(seeds[0]), read_article(seeds[1])
    ab = comparer.compare(a, b)
    ba = comparer.compare(b, a)
    assert ba.verdict == ab.verdict
    assert ba.passages == ab.swapped().passages
    assert ba.facts == ab.swapped().facts
    assert ba.direction.source == ab.direction.source.swapped()

    # Evidence details name both sides; after a swap they list them in the other order.
    def cues(d):
        return sorted((e.cue, e.favours, e.weight) for e in d.evidence)

    assert cues(ba.direction) == cues(ab.swapped().direction)


@pytest.mark.parametrize(
    ("name", "relations", "kinds"),
    [
        ("verbatim.txt", {Relation.WHOLLY_DERIVED}, {RewriteKind.VERBATIM}),
        ("light.txt", {Relation.WHOLLY_DERIVED, Relation.PARTIALLY_DERIVED}, {RewriteKind.LIGHT}),
        # Judged same_story (P 0.36) until the verdict read sentence counterparts (2026-11-23).
        ("heavy.txt", {Relation.WHOLLY_DERIVED, Relation.PARTIALLY_DERIVED}, {RewriteKind.HEAVY}),
        # Judged unrelated until the verdict read the names both sides share (2026-11-23).
        ("independent.txt", {Relation.SAME_STORY}, {None}),
        ("unrelated.txt", {Relation.UNRELATED}, {None}),
    ],
)
def test_example_corpus(
    name: str, relations: set[Relation], kinds: set[object], comparer: Comparer
) -> None:
    r = comparer.compare(read_article(EXAMPLES / "wire.txt"), read_article(EXAMPLES / name))
    assert r.verdict.relation in relations
    assert r.verdict.kind in kinds


def test_unrelated_pair_reports_no_passages_and_no_facts(comparer: Comparer) -> None:
    wire = read_article(EXAMPLES / "wire.txt")
    r = comparer.compare(wire, read_article(EXAMPLES / "unrelated.txt"))
    assert r.verdict.relation is Relation.UNRELATED
    assert r.passages == () and r.facts == ()
    # A related pair of the same wire story does get its fact diff.
    assert comparer.compare(wire, read_article(EXAMPLES / "light.txt")).facts


def test_wire_is_found_as_the_source_of_its_copy(comparer: Comparer) -> None:
    r = comparer.compare(read_article(EXAMPLES / "light.txt"), read_article(EXAMPLES / "wire.txt"))
    assert r.direction.source.value == "b"
    assert any(e.cue == "date" for e in r.direction.evidence)


def test_changed_quote_is_reported(comparer: Comparer) -> None:
    r = comparer.compare(read_article(EXAMPLES / "wire.txt"), read_article(EXAMPLES / "light.txt"))
    changed = [(f.a_text, f.b_text) for f in r.facts if f.status.value == "changed"]
    assert any(x and y and "fast" in x and "quickly" in y for x, y in changed)
    both = {(f.a_text or "") for f in r.facts if f.status.value == "both"}
    assert any("Priya Desai" in t for t in both)


def test_module_level_compare_reuses_one_comparer(seeds: tuple[Path, Path]) -> None:
    a, b = read_article(seeds[0]), read_article(seeds[1])
    assert compare(a, b).verdict == compare(a, b).verdict


words = st.sampled_from(
    "the court heard that police found two men near river bank on monday after fire crews said".split()
)
sentences = st.lists(words, min_size=3, max_size=12).map(lambda w: " ".join(w).capitalize() + ".")
articles = st.lists(sentences, min_size=1, max_size=8).map(" ".join)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(articles, articles)
# Found by Hypothesis: a passage of nine links whose mean score, summed in the order of one
# side's sentences, rounded to 0.8618 one way round and 0.8617 the other.
@example(
    "Found found near said river the river. Men crews crews police that bank heard police river "
    "found two said. Police said found bank river on monday on two the river near.",
    "Bank crews court police. River bank two after heard said found after that police on court. "
    "Men crews crews police that bank heard police river found two said. Near crews fire police "
    "two that on court fire. Court bank police crews after fire river found river court the "
    "that. Men monday bank fire the men on two men heard that on. On police bank said found "
    "river near said bank.",
)
def test_symmetry_and_spans_on_generated_pairs(x: str, y: str) -> None:
    from retold.model import Article

    c = Comparer()
    a, b = Article.from_text(x), Article.from_text(y)
    ab = c.compare(a, b)
    ba = c.compare(b, a)
    assert ba.verdict == ab.verdict
    assert ba.passages == ab.swapped().passages
    for p in ab.passages:
        assert 0 <= p.a.start < p.a.end <= len(x)
        assert 0 <= p.b.start < p.b.end <= len(y)


def test_prepared_articles_are_kept_for_batches_and_give_the_same_results(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import importlib

    compare_module = importlib.import_module("retold.pipeline.compare")  # the name is shadowed
    c = Comparer()
    wire = read_article(EXAMPLES / "wire.txt")
    kept = c.prepared(wire)
    assert c.prepared(read_article(EXAMPLES / "wire.txt")) is kept  # read again: the same entry
    for name in ("verbatim.txt", "light.txt", "heavy.txt", "unrelated.txt"):
        other = read_article(EXAMPLES / name)
        assert c.compare(kept, c.prepared(other)) == c.compare(wire, other)
    assert len(c._kept) == 5
    # Past the byte budget the least recently used go first; the newest always stays.
    monkeypatch.setattr(compare_module, "KEEP_BYTES", 1)
    last = c.prepared(read_article(EXAMPLES / "independent.txt"))
    assert list(c._kept.values()) == [last]
    assert c.prepared(wire) is not kept
