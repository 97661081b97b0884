r"""Files that list article pairs, one per line (``compare --pairs``, ``eval pairs``).

Blank lines and ``#`` comments are skipped; what a line holds (two paths, or paths and labels;
tab-separated or a JSON object) is up to the caller, which reports a bad line by its number.

Example:
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "pairs.tsv").write_text("# wire first\nwire.txt\tcopy.txt\n")
    >>> pair_lines(folder / "pairs.tsv")
    [(2, 'wire.txt\tcopy.txt')]
"""

from __future__ import annotations

from pathlib import Path

from retold.errors import EmptyInputError, InputError

__all__ = ["pair_lines"]


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
