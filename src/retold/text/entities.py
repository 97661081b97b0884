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
from dataclasses import dataclass

from retold.model import FactKind, Span
from retold.text.factwords import (
    ATTR_VERBS,
    DEMONYM_ENDS,
    DEMONYMS,
    NOT_TO_PLACE,
    PLACE_NOUNS,
    PLACE_PREPS,
    SPEAKER_NOUNS,
    STOP_CAPS,
    TIME_CAPS,
    TITLES,
    UPPER,
    WEAK_CONTEXT,
    find_words,
    words,
)
from retold.text.quantities import find_quantities

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
_NOT_ALONE = TITLES | TIME_CAPS
_DOT_TITLES = words("Mr Ms Dr St Jr Sr Lt Mrs Gen Col Sgt Rev Sen Rep Gov Det Capt Prof Supt")

_UP = UPPER
_TOKEN = rf"(?:[{_UP}]\.(?:[ ]?[{_UP}]\.)*|[{_UP}][^\W_]*(?:['’\-][{_UP}][^\W_]*)*)"
_SEP = (
    r"(?:(?<=Mr|Ms|Dr|St|Jr|Sr|Lt)\.|(?<=Mrs|Gen|Col|Sgt|Rev|Sen|Rep|Gov|Det)\.|"
    r"(?<=Capt|Prof|Supt)\.)?[ ](?:(?:of[ ]the|of|de|da|di|du|del|der|den|van|von|la|le|bin|ibn)"
    r"[ ])?"
)
_RUN = re.compile(rf"{_TOKEN}(?:{_SEP}{_TOKEN})*")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_LOWER_WORD = re.compile(r"(?<![^\W\d_])[a-z]+(?![^\W\d_])")
_QUOTE = re.compile(r'"((?:[^"\n]|\n(?!\s*\n)){1,1000}?)"|“([^”]{1,1000}?)”')
_AFTER_VERB = re.compile(
    r"(?:,[ ][\da-z][^,.\n]{0,60},)?[ ](?:news[ ]agency[ ]|agency[ ]|newspaper[ ])?"
    r"(?:ha(?:s|ve|d)[ ])?"
    rf"(?:also[ ])?(?:{ATTR_VERBS})\b"
)
_BEFORE_VERB = re.compile(r"(?:[,\"”’][ ](?P<s>said|says)|(?P<a>according[ ]to))[ ](?:the[ ])?\Z")
_NOUN_BEFORE = re.compile(rf"\b(?P<who>{SPEAKER_NOUNS})(?:[ ]ha(?:ve|s))?(?:[ ]also)?[ ]\Z")
_NOUN_AFTER = re.compile(rf"[ ](?:the[ ])?(?P<who>{SPEAKER_NOUNS})\b")
_DATELINE = re.compile(rf"\((?P<who>[{_UP}]\w+(?:[ ][{_UP}]\w+)?)\)[ ]?[-–—]")
_HEADING_END = frozenset('.!?;,"”’)<')  # "<" ends paragraphs in METER wire copy

_Tok = tuple[int, int, str]  # start, end, token as written


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
    facts = [
        Fact(FactKind.NUMBER, q.span, q.text, q.key, q.unit)
        for q in find_quantities(text, low, lo, hi)
    ]
    facts += _quotes(text, lo, hi)
    facts += _names(text, lo, hi, verbs)
    facts += _noun_attributions(text, low, lo, hi, verbs)
    facts.sort(key=_fact_key)
    return tuple(facts)


_KIND_VALUE = {kind: kind.value for kind in FactKind}  # ``kind.value`` is a slow enum lookup


def _fact_key(f: Fact) -> tuple[int, str, int]:
    span = f.span
    return span.start, _KIND_VALUE[f.kind], span.end


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


def _verb_hits(low: str, lo: int, hi: int) -> list[int]:
    return sorted(i for v in (*_VERBS, "according to") for i in find_words(low, v, lo, hi))


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
    """Starts and ends of heading lines (title case or all caps, no closing punctuation).

    A line that continues a sentence wrapped on the line before (which stopped on a lowercase
    word or a comma) is not a heading.
    """
    starts: list[int] = []
    ends: list[int] = []
    if text.find("\n", lo, hi) < 0:
        return starts, ends
    prev_end, prev_last = -2, "."
    end = lo - 1
    # The non-empty pieces between newlines are the lines (what ``[^\n]+`` would match).
    for raw in text[lo:hi].split("\n"):
        start = end + 1
        end = start + len(raw)
        if not raw:
            continue
        line = raw.rstrip()
        wrapped = start == prev_end + 1 and (prev_last.islower() or prev_last in ",;-")
        prev_end, prev_last = end, line[-1:] or "."
        if line.upper() == line:  # all caps: a headline or a slug line
            starts.append(start)
            ends.append(end)
            continue
        if line[-1] in _HEADING_END or wrapped:
            continue
        words = line.split()
        if len(words) > 14:
            continue
        long = [w for w in words if len(w) > 3]
        if sum(w[0].isupper() for w in long) * 2 >= len(long):
            starts.append(start)
            ends.append(end)
    return starts, ends


def _sentence_initial(text: str, i: int) -> bool:
    """Whether position ``i`` starts a sentence, a paragraph or a line after a heading."""
    i -= 1
    while i >= 0 and text[i] in " \t\"'“‘(":
        i -= 1
    if i < 0 or text[i] in ".!?":
        return True
    if text[i] not in "\n\r":
        return False
    newlines = 0
    while i >= 0 and text[i] in " \t\r\n":
        newlines += text[i] == "\n"
        i -= 1
    # After one line break, a line that stopped on a lowercase word or a comma was wrapped
    # mid-sentence (METER wire copy); any other line (a heading, a date) ended a sentence.
    return newlines > 1 or i < 0 or not (text[i].islower() or text[i] in ",;-")


def _tokens(run: str, start: int) -> list[_Tok]:
    """Capitalised tokens of a run with their offsets; connectors ("of", "van") are left out."""
    out = []
    pos = start
    for piece in run.split(" "):
        if piece and not piece[0].islower():
            tok = piece[:-1] if piece[-1] == "." and piece[:-1] in _DOT_TITLES else piece
            out.append((pos, pos + len(tok), tok))
        pos += len(piece) + 1
    return out


class _LowerWords:
    """Answers "does this word also occur in lower case?" (so it is a common word)."""

    # Above this length one pass collecting all lower-case words beats a scan per question.
    _SCAN_LIMIT = 20_000

    def __init__(self, text: str) -> None:
        self.text = text
        self.words: set[str] | None = None

    def __contains__(self, word: str) -> bool:
        low = word.lower()
        if len(self.text) <= self._SCAN_LIMIT:
            return any(True for _ in find_words(self.text, low, 0, len(self.text)))
        if self.words is None:
            self.words = set(_LOWER_WORD.findall(self.text))
        return low in self.words


def _names(text: str, lo: int, hi: int, verbs: list[int]) -> list[Fact]:
    """Names (people, organisations) and places, and the attributions hung on a name."""
    h_starts, h_ends = _headings(text, lo, hi)
    runs: list[tuple[int, int, list[_Tok], bool, bool]] = []
    known: set[str] = set()
    for m in _RUN.finditer(text, lo, hi):
        run = m[0]
        if run in STOP_CAPS:
            continue  # most runs are one sentence-initial function word
        start = m.start()
        if start > 0 and ((c := text[start - 1]).isalnum() or c in "'’_"):
            continue  # a capital inside a word ("iPhone") or after an apostrophe
        end = start + len(run)
        if h_starts:
            k = bisect_right(h_starts, start) - 1
            heading = k >= 0 and start < h_ends[k]
        else:
            heading = False
        initial = not heading and _sentence_initial(text, start)
        if " " not in run:
            toks = [(start, end, run)]
            if not heading and not initial:
                known.add(run)
        else:
            toks = _tokens(run, start)
            if not heading:
                known.update([t[2] for t in toks[initial:]])
        runs.append((start, end, toks, heading, initial))
    out: list[Fact] = []
    places: set[str] = set()
    people: set[str] = set()
    common = _LowerWords(text)
    for start, end, toks, heading, initial in runs:
        first = toks[0][2]
        if len(toks) == 1:  # fast path for the common one-word run
            ok = not heading or first in known
            if ok and initial and first not in known:
                ok = bool(_AFTER_VERB.match(text, end)) and first not in common
            one = _entity(text, toks, "") if ok and first not in _NOT_ALONE else None
            facts = [] if one is None else [one]
        else:
            keep = [t[2] not in STOP_CAPS and (not heading or t[2] in known) for t in toks]
            if initial and keep[0] and first not in known:
                keep[0] = first not in common
            facts = list(_entities(text, toks, keep))
        if not facts:
            continue
        out += facts
        for f in facts:
            if f.kind is FactKind.PLACE:
                places.add(f.key)
            elif f.cue:
                people.add(f.key)
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
            out[i] = Fact(FactKind.PLACE, f.span, f.text, f.key, f.cue)
        elif f.kind is FactKind.PLACE and f.key not in places:
            out[i] = Fact(FactKind.NAME, f.span, f.text, f.key, f.cue)
    return out


def _entities(text: str, toks: list[_Tok], keep: list[bool]) -> Iterator[Fact]:
    """Split one capitalised run into names at stop words and titles."""
    group: list[_Tok] = []
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


def _entity(text: str, group: list[_Tok], title: str) -> Fact | None:
    start, end = group[0][0], group[-1][1]
    last = group[-1][2].lower()
    if last in DEMONYMS or (len(last) >= 6 and last.endswith(DEMONYM_ENDS)):
        nxt = _WORD.match(text, end + 1) if text.startswith(" ", end) else None
        if len(group) == 1 or (nxt is not None and nxt[0].islower() and nxt[0] not in _VERB_SET):
            return None  # "Russian", "North Korean leader": adjectives, not names
    raw = text[start:end]
    key = raw.casefold()
    if " " in key or "." in key or "’" in key:
        key = " ".join(key.replace(".", "").replace("’", "'").split())
    if title:
        return Fact(FactKind.NAME, Span(start, end), raw, key, title)
    if text.startswith("-based", end):
        return Fact(FactKind.PLACE, Span(start, end), raw, key, "based")
    if start > 1 and text[start - 1] == " ":
        w1 = text[text.rfind(" ", max(0, start - 12), start - 1) + 1 : start - 1].lower()
        if w1 in PLACE_PREPS and (w1 != "to" or _prev_words(text, start)[0] not in NOT_TO_PLACE):
            return Fact(FactKind.PLACE, Span(start, end), raw, key, w1)
        if w1 == "of" and (w2 := _prev_words(text, start)[0]) in PLACE_NOUNS:
            return Fact(FactKind.PLACE, Span(start, end), raw, key, w2)
    return Fact(FactKind.NAME, Span(start, end), raw, key)
