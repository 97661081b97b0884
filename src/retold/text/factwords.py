"""Word lists and unit tables the fact extractor reads (:mod:`retold.text.entities`).

Compact, hand-written English lists: function words that start sentences, titles, place cues,
units and currencies. They were tuned by reading the two seed stories and a sample of METER
court reports (PA wire and newspaper versions).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

__all__ = [
    "ATTR_VERBS", "COMPOUND_TAILS", "CONNECTORS", "CURRENCIES", "DEMONYMS", "DEMONYM_ENDS",
    "GROUP_NOUNS", "MONTHS", "MULTIPLIERS", "NOT_TO_PLACE", "NUMBER_WORDS", "PLACE_NOUNS",
    "PLACE_PREPS", "SPEAKER_NOUNS", "STOP_CAPS", "TIME_CAPS", "TITLES", "UNITS", "UPPER",
    "WEAK_CONTEXT", "find_whole_words", "find_words", "words", "words_by_prefix",
]  # fmt: skip


def words(s: str) -> frozenset[str]:
    """The space-separated words of ``s`` as a set."""
    return frozenset(s.split())


# Capitalised words that start sentences but are not names (compared as written, so "US" is
# not "Us"). Function words, pronouns, sentence adverbs.
STOP_CAPS = words(
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
TIME_CAPS = words(
    "January February March April May June July August September October November December "
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Monday Tuesday Wednesday Thursday Friday "
    "Saturday Sunday"
)
TITLES = words(
    "Mr Mrs Ms Miss Mx Dr Prof Professor Sir Dame Lord Lady Baroness Baron President Premier "
    "Chancellor Minister Secretary Senator Sen Rep Congressman Congresswoman Governor Gov Mayor "
    "King Queen Prince Princess Duke Duchess Pope Cardinal Archbishop Bishop Rev Reverend Gen "
    "General Colonel Col Captain Capt Lieutenant Lt Sergeant Sgt Admiral Commander Inspector "
    "Detective Det Supt Superintendent Constable PC DC DS DI DCI Judge Justice Recorder Coroner "
    "Chairman Chairwoman Ambassador Councillor Cllr MP MEP QC KC Leader Chief"
)
CONNECTORS = words("of the de da di du del der den van von la le bin ibn")
# Lower-case words a name heads in an English compound ("Theresa May-led", "the Blair-era",
# "a Trump-style rally"): never the second syllable of a hyphenated given name ("Kim Jong-un").
COMPOUND_TAILS = words(
    "led run era style type like made based born backed owned linked held bound wide free "
    "sized shaped esque ish ism ist ite ites ian ians ists ers er bred ruled hit"
)
PLACE_PREPS = words("in at from to near into outside across towards toward throughout via")
# Words before "to" that make what follows a person, not a destination ("spoke to Putin").
NOT_TO_PLACE = words(
    "spoke speaking talked talking listened said wrote replied according referring next close "
    "due thanks similar married introduced sent gave letter message call tribute reply answer"
)
PLACE_NOUNS = words("city town village port capital region province county state island")
DEMONYMS = words(
    "french german dutch greek thai swiss welsh scottish israeli iraqi saudi pakistani afghan "
    "soviet arab western eastern northern southern"
)
DEMONYM_ENDS = ("ian", "ean", "ese", "ish", "ican")
ATTR_VERBS = (
    "said|says|told|added|stated|reported|reports|announced|claimed|confirmed|warned|insisted|"
    "explained|wrote|tweeted"
)
SPEAKER_NOUNS = (
    "police|officials|official|spokesman|spokeswoman|spokesperson|sources|source|witnesses|"
    "prosecutors|investigators|officers|analysts|experts|residents|lawyers|ministers"
)
# Plural and role nouns that start news sentences ("Police said ...", "Officials in Ohio ...");
# capitalised there, but alone never a name. With the speaker nouns, read from the seeds, METER
# and the tester's repros.
GROUP_NOUNS = words(
    SPEAKER_NOUNS.replace("|", " ")
    + " authorities critics doctors firefighters paramedics rescuers troops soldiers protesters"
    " demonstrators campaigners activists scientists researchers economists traders investors"
    " shareholders neighbours neighbors relatives parents teachers students passengers victims"
    " detectives jurors magistrates judges managers staff workers unions villagers locals"
)
# Words too weak to name a number's slot ("for" in "jailed for five years").
WEAK_CONTEXT = words(
    "a an the of for to in on at by about around than just only some over nearly almost more less "
    "up was were is are be been has have had and or with his her their its this that who which "
    "it he she they after before since last"
)
_SMALL = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
          "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
          "eighteen", "nineteen")  # fmt: skip
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
NUMBER_WORDS = {w: i for i, w in enumerate(_SMALL)} | {w: 20 + 10 * i for i, w in enumerate(_TENS)}
# "mln", "bln", "trn": Reuters wire style ("15.4 mln dlrs"); "mn": the FT's ("$3mn").
MULTIPLIERS = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
               "mln": 1e6, "mn": 1e6, "bln": 1e9, "bn": 1e9, "trn": 1e12, "tn": 1e12, "m": 1e6,
               "k": 1e3}  # fmt: skip
CURRENCIES = {"£": "GBP", "$": "USD", "US$": "USD", "€": "EUR", "¥": "JPY", "A$": "AUD",
              "C$": "CAD", "HK$": "HKD", "#": "GBP"}  # fmt: skip  # "#": METER PA copy's pound
_UNIT_GROUPS = {
    "%": "per cent|percent|pct|pc", "pp": "percentage points|percentage point", "km": "kilometres|"
    "kilometers|kilometre|kilometer|km", "km/h": "kph|km/h", "mi": "miles|mile", "mph": "mph",
    "m": "metres|meters|metre|meter", "ft": "feet|foot|ft", "cm": "cm", "mm": "mm",
    "kg": "kilograms|kilogram|kilos|kg", "t": "tonnes|tonne|tons|ton", "lb": "lbs|lb",
    "GBP": "pounds|pounds sterling|sterling|stg", "GBp": "pence|p", "USD": "dollars|dlrs|dlr",
    "USc": "cents|cts", "EUR": "euros", "JPY": "yen", "year": "years|year|yrs",
    "month": "months|month", "week": "weeks|week", "day": "days|day", "hour": "hours|hour|hrs",
    "minute": "minutes|minute|mins", "second": "seconds|secs",
}  # fmt: skip
UNITS = {v: k for k, vs in _UNIT_GROUPS.items() for v in vs.split("|")}
_MONTH_NAMES = (
    "January February March April May June July August September October November December "
    "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec"
)
MONTHS = {m: i % 12 + 1 for i, m in enumerate(_MONTH_NAMES.split())} | {"Sept": 9}

# Uppercase letters for regex classes: ASCII plus Latin-1 and Latin Extended-A/B (computed).
UPPER = "A-Z" + "".join(c for c in map(chr, range(0xC0, 0x250)) if c.isupper())


def _bounded(s: str, start: int, end: int) -> bool:
    """True when ``s[start:end]`` is a whole word (no letter or digit glued on either side)."""
    return (start == 0 or not s[start - 1].isalnum()) and (end >= len(s) or not s[end].isalnum())


def find_words(low: str, word: str, lo: int, hi: int) -> Iterator[int]:
    """Starts of whole-word occurrences of ``word`` in ``low[lo:hi]`` (a ``str.find`` scan)."""
    i = low.find(word, lo, hi)
    while i >= 0:
        if _bounded(low, i, i + len(word)):
            yield i
        i = low.find(word, i + 1, hi)


def words_by_prefix(words: Iterable[str], prefixes: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """The ``words`` that start with each prefix, for :func:`find_whole_words`.

    Each word should start with exactly one prefix (no prefix starting another).
    """
    listed = tuple(words)
    return {p: tuple(w for w in listed if w.startswith(p)) for p in prefixes}


def find_whole_words(
    low: str, table: Mapping[str, tuple[str, ...]], lo: int, hi: int
) -> list[tuple[int, str]]:
    """Whole-word occurrences in ``low[lo:hi]`` of the words of ``table``, as (start, word).

    One ``str.find`` scan per prefix of ``table`` (see :func:`words_by_prefix`); a hit at the
    start of a word is matched against the words with that prefix. Hits come prefix by
    prefix, in order within a prefix. The same hits as :func:`find_words` word by word; the
    scans are what costs (3-4 µs each on a 4 KB article), so words sharing a prefix share one.
    """
    hits = []
    for prefix, candidates in table.items():
        i = low.find(prefix, lo, hi)
        while i >= 0:
            if i == 0 or not low[i - 1].isalnum():
                for word in candidates:
                    end = i + len(word)
                    if end <= hi and low.startswith(word, i) and not low[end : end + 1].isalnum():
                        hits.append((i, word))
                        break  # a whole word at ``i`` is one of them at most
            i = low.find(prefix, i + 1, hi)
    return hits
