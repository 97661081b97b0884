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
from dataclasses import dataclass
from operator import attrgetter, itemgetter

from retold.model import Article, FactDiff, FactKind, FactStatus, Passage
from retold.text.entities import Fact, extract_facts, fact_slot
from retold.text.factwords import CONNECTORS

__all__ = ["diff_facts"]

_start = attrgetter("span.start")

# Members looked up once: ``FactKind.NAME`` is a slow class-attribute lookup on Python 3.11
# (0.2-0.35 µs, as long as a dict lookup and a call together).
_NUMBER, _NAME, _PLACE = FactKind.NUMBER, FactKind.NAME, FactKind.PLACE
_QUOTE, _ATTRIBUTION = FactKind.QUOTE, FactKind.ATTRIBUTION
_BOTH, _CHANGED = FactStatus.BOTH, FactStatus.CHANGED
_ONLY_A, _ONLY_B = FactStatus.ONLY_A, FactStatus.ONLY_B

_FAMILY = {
    _NUMBER: "number",
    _NAME: "entity",
    _PLACE: "entity",
    _QUOTE: "quote",
    _ATTRIBUTION: "attribution",
}


@dataclass(slots=True)
class _Group:
    """All occurrences of one fact key in one article (first occurrence first).

    ``ident`` is ``(family, key)``; ``index`` the group's place among its article's groups.
    ``kind`` is a place if any occurrence had a place cue; ``person`` says whether a title was
    seen before the name ("President Putin"); ``matched`` is set once a match is found.
    """

    ident: tuple[str, str]
    index: int
    facts: list[Fact]
    kind: FactKind
    person: bool = False
    matched: bool = False


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
    side_a = _Side(extract_facts(a.text) if facts_a is None else facts_a)
    side_b = _Side(extract_facts(b.text) if facts_b is None else facts_b)
    ga, gb = side_a.groups, side_b.groups
    # Each result with its sort key (see _Order), made from the facts at hand.
    out: list[tuple[_Order, FactDiff]] = []
    for in_a, in_b in _components(_matches(side_a, side_b), ga, gb):
        # One kind for matched facts: a name wins if anyone gave it a title, else a place
        # wins. Matched groups are of one family, so without a place they are of one kind.
        place = person = False
        for g in (*in_a, *in_b):
            g.matched = True
            place = place or g.kind is _PLACE
            person = person or g.person
        kind = (_NAME if person else _PLACE) if place else in_a[0].kind
        out.append(_both(kind, _BOTH, _first(in_a), _first(in_b)))
    # A group with no match is alone in its component; these keep the groups' order.
    only_a = [g for g in ga if not g.matched]
    only_b = [g for g in gb if not g.matched]
    for gra, grb, fa, fb in _changed(a.text, b.text, only_a, only_b, passages):
        gra.matched = grb.matched = True
        out.append(_both(fa.kind, _CHANGED, fa, fb))
    only = _STATUS_VALUE[_ONLY_A]
    for g in only_a:
        if not g.matched:
            f = g.facts[0]
            span = f.span
            key = (span.start, -1, _KIND_VALUE[g.kind], only, span.end, -1, f.text, "")
            out.append((key, FactDiff(g.kind, _ONLY_A, span, None, f.text, None)))
    only = _STATUS_VALUE[_ONLY_B]
    for g in only_b:
        if not g.matched:
            f = g.facts[0]
            span = f.span
            key = (-1, span.start, _KIND_VALUE[g.kind], only, -1, span.end, "", f.text)
            out.append((key, FactDiff(g.kind, _ONLY_B, None, span, None, f.text)))
    out.sort(key=itemgetter(0))  # 20-40 µs less a METER pair than a key function per result
    return tuple(map(itemgetter(1), out))


# :func:`~retold.model.fact_order` (start in a, start in b, kind, status; -1 for a side without
# the fact), then end offsets and texts: ties broken for good.
_Order = tuple[int, int, str, str, int, int, str, str]


def _both(kind: FactKind, status: FactStatus, fa: Fact, fb: Fact) -> tuple[_Order, FactDiff]:
    """A fact found on both sides (or changed between them), with its sort key."""
    sa, sb = fa.span, fb.span
    key = (sa.start, sb.start, _KIND_VALUE[kind], _STATUS_VALUE[status], sa.end, sb.end)
    return (*key, fa.text, fb.text), FactDiff(kind, status, sa, sb, fa.text, fb.text)


def _first(groups: list[_Group]) -> Fact:
    """The earliest first occurrence of the groups (the first group's on a tie)."""
    if len(groups) == 1:
        return groups[0].facts[0]
    return min((g.facts[0] for g in groups), key=_start)


_Quote = tuple[int, str, bool]  # group index, key padded with spaces, three words or more


class _Side:
    """One article's facts grouped by key, with what :func:`_matches` looks up.

    Attributes:
        groups: The groups, in order of first occurrence.
        by_ident: Each group by ``(family, key)``.
        edges: Multi-word name and attribution groups by (family, first word) and (family,
            last word).
        quotes: The quotes.
        dates: The dates (only number groups hold dates: a quote's key may start with the word
            "date" too).
    """

    __slots__ = ("by_ident", "dates", "edges", "groups", "quotes")

    def __init__(self, facts: Sequence[Fact]) -> None:
        self.groups: list[_Group] = []
        self.by_ident: dict[tuple[str, str], _Group] = {}
        self.edges: dict[tuple[str, str], list[int]] = {}
        self.quotes: list[_Quote] = []
        self.dates: list[tuple[int, str]] = []
        groups, by_ident = self.groups, self.by_ident
        for f in sorted(facts, key=_start):
            kind = f.kind
            ident = (_FAMILY[kind], f.key)
            group = by_ident.get(ident)
            if group is None:
                group = by_ident[ident] = _Group(ident, len(groups), [f], kind)
                groups.append(group)
                key = f.key
                if ident[0] == "quote":
                    self.quotes.append((group.index, f" {key} ", key.count(" ") >= 2))
                elif ident[0] == "number":
                    if key.startswith("date "):
                        self.dates.append((group.index, key))
                elif " " in key:  # a multi-word name or attribution
                    self._add_edges(group)
            else:
                group.facts.append(f)
            if kind is _PLACE:
                group.kind = kind
            elif kind is _NAME and f.cue:
                group.person = True

    def _add_edges(self, group: _Group) -> None:
        """List a multi-word name by its first and last word (unless it holds a connector)."""
        family, key = group.ident
        words = key.split()
        if CONNECTORS.isdisjoint(words):
            for w in {words[0], words[-1]}:
                self.edges.setdefault((family, w), []).append(group.index)


def _components(
    pairs: list[tuple[int, int]], ga: list[_Group], gb: list[_Group]
) -> list[tuple[list[_Group], list[_Group]]]:
    """Connected groups of matched facts: each component's groups of a and of b.

    Union-find over the matched pairs (b's group ``j`` is node ``len(ga) + j``); groups in
    their article's order within a side.
    """
    n_a = len(ga)
    parent = list(range(n_a + len(gb)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = i = parent[parent[i]]
        return i

    nodes: set[int] = set()
    for i, j in pairs:
        nodes.add(i)
        nodes.add(n_a + j)
        parent[find(i)] = find(n_a + j)
    out: dict[int, tuple[list[_Group], list[_Group]]] = {}
    for node in sorted(nodes):
        side_a, side_b = out.setdefault(find(node), ([], []))
        if node < n_a:
            side_a.append(ga[node])
        else:
            side_b.append(gb[node - n_a])
    return list(out.values())


# ``Enum.value`` is a slow property lookup; sorting a pair's hundred-odd facts asked for it
# twice per fact.
_KIND_VALUE = {kind: kind.value for kind in FactKind}
_STATUS_VALUE = {status: status.value for status in FactStatus}


def _matches(side_a: _Side, side_b: _Side) -> list[tuple[int, int]]:
    """Pairs ``(i, j)`` of groups of a and b whose keys match.

    Keys match when equal; a one-word name also matches the one multi-word name on the other
    side that starts or ends with that word ("Kim" / "Kim Jong Un", "Putin" / "Vladimir
    Putin"), unless two such names are there ("Korea" / "North Korea", "South Korea").
    """
    pairs: set[tuple[int, int]] = set()
    # Edge words hold no space and only names and attributions have them, so looking any key
    # up among the other side's edges asks for a one-word name or attribution.
    edges_a, edges_b, same_b = side_a.edges, side_b.edges, side_b.by_ident
    for j, g in enumerate(side_b.groups):
        hits = edges_a.get(g.ident)
        if hits is not None and len(hits) == 1:
            pairs.add((hits[0], j))
    for i, g in enumerate(side_a.groups):
        same = same_b.get(g.ident)
        if same is not None:
            pairs.add((i, same.index))
        hits = edges_b.get(g.ident)
        if hits is not None and len(hits) == 1:
            pairs.add((i, hits[0]))
    # Equal quotes are paired already; else the shorter (three words or more) must lie in the
    # longer: its words, padded with spaces, are a substring of the other's padded words.
    quotes_a, quotes_b = side_a.quotes, side_b.quotes
    pairs.update((i, j) for i, x, long_x in quotes_a if long_x for j, y, _ in quotes_b if x in y)
    pairs.update((i, j) for j, y, long_y in quotes_b if long_y for i, x, _ in quotes_a if y in x)
    pairs.update((i, j) for i, x in side_a.dates for j, y in side_b.dates if _date_match(x, y))
    return sorted(pairs)


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
    if not passages:
        return []
    # Occurrences by start; group by group on a tie. Starts listed with them for bisection.
    occ_a = sorted([(f.span.start, f, g) for g in ga for f in g.facts], key=itemgetter(0))
    occ_b = sorted([(f.span.start, f, g) for g in gb for f in g.facts], key=itemgetter(0))
    if not occ_a or not occ_b:
        return []
    slots_a: dict[int, frozenset[str]] = {}  # by id(fact), computed when first asked for
    slots_b: dict[int, frozenset[str]] = {}

    best: dict[tuple[int, int], tuple[tuple[int, float, int, int], Fact, Fact, _Group, _Group]] = {}
    starts_a = [x[0] for x in occ_a]
    starts_b = [x[0] for x in occ_b]
    for p in passages:
        pa, pb = p.a, p.b
        lo_a, hi_a = bisect_left(starts_a, pa.start), bisect_left(starts_a, pa.end)
        lo_b, hi_b = bisect_left(starts_b, pb.start), bisect_left(starts_b, pb.end)
        in_b = [x for x in occ_b[lo_b:hi_b] if x[1].span.end <= pb.end]
        if not in_b:
            continue
        len_a, len_b = max(1, pa.end - pa.start), max(1, pb.end - pb.start)
        for sa, fa, gra in occ_a[lo_a:hi_a]:
            if fa.span.end > pa.end:
                continue
            kind = fa.kind
            ra = (sa - pa.start) / len_a
            for sb, fb, grb in in_b:
                if kind is not fb.kind:
                    continue
                if kind is _QUOTE or kind is _ATTRIBUTION:
                    overlap = 1  # any quote (any speaker) may take the other's place
                elif kind is _NUMBER and fa.cue != fb.cue and not _same_value(fa, fb):
                    continue  # "£300" and "200 people", "5 km" and "8 miles" are not one slot
                else:
                    if (slot_a := slots_a.get(id(fa))) is None:
                        slot_a = slots_a[id(fa)] = fact_slot(text_a, fa)
                    if (slot_b := slots_b.get(id(fb))) is None:
                        slot_b = slots_b[id(fb)] = fact_slot(text_b, fb)
                    overlap = len(slot_a & slot_b)  # labels the two slots share
                    if not overlap:
                        continue
                rb = (sb - pb.start) / len_b
                cost = (-overlap, abs(ra - rb), min(sa, sb), max(sa, sb))
                pair = (id(fa), id(fb))
                if pair not in best or cost < best[pair][0]:
                    best[pair] = (cost, fa, fb, gra, grb)
    used_a: set[int] = set()
    used_b: set[int] = set()
    seen: set[tuple[int, int]] = set()
    out: list[Changed] = []
    for _cost, fa, fb, gra, grb in sorted(best.values(), key=_cost_of):
        if id(fa) in used_a or id(fb) in used_b:
            continue
        used_a.add(id(fa))
        used_b.add(id(fb))
        if (id(gra), id(grb)) not in seen:
            seen.add((id(gra), id(grb)))
            out.append((gra, grb, fa, fb))
    return out


def _cost_of(
    x: tuple[tuple[int, float, int, int], Fact, Fact, _Group, _Group],
) -> tuple[int, float, int, int]:
    return x[0]


def _same_value(fa: Fact, fb: Fact) -> bool:
    """Two numbers (not dates) of one value in other units: "£3 million" / "$3 million"."""
    if "date" in (fa.cue, fb.cue):
        return False
    return fa.key.partition(" ")[0] == fb.key.partition(" ")[0]
