"""Credit lines ("PA reported", "(Reuters) -"): the windowed scan finds what a full scan finds."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from retold.provenance.direction import _CREDIT, AGENCIES, _credits


def full_scan(text: str) -> set[str]:
    """The credits of ``text`` found by scanning all of it (no pre-check)."""
    found: set[str] = set()
    for m in _CREDIT.finditer(text):
        name = (m.group(1) or m.group(2) or m.group(3) or "").strip().lower()
        for agency in AGENCIES:
            if name == agency or name.startswith(agency + " ") or name.endswith(" " + agency):
                found.add(agency)
    return found


PIECES = [
    "PA", "Pa", "pa", "Reuters", "REUTERS", "AP", "Ap", "AFP", "Press", "Association", "News",
    "Agence", "France-Presse", "said", "reported", "reports", "told", "according to", "the",
    "citing", "via", "news agency", "Smith", "Paid", "DPA", "Dpa", "(", ")", "-", ",", "<", ".",
    "'", "&", "\n", " ", " ", " ", "\t", "é", "İ", "Kyodo", "Xinhua", "Upi",
]  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_windowed_credits_equal_a_full_scan(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert _credits(text) == full_scan(text)


def test_written_credit_lines() -> None:
    text = "The man was jailed, the Press Association reported. (Reuters) - Shares fell, AP said."
    assert _credits(text) == full_scan(text) == {"press association", "reuters", "ap"}
    assert _credits("Paid apart, the pair appealed.") == set()


def test_shared_articles(shared: Path) -> None:
    paths = sorted((shared / "data" / "meter").glob("**/rawtexts/**/*.txt"))[:300]
    paths += sorted((shared / "data" / "bbc-news").glob("*/*.txt"))[:300]
    for path in paths:
        text = path.read_bytes().decode("iso-8859-1")
        assert _credits(text) == full_scan(text), path


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_looking_back_by_short_steps_finds_the_same_credits(pieces: list[str]) -> None:
    """The backward search for a barrier reads in steps; tiny steps take many of them."""
    import retold.provenance.direction as direction

    text = "".join(pieces)
    step = direction._BACK_STEP
    try:
        direction._BACK_STEP = 2
        assert _credits(text) == full_scan(text)
    finally:
        direction._BACK_STEP = step
