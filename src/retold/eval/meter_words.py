"""METER's word-level annotations: what the annotators traced to PA, word by word.

About 355 newspaper files of METER courts carry tags on the newspaper side:
``<Verbatim>`` (copied from PA), ``<Rewrite>`` (PA's content reworded) and ``<New>`` (not from
PA). They serve two measurements:

- **agreement** of retold's aligned passages with them: the share of the words of each tag that
  fall inside a passage on the paper side (high for verbatim and rewritten words, low for new
  ones), the share of the aligned words that the annotators traced to PA, and how the tags
  spread over passages of each rewrite kind (verbatim passages should hold verbatim words);
- **ceiling** of the document labels: how well the share of words tagged verbatim or rewritten
  separates wholly, partially and non-derived papers. The best rule of that kind, fitted on the
  same files, bounds what any document classifier resting on "how much of the paper came from
  PA" can reach on METER's 3-way task; also out of fold, with and beside retold's features.

The annotated files keep the raw text's characters but not its spacing (tags bring their own
line breaks), so tags are carried over to the raw text by matching the non-space characters of
both; seven files whose annotated text was edited (a word changed or dropped) are matched as far
as their characters agree.

Run with ``retold eval meter-words ROOT`` (``ROOT`` the METER folder).
"""

from __future__ import annotations

import difflib
import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from retold.eval.calibrate import VERDICT_L2
from retold.eval.fit import fit_logistic, group_kfold
from retold.eval.meter import meter_label, meter_pairs
from retold.eval.metrics import ClassScores, f1_scores
from retold.ingest.corpora.meter import MeterCorpus, MeterItem, load_meter
from retold.pipeline import Comparer
from retold.provenance.features import SYMMETRIC_FEATURES

__all__ = [
    "PLACES",
    "TAGS",
    "TaggedPaper",
    "WordsResult",
    "evaluate_meter_words",
    "informed_out_of_fold",
    "share_ceiling",
    "share_ceiling_out_of_fold",
    "tagged_papers",
]

TAGS = ("verbatim", "rewrite", "new")
_TAG = re.compile(r"<(/?)(Verbatim|Rewrite|New)\b[^>]*>")
_ANY_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile(r"\S+")
_LABELS = ("wholly", "partially", "non")
_Mask = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class TaggedPaper:
    """One annotated newspaper story.

    Attributes:
        item: The story as the METER loader reads it (its text is the raw file's).
        words: ``(start, end, tag)`` for each whitespace-separated word of ``item.article.text``
            the annotation tags, ``tag`` one of :data:`TAGS`; offsets into that text.
    """

    item: MeterItem
    words: tuple[tuple[int, int, str], ...]

    def shares(self) -> dict[str, float]:
        """Share of the tagged words under each tag."""
        total = len(self.words) or 1
        return {t: sum(w[2] == t for w in self.words) / total for t in TAGS}


def _annotated_chars(sgml: str) -> tuple[str, list[str | None]]:
    """Non-space characters of the annotated body and the tag each sits under."""
    start, end = sgml.find("<body>"), sgml.find("</body>")
    body = sgml[start + 6 : end] if start >= 0 and end > start else sgml
    chars: list[str] = []
    tags: list[str | None] = []
    current: str | None = None
    pos = 0
    for m in _ANY_TAG.finditer(body):
        for ch in body[pos : m.start()]:
            if not ch.isspace():
                chars.append(ch)
                tags.append(current)
        pos = m.end()
        tag = _TAG.fullmatch(m.group(0))
        if tag is not None:
            current = None if tag.group(1) else tag.group(2).lower()
    for ch in body[pos:]:
        if not ch.isspace():
            chars.append(ch)
            tags.append(current)
    return "".join(chars), tags


def _word_tags(text: str, sgml: str) -> tuple[tuple[int, int, str], ...]:
    """Each word of ``text`` with the tag most of its characters carry in ``sgml``."""
    ann, tags = _annotated_chars(sgml)
    offsets = [n for n, ch in enumerate(text) if not ch.isspace()]
    raw = "".join(text[n] for n in offsets)
    tag_at: dict[int, str] = {}
    if raw == ann:
        blocks: Sequence[tuple[int, int, int]] = [(0, 0, len(raw))]
    else:
        matcher = difflib.SequenceMatcher(None, raw, ann, autojunk=False)
        blocks = [(b.a, b.b, b.size) for b in matcher.get_matching_blocks()]
    for i, j, size in blocks:
        for k in range(size):
            tag = tags[j + k]
            if tag is not None:
                tag_at[offsets[i + k]] = tag
    words: list[tuple[int, int, str]] = []
    for m in _WORD.finditer(text):
        seen = [tag_at[n] for n in range(m.start(), m.end()) if n in tag_at]
        if seen:
            words.append((m.start(), m.end(), max(TAGS, key=seen.count)))
    return tuple(words)


def tagged_papers(root: Path, corpus: MeterCorpus | None = None) -> Iterator[TaggedPaper]:
    """The labelled newspaper stories of METER courts that carry word-level tags.

    Args:
        root: The METER folder (``newspapers/annotated/courts/...sgml`` beside the raw texts).
        corpus: The corpus as already loaded from ``root`` (loaded here when None).
    """
    corpus = corpus or load_meter(root)
    for item in corpus.newspapers:
        origin = item.article.origin
        if item.label is None or origin is None:
            continue
        raw = Path(origin.path)
        parts = list(raw.parts)
        if "rawtexts" not in parts:
            continue
        parts[parts.index("rawtexts")] = "annotated"
        sgml_path = Path(*parts).with_suffix(".sgml")
        if not sgml_path.is_file():
            continue
        sgml = sgml_path.read_text(encoding="latin-1")  # METER's encoding (see its README)
        if _TAG.search(sgml) is None:
            continue
        yield TaggedPaper(item, _word_tags(item.article.text, sgml))


def _best_cuts(
    derived: npt.NDArray[np.float64], verbatim: npt.NDArray[np.float64], gold: npt.NDArray[np.int64]
) -> tuple[float, float, float]:
    """Macro-F1 and cuts of the best two-cut rule on a 0.01 grid (first best in grid order)."""
    grid = np.arange(101) / 100
    wholly = derived[None, :] >= grid[:, None]
    partially = verbatim[None, :] >= grid[:, None]
    # pred[hi, lo, paper]: 0 wholly, 1 partially, 2 non, as _LABELS.
    pred = np.where(wholly[:, None, :], 0, np.where(partially[None, :, :], 1, 2))
    f1 = np.zeros(pred.shape[:2])
    for k in range(len(_LABELS)):
        tp = ((pred == k) & (gold == k)).sum(axis=2)
        predicted = (pred == k).sum(axis=2)
        actual = int((gold == k).sum())
        f1 += np.where(tp > 0, 2 * tp / np.maximum(predicted + actual, 1), 0.0)
    f1 /= len(_LABELS)
    hi, lo = np.unravel_index(int(np.argmax(f1)), f1.shape)
    return float(f1[hi, lo]), float(grid[hi]), float(grid[lo])


def _share_arrays(
    papers: Sequence[TaggedPaper],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.int64]]:
    shares = [p.shares() for p in papers]
    derived = np.array([s["verbatim"] + s["rewrite"] for s in shares])
    verbatim = np.array([s["verbatim"] for s in shares])
    gold = np.array([_LABELS.index(p.item.label or "non") for p in papers], dtype=np.int64)
    return derived, verbatim, gold


def share_ceiling(papers: Sequence[TaggedPaper]) -> tuple[float, float, float]:
    """Best 3-way macro-F1 of a two-cut rule on the annotated shares, fitted on ``papers``.

    The rule calls a paper wholly derived when its share of verbatim and rewritten words reaches
    the first cut, else partially derived when its share of verbatim words reaches the second,
    else non-derived. Cuts are searched on a 0.01 grid.

    Returns:
        The macro-F1 and the two cuts.
    """
    return _best_cuts(*_share_arrays(papers))


def _story(paper: TaggedPaper) -> str:
    return f"{paper.item.date}/{paper.item.catchline}"


def _out_of_fold(
    papers: Sequence[TaggedPaper],
    gold: npt.NDArray[np.int64],
    predict: Callable[[_Mask, _Mask], npt.NDArray[np.int64]],
    folds: int,
    seeds: int,
) -> float:
    """Macro-F1 of ``predict(train, held)`` pooled over ``seeds`` draws of story-grouped folds."""
    golds, preds = [], []
    for seed in range(seeds):
        fold = group_kfold([_story(p) for p in papers], folds, seed)
        for f in range(folds):
            held = fold == f
            golds += [_LABELS[int(k)] for k in gold[held]]
            preds += [_LABELS[int(k)] for k in predict(~held, held)]
    return f1_scores(golds, preds, _LABELS).macro_f1


def share_ceiling_out_of_fold(
    papers: Sequence[TaggedPaper], folds: int = 10, seeds: int = 3
) -> float:
    """The two-cut rule's 3-way macro-F1 with each paper scored by cuts fitted without it.

    Folds hold whole stories (papers of one story share the PA side); predictions of ``seeds``
    fold draws are pooled.
    """
    derived, verbatim, gold = _share_arrays(papers)

    def predict(train: _Mask, held: _Mask) -> npt.NDArray[np.int64]:
        _, hi, lo = _best_cuts(derived[train], verbatim[train], gold[train])
        return np.where(derived[held] >= hi, 0, np.where(verbatim[held] >= lo, 1, 2))

    return _out_of_fold(papers, gold, predict, folds, seeds)


def informed_out_of_fold(
    papers: Sequence[TaggedPaper],
    features: Sequence[Mapping[str, float]],
    *,
    with_shares: bool = True,
    folds: int = 10,
    seeds: int = 3,
) -> float:
    """3-way macro-F1, out of fold, of a softmax on retold's verdict features of each paper.

    With ``with_shares`` the model also knows the annotators' verbatim / rewritten / new
    shares; without, it is the baseline they are measured against. Fitted on these papers
    alone; folds hold whole stories.
    """
    rows = []
    for paper, feats in zip(papers, features, strict=True):
        row = [feats[name] for name in SYMMETRIC_FEATURES]
        if with_shares:
            shares = paper.shares()
            row += [shares[t] for t in TAGS]
        rows.append(row)
    x = np.array(rows, dtype=np.float64)
    gold = _share_arrays(papers)[2]

    def predict(train: _Mask, held: _Mask) -> npt.NDArray[np.int64]:
        model = fit_logistic(x[train], gold[train], n_classes=len(_LABELS), l2=VERDICT_L2)
        pred: npt.NDArray[np.int64] = np.argmax(model.decision(x[held]), axis=1)
        return pred

    return _out_of_fold(papers, gold, predict, folds, seeds)


# Where a tagged word can fall on the paper side: in a passage of one of retold's rewrite kinds,
# or in none.
PLACES = ("verbatim", "light", "heavy", "none")


@dataclass(frozen=True, slots=True)
class WordsResult:
    """Scores of a METER word-annotation run.

    Attributes:
        papers: Annotated papers scored.
        by_place: Tagged words by where they fall (a passage of a kind in :data:`PLACES`, or
            ``none``), then by tag.
        retold: retold's 3-way scores on the annotated papers.
        ceiling: Best 3-way macro-F1 of a two-cut rule on the annotated shares, in sample.
        cuts: Its cuts (verbatim + rewritten share for wholly, verbatim share for partially).
        ceiling_out_of_fold: The same rule with cuts fitted without each paper's story.
        features_out_of_fold: A softmax on retold's verdict features fitted on these papers,
            out of fold (:func:`informed_out_of_fold` without the shares).
        informed_out_of_fold: The same given the annotated shares too.
        seconds: Wall time.
    """

    papers: int
    by_place: dict[str, dict[str, int]]
    retold: ClassScores
    ceiling: float
    cuts: tuple[float, float]
    ceiling_out_of_fold: float
    features_out_of_fold: float
    informed_out_of_fold: float
    seconds: float

    @property
    def words(self) -> dict[str, int]:
        """Tagged words by tag."""
        return {t: sum(self.by_place[p][t] for p in PLACES) for t in TAGS}

    @property
    def aligned(self) -> dict[str, int]:
        """Tagged words inside one of retold's passages (paper side), by tag."""
        return {t: sum(self.by_place[p][t] for p in PLACES if p != "none") for t in TAGS}

    @property
    def precision(self) -> float:
        """Share of the aligned words that the annotators traced to PA."""
        aligned = self.aligned
        inside = sum(aligned.values())
        return (aligned["verbatim"] + aligned["rewrite"]) / inside if inside else 0.0

    def as_dict(self) -> dict[str, object]:
        """Plain data for JSON output."""
        words, aligned = self.words, self.aligned
        return {
            "dataset": "meter-courts-word-tags",
            "papers": self.papers,
            "words": words,
            "aligned": aligned,
            "aligned_share": {t: round(aligned[t] / max(words[t], 1), 4) for t in TAGS},
            "aligned_precision": round(self.precision, 4),
            "tags_by_passage_kind": {
                p: {t: round(n / max(sum(row.values()), 1), 4) for t, n in row.items()}
                for p, row in self.by_place.items()
            },
            "retold_three_way": self.retold.as_dict(),
            "share_rule_ceiling": {
                "macro_f1": round(self.ceiling, 4),
                "wholly_cut": self.cuts[0],
                "partially_cut": self.cuts[1],
                "macro_f1_out_of_fold": round(self.ceiling_out_of_fold, 4),
            },
            "features_out_of_fold": {
                "retold_features": round(self.features_out_of_fold, 4),
                "retold_features_and_annotated_shares": round(self.informed_out_of_fold, 4),
            },
            "seconds": round(self.seconds, 2),
        }


def _path(item: MeterItem) -> str:
    origin = item.article.origin
    return origin.path if origin is not None else ""


def evaluate_meter_words(root: Path, comparer: Comparer | None = None) -> WordsResult:
    """Score retold's passages and labels on METER's word-annotated papers.

    Each annotated paper is compared with its joined PA copy, as ``retold eval meter`` does.

    Args:
        root: The METER folder.
        comparer: The comparer to use (default options when None).
    """
    start = time.perf_counter()
    comparer = comparer or Comparer()
    corpus = load_meter(root)
    papers = list(tagged_papers(root, corpus))
    sources = {_path(item): src for item, src in meter_pairs(corpus)}
    by_place = {p: dict.fromkeys(TAGS, 0) for p in PLACES}
    gold: list[str] = []
    pred: list[str] = []
    scored: list[TaggedPaper] = []
    features: list[Mapping[str, float]] = []
    for paper in papers:
        source = sources.get(_path(paper.item))
        if source is None:
            continue
        result = comparer.compare(paper.item.article, source)
        scored.append(paper)
        features.append(result.features)
        gold.append(paper.item.label or "non")
        pred.append(meter_label(result.verdict.relation))
        spans = [(p.a.start, p.a.end, p.kind.value) for p in result.passages]
        for w_start, w_end, tag in paper.words:
            mid = (w_start + w_end) // 2
            place = next((kind for s, e, kind in spans if s <= mid < e), "none")
            by_place[place][tag] += 1
    ceiling, hi, lo = share_ceiling(scored)
    return WordsResult(
        len(scored),
        by_place,
        f1_scores(gold, pred, _LABELS),
        ceiling,
        (hi, lo),
        share_ceiling_out_of_fold(scored),
        informed_out_of_fold(scored, features, with_shares=False),
        informed_out_of_fold(scored, features),
        time.perf_counter() - start,
    )
