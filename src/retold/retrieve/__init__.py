"""Candidate retrieval: MinHash over word shingles, exact vector neighbours, their union."""

from __future__ import annotations

from retold.retrieve.ann import Neighbours, top_k
from retold.retrieve.candidates import Candidate, CandidateIndex, CandidateOptions, CandidatePair
from retold.retrieve.minhash import MinHashBatch, Shingler

__all__ = [
    "Candidate",
    "CandidateIndex",
    "CandidateOptions",
    "CandidatePair",
    "MinHashBatch",
    "Neighbours",
    "Shingler",
    "top_k",
]
