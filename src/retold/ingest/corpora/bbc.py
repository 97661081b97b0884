"""BBC News (Greene & Cunningham, 2006): ``<topic>/<nnn>.txt``, first line the title.

Example:
    >>> sorted(TOPICS)
    ['business', 'entertainment', 'politics', 'sport', 'tech']
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from retold.config import ReadOptions
from retold.errors import InputError
from retold.ingest.decode import decode_bytes, read_limited
from retold.ingest.plaintext import parse_text_article
from retold.model import Article

__all__ = ["TOPICS", "read_bbc"]

TOPICS = frozenset({"business", "entertainment", "politics", "sport", "tech"})
"""The five topic folders of the corpus."""

_DEFAULT = ReadOptions()


def read_bbc(root: Path, options: ReadOptions = _DEFAULT) -> Iterator[Article | InputError]:
    """Read every story of the BBC News corpus, topic by topic, file by file (sorted).

    Args:
        root: The corpus folder (holding ``business/``, ``sport/``, ...).
        options: Size bound and encoding (one file is cp1252, the rest UTF-8).

    Yields:
        One :class:`Article` per file (title from the first line, outlet ``"BBC"``, body
        spanning the story after the title), or an :class:`InputError` for a file that cannot
        be read.
    """
    topics = sorted(p for p in Path(root).iterdir() if p.is_dir() and p.name in TOPICS)
    if not topics:
        yield InputError("not a BBC News corpus folder (no topic folders)", source=str(root))
        return
    for topic in topics:
        for path in sorted(topic.glob("*.txt")):
            source = str(path)
            try:
                data = read_limited(path, limit=options.max_bytes)
                text = decode_bytes(data, source=source, options=options)
                yield parse_text_article(text, source=source, header="title", outlet="BBC")
            except InputError as exc:
                yield exc
