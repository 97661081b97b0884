"""``query``: what in the archive does an article reuse, or share a story with?

Candidates come from the stored fingerprints (:mod:`retold.pipeline.retrieval`); only they
reach the full comparison. Comparisons between two archived articles are cached in the archive
(:mod:`retold.pipeline.cache`) and shared with ``stories``.

Example:
    >>> import tempfile, pathlib
    >>> from retold.pipeline.archive import index
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> text = "Fire crews were called to a blaze at the old mill in Leeds on Monday night."
    >>> _ = (folder / "a.txt").write_text(text)
    >>> _ = index([folder], folder / "news.db")
    >>> [r.exact_duplicates[0].path.endswith("a.txt") for r in query_paths([folder / "a.txt"],
    ...                                                                    folder / "news.db")]
    [True]
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from retold.config import CompareOptions, ReadOptions
from retold.errors import EmptyInputError, InputError
from retold.ingest import ColumnMapping, iter_articles
from retold.model import Article, Comparison, Origin, Relation
from retold.pipeline._workers import blas_threads
from retold.pipeline.cache import cached_comparisons, store_comparisons
from retold.pipeline.retrieval import StageTimes, fingerprint, load_candidate_index
from retold.provenance.clusters import days_apart
from retold.retrieve.candidates import Candidate, CandidateOptions
from retold.store import Archive

if TYPE_CHECKING:
    from retold.pipeline.compare import Comparer

__all__ = ["Match", "QueryResult", "query", "query_paths"]


@dataclass(frozen=True, slots=True)
class Match:
    """One archived article a query article relates to.

    Attributes:
        article_id: The archived article's id.
        origins: Every file (and record) the archived article was read from.
        comparison: Query article as ``a``, archived article as ``b``.
        retrieval: The candidate score that brought it to comparison.
    """

    article_id: str
    origins: tuple[Origin, ...]
    comparison: Comparison
    retrieval: float


@dataclass(frozen=True, slots=True)
class QueryResult:
    """The archive's answer for one query article.

    Attributes:
        query: The query article.
        matches: Related archived articles, best first (see :func:`query`).
        exact_duplicates: Origins of the identical archived text when the query is archived.
    """

    query: Article
    matches: tuple[Match, ...]
    exact_duplicates: tuple[Origin, ...] = ()


# Rank penalty per calendar day between the query and a match, counted up to _MAX_DAYS days.
# Calibrated on METER courts in the full archive (604 derived newspaper stories; a PA source of
# the story in the top 5 above every other story): 0.927 without it, 0.937 / 0.947 / 0.950
# with 0.05 / 0.1 / 0.2 -- the stories it lifts are trials reported day after day, where the
# previous day's wire copy shares names and wording with today's.
_DAY_PENALTY = 0.1
_MAX_DAYS = 3


def _match_key(m: Match) -> tuple[float, float, float, str]:
    # Ranked by the calibrated probability that the query derives from the match, plus how
    # much of the query the match explains (mean over the query's sentences of their best
    # semantic match in it: of several articles of one story, the fuller source the query was
    # cut from comes before a sibling that retells a part of it; 0.927 vs 0.906 on the METER
    # criterion above, ranking by relation then probability), minus the days between them.
    # Word trigram coverage of the query and the retrieval score break ties.
    c = m.comparison
    v, f = c.verdict, c.features
    days = days_apart(c.a.date, c.b.date)
    late = 0.0 if days is None else _DAY_PENALTY * min(days, _MAX_DAYS)
    rank = v.score + f.get("sem_a", 0.0) - late
    return (-round(rank, 4), -f.get("c3_a", 0.0), -m.retrieval, m.article_id)


def query(
    articles: Iterable[Article],
    db: str | Path | Archive,
    *,
    top: int = 10,
    neighbours: int | None = None,
    options: CompareOptions | None = None,
    candidate_options: CandidateOptions | None = None,
    timings: StageTimes | None = None,
) -> list[QueryResult]:
    """Find what in the archive each article reuses or shares a story with.

    Args:
        articles: Query articles (they need not be archived).
        db: The archive file, or an open :class:`~retold.store.Archive`.
        top: Matches kept per query article.
        neighbours: Embedding neighbours compared per query (default ``max(2 * top, 20)``).
        options: Comparison options.
        candidate_options: Candidate retrieval options.
        timings: When given, candidate and compare seconds are added to it.

    Returns:
        One result per query article, in input order. Unrelated matches are dropped; the others
        are ranked by the probability that the query derives from them plus the share of the
        query they explain, less a little per day between them. The query's own archived
        copy is not a match but its origins are ``exact_duplicates``.

    Raises:
        StoreError: The archive is missing or unreadable.
    """
    if isinstance(db, Archive):
        return _query(articles, db, top, neighbours, options, candidate_options, timings)
    with Archive.open(db, create=False) as archive:
        return _query(articles, archive, top, neighbours, options, candidate_options, timings)


def query_paths(
    paths: Sequence[str | Path],
    db: str | Path,
    *,
    top: int = 10,
    format: str | None = None,
    options: ReadOptions | None = None,
    mapping: ColumnMapping | None = None,
    on_error: Callable[[InputError], None] | None = None,
) -> list[QueryResult]:
    """Read query articles from files and folders, then :func:`query` them.

    Args:
        paths: Files and folders (format detected per file unless ``format`` is given).
        db: The archive file.
        top: Matches kept per query article.
        format: Force one input format.
        options: Read options.
        mapping: Column mapping for JSON/JSONL/CSV inputs.
        on_error: Called with each bad record (skipped).

    Raises:
        EmptyInputError: No article could be read from ``paths``.
        StoreError: The archive is missing or unreadable.
    """
    with Archive.open(db, create=False) as archive:
        articles: list[Article] = []
        read = iter_articles(
            paths, format=format, options=options or ReadOptions(), mapping=mapping
        )
        for item in read:
            if isinstance(item, InputError):
                if on_error is not None:
                    on_error(item)
            else:
                articles.append(item)
        if not articles:
            raise EmptyInputError("no article could be read from the query paths")
        return query(articles, archive, top=top)


def _query(
    articles: Iterable[Article],
    archive: Archive,
    top: int,
    neighbours: int | None,
    options: CompareOptions | None,
    candidate_options: CandidateOptions | None,
    timings: StageTimes | None,
) -> list[QueryResult]:
    from retold.pipeline.compare import Comparer

    times = timings if timings is not None else StageTimes()
    opts = options or CompareOptions()
    queries = list(articles)
    t0 = time.perf_counter()
    ids, cindex = load_candidate_index(archive, candidate_options)
    row_of = {a: n for n, a in enumerate(ids)}
    prints = fingerprint(queries)
    k = neighbours if neighbours is not None else max(2 * top, 20)
    order = [prints[q.id] for q in queries]
    found = cindex.search(
        np.stack([f.minhash for f in order]) if order else np.zeros((0, 0), np.uint32),
        np.array([f.shingles for f in order], dtype=np.int64),
        np.stack([f.vector for f in order]) if order else np.zeros((0, 0), np.float32),
        k=k,
        exclude=[row_of.get(q.id) for q in queries],
    )
    times.candidates += time.perf_counter() - t0
    t1 = time.perf_counter()
    comparer = Comparer(opts)
    wanted = {ids[c.row] for cands in found for c in cands}
    stored = archive.get(wanted | {q.id for q in queries if q.id in row_of})
    origins = archive.origins(wanted | {q.id for q in queries})
    archived_pairs = [
        (q.id, ids[c.row])
        for q, cs in zip(queries, found, strict=True)
        for c in cs
        if q.id in row_of
    ]
    cached = cached_comparisons(archive, archived_pairs, stored, opts)
    with blas_threads(1):
        results, fresh = _compare_queries(
            comparer, queries, found, ids, row_of, stored, origins, cached, archive, top
        )
    if fresh:
        store_comparisons(archive, fresh, opts)
    times.compare += time.perf_counter() - t1
    return results


def _same_metadata(a: Article, b: Article | None) -> bool:
    """Whether ``b`` is ``a`` with the same metadata (the origin aside)."""
    return b is not None and replace(a, origin=b.origin) == b


def _compare_queries(
    comparer: Comparer,
    queries: Sequence[Article],
    found: Sequence[Sequence[Candidate]],
    ids: Sequence[str],
    row_of: Mapping[str, int],
    stored: Mapping[str, Article],
    origins: Mapping[str, tuple[Origin, ...]],
    cached: Mapping[tuple[str, str], Comparison],
    archive: Archive,
    top: int,
) -> tuple[list[QueryResult], list[Comparison]]:
    """Each query's ranked matches, and the fresh comparisons of archived queries to cache."""
    prepared = {}
    results: list[QueryResult] = []
    fresh: list[Comparison] = []
    for q, cands in zip(queries, found, strict=True):
        pq = comparer.prepare(q)
        matches: list[Match] = []
        for c in cands:
            bid = ids[c.row]
            hit = cached.get((min(q.id, bid), max(q.id, bid)))
            if hit is not None and not _same_metadata(q, stored.get(q.id)):
                # The cache holds the archived copy of the query, read from another file
                # whose title or date may differ (dates weigh in the direction).
                hit = None
            if hit is not None:
                comp = hit if q.id < bid else hit.swapped()
            else:
                if bid not in prepared:
                    prepared[bid] = comparer.prepare(stored[bid])
                comp = comparer.compare(pq, prepared[bid])
                if q.id in row_of and _same_metadata(q, stored.get(q.id)):
                    fresh.append(comp)
            if comp.verdict.relation is not Relation.UNRELATED:
                matches.append(Match(bid, origins.get(bid, ()), comp, c.score))
        matches.sort(key=_match_key)
        dup = origins.get(q.id, ()) if q.id in row_of or archive.known_ids([q.id]) else ()
        results.append(QueryResult(q, tuple(matches[:top]), dup))
    return results, fresh
