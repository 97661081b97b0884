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
    (-6.4297, -2.6572, -4.4402, -1.7060, -0.8279, 1.1290, 0.0455, 0.5439, -0.5168, -1.7686, -1.7337, -2.5928, 0.5735, 1.0068, -3.9428, -4.4742, -3.8259, -2.4332, -0.5500, 0.6319, 0.0589, 0.1943, -9.8228, 1.9493, -1.3168, -1.1842, 0.0792, 1.6032, 1.2292),
    (-1.3169, 8.3253, 1.5766, 1.2195, -0.5208, 2.5866, -6.0024, 3.0074, -0.8326, 0.9821, 0.2349, -2.9512, -0.5689, -0.0883, 2.5532, -3.0787, 9.5355, -3.7271, 1.3625, -5.5816, -0.6241, 0.9434, 5.9601, -2.2098, 0.3721, 0.5201, 0.0326, -0.4375, -0.2820),
    (1.8590, -1.3906, 3.7825, 0.8852, 0.2137, -3.7585, 2.3102, 0.6563, 1.2184, -0.0975, 0.7303, 3.0323, -0.2763, -0.8236, -1.1003, 3.6894, -9.2562, -2.8659, -1.2771, 2.0702, -0.3031, -0.1345, 6.8696, 1.8131, 2.7524, 0.5601, -0.1343, -0.1838, -0.2644),
    (5.8875, -4.2776, -0.9188, -0.3988, 1.1351, 0.0429, 3.6467, -4.2076, 0.1311, 0.8841, 0.7685, 2.5117, 0.2716, -0.0949, 2.4898, 3.8635, 3.5465, 9.0262, 0.4646, 2.8796, 0.8683, -1.0032, -3.0069, -1.5526, -1.8077, 0.1040, 0.0225, -0.9819, -0.6829),
)
VERDICT_INTERCEPT = (3.4368, -4.7065, 0.7190, 0.5508)

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
DIRECTION_COEF = (-3.3797, 2.3589, 0.2624)
DIRECTION_MARGIN = 0.6
