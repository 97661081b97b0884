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
    "KIND_RUN_FEATURE",
    "KIND_VERBATIM_RATE",
    "KIND_VERBATIM_RUN",
    "RELATIONS",
    "SHARED_COEF",
    "SHARED_FEATURES",
    "SHARED_INTERCEPT",
    "VERDICT_COEF",
    "VERDICT_FEATURES",
    "VERDICT_HIGH",
    "VERDICT_INTERCEPT",
    "VERDICT_LOW",
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
    "csent_max",
    "csent_min",
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
    (
        -6.4507,
        -2.6551,
        -4.4750,
        -1.7249,
        -0.8235,
        1.1521,
        0.0416,
        0.5476,
        -0.5120,
        -1.8150,
        -1.7203,
        -2.6042,
        0.5652,
        1.0084,
        -3.9426,
        -4.5196,
        -3.6988,
        -2.2989,
        -0.5304,
        0.6820,
        0.0741,
        0.2115,
        -0.3480,
        -0.0920,
        -10.0121,
        1.9801,
        -1.3350,
        -1.2008,
        0.0748,
        1.6257,
        1.2410,
    ),
    (
        -1.3482,
        7.8129,
        1.3174,
        1.1523,
        -1.2668,
        1.3879,
        -4.6328,
        4.8536,
        -0.7210,
        0.9351,
        -0.1500,
        -3.0604,
        -0.6717,
        -0.2063,
        3.0591,
        -2.3842,
        10.1556,
        -3.1640,
        2.2758,
        -3.8073,
        -0.6068,
        0.9746,
        -2.5976,
        -3.5909,
        5.3531,
        -1.9998,
        0.3729,
        0.4307,
        0.0224,
        -0.3769,
        -0.2485,
    ),
    (
        1.8695,
        -1.2452,
        3.8988,
        0.8862,
        0.3366,
        -3.2499,
        1.9161,
        -0.0323,
        1.1917,
        0.0073,
        0.7630,
        3.0013,
        -0.2372,
        -0.8073,
        -1.2517,
        3.4134,
        -9.6012,
        -3.0508,
        -1.6039,
        1.6608,
        -0.3349,
        -0.1361,
        1.2529,
        1.0345,
        7.2635,
        1.7647,
        2.8052,
        0.5870,
        -0.1199,
        -0.2234,
        -0.2786,
    ),
    (
        5.9294,
        -3.9126,
        -0.7411,
        -0.3136,
        1.7536,
        0.7099,
        2.6751,
        -5.3688,
        0.0413,
        0.8725,
        1.1073,
        2.6633,
        0.3438,
        0.0052,
        2.1352,
        3.4904,
        3.1443,
        8.5137,
        -0.1415,
        1.4645,
        0.8676,
        -1.0501,
        1.6928,
        2.6485,
        -2.6045,
        -1.7450,
        -1.8431,
        0.1831,
        0.0227,
        -1.0254,
        -0.7139,
    ),
)
VERDICT_INTERCEPT = (3.2695, -5.3468, 1.0010, 1.0763)
# Range of each feature over the rows the verdict was fitted on (METER, Clough–Stevenson,
# unrelated pairs, MSRP documents); features are clipped to it, since a linear model says nothing
# trustworthy beyond the data it saw. Without it, a 40 KB Reuters text compared with itself (log
# length 8.8 and a longest copied run of 6,600 words, past every fitted pair) came out same_story.
VERDICT_LOW = (
    0.0000,
    0.0000,
    0.0000,
    0.0000,
    0.0000,
    0.0000,
    0.0000,
    0.0000,
    0.0000,
    0.0000,
    0.0251,
    0.0137,
    0.0000,
    0.0000,
    0.0000,
    0.0000,
    0.3315,
    0.2135,
    0.0000,
    0.0000,
    0.0000,
    0.0000,
    0.0000,
    0.0000,
    0.2923,
    0.0000,
    0.0000,
    0.0000,
    0.0000,
    2.9444,
    4.5747,
)
VERDICT_HIGH = (
    1.0000,
    0.9412,
    1.0000,
    0.9540,
    1.0000,
    0.9438,
    1.0000,
    0.9373,
    1.0000,
    1.0000,
    0.9985,
    0.9957,
    1.0000,
    1.0000,
    1.0000,
    0.9493,
    0.9998,
    0.9824,
    1.0000,
    0.9365,
    5.6525,
    4.9629,
    1.0000,
    1.0000,
    0.9983,
    0.9894,
    0.9984,
    3.4658,
    4.6418,
    7.5083,
    8.6307,
)

# Rewrite kind of a derived pair: cut points on KIND_FEATURE (share of tokens outside quotes that
# lie in a word trigram both sides share) and on KIND_RUN_FEATURE (log1p of the mean length, in
# tokens, of the runs of such words), fitted on the 32 Clough–Stevenson cut/light/heavy answers.
# A pair is verbatim when most of its wording survived or when what survived came in long
# unbroken runs (pasted passages amid new text: two "cut" answers whose shared words are only a
# third and two thirds of the text, in runs of 90 and 68 tokens; the longest runs of a heavy
# answer average 59). The share alone was chosen over the passage copy rate and 5-gram
# containment by leave-one-out accuracy (0.625 vs 0.438 and 0.438); adding the run cut point
# took leave-one-out from 22 to 24 of 32 and in-sample from 23 to 25. On METER, 1 of 1,504
# derived paper/PA-take pairs changes kind with it (a wholly derived copy, light -> verbatim).
KIND_FEATURE = "u3_max"
KIND_RUN_FEATURE = "run_max"
KIND_VERBATIM_RATE = 0.8568
KIND_LIGHT_RATE = 0.6996
KIND_VERBATIM_RUN = 4.1266

# Direction model: antisymmetric logistic weights over side-feature differences (a minus b);
# a positive sum favours a as the source. Fitted on METER newspapers against their joined PA copy
# and against single PA takes, the two weighted equally (see retold.eval.calibrate).
DIRECTION_FEATURES = ("len", "only_facts", "aligned")
DIRECTION_COEF = (-2.9635, 3.0453, 2.2111)
DIRECTION_MARGIN = 0.6

# Shared-source model: logistic weights over symmetric features of a derived pair (see
# retold.provenance.direction.shared_values), positive towards two retellings of one source.
# Fitted on METER courts: every two papers of one story that compare judges derived (both
# rewrote PA: shared) against each paper and its joined PA copy and each single PA take judged
# derived (one retells the other); the three sets weigh the same in total.
SHARED_FEATURES = ("u3_max", "cov_max", "cov_min", "own_min", "own_max", "len_ratio", "shape")
SHARED_COEF = (-4.8920, 0.3075, 0.9664, -1.4660, -0.2114, -1.4227, -0.4302)
SHARED_INTERCEPT = 6.0870
