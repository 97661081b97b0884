"""The verdict: how two articles relate, how the wording changed, and how sure we are.

A multinomial logistic model over symmetric document features gives a calibrated probability for
each relation (unrelated, same story, partially derived, wholly derived); its coefficients are
fitted by ``retold.eval.calibrate`` (see :mod:`retold.provenance.calibration` for the data); the
verdict states the likeliest, or derived when the two derived relations together pass a half
(:func:`choose_relation`). The rewrite kind of a derived pair follows from how much of its
wording survived, and how unbroken.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from retold.model import Relation, RewriteKind, Verdict
from retold.provenance.calibration import (
    KIND_FEATURE,
    KIND_LIGHT_RATE,
    KIND_RUN_FEATURE,
    KIND_VERBATIM_RATE,
    KIND_VERBATIM_RUN,
    RELATIONS,
    VERDICT_COEF,
    VERDICT_FEATURES,
    VERDICT_HIGH,
    VERDICT_INTERCEPT,
    VERDICT_LOW,
)

__all__ = ["choose_relation", "decide", "document_kind", "likeliest", "relation_probabilities"]


def relation_probabilities(features: Mapping[str, float]) -> dict[Relation, float]:
    """Calibrated probability of each relation given the document features."""
    x = np.array([features[name] for name in VERDICT_FEATURES], dtype=np.float64)
    x = np.clip(x, VERDICT_LOW, VERDICT_HIGH)  # the range the model was fitted on
    z = np.asarray(VERDICT_COEF, dtype=np.float64) @ x + np.asarray(VERDICT_INTERCEPT)
    z -= z.max()
    p = np.exp(z)
    p /= p.sum()
    return {Relation(name): round(float(v), 4) for name, v in zip(RELATIONS, p, strict=True)}


def document_kind(
    features: Mapping[str, float],
    cuts: tuple[float, float, float] = (KIND_VERBATIM_RATE, KIND_LIGHT_RATE, KIND_VERBATIM_RUN),
) -> RewriteKind:
    """Rewrite kind of a derived pair from how much of its wording survived, and how unbroken.

    Verbatim when the share of surviving words (``KIND_FEATURE``) or the mean length of their
    unbroken runs (``KIND_RUN_FEATURE``) reaches its cut point; otherwise light or heavy by the
    share.

    Args:
        features: Document features.
        cuts: ``(verbatim share, light share, verbatim run)``; the shipped cut points unless
            a fit under evaluation supplies its own.
    """
    verbatim, light, run = cuts
    copy = features[KIND_FEATURE]
    if copy >= verbatim or features[KIND_RUN_FEATURE] >= run:
        return RewriteKind.VERBATIM
    if copy >= light:
        return RewriteKind.LIGHT
    return RewriteKind.HEAVY


def likeliest(probs: Mapping[Relation, float] | Verdict) -> Relation:
    """The single likeliest relation; ties go to the weaker claim (the order of Relation).

    Args:
        probs: Probability of each relation, or a verdict (read from its ``probabilities``;
            its ``relation`` when it carries none).
    """
    if isinstance(probs, Verdict):
        if not probs.probabilities:
            return probs.relation
        probs = dict(probs.probabilities)
    order = list(Relation)
    return max(probs, key=lambda r: (probs[r], -order.index(r)))


def choose_relation(probs: Mapping[Relation, float]) -> Relation:
    """The relation a verdict states, from the probability of each.

    The likeliest single relation, except that a pair whose two derived relations are together
    likelier than not is derived (the likelier of the two). Without that, a pair at 0.3
    partially and 0.25 wholly derived against 0.45 same story would be a same-story pair with a
    score of 0.55. The reverse case stays derived: a derived relation that is the likeliest
    single reading is kept even when the derived pair sum to under a half.

    Args:
        probs: Probability of each relation (as :func:`relation_probabilities` gives).
    """
    relation = likeliest(probs)
    derived = probs[Relation.PARTIALLY_DERIVED] + probs[Relation.WHOLLY_DERIVED]
    if derived >= 0.5 and not relation.derived:
        return likeliest({r: p for r, p in probs.items() if r.derived})
    return relation


def decide(features: Mapping[str, float]) -> Verdict:
    """Turn document features into a verdict.

    Args:
        features: Output of :func:`retold.provenance.features.document_features`.

    Returns:
        The verdict; ``kind`` is set only for derived relations, ``score`` is the probability
        that one article is derived from the other.
    """
    probs = relation_probabilities(features)
    derived = probs[Relation.PARTIALLY_DERIVED] + probs[Relation.WHOLLY_DERIVED]
    relation = choose_relation(probs)
    kind = document_kind(features) if relation.derived else None
    return Verdict(relation, kind, round(derived, 4), tuple(probs.items()))
