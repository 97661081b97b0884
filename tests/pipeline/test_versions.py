from __future__ import annotations

import itertools
from dataclasses import replace
from pathlib import Path

import pytest

from retold.ingest.corpora.meter import MeterCorpus, load_meter
from retold.model import Article, Relation
from retold.pipeline.compare import Comparer
from retold.pipeline.versions import joined_versions, version_groups


@pytest.fixture(scope="module")
def meter(shared: Path) -> MeterCorpus:
    return load_meter(shared / "data" / "meter")


@pytest.fixture(scope="module")
def relation() -> object:
    comparer = Comparer()
    return lambda x, y: comparer.compare(x, y).verdict.relation


def test_joined_versions_hold_every_body_in_an_order_that_ignores_input_order(
    meter: MeterCorpus,
) -> None:
    versions = list(meter.pa[("1999-07-14", "exams")])
    assert len(versions) >= 2
    joined = {joined_versions(list(p)) for p in itertools.permutations(versions)}
    assert len(joined) == 1
    (article,) = joined
    for v in versions:
        assert v.body_span.slice(v.text) in article.text
    assert article.outlet == "PA"
    assert article.date == min(v.date or "" for v in versions)


def test_a_wire_story_s_versions_group_and_other_stories_or_outlets_do_not(
    meter: MeterCorpus, relation: object
) -> None:
    exams = list(meter.pa[("1999-07-14", "exams")])
    other_day = meter.pa[("1999-07-16", "grobbelaar")][0]
    paper = next(i.article for i in meter.newspapers if i.catchline == "exams")
    # The same text under another outlet is no version of the wire story.
    elsewhere = replace(exams[0], id="elsewhere", outlet="Daily Example")
    articles = [*exams, other_day, paper, elsewhere]
    groups = version_groups(articles, relation)  # type: ignore[arg-type]
    assert groups == [tuple(a.id for a in sorted(exams, key=lambda a: (a.date, a.label, a.id)))]
    assert version_groups(list(reversed(articles)), relation) == groups  # type: ignore[arg-type]


def test_pairs_from_other_outlets_or_days_are_never_compared(
    meter: MeterCorpus, relation: object
) -> None:
    asked: list[tuple[str, str]] = []

    def record(x: Article, y: Article) -> Relation:
        asked.append((x.id, y.id))
        return relation(x, y)  # type: ignore[operator,no-any-return]

    exams = list(meter.pa[("1999-07-14", "exams")])
    other_day = meter.pa[("1999-07-16", "grobbelaar")][0]
    undated = replace(exams[0], id="undated", date=None)  # same text, outlet; no date
    groups = version_groups([*exams, other_day, undated], record)
    assert {i for pair in asked for i in pair} <= {a.id for a in exams}
    assert len(groups) == 1
