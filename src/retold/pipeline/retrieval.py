"""Fingerprints and candidates of an archive, shared by ``index``, ``query`` and ``stories``.

:func:`fingerprint` makes the MinHash signature and document vector stored beside each article;
:func:`load_candidate_index` rebuilds the searchable candidate index from the stored
fingerprints; :func:`candidate_pairs` lists every candidate pair of the archive.

Example:
    >>> from retold.model import Article
    >>> prints = fingerprint([Article.from_text("Fire crews were called to a blaze.", id="x")])
    >>> prints["x"].minhash.shape, prints["x"].vector.dtype.name
    ((128,), 'float32')
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from retold.model import Article
from retold.retrieve.candidates import CandidateIndex, CandidateOptions
from retold.retrieve.minhash import Shingler
from retold.store import Archive, Fingerprint

__all__ = [
    "EMBEDDER",
    "StageTimes",
    "candidate_pairs",
    "fingerprint",
    "fingerprint_key",
    "load_candidate_index",
]

#: The embedder behind the stored document vectors (recorded in the archive).
EMBEDDER = "static"


@dataclass(slots=True)
class StageTimes:
    """Seconds spent per stage (wall clock)."""

    read: float = 0.0
    fingerprint: float = 0.0
    store: float = 0.0
    candidates: float = 0.0
    compare: float = 0.0


def _embedder() -> object:
    from retold.fingerprint import get_embedder

    return get_embedder(EMBEDDER)


def body_text(article: Article) -> str:
    """The text an article is fingerprinted by: its body, or the whole text when that is blank."""
    text = article.body_span.slice(article.text)
    return text if text.strip() else article.text


def fingerprint_key(shingler: Shingler) -> str:
    """The fingerprint parameters as one string (an archive refuses mixed fingerprints)."""
    return f"{shingler.key};embedder={EMBEDDER}"


def fingerprint(
    articles: Sequence[Article], shingler: Shingler | None = None
) -> dict[str, Fingerprint]:
    """MinHash signatures and document vectors of a batch of articles (of their bodies).

    Args:
        articles: The articles.
        shingler: MinHash parameters (default :class:`~retold.retrieve.minhash.Shingler`).

    Returns:
        Fingerprint by article id.
    """
    shingler = shingler or Shingler()
    bodies = [body_text(a) for a in articles]
    sigs = shingler.signatures(bodies)
    vecs = _embedder().embed(bodies) if bodies else np.zeros((0, 0), np.float32)  # type: ignore[attr-defined]
    return {
        a.id: Fingerprint(sigs.matrix[i], int(sigs.shingles[i]), np.asarray(vecs[i], np.float32))
        for i, a in enumerate(articles)
    }


def load_candidate_index(
    archive: Archive, options: CandidateOptions | None = None
) -> tuple[tuple[str, ...], CandidateIndex]:
    """The archive's candidate index and the article id of each of its rows (added order)."""
    sigs = archive.signatures()
    vecs = archive.vectors()
    if sigs.ids != vecs.ids:  # both are written in one transaction; differ only if damaged
        have = set(vecs.ids)
        common = [i for i in sigs.ids if i in have]
        pos_s = {a: n for n, a in enumerate(sigs.ids)}
        pos_v = {a: n for n, a in enumerate(vecs.ids)}
        rows_s = [pos_s[a] for a in common]
        rows_v = [pos_v[a] for a in common]
        return tuple(common), CandidateIndex(
            sigs.matrix[rows_s], sigs.shingles[rows_s], vecs.matrix[rows_v], options, keys=common
        )
    return sigs.ids, CandidateIndex(sigs.matrix, sigs.shingles, vecs.matrix, options, keys=sigs.ids)


def candidate_pairs(
    db: str | Path | Archive, options: CandidateOptions | None = None
) -> Iterator[tuple[str, str, float]]:
    """Every candidate pair of the archive as ``(id_a, id_b, score)``, each unordered pair once.

    Pairs come in a deterministic order: by the order ``id_a`` was added, then ``id_b``
    (``id_a`` was always added before ``id_b``).
    """
    if isinstance(db, Archive):
        ids, cindex = load_candidate_index(db, options)
    else:
        with Archive.open(db, create=False) as archive:
            ids, cindex = load_candidate_index(archive, options)
    for pair in cindex.pairs():
        yield ids[pair.a], ids[pair.b], pair.score
