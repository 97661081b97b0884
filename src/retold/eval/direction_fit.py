"""Fitting the direction constants on METER, where PA is the known source.

- ``DIRECTION_COEF`` (:func:`fit_direction`): antisymmetric logistic weights over the shape
  cues, newspaper minus PA, fitted on each paper against its joined PA copy and, with the same
  total weight, against each single PA take of a story PA filed more than once.
- ``SHARED_COEF`` / ``SHARED_INTERCEPT`` (:func:`fit_shared`): the shared-source model, fitted
  on two papers of one story (both rewrote PA: a shared source) against those paper/PA pairs
  (one retells the other). Only pairs compare judges derived count: direction is asked of those.

Run through ``python -m retold.eval.calibrate``.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from retold.eval.fit import fit_logistic
from retold.eval.rows import VerdictRow, make_row
from retold.ingest.corpora.meter import load_meter
from retold.provenance.calibration import DIRECTION_FEATURES, RELATIONS, SHARED_FEATURES
from retold.provenance.direction import shape_values, shared_values
from retold.provenance.verdict import decide, likeliest

if TYPE_CHECKING:
    from retold.align import Prepared
    from retold.pipeline import Comparer

__all__ = [
    "direction_rows",
    "fit_direction",
    "fit_shared",
    "shared_rows",
    "sibling_rows",
    "take_rows",
]

_DERIVED = ("partially_derived", "wholly_derived")


def take_rows(shared: Path, comparer: Comparer) -> list[VerdictRow]:
    """METER derived newspaper stories against each single PA take, where PA filed several.

    Only pairs the pipeline itself judges derived are kept: direction is asked of those alone.
    """
    corpus = load_meter(shared / "data" / "meter")
    prepared: dict[str, Prepared] = {}
    rows: list[VerdictRow] = []
    for item in corpus.newspapers:
        takes = corpus.pa.get((item.date, item.catchline), ())
        if item.label not in ("wholly", "partially") or len(takes) < 2:
            continue
        paper = comparer.prepare(item.article)
        gold = "wholly_derived" if item.label == "wholly" else "partially_derived"
        group = f"meter:{item.date}/{item.catchline}"
        for take in takes:
            if take.id not in prepared:
                prepared[take.id] = comparer.prepare(take)
            c = comparer.compare(paper, prepared[take.id])
            if c.verdict.relation.derived:
                rows.append(make_row("meter-take", gold, c, group=group))
    return rows


def sibling_rows(shared: Path, comparer: Comparer) -> list[VerdictRow]:
    """Every two derived newspaper stories of one METER story that compare judges derived.

    Both rewrote PA, so they retell a shared source; their gold relation is recorded as
    ``partially_derived`` (two partial retellings of a third text).
    """
    corpus = load_meter(shared / "data" / "meter")
    stories: dict[tuple[str, str], list[Prepared]] = {}
    for item in corpus.newspapers:
        if item.label in ("wholly", "partially"):
            key = (item.date, item.catchline)
            stories.setdefault(key, []).append(comparer.prepare(item.article))
    rows: list[VerdictRow] = []
    for (date, catchline), papers in sorted(stories.items()):
        for a, b in itertools.combinations(papers, 2):
            c = comparer.compare(a, b)
            if c.verdict.relation.derived:
                group = f"meter:{date}/{catchline}"
                rows.append(make_row("meter-siblings", "partially_derived", c, group=group))
    return rows


def shape_asked(row: VerdictRow) -> bool:
    """Whether the shape cues are read for this pair: a derived relation is its likeliest."""
    return likeliest(decide(row.features)).derived


def direction_rows(
    rows: list[VerdictRow],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Antisymmetric differences (newspaper minus PA) of METER derived pairs, and their weights.

    Joined-copy rows (``meter``) weigh 1 each; single-take rows (``meter-take``) share the same
    total weight.
    """
    out, kinds = [], []
    for r in rows:
        if r.source not in ("meter", "meter-take") or RELATIONS[r.relation] not in _DERIVED:
            continue
        if r.source == "meter-take" and not shape_asked(r):
            continue
        diff = shape_values(r.features, r.own_a, r.own_b)
        out.append([diff[name] for name in DIRECTION_FEATURES])
        kinds.append(r.source)
    n_joined = kinds.count("meter")
    n_takes = len(kinds) - n_joined
    weights = [1.0 if k == "meter" or not n_takes else n_joined / n_takes for k in kinds]
    return np.asarray(out), np.asarray(weights)


def fit_direction(rows: list[VerdictRow]) -> npt.NDArray[np.float64]:
    """Weights favouring a as the source; a is the newspaper here, so the label is 0 (b = PA)."""
    d, w = direction_rows(rows)
    x = np.vstack([d, -d])
    y = np.concatenate([np.zeros(len(d)), np.ones(len(d))]).astype(np.int64)
    model = fit_logistic(x, y, l2=1.0, fit_intercept=False, sample_weight=np.concatenate([w, w]))
    weights: npt.NDArray[np.float64] = model.coef[0]
    return weights


def shared_rows(
    rows: list[VerdictRow],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """Inputs, labels (1: shared source) and weights of the shared-source fit.

    Paper/PA pairs are the derived papers against their joined PA copy (``meter``) and against
    single takes (``meter-take``); sibling pairs are ``meter-siblings``. Only pairs compare
    judges derived count. Each of the three sets weighs as much in total as the first.
    The shape input uses the shipped ``DIRECTION_COEF``: refit the direction first.
    """
    chosen = [
        r
        for r in rows
        if shape_asked(r)
        and (
            r.source in ("meter-take", "meter-siblings")
            or (r.source == "meter" and RELATIONS[r.relation] in _DERIVED)
        )
    ]
    x = np.array(
        [[shared_values(r.features, r.own_a, r.own_b)[n] for n in SHARED_FEATURES] for r in chosen]
    )
    y = np.array([int(r.source == "meter-siblings") for r in chosen], dtype=np.int64)
    counts = {
        k: sum(r.source == k for r in chosen) for k in ("meter", "meter-take", "meter-siblings")
    }
    w = np.array([max(counts["meter"], 1) / counts[r.source] for r in chosen], dtype=np.float64)
    return x, y, w


def fit_shared(rows: list[VerdictRow]) -> tuple[npt.NDArray[np.float64], float]:
    """Coefficients and intercept of the shared-source model (see :func:`shared_rows`)."""
    x, y, w = shared_rows(rows)
    model = fit_logistic(x, y, sample_weight=w)
    coef: npt.NDArray[np.float64] = model.coef[0]
    return coef, float(model.intercept[0])
