"""The ``retold`` command group; subcommands live in sibling modules and register here."""

from __future__ import annotations

import click

from retold.cli.errors import EXIT_HELP, GuardedGroup


@click.group(cls=GuardedGroup, epilog=EXIT_HELP)
@click.version_option(package_name="retold")
def main() -> None:
    """retold: find out which news stories are retold from which."""


def _register() -> None:
    # Subcommand modules import only click and retold at call time; heavy work stays lazy.
    import importlib

    for name in ("compare", "evaluate", "archive", "stories"):
        try:
            module = importlib.import_module(f"retold.cli.{name}")
        except ModuleNotFoundError as exc:  # a subcommand module not written yet
            if exc.name != f"retold.cli.{name}":
                raise
            continue
        for command in getattr(module, "COMMANDS", ()):
            main.add_command(command)


_register()
