"""``python -m retold.fingerprint.build``: derive the static vectors once, at set-up time.

The setup script runs this so that the first comparison does not spend a minute distilling the
packaged MiniLM weights. It writes the cache file (:func:`~retold.fingerprint.static.build_static`)
and prints one line to standard error: where the cache is and how long it took. A valid cache is
reused (seconds) unless ``--force`` is given.

Exit status: 0 on success; 6 when the weights package is missing, 7 when the weights are
unreadable (the codes of the ``retold`` command).

Example:
    $ python -m retold.fingerprint.build
    retold: static vectors ready at /home/me/.cache/retold/static-53aa...-r1-d256.npy (61.2 s)
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

from retold.errors import MissingExtra, ModelError

__all__ = ["main"]

_EXIT_MISSING = 6
_EXIT_MODEL = 7


def main(argv: Sequence[str] | None = None) -> int:
    """Build (or check) the static vector cache.

    Args:
        argv: Command-line arguments (default: ``sys.argv[1:]``); ``--force`` rebuilds.

    Returns:
        The exit status.
    """
    parser = argparse.ArgumentParser(
        prog="python -m retold.fingerprint.build",
        description="Derive retold's static token vectors from the packaged MiniLM weights.",
    )
    parser.add_argument("--force", action="store_true", help="rebuild even if the cache is valid")
    args = parser.parse_args(argv)

    from retold.fingerprint.static import build_static

    started = time.perf_counter()
    try:
        path = build_static(force=args.force)
    except MissingExtra as exc:
        print(f"retold: {exc}", file=sys.stderr)
        return _EXIT_MISSING
    except ModelError as exc:
        print(f"retold: {exc}", file=sys.stderr)
        return _EXIT_MODEL
    seconds = time.perf_counter() - started
    print(f"retold: static vectors ready at {path} ({seconds:.1f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
