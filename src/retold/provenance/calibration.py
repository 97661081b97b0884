"""Fitted constants of the provenance stage, each with the data it was fitted on.

Regenerate with ``python -m retold.eval.calibrate --write``; never edit the numbers by hand.
"""

from __future__ import annotations

__all__ = [
    "DIRECTION_COEF",
    "DIRECTION_FEATURES",
    "DIRECTION_MARGIN",
    "KIND_FEATURE",
    "KIND_LIGHT_RATE",
    "KIND_VERBATIM_RATE",
    "RELATIONS",
    "VERDICT_COEF",
    "VERDICT_FEATURES",
    "VERDICT_INTERCEPT",
]

RELATIONS = ("unrelated", "same_story", "partially_derived", "wholly_derived")
VERDICT_FEATURES = (
    "c1_max",
    "c1_min",
    "c2_max",
    "c2_min",
    "c3_max",
    "c3_min",
    "c5_max",
    "c5_min",
    "cov_max",
    "cov_min",
    "soft_max",
    "soft_min",
    "hard_max",
    "hard_min",
    "loc_max",
    "loc_min",
    "sem_max",
    "sem_min",
    "u3_max",
    "u3_min",
    "run_max",
    "run_min",
    "doc_cos",
    "copy_rate",
    "passage_score",
    "n_passages",
    "len_ratio",
    "len_min",
    "len_max",
)
# Initial hand-set values (one row per relation); replaced by the fit.
VERDICT_COEF = (
    (-6.8418, -3.9943, -4.4869, -2.0182, -0.8940, 0.9787, -0.1200, 0.3551, -0.7737, -1.0887, -1.8826, -2.8055, 0.7082, 1.2699, -4.2362, -5.0952, -3.6163, -2.1987, -0.6253, 0.9581, 0.0292, 0.1221, -9.8818, 2.1662, -1.5298, -0.4714, 0.1187, 1.4930, 1.1891),
    (-1.3137, 9.0668, 1.3247, 1.1357, -1.0272, 2.3335, -6.4904, 3.8829, -0.2311, 1.4637, -0.1444, -3.2802, -0.6891, -0.7182, 2.9967, -3.1425, 9.1388, -3.4945, 1.4500, -5.7569, -0.6679, 0.9517, 6.1351, -1.4659, 0.4490, 0.3808, 0.0313, -0.4577, -0.2977),
    (1.8076, -1.0974, 3.3886, 1.0014, 0.0837, -3.4246, 3.0813, 0.1956, 0.1503, 1.9535, 1.6990, 1.6416, -0.0306, -1.8412, -1.0500, 3.9639, -8.0573, -2.2418, -1.2920, 1.9598, -0.1923, -0.1179, 6.2938, 2.0243, 2.5975, 0.5697, -0.0526, -0.2878, -0.2585),
    (6.3479, -3.9750, -0.2264, -0.1189, 1.8375, 0.1124, 3.5291, -4.4337, 0.8545, -2.3285, 0.3279, 4.4441, 0.0115, 1.2895, 2.2895, 4.2738, 2.5348, 7.9349, 0.4673, 2.8390, 0.8309, -0.9559, -2.5471, -2.7246, -1.5167, -0.4791, -0.0975, -0.7475, -0.6328),
)
VERDICT_INTERCEPT = (4.0150, -4.5819, 0.3607, 0.2061)

# Rewrite kind of a derived pair: cut points on KIND_FEATURE (share of tokens outside quotes that
# lie in a word trigram both sides share), fitted on Clough–Stevenson cut/light/heavy answers.
# Chosen over the passage copy rate and 5-gram containment by leave-one-out accuracy on those 32
# answers (0.625 vs 0.344 and 0.438).
KIND_FEATURE = "u3_max"
KIND_VERBATIM_RATE = 0.7855
KIND_LIGHT_RATE = 0.6225

# Direction model: antisymmetric logistic weights over side-feature differences (a minus b);
# a positive sum favours a as the source.
DIRECTION_FEATURES = ("cov", "len", "only_facts")
DIRECTION_COEF = (-1.3674, 2.8747, 0.4526)
DIRECTION_MARGIN = 0.6
