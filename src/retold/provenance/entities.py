"""Checkable facts in one article: numbers, names, places, quotes and attributions.

Extraction is rule-based (no NER model is shipped): precompiled regexes and ``str.find`` scans
find candidates and a few cheap rules decide what they are. Every :class:`Fact` keeps its span
into the original text and a normalised ``key`` used to match it against another article.

Example:
    >>> facts = extract_facts("Mr Smith, 34, said he paid £2,000 in London.")
    >>> [(f.kind.value, f.text, f.key) for f in facts]  # doctest: +NORMALIZE_WHITESPACE
    [('attribution', 'Smith, 34, said', 'smith'), ('name', 'Smith', 'smith'),
     ('number', '34', '34 age'), ('number', '£2,000', '2000 GBP'), ('place', 'London', 'london')]
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, replace

from retold.model import FactKind, Span
from retold.provenance.factwords import (
    ATTR_VERBS,
    CURRENCIES,
    DEMONYM_ENDS,
    DEMONYMS,
    MONTHS,
    MULTIPLIERS,
    NUMBER_WORDS,
    PLACE_NOUNS,
    PLACE_PREPS,
    SPEAKER_NOUNS,
    STOP_CAPS,
    TIME_CAPS,
    TITLES,
    UNITS,
    WEAK_CONTEXT,
    words,
)

__all__ = ["Fact", "extract_facts", "fact_slot"]


@dataclass(frozen=True, slots=True)
class Fact:
    """One checkable fact found in an article.

    Attributes:
        kind: Number, name, place, quote or attribution.
        span: Where it stands in the original text.
        text: The fact as written (``span`` sliced from the text).
        key: Normalised form used for matching: ``"2000 GBP"``, ``"34 age"``, ``"kim jong un"``,
            the case-folded words of a quote, or the speaker's name for an attribution.
        cue: What fixes the fact's slot: a number's unit (``"GBP"``, ``"age"``, ``"km"``,
            ``"date"``), a person's title (``"president"``) or a place's cue word (``"in"``).
    """

    kind: FactKind
    span: Span
    text: str
    key: str
    cue: str = ""


_VERBS = tuple(ATTR_VERBS.split("|"))
_VERB_SET = frozenset(_VERBS)
_DOT_TITLES = words("Mr Ms Dr St Jr Sr Lt Mrs Gen Col Sgt Rev Sen Rep Gov Det Capt Prof Supt")

# Uppercase letters: ASCII plus those of Latin-1 and Latin Extended-A/B (computed to stay exact).
_UP = "A-Z" + "".join(c for c in map(chr, range(0xC0, 0x250)) if c.isupper())
_TOKEN = rf"(?:[{_UP}]\.(?:[ ]?[{_UP}]\.)*|[{_UP}][^\W_]*(?:['’\-][{_UP}][^\W_]*)*)"
_SEP = (
    r"(?:(?<=Mr|Ms|Dr|St|Jr|Sr|Lt)\.|(?<=Mrs|Gen|Col|Sgt|Rev|Sen|Rep|Gov|Det)\.|"
    r"(?<=Capt|Prof|Supt)\.)?[ ](?:(?:of[ ]the|of|de|da|di|du|del|der|den|van|von|la|le|bin|ibn)"
    r"[ ])?"
)
_RUN = re.compile(rf"{_TOKEN}(?:{_SEP}{_TOKEN})*")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_LINE = re.compile(r"[^\n]+")
_QUOTE = re.compile(r'"((?:[^"\n]|\n(?!\s*\n)){1,1000}?)"|“([^”]{1,1000}?)”')
_DIGITISH = re.compile(r"[\d£$€¥#]")
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
_AFTER_VERB = re.compile(
    r"(?:,[^,.\n]{1,60},)?[ ](?:news[ ]agency[ ]|agency[ ]|newspaper[ ])?(?:ha(?:s|ve|d)[ ])?"
    rf"(?:also[ ])?(?:{ATTR_VERBS})\b"
)
_BEFORE_VERB = re.compile(r"(?:[,\"”’][ ](?P<s>said|says)|(?P<a>according[ ]to))[ ](?:the[ ])?\Z")
_NOUN_BEFORE = re.compile(rf"\b(?P<who>{SPEAKER_NOUNS})(?:[ ]ha(?:ve|s))?(?:[ ]also)?[ ]\Z")
_NOUN_AFTER = re.compile(rf"[ ](?:the[ ])?(?P<who>{SPEAKER_NOUNS})\b")
_DATELINE = re.compile(rf"\((?P<who>[{_UP}]\w+(?:[ ][{_UP}]\w+)?)\)[ ]?[-–—]")
_APPOSITION = re.compile(rf"[{_UP}][^\W\d_]+,[ ]\Z")
_HEADING_END = frozenset('.!?;,"”’)')

Tok = tuple[int, int, str]


def extract_facts(text: str, span: Span | None = None) -> tuple[Fact, ...]:
    """Find the checkable facts in ``text`` (or in its part ``span``).

    Args:
        text: An article's original text.
        span: Only look inside this part of ``text``; fact spans still index the whole text.

    Returns:
        Facts sorted by position, each with its span into ``text``.
    """
    lo, hi = (0, len(text)) if span is None else (span.start, min(span.end, len(text)))
    low = text.lower()
    if len(low) != len(text):  # a few letters ("İ") grow when lowercased; keep offsets exact
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    verbs = _verb_hits(low, lo, hi)
    facts = _numbers(text, low, lo, hi)
    facts += _quotes(text, lo, hi)
    facts += _names(text, lo, hi, verbs)
    facts += _noun_attributions(text, low, lo, hi, verbs)
    facts.sort(key=lambda f: (f.span.start, f.kind.value, f.span.end))
    return tuple(facts)


def fact_slot(text: str, fact: Fact) -> frozenset[str]:
    """Labels naming the slot a fact fills: its cue, and the content words around it.

    Two facts of the same kind whose slots share a label hold the same place in a sentence
    ("aged 34" / "aged 43"; "jailed for five years" / "jailed for four years").
    """
    if fact.kind in (FactKind.QUOTE, FactKind.ATTRIBUTION):
        return frozenset((fact.kind.value,))
    before = after = ""
    for w in reversed(_WORD.findall(text, max(0, fact.span.start - 40), fact.span.start)[-3:]):
        if len(w) > 1 and w.lower() not in WEAK_CONTEXT:
            before = w.lower()
            break
    for w in _WORD.findall(text, fact.span.end, fact.span.end + 40)[:3]:
        if len(w) > 1 and w.lower() not in WEAK_CONTEXT:
            after = w.lower()
            break
    labels = (f"u:{fact.cue}" if fact.cue else "", f"p:{before}" if before else "", f"n:{after}")
    return frozenset(x for x in labels if x and x != "n:")


def _bounded(s: str, start: int, end: int) -> bool:
    """True when ``s[start:end]`` is a whole word (no letter or digit glued on either side)."""
    return (start == 0 or not s[start - 1].isalnum()) and (end >= len(s) or not s[end].isalnum())


def _finds(low: str, word: str, lo: int, hi: int) -> Iterator[int]:
    i = low.find(word, lo, hi)
    while i >= 0:
        if _bounded(low, i, i + len(word)):
            yield i
        i = low.find(word, i + 1, hi)


def _verb_hits(low: str, lo: int, hi: int) -> list[int]:
    return sorted(i for v in (*_VERBS, "according to") for i in _finds(low, v, lo, hi))


def _free_before(text: str, i: int) -> bool:
    """No word glued before position ``i`` ("COVID-19", "G7", "1.5" do not start numbers)."""
    if i == 0:
        return True
    c = text[i - 1]
    return not (c.isalnum() or c in "_.,:/" or (c == "-" and i > 1 and text[i - 2].isalpha()))


def _numbers(text: str, low: str, lo: int, hi: int) -> list[Fact]:
    md = [
        _date(m, m["y"] or m["y2"])
        for m in _DATE_MD.finditer(text, lo, hi)
        if m.start() == 0 or not text[m.start() - 1].isalpha()
    ]
    md_starts = [f.span.start for f in md]
    out: list[Fact] = []
    dm: list[Span] = []
    last = lo
    for m in _DIGITISH.finditer(text, lo, hi):
        pos = m.start()
        k = bisect_right(md_starts, pos) - 1
        if pos < last or (k >= 0 and pos < md[k].span.end):
            continue
        start = pos
        if text[pos] == "$":
            start -= 2 if text[pos - 2 : pos] in ("US", "HK") else text[pos - 1 : pos] in "AC"
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
        for i in _finds(low, word, lo, hi):
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


def _date(m: re.Match[str], year: str | None) -> Fact:
    day, month = m["d"], MONTHS[m["m"]]
    key = f"date {year or '?'}-{month:02d}-" + (f"{int(day):02d}" if day else "?")
    return Fact(FactKind.NUMBER, Span(m.start(), m.end()), m[0], key, "date")


def _number(text: str, start: int, end: int, raw: str, num: re.Match[str] | None) -> Fact | None:
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
    return Fact(FactKind.NUMBER, Span(start, end), text[start:end], key, unit)


def _quotes(text: str, lo: int, hi: int) -> list[Fact]:
    out = []
    for m in _QUOTE.finditer(text, lo, hi):
        words = _WORD.findall(m[1] if m[1] is not None else m[2])
        if words:
            key = " ".join(w.casefold().replace("’", "'") for w in words)
            out.append(Fact(FactKind.QUOTE, Span(m.start(), m.end()), m[0], key))
    return out


def _noun_attributions(text: str, low: str, lo: int, hi: int, verbs: list[int]) -> list[Fact]:
    out = []
    for v in verbs:
        if low.startswith("according to", v):
            m = _NOUN_AFTER.match(low, v + 12, hi)
            span = None if m is None else Span(v, m.end())
        else:
            m = _NOUN_BEFORE.search(low, max(lo, v - 40), v)
            verb = next(w for w in _VERBS if low.startswith(w, v))
            span = None if m is None else Span(m.start(), v + len(verb))
        if m is not None and span is not None:
            who = m["who"]
            who = who[:-1] if who.endswith("s") and not who.endswith("ss") else who
            out.append(Fact(FactKind.ATTRIBUTION, span, span.slice(text), who))
    for m in _DATELINE.finditer(text, lo, hi):
        out.append(Fact(FactKind.ATTRIBUTION, Span(m.start(), m.end()), m[0], m["who"].casefold()))
    return out


def _headings(text: str, lo: int, hi: int) -> tuple[list[int], list[int]]:
    """Starts and ends of heading lines (title case or all caps, no closing punctuation)."""
    starts: list[int] = []
    ends: list[int] = []
    if text.find("\n", lo, hi) < 0:
        return starts, ends
    for m in _LINE.finditer(text, lo, hi):
        line = m[0].rstrip()
        if not line or line[-1] in _HEADING_END:
            continue
        words = line.split()
        long = [w for w in words if len(w) > 3]
        caps = sum(w[0].isupper() for w in long)
        if (len(words) <= 14 and caps * 2 >= len(long)) or line.upper() == line:
            starts.append(m.start())
            ends.append(m.end())
    return starts, ends


def _sentence_initial(text: str, i: int) -> bool:
    i -= 1
    while i >= 0 and text[i] in " \t\"'“‘(":
        i -= 1
    return i < 0 or text[i] in ".!?\n\r"


def _tokens(run: str, start: int) -> list[Tok]:
    """Capitalised tokens of a run with their offsets; connectors ("of", "van") are left out."""
    out = []
    pos = start
    for piece in run.split(" "):
        if piece and not piece[0].islower():
            tok = piece[:-1] if piece[-1] == "." and piece[:-1] in _DOT_TITLES else piece
            out.append((pos, pos + len(tok), tok))
        pos += len(piece) + 1
    return out


def _lower_elsewhere(text: str, word: str) -> bool:
    """True when ``word`` also occurs in lower case as a whole word (so it is a common word)."""
    return any(True for _ in _finds(text, word.lower(), 0, len(text)))


def _names(text: str, lo: int, hi: int, verbs: list[int]) -> list[Fact]:
    """Names (people, organisations) and places, and the attributions hung on a name."""
    h_starts, h_ends = _headings(text, lo, hi)
    runs: list[tuple[int, int, list[Tok], bool, bool]] = []
    known: set[str] = set()
    for m in _RUN.finditer(text, lo, hi):
        start, end = m.span()
        if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "'’_"):
            continue  # a capital inside a word ("iPhone") or after an apostrophe
        toks = _tokens(m[0], start)
        k = bisect_right(h_starts, start) - 1
        heading = k >= 0 and start < h_ends[k]
        initial = not heading and _sentence_initial(text, start)
        if not heading:
            known.update(t[2] for t in toks[initial:])
        runs.append((start, end, toks, heading, initial))
    out: list[Fact] = []
    places: set[str] = set()
    people: set[str] = set()
    for start, end, toks, heading, initial in runs:
        keep = [t[2] not in STOP_CAPS and (not heading or t[2] in known) for t in toks]
        first = toks[0][2]
        if initial and keep[0] and first not in known:
            lone = len(toks) == 1 and not _AFTER_VERB.match(text, end)
            keep[0] = not (lone or _lower_elsewhere(text, first))
        facts = list(_entities(text, toks, keep))
        if not facts:
            continue
        out += facts
        people.update(f.key for f in facts if f.kind is FactKind.NAME and f.cue)
        places.update(f.key for f in facts if f.kind is FactKind.PLACE)
        near = bisect_left(verbs, end)
        if near < len(verbs) and verbs[near] <= end + 80 and facts[-1].span.end == end:
            verb = _AFTER_VERB.match(text, end)
            if verb is not None:
                span = Span(facts[-1].span.start, verb.end())
                out.append(Fact(FactKind.ATTRIBUTION, span, span.slice(text), facts[-1].key))
                people.add(facts[-1].key)
        near = bisect_left(verbs, start - 24)
        if near < len(verbs) and verbs[near] < start and facts[0].span.start == start:
            verb = _BEFORE_VERB.search(text, max(0, start - 24), start)
            if verb is not None:
                span = Span(verb.start("s") if verb["s"] else verb.start("a"), facts[0].span.end)
                out.append(Fact(FactKind.ATTRIBUTION, span, span.slice(text), facts[0].key))
                people.add(facts[0].key)
    places -= people
    for i, f in enumerate(out):
        if f.kind is FactKind.NAME and f.key in places:
            out[i] = replace(f, kind=FactKind.PLACE)
        elif f.kind is FactKind.PLACE and f.key not in places:
            out[i] = replace(f, kind=FactKind.NAME)
    return out


def _entities(text: str, toks: list[Tok], keep: list[bool]) -> Iterator[Fact]:
    """Split one capitalised run into names at stop words and titles."""
    group: list[Tok] = []
    title = ""
    for tok, ok in zip(toks, keep, strict=True):
        if ok and tok[2] in TITLES:
            group = []  # "Russian Defence Minister ...": the words before a title are a role
            title = tok[2].lower()
        elif ok and (group or tok[2] not in TIME_CAPS):
            group.append(tok)
        else:
            if group and (fact := _entity(text, group, title)) is not None:
                yield fact
            group, title = [], ""
    if group and (fact := _entity(text, group, title)) is not None:
        yield fact


def _prev_words(text: str, start: int) -> tuple[str, str]:
    """The two words before ``start`` when separated by single spaces, lowercased."""
    if start < 2 or text[start - 1] != " ":
        return "", ""
    k = text.rfind(" ", max(0, start - 24), start - 1)
    w1 = text[k + 1 : start - 1].lower()
    if k < 1 or not w1.isalpha():
        return "", w1
    j = text.rfind(" ", max(0, k - 24), k)
    return text[j + 1 : k].lower(), w1


def _entity(text: str, group: list[Tok], title: str) -> Fact | None:
    start, end = group[0][0], group[-1][1]
    last = group[-1][2].lower()
    if last in DEMONYMS or (len(last) >= 6 and last.endswith(DEMONYM_ENDS)):
        nxt = _WORD.match(text, end + 1) if text.startswith(" ", end) else None
        if len(group) == 1 or (nxt is not None and nxt[0].islower() and nxt[0] not in _VERB_SET):
            return None  # "Russian", "North Korean leader": adjectives, not names
    raw = text[start:end]
    key = " ".join(raw.casefold().replace(".", "").replace("’", "'").split())
    if title:
        return Fact(FactKind.NAME, Span(start, end), raw, key, title)
    w2, w1 = _prev_words(text, start)
    if text.startswith("-based", end):
        return Fact(FactKind.PLACE, Span(start, end), raw, key, "based")
    if w1 in PLACE_PREPS:
        return Fact(FactKind.PLACE, Span(start, end), raw, key, w1)
    if w1 == "of" and w2 in PLACE_NOUNS:
        return Fact(FactKind.PLACE, Span(start, end), raw, key, w2)
    return Fact(FactKind.NAME, Span(start, end), raw, key)
