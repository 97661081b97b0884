import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from retold.model import Span
from retold.text import segment
from retold.text.segment import MAX_SENTENCE_CHARS, _blocks, _may_split


@given(st.text(max_size=600))
def test_sentence_spans_are_in_bounds_ordered_and_trimmed(text: str) -> None:
    sents = segment(text)
    last = 0
    for k, s in enumerate(sents):
        assert s.index == k
        assert last <= s.span.start < s.span.end <= len(text)
        piece = s.span.slice(text)
        assert piece == piece.strip()
        assert any(c.isalnum() for c in piece)
        last = s.span.end


@given(st.text(max_size=300), st.integers(0, 300), st.integers(0, 300))
def test_region_is_respected(text: str, x: int, y: int) -> None:
    lo, hi = sorted((min(x, len(text)), min(y, len(text))))
    for s in segment(text, Span(lo, hi)):
        assert lo <= s.span.start
        assert s.span.end <= hi


def test_headings_and_paragraphs() -> None:
    text = (
        "Storm Hits Coast\n\nThe storm arrived at dawn. It left 3,000 homes without power."
        "\n\nWhat Next\n\nCrews expect to finish by Friday."
    )
    sents = segment(text)
    assert [s.heading for s in sents] == [True, False, False, True, False]
    assert sents[2].span.slice(text) == "It left 3,000 homes without power."
    assert len({s.paragraph for s in sents}) == 4


def test_hard_wrapped_wire_copy_joins_lines() -> None:
    text = (
        "\x19The court heard that the man, who cannot\nbe named, had denied the charge.<\n"
        "\x19He will be sentenced\nnext month.<\n"
    )
    sents = segment(text)
    assert [s.span.slice(text) for s in sents] == [
        "The court heard that the man, who cannot\nbe named, had denied the charge.",
        "He will be sentenced\nnext month.",
    ]


def test_run_on_text_is_cut_into_bounded_pieces() -> None:
    text = ", ".join(f"clause number {k} goes on" for k in range(80))
    sents = segment(text)
    assert len(sents) > 1
    assert all(len(s.span) <= MAX_SENTENCE_CHARS for s in sents)
    assert sents[0].span.start == 0
    assert sents[-1].span.end == len(text)


def test_seed_headings_are_found(seeds: tuple[Path, Path]) -> None:
    text = seeds[0].read_text(encoding="utf-8")
    sents = segment(text)
    headings = [s for s in sents if s.heading]
    assert len(headings) >= 10  # the spun version is padded with section headings
    assert all(not s.span.slice(text).endswith(".") for s in headings)


def _nupunkt_spans(block: str) -> list[tuple[int, int]]:
    import nupunkt

    return [(int(s0), int(s1)) for s0, s1 in nupunkt.sent_spans(block)]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab A.!?…\"')\n\t<"), min_size=2, max_size=80))
def test_blocks_skipped_by_the_fast_path_are_one_nupunkt_span(block: str) -> None:
    if not _may_split(block):
        assert _nupunkt_spans(block) == [(0, len(block))]


def test_fast_path_agrees_with_nupunkt_on_shared_paragraphs(shared: Path) -> None:
    data = shared / "data"
    files = sorted(data.glob("meter/newspapers/rawtexts/**/*.txt"))[:300]
    files += sorted(data.glob("clough-stevenson/*.txt"))[:100]
    skipped = 0
    for path in files:
        text = path.read_bytes().decode("iso-8859-1")
        for b0, b1 in _blocks(text, 0, len(text)):
            block = text[b0:b1]
            if not _may_split(block) and len(block) > 1:
                skipped += 1
                assert _nupunkt_spans(block) == [(0, len(block))], path
    assert skipped > 100


# The block-break rule as first written (one branch for "\r\n" and "\n" blank lines); the
# compiled form splits it so that every branch starts with a literal character.
_PLAIN_BLOCK_BREAK = re.compile(
    r"\r?\n[ \t\r\f\v]*\n\s*"
    r"|\n(?=[\x00-\x08\x0e-\x1f])"
    r"|<[ \t]*\r?\n"
    r"|\n[ \t]*[-=_*]{4,}[ \t]*(?=\r?\n|$)"
)


@given(st.text(alphabet=st.sampled_from("\r\n \t\v\f<-=_*a.\x19"), max_size=60))
def test_block_breaks_match_the_plain_rule(text: str) -> None:
    from retold.text.segment import _BLOCK_BREAK

    got = [m.span() for m in _BLOCK_BREAK.finditer(text)]
    assert got == [m.span() for m in _PLAIN_BLOCK_BREAK.finditer(text)]
