"""The stories pipeline: archive -> pruned candidate pairs -> compare (cached) -> stories."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from retold.config import CompareOptions
from retold.model import Article
from retold.pipeline import index, stories
from retold.pipeline._workers import compare_in_pool
from retold.pipeline.cache import cached_comparisons, compare_key, store_comparisons
from retold.pipeline.compare import Comparer
from retold.pipeline.stories import StoriesOptions, edge_comparisons
from retold.store import Archive

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "examples" / "corpus"
SERIAL = StoriesOptions(workers=1)


def _names(result: object, ids: tuple[str, ...]) -> set[str]:
    arts = result.articles  # type: ignore[attr-defined]
    return {Path(arts[i].origin.path).name for i in ids}


@pytest.fixture(scope="module")
def example_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("stories") / "example.db"
    index([CORPUS], db)
    return db


def test_example_corpus_forms_one_story_with_the_wire_as_origin(example_db: Path) -> None:
    result = stories(example_db, options=SERIAL)
    assert len(result.articles) == len(list(CORPUS.glob("*.txt")))
    home = {
        Path(a.origin.path).name: s
        for s in result.stories.stories
        for a in (result.articles[i] for i in s.article_ids)
        if a.origin is not None
    }
    flood = home["wire.txt"]
    # The copies join the wire story (the paraphrase and the independent report join it too
    # when compare ties them firmly enough; see the report of the current calibration).
    assert {"wire.txt", "verbatim.txt", "light.txt"} <= _names(result, flood.article_ids)
    assert _names(result, (flood.origin_id,)) == {"wire.txt"}
    assert len(home["unrelated.txt"]) == 1
    assert all(e.a in flood.article_ids and e.b in flood.article_ids for e in flood.edges)
    assert any(e.directed and e.a == flood.origin_id for e in flood.edges)
    t = result.timings
    assert t.compared_pairs <= t.candidate_pairs
    assert t.total > 0


def test_second_run_reads_every_comparison_from_the_cache(example_db: Path) -> None:
    first = stories(example_db, options=SERIAL)
    second = stories(example_db, options=SERIAL)
    assert second.timings.cached_pairs == second.timings.compared_pairs > 0
    assert second.stories.membership() == first.stories.membership()
    assert [s.edges for s in second.stories.stories] == [s.edges for s in first.stories.stories]


def test_edge_comparisons_are_oriented_like_the_edges(example_db: Path) -> None:
    result = stories(example_db, options=SERIAL)
    comps = edge_comparisons(example_db, result)
    edges = [e for s in result.stories.stories for e in s.edges]
    assert set(comps) == {(e.a, e.b) for e in edges}
    for e in edges:
        c = comps[(e.a, e.b)]
        assert (c.a.id, c.b.id) == (e.a, e.b)
        assert c.verdict.relation is e.relation


def test_indexing_order_does_not_change_the_stories(tmp_path: Path) -> None:
    files = sorted(CORPUS.glob("*.txt"))
    forward, backward = tmp_path / "f.db", tmp_path / "b.db"
    index(files, forward)
    for f in reversed(files):  # one file per run: a different insertion order in the archive
        index([f], backward)
    with Archive.open(forward) as a, Archive.open(backward) as b:
        assert a.ids() != b.ids()
        assert sorted(a.ids()) == sorted(b.ids())
    one, two = stories(forward, options=SERIAL), stories(backward, options=SERIAL)
    assert [s.id for s in one.stories.stories] == [s.id for s in two.stories.stories]
    assert [s.edges for s in one.stories.stories] == [s.edges for s in two.stories.stories]
    assert one.stories.outlets == two.stories.outlets


def test_a_changed_compare_invalidates_the_cache(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    shutil.copytree(CORPUS, tmp_path / "in")
    index([tmp_path / "in"], db)
    arts = [Article.from_text(p.read_text(encoding="utf-8"), id=p.stem) for p in CORPUS.glob("*")]
    comp = Comparer().compare(arts[0], arts[1])
    by_id = {a.id: a for a in arts}
    with Archive.open(db) as archive:
        store_comparisons(archive, [comp], CompareOptions())
        assert len(cached_comparisons(archive, [(arts[1].id, arts[0].id)], by_id, CompareOptions()))
        archive.set_meta("comparisons", "another-compare")
        assert (
            cached_comparisons(archive, [(arts[0].id, arts[1].id)], by_id, CompareOptions()) == {}
        )
    assert compare_key(CompareOptions()) != compare_key(CompareOptions(max_chars=1000))


def test_worker_pool_gives_the_serial_results() -> None:
    arts = {
        p.stem: Article.from_text(p.read_text(encoding="utf-8"), id=p.stem)
        for p in sorted(CORPUS.glob("*.txt"))
    }
    names = sorted(arts)
    pairs = [(a, b) for a in names for b in names if a != b]
    pooled = list(compare_in_pool(arts, names, pairs, CompareOptions(), 2, 3))
    comparer = Comparer()
    assert len(pooled) == len(pairs)
    for (a, b), (edge, body) in zip(pairs, pooled, strict=True):
        serial = comparer.compare(arts[a], arts[b])
        assert (edge.a, edge.b) == (a, b)
        assert edge.relation is serial.verdict.relation
        assert edge.score == pytest.approx(serial.verdict.score)
        assert f'"{min(a, b)}"' in body
