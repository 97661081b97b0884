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
    # are ordered by their dates), directed PA first. Measured 1,006 right / 4 wrong once joined
    # versions named the copy on shape alone leave an edge undirected (2026-11-24; the Sun's
    # 27-word "abuse" brief had been the source of a PA take); 1,006 / 5 once a
    # common source counts only inside the story of both ends (2026-11-24); 998 / 5 once
    # same_story edges were judged against the takes joined too (the verdict reading sentence
    # counterparts; 646 / 5 under it with derived edges alone). Before: 662 / 6 with the
    # shared-source model at 0.295 after the verdict read shared names (659 / 6 at 0.29 before;
    # 628 / 4 with the coverage-and-facts rule the model replaced; 513 / 9 before an outlet's
    # takes of one day in one story joined even when no edge ties them; 521 / 12 before two
    # papers that both retell a third were read as sharing it; 297 / 206 before a story's takes
    # were read joined). Derived edges between two papers of one day, which print the same
    # morning and rarely retell each other: 73 directed (74 before joined versions named the
    # copy on shape alone were left undirected, 74 before the same_story edges were
    # read joined, 69 before the refit, 167 with the rule, 192 before the takes joined through
    # the story, 335 before the common-source rule).
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
    assert right >= 1000 and wrong <= 4, (right, wrong)
    assert papers_directed <= 73, papers_directed
    pa = next(o for o in smap.outlets if o.outlet == "PA")
    # PA articles retold from others and retold by others: measured 6 and 418 once joined
    # versions named the copy on shape alone are left undirected (7 and 418 before), 7 and 418
    # with common sources inside one story (7 and 411 before; 9 and 339 before
    # same_story edges were read joined, 9 and 335 before the shared-names refit, 7 and 341 with
    # the rule).
    assert pa.retold <= 6 and pa.retold_by_others >= 412, pa
    # The likely origin of a story with PA and papers is a PA take (measured 177 of 198 once
    # joined versions named the copy on shape alone were left undirected, 176 of 198 once lone
    # copies joined their partner's story last; 180 of 202 with the sentence-counterpart
    # verdict before that; 176 of 202 with the shared-source model, before and after the
    # shared-names refit; 168 with the rule; 163 before takes joined through their story; 152
    # with the direction model fitted on joined copies alone; 132 before takes were read
    # joined and the source of others preferred among equal dates).
    mixed = [s for s in smap.stories if len({arts[i].outlet for i in s.article_ids}) > 1]
    mixed = [s for s in mixed if any(arts[i].outlet == "PA" for i in s.article_ids)]
    from_pa = sum(arts[s.origin_id].outlet == "PA" for s in mixed)
    assert from_pa >= 0.87 * len(mixed), (from_pa, len(mixed))
