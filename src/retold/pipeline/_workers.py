"""Comparing many pairs in worker processes (``fork``), for :mod:`retold.pipeline.stories`.

Two pools, one after the other. The first prepares articles (segment, tokenize, embed) in
parallel and sends them back; the second is forked after the parent holds every prepared
article, so its workers inherit them without copying and only compare. Each worker sends back
the edge and the cache JSON of its comparisons, not the comparison objects, so the parent does
little besides storing them.
"""

from __future__ import annotations

import json
import multiprocessing
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from retold.config import CompareOptions
from retold.model import Article
from retold.provenance.graph import Edge

__all__ = ["Compared", "compare_in_pool"]

#: One comparison as the parent needs it: its edge and its cache JSON (smaller id as ``a``).
Compared = tuple[Edge, str]

# Per-process state: set in the parent before forking, or by a pool initializer.
_STATE: dict[str, Any] = {}


def _init_prepare(options: CompareOptions) -> None:
    from retold.pipeline.compare import Comparer

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
        with ctx.Pool(workers) as pool:
            for results in pool.imap(_compare_range, bounds):
                yield from results
    finally:
        _STATE.clear()
