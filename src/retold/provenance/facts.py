"""The fact diff: which checkable facts two articles share, drop, add or change.

Facts (:mod:`retold.text.entities`) are matched by key across the whole of both texts:
a fact whose key matches one on the other side is in both; one that matches nothing is only in
its own article, unless an aligned passage holds, in the same slot, an unmatched fact of the
same kind on the other side ("aged 34" / "aged 43", "£2,000" / "£20,000", "£3 million" /
"$3 million", a quote with other words, another speaker): that pair is *changed*. Numbers pair
when their units agree or their values do. Each fact key is reported once per status, at
its first occurrence.

The result is symmetric: diffing ``b`` against ``a`` (with swapped passages) gives the same
facts with the sides exchanged.

Example:
    >>> from retold.model import Article, Passage, RewriteKind, Span
    >>> a = Article.from_text("Mr Smith, aged 34, was jailed in Leeds.")
    >>> b = Article.from_text("John Smith, aged 43, was jailed in Leeds.")
    >>> p = Passage(Span(0, len(a.text)), Span(0, len(b.text)), RewriteKind.LIGHT, 0.9)
    >>> [(f.kind.value, f.status.value, f.a_text, f.b_text) for f in diff_facts(a, b, [p])]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('name', 'both', 'Smith', 'John Smith'), ('number', 'changed', '34', '43'),
     ('place', 'both', 'Leeds', 'Leeds')]
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import attrgetter

from retold.model import Article, FactDiff, FactKind, FactStatus, Passage
from retold.text.entities import Fact, extract_facts, fact_slot
from retold.text.factwords import CONNECTORS

__all__ = ["diff_facts"]

_start = attrgetter("span.start")

_FAMILY = {
    FactKind.NUMBER: "number",
    FactKind.NAME: "entity",
    FactKind.PLACE: "entity",
    FactKind.QUOTE: "quote",
    FactKind.ATTRIBUTION: "attribution",
}


@dataclass(slots=True)
class _Group:
    """All occurrences of one fact key in one article (first occurrence first).

    ``kind`` is a place if any occurrence had a place cue; ``person`` says whether a title was
    seen before the name ("President Putin").
    """

    family: str
    key: str
    facts: list[Fact] = field(default_factory=list)
    kind: FactKind = FactKind.NAME
    person: bool = False


def diff_facts(
    a: Article,
    b: Article,
    passages: Sequence[Passage],
    *,
    facts_a: Sequence[Fact] | None = None,
    facts_b: Sequence[Fact] | None = None,
) -> tuple[FactDiff, ...]:
    """Compare the checkable facts of two articles.

    Args:
        a: First article (the whole text is searched, title and date lines included).
        b: Second article.
        passages: Aligned passages; changed facts are only paired inside one passage.
        facts_a: Facts of ``a`` if already extracted (``extract_facts(a.text)``).
        facts_b: Facts of ``b`` if already extracted.

    Returns:
        One :class:`~retold.model.FactDiff` per fact key and status, sorted by
        :func:`~retold.model.fact_order`.
    """
    ga = _groups(extract_facts(a.text) if facts_a is None else facts_a)
    gb = _groups(extract_facts(b.text) if facts_b is None else facts_b)
    out: list[FactDiff] = []
    matched_a: set[int] = set()
    matched_b: set[int] = set()
    for side_a, side_b in _components(_matches(ga, gb), len(ga)):
        matched_a.update(side_a)
        matched_b.update(side_b)
        fa = min((ga[i].facts[0] for i in side_a), key=_start)
        fb = min((gb[j].facts[0] for j in side_b), key=_start)
        kind = _kind([ga[i] for i in side_a] + [gb[j] for j in side_b])
        out.append(FactDiff(kind, FactStatus.BOTH, fa.span, fb.span, fa.text, fb.text))
    # A group with no match is alone in its component; these keep the groups' order.
    lonely_a = [i for i in range(len(ga)) if i not in matched_a]
    lonely_b = [j for j in range(len(gb)) if j not in matched_b]
    only_a, only_b = [ga[i] for i in lonely_a], [gb[j] for j in lonely_b]
    changed = _changed(a.text, b.text, only_a, only_b, passages)
    paired_a = {id(ga_) for ga_, _, _, _ in changed}
    paired_b = {id(gb_) for _, gb_, _, _ in changed}
    for _, _, fa, fb in changed:
        out.append(FactDiff(fa.kind, FactStatus.CHANGED, fa.span, fb.span, fa.text, fb.text))
    for i in lonely_a:
        if id(ga[i]) not in paired_a:
            f = ga[i].facts[0]
            out.append(FactDiff(ga[i].kind, FactStatus.ONLY_A, f.span, None, f.text, None))
    for j in lonely_b:
        if id(gb[j]) not in paired_b:
            f = gb[j].facts[0]
            out.append(FactDiff(gb[j].kind, FactStatus.ONLY_B, None, f.span, None, f.text))
    out.sort(key=_order)
    return tuple(out)


def _components(pairs: list[tuple[int, int]], n_a: int) -> list[tuple[list[int], list[int]]]:
    """Connected groups of matched facts: each component's a-side and b-side group indices.

    Union-find over the matched pairs (b's group ``j`` is node ``n_a + j``); indices ascending
    within a side.
    """
    parent: dict[int, int] = {}

    def find(i: int) -> int:
        parent.setdefault(i, i)
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in pairs:
        parent[find(i)] = find(n_a + j)
    out: dict[int, tuple[list[int], list[int]]] = {}
    for node in sorted(parent):
        side_a, side_b = out.setdefault(find(node), ([], []))
        if node < n_a:
            side_a.append(node)
        else:
            side_b.append(node - n_a)
    return list(out.values())


def _kind(groups: list[_Group]) -> FactKind:
    """One kind for matched facts: a name wins if anyone gave it a title, else a place wins."""
    kinds = {g.kind for g in groups}
    if FactKind.PLACE in kinds and not any(g.person for g in groups):
        return FactKind.PLACE
    return FactKind.NAME if FactKind.PLACE in kinds else kinds.pop()


# ``Enum.value`` is a slow property lookup; sorting a pair's hundred-odd facts asked for it
# twice per fact.
_KIND_VALUE = {kind: kind.value for kind in FactKind}
_STATUS_VALUE = {status: status.value for status in FactStatus}


def _order(f: FactDiff) -> tuple[tuple[int, int, str, str], int, int, str, str]:
    """:func:`~retold.model.fact_order`, then end offsets and texts (ties broken for good)."""
    a, b = f.a, f.b
    a_start, a_end = (a.start, a.end) if a is not None else (-1, -1)
    b_start, b_end = (b.start, b.end) if b is not None else (-1, -1)
    first = (a_start, b_start, _KIND_VALUE[f.kind], _STATUS_VALUE[f.status])  # == fact_order(f)
    return (first, a_end, b_end, f.a_text or "", f.b_text or "")


def _groups(facts: Sequence[Fact]) -> list[_Group]:
    by_key: dict[tuple[str, str], _Group] = {}
    for f in sorted(facts, key=_start):
        family = _FAMILY[f.kind]
        group = by_key.get((family, f.key))
        if group is None:
            group = by_key[(family, f.key)] = _Group(family, f.key, [], f.kind)
        group.facts.append(f)
        if f.kind is FactKind.PLACE:
            group.kind = f.kind
        elif f.kind is FactKind.NAME and f.cue:
            group.person = True
    return list(by_key.values())


def _matches(ga: list[_Group], gb: list[_Group]) -> list[tuple[int, int]]:
    """Pairs ``(i, j)`` of groups of a and b whose keys match.

    Keys match when equal; a one-word name also matches the one multi-word name on the other
    side that starts or ends with that word ("Kim" / "Kim Jong Un", "Putin" / "Vladimir
    Putin"), unless two such names are there ("Korea" / "North Korea", "South Korea").
    """
    exact: dict[tuple[str, str], list[int]] = {}
    for j, g in enumerate(gb):
        exact.setdefault((g.family, g.key), []).append(j)
    pairs = {(i, j) for i, g in enumerate(ga) for j in exact.get((g.family, g.key), ())}
    edge_a, edge_b = _edges(ga), _edges(gb)
    for i, g in enumerate(ga):
        if g.family in ("entity", "attribution") and " " not in g.key:
            hits = edge_b.get((g.family, g.key), ())
            if len(hits) == 1:
                pairs.add((i, hits[0]))
    for j, g in enumerate(gb):
        if g.family in ("entity", "attribution") and " " not in g.key:
            hits = edge_a.get((g.family, g.key), ())
            if len(hits) == 1:
                pairs.add((hits[0], j))
    quotes_b = [j for j, g in enumerate(gb) if g.family == "quote"]
    # Only number groups hold dates: a quote's key may start with the word "date" too.
    dates_b = [j for j, g in enumerate(gb) if g.family == "number" and g.key.startswith("date ")]
    for i, g in enumerate(ga):
        if g.family == "quote":
            pairs.update((i, j) for j in quotes_b if _quote_match(g.key, gb[j].key))
        elif g.family == "number" and g.key.startswith("date "):
            pairs.update((i, j) for j in dates_b if _date_match(g.key, gb[j].key))
    return sorted(pairs)


def _edges(groups: list[_Group]) -> dict[tuple[str, str], list[int]]:
    """Multi-word name groups by (family, first word) and (family, last word)."""
    out: dict[tuple[str, str], list[int]] = {}
    for i, g in enumerate(groups):
        if g.family in ("entity", "attribution") and " " in g.key:
            words = g.key.split()
            if not CONNECTORS.intersection(words):
                for w in {words[0], words[-1]}:
                    out.setdefault((g.family, w), []).append(i)
    return out


def _quote_match(x: str, y: str) -> bool:
    """Same words, or the shorter quote (three words or more) is part of the longer."""
    short, long = sorted((x, y), key=len)
    return x == y or (short.count(" ") >= 2 and f" {short} " in f" {long} ")


def _date_match(x: str, y: str) -> bool:
    """Dates agree on every part both give ("June 23" matches "June 23, 2024")."""
    px, py = x[5:].split("-"), y[5:].split("-")
    return all(u == v or "?" in (u, v) for u, v in zip(px, py, strict=True))


Changed = tuple[_Group, _Group, Fact, Fact]


def _changed(
    text_a: str,
    text_b: str,
    ga: list[_Group],
    gb: list[_Group],
    passages: Sequence[Passage],
) -> list[Changed]:
    """Pair unmatched facts of the same kind and slot that sit in one aligned passage."""
    occ_a = sorted(((f, g) for g in ga for f in g.facts), key=lambda x: x[0].span.start)
    occ_b = sorted(((f, g) for g in gb for f in g.facts), key=lambda x: x[0].span.start)
    if not occ_a or not occ_b or not passages:
        return []
    slots: dict[tuple[int, int], frozenset[str]] = {}

    def slot(side: int, f: Fact) -> frozenset[str]:
        key = (side, id(f))
        if key not in slots:
            slots[key] = fact_slot(text_a if side == 0 else text_b, f)
        return slots[key]

    best: dict[tuple[int, int], tuple[tuple[int, float, int, int], Fact, Fact, _Group, _Group]] = {}
    starts_a = [f.span.start for f, _ in occ_a]
    starts_b = [f.span.start for f, _ in occ_b]
    for p in passages:
        lo_a, hi_a = bisect_left(starts_a, p.a.start), bisect_left(starts_a, p.a.end)
        lo_b, hi_b = bisect_left(starts_b, p.b.start), bisect_left(starts_b, p.b.end)
        in_a = [x for x in occ_a[lo_a:hi_a] if x[0].span.end <= p.a.end]
        in_b = [x for x in occ_b[lo_b:hi_b] if x[0].span.end <= p.b.end]
        for fa, gra in in_a:
            ra = (fa.span.start - p.a.start) / max(1, len(p.a))
            for fb, grb in in_b:
                if fa.kind is not fb.kind:
                    continue
                overlap = _compatible(fa, fb, slot(0, fa), slot(1, fb))
                if overlap < 0:
                    continue
                rb = (fb.span.start - p.b.start) / max(1, len(p.b))
                sa, sb = fa.span.start, fb.span.start
                cost = (-overlap, abs(ra - rb), min(sa, sb), max(sa, sb))
                pair = (id(fa), id(fb))
                if pair not in best or cost < best[pair][0]:
                    best[pair] = (cost, fa, fb, gra, grb)
    used_a: set[int] = set()
    used_b: set[int] = set()
    seen: set[tuple[int, int]] = set()
    out: list[Changed] = []
    for _cost, fa, fb, gra, grb in sorted(best.values(), key=lambda x: x[0]):
        if id(fa) in used_a or id(fb) in used_b:
            continue
        used_a.add(id(fa))
        used_b.add(id(fb))
        if (id(gra), id(grb)) not in seen:
            seen.add((id(gra), id(grb)))
            out.append((gra, grb, fa, fb))
    return out


def _compatible(fa: Fact, fb: Fact, sa: frozenset[str], sb: frozenset[str]) -> int:
    """How many slot labels two facts share, or -1 when they cannot fill the same slot."""
    if fa.kind in (FactKind.QUOTE, FactKind.ATTRIBUTION):
        return 1
    if fa.kind is FactKind.NUMBER and fa.cue != fb.cue and not _same_value(fa, fb):
        return -1  # "£300" and "200 people", "5 km" and "8 miles" are not one slot
    shared = len(sa & sb)
    return shared if shared else -1


def _same_value(fa: Fact, fb: Fact) -> bool:
    """Two numbers (not dates) of one value in other units: "£3 million" / "$3 million"."""
    if "date" in (fa.cue, fb.cue):
        return False
    return fa.key.partition(" ")[0] == fb.key.partition(" ")[0]
