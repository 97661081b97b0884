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
    find_words,
)

__all__ = ["Quantity", "find_quantities"]


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
_NUMBER = re.compile(
    r"(?P<cur>US\$|HK\$|A\$|C\$|[£$€¥]|#(?=\d))?(?:(?<=[£$€¥])[ ])?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
)
_UNIT_RE = "|".join(re.escape(u).replace(r"\ ", "[ ]") for u in sorted(UNITS, key=len)[::-1])
_TAIL = re.compile(
    rf"(?![:/]\d)(?:[ ]?(?P<mult>{'|'.join(MULTIPLIERS)})\b)?"
    rf"(?:(?P<age>[- ]years?[- ]old)\b|[ -]?(?P<unit>%|(?:{_UNIT_RE})\b))?"
)
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DATE_MD = re.compile(
    rf"(?P<m>{_MONTH})\.?[ ](?:(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,?[ ](?P<y>\d{{4}}))?"
    r"|(?P<y2>\d{4}))\b"
)
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


def find_quantities(text: str, low: str, lo: int, hi: int) -> list[Quantity]:
    """Numbers, amounts, ages, measures and dates in ``text[lo:hi]``.

    Args:
        text: The original text.
        low: ``text`` lowercased, the same length (offsets shared).
        lo: Start of the part searched.
        hi: End of the part searched.

    Returns:
        Quantities with spans into ``text``, dates first, then the rest in order found.
    """
    md = [
        _date(m, m["y"] or m["y2"])
        for m in _DATE_MD.finditer(text, lo, hi)
        if m.start() == 0 or not text[m.start() - 1].isalpha()
    ]
    md_starts = [f.span.start for f in md]
    out: list[Quantity] = []
    dm: list[Span] = []
    last = lo
    for m in _DIGITISH.finditer(text, lo, hi):
        pos = m.start()
        k = bisect_right(md_starts, pos) - 1
        if pos < last or (k >= 0 and pos < md[k].span.end):
            continue
        start = pos
        if text[pos] == "$" and text[pos - 2 : pos] in ("US", "HK"):
            start -= 2
        elif text[pos] == "$" and pos and text[pos - 1] in "AC":
            start -= 1
        if not _free_before(text, start):
            continue
        date = _DATE_DM.match(text, pos) if text[pos].isdigit() else None
        if date is not None:
            out.append(_date(date, date["y"]))
            dm.append(out[-1].span)
            last = date.end()
            continue
        num = _NUMBER.match(text, start)
        if num is not None and (fact := _number(text, num.start(), num.end(), num["num"], num)):
            out.append(fact)
            last = fact.span.end
    for word in NUMBER_WORDS:
        for i in find_words(low, word, lo, hi):
            end = i + len(word)
            if not _free_before(text, i):
                continue
            if low.startswith("-", end) and NUMBER_WORDS[word] >= 20:  # "twenty-five"
                unit = _WORD.match(low, end + 1)
                if unit is not None and NUMBER_WORDS.get(unit[0], 10) < 10:
                    end = unit.end()
            if fact := _number(text, i, end, low[i:end], None):
                out.append(fact)
    # "23 June 2024" also holds the month-first date "June 2024": keep the longer one.
    out += (f for f in md if not any(d.start <= f.span.start < d.end for d in dm))
    return out


def _date(m: re.Match[str], year: str | None) -> Quantity:
    day, month = m["d"], MONTHS[m["m"]]
    key = f"date {year or '?'}-{month:02d}-" + (f"{int(day):02d}" if day else "?")
    return Quantity(Span(m.start(), m.end()), m[0], key, "date")


def _number(
    text: str, start: int, end: int, raw: str, num: re.Match[str] | None
) -> Quantity | None:
    tail = _TAIL.match(text, end)
    if tail is None:
        return None  # a clock time or a fraction: "15:51", "3/4"
    cur = num["cur"] if num is not None else None
    mult, unit = tail["mult"], ""
    if num is not None:
        value = float(raw.replace(",", ""))
    else:
        value = float(sum(NUMBER_WORDS[p] for p in raw.split("-")))
        if value == 1 and not (tail["unit"] or tail["age"] or mult):
            return None  # a bare "one" is a pronoun far more often than a count
    if mult == "m" and cur is None:
        unit = "m"  # "100m" without a currency sign is metres
    elif mult is not None:
        value *= MULTIPLIERS[mult]
    end = tail.end()
    prev = text[max(0, start - 6) : start].lower()
    if tail["age"] or prev.endswith(("aged ", "age ")):
        unit = "age"
    elif tail["unit"]:
        unit = UNITS.get(tail["unit"], "%")
    elif num is not None and cur is None and mult is None:
        if text.startswith(",", end) and value <= 120:
            if _APPOSITION.search(text, max(0, start - 30), start):
                unit = "age"  # "Andrew Binney, 46, fractured ..."
        elif len(raw) == 4 and 1800 <= value <= 2099:
            unit = "calendar"
    if cur is not None and unit != "age":
        unit = CURRENCIES[cur]
    key = f"{value:.6f}".rstrip("0").rstrip(".") + (f" {unit}" if unit else "")
    return Quantity(Span(start, end), text[start:end], key, unit)
