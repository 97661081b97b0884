"""``retold compare``: one pair, or many pairs from a file in one process."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

import click

from retold.config import CompareOptions
from retold.errors import FormatError, InputError, RetoldError

__all__ = ["COMMANDS", "compare_cmd"]

FORMATS = ("terminal", "json", "html", "pan")


def _pairs(path: Path) -> Iterator[tuple[int, str, str] | InputError]:
    """Path pairs from a TSV (two columns) or JSONL (``{"a": ..., "b": ...}``) file."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        yield InputError(f"cannot read pairs file: {exc}", source=str(path))
        return
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.lstrip().startswith("{"):
            try:
                rec = json.loads(line)
                yield n, str(rec["a"]), str(rec["b"])
            except (ValueError, KeyError, TypeError) as exc:
                message = f"not a {{'a', 'b'}} JSON object: {exc}"
                yield FormatError(message, source=str(path), record=n)
            continue
        cols = line.split("\t")
        if len(cols) < 2:
            yield FormatError("expected two tab-separated paths", source=str(path), record=n)
            continue
        yield n, cols[0].strip(), cols[1].strip()


def _resolve(name: str, base: Path) -> str:
    p = Path(name)
    if p.is_absolute() or p.exists() or name == "-":
        return name
    return str(base / p)


def _run_pairs(pairs_file: Path, out: TextIO, options: CompareOptions) -> int:
    from retold.ingest import read_article
    from retold.pipeline import Comparer
    from retold.report import to_dict

    comparer = Comparer(options)
    failures = 0
    base = pairs_file.parent
    for item in _pairs(pairs_file):
        if isinstance(item, InputError):
            failures += 1
            click.echo(f"retold: error: {item}", err=True)
            out.write(json.dumps({"error": str(item), "line": item.record}) + "\n")
            continue
        n, a_name, b_name = item
        try:
            a = read_article(_resolve(a_name, base))
            b = read_article(_resolve(b_name, base))
            record = to_dict(comparer.compare(a, b))
        except RetoldError as exc:
            failures += 1
            click.echo(f"retold: error: {pairs_file}, line {n}: {exc}", err=True)
            record = {"error": str(exc), "line": n, "a_path": a_name, "b_path": b_name}
        else:
            record = {"line": n, "a_path": a_name, "b_path": b_name, **record}
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        out.flush()
    return failures


@click.command("compare")
@click.argument("a", required=False)
@click.argument("b", required=False)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="terminal", show_default=True)
@click.option(
    "--pairs",
    "pairs_file",
    type=click.Path(path_type=Path),
    help="TSV or JSONL of path pairs; writes JSONL.",
)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="Write here instead of stdout."
)
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
    embedder: str,
    color: bool | None,
) -> None:
    """Compare articles A and B (files, or - for stdin): verdict, passages, facts, direction."""
    options = CompareOptions(embedder=embedder)  # type: ignore[arg-type]
    out: TextIO = open(output, "w", encoding="utf-8") if output else sys.stdout  # noqa: SIM115
    try:
        if pairs_file is not None:
            if a or b:
                raise click.UsageError("give either A and B or --pairs, not both")
            failures = _run_pairs(pairs_file, out, options)
            if failures:
                raise click.exceptions.Exit(3)
            return
        if not (a and b):
            raise click.UsageError("compare needs two articles (or --pairs FILE)")
        from retold.ingest import read_article
        from retold.pipeline import compare
        from retold.report import render

        result = compare(read_article(a), read_article(b), options)
        use_color = color if color is not None else (out is sys.stdout and sys.stdout.isatty())
        if fmt == "terminal":
            from retold.report import render_terminal

            text = render_terminal(result, color=use_color)
        else:
            text = render(result, fmt)
        out.write(text if text.endswith("\n") else text + "\n")
    finally:
        if out is not sys.stdout:
            out.close()


COMMANDS = [compare_cmd]
