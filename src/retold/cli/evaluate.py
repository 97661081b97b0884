"""``retold eval``: run the shipped pipeline over a labelled data set and print its scores."""

from __future__ import annotations

import json
from pathlib import Path

import click

from retold.config import CompareOptions

__all__ = ["COMMANDS", "eval_group"]

_FORMAT = click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text")
_EMBEDDER = click.option(
    "--embedder", type=click.Choice(("static", "minilm")), default="static", show_default=True
)


def _print(result: dict[str, object], fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(result, indent=2))
        return
    for key, value in result.items():
        if isinstance(value, dict):
            click.echo(f"{key}:")
            for k, v in value.items():
                click.echo(f"  {k}: {v}")
        else:
            click.echo(f"{key}: {value}")


@click.group("eval")
def eval_group() -> None:
    """Score retold on a labelled corpus laid out as in ../shared/data, or on your own pairs."""


@eval_group.command("meter")
@click.argument("root", type=click.Path(exists=True, file_okay=False, path_type=Path))
@_FORMAT
@_EMBEDDER
def eval_meter(root: Path, fmt: str, embedder: str) -> None:
    """METER courts: 3-way (wholly/partially/non) macro-F1, derived-class F1 and direction.

    Direction is counted against the joined PA copy and against each single PA take.
    """
    from retold.eval.meter import evaluate_meter
    from retold.pipeline import Comparer

    comparer = Comparer(CompareOptions(embedder=embedder))  # type: ignore[arg-type]
    _print(evaluate_meter(root, comparer).as_dict(), fmt)


@eval_group.command("meter-words")
@click.argument("root", type=click.Path(exists=True, file_okay=False, path_type=Path))
@_FORMAT
@_EMBEDDER
def eval_meter_words(root: Path, fmt: str, embedder: str) -> None:
    """METER courts, word-annotated papers: retold's passages against the annotators' tags.

    Prints the share of verbatim, rewritten and new words inside a passage, the share of
    aligned words traced to PA, retold's 3-way scores on those papers, and the best 3-way score
    a two-cut rule on the annotated shares reaches (fitted on the same papers).
    """
    from retold.eval.meter_words import evaluate_meter_words
    from retold.pipeline import Comparer

    comparer = Comparer(CompareOptions(embedder=embedder))  # type: ignore[arg-type]
    _print(evaluate_meter_words(root, comparer).as_dict(), fmt)


@eval_group.command("fact-edits")
@click.argument("root", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--limit", type=click.IntRange(min=1), help="Only the first N derived papers.")
@_FORMAT
@_EMBEDDER
def eval_fact_edits(root: Path, limit: int | None, fmt: str, embedder: str) -> None:
    """METER courts, planted fact changes: does the fact diff report them changed?

    In each derived paper one number, one person's surname, one quotation and one speaker
    that PA states too are altered; prints, by kind, how many the diff reports changed with
    both spans right, paired elsewhere, apart (only in one side each) or missed.
    """
    from retold.eval.fact_edits import evaluate_fact_edits
    from retold.pipeline import Comparer

    comparer = Comparer(CompareOptions(embedder=embedder))  # type: ignore[arg-type]
    _print(evaluate_fact_edits(root, comparer, limit=limit).as_dict(), fmt)


@eval_group.command("clough")
@click.argument("root", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--tasks", default="abc", show_default=True, help="Tasks to include.")
@_FORMAT
@_EMBEDDER
def eval_clough(root: Path, tasks: str, fmt: str, embedder: str) -> None:
    """Clough–Stevenson: 4-way (cut/light/heavy/non) accuracy."""
    from retold.eval.clough import evaluate_clough
    from retold.pipeline import Comparer

    comparer = Comparer(CompareOptions(embedder=embedder))  # type: ignore[arg-type]
    _print(evaluate_clough(root, comparer, tasks).as_dict(), fmt)


@eval_group.command("msrp")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--folds", default=10, show_default=True)
@_FORMAT
@click.option(
    "--embedder", type=click.Choice(("static", "minilm")), default="minilm", show_default=True
)
def eval_msrp(path: Path, folds: int, fmt: str, embedder: str) -> None:
    """MSRP train: cross-validated paraphrase accuracy and F1 of the sentence-pair scorer."""
    from retold.eval.msrp import evaluate_msrp

    _print(evaluate_msrp(path, embedder, folds=folds).as_dict(), fmt)  # type: ignore[arg-type]


@eval_group.command("pairs")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@_FORMAT
@_EMBEDDER
def eval_pairs(path: Path, fmt: str, embedder: str) -> None:
    """Your own labelled pairs: relation, rewrite kind and direction scores.

    PATH is a TSV (A, B, relation[, kind[, source]]; - for none) or JSON Lines file
    ({"a", "b", "relation", "kind", "source"}) of article paths relative to it. JSON output
    also gives each pair's answers; text output lists the pairs judged wrong. Exit code 8 when
    some lines could not be scored (each named on stderr).
    """
    from retold.cli.errors import finish
    from retold.eval.labelled import evaluate_labelled
    from retold.pipeline import Comparer

    comparer = Comparer(CompareOptions(embedder=embedder))  # type: ignore[arg-type]
    result = evaluate_labelled(path, comparer)
    for error in result.skipped:
        click.echo(f"retold: error: {error}", err=True)
    _print(result.as_dict(with_pairs=fmt == "json"), fmt)
    if fmt != "json":
        wrong = [p for p in result.pairs if p["relation"] != p["predicted"]]
        click.echo(f"judged wrong: {len(wrong)}")
        for p in wrong:
            click.echo(
                f"  line {p['line']}: {p['a']} / {p['b']}: {p['relation']}, "
                f"judged {p['predicted']} (P(derived) {p['score']})"
            )
    finish(
        len(result.pairs), list(result.skipped), "no labelled pair could be scored", empty_ok=False
    )


COMMANDS = [eval_group]
