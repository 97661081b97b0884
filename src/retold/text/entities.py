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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from retold.model import FactKind, Span
from retold.text.capitals import LowerWords, Tok, capital_runs
from retold.text.factwords import (
    ATTR_VERBS,
    DEMONYM_ENDS,
    DEMONYMS,
    GROUP_NOUNS,
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
)
from retold.text.quantities import quantity_fields
from retold.text.quotes import quote_spans

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


# Members looked up once: ``FactKind.NAME`` is a slow class-attribute lookup on Python 3.11
# (0.2-0.35 µs, as long as a dict lookup and a call together).
_NUMBER, _NAME, _PLACE = FactKind.NUMBER, FactKind.NAME, FactKind.PLACE
_QUOTE, _ATTRIBUTION = FactKind.QUOTE, FactKind.ATTRIBUTION
_VERBS = tuple(ATTR_VERBS.split("|"))
_VERB_SET = frozenset(_VERBS)
_VERB_HITS = (*_VERBS, "according to")
_NOT_ALONE = TITLES | TIME_CAPS | {w.capitalize() for w in GROUP_NOUNS}  # never a name alone

_UP = UPPER
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_AFTER_VERB = re.compile(
    r"(?:,[ ][\da-z][^,.\n]{0,60},)?[ ](?:news[ ]agency[ ]|agency[ ]|newspaper[ ])?"
    r"(?:ha(?:s|ve|d)[ ])?"
    rf"(?:also[ ])?(?:{ATTR_VERBS})\b"
)
_BEFORE_VERB = re.compile(r"(?:[,\"”’][ ](?P<s>said|says)|(?P<a>according[ ]to))[ ](?:the[ ])?\Z")
_NOUN_BEFORE = re.compile(rf"\b(?P<who>{SPEAKER_NOUNS})(?:[ ]ha(?:ve|s))?(?:[ ]also)?[ ]\Z")
_BEFORE_SPACE = (*SPEAKER_NOUNS.split("|"), "has", "have", "also")
_NOUN_AFTER = re.compile(rf"[ ](?:the[ ])?(?P<who>{SPEAKER_NOUNS})\b")
_DATELINE = re.compile(rf"\((?P<who>[{_UP}]\w+(?:[ ][{_UP}]\w+)?)\)[ ]?[-–—]")


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
    verbs = sorted(i for v in _VERB_HITS for i in find_words(low, v, lo, hi))
    facts = [Fact(_NUMBER, *q) for q in quantity_fields(text, low, lo, hi)]
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
    if fact.kind is _QUOTE or fact.kind is _ATTRIBUTION:
        return frozenset((fact.kind.value,))
    start, end = fact.span.start, fact.span.end
    labels = {f"u:{fact.cue}"} if fact.cue else set()
    if before := _context(reversed(text[max(0, start - 40) : start].split()), backwards=True):
        labels.add(f"p:{before}")
    if after := _context(text[end : end + 40].split(), backwards=False):
        labels.add(f"n:{after}")
    return frozenset(labels)


def _context(pieces: Iterable[str], backwards: bool) -> str:
    """The first content word among the first three words of ``pieces``, lowercased, or "".

    ``pieces`` are the space-separated pieces next to a fact, nearest first; their words are
    read as :func:`_words` reads them, and only as far as needed.
    """
    seen = 0
    for piece in pieces:
        if (word := piece.strip(_CLINGING)).isalpha():
            found = [word]
        else:
            found = _WORD.findall(piece)
            if backwards:
                found.reverse()
        for w in found:
            if len(w) > 1 and (low := w.lower()) not in WEAK_CONTEXT:
                return low
            seen += 1
            if seen == 3:
                return ""
    return ""


# Punctuation that clings to words ("said,", "“We"); none of it is part of a word.
_CLINGING = ".,;:!?\"'’“”‘()-"


def _words(chunk: str) -> list[str]:
    """What ``_WORD.findall(chunk)`` finds, piece by space-separated piece.

    Words never span white space, and a piece that is letters only once clinging punctuation
    is stripped is one word without asking the regex, which costs about 0.4 µs a word: a
    quarter to a half less time on the quotes of METER articles.
    """
    out = []
    for piece in chunk.split():
        if (word := piece.strip(_CLINGING)).isalpha():
            out.append(word)
        else:
            out += _WORD.findall(piece)
    return out


def _quotes(text: str, lo: int, hi: int) -> list[Fact]:
    out = []
    for start, end, inner in quote_spans(text, lo, hi):
        words = _words(text[inner.start : inner.end])
        if words:
            key = " ".join(words).casefold().replace("’", "'")
            out.append(Fact(_QUOTE, Span(start, end), text[start:end], key))
    return out


def _noun_attributions(text: str, low: str, lo: int, hi: int, verbs: list[int]) -> list[Fact]:
    out = []
    for v in verbs:
        if low.startswith("according to", v):
            m = _NOUN_AFTER.match(low, v + 12, hi)
            if m is None:
                continue
            span = Span(v, m.end())
        else:
            if not low.endswith(_BEFORE_SPACE, max(lo, v - 40), v - 1):
                continue  # what _NOUN_BEFORE needs before its last space, cheaper looked up
            m = _NOUN_BEFORE.search(low, max(lo, v - 40), v)
            if m is None:
                continue
            verb = next(w for w in _VERBS if low.startswith(w, v))
            span = Span(m.start(), v + len(verb))
        who = m["who"]
        who = who[:-1] if who.endswith("s") and not who.endswith("ss") else who
        out.append(Fact(_ATTRIBUTION, span, span.slice(text), who))
    for m in _DATELINE.finditer(text, lo, hi):
        out.append(Fact(_ATTRIBUTION, Span(m.start(), m.end()), m[0], m["who"].casefold()))
    return out


def _names(text: str, lo: int, hi: int, verbs: list[int]) -> list[Fact]:
    """Names (people, organisations) and places, and the attributions hung on a name."""
    runs, known = capital_runs(text, lo, hi)
    out: list[Fact] = []
    places: set[str] = set()
    people: set[str] = set()
    common = LowerWords(text)
    # Words that stand alone as a name somewhere (off headings and sentence starts).
    alone = {r[2] for r in runs if r[3] is None and not r[4] and not r[5]}
    # Runs come in order, so two cursors walk the verbs: the first at or after ``start - 24``
    # and the first at or after ``end`` (instead of two bisections a run).
    n_verbs, v_before, v_after = len(verbs), 0, 0
    for start, end, run, run_toks, heading, initial in runs:
        toks: Sequence[Tok | None] | None = run_toks
        if (
            run_toks is None
            and "-" in run
            and len(parts := _compound(start, run, alone, known)) > 1
        ):
            toks = parts  # "Russia-Ukraine": two names
        elif run_toks is not None and any("-" in t[2] for t in run_toks):
            toks = [p for t in run_toks for p in _compound(t[0], t[2], alone, known)]
        if toks is None:  # the common one-word run
            if run in _NOT_ALONE or (heading and run not in known):
                continue
            if initial and run not in known and (not _AFTER_VERB.match(text, end) or run in common):
                continue
            first = _entity(text, start, end, run, "")
            if first is None:
                continue
            out.append(first)
            if first.kind is _PLACE:
                places.add(first.key)
            elif first.cue:
                people.add(first.key)
            last = first
        else:
            word = toks[0][2] if toks[0] is not None else ""
            keep_first = word not in STOP_CAPS and (not heading or word in known)
            if initial and keep_first and word not in known:
                keep_first = word not in common
            facts = _entities(text, toks, keep_first, known if heading else None)
            if not facts:
                continue
            out += facts
            for f in facts:
                if f.kind is _PLACE:
                    places.add(f.key)
                elif f.cue:
                    people.add(f.key)
            first, last = facts[0], facts[-1]
        while v_after < n_verbs and verbs[v_after] < end:
            v_after += 1
        if v_after < n_verbs and verbs[v_after] <= end + 80 and last.span.end == end:
            verb = _AFTER_VERB.match(text, end)
            if verb is not None:
                span = Span(last.span.start, verb.end())
                out.append(Fact(_ATTRIBUTION, span, span.slice(text), last.key))
                people.add(last.key)
        while v_before < n_verbs and verbs[v_before] < start - 24:
            v_before += 1
        if v_before < n_verbs and verbs[v_before] < start and first.span.start == start:
            verb = _BEFORE_VERB.search(text, max(0, start - 24), start)
            if verb is not None:
                span = Span(verb.start("s") if verb["s"] else verb.start("a"), first.span.end)
                out.append(Fact(_ATTRIBUTION, span, span.slice(text), first.key))
                people.add(first.key)
    places -= people
    for i, f in enumerate(out):
        if f.kind is _NAME:
            if f.key in places:
                out[i] = Fact(_PLACE, f.span, f.text, f.key, f.cue)
        elif f.kind is _PLACE and f.key not in places:
            out[i] = Fact(_NAME, f.span, f.text, f.key, f.cue)
    return out


def _compound(start: int, word: str, alone: set[str], known: set[str]) -> list[Tok | None]:
    """A token, cut at its hyphens when it joins names the article also gives apart.

    The first part must stand alone as a name elsewhere, the others be seen capitalised:
    "Russia-Ukraine" and "Russia-North Korea" give two names, with ``None`` where the token was
    cut; "Taylor-Lloyd" stays one even beside "Lisa Taylor Lloyd", as "Smith-Jones" does.
    """
    parts = word.split("-")
    if len(parts) < 2 or parts[0] not in alone or not all(p in known for p in parts[1:]):
        return [(start, start + len(word), word)]
    out: list[Tok | None] = []
    for p in parts:
        if out:
            out.append(None)
        out.append((start, start + len(p), p))
        start += len(p) + 1
    return out


def _entities(
    text: str, toks: Sequence[Tok | None], keep_first: bool, known: set[str] | None
) -> list[Fact]:
    """Split one capitalised run into names at stop words and titles.

    Args:
        text: The original text.
        toks: The run's capitalised tokens (``None`` where a compound was cut).
        keep_first: Whether the first token may be part of a name.
        known: In a heading, the words seen capitalised elsewhere (only they are kept).
    """
    out: list[Fact] = []
    group_start = group_end = -1  # the group: tokens kept since the last split
    last = title = ""
    for k, tok in enumerate(toks):
        start, end, word = tok or (-1, -1, "")
        if tok is None:
            ok = False  # the hyphen between two names of a compound
        else:
            ok = word not in STOP_CAPS and (known is None or word in known) if k else keep_first
        if ok and word in TITLES:
            group_start = -1  # "Russian Defence Minister ...": the words before a title are a role
            title = word.lower()
        elif ok and (group_start >= 0 or word not in TIME_CAPS):
            if group_start < 0:
                group_start = start
            group_end, last = end, word
        else:
            if group_start >= 0:
                fact = _entity(text, group_start, group_end, last, title)
                if fact is not None:
                    out.append(fact)
            group_start, title = -1, ""
    if (
        group_start >= 0
        and (fact := _entity(text, group_start, group_end, last, title)) is not None
    ):
        out.append(fact)
    return out


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


def _entity(text: str, start: int, end: int, last: str, title: str) -> Fact | None:
    """The name (or place) ``text[start:end]``, whose last word is ``last``, after ``title``."""
    alone = end - start == len(last)  # the name is this one word
    last = last.lower()
    if last in DEMONYMS or (len(last) >= 6 and last.endswith(DEMONYM_ENDS)):
        nxt = _WORD.match(text, end + 1) if text.startswith(" ", end) else None
        if alone or (nxt is not None and nxt[0].islower() and nxt[0] not in _VERB_SET):
            return None  # "Russian", "North Korean leader": adjectives, not names
    raw = text[start:end]
    key = raw.casefold()
    if " " in key or "." in key or "’" in key:
        key = " ".join(key.replace(".", "").replace("’", "'").split())
    if title:
        return Fact(_NAME, Span(start, end), raw, key, title)
    if text.startswith("-based", end):
        return Fact(_PLACE, Span(start, end), raw, key, "based")
    if start > 1 and text[start - 1] == " ":
        w1 = text[text.rfind(" ", max(0, start - 12), start - 1) + 1 : start - 1].lower()
        if w1 in PLACE_PREPS and (w1 != "to" or _prev_words(text, start)[0] not in NOT_TO_PLACE):
            return Fact(_PLACE, Span(start, end), raw, key, w1)
        if w1 == "of" and (w2 := _prev_words(text, start)[0]) in PLACE_NOUNS:
            return Fact(_PLACE, Span(start, end), raw, key, w2)
    return Fact(_NAME, Span(start, end), raw, key)
