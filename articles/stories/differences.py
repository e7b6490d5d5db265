"""Where the versions of one story differ, and what they all agree on. Plain Python, no Django.

Deterministic text processing, no models:
- **names** spelled differently: capitalised name words that no single version writes both
  ways, alike once accents and punctuation are dropped (``Al-Hassan`` / ``Al Hassan``), or
  close in spelling and used next to the same other name (``Mohamed Al-Hassan`` /
  ``Mohamed Al-Hussein``);
- **figures** that differ for the same thing: a number with its qualifier and the word it
  counts (``nearly 100,000 Yazidis`` / ``more than 100,000 Yazidis``);
- **dates** that differ in sentences that otherwise say the same thing;
- **quotes** that only some versions carry.

Each difference lists, for every version, what it says and the sentence it says it in.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from articles.parsing.dates import find_dates
from articles.stories.similarity import fold, terms

_SENTENCE = re.compile(r"(?<=[.!?”\"])\s+(?=[“\"A-Z0-9])|\n+")
_LETTER = "a-zà-öø-ÿ"
_NAME = re.compile(rf"(?:\b[Aa]l[- ])?\b[A-Z][{_LETTER}]+(?:['’-][A-Za-z{_LETTER}]+)*")
_POSSESSIVE = re.compile(r"['’]s$")
_QUALIFIER = (
    r"nearly|almost|about|around|roughly|some|over|under|more than|less than|fewer than|at least"
    r"|at most|up to|approximately|an estimated|close to"
)
_NUMBER_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten|a dozen|dozens of|hundreds of"
_FIGURE = re.compile(
    rf"(?:\b(?P<qualifier>{_QUALIFIER})\s+)?"
    rf"(?P<value>\b\d[\d,.]*\d\b|\b\d\b|\b(?:{_NUMBER_WORDS})\b)"
    r"(?:\s+(?P<scale>million|billion|thousand|hundred|per cent|percent))?"
    r"\s+(?P<thing>[A-Za-z][\w’'-]+)",
    re.I,
)
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_QUOTE = re.compile(r"“([^”]{10,600})”|\"([^\"]{10,600})\"")
MIN_QUOTE_WORDS = 4
QUOTE_COVERAGE = 0.8  # share of a quote's words a sentence must hold to carry it
NAME_LIKENESS = 0.6
DATE_CONTEXT = 0.25  # word overlap from which two dated sentences speak of the same thing


@dataclass(frozen=True)
class Version:
    """One article of the story: its id, a label (outlet), and its plain text."""

    key: int
    label: str
    text: str


@dataclass(frozen=True)
class Cell:
    """What one version says about a difference: the wording and its sentence (None: nothing)."""

    version: Version
    wording: str | None = None
    sentence: str | None = None


@dataclass
class Difference:
    kind: str  # "name", "figure", "date", "quote"
    summary: str
    cells: list[Cell] = field(default_factory=list)


@dataclass
class Comparison:
    differences: list[Difference]
    agreed_names: list[str]
    agreed_figures: list[str]

    def of_kind(self, kind: str) -> list[Difference]:
        return [d for d in self.differences if d.kind == kind]

    @property
    def names(self) -> list[Difference]:
        return self.of_kind("name")

    @property
    def figures(self) -> list[Difference]:
        return self.of_kind("figure")

    @property
    def dates(self) -> list[Difference]:
        return self.of_kind("date")

    @property
    def quotes(self) -> list[Difference]:
        return self.of_kind("quote")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s and s.strip()]


def compare(versions: list[Version]) -> Comparison:
    """Every difference between the versions, and the names and figures all of them report."""
    split = {v.key: sentences(v.text) for v in versions}
    if len(versions) < 2:
        return Comparison([], [], [])
    names = _name_differences(versions, split)
    figures, agreed_figures = _figure_differences(versions, split)
    return Comparison(
        differences=names
        + figures
        + _date_differences(versions, split)
        + _quote_differences(versions, split),
        agreed_names=_agreed_names(versions, split),
        agreed_figures=agreed_figures,
    )


# -- names --------------------------------------------------------------------------------


def _core(name: str) -> str:
    """``Al-Hassan``, ``Al Hassan``, ``al-Hassan`` -> ``alhassan``; ``António`` -> ``antonio``."""
    return re.sub(r"[^a-z]", "", fold(name))


@dataclass
class _Spelling:
    form: str
    versions: dict[int, str] = field(default_factory=dict)  # version key -> first sentence
    neighbours: set[str] = field(default_factory=set)


def _spellings(versions: list[Version], split: dict[int, list[str]]) -> dict[str, _Spelling]:
    """Name words by spelling (case aside), with where each appears and the names beside it."""
    found: dict[str, _Spelling] = {}
    for version in versions:
        for sentence in split[version.key]:
            previous_end, previous = -10, None
            for match in _NAME.finditer(sentence):
                form = _POSSESSIVE.sub("", match.group())
                if match.start() == 0 and form.split()[0].lower() in _SENTENCE_OPENERS:
                    continue
                spelling = found.setdefault(form.lower(), _Spelling(form))
                spelling.versions.setdefault(version.key, sentence)
                if previous is not None and match.start() - previous_end <= 1:
                    spelling.neighbours.add(_core(previous.form))
                    previous.neighbours.add(_core(form))
                previous_end, previous = match.end(), spelling
    return found


_SENTENCE_OPENERS_TEXT = """the a an in on at of for but and or as after before when while this that these
    those it its he she they we there here his her their our according speaking however furthermore meanwhile
    also both today yesterday since over under during with without by from among despite"""
_SENTENCE_OPENERS = frozenset(_SENTENCE_OPENERS_TEXT.split())


def _variants(a: _Spelling, b: _Spelling) -> bool:
    """Two spellings of one name: never both in one version, and alike."""
    if set(a.versions) & set(b.versions):
        return False
    core_a, core_b = _core(a.form), _core(b.form)
    if len(core_a) < 4 or len(core_b) < 4 or core_a[0] != core_b[0]:
        return False
    if core_a == core_b:
        return True
    likeness = difflib.SequenceMatcher(None, core_a, core_b).ratio()
    return likeness >= NAME_LIKENESS and bool(a.neighbours & b.neighbours)


def _name_differences(versions: list[Version], split: dict[int, list[str]]) -> list[Difference]:
    spellings = list(_spellings(versions, split).values())
    parent = list(range(len(spellings)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_initial: dict[str, list[int]] = defaultdict(list)
    for i, spelling in enumerate(spellings):
        by_initial[_core(spelling.form)[:1]].append(i)
    for group in by_initial.values():
        for n, i in enumerate(group):
            for j in group[n + 1 :]:
                if _variants(spellings[i], spellings[j]):
                    parent[root(j)] = root(i)
    groups: dict[int, list[_Spelling]] = defaultdict(list)
    for i, spelling in enumerate(spellings):
        groups[root(i)].append(spelling)
    differences = []
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda s: min(_order(versions, k) for k in s.versions))
        cells = []
        for version in versions:
            used = next((s for s in members if version.key in s.versions), None)
            cells.append(Cell(version, used.form, used.versions[version.key]) if used else Cell(version))
        differences.append(Difference("name", " / ".join(s.form for s in members), cells))
    return differences


def _order(versions: list[Version], key: int) -> int:
    return next(n for n, v in enumerate(versions) if v.key == key)


def _agreed_names(versions: list[Version], split: dict[int, list[str]]) -> list[str]:
    """Names every version uses (spelled alike once accents and punctuation are dropped)."""
    by_core: dict[str, dict[int, str]] = defaultdict(dict)
    for spelling in _spellings(versions, split).values():
        for key in spelling.versions:
            by_core[_core(spelling.form)].setdefault(key, spelling.form)
    every = {v.key for v in versions}
    return sorted(
        (forms[versions[0].key] for forms in by_core.values() if set(forms) == every), key=str.casefold
    )


# -- figures ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Figure:
    wording: str
    amount: str  # qualifier + value + scale, normalised
    thing: str
    sentence: str


def _figures(sentences_: Iterable[str]) -> list[_Figure]:
    found = []
    for sentence in sentences_:
        for m in _FIGURE.finditer(sentence):
            value = m["value"].lower()
            if _YEAR.match(value) and not m["scale"]:
                continue  # a year: the dates' business
            thing = next(iter(terms(m["thing"])), "")
            if not thing or thing.startswith("#"):
                continue
            amount = " ".join(p.lower() for p in (m["qualifier"], value.replace(",", ""), m["scale"]) if p)
            found.append(_Figure(m.group().strip(), amount, thing, sentence))
    return found


def _figure_differences(versions: list[Version], split) -> tuple[list[Difference], list[str]]:
    by_thing: dict[str, dict[int, list[_Figure]]] = defaultdict(lambda: defaultdict(list))
    for version in versions:
        for figure in _figures(split[version.key]):
            by_thing[figure.thing][version.key].append(figure)
    differences, agreed = [], []
    every = {v.key for v in versions}
    for thing, per_version in by_thing.items():
        amounts = {key: {f.amount for f in figures} for key, figures in per_version.items()}
        if len(per_version) == len(every) and len({frozenset(a) for a in amounts.values()}) == 1:
            agreed.append(per_version[versions[0].key][0].wording)
            continue
        if len(per_version) < 2 or len({frozenset(a) for a in amounts.values()}) == 1:
            continue
        cells = []
        for version in versions:
            figures = per_version.get(version.key)
            cells.append(Cell(version, figures[0].wording, figures[0].sentence) if figures else Cell(version))
        differences.append(Difference("figure", thing, cells))
    return differences, sorted(agreed, key=str.casefold)


# -- dates --------------------------------------------------------------------------------


def _date_differences(versions: list[Version], split) -> list[Difference]:
    """Dated sentences of different versions that say the same thing with different dates."""
    mentions = []  # (version, (month, day), wording, sentence, words)
    for version in versions:
        for sentence in split[version.key]:
            for found in find_dates(sentence):
                words = set(terms(sentence[: found.start] + " " + sentence[found.end :]))
                mentions.append(
                    (
                        version,
                        (found.month, found.day),
                        sentence[found.start : found.end].rstrip(" .,"),
                        sentence,
                        words,
                    )
                )
    differences, used = [], set()
    for i, (version, when, wording, sentence, words) in enumerate(mentions):
        if i in used:
            continue
        cells = {version.key: Cell(version, wording, sentence)}
        dates = {when}
        for j in range(i + 1, len(mentions)):
            other, other_when, other_wording, other_sentence, other_words = mentions[j]
            if j in used or other.key in cells or not words or not other_words:
                continue
            if len(words & other_words) / len(words | other_words) >= DATE_CONTEXT:
                cells[other.key] = Cell(other, other_wording, other_sentence)
                dates.add(other_when)
                used.add(j)
        if len(cells) > 1 and len(dates) > 1:
            summary = " / ".join(dict.fromkeys(c.wording for c in cells.values()))
            differences.append(Difference("date", summary, [cells.get(v.key, Cell(v)) for v in versions]))
    return differences


# -- quotes -------------------------------------------------------------------------------


def _quote_differences(versions: list[Version], split) -> list[Difference]:
    """Quotes (four words or more) that only some versions carry."""
    differences, seen = [], []
    for version in versions:
        for sentence in split[version.key]:
            for m in _QUOTE.finditer(sentence):
                quote = (m[1] or m[2]).strip()
                words = set(terms(quote))
                if len(quote.split()) < MIN_QUOTE_WORDS or not words or _already(words, seen):
                    continue
                seen.append(words)
                cells = [
                    Cell(v, quote if v is version else None, _carrying(words, split[v.key])) for v in versions
                ]
                carried = [c for c in cells if c.sentence]
                if len(carried) < len(versions):
                    differences.append(Difference("quote", quote, cells))
    return differences


def _already(words: set[str], seen: list[set[str]]) -> bool:
    return any(len(words & other) >= QUOTE_COVERAGE * len(words) for other in seen)


def _carrying(words: set[str], sentences_: list[str]) -> str | None:
    """The first sentence holding most of the quote's words."""
    for sentence in sentences_:
        if len(words & set(terms(sentence))) >= QUOTE_COVERAGE * len(words):
            return sentence
    return None
