"""Options shared by the commands (reading: ``index``, ``query``, ``compare``; ``-o``).

Each option is a click decorator; values are checked when the command line is parsed, so a bad
value stops the command (exit code 2) before any work.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from retold.cli.output import check_output

__all__ = ["INPUT_FORMATS", "column_option", "input_format_option", "output_option"]

F = TypeVar("F", bound=Callable[..., Any])

INPUT_FORMATS = ("bbc", "csv", "html", "json", "jsonl", "meter", "reuters", "rss", "text", "warc")
"""The names of :data:`retold.ingest.FORMATS`, spelled out so ``--help`` imports no reader
(a test pins the two to each other)."""

_FIELDS = "text, title, date, outlet, url, id"


def _mapping(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> Any:
    if not value:
        return None
    from retold.errors import ConfigError
    from retold.ingest import ColumnMapping

    try:
        return ColumnMapping.parse(value)
    except ConfigError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from exc


def column_option(func: F) -> F:
    """``--column FIELD=NAME`` (repeatable): a column mapping for JSON, JSON Lines and CSV."""
    option = click.option(
        "--column",
        "mapping",
        metavar="FIELD=NAME",
        multiple=True,
        callback=_mapping,
        help=(
            "JSON/JSONL/CSV: read FIELD from the column (or key) NAME; repeatable. FIELD is one "
            f"of {_FIELDS}. FIELD= (no name) ignores that field. Fields not given are looked "
            "for under their usual names (text: text, body, content, article, maintext; "
            "title: title, headline; ...), ignoring case."
        ),
    )
    return option(func)


def input_format_option(*names: str, dest: str = "fmt") -> Callable[[F], F]:
    """An option forcing one input format for every path (default: detected per file)."""
    return click.option(
        *names,
        dest,
        type=click.Choice(INPUT_FORMATS),
        default=None,
        help="Force one input format for every path (default: detected per file).",
    )


def output_option(help_text: str) -> Callable[[F], F]:
    """``-o/--output FILE``, its folder checked when parsed (see :func:`check_output`)."""
    return click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        callback=check_output,
        help=help_text,
    )
