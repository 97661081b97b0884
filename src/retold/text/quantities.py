"""Numbers, amounts, ages, measures and dates in text, with a normalised key for matching.

``£2,000``, ``2000 pounds`` and ``#2,000`` (METER wire copy writes the pound sign as ``#``) all
get the key ``"2000 GBP"``; ``aged 34``, ``34-year-old`` and ``Andrew Binney, 34,`` get
``"34 age"``; ``June 23, 2024`` and ``23 June 2024`` get ``"date 2024-06-23"``.

Example:
    >>> text = "He paid £2m, aged 34, on 23 June 2024."
    >>> [(q.text, q.key) for q in find_quantities(text, text.lower(), 0, len(text))]
    [('£2m', '2000000 GBP'), ('34', '34 age'), ('23 June 2024', 'date 2024-06-23')]
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from retold.model import Span
from retold.text.factwords import (
    CURRENCIES,
    MONTHS,
    MULTIPLIERS,
    NUMBER_WORDS,
    UNITS,
    UPPER,
    find_whole_words,
    words_by_prefix,
)

__all__ = ["Fields", "Quantity", "find_quantities", "quantity_fields"]


@dataclass(frozen=True, slots=True)
class Quantity:
    """One number found in a text.

    Attributes:
        span: Where it stands in the original text.
        text: As written (``span`` sliced from the text).
        key: Canonical value and unit: ``"2000 GBP"``, ``"34 age"``, ``"130 km"``, ``"1992
            calendar"``, ``"date 2024-06-?"`` (``?`` for a part the text leaves out).
        unit: The unit alone (``"GBP"``, ``"age"``, ``"date"``), or ``""`` for a bare count.
    """

    span: Span
    text: str
    key: str
    unit: str


_UP = UPPER
_WORD = re.compile(r"[a-z]+")
_DIGITISH = re.compile(r"[0-9£$€¥#][0-9,.]*")  # ASCII digits: [0-9] scans 4x faster than \d
_NUMBER = (
    r"(?P<cur>US\$|HK\$|A\$|C\$|[£$€¥]|#(?=\d))?(?:(?<=[£$€¥])[ ])?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
)
_UNIT_RE = "|".join(re.escape(u).replace(r"\ ", "[ ]") for u in sorted(UNITS, key=len)[::-1])
# What follows a number: a multiplier, "years old" or a unit. No match: a clock time or a
# fraction ("15:51", "3/4").
_TAIL_RE = (
    rf"(?![:/]\d)(?:[ ]?(?P<mult>{'|'.join(MULTIPLIERS)})\b)?"
    rf"(?:(?P<age>[- ]years?[- ]old)\b|[ -]?(?P<unit>%|(?:{_UNIT_RE})\b))?"
)
_TAIL = re.compile(_TAIL_RE)
# A number in digits and its tail in one match; the atomic group keeps the number as read
# alone (a failed tail does not shorten it).
_NUMBER_TAIL = re.compile(rf"(?>{_NUMBER}){_TAIL_RE}")
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DATE_MD = re.compile(
    rf"(?P<m>{_MONTH})\.?[ ](?:(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,?[ ](?P<y>\d{{4}}))?"
    r"|(?P<y2>\d{4}))\b"
)
_MONTH_BEFORE = re.compile(rf"(?:{_MONTH})\.?[ ]\Z")
_DATE_DM = re.compile(
    rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:[ ]of)?[ ](?P<m>{_MONTH})\.?(?:,?[ ](?P<y>\d{{4}}))?\b"
)
_APPOSITION = re.compile(rf"[{_UP}][^\W\d_]+,[ ]\Z")


def _free_before(text: str, i: int) -> bool:
    """No word glued before position ``i`` ("COVID-19", "G7", "1.5", "alert(1)" are no numbers)."""
    if i == 0:
        return True
    c = text[i - 1]
    if c == "-":
        return i < 2 or not text[i - 2].isalpha()
    if c == "(":
        return i < 2 or not text[i - 2].isalnum()  # a call in code, not a number
    return not (c.isalnum() or c in "_.,:/")


Fields = tuple[Span, str, str, str]
"""A quantity's span, text, key and unit (the fields of :class:`Quantity`)."""


def find_quantities(text: str, low: str, lo: int, hi: int) -> list[Quantity]:
    """Numbers, amounts, ages, measures and dates in ``text[lo:hi]``.

    Args:
        text: The original text.
        low: ``text`` lowercased, the same length (offsets shared).
        lo: Start of the part searched.
        hi: End of the part searched.

    Returns:
        Quantities with spans into ``text``: numbers written in digits and day-first dates in
        order found, then numbers written in words (word by word), then month-first dates.
    """
    return [Quantity(*q) for q in quantity_fields(text, low, lo, hi)]


def quantity_fields(text: str, low: str, lo: int, hi: int) -> list[Fields]:
    """:func:`find_quantities` as plain tuples, for a caller that builds its own objects.

    Creating a frozen dataclass costs about 1.5 µs on the reference machine; the fact extractor
    makes a :class:`~retold.text.entities.Fact` of each quantity and skips the ``Quantity``.
    """
    digits = [m.start() for m in _DIGITISH.finditer(text, lo, hi)]
    md = _month_dates(text, lo, hi, digits)
    md_starts = [f[0].start for f in md]
    out: list[Fields] = []
    dm: list[Span] = []
    last = lo
    for pos in digits:
        if pos < last:
            continue
        if md_starts and (k := bisect_right(md_starts, pos) - 1) >= 0 and pos < md[k][0].end:
            continue
        start = pos
        c = text[pos]
        if c == "$":
            if text[pos - 2 : pos] in ("US", "HK"):
                start -= 2
            elif pos and text[pos - 1] in "AC":
                start -= 1
        if not _free_before(text, start):
            continue
        date = _DATE_DM.match(text, pos) if c.isdigit() else None
        if date is not None:
            out.append(_date(date, date["y"]))
            dm.append(out[-1][0])
            last = date.end()
            continue
        num = _NUMBER_TAIL.match(text, start)
        if num is not None and (fact := _number(text, start, num["num"], num["cur"], num)):
            out.append(fact)
            last = fact[0].end
    for i, word in _number_words(low, lo, hi):
        end = i + len(word)
        if not _free_before(text, i):
            continue
        if low.startswith("-", end) and NUMBER_WORDS[word] >= 20:  # "twenty-five"
            unit = _WORD.match(low, end + 1)
            if unit is not None and NUMBER_WORDS.get(unit[0], 10) < 10:
                end = unit.end()
        tail = _TAIL.match(text, end)
        if tail is not None and (fact := _number(text, i, low[i:end], None, tail, words=True)):
            out.append(fact)
    # "23 June 2024" also holds the month-first date "June 2024": keep the longer one.
    out += (f for f in md if not any(d.start <= f[0].start < d.end for d in dm))
    return out


def _month_dates(text: str, lo: int, hi: int, digits: list[int]) -> list[Fields]:
    """Month-first dates ("June 23", "Sept. 5, 1998", "June 2024") in ``text[lo:hi]``.

    Such a date's digits start right after its month name (and a space), so only the digits
    found anyway are looked behind, instead of scanning the whole text for month names (11
    instead of 38 µs on a 4 KB METER article). No month name lies inside another date.
    """
    out = []
    for pos in digits:
        month = _MONTH_BEFORE.search(text, max(lo, pos - 11), pos)  # "September. " is 11 long
        if month is None:
            continue
        start = month.start()
        m = _DATE_MD.match(text, start, hi)
        if m is not None and (start == 0 or not text[start - 1].isalpha()):
            out.append(_date(m, m["y"] or m["y2"]))
    return out


# Every number word starts with one of these prefixes ("sixteen" and "sixty" with "six"): 15
# scans of the text instead of one per word, 28 (95 instead of 146 µs on a 4 KB METER article).
_NUMBER_WORD_STARTS = words_by_prefix(
    NUMBER_WORDS,
    ("zero", "one", "tw", "three", "thir", "four", "forty", "five", "fift", "six", "seven",
     "eight", "nine", "ten", "eleven"),
)  # fmt: skip
_WORD_RANK = {w: k for k, w in enumerate(NUMBER_WORDS)}


def _number_words(low: str, lo: int, hi: int) -> list[tuple[int, str]]:
    """Whole number words in ``low[lo:hi]`` as (start, word): word by word as listed, in order."""
    hits = find_whole_words(low, _NUMBER_WORD_STARTS, lo, hi)
    hits.sort(key=lambda hit: (_WORD_RANK[hit[1]], hit[0]))
    return hits


def _date(m: re.Match[str], year: str | None) -> Fields:
    day, month = m["d"], MONTHS[m["m"]]
    key = f"date {year or '?'}-{month:02d}-" + (f"{int(day):02d}" if day else "?")
    return Span(m.start(), m.end()), m[0], key, "date"


def _number(
    text: str, start: int, raw: str, cur: str | None, tail: re.Match[str], words: bool = False
) -> Fields | None:
    """The number ``raw`` (digits, or number words if ``words``) at ``start``, and its tail."""
    mult, age, unit_word = tail.group("mult", "age", "unit")
    unit = ""
    if words:
        value = float(sum(NUMBER_WORDS[p] for p in raw.split("-")))
        if value == 1 and not (unit_word or age or mult):
            return None  # a bare "one" is a pronoun far more often than a count
    else:
        value = float(raw.replace(",", ""))
    if mult == "m" and cur is None:
        unit = "m"  # "100m" without a currency sign is metres
    elif mult is not None:
        value *= MULTIPLIERS[mult]
    end = tail.end()
    if age or text[max(0, start - 6) : start].lower().endswith(("aged ", "age ")):
        unit = "age"
    elif unit_word:
        unit = UNITS.get(unit_word, "%")
    elif not words and cur is None and mult is None:
        if text.startswith(",", end) and value <= 120:
            if _APPOSITION.search(text, max(0, start - 30), start):
                unit = "age"  # "Andrew Binney, 46, fractured ..."
        elif len(raw) == 4 and 1800 <= value <= 2099:
            unit = "calendar"
    if cur is not None and unit != "age":
        unit = CURRENCIES[cur]
    # Whole values (nearly all) skip the float formatting: 0.5 µs instead of 1.1 µs.
    number = str(int(value)) if value.is_integer() else f"{value:.6f}".rstrip("0").rstrip(".")
    return Span(start, end), text[start:end], number + (f" {unit}" if unit else ""), unit
