"""The Python WordPiece fast path gives exactly the tokenizer's ids."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retold.fingerprint.minilm import load_tokenizer, model_dir
from retold.fingerprint.wordpiece import WordPieceIds

pytestmark = [pytest.mark.model, pytest.mark.usefixtures("weights_installed")]


@pytest.fixture(scope="module")
def tokenizer() -> Any:
    return load_tokenizer(model_dir(), max_length=None)


@pytest.fixture(scope="module")
def fast(tokenizer: Any) -> WordPieceIds:
    ids = WordPieceIds(tokenizer)
    assert ids.fast
    return ids


def reference(tokenizer: Any, texts: list[str]) -> list[list[int]]:
    return [list(e.ids) for e in tokenizer.encode_batch(texts, add_special_tokens=False)]


WRITTEN = [
    "",
    "   ",
    "Kim's visit: 130 km away.",
    "The court fined him £2,000 (about $2,500) on 23 June.",
    "\x19PA copy starts paragraphs with a control mark.<",
    "Tabs\tand\r\nnew lines, \x0bvertical tab, \x1cfile sep, \x7fdelete.",
    "Unbelievably-hyphenated-compounds and antidisestablishmentarianism!",
    "x" * 99 + " " + "y" * 100 + " " + "z" * 101,
    "Special tokens [CLS] and [SEP] and [UNK] are matched before normalisation.",
    "Café, naïve, Zürich, İstanbul, 東京 and emoji 🙂 go to the tokenizer.",
    "#hashtags @handles ~tilde `backtick` {braces} |pipes| ^caret_under",
]


def test_written_sentences(tokenizer: Any, fast: WordPieceIds) -> None:
    assert fast.encode(WRITTEN) == reference(tokenizer, WRITTEN)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(max_codepoint=127), max_size=300), max_size=8))
def test_random_ascii(tokenizer: Any, fast: WordPieceIds, texts: list[str]) -> None:
    assert fast.encode(texts) == reference(tokenizer, texts)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.sampled_from("ab9 -.'\x19\x0b\t\n£é["), max_size=120),
        max_size=6,
    )
)
def test_random_mixed(tokenizer: Any, fast: WordPieceIds, texts: list[str]) -> None:
    assert fast.encode(texts) == reference(tokenizer, texts)


def test_shared_corpora_lines(shared: Path, tokenizer: Any, fast: WordPieceIds) -> None:
    lines: list[str] = []
    data = shared / "data"
    for pattern in ("meter/PA/rawtexts/**/*.txt", "clough-stevenson/*.txt", "bbc-news/*/*.txt"):
        for path in sorted(data.glob(pattern))[:400]:
            lines += path.read_bytes().decode("iso-8859-1").splitlines()
    msrp = data / "msrp" / "msr_paraphrase_train.txt"
    if msrp.is_file():
        lines += msrp.read_text(encoding="utf-8-sig").splitlines()[:2000]
    if not lines:
        pytest.skip("no shared corpora found")
    assert fast.encode(lines) == reference(tokenizer, lines)


def test_other_tokenizer_configurations_fall_back(tokenizer: Any) -> None:
    from tokenizers import Tokenizer

    cased = Tokenizer.from_str(tokenizer.to_str().replace('"lowercase":true', '"lowercase":false'))
    ids = WordPieceIds(cased)
    assert not ids.fast
    texts = ["Mixed Case Words.", "Kim's visit."]
    assert ids.encode(texts) == reference(cased, texts)


def flat_reference(tokenizer: Any, texts: list[str]) -> tuple[list[int], list[int]]:
    ids = reference(tokenizer, texts)
    return [i for row in ids for i in row], [len(row) for row in ids]


def test_every_table_character_in_context(tokenizer: Any, fast: WordPieceIds) -> None:
    import unicodedata

    # Latin-1, Latin Extended, punctuation and currency characters: each alone, inside a word,
    # beside digits and doubled, as the tokenizer sees them.
    chars = [
        chr(c)
        for lo, hi in ((0x80, 0x250), (0x2010, 0x205F), (0x20A0, 0x20C0))
        for c in range(lo, hi)
        if unicodedata.category(chr(c)) != "Cn"
    ]
    texts = [t for ch in chars for t in (ch, f"a{ch}b", f"£2{ch}000 {ch}x", f"Word{ch}{ch}.")]
    assert fast.encode(texts) == reference(tokenizer, texts)
    flat = fast.encode_flat(texts)
    assert (flat.ids.tolist(), flat.lengths.tolist()) == flat_reference(tokenizer, texts)
    # Most of them take the fast path: METER's "£" and accented names above all.
    assert sum(map(fast._handles, texts)) > 0.8 * len(texts)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.sampled_from("ab9 -.'\x19\t\n£é½«’—\u00ad\u00a0İ東🙂["), max_size=80),
        max_size=8,
    )
)
def test_encode_flat_is_encode_concatenated(
    tokenizer: Any, fast: WordPieceIds, texts: list[str]
) -> None:
    flat = fast.encode_flat(texts)
    assert (flat.ids.tolist(), flat.lengths.tolist()) == flat_reference(tokenizer, texts)
    assert fast.encode(texts) == reference(tokenizer, texts)


def test_encode_flat_on_shared_sentences(shared: Path, tokenizer: Any, fast: WordPieceIds) -> None:
    paths = sorted((shared / "data" / "meter" / "newspapers").glob("rawtexts/**/*.txt"))[:60]
    if not paths:
        pytest.skip("no METER corpus found")
    for path in paths:
        lines = path.read_bytes().decode("iso-8859-1").splitlines()
        flat = fast.encode_flat(lines)
        assert (flat.ids.tolist(), flat.lengths.tolist()) == flat_reference(tokenizer, lines)


def test_remembered_cuts_give_the_same_ids(tokenizer: Any) -> None:
    ids = WordPieceIds(tokenizer)
    texts = ["Zelenskyy met Ouagadougou officials.", "Ouagadougou and Zelenskyy again."]
    first = ids.encode(texts)
    again = ids.encode(list(reversed(texts)))  # cut pieces now come from the memo
    assert first == reference(tokenizer, texts)
    assert again == reference(tokenizer, list(reversed(texts)))
    ids.clear_memo()
    assert ids.encode(texts) == first
