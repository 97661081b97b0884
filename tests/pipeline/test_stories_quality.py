"""Quality gate for the stories pipeline on real data (slow: marked ``quality``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from retold.eval.stories import identical_groups, meter_gold, pairwise_f1, split_groups
from retold.pipeline import index, stories


@pytest.mark.quality
def test_meter_bbc_and_seeds_cluster_into_their_stories(shared: Path, tmp_path: Path) -> None:
    db = tmp_path / "q.db"
    index([shared / "data" / "meter"], db, format="meter")
    index([shared / "data" / "bbc-news"], db, format="bbc")
    index([shared / "seeds"], db)
    result = stories(db)
    arts = result.articles
    smap = result.stories
    score = pairwise_f1([s.article_ids for s in smap.stories], meter_gold(arts.values()))
    assert score.f1 >= 0.90, score
    bbc = [a for a in arts.values() if a.origin is not None and "bbc-news" in a.origin.path]
    assert split_groups(smap, identical_groups(bbc)) == []
    home = smap.membership()
    seeds = [a.id for a in arts.values() if a.origin is not None and "seeds" in a.origin.path]
    assert len(seeds) == 2
    assert home[seeds[0]] == home[seeds[1]]
    assert [len(s) for s in smap.stories if s.id == home[seeds[0]]] == [2]
