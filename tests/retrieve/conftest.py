"""Real fingerprints for the retrieval tests: BBC News stories and their opening paragraphs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from retold.ingest.corpora.bbc import read_bbc
from retold.model import Article
from retold.pipeline.retrieval import fingerprint


@dataclass(frozen=True, slots=True)
class Prints:
    """Fingerprints of real articles, one row each, with the article ids."""

    ids: tuple[str, ...]
    signatures: npt.NDArray[np.uint32]
    shingles: npt.NDArray[np.int64]
    vectors: npt.NDArray[np.float32]

    def permuted(self, order: npt.NDArray[np.int64]) -> Prints:
        """The same rows in another order."""
        return Prints(
            tuple(self.ids[i] for i in order),
            self.signatures[order],
            self.shingles[order],
            self.vectors[order],
        )


@pytest.fixture(scope="session")
def bbc_prints(shared: Path) -> Prints:
    """About 4,400 rows: every BBC story and, as a second article, its first paragraphs.

    An opening cut from a story is what a wire brief of a long report looks like: its vector
    sits near the story's, its shingles are contained in it.
    """
    stories = [a for a in read_bbc(shared / "data" / "bbc-news") if isinstance(a, Article)]
    leads = []
    for story in stories:
        paragraphs = [p for p in story.body_span.slice(story.text).split("\n") if p.strip()]
        if len(paragraphs) > 3:
            leads.append(Article.from_text("\n".join(paragraphs[:2])))
    unique = {a.id: a for a in [*stories, *leads]}
    prints = fingerprint(list(unique.values()))
    ids = tuple(unique)
    return Prints(
        ids,
        np.stack([prints[i].minhash for i in ids]),
        np.array([prints[i].shingles for i in ids], dtype=np.int64),
        np.stack([prints[i].vector for i in ids]),
    )
