"""Fitted constants of the provenance stage, each with the data it was fitted on.

Regenerate with ``python -m retold.eval.calibrate --write``; never edit the numbers by hand.
"""

from __future__ import annotations

__all__ = [
    "DIRECTION_COEF",
    "DIRECTION_FEATURES",
    "DIRECTION_MARGIN",
    "KIND_LIGHT_RATE",
    "KIND_VERBATIM_RATE",
    "RELATIONS",
    "VERDICT_COEF",
    "VERDICT_FEATURES",
    "VERDICT_INTERCEPT",
]

RELATIONS = ("unrelated", "same_story", "partially_derived", "wholly_derived")
VERDICT_FEATURES = (
    "cov_max",
    "cov_min",
    "c3_max",
    "c3_min",
    "c1_max",
    "c1_min",
    "doc_cos",
    "copy_rate",
    "passage_score",
    "n_passages",
    "len_ratio",
)
# Initial hand-set values (one row per relation); replaced by the fit.
VERDICT_COEF = (
    (-4.0, 0.0, -2.0, 0.0, -4.0, 0.0, -6.0, 0.0, 0.0, -1.0, 0.0),
    (0.0, 0.0, 0.0, 0.0, 2.0, 0.0, 4.0, 0.0, 0.0, 0.0, 0.0),
    (3.0, 0.0, 2.0, 0.0, 2.0, 0.0, 4.0, 0.0, 0.0, 0.5, 0.0),
    (6.0, 2.0, 4.0, 0.0, 2.0, 0.0, 4.0, 0.0, 0.0, 0.5, 0.0),
)
VERDICT_INTERCEPT = (3.0, 0.0, -3.0, -6.0)

# Document-level copy-rate cut points for the rewrite kind of a derived pair.
KIND_VERBATIM_RATE = 0.75
KIND_LIGHT_RATE = 0.35

# Direction model: antisymmetric logistic weights over side-feature differences (a minus b);
# a positive sum favours a as the source.
DIRECTION_FEATURES = ("cov", "len", "only_facts")
DIRECTION_COEF = (-1.0, 0.5, 0.5)
DIRECTION_MARGIN = 0.6
