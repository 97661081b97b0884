"""``retold compare``: one pair, or many pairs from a file in one process.

Each side is read with the same format detection and readers as ``index`` and ``query``
(:func:`retold.ingest.read_article`): an HTML page is compared without its boilerplate, a JSON
Lines, CSV, feed or WARC file is compared when it holds one article, and ``FILE#N`` takes
record ``N`` of a file that holds several.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import click

from retold.cli.errors import SKIPPED, finish
from retold.cli.options import column_option, input_format_option, output_option
from retold.cli.output import output_file, write_output
from retold.config import CompareOptions
from retold.errors import FormatError, InputError, RetoldError

__all__ = ["COMMANDS", "compare_cmd"]

FORMATS = ("terminal", "json", "html", "pan")

_STDIN = "-"

_EPILOG = (
    "A and B may be any format `retold index` reads (text, Markdown, HTML, JSON, JSON Lines, "
    "CSV/TSV, RSS/Atom, WARC, ...), detected per file; each must hold one article. From a file "
    "of several records take one as FILE#N, N the record number shown in `retold index` "
    "messages and origins (the JSON Lines line, the CSV data row counted from 1 after the "
    "header, the feed item, the WARC record). - reads standard input as plain text (once). "
    f"With --pairs every pair is compared before the command ends; exit code {SKIPPED} when "
    "some pairs failed (each is an error line in the output), 3 when all did (see `retold "
    "--help` for all codes)."
)


@dataclass(frozen=True, slots=True)
class _Reading:
    """How the two sides are read: forced format and column mapping (or detection)."""

    fmt: str | None
    mapping: Any

    def article(self, name: str, base: Path | None = None) -> Any:
        from retold.ingest.detect import read_article
        from retold.ingest.pairlist import locate

        path, record = locate(name, base)
        return read_article(path, format=self.fmt, mapping=self.mapping, record=record)


@dataclass(frozen=True, slots=True)
class _Pair:
    line: int
    a: str
    b: str


def _pairs(path: Path) -> list[_Pair | InputError]:
    """Path pairs from a TSV (two columns) or JSONL (``{"a": ..., "b": ...}``) file.

    Raises:
        InputError: The pairs file cannot be read, or holds no pairs.
    """
    from retold.ingest.pairlist import pair_lines

    source = str(path)
    items: list[_Pair | InputError] = []
    for n, line in pair_lines(path):
        if line.lstrip().startswith("{"):
            try:
                rec = json.loads(line)
                pair = _Pair(n, str(rec["a"]), str(rec["b"]))
            except (ValueError, KeyError, TypeError) as exc:
                message = f"not a {{'a', 'b'}} JSON object: {exc}"
                items.append(FormatError(message, source=source, record=n))
                continue
        else:
            cols = line.split("\t")
            if len(cols) < 2:
                items.append(
                    FormatError("expected two tab-separated paths", source=source, record=n)
                )
                continue
            pair = _Pair(n, cols[0].strip(), cols[1].strip())
        if _STDIN in (pair.a, pair.b):
            items.append(
                FormatError("- (stdin) cannot be read in a pairs file", source=source, record=n)
            )
        else:
            items.append(pair)
    return items


def _run_pairs(
    pairs_file: Path, out: TextIO, options: CompareOptions, reading: _Reading, with_text: bool
) -> tuple[int, list[InputError]]:
    """Compare every pair, writing one JSON line each; return (pairs compared, failures)."""
    from retold.pipeline import Comparer
    from retold.report import to_dict

    items = _pairs(pairs_file)
    comparer = Comparer(options)
    failures: list[InputError] = []
    done = 0
    base = pairs_file.parent
    for item in items:
        record: dict[str, Any]
        if isinstance(item, InputError):
            failures.append(item)
            click.echo(f"retold: error: {item}", err=True)
            record = {"error": str(item), "line": item.record}
        else:
            try:
                a = reading.article(item.a, base)
                b = reading.article(item.b, base)
                pair = comparer.compare(comparer.prepared(a), comparer.prepared(b))
                result = to_dict(pair, include_text=with_text)
            except RetoldError as exc:
                failure = InputError(str(exc), source=str(pairs_file), record=item.line)
                failures.append(failure)
                click.echo(f"retold: error: {pairs_file}, line {item.line}: {exc}", err=True)
                record = {"error": str(exc), "line": item.line, "a_path": item.a, "b_path": item.b}
            else:
                done += 1
                record = {"line": item.line, "a_path": item.a, "b_path": item.b, **result}
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        out.flush()
    return done, failures


@click.command("compare", epilog=_EPILOG)
@click.argument("a", required=False)
@click.argument("b", required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="terminal",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--pairs",
    "pairs_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="TSV or JSONL of path pairs (paths relative to it, FILE#N allowed); writes JSONL.",
)
@output_option("Write here instead of stdout (replaced only when the command succeeds).")
@click.option(
    "--with-text",
    is_flag=True,
    help="JSON output (--format json, --pairs): also give each article's text and each "
    "passage's text (docs/json-schema.md).",
)
@input_format_option("--input-format", dest="fmt_in")
@column_option
@click.option(
    "--embedder", type=click.Choice(("static", "minilm")), default="static", show_default=True
)
@click.option(
    "--color/--no-color", default=None, help="Colour terminal output (default: if a tty)."
)
def compare_cmd(
    a: str | None,
    b: str | None,
    fmt: str,
    pairs_file: Path | None,
    output: Path | None,
    with_text: bool,
    fmt_in: str | None,
    mapping: Any,
    embedder: str,
    color: bool | None,
) -> None:
    """Compare articles A and B (files, FILE#N, or -): verdict, passages, facts, direction."""
    options = CompareOptions(embedder=embedder)  # type: ignore[arg-type]
    reading = _Reading(fmt_in, mapping)
    if pairs_file is not None:
        if a or b:
            raise click.UsageError("give either A and B or --pairs, not both")
        with output_file(output) as out:
            done, failures = _run_pairs(pairs_file, out, options, reading, with_text)
        finish(done, failures, f"no pair of {pairs_file} could be compared", empty_ok=False)
        return
    if not (a and b):
        raise click.UsageError("compare needs two articles (or --pairs FILE)")
    if a == _STDIN and b == _STDIN:
        raise click.UsageError("standard input can be read only once: give - for A or B, not both")
    if with_text and fmt != "json":
        raise click.UsageError("--with-text needs --format json (or --pairs)")
    from retold.pipeline import compare
    from retold.report import render, render_terminal

    result = compare(reading.article(a), reading.article(b), options)
    if fmt == "terminal":
        use_color = color if color is not None else (output is None and sys.stdout.isatty())
        text = render_terminal(result, color=use_color)
    elif fmt == "json":
        text = render(result, fmt, include_text=with_text)
    else:
        text = render(result, fmt)
    write_output(output, text if text.endswith("\n") else text + "\n")


COMMANDS = [compare_cmd]
