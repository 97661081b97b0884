"""Wire versions: several archived articles of one story from one outlet, read as one source.

A news agency files a story several times a day -- a first snap, updates, a fuller lead -- and a
paper writes from all of them. Compared one at a time, each version explains only a part of the
paper, while other papers of the story, written from the same versions, explain more of it and
rank above every version. ``query`` therefore joins the versions among its matches into one text,
compares the query with it, and ranks each version by the better of its own comparison and the
joined one (the versions are named in the result, so the reader sees why).

Versions are matches from the same outlet dated the same day that the compare judges to tell
one story -- any relation but unrelated -- taken transitively.

Example:
    >>> a = Article.from_text("Fire at the mill.", outlet="PA", date="1999-07-12")
    >>> b = Article.from_text("Fire at the old mill.", outlet="PA", date="1999-07-12")
    >>> joined_versions([b, a]) == joined_versions([a, b])
    True
    >>> sorted(joined_versions([a, b]).text.splitlines())
    ['', 'Fire at the mill.', 'Fire at the old mill.']
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from retold.model import Article, Direction, Relation, Verdict
from retold.provenance.clusters import days_apart

__all__ = ["VersionGroup", "joined_versions", "version_groups"]


@dataclass(frozen=True, slots=True)
class VersionGroup:
    """The versions a match belongs to, compared with the query as one joined text.

    Attributes:
        ids: The versions' article ids, in the order they were joined.
        date: The earliest version's date, if known.
        verdict: The query compared with the joined versions.
        direction: Which came first, the query or the joined versions (``b``).
        explained: Mean over the query's sentences of their best semantic match in the joined
            versions (the ``sem_a`` feature of that comparison).
    """

    ids: tuple[str, ...]
    date: str | None
    verdict: Verdict
    direction: Direction
    explained: float


def _order_key(article: Article) -> tuple[str, str, str]:
    return (article.date or "", article.label, article.id)


def joined_versions(versions: Sequence[Article]) -> Article:
    """The bodies of several versions joined into one article, whatever their input order.

    Versions are joined by date, then label (origin), then id; the joined article takes the
    earliest version's outlet, date and title.
    """
    ordered = sorted(versions, key=_order_key)
    text = "\n\n".join(v.body_span.slice(v.text) for v in ordered)
    first = ordered[0]
    return Article.from_text(text, outlet=first.outlet, date=first.date, title=first.title)


def _outlet(article: Article) -> str:
    return " ".join((article.outlet or "").split()).casefold()


def _may_be_versions(a: Article, b: Article) -> bool:
    # Undated articles are never versions: an outlet's undated archive (BBC's) spans months.
    if not _outlet(a) or _outlet(a) != _outlet(b):
        return False
    return days_apart(a.date, b.date) == 0


def version_groups(
    articles: Sequence[Article], relation: Callable[[Article, Article], Relation]
) -> list[tuple[str, ...]]:
    """Which of ``articles`` are versions of one story from one outlet.

    Args:
        articles: Candidate versions (a query's matches).
        relation: How two of them relate; called only for pairs from the same outlet and day.

    Returns:
        Groups of two or more article ids, each in joining order; groups ordered by their first
        id. Articles in no group are left out.
    """
    by_id = {a.id: a for a in articles}
    ids = sorted(by_id)
    parent = {i: i for i in ids}

    def root(i: str) -> str:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for n, x in enumerate(ids):
        for y in ids[n + 1 :]:
            a, b = by_id[x], by_id[y]
            if root(x) == root(y) or not _may_be_versions(a, b):
                continue
            if relation(a, b) is not Relation.UNRELATED:
                rx, ry = root(x), root(y)
                parent[max(rx, ry)] = min(rx, ry)
    members: dict[str, list[Article]] = {}
    for i in ids:
        members.setdefault(root(i), []).append(by_id[i])
    groups = [
        tuple(a.id for a in sorted(group, key=_order_key))
        for group in members.values()
        if len(group) > 1
    ]
    return sorted(groups, key=min)
