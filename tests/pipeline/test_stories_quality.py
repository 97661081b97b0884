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
    # Who retold whom: derived edges between a paper and a PA take of the same day (other days
    # are ordered by their dates), directed PA first. Measured 521 right / 12 wrong (499 / 65
    # before the direction model was fitted on single takes too; 297 / 206 before a story's
    # takes were read joined).
    right = wrong = 0
    for s in smap.stories:
        for e in s.edges:
            a, b = arts[e.a], arts[e.b]
            pa_and_paper = "PA" in (a.outlet, b.outlet) and a.outlet != b.outlet
            if e.directed and pa_and_paper and a.date == b.date:
                right += a.outlet == "PA"  # directed edges run source to copy
                wrong += b.outlet == "PA"
    assert right >= 510 and wrong <= 20, (right, wrong)
    pa = next(o for o in smap.outlets if o.outlet == "PA")
    assert pa.retold <= 16 and pa.retold_by_others >= 290, pa  # measured 12 and 297 of 658
    # The likely origin of a story with PA and papers is a PA take (measured 163 of 203; 152
    # with the direction model fitted on joined copies alone; 132 before takes were read joined
    # and the source of others preferred among equal dates).
    mixed = [s for s in smap.stories if len({arts[i].outlet for i in s.article_ids}) > 1]
    mixed = [s for s in mixed if any(arts[i].outlet == "PA" for i in s.article_ids)]
    from_pa = sum(arts[s.origin_id].outlet == "PA" for s in mixed)
    assert from_pa >= 0.78 * len(mixed), (from_pa, len(mixed))
