"""Archive pipelines: ``index`` files into an archive, ``query`` articles against it.

``index`` reads, fingerprints (MinHash signature + document vector) and stores articles in
batches, one transaction per batch; an interrupted run re-run with the same arguments skips what
is stored and ends in the same state as an uninterrupted one. ``query`` draws candidates from the
stored fingerprints and runs the full comparison only on them. ``candidate_pairs`` lists every
candidate pair of the archive for the stories stage.

Example:
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("Fire crews were called to a blaze at a mill.")
    >>> index([folder], folder / "news.db").added
    1
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from retold.config import CompareOptions, ReadOptions
from retold.errors import ConfigError, EmptyInputError, InputError
from retold.ingest import ColumnMapping, iter_articles
from retold.model import Article, Comparison, Origin, Relation
from retold.retrieve.candidates import CandidateIndex, CandidateOptions
from retold.retrieve.minhash import Shingler
from retold.store import Archive, Fingerprint

__all__ = [
    "IndexProgress",
    "IndexReport",
    "Match",
    "QueryResult",
    "StageTimes",
    "candidate_pairs",
    "fingerprint",
    "index",
    "load_candidate_index",
    "query",
    "query_paths",
]

#: Articles per transaction: a kill -9 loses at most this many (re-read on the next run).
BATCH = 500
_EMBEDDER = "static"
_FP_KEY = "fingerprint"


@dataclass(slots=True)
class StageTimes:
    """Seconds spent per stage (wall clock)."""

    read: float = 0.0
    fingerprint: float = 0.0
    store: float = 0.0
    candidates: float = 0.0
    compare: float = 0.0


@dataclass(frozen=True, slots=True)
class IndexProgress:
    """Progress of an indexing run, reported after every file and batch.

    Attributes:
        articles: Articles read so far.
        bytes_done: Size of the input files finished so far.
        bytes_total: Size of all input files (0 when unknown, e.g. standard input).
        errors: Bad records so far.
    """

    articles: int
    bytes_done: int
    bytes_total: int
    errors: int


@dataclass(frozen=True, slots=True)
class IndexReport:
    """What an indexing run did.

    Attributes:
        read: Articles read from the inputs.
        added: Articles stored for the first time.
        duplicates: Articles already stored (only their origins were added).
        errors: Bad records, each naming its file and record; they were skipped.
        total: Articles in the archive after the run.
        timings: Seconds per stage.
    """

    read: int
    added: int
    duplicates: int
    errors: tuple[InputError, ...]
    total: int
    timings: StageTimes = field(default_factory=StageTimes)


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
        matches: Related archived articles, best first (derived, then same story, by score).
        exact_duplicates: Origins of the identical archived text when the query is archived.
    """

    query: Article
    matches: tuple[Match, ...]
    exact_duplicates: tuple[Origin, ...] = ()


def _embedder() -> object:
    from retold.fingerprint import get_embedder

    return get_embedder(_EMBEDDER)


def _body(article: Article) -> str:
    text = article.body_span.slice(article.text)
    return text if text.strip() else article.text


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
    bodies = [_body(a) for a in articles]
    sigs = shingler.signatures(bodies)
    vecs = _embedder().embed(bodies) if bodies else np.zeros((0, 0), np.float32)  # type: ignore[attr-defined]
    return {
        a.id: Fingerprint(sigs.matrix[i], int(sigs.shingles[i]), np.asarray(vecs[i], np.float32))
        for i, a in enumerate(articles)
    }


def _check_params(archive: Archive, shingler: Shingler) -> None:
    key = f"{shingler.key};embedder={_EMBEDDER}"
    stored = archive.get_meta(_FP_KEY)
    if stored is None:
        archive.set_meta(_FP_KEY, key)
    elif stored != key:
        raise ConfigError(
            f"{archive.path}: archive fingerprints were made with {stored!r}, not {key!r}"
        )


def _input_bytes(paths: Sequence[str | Path]) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for item in paths:
        path = Path(item)
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for f in files:
            try:
                sizes[str(f)] = f.stat().st_size
            except OSError:
                continue
    return sizes


def index(
    paths: Sequence[str | Path],
    db: str | Path,
    *,
    format: str | None = None,
    options: ReadOptions | None = None,
    mapping: ColumnMapping | None = None,
    batch: int = BATCH,
    progress: Callable[[IndexProgress], None] | None = None,
    on_error: Callable[[InputError], None] | None = None,
) -> IndexReport:
    """Read articles from files and folders into an archive, incrementally.

    Args:
        paths: Files and folders (format detected per file unless ``format`` is given).
        db: The archive file (created when missing).
        format: Force one input format (see :data:`retold.ingest.FORMATS`).
        options: Read options (size bound, encoding).
        mapping: Column mapping for JSON/JSONL/CSV inputs.
        batch: Articles per transaction.
        progress: Called with an :class:`IndexProgress` after each batch and each finished file.
        on_error: Called with each bad record as it is met (it is also in the report).

    Returns:
        Counts, the bad records, and per-stage timings.

    Raises:
        StoreError: The archive cannot be opened or written.
        ConfigError: Unknown format, or the archive was fingerprinted with other parameters.
    """
    shingler = Shingler()
    times = StageTimes()
    sizes = _input_bytes(paths) if progress is not None else {}
    total_bytes = sum(sizes.values())
    read = added = dups = 0
    errors: list[InputError] = []
    done_bytes = 0
    seen_files: set[str] = set()
    current: str | None = None

    def report() -> None:
        if progress is not None:
            progress(IndexProgress(read, done_bytes, total_bytes, len(errors)))

    with Archive.open(db) as archive:
        _check_params(archive, shingler)
        pending: list[Article] = []

        def flush() -> None:
            nonlocal added, dups
            if not pending:
                return
            t0 = time.perf_counter()
            known = archive.known_ids(a.id for a in pending)
            fresh: dict[str, Article] = {}
            for a in pending:
                if a.id not in known:
                    fresh.setdefault(a.id, a)
            t1 = time.perf_counter()
            prints = fingerprint(list(fresh.values()), shingler)
            t2 = time.perf_counter()
            result = archive.add(pending, prints)
            t3 = time.perf_counter()
            times.store += (t1 - t0) + (t3 - t2)
            times.fingerprint += t2 - t1
            added += result.added
            dups += result.duplicates
            pending.clear()
            report()

        t_read = time.perf_counter()
        for item in iter_articles(
            paths, format=format, options=options or ReadOptions(), mapping=mapping
        ):
            source = (
                item.source
                if isinstance(item, InputError)
                else (item.origin.path if item.origin else None)
            )
            if source != current and current is not None and current not in seen_files:
                seen_files.add(current)
                done_bytes += sizes.get(current, 0)
                report()
            current = source
            if isinstance(item, InputError):
                errors.append(item)
                if on_error is not None:
                    on_error(item)
                continue
            read += 1
            pending.append(item)
            if len(pending) >= batch:
                times.read += time.perf_counter() - t_read
                flush()
                t_read = time.perf_counter()
        times.read += time.perf_counter() - t_read
        flush()
        done_bytes = total_bytes
        report()
        total = len(archive)
    return IndexReport(read, added, dups, tuple(errors), total, times)


def load_candidate_index(
    archive: Archive, options: CandidateOptions | None = None
) -> tuple[tuple[str, ...], CandidateIndex]:
    """The archive's candidate index and the article id of each of its rows (added order)."""
    sigs = archive.signatures()
    vecs = archive.vectors()
    if sigs.ids != vecs.ids:  # both are written in one transaction; differ only if damaged
        common = [i for i in sigs.ids if i in set(vecs.ids)]
        pos_s = {a: n for n, a in enumerate(sigs.ids)}
        pos_v = {a: n for n, a in enumerate(vecs.ids)}
        rows_s = [pos_s[a] for a in common]
        rows_v = [pos_v[a] for a in common]
        return tuple(common), CandidateIndex(
            sigs.matrix[rows_s], sigs.shingles[rows_s], vecs.matrix[rows_v], options
        )
    return sigs.ids, CandidateIndex(sigs.matrix, sigs.shingles, vecs.matrix, options)


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


_RANK = {
    Relation.WHOLLY_DERIVED: 2,
    Relation.PARTIALLY_DERIVED: 2,
    Relation.SAME_STORY: 1,
    Relation.UNRELATED: 0,
}


def _match_key(m: Match) -> tuple[int, float, float, str]:
    v = m.comparison.verdict
    return (-_RANK[v.relation], -v.score, -m.retrieval, m.article_id)


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
        One result per query article, in input order. Unrelated matches are dropped; the
        query's own archived copy is not a match but its origins are ``exact_duplicates``.

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
    on_error: Callable[[InputError], None] | None = None,
) -> list[QueryResult]:
    """Read query articles from files and folders, then :func:`query` them.

    Args:
        paths: Files and folders (format detected per file unless ``format`` is given).
        db: The archive file.
        top: Matches kept per query article.
        format: Force one input format.
        options: Read options.
        on_error: Called with each bad record (skipped).

    Raises:
        EmptyInputError: No article could be read from ``paths``.
        StoreError: The archive is missing or unreadable.
    """
    with Archive.open(db, create=False) as archive:
        articles: list[Article] = []
        for item in iter_articles(paths, format=format, options=options or ReadOptions()):
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
    from retold.report.jsonout import comparison_from_dict, to_dict

    times = timings if timings is not None else StageTimes()
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
    comparer = Comparer(options)
    wanted = {ids[c.row] for cands in found for c in cands}
    stored = archive.get(wanted)
    origins = archive.origins(wanted | {q.id for q in queries})
    cached = archive.comparisons(
        (q.id, ids[c.row])
        for q, cs in zip(queries, found, strict=True)
        for c in cs
        if q.id in row_of
    )
    prepared = {}
    results: list[QueryResult] = []
    fresh_cache: list[tuple[str, str, str]] = []
    for q, cands in zip(queries, found, strict=True):
        pq = comparer.prepare(q)
        matches: list[Match] = []
        for c in cands:
            bid = ids[c.row]
            key = (min(q.id, bid), max(q.id, bid))
            if key in cached:
                comp = comparison_from_dict(
                    json.loads(cached[key]), *((q, stored[bid]) if q.id < bid else (stored[bid], q))
                )
                comp = comp if q.id < bid else comp.swapped()
            else:
                if bid not in prepared:
                    prepared[bid] = comparer.prepare(stored[bid])
                comp = comparer.compare(pq, prepared[bid])
                if q.id in row_of:
                    oriented = comp if q.id < bid else comp.swapped()
                    fresh_cache.append((*key, json.dumps(to_dict(oriented))))
            if comp.verdict.relation is not Relation.UNRELATED:
                matches.append(Match(bid, origins.get(bid, ()), comp, c.score))
        matches.sort(key=_match_key)
        dup = origins.get(q.id, ()) if q.id in row_of or archive.known_ids([q.id]) else ()
        results.append(QueryResult(q, tuple(matches[:top]), dup))
    if fresh_cache:
        archive.put_comparisons(fresh_cache)
    times.compare += time.perf_counter() - t1
    return results
