"""Story scoring: pairwise F1, METER catchline gold, identical-body groups."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retold.eval.stories import identical_groups, meter_gold, pairwise_f1, split_groups
from retold.model import Article, Origin, Relation, RewriteKind, Source, Span
from retold.provenance.stories import Edge, build_stories


def test_pairwise_f1_counts_pairs() -> None:
    gold = {"a": "x", "b": "x", "c": "x", "d": "y", "e": "y"}
    perfect = pairwise_f1([("a", "b", "c"), ("d", "e")], gold)
    assert (perfect.precision, perfect.recall, perfect.f1) == (1.0, 1.0, 1.0)
    lumped = pairwise_f1([("a", "b", "c", "d", "e")], gold)
    assert (lumped.true_pairs, lumped.predicted_pairs, lumped.gold_pairs) == (4, 10, 4)
    assert lumped.recall == 1.0
    assert lumped.precision == pytest.approx(0.4)
    split = pairwise_f1([("a",), ("b",), ("c", "d", "e", "zzz")], gold)  # zzz has no gold label
    assert (split.true_pairs, split.predicted_pairs) == (1, 3)


@given(st.dictionaries(st.text("abcdef", min_size=1, max_size=3), st.sampled_from("xyz")))
def test_gold_clusters_score_one(gold: dict[str, str]) -> None:
    clusters: dict[str, list[str]] = {}
    for aid, label in gold.items():
        clusters.setdefault(label, []).append(aid)
    assert pairwise_f1(clusters.values(), gold).f1 == 1.0


def test_meter_gold_reads_date_and_catchline(shared: Path) -> None:
    root = shared / "data" / "meter"
    pa = sorted((root / "PA" / "rawtexts" / "courts").glob("*/*/*.txt"))[:3]
    news = sorted((root / "newspapers" / "rawtexts" / "courts").glob("*/*/*.txt"))[:3]
    arts = [Article.from_text(str(n), origin=Origin(str(p))) for n, p in enumerate(pa + news)]
    arts.append(Article.from_text("elsewhere", origin=Origin("/tmp/news/a.txt")))
    gold = meter_gold(arts)
    assert len(gold) == 6
    for art in arts[:6]:
        assert art.origin is not None
        path = Path(art.origin.path)
        assert gold[art.id] == f"{path.parent.parent.name}/{path.parent.name}"


def test_identical_groups_in_bbc_land_in_one_story(shared: Path) -> None:
    folder = shared / "data" / "bbc-news" / "business"
    arts = []
    for path in sorted(folder.glob("*.txt")):
        # The file name first, then the story: distinct texts (so distinct ids), bodies as read.
        head = f"{path.name}\n"
        text = head + path.read_bytes().decode("latin-1")
        arts.append(Article.from_text(text, body=Span(len(head), len(text))))
    groups = identical_groups(arts)
    assert groups, "the BBC business folder holds exact duplicates"
    edges = [
        Edge(g[0], other, Relation.WHOLLY_DERIVED, RewriteKind.VERBATIM, 1.0, Source.SHARED)
        for g in groups
        for other in g[1:]
    ]
    smap = build_stories(arts, edges)
    assert split_groups(smap, groups) == []
    assert split_groups(build_stories(arts, []), groups) == groups


@pytest.mark.quality
def test_meter_stories_reach_pairwise_f1_floor(shared: Path, tmp_path: Path) -> None:
    """Index METER, compare every candidate pair, cluster: F1 against the catchlines."""
    from retold.pipeline.archive import candidate_pairs, index
    from retold.pipeline.compare import Comparer
    from retold.store import Archive

    db = tmp_path / "meter.db"
    index([shared / "data" / "meter"], db, format="meter")
    with Archive.open(db, create=False) as archive:
        arts = {a.id: a for a in archive.iter_articles()}
        pairs = list(candidate_pairs(archive))
    comparer = Comparer()
    prepared = {aid: comparer.prepare(a) for aid, a in arts.items()}
    edges = [Edge.from_comparison(comparer.compare(prepared[a], prepared[b])) for a, b, _ in pairs]
    smap = build_stories(list(arts.values()), edges)
    score = pairwise_f1([s.article_ids for s in smap.stories], meter_gold(arts.values()))
    assert score.f1 >= 0.90, score
    assert score.precision >= 0.95, score
