from __future__ import annotations

import itertools
from dataclasses import replace

import pytest

from retold.ingest.corpora.meter import MeterCorpus
from retold.model import Article, Evidence, Relation, RewriteKind, Source
from retold.pipeline.compare import Comparer
from retold.provenance.graph import Edge
from retold.provenance.versions import (
    joined_direction,
    joined_versions,
    redirect_by_versions,
    unit_pairs,
    version_groups,
    versions_direction,
    versions_from_edges,
)


@pytest.fixture(scope="module")
def relation() -> object:
    comparer = Comparer()
    return lambda x, y: comparer.compare(x, y).verdict.relation


def test_joined_versions_hold_every_body_in_an_order_that_ignores_input_order(
    meter_corpus: MeterCorpus,
) -> None:
    versions = list(meter_corpus.pa[("1999-07-14", "exams")])
    assert len(versions) >= 2
    joined = {joined_versions(list(p)) for p in itertools.permutations(versions)}
    assert len(joined) == 1
    (article,) = joined
    for v in versions:
        assert v.body_span.slice(v.text) in article.text
    assert article.outlet == "PA"
    assert article.date == min(v.date or "" for v in versions)


def test_a_wire_story_s_versions_group_and_other_stories_or_outlets_do_not(
    meter_corpus: MeterCorpus, relation: object
) -> None:
    exams = list(meter_corpus.pa[("1999-07-14", "exams")])
    other_day = meter_corpus.pa[("1999-07-16", "grobbelaar")][0]
    paper = next(i.article for i in meter_corpus.newspapers if i.catchline == "exams")
    # The same text under another outlet is no version of the wire story.
    elsewhere = replace(exams[0], id="elsewhere", outlet="Daily Example")
    articles = [*exams, other_day, paper, elsewhere]
    groups = version_groups(articles, relation)  # type: ignore[arg-type]
    assert groups == [tuple(a.id for a in sorted(exams, key=lambda a: (a.date, a.label, a.id)))]
    assert version_groups(list(reversed(articles)), relation) == groups  # type: ignore[arg-type]


def test_pairs_from_other_outlets_or_days_are_never_compared(
    meter_corpus: MeterCorpus, relation: object
) -> None:
    asked: list[tuple[str, str]] = []

    def record(x: Article, y: Article) -> Relation:
        asked.append((x.id, y.id))
        return relation(x, y)  # type: ignore[operator,no-any-return]

    exams = list(meter_corpus.pa[("1999-07-14", "exams")])
    other_day = meter_corpus.pa[("1999-07-16", "grobbelaar")][0]
    undated = replace(exams[0], id="undated", date=None)  # same text, outlet; no date
    groups = version_groups([*exams, other_day, undated], record)
    assert {i for pair in asked for i in pair} <= {a.id for a in exams}
    assert len(groups) == 1


def test_edges_touching_wire_versions_are_directed_by_the_versions_joined(
    meter_corpus: MeterCorpus,
) -> None:
    # Papers written from the gamekeeper story's three PA takes: each take alone is shorter
    # than the papers, and nearly every directed paper/take edge points the wrong way.
    comparer = Comparer()
    key = ("1999-07-12", "gamekeeper")
    pa = list(meter_corpus.pa[key])
    items = [i for i in meter_corpus.newspapers if (i.date, i.catchline) == key]
    papers = [i.article for i in items]
    derived = {i.article.id: i.label in ("wholly", "partially") for i in items}
    arts = {a.id: a for a in [*pa, *papers]}
    ids = sorted(arts)
    edges = [
        Edge.from_comparison(comparer.compare(arts[x], arts[y]))
        for n, x in enumerate(ids)
        for y in ids[n + 1 :]
    ]
    groups = versions_from_edges(arts, edges)
    assert groups == [tuple(sorted((a.id for a in pa), key=lambda i: arts[i].label))]
    pairs = unit_pairs(arts, edges, groups)
    # Only paper/PA edges (derived or same_story) need the joined versions; paper/paper edges
    # keep theirs.
    assert pairs and all(x == 0 and isinstance(y, str) and arts[y] in papers for x, y in pairs)
    joined = joined_versions(pa)
    directions = {p: Edge.from_comparison(comparer.compare(joined, arts[p[1]])) for p in pairs}
    redirected = redirect_by_versions(edges, groups, directions)
    pa_ids = {a.id for a in pa}

    def pa_first(es: list[Edge]) -> tuple[int, int]:
        right = wrong = 0
        for e in es:
            if e.directed and (e.a in pa_ids) != (e.b in pa_ids):
                source = e.a if e.source is Source.A else e.b
                right += source in pa_ids
                wrong += source not in pa_ids
        return right, wrong

    before, after = pa_first(edges), pa_first(redirected)
    # Measured (1, 5); (0, 5) before the sentence-counterpart features, (0, 7) before the
    # shared-source model read two of them as shared.
    assert before[0] <= 1 and before[1] >= 5, before
    # Measured (6, 0): the joined takes are called the source of every paper and of none
    # wrongly. Two of those six are the Express's edges to two takes, same_story pair by pair
    # and wholly derived from the takes joined (METER: partially derived). It was (3, 0) before
    # same_story edges were read joined, (6, 0) before the shared-source model, (9, 0) with
    # coverage as a cue.
    assert after[1] == 0 and after[0] >= 5, after
    promoted = 0
    for old, new in zip(edges, redirected, strict=True):
        assert (old.a, old.b) == (new.a, new.b)
        if old.relation.derived or new.relation is old.relation:
            assert (old.relation, old.score) == (new.relation, new.score)
        else:  # a same_story edge read as derived: from the takes, to a paper METER calls derived
            promoted += 1
            assert old.relation is Relation.SAME_STORY and new.relation.derived
            source, copy = (new.a, new.b) if new.source is Source.A else (new.b, new.a)
            assert source in pa_ids and copy not in pa_ids
            assert derived[copy]
        if new != old:
            assert new.evidence[-1].cue == "versions"
            d = versions_direction(new)
            assert d is not None and d.source is new.source and 0.5 <= d.confidence <= 1.0
        else:
            assert versions_direction(new) is None
    assert promoted >= 1


def test_versions_too_long_together_stay_single_articles(
    meter_corpus: MeterCorpus, relation: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from retold.provenance import versions

    exams = list(meter_corpus.pa[("1999-07-14", "exams")])
    total = sum(len(a.body_span) for a in exams)
    monkeypatch.setattr(versions, "MAX_JOINED_CHARS", total)
    assert len(version_groups(exams, relation)) == 1  # type: ignore[arg-type]
    monkeypatch.setattr(versions, "MAX_JOINED_CHARS", total - 1)
    assert version_groups(exams, relation) == []  # type: ignore[arg-type]


def test_takes_of_one_story_join_through_the_story_even_when_they_tell_different_parts() -> None:
    # Two wire takes on different witnesses of one trial compare as unrelated, but one paper
    # drew on both: the story ties them, so the paper is compared with both joined.
    def art(text: str, outlet: str, date: str) -> Article:
        return Article.from_text(text, outlet=outlet, date=date)

    take1 = art(
        "The first witness told the jury he saw the sergeant at the gate.", "PA", "2000-01-05"
    )
    take2 = art("A doctor said the wounds were consistent with a fall.", "PA", "2000-01-05")
    other_day = art("The trial of the sergeant resumed with a third witness.", "PA", "2000-01-06")
    other_outlet = art("The court heard from a witness and a doctor.", "Times", "2000-01-05")
    paper = art(
        "A witness saw the sergeant at the gate; a doctor spoke of a fall.", "Sun", "2000-01-05"
    )
    arts = {a.id: a for a in (take1, take2, other_day, other_outlet, paper)}
    edges = [
        Edge(take1.id, paper.id, Relation.PARTIALLY_DERIVED, RewriteKind.HEAVY, 0.8, Source.A),
        Edge(take2.id, paper.id, Relation.PARTIALLY_DERIVED, RewriteKind.HEAVY, 0.8, Source.A),
        Edge(take1.id, take2.id, Relation.UNRELATED, None, 0.0, Source.UNKNOWN),
    ]
    assert versions_from_edges(arts, edges) == []
    story = sorted(arts)
    groups = versions_from_edges(arts, edges, [story])
    assert groups == [tuple(sorted((take1.id, take2.id), key=lambda i: arts[i].label))]
    # The same story in another order, or split differently, gives the same groups.
    assert versions_from_edges(arts, edges, [story[::-1]]) == groups
    assert versions_from_edges(arts, edges, [[take1.id], [take2.id, paper.id]]) == []


def _edge(a: str, b: str, relation: Relation, source: Source, cue: str = "len") -> Edge:
    kind = RewriteKind.HEAVY if relation.derived else None
    evidence = (Evidence(cue, source, 1.0, "`a` against `b`"),) if source in (A, B) else ()
    return Edge(a, b, relation, kind, 0.6, source, evidence)


A, B = Source.A, Source.B


@pytest.mark.parametrize(
    ("joined_source", "retold_elsewhere", "promoted"),
    [
        (A, None, True),
        (B, None, False),
        (Source.SHARED, None, False),
        (A, "date", False),
        (A, "len", True),
    ],
)
def test_a_same_story_edge_reads_as_derived_only_from_versions_that_retell_nothing_else(
    joined_source: Source, retold_elsewhere: str | None, promoted: bool
) -> None:
    # v1 and v2 are one outlet's versions (group 0); x, of another outlet, is same_story with
    # v1 pair by pair. Read joined, the versions and x compare as partially derived. When
    # ``retold_elsewhere`` names a cue, the versions joined read as retelling w by that cue: a
    # date counts, the shape of the overlap alone does not (joined_direction).
    groups = [("v1", "v2")]
    edges = [_edge("v1", "x", Relation.SAME_STORY, Source.UNKNOWN)]
    if retold_elsewhere:  # the versions themselves retell w (as a paper retells the wire)
        edges.append(_edge("w", "v2", Relation.PARTIALLY_DERIVED, A))
    joined = _edge("joined", "x", Relation.PARTIALLY_DERIVED, joined_source)
    directions = {(0, "x"): joined}
    if retold_elsewhere:
        directions[(0, "w")] = _edge("joined", "w", Relation.PARTIALLY_DERIVED, B, retold_elsewhere)
    (out, *_rest) = redirect_by_versions(edges, groups, directions)
    if promoted:
        assert (out.relation, out.kind, out.score) == (joined.relation, joined.kind, joined.score)
        assert out.source is Source.A and out.evidence[-1].cue == "versions"
    else:
        assert out == edges[0]
    # Order and sides of the edges do not matter.
    back = redirect_by_versions([e.swapped() for e in reversed(edges)], groups, directions)[-1]
    want = out.swapped()
    assert (back.a, back.b, back.relation, back.score, back.source) == (
        want.a,
        want.b,
        want.relation,
        want.score,
        want.source,
    )
    assert [e.cue for e in back.evidence] == [e.cue for e in want.evidence]


def test_joined_versions_named_the_copy_on_shape_alone_are_left_unknown(
    meter_corpus: MeterCorpus,
) -> None:
    # The Sun's 27-word brief of the 21.02.00 "abuse" story against PA's two takes read as one
    # text (211 words): the shape of the overlap names the brief the source, chiefly because
    # the joined takes are so much longer. METER: the Sun retold PA (partially derived).
    comparer = Comparer()
    key = ("2000-02-21", "abuse")
    pa = list(meter_corpus.pa[key])
    paper = next(i.article for i in meter_corpus.newspapers if (i.date, i.catchline) == key)
    direction = comparer.compare(paper, joined_versions(pa)).direction
    assert direction.source is Source.A, direction  # measured: the case the rule is for
    held = joined_direction(direction, Source.B, len(pa))
    assert held.source is Source.UNKNOWN
    assert held.evidence[:-1] == direction.evidence
    assert held.evidence[-1].cue == "joined" and "2 versions" in held.evidence[-1].detail
    assert joined_direction(direction.swapped(), Source.A, len(pa)) == held.swapped()
    # Naming the versions the source goes against joining's pull, and stands.
    assert joined_direction(direction, Source.A, len(pa)) == direction
    # So does a direction a date settles: the same brief dated the day before the takes.
    earlier = replace(paper, date="2000-02-20")
    dated = comparer.compare(earlier, joined_versions(pa)).direction
    assert dated.source is Source.A and joined_direction(dated, Source.B, len(pa)) == dated
