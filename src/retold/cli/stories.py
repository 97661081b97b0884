"""``retold stories``: the archive as stories, with reuse graphs and per-outlet figures.

A thin adapter: one call to :func:`retold.pipeline.stories.stories`, then a renderer. The
terminal summary lists the stories of two or more articles with their members' origins (the
likely origin first) and the per-outlet figures; ``--format`` picks JSON, GraphML or the HTML
overview, whose edges link to side-by-side pages written with ``--pages``.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from retold.cli.options import output_option
from retold.cli.output import check_folder, write_output
from retold.cli.progress import ProgressBar, db_option

__all__ = ["COMMANDS", "stories"]

_SAFE_ID = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


def pair_page(a: str, b: str) -> str:
    """File name of the side-by-side page of two articles (ids kept when file-name safe)."""
    if _SAFE_ID.match(a) and _SAFE_ID.match(b):
        return f"{a}--{b}.html"
    return "pair-" + hashlib.sha256(f"{a}\n{b}".encode()).hexdigest()[:20] + ".html"


def _origins(result: Any, aid: str) -> str:
    found = result.origins.get(aid, ())
    shown = ", ".join(str(o) for o in found[:2]) or aid
    return shown + (f" (+{len(found) - 2} more)" if len(found) > 2 else "")


def _first_origin(result: Any, aid: str) -> str:
    found = result.origins.get(aid, ())
    return str(found[0]) if found else aid[:8]


def _summary(result: Any, limit: int, echo: Callable[[str], None]) -> None:
    smap, t = result.stories, result.timings
    multi = [s for s in smap.stories if len(s) > 1]
    edges = sum(len(s.edges) for s in multi)
    echo(
        f"{len(result.articles)} articles: {len(multi)} stories of two or more "
        f"({sum(len(s) for s in multi)} articles, {edges} edges), "
        f"{len(smap.stories) - len(multi)} stand alone"
    )
    echo(
        f"{t.candidate_pairs} candidate pairs, {t.compared_pairs} compared "
        f"({t.cached_pairs} from the cache) in {t.total:.1f}s"
    )
    for n, story in enumerate(multi[:limit], 1):
        origin = result.articles[story.origin_id]
        title = f"  {origin.title}" if origin.title else ""
        echo(f"\n{n:>3}. {story.id}  {len(story)} articles{title}")
        echo(f"     origin: {_origins(result, story.origin_id)}  ({story.origin_reason})")
        into: dict[str, str] = {}
        for e in story.edges:
            if e.directed:
                kind = f" {e.kind.value}" if e.kind is not None else ""
                into.setdefault(e.b, f"{e.relation.value}{kind} from {_first_origin(result, e.a)}")
        for aid in story.article_ids:
            if aid == story.origin_id:
                continue
            how = into.get(aid, "same story")
            echo(f"     - {_origins(result, aid)}  [{how}]")
    if len(multi) > limit:
        echo(f"\n... {len(multi) - limit} more stories (--limit, or --format json)")
    echo("\noutlets (articles, retold from others, retold by others):")
    for f in smap.outlets:
        name = f.outlet if f.outlet is not None else "(no outlet)"
        sources = ", ".join(f"{c.outlet or '(no outlet)'} {c.articles}" for c in f.sources[:3])
        echo(
            f"  {name:<24} {f.articles:>6}  {f.retold:>5} ({f.retold_share:5.1%})"
            f"  {f.retold_by_others:>5} ({f.retold_by_others_share:5.1%})"
            + (f"  from: {sources}" if sources else "")
        )


def _write_pages(db: Path, result: Any, pages: Path) -> dict[tuple[str, str], str]:
    from retold.pipeline.stories import edge_comparisons
    from retold.report import render_html

    pages.mkdir(parents=True, exist_ok=True)
    written: dict[tuple[str, str], str] = {}
    for (a, b), comp in edge_comparisons(db, result).items():
        name = pair_page(a, b)
        (pages / name).write_text(render_html(comp), encoding="utf-8")
        written[(a, b)] = name
    return written


@click.command("stories")
@db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["terminal", "json", "graphml", "html"]),
    default="terminal",
    show_default=True,
    help="Output format.",
)
@output_option("Write to FILE (replaced only when the command succeeds).")
@click.option(
    "--pages",
    type=click.Path(file_okay=False, path_type=Path),
    callback=check_folder,
    help="With --format html: write a side-by-side page per drawn edge into DIR and link it.",
)
@click.option("--singletons", is_flag=True, help="JSON/GraphML: also list lone articles.")
@click.option(
    "--limit", default=20, show_default=True, type=click.IntRange(min=0), help="Stories shown."
)
@click.option("--workers", type=click.IntRange(min=1), help="Compare processes (default: cores).")
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Progress bar on stderr (default: when stderr is a terminal).",
)
def stories(
    db: Path,
    fmt: str,
    output: Path | None,
    pages: Path | None,
    singletons: bool,
    limit: int,
    workers: int | None,
    progress: bool | None,
) -> None:
    """Cluster the archive DB into stories: who retold whom, and per-outlet figures."""
    from retold.pipeline.stories import StoriesOptions
    from retold.pipeline.stories import stories as run_stories

    if pages is not None and fmt != "html":
        raise click.UsageError("--pages needs --format html")
    bar = ProgressBar(progress, "comparing")
    try:
        result = run_stories(
            db,
            options=StoriesOptions(workers=workers),
            progress=lambda p: bar.update(p.done, p.total),
        )
    finally:
        bar.close()
    if fmt == "terminal":
        lines: list[str] = []
        _summary(result, limit, lines.append)
        text = "\n".join(lines) + "\n"
    elif fmt == "json":
        from retold.report.stories import render_stories_json

        text = render_stories_json(result.stories, result.articles, include_singletons=singletons)
    elif fmt == "graphml":
        from retold.report.stories import render_graphml

        text = render_graphml(result.stories, result.articles, include_singletons=singletons)
    else:
        from retold.report.stories import render_stories_html

        link = None
        if pages is not None:
            names = _write_pages(db, result, pages)
            base = output.resolve().parent if output is not None else Path.cwd()
            rel = Path(os.path.relpath(pages.resolve(), base))

            def link(a: str, b: str) -> str:
                name = names.get((a, b)) or names.get((b, a)) or pair_page(a, b)
                return (rel / name).as_posix()

        text = render_stories_html(result.stories, result.articles, pair_link=link)
    write_output(output, text)
    if output is not None:
        click.echo(f"wrote {output}", err=True)


COMMANDS = [stories]
