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
    (-6.8440, -4.6940, -4.0971, -2.4443, -0.6939, 1.8561, -0.0001, 0.8289, 0.3286, 1.0025, -3.0560, -5.4851, 0.4886, 1.9180, -5.1024, -8.4834, -5.8616, -3.5988, -0.3977, 1.3100, 0.0164, 0.1891, -8.7273, -0.0289, -0.8385, -0.1758, -0.1058, 1.3101, 1.1973),
    (-1.7871, 7.1494, 1.3262, 0.5967, -0.7872, 3.7103, -6.9214, 6.8702, -0.2872, -1.2783, 0.6822, 0.4344, -0.7462, 0.1812, 2.8242, -0.3659, 7.1624, -2.9186, 1.6849, -8.8216, -0.4258, 0.8162, 5.2974, -0.9048, 0.3783, 0.3208, 0.0696, -0.4284, -0.3514),
    (3.0272, 2.7413, 3.4023, 1.4773, 0.2615, -4.2277, 2.9702, -1.8025, -0.5657, 3.3628, 2.8024, 1.7254, -0.1884, -5.0085, -0.2768, 2.8466, -3.5650, -1.4630, -1.7847, 3.9424, -0.4766, 0.0835, 7.1455, 1.0774, -0.1790, 0.3856, 0.0731, -0.3155, -0.2338),
    (5.6039, -5.1967, -0.6314, 0.3703, 1.2197, -1.3387, 3.9512, -5.8966, 0.5244, -3.0869, -0.4286, 3.3253, 0.4460, 2.9093, 2.5549, 6.0027, 2.2643, 7.9804, 0.4975, 3.5692, 0.8860, -1.0888, -3.7156, -0.1437, 0.6391, -0.5306, -0.0368, -0.5662, -0.6122),
)
VERDICT_INTERCEPT = (6.7303, -3.3383, -3.2140, -0.1779)

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
DIRECTION_COEF = (-3.6133, 2.4889, 0.3284)
DIRECTION_MARGIN = 0.6
