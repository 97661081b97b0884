"""``retold index`` and ``retold query``: keep an archive, ask what an article reuses.

Thin adapters: parse arguments, make one library call, render. Library errors become exit codes
in :mod:`retold.cli.errors`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from retold.cli.progress import ProgressBar, db_option
from retold.errors import InputError

__all__ = ["COMMANDS", "index", "query"]


def _skip(error: InputError) -> None:
    click.echo(f"retold: skipped: {error}", err=True)


@click.command("index")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
@click.option("--format", "fmt", default=None, help="Force one input format for every path.")
@click.option("--progress/--no-progress", default=True, help="Progress bar on stderr.")
def index(paths: tuple[Path, ...], db: Path, fmt: str | None, progress: bool) -> None:
    """Read PATHS (files or folders) into the archive DB; re-running skips what is stored."""
    from retold.pipeline.archive import index as run_index

    bar = ProgressBar(progress, "indexing", unit="B")

    def report_progress(p: Any) -> None:
        bar.update(p.bytes_done, p.bytes_total, articles=p.articles, errors=p.errors)

    try:
        report = run_index(list(paths), db, format=fmt, progress=report_progress, on_error=_skip)
    finally:
        bar.close()
    t = report.timings
    click.echo(
        f"read {report.read} articles: {report.added} added, {report.duplicates} already stored, "
        f"{len(report.errors)} skipped; archive holds {report.total} "
        f"(read {t.read:.1f}s, fingerprint {t.fingerprint:.1f}s, store {t.store:.1f}s)",
        err=True,
    )


def _result_dict(result: Any) -> dict[str, Any]:
    from retold.report.jsonout import to_dict

    q = result.query
    return {
        "query": {"id": q.id, "label": q.label, "title": q.title},
        "exact_duplicates": [str(o) for o in result.exact_duplicates],
        "matches": [
            {
                "id": m.article_id,
                "origins": [str(o) for o in m.origins],
                "retrieval": round(m.retrieval, 4),
                "comparison": to_dict(m.comparison),
            }
            for m in result.matches
        ],
    }


def _render_terminal(result: Any, echo: Callable[[str], None]) -> None:
    q = result.query
    echo(f"{q.label}  ({q.id})")
    for origin in result.exact_duplicates:
        echo(f"  identical to {origin}")
    if not result.matches:
        echo("  no related article in the archive")
    for n, m in enumerate(result.matches, 1):
        v = m.comparison.verdict
        kind = f" {v.kind.value}" if v.kind is not None else ""
        where = ", ".join(str(o) for o in m.origins[:3]) or m.article_id
        more = f" (+{len(m.origins) - 3} more)" if len(m.origins) > 3 else ""
        d = m.comparison.direction
        source = {"a": "query first", "b": "archived first"}.get(d.source.value, d.source.value)
        echo(
            f"  {n:>2}. {v.relation.value}{kind}  p={v.score:.2f}  "
            f"{len(m.comparison.passages)} passages  direction: {source}  {where}{more}"
        )


@click.command("query")
@click.argument("articles", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
@click.option(
    "--top",
    default=10,
    show_default=True,
    type=click.IntRange(min=1),
    help="Matches shown per article.",
)
@click.option(
    "--format",
    "out",
    type=click.Choice(["terminal", "json", "jsonl"]),
    default="terminal",
    show_default=True,
    help="Output format.",
)
@click.option("--input-format", "fmt", default=None, help="Force the input format.")
def query(articles: tuple[Path, ...], db: Path, top: int, out: str, fmt: str | None) -> None:
    """For each ARTICLE (files or folders), list archived articles it reuses, ranked."""
    from retold.pipeline.archive import query_paths

    results = query_paths(list(articles), db, top=top, format=fmt, on_error=_skip)
    if out == "jsonl":
        for r in results:
            click.echo(json.dumps(_result_dict(r), ensure_ascii=False))
    elif out == "json":
        click.echo(json.dumps([_result_dict(r) for r in results], ensure_ascii=False, indent=2))
    else:
        for r in results:
            _render_terminal(r, click.echo)


COMMANDS = [index, query]
