"""Where the versions of one story differ, and what they all agree on. Plain Python, no Django.

Deterministic text processing, no models:
- **names** spelled differently: capitalised name words that no single version writes both
  ways, close in spelling and used next to the same other name (``Mohamed Al-Hassan`` /
  ``Mohamed Al-Hussein``). Not a difference (:mod:`articles.stories.spellings`): spellings
  alike once accents and punctuation are dropped (``Al-Hassan`` / ``Al Hassan``), British and
  American spellings (``Programme`` / ``Program``), names an editor confirmed as one (the name
  variants table), words that are not names (titles such as ``Council``, words written in
  lower case elsewhere in the story), and short forms (``Brig`` / ``Brigadier``). The article
  ``al-``/``el-`` aside, names are compared as transliterated (``al-Wazir`` / ``el-Wazir``,
  ``Abdulqader al-Murtada`` / ``Abdul Qader al-Murtadha``);
- **figures** that differ for the same thing: a number with its qualifier and the word it
  counts or its unit (``nearly 100,000 Yazidis`` / ``more than 100,000 Yazidis``, ``6.5 cts`` /
  ``7.1 cts``), in sentences sharing other words too. The same number only differs when one
  version puts it below and another above (``nearly`` / ``more than``; ``over`` / ``more
  than`` and ``about`` / no qualifier agree), or one rounds what another gives exactly
  (``about 120,000`` / ``118,500``). Tolls count one thing each: the dead, the missing, the
  injured, the displaced, prisoners (``killing 21 people``, ``38 others still unaccounted for``);
- a date in a dateline (``MWANZA, May 4 (MNA) -``) is when a version was filed, not a difference;
- **dates** that differ in sentences that otherwise say the same thing;
- **quotes** that only some versions carry.

Each difference lists, for every version, what it says and the sentence it says it in.
What all versions agree on: whole names (``New Zealand``, ``Bank of England``) every version
writes, leaving out boilerplate (agency, corporate suffix, month and weekday, table labels such
as ``Shr``, ordinary words written in lower case elsewhere), and figures every version gives.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass, field

from articles.parsing.dates import find_dates
from articles.stories.similarity import fold, terms
from articles.stories.spellings import Confirmed, core, same_spelling, title_word

_SENTENCE = re.compile(r"(?<=[.!?”\"])(?<!\bMr\.)(?<!\bMs\.)(?<!\bDr\.)(?<!\bMrs\.)\s+(?=[“\"A-Z0-9])|\n+")
_LETTER = "a-zà-öø-ÿ"
_NAME = re.compile(
    rf"(?:\b[AaEe]l[- ])?\b[A-Z][{_LETTER}]+(?:[A-Z][{_LETTER}]+)*(?:['’-][A-Za-z{_LETTER}]+)*"
)
_ARTICLE = re.compile(r"^[AaEe]l[- ]")  # Arabic "al-": "al-Wazir", "el-Wazir", "Al Wazir"
_POSSESSIVE = re.compile(r"['’]s$")
_LOWER_WORD = re.compile(rf"(?<![\w'’-])[{_LETTER}][{_LETTER}'’-]*")
_BELOW = ("nearly", "almost", "under", "less than", "fewer than", "up to", "at most", "close to")
_ABOVE = ("over", "more than", "at least", "above")
_ABOUT = ("about", "around", "roughly", "some", "approximately", "an estimated")
_QUALIFIER = "|".join(_BELOW + _ABOVE + _ABOUT)
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "a dozen": 12,
}  # fmt: skip
_SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "mln": 1e6, "billion": 1e9, "bln": 1e9}
_PERCENT = ("per cent", "percent", "pct")
_FIGURE = re.compile(
    rf"(?:\b(?P<qualifier>{_QUALIFIER}) )?"
    r"(?<![-\d.,/])(?P<value>\b(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\b"
    rf"|\b(?:{'|'.join(_NUMBER_WORDS)})\b)"
    rf"(?: (?P<scale>{'|'.join(_SCALES)}))?"
    rf"(?:(?P<percent>%| (?:{'|'.join(_PERCENT)})\b)"
    r"| (?P<thing>(?:(?:short|long|metric|square|cubic) )?[A-Za-z][\w’'-]+))?",
    re.I,
)
_UNITS = frozenset({"cts", "dlrs", "dlr", "mln", "bln", "billion", "million"})  # stop words, yet units
_NOT_THINGS = frozenset({"last", "next", "earlier", "later", "ago", "previous"})
_ALIASES = {"dollar": "dlr", "cent": "ct", "mln": "million", "bln": "billion"}
_PER = re.compile(r" (?:per|a) ([a-z]+)\b")
_COUNTED_TEXT = {
    "dead": "dead died die dies killed killing kills death deaths toll drowned bodies body fatalities",
    "missing": "missing unaccounted",
    "injured": "injured injuring injures wounded wounding hurt injuries",
    "displaced": "displaced evacuated evacuating evacuate homeless shelters shelter homes relocated",
    "prisoners": "prisoner prisoners detainee detainees captives",
    "rescued": "rescued alive survivors",
}
_COUNTED = {word: counted for counted, words in _COUNTED_TEXT.items() for word in words.split()}
# What a toll counts, told by the words around it: "killing 21 people", "40 were missing".
_GENERIC_TEXT = (
    "people person others citizen resident worker miner passenger civilian child villager individual"
)
_GENERIC = frozenset(_GENERIC_TEXT.split())
_AFTER_STOP = re.compile(r"[,;:.()]|\b(?:and|but|while|with|as)\b|\d")
_CURRENCY_BEFORE = {
    "EUR": "euro",
    "€": "euro",
    "USD": "dlr",
    "US$": "dlr",
    "$": "dlr",
    "GBP": "pound",
    "£": "pound",
}
_CURRENCY_CODE = re.compile(r"(EUR|USD|US\$|GBP|[$€£])\s?$")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_DATELINE = re.compile(r",?\s*(?:\([^)]{1,30}\)\s*)?[-–—]\s")  # after a dateline's date
DATELINE_CHARS = 40  # a dateline's date begins this near the start of the text's first sentence
_QUOTE = re.compile(r"“([^”]{10,600})”|\"([^\"]{10,600})\"")
MIN_QUOTE_WORDS = 4
QUOTE_COVERAGE = 0.8  # share of a quote's words a sentence must hold to carry it
NAME_LIKENESS = 0.6
SPELLING_LIKENESS = 0.8  # likeness from which two neighbouring names are one spelled two ways
DATE_CONTEXT = 0.25  # word overlap from which two dated sentences speak of the same thing
FIGURE_CONTEXT = 2  # other words two figures' sentences must share (all, when one has fewer)
FIGURE_RATIO = 10  # figures further apart than this count different things
ABOUT = 0.05  # how far off "about", "around"... may be


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
    """One thing the versions say differently: a summary, and a cell for every version."""

    kind: str  # "name", "figure", "date", "quote"
    summary: str
    cells: list[Cell] = field(default_factory=list)  # one per version, in the versions' order

    @property
    def said(self) -> list[Cell]:
        """The cells of the versions that say something about it."""
        return [c for c in self.cells if c.sentence]

    @property
    def missing(self) -> list[Version]:
        """The versions that say nothing about it."""
        return [c.version for c in self.cells if not c.sentence]


@dataclass
class QuoteGroup:
    """Quotes carried by the same versions (and missing from the same others)."""

    carriers: list[Version]
    missing: list[Version]
    quotes: list[Difference] = field(default_factory=list)


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

    @property
    def quote_groups(self) -> list[QuoteGroup]:
        """The quotes grouped by the versions carrying them, in order of first appearance; of
        two quotes carried in the same sentences, the first."""
        groups: dict[tuple[int, ...], QuoteGroup] = {}
        for quote in self.quotes:
            carriers = [c.version for c in quote.said]
            group = groups.setdefault(tuple(v.key for v in carriers), QuoteGroup(carriers, quote.missing))
            if all(_sentences(q) != _sentences(quote) for q in group.quotes):
                group.quotes.append(quote)
        return list(groups.values())


def _sentences(difference: Difference) -> list[str | None]:
    """Each version's sentence about the difference (None: nothing)."""
    return [c.sentence for c in difference.cells]


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s and s.strip()]


def compare(versions: list[Version], confirmed: Confirmed | None = None) -> Comparison:
    """Every difference between the versions, and the names and figures all of them report.
    ``confirmed(word)`` names the group of names an editor confirmed the word is in (or None)."""
    split = {v.key: sentences(v.text) for v in versions}
    if len(versions) < 2:
        return Comparison([], [], [])
    names = _name_differences(versions, split, confirmed)
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

_SENTENCE_OPENERS_TEXT = """the a an in on at of for but and or as after before when while this that these
    those it its he she they we there here his her their our according speaking however furthermore meanwhile
    also both today yesterday since over under during with without by from among despite if what why how who
    which where some many most no not yes all each every another other such only even still then thus so
    should would could will can may must out up until unless although though because once whether asked
    noting perhaps instead prior separately previously currently overall additionally further finally
    earlier later one two three four five six seven eight nine ten"""
_SENTENCE_OPENERS = frozenset(_SENTENCE_OPENERS_TEXT.split())
_BOILERPLATE_TEXT = """reuter reuters wikinews corrects inc corp co cos ltd plc llc nv sa ag gmbh
    corporation incorporated limited mr mrs ms dr rep sen january february march april may june july
    august september october november december jan feb mar apr jun jul aug sep sept oct nov dec monday
    tuesday wednesday thursday friday saturday sunday shr shrs net revs sales avg qtly mthly div pay
    record oper qtr mths year note total including excluding results profit loss"""
_NOT_NAMES = frozenset(_BOILERPLATE_TEXT.split()) | {"of"}  # capitalised boilerplate, and "of"


def _name_runs(sentence: str) -> list[list[str]]:
    """Runs of name words: capitalised words one space apart (or joined by ``of``, kept as a
    word; a possessive ends a run and is dropped), without an ordinary word opening the
    sentence, nor boilerplate or ``of`` at either end."""
    runs: list[list[str]] = []
    previous_end = -1  # where the run so far ends; -1 after a possessive, which ends it
    for match in _NAME.finditer(sentence):
        form = _POSSESSIVE.sub("", match.group())
        if match.start() == 0 and form.lower() in _SENTENCE_OPENERS:
            continue
        joint = sentence[previous_end : match.start()] if previous_end >= 0 else None
        if runs and joint in (" ", " of "):
            runs[-1] += ["of", form] if joint == " of " else [form]
        else:
            runs.append([form])
        previous_end = match.end() if form == match.group() else -1
    trimmed = []
    for run in runs:
        while run and core(run[0]) in _NOT_NAMES:
            run = run[1:]
        while run and core(run[-1]) in _NOT_NAMES:
            run = run[:-1]
        if run:
            trimmed.append(run)
    return trimmed


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
            for run in _name_runs(sentence):
                words = [w for w in run if w != "of"]
                for n, form in enumerate(words):
                    spelling = found.setdefault(form.lower(), _Spelling(form))
                    spelling.versions.setdefault(version.key, sentence)
                    spelling.neighbours.update(core(w) for w in words[max(n - 1, 0) : n + 2] if w != form)
    return found


def _variants(a: _Spelling, b: _Spelling) -> bool:
    """Two spellings of one name: never both in one version, and alike."""
    if set(a.versions) & set(b.versions):
        return False
    core_a, core_b = core(_ARTICLE.sub("", a.form)), core(_ARTICLE.sub("", b.form))
    if len(core_a) < 4 or len(core_b) < 4 or core_a[0] != core_b[0]:
        return False
    if core_a == core_b:
        return True  # "al-Wazir" / "el-Wazir"
    (short, short_core), (long, long_core) = sorted(
        ((a.form, core_a), (b.form, core_b)), key=lambda f: len(f[1])
    )
    if long_core.startswith(short_core) and (
        len(long_core) >= len(short_core) + 3 or long.lower().startswith(short.lower() + "-")
    ):
        return False  # a short form ("Brig" / "Brigadier", "Sarpol" / "Sarpol-e"), not a spelling
    likeness = difflib.SequenceMatcher(None, core_a, core_b).ratio()
    return likeness >= NAME_LIKENESS and _beside_alike(a.neighbours, b.neighbours)


def _beside_alike(a: set[str], b: set[str]) -> bool:
    """Two spellings stand next to the same name, however that one is spelled (``Abdulqader
    al-Murtada`` / ``Abdul Qader al-Murtadha``)."""
    return any(
        x == y
        or (min(len(x), len(y)) >= 4 and (x in y or y in x))
        or difflib.SequenceMatcher(None, x, y).ratio() >= SPELLING_LIKENESS
        for x in a
        for y in b
    )


def _name_differences(
    versions: list[Version], split: dict[int, list[str]], confirmed: Confirmed | None
) -> list[Difference]:
    ordinary = {fold(w) for v in versions for w in _LOWER_WORD.findall(v.text)}
    spellings = [
        s
        for s in _spellings(versions, split).values()
        if not title_word(s.form) and fold(s.form) not in ordinary
    ]
    parent = list(range(len(spellings)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_initial: dict[str, list[int]] = defaultdict(list)
    for i, spelling in enumerate(spellings):
        by_initial[core(_ARTICLE.sub("", spelling.form))[:1]].append(i)
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
        members.sort(key=lambda s: min(_order(versions, k) for k in s.versions))
        # The first form of each spelling that differs (not by accents, region or an editor's say-so).
        forms: dict[str, str] = {}
        for spelling in members:
            forms.setdefault(same_spelling(spelling.form, confirmed), spelling.form)
        for spelled in [k for k in forms if f"al{k}" in forms or f"el{k}" in forms]:
            del forms[spelled]  # "Hussein" beside "Al-Hussein": the article left out, not a spelling
        if len(forms) < 2:
            continue
        cells = []
        for version in versions:
            used = next((s for s in members if version.key in s.versions), None)
            cells.append(Cell(version, used.form, used.versions[version.key]) if used else Cell(version))
        differences.append(Difference("name", " / ".join(forms.values()), cells))
    return differences


def _order(versions: list[Version], key: int) -> int:
    return next(n for n, v in enumerate(versions) if v.key == key)


def _agreed_names(versions: list[Version], split: dict[int, list[str]]) -> list[str]:
    """The longest names every version writes (spelled alike once accents and punctuation are
    dropped; a longer name may hold a shorter one: ``Finance Minister Dilson Funaro``). A
    one-word name written in lower case somewhere in the story is an ordinary word."""
    ordinary = {fold(w) for v in versions for w in _LOWER_WORD.findall(v.text)} | _SENTENCE_OPENERS
    written: dict[tuple[str, ...], str] = {}  # the first version's names and their parts
    found: list[set[tuple[str, ...]]] = []  # every version's names and their parts
    for version in versions:
        parts: set[tuple[str, ...]] = set()
        for sentence in split[version.key]:
            for run in _name_runs(sentence):
                for i in range(len(run)):
                    for j in range(i + 1, len(run) + 1):
                        part = tuple(core(w) for w in run[i:j])
                        parts.add(part)
                        if version is versions[0]:
                            written.setdefault(part, " ".join(run[i:j]))
        found.append(parts)
    agreed = [
        part
        for part in written
        if part[0] not in _NOT_NAMES
        and part[-1] not in _NOT_NAMES
        and not (len(part) == 1 and fold(written[part]) in ordinary)
        and all(part in parts for parts in found)
    ]
    longest = [p for p in agreed if not any(len(o) > len(p) and _within(p, o) for o in agreed)]
    return sorted((written[p] for p in longest), key=str.casefold)


def _within(part: tuple[str, ...], whole: tuple[str, ...]) -> bool:
    return any(whole[i : i + len(part)] == part for i in range(len(whole) - len(part) + 1))


# -- figures ------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)  # each figure is itself: the same wording twice is two figures
class _Figure:
    version: Version
    wording: str
    number: float  # value times scale: ``2.2 million`` -> 2200000
    leeway: float  # how far it may be off: 5 for ``about 100``, 50000 for ``2.2 million``
    side: str  # "below" (nearly, up to...), "above" (more than, at least...), "about" or "" (exact)
    thing: str  # what it counts, or its unit: ``yazidi``, ``tonne``, ``cts``, ``%``
    rank: int  # figures of the same thing before it in its sentence
    sentence: str
    context: frozenset[str]  # the sentence's other words
    numbers: frozenset[float]  # every number of the sentence

    def same_number(self, other: _Figure) -> bool:
        """The same number, rounding aside (``1.5 mln`` and ``1,523,000``)."""
        return abs(self.number - other.number) <= max(self.leeway, other.leeway)


def _figures(version: Version, sentences_: list[str]) -> list[_Figure]:
    found = []
    for sentence in sentences_:
        matches = [(m, *_number(m)) for m in _FIGURE.finditer(sentence)]
        numbers = frozenset(number for _, number, _ in matches)
        context = frozenset(t for t in terms(sentence) if not t.startswith("#"))
        ranks: dict[str, int] = defaultdict(int)
        for m, number, leeway in matches:
            thing, end = _thing(m)
            if not thing:  # "40 were missing": the figure alone
                end = m.end("scale") if m["scale"] else m.end("value")
            thing = _counted(sentence, m, thing)
            value, scale = m["value"], m["scale"]
            if not thing or (not scale and (_YEAR.match(value) or value.lower() == "one")):
                continue  # nothing counted, a year (the dates' business), or "one" of something
            if value[0].isupper() and m.start("value") > 0 and not (m["thing"] or "")[:1].islower():
                continue  # "Four Seasons": a written-out number inside a name (not "Nineteen people")
            qualifier = (m["qualifier"] or "").lower()
            sides = (("below", _BELOW), ("above", _ABOVE), ("about", _ABOUT))
            side = next((side for side, words in sides if qualifier in words), "")
            wording = sentence[m.start() : end]
            context_ = context - {thing}
            found.append(
                _Figure(
                    version, wording, number, leeway, side, thing, ranks[thing], sentence, context_, numbers
                )
            )
            ranks[thing] += 1
    return found


def _thing(m: re.Match[str]) -> tuple[str, int]:
    """What a figure counts (``%`` for a percentage), and where its wording ends. No capitalised
    word but a plural (``Yazidis``, not ``Bank`` in ``1,337 Bank``), no stop word; the scale
    (``million``) when nothing else; a rate goes with what it is per (``dlr/tonne`` for ``203
    dlrs a tonne``)."""
    thing, end = "", m.end()
    if m["percent"]:
        thing = "%"
    elif word := m["thing"]:
        last = word.split()[-1]
        if last[0].islower() or (last.endswith("s") and not last.isupper()):
            unit = fold(last)
            term = next(iter(terms(last)), "") or (unit.removesuffix("s") if unit in _UNITS else "")
            if term and not term.startswith("#") and term not in _NOT_THINGS:
                thing = _ALIASES.get(term, term)
    if not thing and (scale := (m["scale"] or "").lower()):
        thing, end = _ALIASES.get(scale, scale), m.end("scale")
    if thing and (per := _PER.match(m.string, end)):
        thing, end = f"{thing}/{per[1]}", per.end()
    return thing, end


def _counted(sentence: str, m: re.Match[str], thing: str) -> str:
    """What a toll counts: ``dead``, ``missing``, ``injured``, ``displaced``, ``prisoners`` or
    ``rescued``, from the figure's own word (``214 detainees``), from the words right after it
    up to the clause's end (``40 were missing``, ``nine illegal miners died``), or, when its word
    says only ``people`` or nothing, from the nearest such word before it (``killing 21
    people``, ``the death toll rose to 31``); anything else keeps its thing. A currency written
    before an amount is its thing (``EUR 1.18 billion``)."""
    if thing in _COUNTED:
        return _COUNTED[thing]
    if thing in _SCALES or thing in _ALIASES.values():
        code = _CURRENCY_CODE.search(sentence, 0, m.start())
        return _CURRENCY_BEFORE[code[1]] if code else thing
    if thing == "%" or (not thing and (m["thing"] or "")[:1].isupper()):
        return thing  # a percentage; "1,337 Bank", "four ICRC-chartered flights"
    after = sentence[m.end("value") :]
    if stop := _AFTER_STOP.search(after):
        after = after[: stop.start()]
    for word in after.split()[:5]:
        if counted := _COUNTED.get(fold(word).strip("'\"’")):
            return counted
    if thing and thing not in _GENERIC:
        return thing
    for word in reversed(re.split(r"\W+", sentence[: m.start()])[-12:]):
        if counted := _COUNTED.get(fold(word)):
            return counted
    return thing


def _number(m: re.Match[str]) -> tuple[float, float]:
    """A figure's number and how far off it may be: ``100,000`` -> 100000, 0; ``about 100`` -> 100,
    5 (``ABOUT``); ``2.2 million`` -> 2200000, 50000 (rounded to the decimals written, by at most
    ``ABOUT``); ``six`` -> 6, 0."""
    value, scale = m["value"].lower(), (m["scale"] or "").lower()
    digits = str(_NUMBER_WORDS.get(value, value.replace(",", "")))
    number = float(digits) * _SCALES.get(scale, 1)
    if (m["qualifier"] or "").lower() in _ABOUT:
        return number, ABOUT * number
    rounding = 0.5 * 10 ** -len(digits.partition(".")[2]) * _SCALES[scale] if scale else 0.0
    return number, min(rounding, ABOUT * number)


def _match(seed: _Figure, other: _Figure) -> tuple[bool, int, bool] | None:
    """How well a figure of another version matches one: the same number, how many other words
    their sentences share, the same rank. None when not the same thing: another thing, numbers
    ``FIGURE_RATIO`` times apart, or too few shared words (``FIGURE_CONTEXT``, or all of the shorter
    sentence's; one will do for the same number)."""
    if seed.thing != other.thing or max(seed.number, other.number) > FIGURE_RATIO * min(
        seed.number, other.number
    ):
        return None
    same = seed.same_number(other)
    shared = len(seed.context & other.context)
    needed = 1 if same else max(1, min(FIGURE_CONTEXT, len(seed.context), len(other.context)))
    return (same, shared, seed.rank == other.rank) if shared >= needed else None


def _figure_differences(
    versions: list[Version], split: dict[int, list[str]]
) -> tuple[list[Difference], list[str]]:
    """Each figure with its best match in every later version: a difference when two of them
    disagree, agreed when every version has it. The figures another version gives the same
    number go first, so that those pair up."""
    figures = {v.key: _figures(v, split[v.key]) for v in versions}
    used: set[_Figure] = set()
    groups: list[dict[int, _Figure]] = []
    for first in (True, False):
        for n, version in enumerate(versions):
            for figure in figures[version.key]:
                if figure in used:
                    continue
                group = {version.key: figure}
                for other in versions[:n] + versions[n + 1 :]:
                    matches = [
                        (m, f) for f in figures[other.key] if f not in used and (m := _match(figure, f))
                    ]
                    if matches:
                        group[other.key] = max(matches, key=lambda m: m[0])[1]
                if not first or any(figure.same_number(f) for f in group.values() if f is not figure):
                    used.update(group.values())
                    groups.append(group)
    differences: list[Difference] = []
    seen: set[tuple] = set()  # (thing, sentences) of the differences so far
    agreed: set[str] = set()
    for group in groups:
        found = list(group.values())
        if not any(_disagree(a, b) for a in found for b in found):
            if len(group) == len(versions):
                agreed.add(found[0].wording)
            continue
        cells = [
            Cell(v, group[v.key].wording, group[v.key].sentence) if v.key in group else Cell(v)
            for v in versions
        ]
        difference = Difference("figure", " / ".join(dict.fromkeys(f.wording for f in found)), cells)
        if (key := (found[0].thing, tuple(_sentences(difference)))) not in seen:
            seen.add(key)  # once for "6.5 cts vs 6.8 cts prior" / "7.1 cts vs 7.1 cts prior"
            differences.append(difference)
    return differences, sorted(agreed, key=str.casefold)


def _disagree(a: _Figure, b: _Figure) -> bool:
    """One below and one above the same number, a rounded figure against an exact other one
    (``about 53 pct`` / ``53.4 pct``; ``about 100`` / ``100`` agree), or different numbers that
    are not both in either sentence (``20 mln from 15 mln shares`` / ``20 mln shares from 15 mln``
    agree)."""
    if a.same_number(b):
        rounded = a.number != b.number and (a.side == "") != (b.side == "")  # "about 53 pct" / "53.4 pct"
        return rounded or {a.side, b.side} == {"below", "above"}
    return a.number not in b.numbers and b.number not in a.numbers


# -- dates --------------------------------------------------------------------------------


def _date_differences(versions: list[Version], split) -> list[Difference]:
    """Dated sentences of different versions that say the same thing with different dates."""
    mentions = []  # (version, (month, day), wording, sentence, words)
    for version in versions:
        for sentence in split[version.key]:
            for found in find_dates(sentence):
                if found.start < DATELINE_CHARS and _DATELINE.match(sentence, found.end):
                    continue  # "MWANZA, Tanzania, May 4 (MNA) -": when it was filed, not what it says
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


def _quote_differences(versions: list[Version], split: dict[int, list[str]]) -> list[Difference]:
    """Quotes (four words or more) that only some versions carry."""
    words_of = {v.key: [(s, set(terms(s))) for s in split[v.key]] for v in versions}  # each sentence's
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
                    Cell(v, quote if v is version else None, _carrying(words, words_of[v.key]))
                    for v in versions
                ]
                carried = [c for c in cells if c.sentence]
                if len(carried) < len(versions):
                    differences.append(Difference("quote", quote, cells))
    return differences


def _already(words: set[str], seen: list[set[str]]) -> bool:
    return any(len(words & other) >= QUOTE_COVERAGE * len(words) for other in seen)


def _carrying(words: set[str], sentences_: list[tuple[str, set[str]]]) -> str | None:
    """The first sentence holding most of the quote's words (sentences with their words)."""
    for sentence, sentence_words in sentences_:
        if len(words & sentence_words) >= QUOTE_COVERAGE * len(words):
            return sentence
    return None
