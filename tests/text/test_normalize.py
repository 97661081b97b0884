from hypothesis import given
from hypothesis import strategies as st

from retold.text import normalize
from retold.text.normalize import _fold_char

texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200
) | st.sampled_from(["“Quoted” — text", "ﬁne café", "PA\x19copy``here''", "naïve\u00a0space"])


@given(texts)
def test_offset_map_is_monotone_and_in_bounds(text: str) -> None:
    n = normalize(text)
    assert len(n.offsets) == len(n.text) + 1
    assert n.offsets[-1] == len(text)
    assert all(0 <= o <= len(text) for o in n.offsets)
    assert all(n.offsets[i] <= n.offsets[i + 1] for i in range(len(n.offsets) - 1))


@given(texts)
def test_every_normalised_char_comes_from_its_original_char(text: str) -> None:
    n = normalize(text)
    for i, ch in enumerate(n.text):
        src = text[n.offsets[i]]
        folded = (
            _fold_char(src)
            if (not src.isascii() or src == "`" or not src.isprintable())
            else src.lower()
        )
        if src.isascii() and not src.isprintable():
            folded = " " if src != "\n" else "\n"
        assert ch in folded or ch == src.lower()


@given(texts, st.data())
def test_spans_round_trip_to_the_original(text: str, data: st.DataObject) -> None:
    n = normalize(text)
    if not n.text:
        return
    start = data.draw(st.integers(0, len(n.text) - 1))
    end = data.draw(st.integers(start + 1, len(n.text)))
    o0, o1 = n.to_original(start, end)
    assert 0 <= o0 < o1 <= len(text)
    # Normalising the original slice gives back the normalised slice; a span that cuts into
    # a character that expanded ("ﬀ" -> "ff") maps to the whole character.
    assert n.text[start:end] in normalize(text[o0:o1]).text


def test_folds_quotes_dashes_and_case() -> None:
    assert normalize("“Kim’s” visit — ÉTÉ").text == '"kim\'s" visit - ete'
    assert normalize("``PA copy''").text == "''pa copy''"


def test_expansion_keeps_offsets() -> None:
    text = "ﬁre ﬂy"
    n = normalize(text)
    assert n.text == "fire fly"
    assert n.to_original(5, 8) == (4, 6)
