"""A comparison as JSON, with a versioned schema (see ``docs/json-schema.md``).

Offsets in the output are Python ``str`` indices into each article's decoded original text, that
is Unicode code points, half-open ``[start, end)``. Floats are rounded to 4 decimals; non-finite
feature values become ``null``. Keys come out in one fixed order, so the same comparison always
renders to the same bytes.

Example:
    >>> from retold.model import Article, Comparison, Direction, Source, Verdict, Relation
    >>> a, b = Article.from_text("one", id="a1"), Article.from_text("two", id="b1")
    >>> c = Comparison(a, b, Verdict(Relation.UNRELATED, None, 0.0123456), (), (),
    ...                Direction(Source.UNKNOWN, 0.0))
    >>> d = to_dict(c)
    >>> d["schema"], d["score"], d["a"]["length"]
    ('retold.compare/1', 0.0123, 3)
    >>> comparison_from_dict(d, a, b).verdict.relation
    <Relation.UNRELATED: 'unrelated'>
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any, TypeVar

from retold.errors import FormatError
from retold.model import (
    Article,
    Comparison,
    Direction,
    Evidence,
    FactDiff,
    FactKind,
    FactStatus,
    Origin,
    Passage,
    Relation,
    RewriteKind,
    Source,
    Span,
    Verdict,
)

__all__ = [
    "SCHEMA_VERSION",
    "article_dict",
    "comparison_from_dict",
    "evidence_dict",
    "render_json",
    "to_dict",
]

SCHEMA_VERSION = "retold.compare/1"
_E = TypeVar("_E", Relation, RewriteKind, Source, FactKind, FactStatus)
_DIGITS = 4


def _num(x: float) -> float | None:
    value = float(x)
    return round(value, _DIGITS) if math.isfinite(value) else None


def _span(s: Span | None, text: str | None = None) -> dict[str, Any] | None:
    if s is None:
        return None
    out: dict[str, Any] = {"start": s.start, "end": s.end}
    if text is not None:
        out["text"] = s.slice(text)
    return out


def article_dict(art: Article, include_text: bool = False) -> dict[str, Any]:
    """An article's metadata as JSON data (shared by the compare and stories schemas)."""
    origin = None if art.origin is None else {"path": art.origin.path, "record": art.origin.record}
    out: dict[str, Any] = {
        "id": art.id,
        "title": art.title,
        "date": art.date,
        "outlet": art.outlet,
        "url": art.url,
        "origin": origin,
        "length": len(art.text),
        "body": _span(art.body),
    }
    if include_text:
        out["text"] = art.text
    return out


def _passage(p: Passage, a: str | None, b: str | None) -> dict[str, Any]:
    return {
        "a": _span(p.a, a),
        "b": _span(p.b, b),
        "kind": p.kind.value,
        "score": _num(p.score),
        "lexical": _num(p.lexical),
        "semantic": _num(p.semantic),
    }


def _fact(f: FactDiff) -> dict[str, Any]:
    return {
        "kind": f.kind.value,
        "status": f.status.value,
        "a": _span(f.a),
        "b": _span(f.b),
        "a_text": f.a_text,
        "b_text": f.b_text,
    }


def evidence_dict(e: Evidence) -> dict[str, Any]:
    """One direction cue as plain data (the ``evidence`` objects of the schema)."""
    return {"cue": e.cue, "favours": e.favours.value, "weight": _num(e.weight), "detail": e.detail}


def to_dict(c: Comparison, *, include_text: bool = False) -> dict[str, Any]:
    """Turn a comparison into plain JSON-ready data (schema ``retold.compare/1``).

    Args:
        c: The comparison.
        include_text: Also give each article's full ``text`` and each passage side's ``text``.

    Returns:
        A dict of str, int, float, None, lists and dicts, keys in a fixed order.
    """
    a_text = c.a.text if include_text else None
    b_text = c.b.text if include_text else None
    probs = dict(c.verdict.probabilities)
    verdict_kind = c.verdict.kind if c.verdict.relation.derived else None
    return {
        "schema": SCHEMA_VERSION,
        "a": article_dict(c.a, include_text),
        "b": article_dict(c.b, include_text),
        "relation": c.verdict.relation.value,
        "kind": None if verdict_kind is None else verdict_kind.value,
        "score": _num(c.verdict.score),
        "probabilities": {r.value: _num(probs[r]) for r in Relation if r in probs},
        "source": c.direction.source.value,
        "direction": {
            "source": c.direction.source.value,
            "confidence": _num(c.direction.confidence),
            "evidence": [evidence_dict(e) for e in c.direction.evidence],
        },
        "passages": [_passage(p, a_text, b_text) for p in c.passages],
        "facts": [_fact(f) for f in c.facts],
        "features": {k: _feature(c.features[k]) for k in sorted(c.features)},
    }


def _feature(v: float) -> int | float | None:
    if isinstance(v, int) and not isinstance(v, bool):
        return v
    return _num(v)


def render_json(c: Comparison, *, indent: int | None = 2, include_text: bool = False) -> str:
    """Render a comparison as JSON text.

    Args:
        c: The comparison.
        indent: Indentation per level; ``None`` gives one compact line.
        include_text: Also give article and passage text (see :func:`to_dict`).

    Returns:
        The JSON document (UTF-8 friendly: non-ASCII characters are kept as they are).
    """
    separators = (",", ": ") if indent is not None else (",", ":")
    return json.dumps(
        to_dict(c, include_text=include_text),
        indent=indent,
        ensure_ascii=False,
        allow_nan=False,
        separators=separators,
    )


class _Reader:
    """Reads one comparison dict, naming the place of the first thing that does not fit."""

    def __init__(self, source: str | None) -> None:
        self.source = source

    def fail(self, where: str, why: str) -> FormatError:
        return FormatError(f"comparison JSON, {where}: {why}", source=self.source)

    def get(self, d: Any, key: str, where: str) -> Any:
        if not isinstance(d, Mapping) or key not in d:
            raise self.fail(where, f"missing {key!r}")
        return d[key]

    def num(self, d: Any, key: str, where: str, default: float | None = None) -> float:
        if default is not None and isinstance(d, Mapping) and d.get(key) is None:
            return default
        v = self.get(d, key, where)
        if isinstance(v, bool) or not isinstance(v, int | float):
            raise self.fail(where, f"{key!r} is not a number")
        return float(v)

    def opt(self, d: Any, key: str, where: str) -> Any:
        if not isinstance(d, Mapping):
            raise self.fail(where, "not an object")
        return d.get(key)

    def text(self, d: Any, key: str, where: str) -> str | None:
        v = self.opt(d, key, where)
        if v is not None and not isinstance(v, str):
            raise self.fail(where, f"{key!r} is not a string")
        return v

    def items(self, d: Any, key: str, where: str) -> list[Any]:
        v = self.get(d, key, where)
        if not isinstance(v, list):
            raise self.fail(where, f"{key!r} is not a list")
        return v

    def enum(self, cls: type[_E], value: Any, where: str) -> _E:
        try:
            return cls(value)
        except ValueError:
            raise self.fail(where, f"unknown {cls.__name__} {value!r}") from None

    def span(self, d: Any, where: str, length: int) -> Span | None:
        if d is None:
            return None
        start, end = self.get(d, "start", where), self.get(d, "end", where)
        if not (isinstance(start, int) and isinstance(end, int)) or not 0 <= start <= end <= length:
            raise self.fail(where, f"span [{start!r}, {end!r}) outside text of length {length}")
        return Span(start, end)

    def article(self, d: Any, side: str, given: Article | None) -> Article:
        meta = self.get(d, side, "top level")
        if given is not None:
            if self.get(meta, "id", side) != given.id:
                raise self.fail(side, f"id {meta['id']!r} is not the given article's {given.id!r}")
            if self.get(meta, "length", side) != len(given.text):
                raise self.fail(side, "length differs from the given article's text")
            return given
        text = self.text(meta, "text", side)
        if text is None:
            raise self.fail(side, "no article given and no text stored")
        origin = self.opt(meta, "origin", side)
        record = self.opt(origin, "record", f"{side}.origin") if origin is not None else None
        if record is not None and (isinstance(record, bool) or not isinstance(record, int)):
            raise self.fail(f"{side}.origin", "'record' is not an integer")
        return Article(
            text=text,
            id=str(self.get(meta, "id", side)),
            title=self.text(meta, "title", side),
            date=self.text(meta, "date", side),
            outlet=self.text(meta, "outlet", side),
            url=self.text(meta, "url", side),
            origin=None
            if origin is None
            else Origin(str(self.get(origin, "path", f"{side}.origin")), record),
            body=self.span(meta.get("body"), f"{side}.body", len(text)),
        )

    def passage(self, p: Any, where: str, la: int, lb: int) -> Passage:
        sa = self.span(self.get(p, "a", where), f"{where}.a", la)
        sb = self.span(self.get(p, "b", where), f"{where}.b", lb)
        if sa is None or sb is None:
            raise self.fail(where, "a passage needs both sides")
        return Passage(
            sa,
            sb,
            self.enum(RewriteKind, self.get(p, "kind", where), where),
            self.num(p, "score", where),
            self.num(p, "lexical", where, 0.0),
            self.num(p, "semantic", where, 0.0),
        )

    def fact(self, f: Any, where: str, la: int, lb: int) -> FactDiff:
        return FactDiff(
            self.enum(FactKind, self.get(f, "kind", where), where),
            self.enum(FactStatus, self.get(f, "status", where), where),
            self.span(self.opt(f, "a", where), f"{where}.a", la),
            self.span(self.opt(f, "b", where), f"{where}.b", lb),
            self.text(f, "a_text", where),
            self.text(f, "b_text", where),
        )

    def evidence(self, e: Any, where: str) -> Evidence:
        return Evidence(
            str(self.get(e, "cue", where)),
            self.enum(Source, self.get(e, "favours", where), where),
            self.num(e, "weight", where),
            str(self.get(e, "detail", where)),
        )


def comparison_from_dict(
    d: Mapping[str, Any],
    a: Article | None = None,
    b: Article | None = None,
    *,
    source: str | None = None,
) -> Comparison:
    """Rebuild a comparison from :func:`to_dict` output.

    The round trip is exact except that floats come back rounded to 4 decimals (and non-finite
    features come back as NaN).

    Args:
        d: The dict (for example ``json.loads`` of :func:`render_json` output).
        a: Article a. When ``None``, it is rebuilt from the dict, which then must hold its text
            (``include_text=True``).
        b: Article b, likewise.
        source: Where the dict came from, named in errors.

    Returns:
        The comparison.

    Raises:
        FormatError: Unknown schema, missing or mistyped field, a span outside its article, or
            an article whose id or length does not match the dict.
    """
    r = _Reader(source)
    top = "top level"
    schema = r.get(d, "schema", top)
    if schema != SCHEMA_VERSION:
        raise r.fail(
            "schema", f"unsupported schema {schema!r}; this version reads {SCHEMA_VERSION}"
        )
    art_a, art_b = r.article(d, "a", a), r.article(d, "b", b)
    la, lb = len(art_a.text), len(art_b.text)
    kind = r.opt(d, "kind", top)
    probs = r.opt(d, "probabilities", top) or {}
    verdict = Verdict(
        r.enum(Relation, r.get(d, "relation", top), "relation"),
        None if kind is None else r.enum(RewriteKind, kind, "kind"),
        r.num(d, "score", top),
        tuple(
            (r.enum(Relation, k, "probabilities"), r.num(probs, k, "probabilities")) for k in probs
        ),
    )
    dir_in = r.get(d, "direction", top)
    direction = Direction(
        r.enum(Source, r.get(dir_in, "source", "direction"), "direction.source"),
        r.num(dir_in, "confidence", "direction"),
        tuple(
            r.evidence(e, f"direction.evidence[{i}]")
            for i, e in enumerate(r.items(dir_in, "evidence", "direction"))
        ),
    )
    passages = tuple(
        r.passage(p, f"passages[{i}]", la, lb) for i, p in enumerate(r.items(d, "passages", top))
    )
    facts = tuple(r.fact(f, f"facts[{i}]", la, lb) for i, f in enumerate(r.items(d, "facts", top)))
    feats = r.opt(d, "features", top) or {}
    features = {
        str(k): float("nan") if v is None else r.num(feats, k, "features") for k, v in feats.items()
    }
    return Comparison(art_a, art_b, verdict, passages, facts, direction, features)
