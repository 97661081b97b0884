from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest
from report_pairs import hostile_pair, wire_and_rewrite

from retold.model import Article, Direction, Origin, Source
from retold.report import render_pan_xml
from retold.report.pan_xml import pan_reference


@pytest.mark.parametrize(
    ("source", "suspicious"),
    [(Source.A, "b"), (Source.B, "a"), (Source.SHARED, "a"), (Source.UNKNOWN, "a")],
)
def test_features_point_at_the_passages(source: Source, suspicious: str) -> None:
    pair = wire_and_rewrite(overlap=True, source=source)
    c = pair.comparison
    root = ET.fromstring(render_pan_xml(c).encode("utf-8"))
    this_art, src_art = (c.a, c.b) if suspicious == "a" else (c.b, c.a)
    assert root.tag == "document"
    assert root.get("reference") == ("bridge.txt" if suspicious == "a" else "example.jsonl#7")
    feats = root.findall("feature")
    assert len(feats) == len(c.passages)
    got = set()
    for f in feats:
        assert f.get("name") == "detected-plagiarism"
        assert f.get("source_reference") == pan_reference(src_art)
        off, ln = int(f.get("this_offset", "")), int(f.get("this_length", ""))
        soff, sln = int(f.get("source_offset", "")), int(f.get("source_length", ""))
        got.add((this_art.text[off : off + ln], src_art.text[soff : soff + sln]))
    want = {(pa, pb) if suspicious == "a" else (pb, pa) for pa, pb in pair.expected}
    assert got == want
    offsets = [int(f.get("this_offset", "")) for f in feats]
    assert offsets == sorted(offsets)


def test_hostile_names_are_escaped_and_parse() -> None:
    c = hostile_pair().comparison  # direction says a is the source: b is suspicious
    b = replace(c.b, origin=Origin('C:\\feeds\\we<ird> "&" \x01name.txt'))
    text = render_pan_xml(replace(c, b=b))
    root = ET.fromstring(text)
    assert root.get("reference") == 'we<ird> "&" \ufffdname.txt'
    assert {f.get("source_reference") for f in root} == {'"><b>.txt'}
    assert len(root) == len(c.passages)


def test_reference_falls_back_to_id_and_no_passages_gives_empty_document() -> None:
    c = wire_and_rewrite().comparison
    a = Article.from_text(c.a.text, id="wire-17")
    empty = replace(c, a=a, passages=(), direction=Direction(Source.UNKNOWN, 0.0))
    root = ET.fromstring(render_pan_xml(empty))
    assert root.get("reference") == "wire-17"
    assert len(root) == 0
