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

from retold.cli.errors import SKIPPED, finish, is_failure
from retold.cli.options import column_option, input_format_option
from retold.cli.progress import ProgressBar, db_option
from retold.errors import InputError

__all__ = ["COMMANDS", "index", "query"]

_EPILOG = (
    f"Every path is read before the command ends; each file or record that cannot be read is "
    f"named on stderr and skipped. Exit code 0 when all was read, {SKIPPED} when some input "
    "was skipped (files and records with no text at all are named but do not count), 3 when "
    "nothing could be read (see `retold --help` for all codes)."
)


class _Skips:
    """Reports each skipped input on stderr as it is met, and keeps them for the exit code."""

    def __init__(self) -> None:
        self.errors: list[InputError] = []

    def __call__(self, error: InputError) -> None:
        self.errors.append(error)
        click.echo(f"retold: skipped: {error}", err=True)

    def summary(self) -> str:
        empty = sum(1 for e in self.errors if not is_failure(e))
        return f"{len(self.errors)} skipped" + (f" ({empty} with no text)" if empty else "")


@click.command("index", epilog=_EPILOG)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
@input_format_option("--format")
@column_option
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Progress bar on stderr (default: when stderr is a terminal).",
)
def index(
    paths: tuple[Path, ...], db: Path, fmt: str | None, mapping: Any, progress: bool | None
) -> None:
    """Read PATHS (files or folders) into the archive DB; re-running skips what is stored."""
    from retold.pipeline.archive import index as run_index

    bar = ProgressBar(progress, "indexing", unit="B")
    skips = _Skips()

    def report_progress(p: Any) -> None:
        bar.update(p.bytes_done, p.bytes_total, articles=p.articles, errors=p.errors)

    try:
        report = run_index(
            list(paths), db, format=fmt, mapping=mapping, progress=report_progress, on_error=skips
        )
    finally:
        bar.close()
    t = report.timings
    click.echo(
        f"read {report.read} articles: {report.added} added, {report.duplicates} already stored, "
        f"{skips.summary()}; archive holds {report.total} "
        f"(read {t.read:.1f}s, fingerprint {t.fingerprint:.1f}s, store {t.store:.1f}s)",
        err=True,
    )
    finish(report.read, skips.errors, "no article could be read from the given paths")


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
                "source_prior": round(m.source_prior, 4),
                "versions": _versions_dict(m.versions),
                "comparison": to_dict(m.comparison),
            }
            for m in result.matches
        ],
    }


def _versions_dict(group: Any) -> dict[str, Any] | None:
    from retold.report.jsonout import evidence_dict

    if group is None:
        return None
    v = group.verdict
    return {
        "ids": list(group.ids),
        "labels": list(group.labels),
        "relation": v.relation.value,
        "kind": v.kind.value if v.kind is not None else None,
        "score": round(v.score, 4),
        "source": group.direction.source.value,
        "confidence": round(group.direction.confidence, 4),
        "evidence": [evidence_dict(e) for e in group.direction.evidence],
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
        # A wire version's own direction rests on one take; its versions joined are the story.
        d = m.comparison.direction if m.versions is None else m.versions.direction
        source = {"a": "query first", "b": "archived first"}.get(d.source.value, d.source.value)
        echo(
            f"  {n:>2}. {v.relation.value}{kind}  p={v.score:.2f}  "
            f"{len(m.comparison.passages)} passages  direction: {source}  {where}{more}"
        )
        if m.versions is not None:
            g = m.versions.verdict
            echo(
                f"      one of {len(m.versions.ids)} versions from its outlet that day; "
                f"joined: {g.relation.value} p={g.score:.2f} (ranked and directed by these)"
            )
            last = m.versions.direction.evidence[-1:]
            if last and last[0].cue == "joined":
                echo(f"      direction unknown: {last[0].detail}")


@click.command("query", epilog=_EPILOG)
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
@input_format_option("--input-format")
@column_option
def query(
    articles: tuple[Path, ...], db: Path, top: int, out: str, fmt: str | None, mapping: Any
) -> None:
    """For each ARTICLE (files or folders), list archived articles it reuses, ranked."""
    from retold.errors import EmptyInputError
    from retold.pipeline.archive import query_paths

    skips = _Skips()
    try:
        results = query_paths(
            list(articles), db, top=top, format=fmt, mapping=mapping, on_error=skips
        )
    except EmptyInputError:
        finish(0, skips.errors, "no query article could be read")
        raise
    if out == "jsonl":
        for r in results:
            click.echo(json.dumps(_result_dict(r), ensure_ascii=False))
    elif out == "json":
        click.echo(json.dumps([_result_dict(r) for r in results], ensure_ascii=False, indent=2))
    else:
        for r in results:
            _render_terminal(r, click.echo)
    finish(len(results), skips.errors, "no query article could be read")


COMMANDS = [index, query]
