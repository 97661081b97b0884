from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import pytest
from report_pairs import REWRITE_P1, WIRE_P1, WIRE_P2, hostile_pair, wire_and_rewrite

from retold.errors import FormatError
from retold.model import Article, Comparison, FactStatus, Source
from retold.report import SCHEMA_VERSION, comparison_from_dict, render_json, to_dict

DOC = Path(__file__).resolve().parents[2] / "docs" / "json-schema.md"

TOP_KEYS = [
    "schema", "a", "b", "relation", "kind", "score", "probabilities", "source", "direction",
    "passages", "facts", "features",
]  # fmt: skip


def _roundtrip(c: Comparison, **kw: object) -> Comparison:
    text = render_json(c, **kw)  # type: ignore[arg-type]
    return comparison_from_dict(json.loads(text), c.a, c.b)


@pytest.mark.parametrize("overlap", [False, True])
def test_round_trip_is_exact_for_four_decimal_values(overlap: bool) -> None:
    c = wire_and_rewrite(overlap=overlap).comparison
    back = _roundtrip(c)
    assert back == c
    assert back.features == c.features


def test_round_trip_without_articles_needs_and_uses_stored_text() -> None:
    c = wire_and_rewrite().comparison
    d = json.loads(render_json(c, include_text=True))
    back = comparison_from_dict(d)
    assert back == c
    assert back.a == c.a
    assert back.b.origin == c.b.origin
    assert back.a.body == c.a.body
    with pytest.raises(FormatError, match="no text stored"):
        comparison_from_dict(to_dict(c))


def test_hostile_text_round_trips_through_json() -> None:
    c = hostile_pair().comparison
    assert comparison_from_dict(json.loads(render_json(c, include_text=True))) == c


def test_passage_offsets_slice_the_expected_text() -> None:
    pair = wire_and_rewrite(overlap=True)
    c = pair.comparison
    d = json.loads(render_json(c, include_text=True))
    assert len(d["passages"]) == len(pair.expected)
    for p, (want_a, want_b) in zip(d["passages"], pair.expected, strict=True):
        assert d["a"]["text"][p["a"]["start"] : p["a"]["end"]] == want_a == p["a"]["text"]
        assert d["b"]["text"][p["b"]["start"] : p["b"]["end"]] == want_b == p["b"]["text"]
    texts = {(p["a"]["text"], p["b"]["text"]) for p in d["passages"]}
    assert (WIRE_P1, REWRITE_P1) in texts
    assert (WIRE_P2, WIRE_P2) in texts
    for f in d["facts"]:
        if f["a"] is not None:
            assert c.a.text[f["a"]["start"] : f["a"]["end"]] == f["a_text"]
        if f["b"] is not None:
            assert c.b.text[f["b"]["start"] : f["b"]["end"]] == f["b_text"]


def test_offsets_count_code_points_not_bytes() -> None:
    c = wire_and_rewrite().comparison
    prefix = "Zürich 東京 🚀 "
    a = Article.from_text(prefix + c.a.text, id="wide")
    shift = len(prefix)
    moved = tuple(replace(p, a=type(p.a)(p.a.start + shift, p.a.end + shift)) for p in c.passages)
    c2 = replace(c, a=a, passages=moved, facts=())
    d = to_dict(c2, include_text=True)
    for p, want in zip(d["passages"], c.passages, strict=True):
        assert p["a"]["text"] == want.a.slice(c.a.text)
        assert p["a"]["start"] == want.a.start + shift
    assert shift == 12 < len(prefix.encode("utf-8"))


def test_swapped_exchanges_sides() -> None:
    c = wire_and_rewrite(overlap=True).comparison
    d, s = to_dict(c, include_text=True), to_dict(c.swapped(), include_text=True)
    assert s["a"] == d["b"]
    assert s["b"] == d["a"]
    assert s["source"] == "b"
    assert d["source"] == "a"
    assert [e["favours"] for e in s["direction"]["evidence"]] == ["b", "b"]
    assert "`b` is dated 6 hours before `a`" in [e["detail"] for e in s["direction"]["evidence"]]
    pairs = sorted((p["a"]["text"], p["b"]["text"]) for p in d["passages"])
    swapped_pairs = sorted((p["b"]["text"], p["a"]["text"]) for p in s["passages"])
    assert pairs == swapped_pairs
    only = [f for f in s["facts"] if f["status"] == FactStatus.ONLY_B.value]
    assert [(f["b_text"], f["a"]) for f in only] == [("40,000", None)]
    assert s["features"]["containment_b"] == d["features"]["containment_a"]
    assert (s["relation"], s["score"], s["kind"]) == (d["relation"], d["score"], d["kind"])


def test_output_is_deterministic_with_fixed_key_order() -> None:
    c = wire_and_rewrite().comparison
    assert render_json(c) == render_json(c)
    d = json.loads(render_json(c))
    assert list(d) == TOP_KEYS
    assert list(d["a"]) == ["id", "title", "date", "outlet", "url", "origin", "length", "body"]
    assert list(d["passages"][0]) == ["a", "b", "kind", "score", "lexical", "semantic"]
    assert list(d["facts"][0]) == ["kind", "status", "a", "b", "a_text", "b_text"]
    assert list(d["direction"]) == ["source", "confidence", "evidence"]
    assert list(d["direction"]["evidence"][0]) == ["cue", "favours", "weight", "detail"]
    assert list(d["probabilities"]) == [
        "unrelated", "same_story", "partially_derived", "wholly_derived",
    ]  # fmt: skip
    assert "\n" not in render_json(c, indent=None)


def test_floats_rounded_and_non_finite_features_become_null() -> None:
    c = wire_and_rewrite().comparison
    c = replace(
        c,
        verdict=replace(c.verdict, score=0.123456789),
        features={"nan_feature": math.nan, "inf": math.inf, "x": 1 / 3},
    )
    d = json.loads(render_json(c))
    assert d["score"] == 0.1235
    assert d["features"] == {"inf": None, "nan_feature": None, "x": 0.3333}
    back = comparison_from_dict(d, c.a, c.b)
    assert back.verdict.score == 0.1235
    assert math.isnan(back.features["nan_feature"])


def test_kind_is_null_unless_derived() -> None:
    c = wire_and_rewrite().comparison
    from retold.model import Relation

    c2 = replace(c, verdict=replace(c.verdict, relation=Relation.SAME_STORY))
    assert to_dict(c2)["kind"] is None
    assert to_dict(c)["kind"] == "light"


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(schema="retold.compare/999"), "unsupported schema"),
        (lambda d: d["passages"][0]["a"].update(end=10_000), "outside text"),
        (lambda d: d["passages"][1].update(kind="rephrased"), "unknown RewriteKind"),
        (lambda d: d["a"].update(id="someone-else"), "is not the given article"),
        (lambda d: d.pop("direction"), "missing 'direction'"),
        (lambda d: d["facts"][0].update(status=3), "unknown FactStatus"),
        (lambda d: d.update(score="high"), "not a number"),
        (lambda d: d.update(passages={}), "not a list"),
    ],
)
def test_bad_dicts_raise_format_error(mutate: object, message: str) -> None:
    c = wire_and_rewrite().comparison
    d = json.loads(render_json(c))
    mutate(d)  # type: ignore[operator]
    with pytest.raises(FormatError, match=message) as info:
        comparison_from_dict(d, c.a, c.b, source="archive.db")
    assert info.value.source == "archive.db"


def test_schema_doc_names_every_field() -> None:
    doc = DOC.read_text(encoding="utf-8")
    assert SCHEMA_VERSION in doc
    d = to_dict(wire_and_rewrite().comparison, include_text=True)
    names: set[str] = set(d) | set(d["a"]) | set(d["direction"]) | set(d["passages"][0])
    names |= set(d["facts"][0]) | set(d["direction"]["evidence"][0]) | set(d["a"]["origin"])
    names |= set(d["passages"][0]["a"])
    missing = sorted(n for n in names if f"`{n}`" not in doc)
    assert missing == []
    for value in (*Source, *FactStatus):
        assert f"`{value.value}`" in doc
