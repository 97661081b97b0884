"""``index``: read files into an archive, incrementally and resumably.

``index`` reads, fingerprints (MinHash signature + document vector) and stores articles in
batches, one transaction per batch; an interrupted run re-run with the same arguments skips what
is stored and ends in the same state as an uninterrupted one. Asking the archive is
:func:`~retold.pipeline.query.query`; clustering it is :func:`~retold.pipeline.stories.stories`.

Example:
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("Fire crews were called to a blaze at a mill.")
    >>> index([folder], folder / "news.db").added
    1
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from retold.config import ReadOptions
from retold.errors import ConfigError, InputError
from retold.ingest import ColumnMapping, iter_articles
from retold.model import Article
from retold.pipeline.query import Match, QueryResult, query, query_paths
from retold.pipeline.retrieval import (
    StageTimes,
    candidate_pairs,
    fingerprint,
    fingerprint_key,
    load_candidate_index,
)
from retold.retrieve.minhash import Shingler
from retold.store import Archive

# query, candidates and fingerprints live in their own modules; re-exported for callers that
# import everything archive-related from here.
__all__ = [
    "BATCH",
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
_FP_KEY = "fingerprint"


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


def _check_params(archive: Archive, shingler: Shingler) -> None:
    key = fingerprint_key(shingler)
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
