import re

from hypothesis import example, given
from hypothesis import strategies as st

from retold.text import STOPWORDS, normalize, stem_words, tokenize
from retold.text.tokens import _STEM_CACHE


@given(st.text(max_size=300))
# A soft hyphen sends the text down the slow path of normalize, which once folded the Cherokee
# capital with casefold() (to itself) where the fast path lowercased it.
@example("\xad\u13a0")
def test_token_spans_slice_to_the_token(text: str) -> None:
    toks = tokenize(text)
    for (start, end), word in zip(toks.spans.tolist(), toks.words, strict=True):
        assert 0 <= start < end <= len(text)
        # A token inside an expanded character ("¼" -> "1⁄4") maps to the whole character.
        assert word in normalize(text[start:end]).text


@given(st.text(max_size=200), st.integers(0, 200))
def test_region_offsets_index_the_whole_text(text: str, cut: int) -> None:
    cut = min(cut, len(text))
    toks = tokenize(text, cut)
    assert all(start >= cut for start in toks.spans[:, 0].tolist())


def test_words_stems_and_content() -> None:
    toks = tokenize("The Judge’s ruling: £2,000 fines for 3 drivers.")
    assert toks.words == ("the", "judge's", "ruling", "2,000", "fines", "for", "3", "drivers")
    assert toks.stems[4] == "fine"
    assert toks.content_mask().tolist() == [w not in STOPWORDS for w in toks.words]


_PLAIN_WORD = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:['-][^\W\d_]+)*")


# Letters, digits, joiners and symbols, ASCII or not: the array tokenizer reads text whose
# letters and digits are all ASCII (symbols such as "£" or "—" do not count), the regex the rest.
_MIXED = st.text(alphabet=st.sampled_from("aZ9,.'- \n£—_\x7f\u00e9\u00df\u00b2"), max_size=80)


@given(st.text(max_size=300) | _MIXED)
def test_tokens_are_the_word_matches_of_the_normalised_text(text: str) -> None:
    norm = normalize(text)
    toks = tokenize(text)
    matches = list(_PLAIN_WORD.finditer(norm.text))
    assert list(toks.words) == [m[0] for m in matches]
    assert toks.spans.tolist() == [list(norm.to_original(*m.span())) for m in matches]


def test_letters_and_digits_that_touch_are_two_words() -> None:
    assert tokenize("At 10am the G7 met: £2.5bn, rock'n'roll, up-to-date.").words == (
        "at", "10", "am", "the", "g", "7", "met", "2.5", "bn", "rock'n'roll", "up-to-date",
    )  # fmt: skip


def test_stems_are_the_same_with_a_cold_or_warm_memo() -> None:
    words = ["running", "courts", "jailed", "running"]
    warm = stem_words(words)
    _STEM_CACHE.clear()
    assert stem_words(words) == warm == ["run", "court", "jail", "run"]
