"""Comparing many pairs in worker processes (``fork``), for :mod:`retold.pipeline.stories`.

Each worker prepares (segments, tokenizes, embeds) the articles its pairs name, keeps the most
recently used ones, and compares; nothing prepared crosses a process boundary. For that to
prepare each article about once, the pairs are put in an order where neighbours share articles
(:func:`locality_order`, a reverse Cuthill-McKee order of the article graph) and the order is cut
into one segment per worker. A worker walks its own segment from the front; when it is done it
takes chunks from the back of the segment with the most left, so the workers stay busy to the
end and meet where few articles are shared. Each worker sends back the edge and the cache JSON of
its comparisons, not the comparison objects, so the parent does little besides storing them.

On the full archive (23,517 pairs naming 13,430 articles, 2 workers) this prepares about 13,700
articles (replayed on the pairs; 18,400-20,200 in the pairs' own order). The former design
(prepare in one pool, send every prepared article to the parent, compare in a second pool) spent
3.1 ms per article pickling and unpickling it, 40 % of preparing it, the parent unpickled them
one by one, and held them all at once; the compare stage went from 277 s to 160 s wall there.
"""

from __future__ import annotations

import contextlib
import ctypes
import itertools
import json
import multiprocessing
import pickle
import queue
import traceback
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from retold.config import CompareOptions
from retold.model import Article
from retold.provenance.graph import Edge
from retold.provenance.probes import VerbatimSignals, WordProbe, verbatim_signals

if TYPE_CHECKING:
    from retold.align import Prepared
    from retold.pipeline.compare import Comparer

_T = TypeVar("_T")

__all__ = ["Compared", "blas_threads", "compare_in_pool", "locality_order", "verbatim_signals_of"]

#: One comparison as the parent needs it: its edge and its cache JSON (smaller id as ``a``).
Compared = tuple[Edge, str]

# Prepared articles one process keeps (least recently used dropped first). Calibrated by replaying
# the full archive's 23,517 compared pairs in locality order, 2 workers: 2,048 prepares 13,672
# articles for 13,430 distinct (as many as keeping all); 1,000 prepares 15,029, 500 16,134.
# A prepared article holds one 256-float vector per content word; each worker stayed near 1 GB.
_MEMO = 2048

# Per-process state: set in the parent before forking.
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


def locality_order(pairs: Sequence[tuple[str, str]]) -> list[int]:
    """Indices of ``pairs`` in an order where pairs close together share articles.

    Articles are numbered by a reverse Cuthill-McKee order of the graph the pairs draw (which
    keeps linked articles close), and pairs sorted by their two numbers. A walk along the order
    then needs few articles at a time: see ``_MEMO``. The order depends only on the set of
    pairs, not on the order they are given in.

    Args:
        pairs: Id pairs.

    Returns:
        A permutation of ``range(len(pairs))``.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import reverse_cuthill_mckee

    if not pairs:
        return []
    ids = sorted({x for pair in pairs for x in pair})
    number = {x: n for n, x in enumerate(ids)}
    a = np.fromiter((number[x] for x, _ in pairs), np.int64, len(pairs))
    b = np.fromiter((number[y] for _, y in pairs), np.int64, len(pairs))
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    ones = np.ones(2 * len(pairs), np.int8)
    graph = coo_matrix((ones, (np.r_[lo, hi], np.r_[hi, lo])), shape=(len(ids), len(ids)))
    rank = np.empty(len(ids), np.int64)
    rank[reverse_cuthill_mckee(graph.tocsr(), symmetric_mode=True)] = np.arange(len(ids))
    first, second = np.minimum(rank[lo], rank[hi]), np.maximum(rank[lo], rank[hi])
    # Duplicate pairs (either orientation) tie: the stable sort keeps them in given order.
    return [int(i) for i in np.lexsort((second, first))]


class _Comparing:
    """Compares pairs, preparing each article on first use and keeping the ``_MEMO`` latest."""

    def __init__(self, articles: Mapping[str, Article], options: CompareOptions) -> None:
        from retold.pipeline.compare import Comparer

        self.articles = articles
        self.comparer: Comparer = Comparer(options)
        self.memo: OrderedDict[str, Prepared] = OrderedDict()

    def _get(self, aid: str) -> Prepared:
        found = self.memo.get(aid)
        if found is not None:
            self.memo.move_to_end(aid)
            return found
        made = self.memo[aid] = self.comparer.prepare(self.articles[aid])
        if len(self.memo) > _MEMO:
            self.memo.popitem(last=False)
        return made

    def __call__(self, a: str, b: str) -> Compared:
        from retold.report.jsonout import to_dict

        comp = self.comparer.compare(self._get(a), self._get(b))
        oriented = comp if comp.a.id < comp.b.id else comp.swapped()
        return Edge.from_comparison(comp), json.dumps(to_dict(oriented), ensure_ascii=False)


class _Probing:
    """:func:`~retold.provenance.probes.verbatim_signals` of pairs, probing each article once.

    A probe keeps its word trigrams hashed and sorted, so a pair costs two binary searches
    instead of hashing both texts' trigrams again (0.43 ms a pair before, on the full archive's
    51k pairs dated apart).
    """

    def __init__(self, articles: Mapping[str, Article], max_chars: int) -> None:
        self.articles, self.max_chars = articles, max_chars
        self.memo: dict[str, WordProbe] = {}

    def _get(self, aid: str) -> WordProbe:
        probe = self.memo.get(aid)
        if probe is None:
            probe = self.memo[aid] = WordProbe.of(self.articles[aid], self.max_chars)
        return probe

    def __call__(self, a: str, b: str) -> VerbatimSignals:
        return verbatim_signals(self._get(a), self._get(b))


@dataclass(frozen=True, slots=True)
class _Failed:
    """A worker's exception (or its text when it cannot be pickled)."""

    error: BaseException


def _take(bounds: Any, own: int) -> int | None:
    """The next chunk for worker ``own``: from its segment's front, else steal from a back."""
    with bounds.get_lock():
        lo, hi = bounds[2 * own], bounds[2 * own + 1]
        if lo < hi:
            bounds[2 * own] = lo + 1
            return int(lo)
        left = [bounds[2 * s + 1] - bounds[2 * s] for s in range(len(bounds) // 2)]
        most = max(range(len(left)), key=left.__getitem__)
        if left[most] <= 0:
            return None
        bounds[2 * most + 1] -= 1
        return int(bounds[2 * most + 1])


def _work(own: int) -> None:
    """A worker process: run chunks until none is left, sending results to the parent."""
    state = _STATE
    results, order, pairs, chunk = state["results"], state["order"], state["pairs"], state["chunk"]
    try:
        _single_thread()
        job = state["make"]()
        while (c := _take(state["bounds"], own)) is not None:
            part = order[c * chunk : (c + 1) * chunk]
            results.put((own, [(i, job(*pairs[i])) for i in part]))
        results.put((own, None))
    except BaseException as exc:  # every failure goes to the parent
        try:
            pickle.loads(pickle.dumps(exc))
            error: BaseException = exc
        except Exception:  # one that cannot travel goes as text
            error = RuntimeError(f"worker failed:\n{traceback.format_exc()}")
        results.put((own, _Failed(error)))


def _run(
    make: Callable[[], Callable[[str, str], _T]],
    pairs: Sequence[tuple[str, str]],
    workers: int,
    chunk: int,
) -> Iterator[tuple[int, _T]]:
    """``make()(a, b)`` of every pair, in ``workers`` forked processes (1: here).

    Yields ``(index in pairs, result)`` as chunks finish. ``make`` runs once per process.
    """
    order = locality_order(pairs)
    if workers <= 1 or len(order) <= chunk:
        job = make()
        with blas_threads(1):
            for i in order:
                yield i, job(*pairs[i])
        return
    ctx = multiprocessing.get_context("fork")
    n_chunks = -(-len(order) // chunk)
    cuts = [int(x) for x in np.linspace(0, n_chunks, workers + 1).round()]
    # Segment w is chunks bounds[2w]:bounds[2w+1] of the order; both ends move as work is taken.
    bounds = ctx.Array("q", [x for lo, hi in itertools.pairwise(cuts) for x in (lo, hi)])
    results: Any = ctx.Queue()
    _STATE.update(make=make, pairs=pairs, order=order, chunk=chunk, bounds=bounds, results=results)
    procs = [ctx.Process(target=_work, args=(w,), daemon=True) for w in range(workers)]
    try:
        for proc in procs:
            proc.start()
        running = set(range(workers))
        while running:
            try:
                own, item = results.get(timeout=1.0)
            except queue.Empty:
                # A worker that ends normally has sent its last message first (exit code 0).
                dead = [w for w in sorted(running) if procs[w].exitcode not in (None, 0)]
                if dead:
                    code = procs[dead[0]].exitcode
                    raise RuntimeError(f"a worker process died (exit code {code})") from None
                continue
            if item is None:
                running.discard(own)
            elif isinstance(item, _Failed):
                raise item.error
            else:
                yield from item
    finally:
        _STATE.clear()
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
            proc.join()
        results.close()


def compare_in_pool(
    articles: Mapping[str, Article],
    pairs: Sequence[tuple[str, str]],
    options: CompareOptions,
    workers: int,
    chunk: int,
) -> Iterator[tuple[int, Compared]]:
    """Compare each pair in ``workers`` forked processes; yields ``(index in pairs, result)``.

    Results come as chunks finish, not in the order of ``pairs``; ``workers=1`` compares here.

    Args:
        articles: Articles by id.
        pairs: Id pairs, ``a`` as given.
        options: Comparison options.
        workers: Processes.
        chunk: Pairs per task (the unit a worker takes from a segment).

    Raises:
        RuntimeError: A worker process died without reporting (killed, out of memory).
    """
    return _run(lambda: _Comparing(articles, options), pairs, workers, chunk)


def verbatim_signals_of(
    articles: Mapping[str, Article],
    pairs: Sequence[tuple[str, str]],
    max_chars: int,
    workers: int,
    chunk: int,
) -> list[VerbatimSignals]:
    """:func:`~retold.provenance.probes.verbatim_signals` of each pair, in ``pairs`` order.

    Args:
        articles: Articles by id.
        pairs: Id pairs.
        max_chars: Compare's size bound on a body (:class:`~retold.config.CompareOptions`).
        workers: Processes (``fork``); 1 computes here.
        chunk: Pairs per task.
    """
    out = [VerbatimSignals(0.0, 0.0)] * len(pairs)
    for i, signals in _run(lambda: _Probing(articles, max_chars), pairs, workers, chunk):
        out[i] = signals
    return out
