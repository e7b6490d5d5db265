"""Which articles report the same event: plain Python, no Django.

An article becomes a :class:`~articles.stories.documents.Doc`: its word and number counts
(TF-IDF weighted when compared), the names and figures it mentions, its day and outlet.
:class:`StoryIndex` holds the archive's docs with an inverted index over each doc's few most
distinctive terms (its *signature*), so a new article is compared only with the articles sharing
one of those rare terms, never with every article: the role LSH buckets play for MinHash, at the
cost of one dictionary lookup per signature term.

Two articles match when
- both have some text (a headline-only brief or a text of a few words never matches on
  similarity; only an exact copy of it on the same day does),
- their dates are within :data:`WINDOW_DAYS` (an undated article is compared on text alone),
- and their evidence reaches the bar for their distance in days ("the same day": within
  :data:`SAME_DAY_HOURS` when both articles have a time of day, else the same date). The same
  day: TF-IDF cosine plus a bonus for the share of rare names and of figures they have in
  common (two reports of one deal, vote or release name the same people and repeat the same
  numbers in other words).
  A day or more apart: only a repeat (a high cosine, or the same lead); anything else is the
  next development, a new event. Different outlets naming the same many people and places: a
  lower cosine is enough (they rewrite rather than repeat).
- Different outlets' own accounts the same or the next day (a rival wire, a press release, a
  translation, the next day's update): a low cosine will do when they share rare names and the
  event's own words beyond its names (the ferry capsized, the divers searched) — a brief that
  only names the same governor does not.
- But never two reports whose headlines are each about a name the other never mentions (two
  companies' results, two countries' tenders, two candidates' interviews): one kind, not one
  event, however alike their words (the *slot difference*); nor two whose leads name different
  dates, or whose headlines name two companies by ticker (:mod:`.occurrences`).

Pairs that fall short of the bar but not by much (evidence from :data:`POSSIBLE_BAR`, the same
or the next day) are *possible* versions: the rule does not join them, an editor decides (the
review queue lists them). Most same-event pairs the rule misses are there: reactions and
other-side accounts in other words, a market session's open and close reports.

The thresholds were fitted on hand-judged Reuters pairs (``bench/story_pairs.jsonl``) and
checked on pairs judged afterwards (``bench/story_pairs_heldout.jsonl``); see BENCHMARKS.md.
The other outlets' rule and the slot difference were fitted on the invented multi-outlet set
(``bench/story_devset/``, ``bench/bench_story_devset.py``).
"""

from __future__ import annotations

import difflib
import math
from array import array
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import repeat
from operator import mul

from articles.stories.documents import MIN_WORDS, Doc

WINDOW_DAYS = 3
SAME_DAY_HOURS = 22  # two articles with times of day this close are "the same day", across midnight too
SAME_DAY_BAR = 0.76  # cosine + bonuses from which one day's two articles report the same event
NAME_BONUS = 0.2  # ... times the share of the rarer-named side's names (IDF-weighted) they share
FIGURE_BONUS = 0.2  # ... times the share of the fewer figures they share
NEXT_DAY_THRESHOLD = 0.9  # cosine from which articles a day apart are one report repeated
LATER_THRESHOLD = 0.85  # ... further apart, or either undated
LEAD_OVERLAP = 0.7  # Jaccard of lead word pairs from which two leads are the same
LEAD_THRESHOLD = 0.4  # cosine enough a day apart for two articles with the same lead
LEAD_THRESHOLD_LATER = 0.5  # ... further apart
POSSIBLE_BAR = 0.5  # evidence from which a pair the rule does not join is a possible version
POSSIBLE_DAYS = 1  # ... at most this many days apart
CROSS_THRESHOLD = 0.2  # cosine from which two outlets' articles naming the same ...
CROSS_NAMES = 10  # ... this many names,
CROSS_NAME_SHARE = 0.45  # ... this share of the names of the one naming fewer, report the same event
REWRITE_COSINE = 0.22  # cosine from which two outlets' reports of one or two days ...
REWRITE_NAMES = 3  # ... sharing this many names,
REWRITE_RARE = 2  # ... this many of them rare: in at most ...
REWRITE_RARE_DF = 200  # ... this many articles (not "Ukraine", "Kyiv": no chain of a war's reports),
REWRITE_NAME_SHARE = 0.35  # ... this IDF-weighted share of the rarer-named side's names,
REWRITE_EVENT = 0.08  # ... and this cosine over their other words (the event's verbs and nouns),
REWRITE_EVENT_TERMS = 3  # ... at least this many of them, are one event retold
SLOT_LIKENESS = 0.8  # spelling likeness from which a name is another's transliteration
DUPLICATE_THRESHOLD = 0.9  # cosine from which a same-outlet pair is a near-exact copy
REPEAT_FIGURES = 0.67  # share of the fewer figures a repeat on another day must carry too
SIGNATURE_TERMS = 12  # terms per doc in the inverted index
MAX_DF = 3000  # a term in this many docs is no evidence of anything; not looked up


@dataclass(frozen=True)
class Match:
    key: int
    score: float
    duplicate: bool  # same outlet and a near-exact copy


@dataclass(slots=True)
class _Stored:
    """A doc in the index, compactly: term ids and normalised TF-IDF weights in arrays, names
    and figures in tuples, the lead's hashes in an array (sets are made only to compare with
    a new doc: a set of a few dozen items takes several times the room), no ``__dict__``."""

    ids: array
    weights: array
    names: tuple[str, ...]
    day: int | None
    outlet: int | str | None
    copy: str
    words: int
    lead: array
    figures: tuple[str, ...]
    slots: tuple[str, ...] = ()
    company: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    moment: int | None = None  # POSIX seconds, when the time of day is known
    signature: array | tuple[()] = ()  # term ids; an array: a tuple held an int object each

    @property
    def short(self) -> bool:
        return self.words < MIN_WORDS


@dataclass
class StoryIndex:
    """The archive's docs, with document frequencies and the signature-term postings.

    The postings are kept by day, then term id, each an array of doc keys: keyed by (term, day)
    tuples, with a list of int objects each, they took 130 of the 343 MB of 100k docs.

    A doc's weights use the document frequencies of the moment it was added; :meth:`extend`
    counts a whole batch first, so the first articles of an archive are weighted sensibly too.
    """

    vocabulary: dict[str, int] = field(default_factory=dict)
    df: array = field(default_factory=lambda: array("I"))
    docs: dict[int, _Stored] = field(default_factory=dict)
    postings: dict[int | None, dict[int, array]] = field(default_factory=dict)  # day -> term -> keys
    copies: dict[str, list[int]] = field(default_factory=dict)
    counted: int = 0  # docs in ``df``

    def __len__(self) -> int:
        return len(self.docs)

    def __contains__(self, key: int) -> bool:
        return key in self.docs

    def extend(self, docs: list[Doc]) -> Iterator[tuple[Doc, list[Match], list[Match]]]:
        """Add docs in order, yielding each with its matches and its possible versions among
        the docs added before it."""
        self._count(docs)
        for doc in docs:
            matches, possible = self.compare(doc)
            self._store(doc)
            yield doc, matches, possible

    def remove(self, key: int) -> None:
        stored = self.docs.pop(key, None)
        if stored is None:
            return
        for term_id in stored.ids:
            self.df[term_id] -= 1
        self.counted -= 1
        for term_id in stored.signature:
            self.postings[stored.day][term_id].remove(key)
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
            names=tuple(doc.names),
            day=doc.day,
            outlet=doc.outlet,
            copy=doc.copy,
            words=doc.words,
            lead=array("I", doc.lead),
            figures=tuple(doc.figures),
            slots=tuple(doc.slots),
            company=tuple(doc.company),
            dates=tuple(doc.dates),
            moment=doc.moment,
        )
        self.docs[doc.key] = stored
        self.copies.setdefault(doc.copy, []).append(doc.key)
        if not doc.short:
            stored.signature = array("I", _signature(weights))
            day = self.postings.setdefault(doc.day, {})
            for term_id in stored.signature:
                if (keys := day.get(term_id)) is None:
                    keys = day[term_id] = array("I")
                keys.append(doc.key)

    def compare(self, doc: Doc) -> tuple[list[Match], list[Match]]:
        """Indexed docs reporting the same event as ``doc``, and its possible versions (scored by
        their evidence), each best first; ``doc`` itself excluded."""
        possible = []
        found = {
            key: Match(key, 1.0, self.docs[key].outlet == doc.outlet)
            for key in self.copies.get(doc.copy, ())
            if key != doc.key and _copy_counts(doc, self.docs[key])
        }
        if not doc.short:
            weights = self._weights(doc.counts)
            get = weights.get
            for key in self._candidates(_signature(weights), doc.day):
                if key == doc.key or key in found:
                    continue
                other = self.docs[key]
                score = sum(map(mul, map(get, other.ids, repeat(0.0)), other.weights))
                same_outlet = doc.outlet is not None and doc.outlet == other.outlet
                if self._same_event(doc, other, score, same_outlet, weights):
                    if not self._apart(doc, other):
                        found[key] = Match(key, score, same_outlet and score >= DUPLICATE_THRESHOLD)
                elif (evidence := self._possible(doc, other, score)) and not self._apart(doc, other):
                    possible.append(Match(key, evidence, False))
        return _best_first(found.values()), _best_first(possible)

    def _same_event(
        self, doc: Doc, other: _Stored, score: float, same_outlet: bool, weights: dict[int, float]
    ) -> bool:
        """Reports of one event on one day share wording, names and figures; a day or more apart
        only a repeat counts (otherwise it is the next development, a new event). Other outlets
        rewrite an event, but name the same people and places."""
        if not same_outlet and score >= CROSS_THRESHOLD:
            shared = len(doc.names.intersection(other.names))
            fewest = min(len(doc.names), len(other.names))
            if shared >= CROSS_NAMES and shared >= CROSS_NAME_SHARE * fewest:
                return True
        apart = _days_apart(doc, other)
        if not same_outlet and self._retold(doc, other, score, apart, weights):
            return True
        if apart != 0:
            if _new_figures(doc.figures, other.figures):
                return False  # the same words with new figures: the next occurrence of a routine
            threshold, lead_threshold = (
                (NEXT_DAY_THRESHOLD, LEAD_THRESHOLD)
                if apart == 1
                else (LATER_THRESHOLD, LEAD_THRESHOLD_LATER)
            )
            return score >= threshold or (score >= lead_threshold and _same_lead(doc.lead, other.lead))
        if score + NAME_BONUS + FIGURE_BONUS < SAME_DAY_BAR:
            return False
        return self._evidence(doc, other, score) >= SAME_DAY_BAR

    def _retold(
        self, doc: Doc, other: _Stored, score: float, apart: int | None, own: dict[int, float]
    ) -> bool:
        """Two outlets' own accounts of one event, the same or the next day (an update): fewer
        words alike than in a repeat, but the same rare names, and the event's own words (the
        ferry capsized, the divers searched), not only its names (a brief about the governor)."""
        if apart is None or apart > 1 or score < REWRITE_COSINE:
            return False
        shared = doc.names.intersection(other.names)
        if len(shared) < REWRITE_NAMES or self._name_share(doc.names, other.names) < REWRITE_NAME_SHARE:
            return False
        vocabulary, df = self.vocabulary, self.df
        ids = [vocabulary.get(name) for name in shared]
        if sum(1 for i in ids if i is not None and df[i] <= REWRITE_RARE_DF) < REWRITE_RARE:
            return False
        weights = dict(zip(other.ids, other.weights, strict=True))
        names = doc.names.union(other.names)
        event = [
            own[term_id] * weights[term_id]
            for term in doc.counts
            if term not in names
            and not term.startswith("#")
            and (term_id := vocabulary.get(term)) is not None
            and term_id in weights
            and term_id in own
        ]
        return len(event) >= REWRITE_EVENT_TERMS and sum(event) >= REWRITE_EVENT

    def _apart(self, doc: Doc, other: _Stored) -> bool:
        """Reports of two occurrences however alike their words: leads naming different dates,
        headlines naming two companies (:mod:`.occurrences`), or the slot difference."""
        if doc.dates and other.dates and doc.dates.isdisjoint(other.dates):
            return True
        return self._other_company(doc, other) or self._other_slots(doc, other)

    def _other_company(self, doc: Doc, other: _Stored) -> bool:
        """Each headline names by ticker a company the other article never names."""
        if not doc.company or not other.company:
            return False
        ids = set(other.ids)
        vocabulary = self.vocabulary
        if _names_company(doc.company, lambda term: vocabulary.get(term) in ids, other.names):
            return False
        return not _names_company(other.company, doc.counts.__contains__, doc.names)

    def _other_slots(self, doc: Doc, other: _Stored) -> bool:
        """Each headline is about a name the other article never mentions (``Halvorsen Foods Q1
        profit`` / ``Brantmark Foods Q1 profit``, two candidates' interviews): reports of one kind,
        not of one event, however alike their words. A name spelled another way counts as
        mentioned (``Nouri`` / ``Nuri``, ``Tanzania`` / ``Tanzanian``)."""
        if not doc.slots or not other.slots:
            return False
        ids = set(other.ids)
        vocabulary = self.vocabulary
        if all(vocabulary.get(s) in ids or _mentioned(s, other.names) for s in doc.slots):
            return False
        return not all(s in doc.counts or _mentioned(s, doc.names) for s in other.slots)

    def _evidence(self, doc: Doc, other: _Stored, score: float) -> float:
        """Cosine plus the bonuses for shared rare names and shared figures."""
        return (
            score
            + NAME_BONUS * self._name_share(doc.names, other.names)
            + FIGURE_BONUS * _share(doc.figures, other.figures)
        )

    def _possible(self, doc: Doc, other: _Stored, score: float) -> float:
        """The evidence of a pair the rule did not join, if it makes them possible versions
        (dated at most :data:`POSSIBLE_DAYS` apart, evidence from :data:`POSSIBLE_BAR`), else 0."""
        apart = _days_apart(doc, other)
        if apart is None or apart > POSSIBLE_DAYS:
            return 0.0
        if apart and _new_figures(doc.figures, other.figures):
            return 0.0  # the next occurrence of a routine
        if score + NAME_BONUS + FIGURE_BONUS < POSSIBLE_BAR:
            return 0.0
        evidence = self._evidence(doc, other, score)
        return evidence if evidence >= POSSIBLE_BAR else 0.0

    def _name_share(self, a: frozenset[str], b: Collection[str]) -> float:
        """The IDF-weighted share of the rarer-named side's names that both name."""
        if not a or not b:
            return 0.0
        idf = self._idf
        return sum(map(idf, a.intersection(b))) / min(sum(map(idf, a)), sum(map(idf, b)))

    def _idf(self, term: str) -> float:
        term_id = self.vocabulary.get(term)
        return math.log((self.counted + 1) / (self.df[term_id] + 1 if term_id is not None else 1)) + 1.0

    def _candidates(self, signature: tuple[int, ...], day: int | None) -> set[int]:
        """Docs within the window sharing a signature term (all days for an undated doc)."""
        wanted = self.postings if day is None else {*range(day - WINDOW_DAYS, day + WINDOW_DAYS + 1), None}
        terms = [term_id for term_id in signature if self.df[term_id] <= MAX_DF]
        candidates: set[int] = set()
        for d in wanted:
            if (postings := self.postings.get(d)) is not None:
                for term_id in terms:
                    candidates.update(postings.get(term_id, ()))
        return candidates


def _best_first(matches: Iterable[Match]) -> list[Match]:
    return sorted(matches, key=lambda m: (-m.score, m.key))


def _signature(weights: dict[int, float]) -> tuple[int, ...]:
    return tuple(sorted(weights, key=weights.__getitem__, reverse=True)[:SIGNATURE_TERMS])


def _share(a: frozenset[str], b: Collection[str]) -> float:
    """The share of the smaller of two sets of distinct items that both hold."""
    return len(a.intersection(b)) / min(len(a), len(b)) if a and b else 0.0


def _new_figures(a: frozenset[str], b: Collection[str]) -> bool:
    """Both carry figures, and too few of them the same for a repeat."""
    return bool(a and b) and _share(a, b) < REPEAT_FIGURES


def _mentioned(name: str, names: Iterable[str]) -> bool:
    """``name`` or another form of it is among ``names``: they begin alike (``norway``,
    ``norwegian``; ``hamburg``, ``hamburg-based``) or are spelled alike (``nouri``, ``nuri``)."""
    for other in names:
        shorter, longer = sorted((name, other), key=len)
        if len(shorter) >= 4 and longer.startswith(shorter[:4]):
            return True
        if shorter[:1] == longer[:1] and _likeness(name, other) >= SLOT_LIKENESS:
            return True
    return False


@lru_cache(maxsize=100_000)
def _likeness(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


def _names_company(company: Collection[str], has_term: Callable[[str], bool], names: Collection[str]) -> bool:
    """An article names a headline's company: one of its tickers, or all its words (another form
    of a word counts: ``bancorp`` for ``bancorporation``)."""
    if any(_mentioned(t, names) for t in company if t.startswith("$")):
        return True
    words = [t for t in company if not t.startswith("$")]
    return bool(words) and all(has_term(w) or _mentioned(w, names) for w in words)


def _same_lead(a: frozenset[int], b: Collection[int]) -> bool:
    """Jaccard of two sets of distinct lead hashes reaches :data:`LEAD_OVERLAP`."""
    if not a or not b:
        return False
    shared = len(a.intersection(b))
    return shared >= LEAD_OVERLAP * (len(a) + len(b) - shared)


def _copy_counts(doc: Doc, other: _Stored) -> bool:
    """An exact copy is the same story within the window; a short one only on the same day."""
    apart = _days_apart(doc, other)
    if doc.short or other.short:
        return apart == 0
    return apart is None or apart <= WINDOW_DAYS


def _days_apart(doc: Doc, other: _Stored) -> int | None:
    """Days between two articles, None when either is undated. When both have a time of day,
    0 (the same day) means within :data:`SAME_DAY_HOURS` of each other, and further apart is at
    least a day; otherwise it is their dates' difference."""
    if doc.day is None or other.day is None:
        return None
    days = abs(doc.day - other.day)
    if doc.moment is None or other.moment is None:
        return days
    return 0 if abs(doc.moment - other.moment) <= SAME_DAY_HOURS * 3600 else max(days, 1)
