"""Comparing many pairs in worker processes (``fork``), for :mod:`retold.pipeline.stories`.

Two pools, one after the other. The first prepares articles (segment, tokenize, embed) in
parallel and sends them back; the second is forked after the parent holds every prepared
article, so its workers inherit them without copying and only compare. Each worker sends back
the edge and the cache JSON of its comparisons, not the comparison objects, so the parent does
little besides storing them.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import multiprocessing
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from retold.config import CompareOptions
from retold.model import Article
from retold.provenance.clusters import WordProbe, verbatim_share
from retold.provenance.graph import Edge

__all__ = ["Compared", "blas_threads", "compare_in_pool", "verbatim_shares"]

#: One comparison as the parent needs it: its edge and its cache JSON (smaller id as ``a``).
Compared = tuple[Edge, str]

# Per-process state: set in the parent before forking, or by a pool initializer.
_STATE: dict[str, Any] = {}


def _openblas() -> list[tuple[Any, Any]]:
    """``(set_num_threads, get_num_threads)`` of each OpenBLAS loaded in this process (Linux)."""
    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            paths = {line.split()[-1] for line in maps if "openblas" in line.lower()}
    except OSError:
        return []
    found = []
    for path in sorted(paths):
        if not path.startswith("/"):
            continue
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix, suffix in (("scipy_openblas", "64_"), ("scipy_openblas", ""), ("openblas", "")):
            setter = getattr(lib, f"{prefix}_set_num_threads{suffix}", None)
            getter = getattr(lib, f"{prefix}_get_num_threads{suffix}", None)
            if setter is not None and getter is not None:
                getter.restype = ctypes.c_int
                found.append((setter, getter))
                break
    return found


@contextlib.contextmanager
def blas_threads(n: int = 1) -> Iterator[None]:
    """Run the block with OpenBLAS limited to ``n`` threads, then restore the former count.

    Comparisons multiply small matrices (a few hundred rows): OpenBLAS's threads then cost more
    than they give, and on a busy machine their spin-waiting burns the other cores. With one
    thread a comparison of two archived articles took 9.3 ms of CPU instead of 22.9 ms
    (300 pruned pairs of the full archive, 2 cores). Without OpenBLAS this does nothing.
    """
    libs = _openblas()
    before = [int(get()) for _, get in libs]
    for set_threads, _ in libs:
        set_threads(ctypes.c_int(n))
    try:
        yield
    finally:
        for (set_threads, _), count in zip(libs, before, strict=True):
            set_threads(ctypes.c_int(count))


def _single_thread() -> None:
    # A pool worker runs in a process of its own: no need to restore the count.
    for set_threads, _ in _openblas():
        set_threads(ctypes.c_int(1))


def _init_prepare(options: CompareOptions) -> None:
    from retold.pipeline.compare import Comparer

    _single_thread()
    _STATE["comparer"] = Comparer(options)


def _prepare(article: Article) -> Any:
    return _STATE["comparer"].prepare(article)


def _compare_range(bounds: tuple[int, int]) -> list[Compared]:
    from retold.report.jsonout import to_dict

    comparer = _STATE["comparer"]
    prepared = _STATE["prepared"]
    out: list[Compared] = []
    for a, b in _STATE["pairs"][bounds[0] : bounds[1]]:
        comp = comparer.compare(prepared[a], prepared[b])
        oriented = comp if comp.a.id < comp.b.id else comp.swapped()
        out.append((Edge.from_comparison(comp), json.dumps(to_dict(oriented), ensure_ascii=False)))
    return out


def compare_in_pool(
    articles: Mapping[str, Article],
    needed: Sequence[str],
    pairs: Sequence[tuple[str, str]],
    options: CompareOptions,
    workers: int,
    chunk: int,
) -> Iterator[Compared]:
    """Compare each pair in ``workers`` forked processes; results in the order of ``pairs``.

    Args:
        articles: Articles by id.
        needed: Ids of every article the pairs name.
        pairs: Id pairs, ``a`` as given.
        options: Comparison options.
        workers: Processes.
        chunk: Pairs per task.
    """
    from retold.pipeline.compare import Comparer

    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(workers, initializer=_init_prepare, initargs=(options,)) as pool:
        arts = [articles[i] for i in needed]
        prepared = dict(zip(needed, pool.imap(_prepare, arts, chunksize=16), strict=True))
    _STATE.update(comparer=Comparer(options), prepared=prepared, pairs=list(pairs))
    try:
        bounds = [(lo, min(lo + chunk, len(pairs))) for lo in range(0, len(pairs), chunk)]
        with ctx.Pool(workers, initializer=_single_thread) as pool:
            for results in pool.imap(_compare_range, bounds):
                yield from results
    finally:
        _STATE.clear()


def _shares_range(bounds: tuple[int, int]) -> list[float]:
    probes: dict[str, WordProbe] = _STATE.setdefault("probes", {})
    articles, max_chars = _STATE["articles"], _STATE["max_chars"]
    out: list[float] = []
    for a, b in _STATE["pairs"][bounds[0] : bounds[1]]:
        for x in (a, b):
            if x not in probes:
                probes[x] = WordProbe.of(articles[x], max_chars)
        out.append(verbatim_share(probes[a], probes[b]))
    return out


def verbatim_shares(
    articles: Mapping[str, Article],
    pairs: Sequence[tuple[str, str]],
    max_chars: int,
    workers: int,
    chunk: int,
) -> list[float]:
    """:func:`~retold.provenance.clusters.verbatim_share` of each pair, in the order of ``pairs``.

    Args:
        articles: Articles by id.
        pairs: Id pairs.
        max_chars: Compare's size bound on a body (:class:`~retold.config.CompareOptions`).
        workers: Processes (``fork``); 1 computes here.
        chunk: Pairs per task (each worker probes an article once, so neighbouring pairs that
            share articles are best kept in one task).
    """
    if not pairs:
        return []
    _STATE.update(articles=articles, pairs=list(pairs), max_chars=max_chars, probes={})
    try:
        bounds = [(lo, min(lo + chunk, len(pairs))) for lo in range(0, len(pairs), chunk)]
        if workers <= 1:
            return [x for b in bounds for x in _shares_range(b)]
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(workers) as pool:
            return [x for part in pool.imap(_shares_range, bounds) for x in part]
    finally:
        _STATE.clear()
