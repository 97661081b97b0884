"""Headings, sentence starts and common words: what a capital letter does not prove."""

from __future__ import annotations

from retold.text.capitals import LowerWords, heading_lines, sentence_initial


def test_all_caps_and_title_case_lines_are_headings() -> None:
    text = "COURT NEWS\nMan Jailed For Theft In Leeds\nA man was jailed today.\n"
    starts, ends = heading_lines(text, 0, len(text))
    lines = [text[s:e] for s, e in zip(starts, ends, strict=True)]
    assert lines == ["COURT NEWS", "Man Jailed For Theft In Leeds"]


def test_a_wrapped_sentence_is_not_a_heading() -> None:
    text = "The judge told the court that\nJohn Smith Had Lied\n"
    assert heading_lines(text, 0, len(text)) == ([], [])


def test_no_line_break_no_heading() -> None:
    assert heading_lines("ONE LINE ONLY", 0, 13) == ([], [])


def test_heading_offsets_index_the_whole_text() -> None:
    text = "body text.\nTHE HEADLINE\nmore."
    lo = text.index("THE")
    starts, ends = heading_lines(text, lo - 1, len(text))
    assert [text[s:e] for s, e in zip(starts, ends, strict=True)] == ["THE HEADLINE"]


def test_sentence_starts() -> None:
    text = 'He left. "Then he ran," said Smith.\n\nPolice came.\nthe end,\nMore text'
    assert sentence_initial(text, 0)
    assert sentence_initial(text, text.index("Then"))  # after a full stop and a quote mark
    assert not sentence_initial(text, text.index("Smith"))
    assert sentence_initial(text, text.index("Police"))  # a new paragraph
    assert not sentence_initial(text, text.index("More"))  # a line wrapped after a comma


def test_lower_case_occurrences_make_a_word_common() -> None:
    text = "Judge Smith said the judge was right. Rose rose early."
    common = LowerWords(text)
    assert "Judge" in common
    assert "Rose" in common
    assert "Smith" not in common


def test_lower_words_of_a_long_text_use_one_pass() -> None:
    text = "Baker " * 4000 + "a baker"
    assert len(text) > 20_000
    assert "Baker" in LowerWords(text)
    assert "Smith" not in LowerWords(text)
