"""Score retold on any file of labelled article pairs (``retold eval pairs FILE``).

The METER, Clough–Stevenson and MSRP evaluations read those corpora's own layouts; this one
reads a plain list, so a newsroom can measure retold on its own cases. One pair per line, paths
relative to the file's folder (each side read like ``retold compare`` reads it, ``FILE#N``
allowed):

* TSV: ``A<TAB>B<TAB>relation[<TAB>kind[<TAB>source]]``, ``-`` for a column left open;
* JSON Lines: ``{"a": ..., "b": ..., "relation": ..., "kind": ..., "source": ...}``.

``relation`` is one of ``unrelated``, ``same_story``, ``partially_derived``,
``wholly_derived``; ``kind`` (``verbatim``, ``light``, ``heavy``) and ``source`` (``a``, ``b``,
``shared``) are optional and scored only where given. Blank lines and ``#`` comments are
skipped. A malformed line or an unreadable article is reported with its line and scored as
nothing; the other pairs still run.

Scores: 4-way relation accuracy and macro-F1, derived-vs-not F1, rewrite kind on the pairs whose
gold names one and which retold judged derived, and direction on the gold-derived pairs with a
gold source (``shared`` is right only for ``shared``; ``unknown`` is counted apart).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from retold.errors import FormatError, InputError, RetoldError
from retold.eval.metrics import ClassScores, f1_scores
from retold.ingest.decode import STDIN
from retold.ingest.detect import read_article
from retold.ingest.pairlist import locate, pair_lines
from retold.model import Article, Comparison, Relation, RewriteKind, Source
from retold.pipeline import Comparer

__all__ = ["LabelledPair", "LabelledResult", "evaluate_labelled", "read_labelled"]

RELATIONS = tuple(r.value for r in Relation)
_E = TypeVar("_E", Relation, RewriteKind, Source)


@dataclass(frozen=True, slots=True)
class LabelledPair:
    """One labelled pair of a pairs file.

    Attributes:
        line: Line number in the file (1-based).
        a: Path of side a as written (relative to the file's folder unless absolute).
        b: Path of side b.
        relation: Gold relation.
        kind: Gold rewrite kind, if the file gives one (derived pairs only).
        source: Gold direction (a, b or shared), if the file gives one.
    """

    line: int
    a: str
    b: str
    relation: Relation
    kind: RewriteKind | None = None
    source: Source | None = None


@dataclass(frozen=True, slots=True)
class LabelledResult:
    """Scores of a labelled-pairs run.

    Attributes:
        relation: 4-way scores over the relations, in ``Relation`` order.
        binary: Derived / not derived scores.
        kind: Rewrite-kind scores over pairs with a gold kind that retold judged derived.
        direction: ``correct`` / ``wrong`` / ``unknown`` counts over gold-derived pairs with a
            gold source that retold judged derived.
        pairs: Each scored pair: line, paths, gold and predicted answers, P(derived).
        skipped: Lines that could not be scored, each an error naming the file, line and why.
        seconds: Wall time (reading, comparing, scoring).
    """

    relation: ClassScores
    binary: ClassScores
    kind: ClassScores
    direction: dict[str, int]
    pairs: tuple[dict[str, object], ...]
    skipped: tuple[InputError, ...]
    seconds: float

    def as_dict(self, *, with_pairs: bool = True) -> dict[str, object]:
        """Plain data for JSON output."""
        out: dict[str, object] = {
            "dataset": "labelled-pairs",
            "items": len(self.pairs),
            "relation": self.relation.as_dict(),
            "binary": self.binary.as_dict(),
            "binary_f1_derived": round(self.binary.f1[0], 4),
            "kind": self.kind.as_dict(),
            "direction": self.direction,
            "skipped": [str(e) for e in self.skipped],
            "seconds": round(self.seconds, 2),
        }
        if with_pairs:
            out["pairs"] = list(self.pairs)
        return out


def _enum(kind: type[_E], value: object) -> _E | None:
    if value in (None, "", "-"):
        return None
    try:
        return kind(str(value).strip())
    except ValueError:
        names = ", ".join(m.value for m in kind)
        raise ValueError(f"{value!r} is not one of {names}") from None


def _parse(line: str) -> tuple[str, str, object, object, object]:
    if line.lstrip().startswith("{"):
        rec = json.loads(line)
        if not isinstance(rec, dict):
            raise ValueError("a JSON line must be an object")
        missing = [key for key in ("a", "b") if key not in rec]
        if missing:
            raise ValueError(f"the JSON object has no {' or '.join(map(repr, missing))}")
        return rec["a"], rec["b"], rec.get("relation"), rec.get("kind"), rec.get("source")
    cols = [c.strip() for c in line.split("\t")]
    if len(cols) < 3 or len(cols) > 5:
        raise ValueError("expected A, B, relation and optionally kind and source, tab-separated")
    cols += ["-"] * (5 - len(cols))
    return cols[0], cols[1], cols[2], cols[3], cols[4]


def read_labelled(path: Path) -> list[LabelledPair | InputError]:
    """The labelled pairs of a file, with a :class:`FormatError` in place of each bad line.

    Raises:
        InputError: The file cannot be read, or holds no pairs.
    """
    source = str(path)
    items: list[LabelledPair | InputError] = []
    for n, line in pair_lines(path):
        try:
            a, b, relation, kind, direction = _parse(line)
            gold = _enum(Relation, relation)
            if gold is None:
                raise ValueError("the relation is missing")
            rewrite = _enum(RewriteKind, kind)
            if rewrite is not None and not gold.derived:
                raise ValueError(f"a rewrite kind is given for a {gold.value} pair")
            pair = LabelledPair(n, str(a), str(b), gold, rewrite, _enum(Source, direction))
            if pair.source is Source.UNKNOWN:
                raise ValueError("the gold source must be a, b or shared")
        except (ValueError, TypeError) as exc:
            items.append(FormatError(str(exc), source=source, record=n))
            continue
        items.append(pair)
    return items


def _article(name: str, base: Path) -> Article:
    """One side of a pair, read afresh each time.

    The comparer keeps recently prepared articles, so a file named in many pairs is read
    again but prepared once while it stays recent; nothing grows with the file's length.
    """
    if name == STDIN:
        raise InputError("- (stdin) cannot be read in a pairs file")
    path, record = locate(name, base)
    return read_article(path, record=record)


def _direction_answer(gold: Source, found: Source) -> str:
    if found is Source.UNKNOWN:
        return "unknown"
    return "correct" if found is gold else "wrong"


def _row(pair: LabelledPair, result: Comparison) -> dict[str, object]:
    verdict = result.verdict
    return {
        "line": pair.line,
        "a": pair.a,
        "b": pair.b,
        "relation": pair.relation.value,
        "predicted": verdict.relation.value,
        "kind": pair.kind.value if pair.kind else None,
        "predicted_kind": verdict.kind.value if verdict.kind else None,
        "source": pair.source.value if pair.source else None,
        "predicted_source": result.direction.source.value,
        "score": verdict.score,
    }


def evaluate_labelled(path: Path, comparer: Comparer | None = None) -> LabelledResult:
    """Compare every labelled pair of ``path`` and score the answers.

    Args:
        path: A TSV or JSON Lines file of labelled pairs (see the module docs).
        comparer: The comparer to use (default options when None).

    Returns:
        The scores, each pair's answers, and the lines that could not be scored.

    Raises:
        InputError: The pairs file cannot be read or holds no pairs.
    """
    start = time.perf_counter()
    comparer = comparer or Comparer()
    rows: list[dict[str, object]] = []
    skipped: list[InputError] = []
    direction = {"correct": 0, "wrong": 0, "unknown": 0}
    for item in read_labelled(path):
        if isinstance(item, InputError):
            skipped.append(item)
            continue
        try:
            a = comparer.prepared(_article(item.a, path.parent))
            b = comparer.prepared(_article(item.b, path.parent))
        except RetoldError as exc:
            skipped.append(InputError(str(exc), source=str(path), record=item.line))
            continue
        result = comparer.compare(a, b)
        rows.append(_row(item, result))
        if item.source is not None and item.relation.derived and result.verdict.relation.derived:
            direction[_direction_answer(item.source, result.direction.source)] += 1
    gold = [str(r["relation"]) for r in rows]
    pred = [str(r["predicted"]) for r in rows]
    derived = {Relation.PARTIALLY_DERIVED.value, Relation.WHOLLY_DERIVED.value}
    binary = f1_scores(
        ["derived" if g in derived else "not" for g in gold],
        ["derived" if p in derived else "not" for p in pred],
        ("derived", "not"),
    )
    kinds = [r for r in rows if r["kind"] is not None and r["predicted_kind"] is not None]
    kind = f1_scores(
        [str(r["kind"]) for r in kinds],
        [str(r["predicted_kind"]) for r in kinds],
        tuple(k.value for k in RewriteKind),
    )
    return LabelledResult(
        f1_scores(gold, pred, RELATIONS),
        binary,
        kind,
        direction,
        tuple(rows),
        tuple(skipped),
        time.perf_counter() - start,
    )
