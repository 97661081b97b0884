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
# Initial hand-set values; replaced by the MSRP fit.
PAIR_COEF = (6.0, 4.0, 1.0, 1.0, -0.5, 0.2, 0.0)
PAIR_INTERCEPT = -6.0

# A sentence pair becomes an alignment link when its probability reaches LINK_THRESHOLD and it is
# within LINK_MARGIN of the best pair of its row or of its column.
LINK_THRESHOLD = 0.5
LINK_MARGIN = 0.15

# Copy-rate cut points between verbatim / light / heavy (see retold.align.rewrite); initial values,
# replaced by the Clough–Stevenson fit.
VERBATIM_RATE = 0.8
LIGHT_RATE = 0.4
