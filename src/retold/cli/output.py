"""Output files: checked before any work, written whole or not at all.

``-o FILE`` is checked when the command line is parsed (its folder must exist and be writable),
so a typo costs nothing; the result is written to a temporary file in the same folder and
renamed over ``FILE`` only once the command has succeeded, so a failure never truncates an
existing file.
"""

from __future__ import annotations

import os
import secrets
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO, cast

import click

__all__ = ["check_folder", "check_output", "output_file", "write_output"]


def _problem(path: Path) -> str | None:
    """Why ``path`` cannot be written as an output file, or ``None`` when it can."""
    if path.is_dir():
        return "it is a folder"
    folder = path.parent
    if not folder.exists():
        return f"folder {str(folder)!r} does not exist"
    if not folder.is_dir():
        return f"{str(folder)!r} is not a folder"
    try:
        mode = path.stat().st_mode
    except OSError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        return None if os.access(path, os.W_OK) else "permission denied"
    if mode is not None and not os.access(path, os.W_OK):
        return "the file is read-only"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"no permission to write into folder {str(folder)!r}"
    return None


def check_output(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """Click callback for ``-o FILE``: refuse an output that could not be written, up front."""
    if value is not None:
        problem = _problem(value)
        if problem is not None:
            raise click.BadParameter(
                f"cannot write {str(value)!r}: {problem}", ctx=ctx, param=param
            )
    return value


def check_folder(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """Click callback for an output folder: it must be a folder, or be creatable."""
    if value is None:
        return value
    if value.exists() and not value.is_dir():
        raise click.BadParameter(f"{str(value)!r} is not a folder", ctx=ctx, param=param)
    parent = value
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    target = value if value.exists() else parent
    if not target.is_dir() or not os.access(target, os.W_OK | os.X_OK):
        raise click.BadParameter(f"cannot write into {str(target)!r}", ctx=ctx, param=param)
    return value


@contextmanager
def output_file(path: Path | None) -> Iterator[TextIO]:
    """A text stream for the command's output, put in place only if the block succeeds.

    Args:
        path: The output file; ``None`` for standard output. A device or named pipe (say
            ``/dev/stderr``) is written directly.

    Yields:
        The stream to write to. On success it is renamed over ``path`` (keeping an existing
        file's permissions); on any exception it is removed and ``path`` is left as it was.

    Raises:
        click.FileError: The file cannot be written (disk full, permissions changed).
    """
    if path is None:
        yield sys.stdout
        return
    if path.is_symlink():  # replace the file the link points to, and keep the link
        path = Path(os.path.realpath(path))
    try:
        existing = path.stat().st_mode
    except OSError:
        existing = None
    if existing is not None and not stat.S_ISREG(existing):
        with _opened(path, "w") as stream:
            yield stream
        return
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    with _opened(tmp, "x") as stream:
        try:
            yield stream
        except BaseException:
            stream.close()
            tmp.unlink(missing_ok=True)
            raise
        try:
            stream.close()
            if existing is not None:
                os.chmod(tmp, stat.S_IMODE(existing))
            os.replace(tmp, path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise click.FileError(str(path), hint=exc.strerror or str(exc)) from exc


@contextmanager
def _opened(path: Path, mode: str) -> Iterator[TextIO]:
    try:
        stream = cast(TextIO, open(path, mode, encoding="utf-8"))  # noqa: SIM115  # closed below
    except OSError as exc:
        raise click.FileError(str(path), hint=exc.strerror or str(exc)) from exc
    with stream:
        yield stream


def write_output(path: Path | None, text: str) -> None:
    """Write ``text`` as it is to ``path`` whole (see :func:`output_file`), or to stdout."""
    if path is None:
        click.echo(text, nl=False)
        return
    with output_file(path) as out:
        out.write(text)
