"""Microsoft Research Paraphrase Corpus: tab-separated sentence pairs with a 0/1 label.

The file is UTF-8 with a BOM and has quote characters inside fields, so lines are split on tabs
with no CSV quoting.

Example:
    >>> MsrpPair(True, "1", "2", "A cat sat.", "A cat was sitting.").label
    True
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from retold.config import ReadOptions
from retold.errors import FormatError
from retold.ingest.decode import decode_bytes, read_limited

__all__ = ["MsrpPair", "load_msrp"]

_COLUMNS = 5
# The training split is about 1 MB; allow generous room for the larger test split.
_MAX_FILE_BYTES = 64_000_000


@dataclass(frozen=True, slots=True)
class MsrpPair:
    """One sentence pair.

    Attributes:
        label: True when annotators judged the two sentences paraphrases.
        id1: Identifier of the first sentence.
        id2: Identifier of the second sentence.
        s1: The first sentence.
        s2: The second sentence.
    """

    label: bool
    id1: str
    id2: str
    s1: str
    s2: str


def load_msrp(path: Path) -> tuple[MsrpPair, ...]:
    """Read an MSRP file (``Quality  #1 ID  #2 ID  #1 String  #2 String`` header).

    Args:
        path: ``msr_paraphrase_train.txt`` or ``msr_paraphrase_test.txt``.

    Returns:
        The pairs in file order.

    Raises:
        InputError: The file is missing, unreadable or not text.
        FormatError: A line without five tab-separated fields or with a label other than 0/1
            (the record is its line number).
    """
    source = str(path)
    data = read_limited(path, limit=_MAX_FILE_BYTES)
    text = decode_bytes(data, source=source, options=ReadOptions(max_bytes=_MAX_FILE_BYTES))
    pairs: list[MsrpPair] = []
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.rstrip("\r")
        if number == 1 or not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) != _COLUMNS or parts[0] not in ("0", "1"):
            raise FormatError(
                f"expected a 0/1 label and {_COLUMNS} tab-separated fields, got {len(parts)}",
                source=source,
                record=number,
            )
        pairs.append(MsrpPair(parts[0] == "1", parts[1], parts[2], parts[3], parts[4]))
    return tuple(pairs)
