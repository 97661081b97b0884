"""Fit retold's calibrated constants on the shared data sets and (optionally) write them back.

``python -m retold.eval.calibrate --shared ../shared [--write]``

1. Sentence-pair paraphrase scorer (``retold.align.calibration.PARAPHRASE_*``): logistic
   regression on MSRP train, one model per embedder.
2. Verdict model (``retold.provenance.calibration.VERDICT_*``): softmax regression on METER courts
   (newspaper vs joined PA copy: wholly / partially / non → same_story), Clough–Stevenson tasks
   a–c (cut/light/heavy → wholly derived, non → same_story), and unrelated pairs made by pairing
   each METER newspaper story with the PA copy of another story (and Clough answers with another
   task's source).
3. Rewrite-kind cut points (``KIND_VERBATIM_RATE``, ``KIND_LIGHT_RATE``, ``KIND_VERBATIM_RUN``):
   grid search on Clough–Stevenson derived answers.
4. Direction weights (``DIRECTION_COEF``) and the shared-source model (``SHARED_*``): logistic
   regressions on METER's derived pairs, where PA is the known source (see
   :mod:`retold.eval.direction_fit`).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt

from retold.eval.direction_fit import fit_direction, fit_shared, sibling_rows, take_rows
from retold.eval.fit import fit_logistic
from retold.eval.meter import meter_pairs, pa_source
from retold.eval.msrp import PARAPHRASE_L2, msrp_features
from retold.eval.rows import VerdictRow, make_row
from retold.ingest.corpora.clough import load_clough
from retold.ingest.corpora.meter import load_meter
from retold.ingest.corpora.msrp import load_msrp
from retold.model import Article
from retold.pipeline import Comparer
from retold.provenance.calibration import (
    KIND_FEATURE,
    KIND_RUN_FEATURE,
    RELATIONS,
)
from retold.provenance.features import SYMMETRIC_FEATURES

__all__ = ["NO_RUN_CUT", "fit_kind", "fit_range", "fit_verdict", "main", "verdict_rows"]

# Relative weight of each source of verdict training rows, so METER (the one real news-agency
# corpus) dominates and the small Clough set still counts.
SOURCE_WEIGHT = {
    "meter": 1.0,
    "meter-unrelated": 0.5,
    "clough": 2.0,
    "clough-unrelated": 1.0,
    "msrp-docs": 0.5,
}
# Synthetic documents built from MSRP train sentence pairs (news sentences): PAIRS_PER_DOC
# paraphrase pairs make a wholly derived pair of documents (side b in reverse order), half of
# them plus as many unrelated sentences a partially derived one. They teach the verdict that
# reworded, reordered text is still derived, which METER (mostly light rewrites) shows rarely.
PAIRS_PER_DOC = 8
MSRP_DOCS = 120
VERDICT_L2 = 1.0


def verdict_rows(shared: Path, comparer: Comparer) -> list[VerdictRow]:
    """Compare every calibration pair once and keep its features and gold relation."""
    rows: list[VerdictRow] = []
    corpus = load_meter(shared / "data" / "meter")
    keys = sorted(corpus.pa)
    prepared = {}
    for item, source in meter_pairs(corpus):
        if source.id not in prepared:
            prepared[source.id] = comparer.prepare(source)
        gold = {"wholly": "wholly_derived", "partially": "partially_derived"}.get(
            item.label or "non", "same_story"
        )
        group = f"meter:{item.date}/{item.catchline}"
        c = comparer.compare(item.article, prepared[source.id])
        rows.append(make_row("meter", gold, c, group=group))
        # An unrelated partner: the next story in (date, catchline) order.
        other = keys[(keys.index((item.date, item.catchline)) + 1) % len(keys)]
        unrelated = pa_source(corpus, *other)
        if unrelated is not None:
            if unrelated.id not in prepared:
                prepared[unrelated.id] = comparer.prepare(unrelated)
            c = comparer.compare(item.article, prepared[unrelated.id])
            rows.append(make_row("meter-unrelated", "unrelated", c, group=group))
    rows.extend(msrp_document_rows(shared, comparer))
    items = load_clough(shared / "data" / "clough-stevenson")
    sources = {i.task: i.source for i in items}
    tasks = sorted(sources)
    for i in items:
        gold = "same_story" if i.category == "non" else "wholly_derived"
        group = f"clough:{i.answer.id}"
        c = comparer.compare(i.answer, i.source)
        rows.append(make_row("clough", gold, c, i.category, group))
        other_task = tasks[(tasks.index(i.task) + 1) % len(tasks)]
        c = comparer.compare(i.answer, sources[other_task])
        rows.append(make_row("clough-unrelated", "unrelated", c, group=group))
    return rows


def msrp_document_rows(shared: Path, comparer: Comparer) -> list[VerdictRow]:
    """Wholly and partially derived document pairs assembled from MSRP paraphrase pairs."""
    pairs = load_msrp(shared / "data" / "msrp" / "msr_paraphrase_train.txt")
    para = [p for p in pairs if p.label]
    other = [p for p in pairs if not p.label]
    rows: list[VerdictRow] = []
    half = PAIRS_PER_DOC // 2
    for k in range(MSRP_DOCS):
        chunk = para[k * PAIRS_PER_DOC : (k + 1) * PAIRS_PER_DOC]
        if len(chunk) < PAIRS_PER_DOC:
            break
        a = Article.from_text(" ".join(p.s1 for p in chunk))
        b = Article.from_text(" ".join(p.s2 for p in reversed(chunk)))
        rows.append(
            make_row("msrp-docs", "wholly_derived", comparer.compare(a, b), group=f"msrp:{k}")
        )
        filler = other[k * half : (k + 1) * half]
        mixed = [p.s2 for p in chunk[:half]] + [p.s1 for p in filler]
        b2 = Article.from_text(" ".join(mixed[::-1]))
        a2 = Article.from_text(
            " ".join(p.s1 for p in chunk[:half])
            + " "
            + " ".join(p.s2 for p in other[-(k + 1) * half : len(other) - k * half])
        )
        c = comparer.compare(a2, b2)
        rows.append(make_row("msrp-docs", "partially_derived", c, group=f"msrp:{k}"))
    return rows


def fit_verdict(rows: list[VerdictRow]) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Softmax regression of relation on the symmetric features."""
    x = np.array([[r.features[f] for f in SYMMETRIC_FEATURES] for r in rows])
    y = np.array([r.relation for r in rows], dtype=np.int64)
    w = np.array([SOURCE_WEIGHT[r.source] for r in rows])
    model = fit_logistic(x, y, n_classes=len(RELATIONS), l2=VERDICT_L2, sample_weight=w)
    return model.coef, model.intercept


def fit_range(rows: list[VerdictRow]) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Lowest and highest value of each verdict feature over the fitting rows.

    Rounded outwards to the 4 decimals they are written with, so every fitting row lies inside.
    """
    x = np.array([[r.features[f] for f in SYMMETRIC_FEATURES] for r in rows], dtype=np.float64)
    low = tuple(float(v) for v in np.floor(x.min(axis=0) * 1e4) / 1e4)
    high = tuple(float(v) for v in np.ceil(x.max(axis=0) * 1e4) / 1e4)
    return low, high


# The run cut point written when none helps: log1p of a mean run no text has (e^99 tokens).
NO_RUN_CUT = 99.0


def fit_kind(rows: list[VerdictRow]) -> tuple[float, float, float]:
    """Cut points that best separate cut / light / heavy Clough answers.

    Every pair of observed ``KIND_FEATURE`` values is tried as the lowest ``cut`` and the lowest
    ``light`` value, each with every observed ``KIND_RUN_FEATURE`` value (or none) as the lowest
    run that makes an answer ``cut`` whatever its share. The triple classifying most derived
    answers right wins; ties go to the widest smaller gap below the cut points (the max-margin
    choice), then to no run cut point. Each cut point is put halfway into the gap below it,
    away from the training answers. Values are compared unrounded: rounding them first once let
    the search score one partition and return another (20 of 32 right instead of 23).

    Returns:
        ``(verbatim share, light share, verbatim run)``; the run is ``NO_RUN_CUT`` when no
        run cut point helps.
    """
    derived = [r for r in rows if r.source == "clough" and r.category in ("cut", "light", "heavy")]
    values = np.array([r.features[KIND_FEATURE] for r in derived], dtype=np.float64)
    run_values = np.array([r.features[KIND_RUN_FEATURE] for r in derived], dtype=np.float64)
    gold = np.array([r.category for r in derived])
    rates, runs = np.unique(values), np.unique(run_values)
    # Index of each candidate run cut point among the distinct runs (None: no run rule).
    run_cuts: list[int | None] = [None, *range(1, len(runs))]
    best: tuple[int, float, bool, int, int, int] | None = None
    for i_hi in range(1, len(rates)):
        for i_lo in range(1, i_hi):
            shares = np.where(
                values >= rates[i_hi], "cut", np.where(values >= rates[i_lo], "light", "heavy")
            )
            margin = float(min(rates[i_hi] - rates[i_hi - 1], rates[i_lo] - rates[i_lo - 1]))
            for i_run in run_cuts:
                pred = shares
                if i_run is not None:
                    pred = np.where(run_values >= runs[i_run], "cut", shares)
                ok = int(np.count_nonzero(pred == gold))
                gap = margin if i_run is None else min(margin, float(runs[i_run] - runs[i_run - 1]))
                key = (ok, gap, i_run is None, -i_hi, -i_lo, -(i_run or 0))
                if best is None or key > best:
                    best = key
    if best is None:  # fewer than three distinct values: keep the cut points apart anyway
        return 0.75, 0.35, NO_RUN_CUT
    i_hi, i_lo, i_run = -best[3], -best[4], -best[5]
    hi = (rates[i_hi] + rates[i_hi - 1]) / 2
    lo = (rates[i_lo] + rates[i_lo - 1]) / 2
    run = (runs[i_run] + runs[i_run - 1]) / 2 if i_run else NO_RUN_CUT
    return round(float(hi), 4), round(float(lo), 4), round(float(run), 4)


def _fmt(values: npt.NDArray[np.float64] | tuple[float, ...]) -> str:
    return (
        "(" + ", ".join(f"{float(v):.4f}" for v in values) + ("," if len(values) == 1 else "") + ")"
    )


def _replace(path: Path, name: str, value: str) -> None:
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(rf"^{name} = (?:\(\n.*?^\)|\{{\n.*?^\}}|[^\n]*)$", re.M | re.S)
    if not pattern.search(text):
        raise SystemExit(f"{path}: no assignment of {name}")
    path.write_text(pattern.sub(lambda _m: f"{name} = {value}", text, count=1), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Fit and print (or write) the calibrated constants."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--write", action="store_true", help="rewrite the calibration modules")
    parser.add_argument(
        "--skip-paraphrase", action="store_true", help="keep the sentence-pair paraphrase model"
    )
    args = parser.parse_args(argv)
    src = Path(__file__).resolve().parents[1]
    if not args.skip_paraphrase:
        pairs = load_msrp(args.shared / "data" / "msrp" / "msr_paraphrase_train.txt")
        y = np.array([int(p.label) for p in pairs], dtype=np.int64)
        coefs, intercepts = {}, {}
        embedders: tuple[Literal["static", "minilm"], ...] = ("static", "minilm")
        for name in embedders:
            model = fit_logistic(msrp_features(pairs, name), y, l2=PARAPHRASE_L2)
            coefs[name], intercepts[name] = _fmt(model.coef[0]), f"{model.intercept[0]:.4f}"
        coef_block = "{\n" + "".join(f'    "{k}": {v},\n' for k, v in coefs.items()) + "}"
        icpt_block = "{" + ", ".join(f'"{k}": {v}' for k, v in intercepts.items()) + "}"
        print(f"PARAPHRASE_COEF = {coef_block}\nPARAPHRASE_INTERCEPT = {icpt_block}")
        if args.write:
            path = src / "align" / "calibration.py"
            _replace(path, "PARAPHRASE_COEF", coef_block)
            _replace(path, "PARAPHRASE_INTERCEPT", icpt_block)
    import importlib

    import retold.align.calibration
    import retold.align.similarity

    importlib.reload(retold.align.calibration)
    importlib.reload(retold.align.similarity)
    comparer = Comparer()
    rows = verdict_rows(args.shared, comparer)
    coef, intercept = fit_verdict(rows)
    low, high = fit_range(rows)
    hi, lo, run = fit_kind(rows)
    takes = take_rows(args.shared, comparer)
    direction = fit_direction(rows + takes)
    shared_coef, shared_intercept = fit_shared(rows + takes + sibling_rows(args.shared, comparer))
    coef_text = "(\n" + "".join(f"    {_fmt(row)},\n" for row in coef) + ")"
    print(f"VERDICT_COEF = {coef_text}\nVERDICT_INTERCEPT = {_fmt(intercept)}")
    print(f"VERDICT_LOW = {_fmt(low)}\nVERDICT_HIGH = {_fmt(high)}")
    print(f"KIND_VERBATIM_RATE = {hi}\nKIND_LIGHT_RATE = {lo}\nKIND_VERBATIM_RUN = {run}")
    print(f"DIRECTION_COEF = {_fmt(direction)}")
    print(f"SHARED_COEF = {_fmt(shared_coef)}\nSHARED_INTERCEPT = {shared_intercept:.4f}")
    if args.write:
        path = src / "provenance" / "calibration.py"
        names = "(\n" + "".join(f'    "{n}",\n' for n in SYMMETRIC_FEATURES) + ")"
        _replace(path, "VERDICT_FEATURES", names)
        _replace(path, "VERDICT_COEF", coef_text)
        _replace(path, "VERDICT_INTERCEPT", _fmt(intercept))
        _replace(path, "VERDICT_LOW", _fmt(low))
        _replace(path, "VERDICT_HIGH", _fmt(high))
        _replace(path, "KIND_VERBATIM_RATE", str(hi))
        _replace(path, "KIND_LIGHT_RATE", str(lo))
        _replace(path, "KIND_VERBATIM_RUN", str(run))
        _replace(path, "DIRECTION_COEF", _fmt(direction))
        _replace(path, "SHARED_COEF", _fmt(shared_coef))
        _replace(path, "SHARED_INTERCEPT", f"{shared_intercept:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
