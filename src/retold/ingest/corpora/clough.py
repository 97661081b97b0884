"""Clough & Stevenson (2011) corpus of plagiarised short answers, tasks a–e.

``file_information.csv`` lists ``File,Task,Category``; the source of every answer to task ``x``
is ``orig_task<x>.txt``. Answer files come in mixed encodings (UTF-8, cp1252), so each is read
through :func:`~retold.ingest.decode.decode_bytes`.

Example:
    >>> sorted(CATEGORIES)
    ['cut', 'heavy', 'light', 'non']
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, cast

from retold.config import ReadOptions
from retold.errors import FormatError
from retold.ingest.decode import decode_bytes, read_limited
from retold.ingest.plaintext import parse_text_article
from retold.model import Article

__all__ = ["CATEGORIES", "CloughItem", "load_clough"]

Category = Literal["cut", "light", "heavy", "non"]
CATEGORIES: frozenset[str] = frozenset({"cut", "light", "heavy", "non"})
"""Answer categories: copy-paste, light revision, heavy revision, written independently."""

_OPTIONS = ReadOptions()


@dataclass(frozen=True, slots=True)
class CloughItem:
    """One answer and the source text it was (or was not) derived from.

    Attributes:
        answer: The student's answer.
        source: The Wikipedia source text of the task (shared by all answers to the task).
        task: Task letter, ``a`` to ``e``.
        category: ``cut``, ``light``, ``heavy`` or ``non``.
    """

    answer: Article
    source: Article
    task: str
    category: Category


def _read(path: Path) -> Article:
    source = str(path)
    data = read_limited(path, limit=_OPTIONS.max_bytes)
    return parse_text_article(decode_bytes(data, source=source), source=source, header="none")


def load_clough(root: Path, tasks: str = "abc") -> tuple[CloughItem, ...]:
    """Load the answers to the given tasks with their sources and categories.

    Args:
        root: The corpus folder (holding ``file_information.csv``).
        tasks: Task letters to keep (the shared data has tasks a–c).

    Returns:
        One item per answer file, in the order of ``file_information.csv``.

    Raises:
        InputError: A listed file is missing or unreadable.
        FormatError: ``file_information.csv`` has an unknown category or a malformed row.
    """
    root = Path(root)
    index = root / "file_information.csv"
    table = decode_bytes(read_limited(index, limit=_OPTIONS.max_bytes), source=str(index))
    sources: dict[str, Article] = {}
    items: list[CloughItem] = []
    rows = csv.reader(io.StringIO(table, newline=""))
    for number, row in enumerate(rows, start=1):
        if number == 1 or not row:
            continue
        if len(row) != 3:
            raise FormatError("expected File,Task,Category", source=str(index), record=number)
        name, task, category = (cell.strip() for cell in row)
        if task not in tasks or category == "orig":
            continue
        if category not in CATEGORIES:
            raise FormatError(f"unknown category {category!r}", source=str(index), record=number)
        if task not in sources:
            sources[task] = _read(root / f"orig_task{task}.txt")
        items.append(CloughItem(_read(root / name), sources[task], task, cast(Category, category)))
    return tuple(items)
