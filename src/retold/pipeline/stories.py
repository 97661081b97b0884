"""``stories``: cluster a whole archive into stories, with reuse graphs and outlet figures.

Candidate pairs come from the stored fingerprints (:func:`~retold.pipeline.retrieval.
load_candidate_index`), are pruned to those worth a full comparison
(:func:`~retold.retrieve.prune.prune_pairs`), and each kept pair is compared -- or read back
from the archive's comparison cache, which is written as results come in, so a re-run (or an
interrupted run) compares only what is new. Edges between a paper and one take of a wire
story are then judged and directed by the story's takes read joined
(:mod:`~retold.provenance.versions`), and the edges go to
:func:`~retold.provenance.stories.build_stories`.

Pairs of articles dated further apart than ``ClusterOptions.max_days`` tie them only when they
are verbatim copies; those that cannot be one (:func:`~retold.provenance.clusters.may_tie`,
decided from the two articles' words, without preparing them) are compared only when clustering
puts both articles in one story, whose graph draws their edge. The stories are exactly those of
comparing every kept pair; on the full archive 50k of the 74k kept pairs were never compared.

Comparisons run in worker processes (``fork``) when there is more than one core: each worker
takes pairs in an order where neighbours share articles and prepares (segments, embeds) the
articles it meets, so nothing prepared is copied between processes
(:func:`~retold.pipeline._workers.compare_in_pool`). The result does not depend on the number of
workers, nor on the order articles were added: each comparison is a pure function of its two
articles, pruning breaks ties by article id, and clustering is order-independent.

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

import multiprocessing
import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from retold.config import CompareOptions
from retold.model import Article, Comparison, Origin
from retold.pipeline._workers import Compared, compare_in_pool, verbatim_signals_of
from retold.pipeline.cache import cached_comparisons, store_rows
from retold.pipeline.outlets import save_outlet_sources
from retold.pipeline.retrieval import load_candidate_index
from retold.provenance.clusters import ClusterOptions, calendar_day, cluster_articles, may_tie
from retold.provenance.common import common_source_direction, share_common_sources
from retold.provenance.graph import Edge
from retold.provenance.stories import StoryMap, build_stories
from retold.provenance.versions import (
    joined_versions,
    redirect_by_versions,
    unit_pairs,
    versions_direction,
    versions_from_edges,
)
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
_CHUNK = 64  # pairs a worker takes at a time (and sends back in one message)
_PROBE_CHUNK = 512  # pairs per task when probing words (cheap: about 60 µs a pair once probed)


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
        skipped_pairs: Of those, pairs never compared: they could not tie their articles
            (:func:`~retold.provenance.clusters.may_tie`) and ended in different stories.
    """

    load: float
    candidates: float
    compare: float
    cluster: float
    candidate_pairs: int
    compared_pairs: int
    cached_pairs: int
    skipped_pairs: int = 0

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
    workers = _workers(opts.workers, len(todo))
    now, later = _defer(articles, todo, opts, workers)
    counter = _Counter(len(cached), len(cached) + len(now), progress)
    counter.report()
    edges.extend(_compare_and_store(archive, articles, now, opts.compare, workers, counter))
    late: list[tuple[str, str]] = []
    if later:
        # Deferred pairs cannot tie their articles; compare only those inside one story, whose
        # edges the story's graph draws. Clustering again with their edges changes nothing.
        groups = cluster_articles(list(articles.values()), edges, opts.clusters)
        home = {aid: n for n, group in enumerate(groups) for aid in group}
        late = [p for p in later if home[p[0]] == home[p[1]]]
        counter.total += len(late)
        workers = _workers(opts.workers, len(late))
        edges.extend(_compare_and_store(archive, articles, late, opts.compare, workers, counter))
    # An outlet's articles of one day in one story are versions even when no edge ties them (a
    # trial's takes on different witnesses). Full archive, METER paper/PA edges of one day
    # directed right / wrong: 513 / 9 with versions tied by edges alone, 628 / 4 with stories.
    clustered = cluster_articles(list(articles.values()), edges, opts.clusters)
    groups = versions_from_edges(articles, edges, clustered)
    edges = _direct_by_versions(articles, edges, groups, opts)
    edges = share_common_sources(edges, groups, articles, clustered)
    t3 = time.perf_counter()
    story_map = build_stories(list(articles.values()), edges, opts.clusters, clustered)
    save_outlet_sources(archive, story_map.outlets)
    t4 = time.perf_counter()
    timings = StoriesTimings(
        t1 - t0,
        t2 - t1,
        t3 - t2,
        t4 - t3,
        len(raw),
        len(pairs),
        len(cached),
        skipped_pairs=len(later) - len(late),
    )
    return StoriesResult(story_map, articles, origins, timings)


@dataclass(slots=True)
class _Counter:
    done: int
    total: int
    progress: Callable[[StoriesProgress], None] | None

    def report(self) -> None:
        if self.progress is not None:
            self.progress(StoriesProgress(self.done, self.total))


def _defer(
    articles: Mapping[str, Article],
    pairs: Sequence[tuple[str, str]],
    opts: StoriesOptions,
    workers: int,
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Split pairs into those compared now and those that cannot tie their two articles.

    Two thirds of the pruned pairs of the full archive join articles dated weeks apart
    (Reuters-21578's monthly commodity and earnings reports), which clustering ties only when
    they are verbatim copies; :func:`~retold.provenance.clusters.may_tie` rules most out from
    their words alone (31,202 of 31,719 there), before anything is prepared.
    """
    day = {aid: calendar_day(articles[aid].date) for pair in pairs for aid in pair}
    gaps = [_gap(day[a], day[b]) for a, b in pairs]
    # Pairs that only a verbatim copy could tie.
    far = [n for n, gap in enumerate(gaps) if not may_tie(gap, None, opts.clusters)]
    signals = verbatim_signals_of(
        articles, [pairs[n] for n in far], opts.compare.max_chars, workers, _PROBE_CHUNK
    )
    deferred = {
        n
        for n, found in zip(far, signals, strict=True)
        if not may_tie(gaps[n], found, opts.clusters)
    }
    now = [p for n, p in enumerate(pairs) if n not in deferred]
    return now, [pairs[n] for n in sorted(deferred)]


def _direct_by_versions(
    articles: Mapping[str, Article],
    edges: list[Edge],
    groups: list[tuple[str, ...]],
    opts: StoriesOptions,
) -> list[Edge]:
    """Edges touching a wire story's versions, judged and directed by the versions joined.

    One take of a wire story is often shorter than the paper written from all of them, which
    turns the single pair's direction around, and tells only a part of what the paper retold
    from all of them (see :mod:`retold.provenance.versions`). Full archive, METER paper/PA
    edges of one day directed right / wrong: 996 / 5 with same_story edges read joined too,
    646 / 5 with derived edges alone (2026-11-23, the verdict reading sentence counterparts;
    662 / 6 under the verdict before it).
    """
    pairs = unit_pairs(articles, edges, groups)
    if not pairs:
        return edges
    used = {u for pair in pairs for u in pair if isinstance(u, int)}
    units = {n: joined_versions([articles[i] for i in groups[n]]) for n in sorted(used)}
    everything = {**articles, **{u.id: u for u in units.values()}}

    def unit_id(u: str | int) -> str:
        return units[u].id if isinstance(u, int) else u

    id_pairs = [(unit_id(x), unit_id(y)) for x, y in pairs]
    workers = _workers(opts.workers, len(id_pairs))
    found = compare_in_pool(everything, id_pairs, opts.compare, workers, _CHUNK)
    directions = {pairs[i]: edge for i, (edge, _json) in found}
    return redirect_by_versions(edges, groups, directions)


def _gap(day_a: int | None, day_b: int | None) -> int | None:
    return None if day_a is None or day_b is None else abs(day_a - day_b)


def _compare_and_store(
    archive: Archive,
    articles: Mapping[str, Article],
    pairs: Sequence[tuple[str, str]],
    options: CompareOptions,
    workers: int,
    counter: _Counter,
) -> list[Edge]:
    """Compare the pairs, caching each result as it comes; their edges in the order of pairs."""
    edges: dict[int, Edge] = {}
    rows: list[tuple[str, str, str]] = []
    for i, (edge, body) in _compare_pairs(articles, pairs, options, workers):
        edges[i] = edge
        rows.append((min(edge.a, edge.b), max(edge.a, edge.b), body))
        counter.done += 1
        if len(rows) >= _SAVE_EVERY:
            store_rows(archive, rows, options)
            rows.clear()
            counter.report()
    store_rows(archive, rows, options)
    counter.report()
    return [edges[i] for i in range(len(pairs))]


def edge_comparisons(
    db: str | Path | Archive,
    result: StoriesResult,
    options: CompareOptions | None = None,
) -> dict[tuple[str, str], Comparison]:
    """The full comparison behind every edge drawn in the stories, keyed ``(edge.a, edge.b)``.

    Read from the archive's cache (``stories`` wrote them); any missing pair is compared again.
    Each comparison is oriented like its edge (``a`` is the source when the edge is directed),
    and carries the edge's direction where the story's wire versions set it.
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
    for e in (e for s in result.stories.stories for e in s.edges):
        comp = found[(min(e.a, e.b), max(e.a, e.b))]
        comp = comp if comp.a.id == e.a else comp.swapped()
        direction = versions_direction(e) or common_source_direction(e)
        out[(e.a, e.b)] = comp if direction is None else replace(comp, direction=direction)
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
) -> Iterator[tuple[int, Compared]]:
    """Compare each pair: ``(index in pairs, (edge, cache JSON))``, in no particular order."""
    return compare_in_pool(articles, pairs, options, workers, _CHUNK)
