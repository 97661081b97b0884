"""Where derived model artefacts live, and how they are written and read safely.

The cache directory is ``$RETOLD_CACHE_DIR``, else ``$XDG_CACHE_HOME/retold``, else
``~/.cache/retold``; it is resolved on each call, never at import time. Arrays are written to a
temporary file in the same directory and moved into place with :func:`os.replace`, so a process
killed mid-write leaves at worst a stray temporary file, never a half-written cache entry.

Example:
    >>> from retold.fingerprint.cache import cache_dir
    >>> cache_dir().is_dir()
    True
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import numpy as np
import numpy.typing as npt

__all__ = ["cache_dir", "file_sha256", "load_array", "save_array_atomic"]

_STAMPS = "file-hashes.json"


def cache_dir() -> Path:
    """The directory retold keeps derived artefacts in (created if missing).

    Returns:
        ``$RETOLD_CACHE_DIR``, else ``$XDG_CACHE_HOME/retold``, else ``~/.cache/retold``.
    """
    env = os.environ.get("RETOLD_CACHE_DIR")
    if env:
        path = Path(env)
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        path = Path(xdg) / "retold" if xdg else Path.home() / ".cache" / "retold"
    path.mkdir(parents=True, exist_ok=True)
    return path


def file_sha256(path: Path) -> str:
    """The SHA-256 of a (large) file, memoised on disk by its size and modification time.

    Hashing the 87 MiB MiniLM weights takes about 0.3 s on the 2-core reference machine, more than
    the whole static embedder load; the memo (``file-hashes.json`` in :func:`cache_dir`, keyed by
    resolved path, size and ``st_mtime_ns``, as git's index does) makes later loads free.

    Args:
        path: The file to hash.

    Returns:
        The hex digest.
    """
    real = path.resolve()
    stat = real.stat()
    key = f"{real}|{stat.st_size}|{stat.st_mtime_ns}"
    memo_path = cache_dir() / _STAMPS
    memo: dict[str, str] = {}
    try:
        loaded = json.loads(memo_path.read_text(encoding="utf-8"))
        if isinstance(loaded, dict):
            memo = {str(k): str(v) for k, v in loaded.items()}
    except (OSError, ValueError):
        memo = {}
    cached = memo.get(key)
    if cached is not None and len(cached) == 64:
        return cached
    with real.open("rb") as handle:
        digest = hashlib.file_digest(handle, "sha256").hexdigest()
    memo = {k: v for k, v in memo.items() if not k.startswith(f"{real}|")}
    memo[key] = digest
    _write_atomic(memo_path, json.dumps(memo, indent=0).encode("utf-8"))
    return digest


def save_array_atomic(path: Path, array: npt.NDArray[np.float32]) -> None:
    """Write ``array`` as ``.npy`` to ``path`` via a temporary file and :func:`os.replace`.

    Args:
        path: The final location.
        array: The array to store.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            np.save(handle, array, allow_pickle=False)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_array(path: Path, shape: tuple[int, ...]) -> npt.NDArray[np.float32] | None:
    """Load a cached float32 array, or ``None`` if it is missing, truncated or malformed.

    The file is memory-mapped with :func:`numpy.load`. One whose header does not promise exactly
    ``shape`` float32 values, whose size differs from what the header promises (a truncated
    write), or that holds non-finite values is treated as absent, so that the caller rebuilds it
    rather than using it.

    Args:
        path: The ``.npy`` file.
        shape: The shape the caller expects.

    Returns:
        The array (a read-only memory map), or ``None``.
    """
    try:
        array = np.load(path, mmap_mode="r", allow_pickle=False)
        if (
            not isinstance(array, np.memmap)
            or array.shape != shape
            or array.dtype != np.dtype("<f4")
            or not array.flags.c_contiguous
            or path.stat().st_size != array.offset + array.nbytes
        ):
            return None
        if not np.isfinite(array).all():
            return None
    except (OSError, ValueError, EOFError):
        return None
    return np.asarray(array)


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
