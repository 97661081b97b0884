"""Fitted constants of the alignment stage, each with the data it was fitted on.

Regenerate with ``python -m retold.eval.calibrate``; never edit the numbers by hand.
"""

from __future__ import annotations

__all__ = [
    "LIGHT_RATE",
    "LINK_MARGIN",
    "LINK_THRESHOLD",
    "PAIR_COEF",
    "PAIR_FEATURES",
    "PAIR_INTERCEPT",
    "PARAPHRASE_COEF",
    "PARAPHRASE_INTERCEPT",
    "VERBATIM_RATE",
]

# Sentence-pair model: logistic regression over these symmetric features (see
# retold.align.similarity.pair_features).
PAIR_FEATURES = (
    "semantic",
    "lexical",
    "contain_min",
    "contain_max",
    "len_ratio",
    "short_len",
    "sem_x_lex",
)
# Set by hand and kept: a fit on MSRP (whose pairs are all on one topic, two thirds paraphrases)
# linked nearly every sentence of two same-story articles (the seeds aligned as one passage), while
# these values align the seeds' real counterparts. The verdict model is fitted on top of them
# (retold.eval.calibrate); MSRP fits the separate sentence-pair scorer (PARAPHRASE_*) below.
PAIR_COEF = (6.0, 4.0, 1.0, 1.0, -0.5, 0.2, 0.0)
PAIR_INTERCEPT = -6.0

# A sentence pair becomes an alignment link when its probability reaches LINK_THRESHOLD and it is
# within LINK_MARGIN of the best pair of its row or of its column. LINK_THRESHOLD was chosen by the
# cross-validated METER 3-way macro-F1 of the refitted verdict: 0.683 at 0.4, 0.676 at 0.5.
LINK_THRESHOLD = 0.4
LINK_MARGIN = 0.15

# Copy-rate cut points between verbatim / light / heavy (see retold.align.rewrite); initial values,
# replaced by the Clough–Stevenson fit.
VERBATIM_RATE = 0.8
LIGHT_RATE = 0.4

# Sentence-pair paraphrase scorer (retold.align.paraphrase): logistic regression per embedder over
# PARAPHRASE_FEATURES; placeholder zeros until fitted on MSRP train.
PARAPHRASE_COEF = {
    "static": (
        2.2652,
        -7.2349,
        3.5607,
        -3.5834,
        2.4967,
        -0.9415,
        0.3438,
        1.9960,
        1.2493,
        3.0762,
        -2.1336,
        1.1321,
        -1.2811,
        0.2979,
        0.1030,
        0.0521,
        -0.3633,
        -9.6643,
        0.7214,
        3.9260,
        5.9419,
        4.6851,
        -5.4744,
        2.1951,
        -2.5765,
        11.3291,
        -7.3727,
        3.8422,
        4.0335,
        -10.3309,
        0.0997,
        0.2176,
        -1.1166,
        -0.0109,
        -0.1147,
        2.2652,
    ),
    "minilm": (
        4.6618,
        -7.6182,
        3.1495,
        -3.6123,
        2.8357,
        -1.0272,
        0.6682,
        2.0374,
        1.5041,
        3.5873,
        -2.7459,
        1.3233,
        -0.9964,
        0.0334,
        0.0616,
        0.0677,
        -0.3624,
        -10.0819,
        0.8854,
        4.2804,
        4.4907,
        3.0642,
        -7.3749,
        1.9660,
        -2.6985,
        11.2490,
        -7.6634,
        4.3694,
        3.6635,
        -9.6066,
        0.1527,
        0.1950,
        -1.1680,
        -0.0092,
        -0.1047,
        3.8976,
    ),
}
PARAPHRASE_INTERCEPT = {"static": 3.0089, "minilm": 4.1491}
