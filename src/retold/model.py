r"""Result and input types shared by every layer.

All are frozen, slotted dataclasses. Offsets (:class:`Span`) always index the article's decoded
original text (:attr:`Article.text`), never a normalised copy.

Example:
    >>> art = Article.from_text("Title\n\nBody text here.", title="Title")
    >>> Span(7, 11).slice(art.text)
    'Body'
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from enum import StrEnum

__all__ = [
    "Article",
    "Comparison",
    "Direction",
    "Evidence",
    "FactDiff",
    "FactKind",
    "FactStatus",
    "Origin",
    "Passage",
    "Relation",
    "RewriteKind",
    "Source",
    "Span",
    "Verdict",
    "content_hash",
]

_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape_surrogates(name: str) -> str:
    r"""``name`` with the bytes a lone surrogate stands for written as ``\xNN`` escapes."""
    try:
        raw = name.encode("utf-8", "surrogateescape")  # how os.fsdecode made them
    except UnicodeEncodeError:
        raw = name.encode("utf-8", "surrogatepass")
    return raw.decode("utf-8", "backslashreplace")


class Relation(StrEnum):
    """How two articles relate, from weakest to strongest link."""

    UNRELATED = "unrelated"
    SAME_STORY = "same_story"
    PARTIALLY_DERIVED = "partially_derived"
    WHOLLY_DERIVED = "wholly_derived"

    @property
    def derived(self) -> bool:
        """True when one text is (partly or wholly) retold from the other."""
        return self in (Relation.PARTIALLY_DERIVED, Relation.WHOLLY_DERIVED)


class RewriteKind(StrEnum):
    """How much the wording changed between a source passage and its retelling."""

    VERBATIM = "verbatim"
    LIGHT = "light"
    HEAVY = "heavy"


class Source(StrEnum):
    """Which side of a comparison came first."""

    A = "a"
    B = "b"
    SHARED = "shared"
    UNKNOWN = "unknown"

    def swapped(self) -> Source:
        """The same answer seen with the two articles exchanged."""
        return {Source.A: Source.B, Source.B: Source.A}.get(self, self)


class FactKind(StrEnum):
    """Kinds of checkable facts the fact diff tracks."""

    NUMBER = "number"
    NAME = "name"
    PLACE = "place"
    QUOTE = "quote"
    ATTRIBUTION = "attribution"


class FactStatus(StrEnum):
    """Where a fact occurs."""

    BOTH = "both"
    ONLY_A = "only_a"
    ONLY_B = "only_b"
    CHANGED = "changed"

    def swapped(self) -> FactStatus:
        """The same status with the two articles exchanged."""
        return {FactStatus.ONLY_A: FactStatus.ONLY_B, FactStatus.ONLY_B: FactStatus.ONLY_A}.get(
            self, self
        )


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A half-open character range ``[start, end)`` into an article's original text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"invalid span [{self.start}, {self.end})")

    def __len__(self) -> int:
        return self.end - self.start

    def slice(self, text: str) -> str:
        """Return the text this span covers."""
        return text[self.start : self.end]

    def cover(self, other: Span) -> Span:
        """Smallest span containing both."""
        return Span(min(self.start, other.start), max(self.end, other.end))


def content_hash(text: str) -> str:
    """Stable identifier of an article's text (hex SHA-256 of its UTF-8 bytes, 16 digits)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Origin:
    """Where an article was read from: a file and, in multi-record files, the record number."""

    path: str
    record: int | None = None

    def __post_init__(self) -> None:
        # A file name that is not valid UTF-8 reaches Python with its bad bytes as lone
        # surrogates ("bad\udcffname.txt"), which cannot be stored, printed or written as
        # JSON. It is kept as the name's bytes with the undecodable ones escaped
        # ("bad\\xffname.txt").
        if not self.path.isascii() and _SURROGATE.search(self.path):
            object.__setattr__(self, "path", _escape_surrogates(self.path))

    def __str__(self) -> str:
        return self.path if self.record is None else f"{self.path}#{self.record}"


@dataclass(frozen=True, slots=True)
class Article:
    """One news article as read, with its metadata.

    Attributes:
        text: The decoded original text. Every span of every result indexes this string.
        id: Content hash of ``text`` unless the caller gave an id.
        title: Title if known (it may also appear inside ``text``).
        date: Publication date or time as ISO 8601 text, if known.
        outlet: Publisher, paper or agency name, if known.
        url: Where the article was published, if known.
        origin: File (and record) it was read from, if read from a file.
        body: The part of ``text`` that holds the article body (title and date lines excluded).
    """

    text: str
    id: str
    title: str | None = None
    date: str | None = None
    outlet: str | None = None
    url: str | None = None
    origin: Origin | None = None
    body: Span | None = None

    @classmethod
    def from_text(cls, text: str, *, id: str | None = None, **meta: object) -> Article:
        """Build an article, deriving ``id`` from the text when none is given."""
        return cls(text=text, id=id or content_hash(text), **meta)  # type: ignore[arg-type]

    @property
    def body_span(self) -> Span:
        """The body region, or the whole text when no body was marked."""
        return self.body if self.body is not None else Span(0, len(self.text))

    @property
    def label(self) -> str:
        """A short human name: origin, else title, else id."""
        if self.origin is not None:
            return str(self.origin)
        return self.title or self.id


@dataclass(frozen=True, slots=True)
class Passage:
    """A passage of ``a`` aligned with its counterpart in ``b``.

    Attributes:
        a: Span in article a.
        b: Span in article b.
        kind: How the wording changed between the two sides.
        score: Similarity of the two sides, 0..1.
        lexical: Share of content words the two sides have in common, 0..1.
        semantic: Cosine similarity of the two sides' embeddings.
    """

    a: Span
    b: Span
    kind: RewriteKind
    score: float
    lexical: float = 0.0
    semantic: float = 0.0

    def swapped(self) -> Passage:
        """The same passage with the two sides exchanged."""
        return replace(self, a=self.b, b=self.a)


@dataclass(frozen=True, slots=True)
class FactDiff:
    """One fact and where it occurs.

    Attributes:
        kind: Number, name, place, quote or attribution.
        status: In both, only in a, only in b, or changed between aligned passages.
        a: Where it stands in a (``None`` when only in b).
        b: Where it stands in b (``None`` when only in a).
        a_text: The fact as written in a.
        b_text: The fact as written in b.
    """

    kind: FactKind
    status: FactStatus
    a: Span | None
    b: Span | None
    a_text: str | None
    b_text: str | None

    def swapped(self) -> FactDiff:
        """The same fact with the two sides exchanged."""
        return FactDiff(self.kind, self.status.swapped(), self.b, self.a, self.b_text, self.a_text)


@dataclass(frozen=True, slots=True)
class Evidence:
    """One cue for the direction of reuse.

    Attributes:
        cue: Machine name of the cue (``"date"``, ``"attribution"``, ``"containment"``, ...).
        favours: Which side the cue points to as the source (a, b, shared or unknown).
        weight: Strength of the cue (log-odds units; larger is stronger).
        detail: A sentence saying what was seen.
    """

    cue: str
    favours: Source
    weight: float
    detail: str

    def swapped(self) -> Evidence:
        """The same cue with the two sides exchanged."""
        return replace(self, favours=self.favours.swapped(), detail=_swap_words(self.detail))


def _swap_words(detail: str) -> str:
    # Details name the sides as "a" and "b" inside backquotes so they can be swapped exactly.
    return detail.replace("`a`", "\0").replace("`b`", "`a`").replace("\0", "`b`")


@dataclass(frozen=True, slots=True)
class Direction:
    """Which article came first, with the evidence for it."""

    source: Source
    confidence: float
    evidence: tuple[Evidence, ...] = ()

    def swapped(self) -> Direction:
        """The same answer with the two sides exchanged."""
        return Direction(
            self.source.swapped(), self.confidence, tuple(e.swapped() for e in self.evidence)
        )


@dataclass(frozen=True, slots=True)
class Verdict:
    """The overall judgement on a pair.

    Attributes:
        relation: Unrelated, same story, partially or wholly derived.
        kind: Rewrite kind, only when derived.
        score: Calibrated probability that one article is derived from the other (0..1).
        probabilities: Calibrated probability of each relation, as ``(relation, p)`` pairs.
    """

    relation: Relation
    kind: RewriteKind | None
    score: float
    probabilities: tuple[tuple[Relation, float], ...] = ()


@dataclass(frozen=True, slots=True)
class Comparison:
    """Everything ``compare`` finds out about two articles."""

    a: Article
    b: Article
    verdict: Verdict
    passages: tuple[Passage, ...]
    facts: tuple[FactDiff, ...]
    direction: Direction
    features: dict[str, float] = field(default_factory=dict, compare=False)

    def swapped(self) -> Comparison:
        """The same comparison with a and b exchanged (passages re-sorted by their new a)."""
        passages = tuple(sorted((p.swapped() for p in self.passages), key=_passage_key))
        facts = tuple(sorted((f.swapped() for f in self.facts), key=_fact_key))
        feats = {_swap_feature(k): v for k, v in self.features.items()}
        return Comparison(
            self.b, self.a, self.verdict, passages, facts, self.direction.swapped(), feats
        )


def _swap_feature(name: str) -> str:
    if name.endswith("_a"):
        return name[:-2] + "_b"
    if name.endswith("_b"):
        return name[:-2] + "_a"
    return name


def _passage_key(p: Passage) -> tuple[int, int, int, int]:
    return (p.a.start, p.a.end, p.b.start, p.b.end)


def _fact_key(f: FactDiff) -> tuple[int, int, str, str]:
    a = f.a.start if f.a is not None else -1
    b = f.b.start if f.b is not None else -1
    return (a, b, f.kind.value, f.status.value)


def passage_order(p: Passage) -> tuple[int, int, int, int]:
    """Canonical sort key of passages in a result: by position in a, then in b."""
    return _passage_key(p)


def fact_order(f: FactDiff) -> tuple[int, int, str, str]:
    """Canonical sort key of facts in a result."""
    return _fact_key(f)
