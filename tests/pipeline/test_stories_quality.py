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
    # are ordered by their dates), directed PA first, and derived edges between two papers of
    # one day, which print the same morning and rarely retell each other (any direction there
    # is a wrong claim). Measured 2026-11-23 with the shared-source model: paper/PA 553 right,
    # 27 wrong; papers directed 82. Before it: 513 / 9 and 192 (the model reads far
    # more paper pairs as sharing PA, and calls a few more partial groups of PA takes, joined,
    # the papers' copies: in the full archive 16 of 27 are one story's). Wrong claims together:
    # 201 before, 109 now. The paper/PA wrong limit was 14 before the model, papers 205.
    right = wrong = papers_directed = 0
    for s in smap.stories:
        for e in s.edges:
            a, b = arts[e.a], arts[e.b]
            if a.date != b.date or a.outlet == b.outlet:
                continue
            if "PA" in (a.outlet, b.outlet):
                right += e.directed and a.outlet == "PA"  # directed edges run source to copy
                wrong += e.directed and b.outlet == "PA"
            else:
                papers_directed += e.directed
    assert right >= 545 and wrong <= 30, (right, wrong)
    assert papers_directed <= 95, papers_directed
    assert wrong + papers_directed <= 115, (wrong, papers_directed)
    pa = next(o for o in smap.outlets if o.outlet == "PA")
    # Measured 29 and 299 of 658 (12 and 293 before the shared-source model: the same partial
    # groups of PA takes as above; the limit on the first was 16).
    assert pa.retold <= 32 and pa.retold_by_others >= 290, pa
    # The likely origin of a story with PA and papers is a PA take (measured 169 of 202 with the
    # shared-source model; 163 of 203 before it; 152
    # with the direction model fitted on joined copies alone; 132 before takes were read joined
    # and the source of others preferred among equal dates).
    mixed = [s for s in smap.stories if len({arts[i].outlet for i in s.article_ids}) > 1]
    mixed = [s for s in mixed if any(arts[i].outlet == "PA" for i in s.article_ids)]
    from_pa = sum(arts[s.origin_id].outlet == "PA" for s in mixed)
    assert from_pa >= 0.80 * len(mixed), (from_pa, len(mixed))
