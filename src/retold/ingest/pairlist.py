r"""Naming articles on a command line or in a file that lists article pairs, one per line.

:func:`locate` reads a name (a path, or ``PATH#N`` for record ``N`` of a multi-record file);
:func:`pair_lines` reads a pairs file (``compare --pairs``, ``eval pairs``): blank lines and
``#`` comments are skipped, and what a line holds (two names, or names and labels; tab-separated
or a JSON object) is up to the caller, which reports a bad line by its number.

Example:
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "pairs.tsv").write_text("# wire first\nwire.txt\tcopy.txt\n")
    >>> pair_lines(folder / "pairs.tsv")
    [(2, 'wire.txt\tcopy.txt')]
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from retold.errors import EmptyInputError, InputError
from retold.ingest.decode import STDIN

__all__ = ["locate", "pair_lines"]

_SELECTOR = re.compile(r"(?P<path>.+)#(?P<record>[1-9][0-9]*)")


def locate(name: str, base: Path | None = None) -> tuple[str, int | None]:
    """The file and record a name given on a command line or in a pairs file stands for.

    A name is a file path, relative to the working folder or else to ``base`` (e.g. the
    folder of the pairs file naming it); ``PATH#N`` names record ``N`` of ``PATH`` unless a
    file is called that. ``"-"`` (standard input) is returned as it is.

    Example:
        >>> locate("feed.xml#3"), locate("story.txt", Path("cases"))
        (('feed.xml', 3), ('cases/story.txt', None))
    """
    if name == STDIN:
        return name, None
    literal = _resolve(name, base)
    if os.path.lexists(literal):
        return literal, None
    m = _SELECTOR.fullmatch(name)
    if m is None:
        return literal, None
    return _resolve(m["path"], base), int(m["record"])


def _resolve(name: str, base: Path | None) -> str:
    if base is None or Path(name).is_absolute() or os.path.lexists(name):
        return name
    return str(base / name)


def pair_lines(path: Path) -> list[tuple[int, str]]:
    """The numbered lines (1-based) of a pairs file that are neither blank nor comments.

    Raises:
        InputError: The file cannot be read or decoded as UTF-8.
        EmptyInputError: It holds no pairs.
    """
    source = str(path)
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except FileNotFoundError as exc:
        raise InputError("no such pairs file", source=source) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the pairs file: {exc}", source=source) from exc
    kept = [
        (n, line)
        for n, line in enumerate(lines, 1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not kept:
        raise EmptyInputError("the pairs file holds no pairs", source=source)
    return kept
