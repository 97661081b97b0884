"""METER's word-level annotations: reading the tags onto the raw text, the share rule, and the
agreement of retold's passages with the annotators (a quality gate on real data)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retold.eval.meter_words import (
    TAGS,
    TaggedPaper,
    evaluate_meter_words,
    share_ceiling,
    share_ceiling_out_of_fold,
)
from retold.eval.meter_words import tagged_papers as read_tagged
from retold.eval.metrics import f1_scores
from retold.ingest.corpora.meter import Label, MeterItem
from retold.model import Article


@pytest.fixture(scope="module")
def tagged(shared: Path) -> list[TaggedPaper]:
    return list(read_tagged(shared / "data" / "meter"))


def test_every_annotated_paper_is_read_with_its_label(tagged: list[TaggedPaper]) -> None:
    # 355 labelled newspaper files carry Verbatim / Rewrite / New tags.
    assert len(tagged) == 355
    assert Counter(p.item.label for p in tagged) == {"partially": 176, "wholly": 115, "non": 64}
    assert sum(len(p.words) for p in tagged) > 100_000


def test_tagged_words_are_words_of_the_raw_text(tagged: list[TaggedPaper]) -> None:
    for paper in tagged:
        text = paper.item.article.text
        previous = -1
        for start, end, tag in paper.words:
            word = text[start:end]
            assert word and not any(ch.isspace() for ch in word), (paper.item.article.origin, word)
            assert (start == 0 or text[start - 1].isspace()) and start > previous
            assert tag in TAGS
            previous = start


def test_tags_land_on_the_words_the_annotators_tagged(tagged: list[TaggedPaper]) -> None:
    # places59_independent opens "<Rewrite>A SENIOR judge criticised the </Rewrite><Verbatim>
    # Government </Verbatim><Rewrite>yesterday </Rewrite>", with other line breaks than the raw
    # text has.
    paper = next(
        p
        for p in tagged
        if p.item.article.origin is not None
        and p.item.article.origin.path.endswith("places59_independent.txt")
    )
    text = paper.item.article.text
    first = [(text[s:e], tag) for s, e, tag in paper.words[:7]]
    assert first == [
        ("A", "rewrite"),
        ("SENIOR", "rewrite"),
        ("judge", "rewrite"),
        ("criticised", "rewrite"),
        ("the", "rewrite"),
        ("Government", "verbatim"),
        ("yesterday", "rewrite"),
    ]


def _paper(
    label: Label, verbatim: int, rewrite: int, new: int, story: str = "story"
) -> TaggedPaper:
    tags = ["verbatim"] * verbatim + ["rewrite"] * rewrite + ["new"] * new
    article = Article.from_text(" ".join(tag[0] for tag in tags))
    words = tuple((2 * n, 2 * n + 1, tag) for n, tag in enumerate(tags))
    return TaggedPaper(MeterItem(article, "1999-07-12", story, "times", label), words)


def test_share_rule_separates_what_the_shares_separate() -> None:
    papers = [
        _paper("wholly", 9, 1, 0),
        _paper("wholly", 6, 4, 0),
        _paper("partially", 5, 0, 5),
        _paper("partially", 3, 3, 4),
        _paper("non", 1, 1, 8),
        _paper("non", 0, 0, 10),
    ]
    score, wholly_cut, partially_cut = share_ceiling(papers)
    assert score == 1.0
    assert 0.6 < wholly_cut <= 1.0 and 0.1 < partially_cut <= 0.3
    # A non-derived paper with more verbatim words than a partial one: no two cuts separate all.
    score, _, _ = share_ceiling([*papers, _paper("non", 6, 0, 4)])
    assert score < 1.0


@settings(max_examples=15, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["wholly", "partially", "non"]),
            st.integers(0, 6),
            st.integers(0, 6),
            st.integers(1, 6),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_share_rule_is_the_best_on_its_grid(
    specs: list[tuple[Label, int, int, int]],
) -> None:
    # The vectorised search against a plain scan of every pair of cuts.
    papers = [_paper(*spec) for spec in specs]
    score, wholly_cut, partially_cut = share_ceiling(papers)
    gold = [p.item.label or "non" for p in papers]
    shares = [p.shares() for p in papers]

    def rule_f1(hi: float, lo: float) -> float:
        pred = [
            "wholly"
            if s["verbatim"] + s["rewrite"] >= hi
            else "partially"
            if s["verbatim"] >= lo
            else "non"
            for s in shares
        ]
        return f1_scores(gold, pred, ("wholly", "partially", "non")).macro_f1

    best = max(rule_f1(hi / 100, lo / 100) for hi in range(0, 101, 5) for lo in range(0, 101, 5))
    assert score >= best - 1e-12
    assert rule_f1(wholly_cut, partially_cut) == pytest.approx(score)


def test_share_rule_out_of_fold_only_sees_other_stories() -> None:
    # Twenty stories of one paper per class, separable by the shares: every held-out story is
    # placed right by cuts fitted on the others.
    papers = [
        paper
        for n in range(20)
        for paper in (
            _paper("wholly", 8 + n % 2, 2, 0, f"s{n}"),
            _paper("partially", 4, 1, 5, f"s{n}"),
            _paper("non", 0, 1, 9, f"s{n}"),
        )
    ]
    assert share_ceiling_out_of_fold(papers, folds=5, seeds=2) == 1.0
    # A wholly derived paper with a partial one's shares: no cuts place it right.
    odd = [*papers[:-3], _paper("wholly", 4, 1, 5, "odd")]
    assert share_ceiling_out_of_fold(odd, folds=5, seeds=2) < 1.0


@pytest.mark.quality
def test_passages_agree_with_the_annotators(shared: Path) -> None:
    # Measured 2026-11-23 on 354 papers (one has no PA text): 92.5 % of the words tagged verbatim
    # and 76.7 % of those tagged rewritten fall inside a passage, and 46.6 % of those tagged new
    # (passages are whole sentences, and papers mix their own words into sentences drawn from
    # PA); 71.1 % of the aligned words were traced to PA. retold's 3-way macro-F1 on these papers
    # 0.709 (0.705 on 2026-11-23); the best two-cut rule on the annotated shares themselves,
    # fitted on the same papers, 0.716 (METER's labels are not a function of how much of a
    # paper came from PA).
    result = evaluate_meter_words(shared / "data" / "meter")
    assert result.papers == 354
    share = {t: result.aligned[t] / result.words[t] for t in TAGS}
    assert share["verbatim"] >= 0.92 and share["rewrite"] >= 0.76, share
    assert share["new"] <= 0.47, share
    assert result.precision >= 0.71, result.precision
    # Passage kinds against the tags: words inside verbatim passages are 93.3 % verbatim, inside
    # light ones 73.8 %, inside heavy ones 32.2 % (22.0 % rewritten), outside passages 10.4 %.
    verbatim = {
        place: row["verbatim"] / sum(row.values()) for place, row in result.by_place.items()
    }
    assert verbatim["verbatim"] >= 0.92 and verbatim["light"] >= 0.72, verbatim
    assert verbatim["verbatim"] > verbatim["light"] > verbatim["heavy"] > verbatim["none"]
    assert result.retold.macro_f1 >= 0.70, result.retold
    assert 0.70 <= result.ceiling <= 0.72, result.ceiling
    # Out of fold (10 folds holding whole stories, 3 draws pooled), measured 2026-11-24: the
    # two-cut rule 0.681; a softmax on retold's verdict features fitted on these papers 0.648,
    # and 0.687 when it also knows the annotators' shares. Knowing which words came from PA
    # does not carry a classifier near 0.75.
    assert 0.66 <= result.ceiling_out_of_fold <= result.ceiling, result.ceiling_out_of_fold
    assert 0.63 <= result.features_out_of_fold < result.informed_out_of_fold <= 0.72, result
