"""Quality gate for ``query`` on real data (slow: marked ``quality``)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from retold.ingest.corpora.meter import load_meter
from retold.pipeline import index, query


@pytest.mark.quality
def test_meter_papers_find_their_pa_source_and_read_it_first(shared: Path, tmp_path: Path) -> None:
    # Each derived METER paper queried against an archive of all METER (PA and papers, no
    # stories run): the first match not from the paper's own story must be a PA file of it,
    # and the direction of the PA files judged derived among the top 5 must put PA first.
    db = tmp_path / "meter.db"
    index([shared / "data" / "meter"], db, format="meter")
    corpus = load_meter(shared / "data" / "meter")
    pa_story = {a.id: key for key, arts in corpus.pa.items() for a in arts}
    story_of = dict(pa_story)
    for item in corpus.newspapers:
        story_of.setdefault(item.article.id, (item.date, item.catchline))
    papers = [i for i in corpus.newspapers if i.label in ("wholly", "partially")]
    found = 0
    joined: Counter[str] = Counter()
    single: Counter[str] = Counter()
    for item, res in zip(papers, query([i.article for i in papers], db, top=5), strict=True):
        key = (item.date, item.catchline)
        for m in res.matches:
            if pa_story.get(m.article_id) == key:
                found += 1
                break
            if story_of.get(m.article_id) != key:
                break
        for m in res.matches:
            if pa_story.get(m.article_id) != key:
                continue
            judged = m.versions or m.comparison
            if judged.verdict.relation.derived:
                counts = joined if m.versions else single
                source = judged.direction.source.value
                counts[{"a": "wrong", "b": "right"}.get(source, source)] += 1
    # Measured 2026-11-24: 579 of 604 papers find a PA file of their story first (95.9 %; the
    # README's 98.3 % is on the whole archive after `stories`, with the outlet prior). PA files
    # judged derived among the top 5: read joined with their outlet's other versions 940 right,
    # 0 wrong, 120 shared, 105 unknown (940 / 13 / 120 / 92 before a joined direction named by
    # the shape of the overlap alone was left unknown; see retold.provenance.versions); alone
    # 89 right, 1 wrong, 76 shared, 5 unknown.
    assert found >= 578, (found, len(papers))
    assert joined["right"] >= 938 and joined["wrong"] == 0, joined
    assert single["right"] >= 88 and single["wrong"] <= 1, single
