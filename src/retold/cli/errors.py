"""The single mapping from retold's error tree (and skipped input) to process exit codes.

Commands that read many inputs (``index``, ``query``, ``compare --pairs``) do all their work
first, then end with :func:`finish`: exit code :data:`SKIPPED` when any input was skipped, and
the input-error code when nothing at all could be read.
"""

from __future__ import annotations

from typing import Any

import click

from retold.errors import (
    ConfigError,
    EmptyInputError,
    InputError,
    MissingExtra,
    ModelError,
    RetoldError,
    StoreError,
)

__all__ = [
    "EXIT_CODES",
    "EXIT_HELP",
    "SKIPPED",
    "GuardedGroup",
    "exit_code",
    "finish",
    "is_failure",
]

# Order matters: the first matching class wins (subclasses before their bases).
EXIT_CODES: tuple[tuple[type[RetoldError], int], ...] = (
    (InputError, 3),
    (ConfigError, 4),
    (StoreError, 5),
    (MissingExtra, 6),
    (ModelError, 7),
    (RetoldError, 1),
)

SKIPPED = 8
"""Exit code: the command did all its work and wrote its output, but skipped some input."""

EXIT_HELP = (
    "Exit codes: 0 success; 1 other error; 2 bad command line (unknown option, bad value, "
    "output folder missing or not writable); 3 input error (a file cannot be read; for index, "
    "query and compare --pairs: nothing at all could be read); 4 bad configuration (unknown "
    "format, option conflict); 5 archive error; 6 optional dependency missing; 7 model files "
    f"missing or unreadable; {SKIPPED} done, but some input was skipped (index, query, compare "
    "--pairs: each skipped file, record or pair is named on stderr; for index and query, "
    "files and records with no text at all are named but do not count)."
)
"""The exit codes, as shown under ``retold --help``."""


def exit_code(error: RetoldError) -> int:
    """Exit code for a library error."""
    for cls, code in EXIT_CODES:
        if isinstance(error, cls):
            return code
    return 1


def is_failure(error: InputError) -> bool:
    """Whether a skipped input sets exit code :data:`SKIPPED`.

    A record or file with no text at all (an empty file, a Reuters headline-only item) has
    nothing to read: it is named on stderr but is not a failure. Anything unreadable is.
    """
    return not isinstance(error, EmptyInputError)


def finish(read: int, skipped: list[InputError], nothing: str, *, empty_ok: bool = True) -> None:
    """End a many-input command: raise for nothing read, exit :data:`SKIPPED` for skips.

    Args:
        read: Inputs read successfully (articles, or pairs compared).
        skipped: The inputs skipped, each already reported.
        nothing: The message when nothing was read ("no query article could be read").
        empty_ok: Whether inputs with no text at all are let pass (see :func:`is_failure`);
            ``False`` when each input was asked for by name (a pair to compare).

    Raises:
        EmptyInputError: Nothing at all could be read (exit code 3).
        click.exceptions.Exit: With :data:`SKIPPED` when some input failed.
    """
    if read == 0:
        raise EmptyInputError(f"{nothing} ({len(skipped)} skipped)")
    if any(is_failure(e) or not empty_ok for e in skipped):
        raise click.exceptions.Exit(SKIPPED)


class GuardedGroup(click.Group):
    """A click group that turns any :class:`RetoldError` into a one-line message and exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the subcommand; report library errors without a traceback."""
        try:
            return super().invoke(ctx)
        except RetoldError as error:
            click.echo(f"retold: error: {error}", err=True)
            ctx.exit(exit_code(error))
