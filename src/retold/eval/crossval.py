"""Grouped cross-validation of the fitted verdict and rewrite-kind constants.

``python -m retold.eval.crossval --shared ../shared [--folds 10] [--seeds 3] [--direction]
[--format json]``

The shipped constants are fitted on the same METER, Clough–Stevenson and synthetic MSRP pairs
that ``retold eval`` scores, so those scores are partly in-sample. Here every pair is scored by
a model fitted without its fold: the verdict model (:func:`~retold.eval.calibrate.fit_verdict`,
its feature range and the argmax rule of :func:`~retold.provenance.verdict.decide`) and the
rewrite-kind cut points (:func:`~retold.eval.calibrate.fit_kind`). Folds hold whole groups
(:attr:`~retold.eval.rows.VerdictRow.group`): all papers of one METER story with their
unrelated partners, since they share the PA side; one Clough answer with its unrelated partner;
one synthetic MSRP document pair. The same rows refitted on everything give the in-sample
figures beside them, so the gap between the two is the optimism of the shipped scores.

With ``--direction`` the direction models (:func:`~retold.eval.direction_fit.fit_direction`,
``fit_shared``) are scored the same way on METER's derived pairs: each paper against its joined
PA copy and its single takes, and two papers of one story (:func:`cross_validate_direction`).

Example:
    >>> from retold.eval.rows import VerdictRow
    >>> rows = [VerdictRow("meter", 1, {}, group=g) for g in "aabbc"]
    >>> group_folds(rows, 2).tolist()
    [1, 1, 0, 0, 0]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from retold.eval.calibrate import fit_kind, fit_range, fit_verdict, verdict_rows
from retold.eval.clough import KIND_TO_CATEGORY
from retold.eval.direction_fit import (
    fit_direction,
    fit_shared,
    shape_asked,
    sibling_rows,
    take_rows,
)
from retold.eval.fit import group_kfold
from retold.eval.metrics import ClassScores, f1_scores
from retold.eval.rows import VerdictRow
from retold.model import Relation
from retold.provenance.calibration import DIRECTION_FEATURES, RELATIONS
from retold.provenance.direction import choose_source, shape_values, shared_probability
from retold.provenance.features import SYMMETRIC_FEATURES
from retold.provenance.verdict import choose_relation, decide, document_kind

__all__ = [
    "DIRECTION_SETS",
    "CrossValidation",
    "cross_validate",
    "cross_validate_direction",
    "direction_counts",
    "group_folds",
    "main",
]

_THREE_WAY = {"wholly_derived": "wholly", "partially_derived": "partially"}
_CLOUGH = ("cut", "light", "heavy", "non")


@dataclass(frozen=True, slots=True)
class CrossValidation:
    """Out-of-fold scores and the in-sample scores of the same rows refitted on everything.

    Attributes:
        folds: Folds per draw.
        seeds: Fold draws (the scores are pooled over all of them).
        meter: METER courts 3-way (wholly / partially / non), out of fold.
        meter_binary: METER courts derived / non, out of fold.
        clough: Clough–Stevenson 4-way (cut / light / heavy / non), out of fold.
        meter_in_sample: The same METER scores with every row in the fit.
        meter_binary_in_sample: The same derived / non scores with every row in the fit.
        clough_in_sample: The same Clough scores with every row in the fit.
    """

    folds: int
    seeds: int
    meter: ClassScores
    meter_binary: ClassScores
    clough: ClassScores
    meter_in_sample: ClassScores
    meter_binary_in_sample: ClassScores
    clough_in_sample: ClassScores

    def as_dict(self) -> dict[str, object]:
        """Plain data for JSON output."""
        out: dict[str, object] = {"folds": self.folds, "seeds": self.seeds}
        for name in (
            "meter",
            "meter_binary",
            "clough",
            "meter_in_sample",
            "meter_binary_in_sample",
            "clough_in_sample",
        ):
            out[name] = getattr(self, name).as_dict()
        return out


def group_folds(rows: Sequence[VerdictRow], folds: int, seed: int = 0) -> npt.NDArray[np.int64]:
    """Fold of each row: groups shuffled by ``seed`` and dealt out in turn, whole."""
    return group_kfold([r.group for r in rows], folds, seed)


def _fit_predict(
    train: Sequence[VerdictRow], test: Sequence[VerdictRow]
) -> tuple[list[str], list[str]]:
    """Relation and Clough category of each test row from constants fitted on ``train``."""
    coef, intercept = fit_verdict(list(train))
    low, high = fit_range(list(train))
    cuts = fit_kind(list(train))
    x = np.array([[r.features[f] for f in SYMMETRIC_FEATURES] for r in test], dtype=np.float64)
    z = np.clip(x, low, high) @ np.asarray(coef).T + np.asarray(intercept)
    z -= z.max(axis=1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(axis=1, keepdims=True)
    relations = [
        choose_relation(
            {Relation(n): round(float(v), 4) for n, v in zip(RELATIONS, row, strict=True)}
        ).value
        for row in p
    ]
    categories = [
        KIND_TO_CATEGORY[document_kind(r.features, cuts)] if relation in _THREE_WAY else "non"
        for r, relation in zip(test, relations, strict=True)
    ]
    return relations, categories


def _scores(
    rows: Sequence[VerdictRow], relations: Sequence[str], categories: Sequence[str]
) -> tuple[ClassScores, ClassScores, ClassScores]:
    meter = [n for n, r in enumerate(rows) if r.source == "meter"]
    gold = [_THREE_WAY.get(RELATIONS[rows[n].relation], "non") for n in meter]
    pred = [_THREE_WAY.get(relations[n], "non") for n in meter]
    three = f1_scores(gold, pred, ("wholly", "partially", "non"))
    binary = f1_scores(
        ["non" if g == "non" else "derived" for g in gold],
        ["non" if p == "non" else "derived" for p in pred],
        ("derived", "non"),
    )
    clough = [n for n, r in enumerate(rows) if r.source == "clough"]
    four = f1_scores(
        [str(rows[n].category) for n in clough], [categories[n] for n in clough], _CLOUGH
    )
    return three, binary, four


def cross_validate(rows: Sequence[VerdictRow], folds: int = 10, seeds: int = 1) -> CrossValidation:
    """Score every row out of fold, over ``seeds`` fold draws, and in sample.

    Args:
        rows: Calibration rows (:func:`~retold.eval.calibrate.verdict_rows`).
        folds: Folds per draw.
        seeds: Fold draws; out-of-fold predictions of all draws are pooled.

    Returns:
        The out-of-fold and in-sample scores.
    """
    pooled_rows: list[VerdictRow] = []
    pooled_rel: list[str] = []
    pooled_cat: list[str] = []
    for seed in range(seeds):
        fold = group_folds(rows, folds, seed)
        relations = [""] * len(rows)
        categories = [""] * len(rows)
        for f in range(folds):
            train = [r for r, k in zip(rows, fold, strict=True) if k != f]
            held = [n for n, k in enumerate(fold.tolist()) if k == f]
            rel, cat = _fit_predict(train, [rows[n] for n in held])
            for n, a, b in zip(held, rel, cat, strict=True):
                relations[n], categories[n] = a, b
        pooled_rows.extend(rows)
        pooled_rel.extend(relations)
        pooled_cat.extend(categories)
    out_of_fold = _scores(pooled_rows, pooled_rel, pooled_cat)
    in_sample = _scores(rows, *_fit_predict(rows, rows))
    return CrossValidation(folds, seeds, *out_of_fold, *in_sample)


# The pairs direction is scored on, as ``retold eval meter`` counts them: each derived-labelled
# paper against its joined PA copy (``meter``) and against each single take (``meter-take``), and
# two derived papers of one story (``meter-siblings``); only pairs compare judges derived.
DIRECTION_SETS = ("meter", "meter-take", "meter-siblings")
_DIRECTION_ANSWERS = ("correct", "wrong", "shared", "unknown")


def _asked(row: VerdictRow) -> bool:
    """Whether ``retold eval meter`` asks this row's direction."""
    if row.source == "meter":
        return RELATIONS[row.relation] in _THREE_WAY and decide(row.features).relation.derived
    return row.source in ("meter-take", "meter-siblings")


def direction_counts(
    rows: Sequence[VerdictRow],
    shape_coef: Sequence[float],
    shared: tuple[Sequence[float], float],
) -> dict[str, dict[str, int]]:
    """Direction answers per set under the given constants (side a is the paper, b PA).

    ``correct`` names PA the source; between two papers (``meter-siblings``) any a or b is
    ``wrong``. The shape sum is exact here, where the pipeline sums cues rounded to three
    decimals (and drops those under 0.05), so a pair at the margin may differ.
    """
    out = {k: dict.fromkeys(_DIRECTION_ANSWERS, 0) for k in DIRECTION_SETS}
    for r in rows:
        if not _asked(r):
            continue
        shape, p = 0.0, None
        if shape_asked(r):
            values = shape_values(r.features, r.own_a, r.own_b)
            shape = sum(c * values[n] for n, c in zip(DIRECTION_FEATURES, shape_coef, strict=True))
            p = shared_probability(r.features, r.own_a, r.own_b, shared[0], shared[1])
        source = choose_source(r.settled, shape, r.strong, p).value
        if r.source == "meter-siblings":
            answer = "wrong" if source in ("a", "b") else source
        else:
            answer = {"b": "correct", "a": "wrong"}.get(source, source)
        out[r.source][answer] += 1
    return out


def cross_validate_direction(
    rows: Sequence[VerdictRow], folds: int = 10, seeds: int = 1
) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, int]]]:
    """Direction answers with the shape and shared-source models fitted without each fold.

    Args:
        rows: Calibration rows with the single-take and sibling rows
            (:func:`~retold.eval.direction_fit.take_rows`, ``sibling_rows``).
        folds: Folds per draw (grouped by METER story).
        seeds: Fold draws; the counts of all draws are summed.

    Returns:
        Out-of-fold counts and in-sample counts (both models refitted on every row).
    """
    pooled = {k: dict.fromkeys(_DIRECTION_ANSWERS, 0) for k in DIRECTION_SETS}
    for seed in range(seeds):
        fold = group_folds(rows, folds, seed)
        for f in range(folds):
            train = [r for r, k in zip(rows, fold, strict=True) if k != f]
            held = [r for r, k in zip(rows, fold, strict=True) if k == f]
            counts = direction_counts(held, *_direction_fit(train))
            for name, row in counts.items():
                for answer, n in row.items():
                    pooled[name][answer] += n
    everything = list(rows)
    return pooled, direction_counts(everything, *_direction_fit(everything))


def _direction_fit(rows: list[VerdictRow]) -> tuple[list[float], tuple[list[float], float]]:
    """The shape weights and the shared-source model fitted on ``rows``, as calibrate does."""
    coef, intercept = fit_shared(rows)
    return fit_direction(rows).tolist(), (coef.tolist(), intercept)


def main(argv: list[str] | None = None) -> int:
    """Compute the calibration rows with the shipped pipeline and print the scores."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--folds", type=int, default=10)
    parser.add_argument("--seeds", type=int, default=1, help="fold draws, pooled")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--direction", action="store_true", help="also the direction models (slower: more pairs)"
    )
    args = parser.parse_args(argv)
    if args.folds < 2 or args.seeds < 1:
        parser.error("--folds must be at least 2 and --seeds at least 1")
    from retold.pipeline import Comparer

    comparer = Comparer()
    rows = verdict_rows(args.shared, comparer)
    result = cross_validate(rows, args.folds, args.seeds)
    direction: dict[str, dict[str, dict[str, int]]] = {}
    if args.direction:
        extra = take_rows(args.shared, comparer) + sibling_rows(args.shared, comparer)
        out_of_fold, in_sample = cross_validate_direction(rows + extra, args.folds, args.seeds)
        direction = {"direction": out_of_fold, "direction_in_sample": in_sample}
    if args.format == "json":
        print(json.dumps({**result.as_dict(), **direction}, indent=2))
        return 0
    print(f"grouped {result.folds}-fold cross-validation, {result.seeds} draw(s) pooled")
    for label, oof, ins in (
        ("METER 3-way macro-F1", result.meter.macro_f1, result.meter_in_sample.macro_f1),
        ("METER derived F1", result.meter_binary.f1[0], result.meter_binary_in_sample.f1[0]),
        ("Clough 4-way accuracy", result.clough.accuracy, result.clough_in_sample.accuracy),
    ):
        print(f"  {label:<24} {oof:.4f} out of fold   {ins:.4f} in sample (refitted)")
    for name, counts in direction.items():
        print(f"  {name.replace('_', ' ')} (correct / wrong / shared / unknown):")
        for kind, row in counts.items():
            print(f"    {kind:<16} " + " / ".join(str(row[a]) for a in _DIRECTION_ANSWERS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
