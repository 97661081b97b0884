"""Words shared by the terminal and HTML reports."""

from __future__ import annotations

from retold.model import Comparison, Source

__all__ = ["direction_phrase"]


def direction_phrase(c: Comparison) -> str:
    """What the direction says, in words that do not contradict the relation.

    A source is only named as such when one article is retold from the other; for two tellings
    of one story judged independent, the side the evidence (dates, credit lines) puts first
    is said to have come first.
    """
    d = c.direction
    if d.source is Source.SHARED:
        return "both draw on a shared source"
    if d.source is Source.UNKNOWN:
        return "source unknown" if c.verdict.relation.derived else "order unknown"
    if c.verdict.relation.derived:
        return f"{d.source.value} is the source"
    return f"{d.source.value} came first"
