"""Planted fact changes: does the fact diff catch a number, name, quote or speaker a copy alters?

No data set here marks which facts a rewrite changed, so this evaluation makes the changes
itself, on real reuse: each derived METER newspaper story is compared with its joined PA copy,
and one fact of each kind that both state, inside an aligned passage, is altered in the paper:

- **number**: the last non-zero digit of a figure stated once ("£12,000" becomes "£13,000");
- **name**: a person's surname, everywhere the paper writes it, one vowel swapped
  ("Bennett" becomes "Bonnett"), as a misread or a deliberate change would;
- **quote**: the word "never" put into a quotation of five words or more that PA gives whole
  (the same words, or more around them);
- **attribution**: the speaker's surname in a credit, when no other credit names the speaker
  ("Smith said").

The altered paper is compared with PA again. An edit is *changed* when the diff pairs the
altered fact with PA's original as changed, with both spans right (the paper's span moved by
the edit, PA's unmoved); *apart* when it reports the two as one side's only, unpaired; *missed*
when it still calls them the same fact. *Collateral* counts the other facts whose row in the
diff moved (any status or span not explained by the edit's shift). An edit whose new text
appears anywhere in either article already is not made, so a miss is never a coincidence.

Run with ``retold eval fact-edits ROOT`` (``ROOT`` the METER folder).
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path

from retold.eval.meter import meter_pairs
from retold.ingest.corpora.meter import load_meter
from retold.model import Article, Comparison, FactDiff, FactKind, FactStatus, Span, content_hash
from retold.pipeline import Comparer
from retold.text.entities import Fact, extract_facts
from retold.text.factwords import GROUP_NOUNS, PLACE_NOUNS, words

__all__ = ["EDIT_KINDS", "OUTCOMES", "EditResult", "FactEdit", "evaluate_fact_edits", "plan_edits"]

EDIT_KINDS = (FactKind.NUMBER, FactKind.NAME, FactKind.QUOTE, FactKind.ATTRIBUTION)
OUTCOMES = ("changed", "changed_elsewhere", "apart", "missed")
_QUOTE_WORDS = 5
_INSERT = "never "
_VOWEL_SWAP = str.maketrans("aeiouAEIOU", "oaiueOAIUE")
_SURNAME = re.compile(r"[A-Z][a-z]{3,}")
# Last words that make a capitalised run an institution, a place or a group, not a person.
_NOT_PERSON = (
    PLACE_NOUNS
    | GROUP_NOUNS
    | words(
        "court council street road police hospital school house office bank service trust club"
        " party church college university prison centre center committee association society"
        " company group station airport lane avenue square park bridge hall crown department"
        " ministry agency unit team board union news yard authority commission press"
    )
)


@dataclass(frozen=True, slots=True)
class Edit:
    """One planned change to the paper's text: ``text[start:end]`` becomes ``new``."""

    start: int
    end: int
    new: str

    @property
    def shift(self) -> int:
        """How far text after the edit moves."""
        return len(self.new) - (self.end - self.start)


@dataclass(frozen=True, slots=True)
class FactEdit:
    """One planted change and what the diff made of it.

    Attributes:
        kind: The kind of fact altered.
        paper: The newspaper file.
        before: The fact as the paper wrote it.
        after: The fact as altered.
        outcome: One of :data:`OUTCOMES`.
        collateral: Other facts whose diff row moved.
        relation_kept: Whether the verdict's relation stayed the same.
    """

    kind: FactKind
    paper: str
    before: str
    after: str
    outcome: str
    collateral: int
    relation_kept: bool


@dataclass(frozen=True, slots=True)
class Plan:
    """The edits that alter one fact (a surname may stand several times), and its spans.

    ``fact_a`` is the altered fact's span in the paper before the edit and ``expect_a`` after
    it; ``fact_b`` its counterpart's span in PA.
    """

    kind: FactKind
    edits: tuple[Edit, ...]
    fact_a: Span
    expect_a: Span
    fact_b: Span
    before: str


@dataclass(frozen=True, slots=True)
class EditResult:
    """Scores of a planted-edit run.

    Attributes:
        edits: Every edit made, in paper order.
        pairs: Derived paper/PA pairs compared.
        seconds: Wall time.
    """

    edits: tuple[FactEdit, ...]
    pairs: int
    seconds: float

    def outcomes(self, kind: FactKind) -> dict[str, int]:
        """Count of each outcome among the edits of one kind."""
        counts = dict.fromkeys(OUTCOMES, 0)
        for e in self.edits:
            if e.kind is kind:
                counts[e.outcome] += 1
        return counts

    def changed_share(self, kind: FactKind | None = None) -> float:
        """Share of the edits (of one kind, or all) reported changed with both spans right."""
        chosen = [e for e in self.edits if kind is None or e.kind is kind]
        return sum(e.outcome == "changed" for e in chosen) / len(chosen) if chosen else 0.0

    def as_dict(self) -> dict[str, object]:
        """Plain data for JSON output."""
        by_kind = {}
        for kind in EDIT_KINDS:
            chosen = [e for e in self.edits if e.kind is kind]
            n = max(len(chosen), 1)
            by_kind[kind.value] = {
                "edits": len(chosen),
                **self.outcomes(kind),
                "changed_share": round(self.changed_share(kind), 4),
                "collateral_per_edit": round(sum(e.collateral for e in chosen) / n, 3),
                "relation_kept": sum(e.relation_kept for e in chosen),
            }
        return {
            "dataset": "meter-courts-planted-fact-edits",
            "pairs": self.pairs,
            "edits": len(self.edits),
            "changed_share": round(self.changed_share(), 4),
            "by_kind": by_kind,
            "seconds": round(self.seconds, 2),
        }


def _inside(span: Span, outer: Span) -> bool:
    return outer.start <= span.start and span.end <= outer.end


def _candidates(result: Comparison) -> Iterator[FactDiff]:
    """Facts both sides state, each inside one aligned passage on both sides, in paper order."""
    for f in result.facts:
        if f.status is not FactStatus.BOTH or f.a is None or f.b is None:
            continue
        a, b = f.a, f.b
        if any(_inside(a, p.a) and _inside(b, p.b) for p in result.passages):
            yield f


def _absent(new: str, *texts: str) -> bool:
    return all(new not in t for t in texts)


def _number_edit(text: str, pa: str, fact: Span) -> Edit | None:
    """One digit of the figure raised by one (9 becomes 1), so the text keeps its length."""
    written = fact.slice(text)
    for n in range(len(written) - 1, -1, -1):  # the last digit: "1996" stays a year
        ch = written[n]
        if ch.isdigit() and ch != "0":
            new = written[:n] + str(int(ch) % 9 + 1) + written[n + 1 :]
            if _absent(new, text, pa):
                return Edit(fact.start, fact.end, new)
            return None
    return None


def _surname_edits(text: str, pa: str, name: str) -> tuple[Edit, ...]:
    """Every whole-word occurrence of the name's surname, its first vowel after the initial swapped.

    Capitalised and upper-case forms are both edited.
    """
    surname = name.split()[-1]
    if not _SURNAME.fullmatch(surname):
        return ()
    k = next((i for i in range(1, len(surname)) if surname[i] in "aeiou"), 0)
    if not k:
        return ()
    new = surname[:k] + surname[k].translate(_VOWEL_SWAP) + surname[k + 1 :]
    if not _absent(new, text, pa) or not _absent(new.upper(), text, pa):
        return ()
    edits = []
    for word, repl in ((surname, new), (surname.upper(), new.upper())):
        for m in re.finditer(rf"(?<![^\W\d_]){re.escape(word)}(?![^\W\d_])", text):
            edits.append(Edit(m.start(), m.end(), repl))
    return tuple(sorted(edits, key=lambda e: e.start))


def _quote_edit(text: str, pa: str, fact: Span) -> Edit | None:
    """``never`` put before the quotation's third word."""
    found = list(re.finditer(r"[^\W\d_]+", text[fact.start : fact.end]))
    if len(found) < _QUOTE_WORDS:
        return None
    at = fact.start + found[2].start()
    new = text[fact.start : at] + _INSERT + text[at : fact.end]
    if not _absent(new, text, pa):
        return None
    return Edit(fact.start, fact.end, new)


def plan_edits(paper: Article, pa: Article, result: Comparison) -> list[Plan]:
    """At most one planted edit per kind, on the first fit fact of that kind in paper order.

    Args:
        paper: The newspaper story (side ``a`` of ``result``).
        pa: Its PA copy (side ``b``).
        result: ``compare(paper, pa)``.
    """
    text, other = paper.text, pa.text
    facts = extract_facts(text)
    keys: dict[tuple[FactKind, str], int] = {}
    by_span: dict[tuple[FactKind, Span], Fact] = {}
    for f in facts:
        keys[f.kind, f.key] = keys.get((f.kind, f.key), 0) + 1
        by_span[f.kind, f.span] = f
    pa_facts = {f.span: f for f in extract_facts(other) if f.kind is FactKind.QUOTE}
    plans: dict[FactKind, Plan] = {}
    for row in _candidates(result):
        kind = row.kind
        if kind in plans or row.a is None or row.b is None:
            continue
        fact = by_span.get((kind, row.a))
        if fact is None or (keys[kind, fact.key] != 1 and kind is not FactKind.NAME):
            continue  # stated more than once: the others would still match
        edits: tuple[Edit, ...] = ()
        if kind is FactKind.NUMBER and fact.cue != "date":
            edit = _number_edit(text, other, row.a)
            edits = (edit,) if edit else ()
        elif kind is FactKind.NAME and _person(fact.text):
            edits = _surname_edits(text, other, fact.text)
        elif kind is FactKind.QUOTE and _quoted_whole(fact, pa_facts.get(row.b)):
            edit = _quote_edit(text, other, row.a)
            edits = (edit,) if edit else ()
        elif (
            kind is FactKind.ATTRIBUTION
            and _person(fact.key.title(), least=1)
            and _sole_credit(facts, fact)
        ):
            speaker = _surname_edits(text, other, fact.key.title())
            edits = tuple(e for e in speaker if _inside(Span(e.start, e.end), row.a))[:1]
        if not edits:
            continue
        plans[kind] = Plan(kind, edits, row.a, _moved(row.a, edits), row.b, row.a.slice(text))
    return [plans[k] for k in EDIT_KINDS if k in plans]


def _person(name: str, least: int = 2) -> bool:
    """Whether a name reads as a person's.

    That is: at least ``least`` capitalised words, the last not an institution's, a place's or
    a group's.
    """
    parts = name.split()
    return (
        least <= len(parts) <= 4
        and all(p[:1].isupper() and not p.isupper() for p in parts)
        and parts[-1].lower() not in _NOT_PERSON
    )


def _sole_credit(facts: Sequence[Fact], credit: Fact) -> bool:
    """Whether no other credit of the paper names the speaker's surname ("Mr Smith said")."""
    surname = credit.key.split()[-1]
    return not any(
        f.kind is FactKind.ATTRIBUTION and f is not credit and surname in f.key.split()
        for f in facts
    )


def _quoted_whole(fact: Fact, source: Fact | None) -> bool:
    """Whether the source's quotation holds all of the paper's, so any word put in counts."""
    return source is not None and f" {fact.key} " in f" {source.key} "


def _moved(span: Span, edits: Sequence[Edit]) -> Span:
    """Where ``span`` stands once the edits are made (an edit inside it stretches it)."""
    start, end = span.start, span.end
    for e in edits:
        if e.end <= span.start:
            start += e.shift
            end += e.shift
        elif e.start < span.end:
            end += e.shift
    return Span(start, end)


def _apply(article: Article, edits: Sequence[Edit]) -> Article:
    text = article.text
    for e in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[: e.start] + e.new + text[e.end :]
    body = article.body
    if body is not None:
        body = _moved(body, edits)
    return dataclasses.replace(article, text=text, id=content_hash(text), body=body)


_row_key = attrgetter("kind", "status", "a", "b")  # a diff row, comparable across two diffs


def _score(plan: Plan, before: Comparison, after: Comparison) -> tuple[str, int]:
    """The outcome of one edit and its collateral count."""
    moved = {
        (k, st, None if a is None else _moved(a, plan.edits), b)
        for k, st, a, b in map(_row_key, before.facts)
        if b != plan.fact_b
        and (a is None or not any(e.start < a.end and a.start < e.end for e in plan.edits))
    }
    now = set(map(_row_key, after.facts))
    touched = {r for r in now if r[3] == plan.fact_b or _hits(r[2], plan)}
    collateral = len(moved - now) + len(now - moved - touched)
    outcome = "missed"
    for f in after.facts:
        if f.kind is not plan.kind:
            continue
        if f.status is FactStatus.CHANGED and _hits(f.a, plan) and f.b_text is not None:
            # PA's fact: the one the paper's matched before, or its words (or part of them,
            # "Owen" of "John Owen") elsewhere.
            theirs, ours = set(_words(f.b_text)), set(_words(plan.before))
            if f.b == plan.fact_b or theirs <= ours or ours <= theirs:
                return "changed", collateral
        if f.b != plan.fact_b:
            continue
        if f.status is FactStatus.CHANGED:
            outcome = "changed_elsewhere"
        elif f.status is FactStatus.ONLY_B and outcome == "missed":
            outcome = "apart"
    return outcome, collateral


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.casefold())


def _hits(span: Span | None, plan: Plan) -> bool:
    """Whether a span (after the edit) covers altered text."""
    moved = [_moved(Span(e.start, e.end), plan.edits) for e in plan.edits]
    return span is not None and any(m.start < span.end and span.start < m.end for m in moved)


def evaluate_fact_edits(
    root: Path, comparer: Comparer | None = None, *, limit: int | None = None
) -> EditResult:
    """Plant fact changes in METER's derived papers and score the fact diff on them.

    Args:
        root: The METER folder.
        comparer: The comparer to use (default options when None).
        limit: Score only the first ``limit`` derived papers (in corpus order).
    """
    start = time.perf_counter()
    comparer = comparer or Comparer()
    out: list[FactEdit] = []
    pairs = 0
    for item, source in meter_pairs(load_meter(root)):
        if item.label in (None, "non"):
            continue
        if limit is not None and pairs >= limit:
            break
        pairs += 1
        pa = comparer.prepared(source)
        before = comparer.compare(item.article, pa)
        path = item.article.origin.path if item.article.origin is not None else item.article.id
        for plan in plan_edits(item.article, source, before):
            edited = _apply(item.article, plan.edits)
            after = comparer.compare(edited, pa)
            written = plan.expect_a.slice(edited.text)
            kept = after.verdict.relation is before.verdict.relation
            outcome, collateral = _score(plan, before, after)
            out.append(FactEdit(plan.kind, path, plan.before, written, outcome, collateral, kept))
    return EditResult(tuple(out), pairs, time.perf_counter() - start)
