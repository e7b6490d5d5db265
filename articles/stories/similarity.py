"""Which articles report the same event: plain Python, no Django.

An article becomes a :class:`Doc`: its word and number counts (TF-IDF weighted when compared),
the names it mentions, its day and outlet. :class:`StoryIndex` holds the archive's docs
with an inverted index over each doc's few most distinctive terms (its *signature*), so a
new article is compared only with the articles sharing one of those rare terms, never with
every article: the role LSH buckets play for MinHash, at the cost of one dictionary lookup
per signature term.

Two articles match when
- both have enough text (a headline-only brief or a very short text never matches on
  similarity; only an exact copy of it does),
- their dates are within :data:`WINDOW_DAYS` (an undated article is compared on text alone),
- their TF-IDF cosine reaches :data:`THRESHOLD`, and they share a distinctive name or figure.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import re
import unicodedata
import zlib
from array import array
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

WINDOW_DAYS = 3
THRESHOLD = 0.65  # cosine from which one outlet's two articles of the same day report the same event
THRESHOLD_NEXT_DAY = 0.7  # ... a day apart
THRESHOLD_LATER = 0.85  # ... further apart, or either undated
CROSS_THRESHOLD = 0.2  # cosine from which two outlets' articles naming the same ...
CROSS_NAMES = 10  # ... this many names,
CROSS_NAME_SHARE = 0.45  # ... this share of the names of the one naming fewer, report the same event
DUPLICATE_THRESHOLD = 0.9  # cosine from which a same-outlet pair is a near-exact copy
MIN_WORDS = 40  # fewer content words: too short to join a story on similarity alone
SIGNATURE_TERMS = 12  # terms per doc in the inverted index
MAX_POSTINGS = 3000  # a term this common is no evidence of anything; not looked up
LEAD_TERMS = 30  # terms of the lead compared on their own
LEAD_OVERLAP = 0.7  # Jaccard of lead word pairs from which two leads are the same
LEAD_THRESHOLD = 0.3  # cosine enough for two articles with the same lead
HEADLINE_WEIGHT = 2  # headline words count this many times

_WORD = re.compile(r"[^\W\d_][\w'’.-]*[^\W_]|[^\W\d_]|\d[\d,.]*\d|\d")
_SENTENCE_BREAK = re.compile(r"[.?!:;\"“”]\s+|\n")
_TICKER = re.compile(r"<([A-Z][A-Z.]{0,8})>")
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


def fold(text: str) -> str:
    """Lower case without accents or typographic apostrophes: ``António`` -> ``antonio``."""
    text = text.casefold().replace("’", "'")
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
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


@dataclass
class _Tokens:
    counts: Counter[str] = field(default_factory=Counter)
    names: set[str] = field(default_factory=set)
    words: int = 0


def _scan(text: str, weight: int = 1) -> _Tokens:
    """One pass over a text: term counts, and names (capitalised words that do not open a sentence)."""
    found = _Tokens()
    counts, names = found.counts, found.names
    for sentence in _SENTENCE_BREAK.split(text):
        opener = True
        for token in _WORD.findall(sentence):
            if token[0].isdigit():
                counts[_number_term(token)] += weight
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
    return frozenset(_scan(text).names | {"$" + t.lower() for t in _TICKER.findall(text)})


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
    outlet: int | str | None = None
    copy: str = ""
    words: int = 0
    lead: frozenset[int] = frozenset()

    @property
    def short(self) -> bool:
        return self.words < MIN_WORDS


def make_doc(
    key: int, headline: str, body: str, *, day: int | None = None, outlet: int | str | None = None
) -> Doc:
    """A :class:`Doc` from an article's headline and body (plain text or the archive's light HTML)."""
    scanned = _scan(body)
    counts = _scan(headline, HEADLINE_WEIGHT).counts
    counts.update(scanned.counts)
    tickers = {"$" + t.lower() for t in _TICKER.findall(f"{headline} {body}")}
    return Doc(
        key=key,
        counts=counts,
        names=frozenset(scanned.names | tickers),
        day=day,
        outlet=outlet,
        copy=copy_key(headline, body),
        words=scanned.words,
        lead=lead_shingles(body),
    )


@dataclass(frozen=True)
class Match:
    key: int
    score: float
    duplicate: bool  # same outlet and a near-exact copy


@dataclass
class _Stored:
    """A doc in the index, compactly: term ids and normalised TF-IDF weights in arrays."""

    ids: array
    weights: array
    names: frozenset[str]
    day: int | None
    outlet: int | str | None
    copy: str
    short: bool
    lead: frozenset[int]
    signature: tuple[int, ...] = ()


@dataclass
class StoryIndex:
    """The archive's docs, with document frequencies and the signature-term postings.

    A doc's weights use the document frequencies of the moment it was added; :meth:`extend`
    counts a whole batch first, so the first articles of an archive are weighted sensibly too.
    """

    vocabulary: dict[str, int] = field(default_factory=dict)
    df: array = field(default_factory=lambda: array("I"))
    docs: dict[int, _Stored] = field(default_factory=dict)
    postings: dict[int, list[int]] = field(default_factory=dict)
    copies: dict[str, list[int]] = field(default_factory=dict)
    counted: int = 0  # docs in ``df``

    def __len__(self) -> int:
        return len(self.docs)

    def __contains__(self, key: int) -> bool:
        return key in self.docs

    def extend(self, docs: list[Doc]) -> Iterator[tuple[Doc, list[Match]]]:
        """Add docs in order, yielding each with its matches among the docs added before it."""
        self._count(docs)
        for doc in docs:
            matches = self.matches(doc)
            self._store(doc)
            yield doc, matches

    def remove(self, key: int) -> None:
        stored = self.docs.pop(key, None)
        if stored is None:
            return
        for term_id in stored.ids:
            self.df[term_id] -= 1
        self.counted -= 1
        for term_id in stored.signature:
            self.postings[term_id].remove(key)
        self.copies[stored.copy].remove(key)

    def _count(self, docs: list[Doc]) -> None:
        for doc in docs:
            self.remove(doc.key)
        vocabulary, df = self.vocabulary, self.df
        for doc in docs:
            for term in doc.counts:
                term_id = vocabulary.get(term)
                if term_id is None:
                    term_id = vocabulary[term] = len(vocabulary)
                    df.append(0)
                df[term_id] += 1
        self.counted += len(docs)

    def _weights(self, counts: Counter[str]) -> dict[int, float]:
        """Normalised TF-IDF weights by term id (terms never counted are left out)."""
        vocabulary, df, n = self.vocabulary, self.df, self.counted + 1
        weights = {}
        for term, count in counts.items():
            term_id = vocabulary.get(term)
            if term_id is not None:
                weights[term_id] = (1.0 + math.log(count)) * (math.log(n / (df[term_id] + 1)) + 1.0)
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {t: w / norm for t, w in weights.items()}

    def _store(self, doc: Doc) -> None:
        weights = self._weights(doc.counts)
        stored = _Stored(
            ids=array("I", weights),
            weights=array("f", weights.values()),
            names=doc.names,
            day=doc.day,
            outlet=doc.outlet,
            copy=doc.copy,
            short=doc.short,
            lead=doc.lead,
        )
        self.docs[doc.key] = stored
        self.copies.setdefault(doc.copy, []).append(doc.key)
        if not doc.short:
            stored.signature = _signature(weights)
            for term_id in stored.signature:
                self.postings.setdefault(term_id, []).append(doc.key)

    def matches(self, doc: Doc) -> list[Match]:
        """Indexed docs reporting the same event as ``doc``, best first (``doc`` itself excluded)."""
        found = {
            key: Match(key, 1.0, self.docs[key].outlet == doc.outlet)
            for key in self.copies.get(doc.copy, ())
            if key != doc.key and _copy_counts(doc, self.docs[key])
        }
        if not doc.short:
            weights = self._weights(doc.counts)
            for key in self._candidates(_signature(weights)):
                if key == doc.key or key in found:
                    continue
                other = self.docs[key]
                if other.short or not _within_window(doc.day, other.day):
                    continue
                score = sum(weights.get(t, 0.0) * w for t, w in zip(other.ids, other.weights, strict=True))
                same_outlet = doc.outlet is not None and doc.outlet == other.outlet
                if self._same_event(doc, weights, other, score, same_outlet):
                    found[key] = Match(key, score, same_outlet and score >= DUPLICATE_THRESHOLD)
        return sorted(found.values(), key=lambda m: (-m.score, m.key))

    def _same_event(
        self, doc: Doc, weights: dict[int, float], other: _Stored, score: float, same_outlet: bool
    ):
        """One outlet's reports of one event repeat its wording (an update keeps its lead); other
        outlets rewrite it, but name the same people and places."""
        if not same_outlet and score >= CROSS_THRESHOLD:
            shared = len(doc.names & other.names)
            fewest = min(len(doc.names), len(other.names))
            if shared >= CROSS_NAMES and shared >= CROSS_NAME_SHARE * fewest:
                return True
        threshold = _threshold(doc.day, other.day)
        if score >= LEAD_THRESHOLD and _same_lead(doc.lead, other.lead):
            threshold = LEAD_THRESHOLD
        return score >= threshold and self._share_names(doc, weights, other)

    def _share_names(self, doc: Doc, weights: dict[int, float], other: _Stored) -> bool:
        """Both name someone or something in common. Copy without capitals (all lower or upper
        case) has no names: then the other's names must appear among its words."""
        if doc.names and other.names:
            return bool(doc.names & other.names)
        if doc.names:
            ids = set(other.ids)
            return any(self.vocabulary.get(name) in ids for name in doc.names)
        return any(self.vocabulary.get(name) in weights for name in other.names)

    def _candidates(self, signature: tuple[int, ...]) -> set[int]:
        candidates: set[int] = set()
        for term_id in signature:
            posting = self.postings.get(term_id, ())
            if len(posting) <= MAX_POSTINGS:
                candidates.update(posting)
        return candidates


def _signature(weights: dict[int, float]) -> tuple[int, ...]:
    return tuple(sorted(weights, key=weights.__getitem__, reverse=True)[:SIGNATURE_TERMS])


def _threshold(a: int | None, b: int | None) -> float:
    """Reports of one event a day or more apart must be closer in wording than same-day ones."""
    if a is None or b is None:
        return THRESHOLD_LATER
    gap = abs(a - b)
    return THRESHOLD if gap == 0 else THRESHOLD_NEXT_DAY if gap == 1 else THRESHOLD_LATER


def _same_lead(a: frozenset[int], b: frozenset[int]) -> bool:
    return bool(a and b) and len(a & b) >= LEAD_OVERLAP * len(a | b)


def _copy_counts(doc: Doc, other: _Stored) -> bool:
    """An exact copy is the same story within the window; a short one only on the same day."""
    if doc.short or other.short:
        return doc.day is not None and doc.day == other.day
    return _within_window(doc.day, other.day)


def _within_window(a: int | None, b: int | None) -> bool:
    return a is None or b is None or abs(a - b) <= WINDOW_DAYS
