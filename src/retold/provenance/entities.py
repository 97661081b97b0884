"""Checkable facts in one article: numbers, names, places, quotes and attributions.

Extraction is rule-based (no NER model is shipped): precompiled regexes find candidates and a
few cheap rules decide what they are. Every :class:`Fact` keeps its span into the original text
and a normalised ``key`` used to match it against the other article.

Example:
    >>> facts = extract_facts("Mr Smith, 34, said he paid £2,000 in London.")
    >>> [(f.kind.value, f.text, f.key) for f in facts]  # doctest: +NORMALIZE_WHITESPACE
    [('attribution', 'Smith, 34, said', 'smith'), ('name', 'Smith', 'smith'),
     ('number', '34', '34 age'), ('number', '£2,000', '2000 GBP'), ('place', 'London', 'london')]
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, replace

from retold.model import FactKind, Span

__all__ = ["CONNECTORS", "Fact", "extract_facts"]


@dataclass(frozen=True, slots=True)
class Fact:
    """One checkable fact found in an article.

    Attributes:
        kind: Number, name, place, quote or attribution.
        span: Where it stands in the original text.
        text: The fact as written (``span`` sliced from the text).
        key: Normalised form used for matching: ``"2000 GBP"``, ``"34 age"``, ``"kim jong un"``,
            the case-folded words of a quote, or the speaker's name for an attribution.
        slot: Context labels saying which slot the fact fills, used to pair changed facts:
            ``"u:<unit>"``, ``"p:<word before>"``, ``"n:<word after>"``.
    """

    kind: FactKind
    span: Span
    text: str
    key: str
    slot: tuple[str, ...] = ()


def _words(s: str) -> frozenset[str]:
    return frozenset(s.split())


# Capitalised words that start sentences but are not names (compared as written, so "US" is
# not "Us"). Function words, pronouns, sentence adverbs.
STOP_CAPS = _words(
    "A An The And But Or Nor For Yet So If Then Than That This These Those There Here It Its He "
    "She They We You I Me Him Her Them His Hers Our Their My Your What Which Who Whom Whose When "
    "Where Why How While Whilst Although Though Because Since After Before During Until Unless "
    "Despite However Meanwhile Nevertheless Nonetheless Moreover Furthermore Also Still Even Just "
    "Only Not No Yes All Some Any Each Every Both Either Neither Many Much More Most Few Several "
    "Other Others Another Such In On At By From To Of With Without Within Into Over Under About "
    "Above Below Across Through Between Among Against Around Near As Like Via Per Once Instead "
    "Today Yesterday Tomorrow Tonight Last Next Now Later Earlier Already Indeed Perhaps Thus "
    "Hence Otherwise Whether Is Was Are Were Be Been Has Have Had Do Does Did Will Would Can Could "
    "Should May Might Must Shall One Two Three Four Five Six Seven Eight Nine Ten"
)
# Month and day names: dropped unless they continue a name ("Theresa May").
TIME_CAPS = _words(
    "January February March April May June July August September October November December "
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Monday Tuesday Wednesday Thursday Friday "
    "Saturday Sunday"
)
TITLES = _words(
    "Mr Mrs Ms Miss Mx Dr Prof Professor Sir Dame Lord Lady Baroness Baron President Premier "
    "Chancellor Minister Secretary Senator Sen Rep Congressman Congresswoman Governor Gov Mayor "
    "King Queen Prince Princess Duke Duchess Pope Cardinal Archbishop Bishop Rev Reverend Gen "
    "General Colonel Col Captain Capt Lieutenant Lt Sergeant Sgt Admiral Commander Inspector "
    "Detective Det Supt Superintendent Constable PC DC DS DI DCI Judge Justice Recorder Coroner "
    "Chairman Chairwoman Ambassador Councillor Cllr MP MEP QC KC Leader Chief"
)
CONNECTORS = _words("of the de da di du del der den van von la le bin ibn")
PLACE_PREPS = _words("in at from to near into outside across towards toward throughout via")
PLACE_NOUNS = _words("city town village port capital region province county state island")
DEMONYMS = _words(
    "french german dutch greek thai swiss welsh scottish israeli iraqi saudi pakistani afghan "
    "soviet arab western eastern northern southern"
)
_DEMONYM_ENDS = ("ian", "ean", "ese", "ish", "ican")
ATTR_VERBS = (
    "said|says|told|added|stated|reported|reports|announced|claimed|confirmed|warned|insisted|"
    "explained|wrote|tweeted"
)
_VERB_SET = frozenset(ATTR_VERBS.split("|"))
SPEAKER_NOUNS = (
    "police|officials|official|spokesman|spokeswoman|spokesperson|sources|source|witnesses|"
    "prosecutors|investigators|officers|analysts|experts|residents|lawyers|ministers"
)
# Words too weak to name a number's slot ("for" in "jailed for five years").
WEAK_CONTEXT = _words(
    "a an the of for to in on at by about around than just only some over nearly almost more less "
    "up was were is are be been has have had and or with his her their its this that who which "
    "it he she they after before since last"
)
_SMALL = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
NUMBER_WORDS = {w: i for i, w in enumerate(_SMALL)} | {w: 20 + 10 * i for i, w in enumerate(_TENS)}
MULTIPLIERS = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
               "bn": 1e9, "tn": 1e12, "m": 1e6, "k": 1e3}  # fmt: skip
CURRENCIES = {"£": "GBP", "$": "USD", "US$": "USD", "€": "EUR", "¥": "JPY", "A$": "AUD",
              "C$": "CAD", "HK$": "HKD", "#": "GBP"}  # fmt: skip  # "#": METER PA copy's pound
_UNIT_GROUPS = {
    "%": "per cent|percent|pc", "pp": "percentage points|percentage point", "km": "kilometres|"
    "kilometers|kilometre|kilometer|km", "km/h": "kph|km/h", "mi": "miles|mile", "mph": "mph",
    "m": "metres|meters|metre|meter", "ft": "feet|foot|ft", "cm": "cm", "mm": "mm",
    "kg": "kilograms|kilogram|kilos|kg", "t": "tonnes|tonne|tons|ton", "lb": "lbs|lb",
    "GBP": "pounds", "GBp": "pence|p", "USD": "dollars", "EUR": "euros", "year": "years|year|yrs",
    "month": "months|month", "week": "weeks|week", "day": "days|day", "hour": "hours|hour|hrs",
    "minute": "minutes|minute|mins", "second": "seconds|secs",
}  # fmt: skip
UNITS = {v: k for k, vs in _UNIT_GROUPS.items() for v in vs.split("|")}
MONTHS = {m: i % 12 + 1 for i, m in enumerate(
    "January February March April May June July August September October November December "
    "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split())} | {"Sept": 9}  # fmt: skip

# Uppercase letters: ASCII plus those of Latin-1 and Latin Extended-A/B (computed to stay exact).
_UP = "A-Z" + "".join(c for c in map(chr, range(0xC0, 0x250)) if c.isupper())
_TOKEN_SRC = rf"(?:[{_UP}]\.(?:[ ]?[{_UP}]\.)*|[{_UP}][^\W_]*(?:['’\-][{_UP}][^\W_]*)*)"
_SEP = (
    r"(?:(?<=Mr|Ms|Dr|St|Jr|Sr|Lt)\.|(?<=Mrs|Gen|Col|Sgt|Rev|Sen|Rep|Gov|Det)\.|"
    r"(?<=Capt|Prof|Supt)\.)?[ ](?:(?:of[ ]the|of|de|da|di|du|del|der|den|van|von|la|le|bin|ibn)"
    r"[ ])?"
)
_TOKEN = re.compile(_TOKEN_SRC)
_RUN = re.compile(rf"(?<![\w'’]){_TOKEN_SRC}(?:{_SEP}{_TOKEN_SRC})*")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z]+\b")
_LINE = re.compile(r"[^\n]+")
_QUOTE = re.compile(r'"((?:[^"\n]|\n(?!\s*\n)){1,1000}?)"|“([^”]{1,1000}?)”')
_WORDNUM = "|".join(_TENS) + "|" + "|".join(sorted(_SMALL, key=len, reverse=True))
_UNIT_RE = "|".join(re.escape(u).replace(r"\ ", "[ ]") for u in sorted(UNITS, key=len)[::-1])
_NUMBER = re.compile(
    r"(?<![\w.,:/])(?<![^\W\d_]-)(?:(?P<cur>US\$|A\$|C\$|HK\$|[£$€¥]|#(?=\d))[ ]?)?"
    r"(?:(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    rf"|(?P<word>(?i:(?:{'|'.join(_TENS)})-(?:{'|'.join(_SMALL[1:10])})|{_WORDNUM}))\b)"
    rf"(?![:/]\d)(?:[ ]?(?P<mult>{'|'.join(MULTIPLIERS)})\b)?"
    rf"(?:(?P<age>[- ]years?[- ]old)\b|[ -]?(?P<unit>%|(?i:{_UNIT_RE})\b))?"
)
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DATE = re.compile(
    rf"\b(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:[ ]of)?[ ](?P<m1>{_MONTH})\.?(?:,?[ ](?P<y1>\d{{4}}))?"
    rf"|(?P<m2>{_MONTH})\.?[ ](?:(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?:,?[ ](?P<y2>\d{{4}}))?"
    r"|(?P<y3>\d{4})))\b"
)
_AFTER_VERB = re.compile(
    r"(?:,[^,.\n]{1,60},)?[ ](?:news[ ]agency[ ]|agency[ ]|newspaper[ ])?(?:ha(?:s|ve|d)[ ])?"
    rf"(?:also[ ])?(?:{ATTR_VERBS})\b"
)
_BEFORE_VERB = re.compile(r"(?:[,\"”’][ ](?P<s>said|says)|(?P<a>according[ ]to))[ ](?:the[ ])?\Z")
_NOUN_ATTR = re.compile(
    rf"\b(?P<who>{SPEAKER_NOUNS})(?:[ ]ha(?:ve|s))?(?:[ ]also)?[ ](?:{ATTR_VERBS})\b"
    rf"|\baccording[ ]to[ ](?:the[ ])?(?P<who2>{SPEAKER_NOUNS})\b"
)
_DATELINE = re.compile(rf"\((?P<who>[{_UP}]\w+(?:[ ][{_UP}]\w+)?)\)[ ]?[-–—]")
_APPOSITION = re.compile(rf"[{_UP}][^\W\d_]+,[ ]\Z")
_NEXT_LOWER = re.compile(r"[ ]([a-z]+)")
_HEADING_END = frozenset(".!?;,\"”’)")


def extract_facts(text: str, span: Span | None = None) -> tuple[Fact, ...]:
    """Find the checkable facts in ``text`` (or in its part ``span``).

    Args:
        text: An article's original text.
        span: Only look inside this part of ``text``; fact spans still index the whole text.

    Returns:
        Facts sorted by position, each with its span into ``text``.
    """
    lo, hi = (0, len(text)) if span is None else (span.start, min(span.end, len(text)))
    dates = list(_dates(text, lo, hi))
    facts = dates + list(_numbers(text, lo, hi, [f.span for f in dates]))
    facts += _quotes(text, lo, hi)
    facts += _names(text, lo, hi)
    facts += _noun_attributions(text, lo, hi)
    facts.sort(key=lambda f: (f.span.start, f.kind.value, f.span.end))
    return tuple(facts)


def _context(text: str, start: int, end: int) -> tuple[str, str]:
    """The nearest content words before ``start`` and after ``end`` (lowercased, or '')."""
    before = after = ""
    for w in reversed(_WORD.findall(text, max(0, start - 40), start)[-3:]):
        if len(w) > 1 and w.lower() not in WEAK_CONTEXT:
            before = w.lower()
            break
    for w in _WORD.findall(text, end, end + 40)[:3]:
        if len(w) > 1 and w.lower() not in WEAK_CONTEXT:
            after = w.lower()
            break
    return before, after


def _slot(unit: str, before: str, after: str) -> tuple[str, ...]:
    labels = (f"u:{unit}" if unit else "", f"p:{before}" if before else "", f"n:{after}")
    return tuple(x for x in labels if x and x != "n:")


def _dates(text: str, lo: int, hi: int) -> Iterator[Fact]:
    for m in _DATE.finditer(text, lo, hi):
        day = m["d1"] or m["d2"]
        if day is not None and not 1 <= int(day) <= 31:
            continue
        year = m["y1"] or m["y2"] or m["y3"] or "?"
        month = MONTHS[m["m1"] or m["m2"]]
        key = f"date {year}-{month:02d}-{int(day):02d}" if day else f"date {year}-{month:02d}-?"
        yield Fact(FactKind.NUMBER, Span(m.start(), m.end()), m[0], key, ("u:date",))


def _numbers(text: str, lo: int, hi: int, skip: list[Span]) -> Iterator[Fact]:
    for m in _NUMBER.finditer(text, lo, hi):
        start, end = m.start(), m.end()
        if any(s.start <= start < s.end for s in skip):
            continue
        raw, word, cur, mult = m["num"], m["word"], m["cur"], m["mult"]
        if raw is not None:
            value = float(raw.replace(",", ""))
        else:
            value = float(sum(NUMBER_WORDS[p] for p in word.lower().split("-")))
            if value == 1 and not (m["unit"] or m["age"] or mult):
                continue  # a bare "one" is a pronoun far more often than a count
        unit = ""
        if mult is not None:
            if mult == "m" and cur is None:
                unit = "m"  # "100m" without a currency sign is metres
            else:
                value *= MULTIPLIERS[mult]
        before, after = _context(text, start, end)
        if m["age"] or before in ("aged", "age"):
            unit = "age"
        elif m["unit"]:
            unit = UNITS.get(m["unit"].lower(), "%")
        elif raw is not None and cur is None and mult is None and text.startswith(",", end):
            if value <= 120 and _APPOSITION.search(text, max(0, start - 30), start):
                unit = "age"  # "Andrew Binney, 46, fractured ..."
        elif raw is not None and cur is None and mult is None and len(raw) == 4:
            unit = "calendar" if 1800 <= value <= 2099 else ""
        if cur is not None and unit != "age":
            unit = CURRENCIES[cur]
        key = f"{value:.6f}".rstrip("0").rstrip(".") + (f" {unit}" if unit else "")
        yield Fact(FactKind.NUMBER, Span(start, end), m[0], key, _slot(unit, before, after))


def _quotes(text: str, lo: int, hi: int) -> Iterator[Fact]:
    for m in _QUOTE.finditer(text, lo, hi):
        words = _WORD.findall(m[1] if m[1] is not None else m[2])
        if words:
            key = " ".join(w.casefold().replace("’", "'") for w in words)
            yield Fact(FactKind.QUOTE, Span(m.start(), m.end()), m[0], key, ("u:quote",))


def _noun_attributions(text: str, lo: int, hi: int) -> Iterator[Fact]:
    for m in _NOUN_ATTR.finditer(text, lo, hi):
        who = (m["who"] or m["who2"]).lower()
        who = who[:-1] if who.endswith("s") and not who.endswith("ss") else who
        yield Fact(FactKind.ATTRIBUTION, Span(m.start(), m.end()), m[0], who, ("u:attr",))
    for m in _DATELINE.finditer(text, lo, hi):
        key = m["who"].casefold()
        yield Fact(FactKind.ATTRIBUTION, Span(m.start(), m.end()), m[0], key, ("u:attr",))


def _headings(text: str, lo: int, hi: int) -> tuple[list[int], list[int]]:
    """Starts and ends of title-case heading lines, which hold capitalised common words."""
    starts: list[int] = []
    ends: list[int] = []
    for m in _LINE.finditer(text, lo, hi):
        line = m[0].rstrip()
        if not line or line[-1] in _HEADING_END:
            continue
        words = line.split()
        long = [w for w in words if len(w) > 3]
        caps = sum(w[0].isupper() for w in long)
        if (len(words) <= 14 and caps * 2 >= len(long)) or not any(c.islower() for c in line):
            starts.append(m.start())
            ends.append(m.end())
    return starts, ends


def _sentence_initial(text: str, i: int) -> bool:
    i -= 1
    while i >= 0 and text[i] in " \t\"'“‘(":
        i -= 1
    return i < 0 or text[i] in ".!?\n\r"


def _names(text: str, lo: int, hi: int) -> list[Fact]:
    """Names (people, organisations) and places, and attributions hung on a name."""
    h_starts, h_ends = _headings(text, lo, hi)
    runs: list[tuple[int, int, list[tuple[int, int, str]], bool, bool]] = []
    known: set[str] = set()
    for m in _RUN.finditer(text, lo, hi):
        toks = [(t.start(), t.end(), t[0]) for t in _TOKEN.finditer(text, m.start(), m.end())]
        k = bisect_right(h_starts, m.start()) - 1
        heading = k >= 0 and m.start() < h_ends[k]
        initial = not heading and _sentence_initial(text, m.start())
        if not heading:
            known.update(t[2].casefold() for t in toks[initial:])
        runs.append((m.start(), m.end(), toks, heading, initial))
    lower_words: set[str] | None = None
    out: list[Fact] = []
    places: set[str] = set()
    people: set[str] = set()
    for start, end, toks, heading, initial in runs:
        keep = [
            t[2] not in STOP_CAPS and (not heading or t[2].casefold() in known) for t in toks
        ]
        first = toks[0][2]
        if initial and keep[0] and first.casefold() not in known:
            if lower_words is None:
                lower_words = set(_LOWER_WORD.findall(text))
            if first.lower() in lower_words or (
                len(toks) == 1 and not _AFTER_VERB.match(text, end)
            ):
                keep[0] = False
        facts = list(_entities(text, toks, keep))
        out += facts
        if not facts:
            continue
        last, head = facts[-1], facts[0]
        after = _AFTER_VERB.match(text, end) if last.span.end == end else None
        if after is not None:
            span = Span(last.span.start, after.end())
            out.append(Fact(FactKind.ATTRIBUTION, span, span.slice(text), last.key, ("u:attr",)))
            people.add(last.key)
        before = _BEFORE_VERB.search(text, max(0, start - 24), start)
        if before is not None and head.span.start == start:
            span = Span(before.start("s") if before["s"] else before.start("a"), head.span.end)
            out.append(Fact(FactKind.ATTRIBUTION, span, span.slice(text), head.key, ("u:attr",)))
            people.add(head.key)
        for f in facts:
            if f.kind is FactKind.PLACE:
                places.add(f.key)
            elif any(s.startswith("t:") for s in f.slot):
                people.add(f.key)
    places -= people
    return [
        replace(f, kind=FactKind.PLACE) if f.kind is FactKind.NAME and f.key in places else
        replace(f, kind=FactKind.NAME) if f.kind is FactKind.PLACE and f.key not in places else f
        for f in out
    ]  # fmt: skip


def _entities(text: str, toks: list[tuple[int, int, str]], keep: list[bool]) -> Iterator[Fact]:
    """Split one capitalised run into names at stop words and titles."""
    group: list[tuple[int, int, str]] = []
    title = ""
    for (s, e, tok), ok in zip(toks, keep, strict=True):
        if ok and tok in TITLES:
            group = []  # "Russian Defence Minister ...": the words before a title are a role
            title = tok.lower()
            continue
        if ok and tok in TIME_CAPS and not group:
            ok = False
        if ok:
            group.append((s, e, tok))
            continue
        if group:
            fact = _entity(text, group, title)
            if fact is not None:
                yield fact
        group, title = [], ""
    if group:
        fact = _entity(text, group, title)
        if fact is not None:
            yield fact


def _entity(text: str, group: list[tuple[int, int, str]], title: str) -> Fact | None:
    start, end = group[0][0], group[-1][1]
    last = group[-1][2].casefold()
    nxt = _NEXT_LOWER.match(text, end)
    if (last in DEMONYMS or (len(last) >= 6 and last.endswith(_DEMONYM_ENDS))) and (
        len(group) == 1 or (nxt is not None and nxt[1] not in _VERB_SET)
    ):
        return None  # "North Korean leader", "Russian national media": adjectives
    raw = text[start:end]
    key = " ".join(raw.casefold().replace(".", "").replace("’", "'").split())
    prev = [w.lower() for w in _WORD.findall(text, max(0, start - 24), start)[-2:]]
    before, after = _context(text, start, end)
    if title:
        return Fact(FactKind.NAME, Span(start, end), raw, key, (f"t:{title}", f"p:{title}"))
    place = text.startswith("-based", end) or (
        bool(prev) and text[start - 1 : start] == " " and prev[-1] in PLACE_PREPS
    )
    if len(prev) == 2 and prev[1] == "of" and prev[0] in PLACE_NOUNS:
        place = True
    if place:
        cue = prev[-1] if prev and prev[-1] in PLACE_PREPS else "of"
        return Fact(FactKind.PLACE, Span(start, end), raw, key, _slot("", cue, after))
    return Fact(FactKind.NAME, Span(start, end), raw, key, _slot("", before, after))
