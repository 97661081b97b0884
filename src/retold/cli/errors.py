"""The single mapping from retold's error tree to process exit codes."""

from __future__ import annotations

from typing import Any

import click

from retold.errors import (
    ConfigError,
    InputError,
    MissingExtra,
    ModelError,
    RetoldError,
    StoreError,
)

__all__ = ["EXIT_CODES", "GuardedGroup", "exit_code"]

# Order matters: the first matching class wins (subclasses before their bases).
EXIT_CODES: tuple[tuple[type[RetoldError], int], ...] = (
    (InputError, 3),
    (ConfigError, 4),
    (StoreError, 5),
    (MissingExtra, 6),
    (ModelError, 7),
    (RetoldError, 1),
)


def exit_code(error: RetoldError) -> int:
    """Exit code for a library error."""
    for cls, code in EXIT_CODES:
        if isinstance(error, cls):
            return code
    return 1


class GuardedGroup(click.Group):
    """A click group that turns any :class:`RetoldError` into a one-line message and exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the subcommand; report library errors without a traceback."""
        try:
            return super().invoke(ctx)
        except RetoldError as error:
            click.echo(f"retold: error: {error}", err=True)
            ctx.exit(exit_code(error))
