"""An article as the story index reads it, plain Python: its terms (folded, lightly stemmed,
stop words dropped, numbers as ``#100000``), the names and figures it mentions, its lead's word
pairs, the key exact copies share, the company its headline is about and the dates its lead
names (:mod:`.occurrences`): a :class:`Doc`, made by :func:`make_doc`. The differences panel
reads texts with the same :func:`fold` and :func:`terms`.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import unicodedata
import zlib
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from articles.stories.occurrences import headline_company, lead_dates, tickers

MIN_WORDS = 5  # fewer content words (a headline-only brief): joins only as a same-day exact copy
LEAD_TERMS = 30  # terms of the lead compared on their own
HEADLINE_WEIGHT = 2  # headline words count this many times

_WORD = re.compile(r"[^\W\d_][\w'’.-]*[^\W_]|[^\W\d_]|\d[\d,.]*\d|\d")
_SENTENCE_BREAK = re.compile(r"[.?!:;\"“”]\s+|\n")
_STOPWORDS_TEXT = """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its itself
    just me more most my myself no nor not now of off on once only or other our ours ourselves out
    over own same she should so some such than that the their theirs them themselves then there these
    they this those through to too under until up very was we were what when where which while who
    whom why will with would you your yours yourself yourselves said says say told according
    reuter reuters mr mrs ms inc corp co ltd plc also new one two three four five six seven eight nine
    ten year years week weeks month months day days today yesterday monday tuesday wednesday thursday
    friday saturday sunday january february march april may june july august september october
    november december jan feb mar apr jun jul aug sep sept oct nov dec vs pct mln dlrs dlr billion
    million cts"""
_STOPWORDS = frozenset(_STOPWORDS_TEXT.split())


# Letters no Unicode decomposition takes to a plain one: ``Łódź`` -> ``lodz``, ``Ørsted`` -> ``orsted``.
_UNDECOMPOSED = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe"})


def fold(text: str) -> str:
    """Lower case without accents or typographic apostrophes: ``António`` -> ``antonio``,
    ``Łódź`` -> ``lodz``."""
    text = text.casefold().replace("’", "'")
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSED))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=200_000)
def _word_term(token: str) -> str:
    """The term of a word token: folded, trimmed, lightly stemmed (``Yazidis`` -> ``yazidi``);
    empty for stop words and single letters."""
    word = fold(token).strip("'.-")
    if len(word) < 2 or word in _STOPWORDS:
        return ""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "'s")):
        return word[:-1]
    return word.removesuffix("'s")


@lru_cache(maxsize=100_000)
def _number_term(token: str) -> str:
    """``100,000`` -> ``#100000``, ``2.20`` -> ``#2.2``."""
    digits = token.replace(",", "")
    try:
        return f"#{float(digits):g}"
    except ValueError:
        return "#" + digits


_NUMBER_WORDS = {
    word: str(n)
    for n, word in enumerate(
        ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"], start=1
    )
}
_SCALES = frozenset({"billion", "bln", "million", "mln", "thousand", "pct", "percent"})


@dataclass
class _Tokens:
    counts: Counter[str] = field(default_factory=Counter)
    names: set[str] = field(default_factory=set)
    figures: set[str] = field(default_factory=set)
    words: int = 0


def _scan(text: str, weight: int = 1) -> _Tokens:
    """One pass over a text: term counts, names (capitalised words that do not open a sentence)
    and figures (numbers of two digits or more, and any number before ``billion``, ``pct``...)."""
    found = _Tokens()
    counts, names, figures = found.counts, found.names, found.figures
    for sentence in _SENTENCE_BREAK.split(text):
        opener = True
        tokens = _WORD.findall(sentence)
        for position, token in enumerate(tokens):
            scaled = position + 1 < len(tokens) and tokens[position + 1].lower() in _SCALES
            digits = token if token[0].isdigit() else _NUMBER_WORDS.get(token.lower()) if scaled else None
            if digits:
                term = _number_term(digits)
                counts[term] += weight
                if len(term) > 2 or scaled:
                    figures.add(term)
            elif term := _word_term(token):
                counts[term] += weight
                found.words += 1
                if not opener and token[0].isupper() and not token.isupper() and len(term) > 2:
                    names.add(term)
            opener = False
    return found


def terms(text: str) -> Counter[str]:
    """Content words (folded, lightly stemmed, stop words dropped) and numbers (``#100000``)."""
    return _scan(text).counts


def names(text: str) -> frozenset[str]:
    """Capitalised words that do not open a sentence (folded, stemmed), and ``<TICKER>`` symbols."""
    return frozenset(_scan(text).names | tickers(text))


def copy_key(headline: str, body: str) -> str:
    """Equal for exact copies (spacing, case and punctuation aside)."""
    words = " ".join(_WORD.findall(fold(f"{headline}\n{body}")))
    return hashlib.blake2b(words.encode(), digest_size=12).hexdigest()


def lead_shingles(body: str) -> frozenset[int]:
    """Word pairs of the lead (the first :data:`LEAD_TERMS` terms), hashed: an update or a
    longer or shorter repeat of a story keeps its lead even when the rest changes."""
    found = []
    for token in _WORD.findall(body[: LEAD_TERMS * 15]):
        term = _number_term(token) if token[0].isdigit() else _word_term(token)
        if term:
            found.append(term)
            if len(found) == LEAD_TERMS:
                break
    if len(found) < LEAD_TERMS // 2:
        return frozenset()
    return frozenset(zlib.crc32(f"{a} {b}".encode()) for a, b in itertools.pairwise(found))


@dataclass
class Doc:
    """One article as the story index sees it."""

    key: int
    counts: Counter[str]
    names: frozenset[str]
    day: int | None = None  # date ordinal
    moment: int | None = None  # POSIX seconds, when the time of day is known too
    outlet: int | str | None = None
    copy: str = ""
    words: int = 0
    lead: frozenset[int] = frozenset()
    figures: frozenset[str] = frozenset()  # ``#100000``, ``#2`` of "two billion"...
    slots: frozenset[str] = frozenset()  # the names its headline is about
    company: frozenset[str] = frozenset()  # the company its headline names by ticker: terms, ``$mur``
    dates: frozenset[str] = frozenset()  # the dates its lead names (``apr7``), its own day's aside

    @property
    def short(self) -> bool:
        return self.words < MIN_WORDS


def make_doc(
    key: int,
    headline: str,
    body: str,
    *,
    day: int | None = None,
    moment: int | None = None,
    outlet: int | str | None = None,
) -> Doc:
    """A :class:`Doc` from an article's headline and body (plain text or the archive's light HTML),
    its day (a date ordinal) and, when known, its moment (POSIX seconds)."""
    scanned = _scan(body)
    title = _scan(headline, HEADLINE_WEIGHT)
    counts = title.counts + scanned.counts
    named = tickers(f"{headline} {body}")
    company_words, company_tickers = headline_company(headline)
    return Doc(
        key=key,
        counts=counts,
        names=frozenset(scanned.names | named),
        day=day,
        moment=moment,
        outlet=outlet,
        copy=copy_key(headline, body),
        words=scanned.words,
        lead=lead_shingles(body),
        figures=frozenset(scanned.figures | title.figures),
        slots=frozenset(title.counts.keys() & scanned.names),
        company=frozenset(filter(None, map(_word_term, company_words))) | company_tickers,
        dates=lead_dates(headline, body, day),
    )
