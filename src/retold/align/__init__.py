"""Alignment layer: prepared articles, sentence similarity, passages and rewrite kinds."""

from retold.align.passages import Alignment, Link, align
from retold.align.rewrite import copy_rate, rewrite_kind
from retold.align.similarity import PairMatrices, pair_matrices
from retold.align.units import Prepared, prepare

__all__ = [
    "Alignment",
    "Link",
    "PairMatrices",
    "Prepared",
    "align",
    "copy_rate",
    "pair_matrices",
    "prepare",
    "rewrite_kind",
]
