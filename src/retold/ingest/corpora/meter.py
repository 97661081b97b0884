"""METER corpus, courts domain: Press Association copy and the newspaper stories written from it.

Layout (see ``shared/data/README.md``)::

    PA/rawtexts/courts/<DD.MM.YY>/<catchline>/*.txt            PA versions of a story
    newspapers/rawtexts/courts/<DD.MM.YY>/<catchline>/<name><n>_<paper>.txt
    file_index/courts/{wholly,partially,non}_derived.txt      labels of the newspaper files

Text is ISO-8859-1. PA files open with a wire header (rules of dashes, a slug line) and a
headline ending in ``<``; the headline becomes the title and the body starts after it.

Example:
    >>> _iso_date("01.03.00"), _iso_date("12.07.99")
    ('2000-03-01', '1999-07-12')
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Literal

from retold.config import ReadOptions
from retold.errors import FormatError, InputError
from retold.ingest.decode import decode_bytes, read_limited
from retold.ingest.plaintext import parse_text_article
from retold.model import Article, Origin, Span

__all__ = ["LABELS", "MeterCorpus", "MeterItem", "iter_meter", "load_meter"]

Label = Literal["wholly", "partially", "non"]
LABELS: tuple[Label, ...] = ("wholly", "partially", "non")
"""Document-level derivation labels, strongest first."""

_OPTIONS = ReadOptions(encoding="iso-8859-1")
_PA = Path("PA/rawtexts/courts")
_NEWS = Path("newspapers/rawtexts/courts")
_INDEX = Path("file_index/courts")
_NEWS_FILE = re.compile(r"(?P<name>.*?)(?P<n>\d+)_(?P<paper>[a-z]+)\.txt")
_DATE_DIR = re.compile(r"(\d{2})\.(\d{2})\.(\d{2})")
_RULE = re.compile(r"[ \t]*-{10,}[ \t]*\r?$", re.MULTILINE)
_HEADLINE = re.compile(r"\s*(?P<title>\S[^\r\n]*?)[ \t<]*(?:\r\n|\r|\n)")
_NONSPACE = re.compile(r"\S")
# The PA wire header (two rules, a slug line, a rule) ends within the first ~400 characters.
_HEADER_CHARS = 600


@dataclass(frozen=True, slots=True)
class MeterItem:
    """One newspaper story with its place in the corpus.

    Attributes:
        article: The story (outlet = paper, date from its folder).
        date: ISO date of the court day (from the ``DD.MM.YY`` folder).
        catchline: The story's catchline (its folder name).
        paper: Paper name from the file name (``times``, ``sun``, ...).
        label: ``wholly``, ``partially`` or ``non`` derived from PA; ``None`` if unlabelled.
    """

    article: Article
    date: str
    catchline: str
    paper: str
    label: Label | None


@dataclass(frozen=True, slots=True)
class MeterCorpus:
    """The loaded corpus.

    Attributes:
        pa: PA versions of each story, keyed by (ISO date, catchline).
        newspapers: Newspaper stories in sorted path order.
        unresolved: Label index lines that named no file in this folder.
        errors: Files that could not be read.
    """

    pa: Mapping[tuple[str, str], tuple[Article, ...]]
    newspapers: tuple[MeterItem, ...]
    unresolved: tuple[str, ...] = ()
    errors: tuple[InputError, ...] = ()

    def sources(self, item: MeterItem) -> tuple[Article, ...]:
        """The PA candidate sources of a newspaper story (same day, same catchline)."""
        return self.pa.get((item.date, item.catchline), ())


def _iso_date(folder: str) -> str:
    m = _DATE_DIR.fullmatch(folder)
    if m is None:
        raise FormatError(f"date folder {folder!r} is not DD.MM.YY")
    day, month, year = m.groups()
    century = "19" if int(year) >= 50 else "20"
    return f"{century}{year}-{month}-{day}"


def _stories(base: Path) -> Iterator[tuple[str, str, Path]]:
    """(ISO date, catchline, file) for every story file under ``base``, sorted."""
    if not base.is_dir():
        raise InputError("not a METER corpus folder (missing)", source=str(base))
    for day in sorted(p for p in base.iterdir() if p.is_dir()):
        iso = _iso_date(day.name)
        for catch in sorted(p for p in day.iterdir() if p.is_dir()):
            for path in sorted(p for p in catch.iterdir() if p.is_file()):
                if not path.name.startswith(".") and not path.name.endswith("~"):
                    yield iso, catch.name, path


def _read_pa(path: Path, date: str, options: ReadOptions) -> Article:
    source = str(path)
    text = decode_bytes(read_limited(path, limit=options.max_bytes), source=source, options=options)
    rules = list(_RULE.finditer(text, 0, _HEADER_CHARS))
    if rules:
        headline = _HEADLINE.match(text, rules[-1].end() + 1)
        if headline is not None:
            after = _NONSPACE.search(text, headline.end())
            if after is not None:
                return Article.from_text(
                    text,
                    title=headline.group("title"),
                    date=date,
                    outlet="PA",
                    origin=Origin(source),
                    body=Span(after.start(), len(text.rstrip())),
                )
    return parse_text_article(text, source=source, date=date, outlet="PA")


def _read_news(path: Path, date: str, paper: str, options: ReadOptions) -> Article:
    source = str(path)
    text = decode_bytes(read_limited(path, limit=options.max_bytes), source=source, options=options)
    return parse_text_article(text, source=source, header="none", date=date, outlet=paper)


def _labels(root: Path) -> tuple[dict[Path, Label], tuple[str, ...]]:
    labels: dict[Path, Label] = {}
    unresolved: list[str] = []
    for label in LABELS:
        index = root / _INDEX / f"{label}_derived.txt"
        raw = read_limited(index, limit=_OPTIONS.max_bytes)
        for line in decode_bytes(raw, source=str(index), options=_OPTIONS).splitlines():
            entry = line.strip()
            if not entry:
                continue
            relative = entry.lstrip("/").removeprefix("meter_corpus/")
            path = root / relative
            if path.is_file():
                labels[path] = label
            else:
                unresolved.append(entry)
    return labels, tuple(unresolved)


def _with_latin1(options: ReadOptions) -> ReadOptions:
    return options if options.encoding else replace(options, encoding="iso-8859-1")


def load_meter(root: Path, options: ReadOptions = _OPTIONS) -> MeterCorpus:
    """Load the METER courts corpus: PA sources, newspaper stories and their labels.

    Args:
        root: The ``meter`` folder (holding ``PA/``, ``newspapers/``, ``file_index/``).
        options: Size bound; the encoding defaults to ISO-8859-1.

    Returns:
        The corpus. Files that cannot be read are listed in ``errors``; label index lines
        that name no file are listed in ``unresolved``.

    Raises:
        InputError: The label index files are missing or unreadable.
        FormatError: A date folder is not named ``DD.MM.YY``.
    """
    root = Path(root)
    options = _with_latin1(options)
    errors: list[InputError] = []
    pa: dict[tuple[str, str], list[Article]] = {}
    for date, catch, path in _stories(root / _PA):
        try:
            pa.setdefault((date, catch), []).append(_read_pa(path, date, options))
        except InputError as exc:
            errors.append(exc)
    labels, unresolved = _labels(root)
    items: list[MeterItem] = []
    for date, catch, path in _stories(root / _NEWS):
        m = _NEWS_FILE.fullmatch(path.name)
        if m is None:
            errors.append(FormatError("not a <name><n>_<paper>.txt file", source=str(path)))
            continue
        try:
            article = _read_news(path, date, m.group("paper"), options)
        except InputError as exc:
            errors.append(exc)
            continue
        items.append(MeterItem(article, date, catch, m.group("paper"), labels.get(path)))
    return MeterCorpus(
        pa=MappingProxyType({key: tuple(arts) for key, arts in pa.items()}),
        newspapers=tuple(items),
        unresolved=unresolved,
        errors=tuple(errors),
    )


def iter_meter(root: Path, options: ReadOptions = _OPTIONS) -> Iterator[Article | InputError]:
    """Yield every PA and newspaper story of the corpus (for indexing), PA first.

    Args:
        root: The ``meter`` folder.
        options: Size bound; the encoding defaults to ISO-8859-1.

    Yields:
        Articles, or :class:`InputError` values for files that cannot be read.
    """
    root = Path(root)
    options = _with_latin1(options)
    try:
        pa = list(_stories(root / _PA))
        news = list(_stories(root / _NEWS))
    except InputError as exc:
        yield exc
        return
    for date, _, path in pa:
        try:
            yield _read_pa(path, date, options)
        except InputError as exc:
            yield exc
    for date, _, path in news:
        m = _NEWS_FILE.fullmatch(path.name)
        try:
            if m is None:
                raise FormatError("not a <name><n>_<paper>.txt file", source=str(path))
            yield _read_news(path, date, m.group("paper"), options)
        except InputError as exc:
            yield exc
