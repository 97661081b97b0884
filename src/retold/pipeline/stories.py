"""``stories``: cluster a whole archive into stories, with reuse graphs and outlet figures.

Candidate pairs come from the stored fingerprints (:func:`~retold.pipeline.retrieval.
load_candidate_index`), are pruned to those worth a full comparison
(:func:`~retold.retrieve.prune.prune_pairs`), and each kept pair is compared -- or read back
from the archive's comparison cache, which is written as results come in, so a re-run (or an
interrupted run) compares only what is new. The edges go to
:func:`~retold.provenance.stories.build_stories`.

Comparisons run in worker processes (``fork``) when there is more than one core: articles are
prepared (segmented, embedded) once, in parallel, then the pairs are split among workers that
inherit every prepared article. The result does not depend on the number of workers, nor on the
order articles were added: each comparison is a pure function of its two articles, pruning
breaks ties by article id, and clustering is order-independent.

Example:
    >>> import tempfile, pathlib
    >>> from retold.pipeline.archive import index
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> text = "Fire crews from Hull spent six hours fighting a blaze at the old harbour mill."
    >>> _ = (folder / "a.txt").write_text(text)
    >>> _ = (folder / "b.txt").write_text(text + " Nobody was hurt.")
    >>> _ = index([folder], folder / "news.db")
    >>> result = stories(folder / "news.db", options=StoriesOptions(workers=1))
    >>> [len(s) for s in result.stories.stories]
    [2]
"""

from __future__ import annotations

import json
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from retold.config import CompareOptions
from retold.model import Article, Comparison, Origin
from retold.pipeline._workers import Compared, compare_in_pool
from retold.pipeline.cache import cached_comparisons, store_rows
from retold.pipeline.retrieval import load_candidate_index
from retold.provenance.clusters import ClusterOptions
from retold.provenance.graph import Edge
from retold.provenance.stories import StoryMap, build_stories
from retold.retrieve.candidates import CandidateOptions
from retold.retrieve.prune import PruneOptions, prune_pairs
from retold.store import Archive

__all__ = [
    "StoriesOptions",
    "StoriesProgress",
    "StoriesResult",
    "StoriesTimings",
    "edge_comparisons",
    "stories",
]

_SAVE_EVERY = 2000  # comparisons per cache transaction (an interrupted run keeps the rest)
_CHUNK = 64  # pairs per task handed to a worker


@dataclass(frozen=True, slots=True, kw_only=True)
class StoriesOptions:
    """How an archive becomes stories.

    Attributes:
        candidates: Candidate retrieval.
        prune: Which candidate pairs are compared.
        compare: Comparison options.
        clusters: Clustering constants.
        workers: Processes comparing pairs (``None``: one per core).
    """

    candidates: CandidateOptions = field(default_factory=CandidateOptions)
    prune: PruneOptions = field(default_factory=PruneOptions)
    compare: CompareOptions = field(default_factory=CompareOptions)
    clusters: ClusterOptions = field(default_factory=ClusterOptions)
    workers: int | None = None


@dataclass(frozen=True, slots=True)
class StoriesProgress:
    """Progress of the compare stage: ``done`` of ``total`` pairs compared or read back."""

    done: int
    total: int


@dataclass(frozen=True, slots=True)
class StoriesTimings:
    """Seconds per stage and what each stage handled.

    Attributes:
        load: Reading articles from the archive.
        candidates: Candidate pairs and pruning.
        compare: Preparing articles and comparing pairs (or reading them from the cache).
        cluster: Clustering and drawing the stories.
        candidate_pairs: Pairs candidate retrieval proposed.
        compared_pairs: Pairs kept by pruning (compared or read back).
        cached_pairs: Of those, pairs read from the cache.
    """

    load: float
    candidates: float
    compare: float
    cluster: float
    candidate_pairs: int
    compared_pairs: int
    cached_pairs: int

    @property
    def total(self) -> float:
        """Seconds over all stages."""
        return self.load + self.candidates + self.compare + self.cluster


@dataclass(frozen=True, slots=True)
class StoriesResult:
    """The stories of an archive.

    Attributes:
        stories: The story map (every archived article in exactly one story).
        articles: The archived articles by id (each with its first origin).
        origins: Every origin of each article by id.
        timings: Seconds and counts per stage.
    """

    stories: StoryMap
    articles: Mapping[str, Article]
    origins: Mapping[str, tuple[Origin, ...]]
    timings: StoriesTimings


def stories(
    db: str | Path | Archive,
    *,
    options: StoriesOptions | None = None,
    progress: Callable[[StoriesProgress], None] | None = None,
) -> StoriesResult:
    """Cluster every article of an archive into stories.

    Args:
        db: The archive file, or an open :class:`~retold.store.Archive`.
        options: Candidate, pruning, comparison and clustering options.
        progress: Called with a :class:`StoriesProgress` as comparisons finish.

    Returns:
        The stories, the articles, and per-stage timings.

    Raises:
        StoreError: The archive is missing or unreadable.
    """
    if isinstance(db, Archive):
        return _stories(db, options or StoriesOptions(), progress)
    with Archive.open(db, create=False) as archive:
        return _stories(archive, options or StoriesOptions(), progress)


def _stories(
    archive: Archive, opts: StoriesOptions, progress: Callable[[StoriesProgress], None] | None
) -> StoriesResult:
    t0 = time.perf_counter()
    articles = {a.id: a for a in archive.iter_articles()}
    origins = archive.origins(articles)
    t1 = time.perf_counter()
    ids, cindex = load_candidate_index(archive, opts.candidates)
    raw = cindex.pairs()
    kept = prune_pairs(raw, cindex.shingles, ids, opts.prune)
    pairs = [(min(ids[p.a], ids[p.b]), max(ids[p.a], ids[p.b])) for p in kept]
    t2 = time.perf_counter()
    cached = cached_comparisons(archive, pairs, articles, opts.compare)
    edges = [Edge.from_comparison(c) for c in cached.values()]
    todo = [p for p in pairs if p not in cached]
    done = len(cached)
    if progress is not None:
        progress(StoriesProgress(done, len(pairs)))
    rows: list[tuple[str, str, str]] = []
    workers = _workers(opts.workers, len(todo))
    for edge, body in _compare_pairs(articles, todo, opts.compare, workers):
        edges.append(edge)
        rows.append((min(edge.a, edge.b), max(edge.a, edge.b), body))
        done += 1
        if len(rows) >= _SAVE_EVERY:
            store_rows(archive, rows, opts.compare)
            rows.clear()
            if progress is not None:
                progress(StoriesProgress(done, len(pairs)))
    store_rows(archive, rows, opts.compare)
    if progress is not None:
        progress(StoriesProgress(done, len(pairs)))
    t3 = time.perf_counter()
    story_map = build_stories(list(articles.values()), edges, opts.clusters)
    t4 = time.perf_counter()
    timings = StoriesTimings(t1 - t0, t2 - t1, t3 - t2, t4 - t3, len(raw), len(pairs), len(cached))
    return StoriesResult(story_map, articles, origins, timings)


def edge_comparisons(
    db: str | Path | Archive,
    result: StoriesResult,
    options: CompareOptions | None = None,
) -> dict[tuple[str, str], Comparison]:
    """The full comparison behind every edge drawn in the stories, keyed ``(edge.a, edge.b)``.

    Read from the archive's cache (``stories`` wrote them); any missing pair is compared again.
    Each comparison is oriented like its edge (``a`` is the source when the edge is directed).
    """
    opts = options or CompareOptions()
    wanted = [(e.a, e.b) for s in result.stories.stories for e in s.edges]
    if isinstance(db, Archive):
        found = cached_comparisons(db, wanted, result.articles, opts)
    else:
        with Archive.open(db, create=False) as archive:
            found = cached_comparisons(archive, wanted, result.articles, opts)
    missing = sorted({(min(a, b), max(a, b)) for a, b in wanted} - set(found))
    if missing:
        from retold.pipeline.compare import Comparer

        comparer = Comparer(opts)
        for a, b in missing:
            found[(a, b)] = comparer.compare(result.articles[a], result.articles[b])
    out: dict[tuple[str, str], Comparison] = {}
    for a, b in wanted:
        comp = found[(min(a, b), max(a, b))]
        out[(a, b)] = comp if comp.a.id == a else comp.swapped()
    return out


def _workers(requested: int | None, pairs: int) -> int:
    cores = os.cpu_count() or 1
    wanted = cores if requested is None else max(1, requested)
    if pairs < 4 * _CHUNK or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(wanted, pairs // _CHUNK))


def _compare_pairs(
    articles: Mapping[str, Article],
    pairs: Sequence[tuple[str, str]],
    options: CompareOptions,
    workers: int,
) -> Iterator[Compared]:
    """Compare each pair: its edge and cache JSON, in the order of ``pairs``."""
    if not pairs:
        return
    needed = sorted({x for pair in pairs for x in pair})
    if workers > 1:
        yield from compare_in_pool(articles, needed, pairs, options, workers, _CHUNK)
        return
    from retold.pipeline.compare import Comparer
    from retold.report.jsonout import to_dict

    comparer = Comparer(options)
    prepared = {aid: comparer.prepare(articles[aid]) for aid in needed}
    for a, b in pairs:
        comp = comparer.compare(prepared[a], prepared[b])
        oriented = comp if comp.a.id < comp.b.id else comp.swapped()
        yield Edge.from_comparison(comp), json.dumps(to_dict(oriented), ensure_ascii=False)
