"""The archive's cache of comparisons, valid only for the compare that made it.

Comparisons are stored as retold JSON keyed by the unordered pair of article ids, oriented with
the smaller id as ``a``. The archive records which compare made them (:func:`compare_key`: the
package version, the comparison options and every calibrated constant); when that changes -- a
re-fitted model, another embedder -- the cache is dropped on the next write and never read.

Example:
    >>> from retold.config import CompareOptions
    >>> compare_key(CompareOptions()) == compare_key(CompareOptions())
    True
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from types import ModuleType

from retold.config import CompareOptions
from retold.model import Article, Comparison
from retold.store import Archive

__all__ = ["cached_comparisons", "compare_key", "store_comparisons", "store_rows"]

_META = "comparisons"


def _constants(module: ModuleType) -> list[tuple[str, str]]:
    return sorted((name, repr(getattr(module, name))) for name in dir(module) if name.isupper())


# The parts of the package a comparison's result depends on (read, segment, embed, align,
# judge, serialise); their source is part of the cache key, so a development checkout whose
# code changed between runs under one version number does not reuse stale results.
_COMPARE_SOURCES = (
    "align",
    "fingerprint",
    "provenance",
    "text",
    "model.py",
    "pipeline/compare.py",
    "report/jsonout.py",
)


@lru_cache(maxsize=1)
def _source_digest() -> str:
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    try:
        for name in _COMPARE_SOURCES:
            path = root / name
            files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
            for file in files:
                digest.update(file.relative_to(root).as_posix().encode("utf-8") + b"\0")
                digest.update(file.read_bytes())
    except OSError:  # pragma: no cover - an install without its sources: the version decides
        return "no-sources"
    return digest.hexdigest()


@lru_cache(maxsize=8)
def compare_key(options: CompareOptions) -> str:
    """A digest naming the compare that produces results under ``options``.

    It changes with the retold version, the options, any calibrated constant of alignment or
    verdict, and the source of the modules a comparison runs through, so cached results are
    never reused across a recalibration or a code change. Computed once per process and
    options (2 ms each time otherwise, and ``query`` asks for it per pair it looks up).
    """
    from retold.align import calibration as align_cal
    from retold.provenance import calibration as verdict_cal

    try:
        version = metadata.version("retold")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        version = "unknown"
    parts = [
        version,
        repr(options),
        _constants(align_cal),
        _constants(verdict_cal),
        _source_digest(),
    ]
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:16]


def cached_comparisons(
    archive: Archive,
    pairs: Iterable[tuple[str, str]],
    articles: Mapping[str, Article],
    options: CompareOptions,
) -> dict[tuple[str, str], Comparison]:
    """Cached comparisons of the given pairs, keyed and oriented ``(min_id, max_id)``.

    Args:
        archive: The archive.
        pairs: Article id pairs, any orientation.
        articles: The articles of those pairs by id (pairs naming others are skipped).
        options: The comparison options; a cache made under others is ignored.

    Returns:
        The pairs found in a valid cache.
    """
    from retold.report.jsonout import comparison_from_dict

    if archive.get_meta(_META) != compare_key(options):
        return {}
    wanted = [(a, b) for a, b in pairs if a in articles and b in articles]
    out: dict[tuple[str, str], Comparison] = {}
    for key, body in archive.comparisons(wanted).items():
        out[key] = comparison_from_dict(json.loads(body), articles[key[0]], articles[key[1]])
    return out


def store_comparisons(
    archive: Archive, comparisons: Iterable[Comparison], options: CompareOptions
) -> int:
    """Cache comparisons (one transaction), each oriented with the smaller id as ``a``.

    Returns:
        How many were stored.
    """
    from retold.report.jsonout import to_dict

    rows = [
        (c.a.id, c.b.id, json.dumps(to_dict(c), ensure_ascii=False))
        for c in (c if c.a.id < c.b.id else c.swapped() for c in comparisons)
    ]
    return store_rows(archive, rows, options)


def store_rows(
    archive: Archive, rows: Iterable[tuple[str, str, str]], options: CompareOptions
) -> int:
    """Cache comparisons already rendered as ``(id_a, id_b, json)`` with ``id_a < id_b``.

    When the archive's cache was made by another compare, it is replaced, not mixed.

    Returns:
        How many were stored.
    """
    items = list(rows)
    key = compare_key(options)
    if archive.get_meta(_META) != key:
        archive.clear_comparisons()
        archive.set_meta(_META, key)
    if items:
        archive.put_comparisons(items)
    return len(items)
