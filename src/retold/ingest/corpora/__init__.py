"""Loaders for the public corpora retold is evaluated on (kept exactly as published).

* :func:`load_meter` / :func:`iter_meter` — METER (PA copy and newspaper reuse, labelled).
* :func:`load_clough` — Clough & Stevenson plagiarised short answers.
* :func:`load_msrp` — Microsoft Research Paraphrase Corpus.
* :func:`read_reuters` — Reuters-21578 SGML files.
* :func:`read_bbc` — BBC News topic folders.
"""

from __future__ import annotations

from retold.ingest.corpora.bbc import read_bbc
from retold.ingest.corpora.clough import CloughItem, load_clough
from retold.ingest.corpora.meter import MeterCorpus, MeterItem, iter_meter, load_meter
from retold.ingest.corpora.msrp import MsrpPair, load_msrp
from retold.ingest.corpora.reuters import read_reuters

__all__ = [
    "CloughItem",
    "MeterCorpus",
    "MeterItem",
    "MsrpPair",
    "iter_meter",
    "load_clough",
    "load_meter",
    "load_msrp",
    "read_bbc",
    "read_reuters",
]
