"""Figures that differ for the same thing, and the figures every version gives."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from articles.stories.documents import fold, terms

from .model import Cell, Difference, Version, _sentences

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
FIGURE_CONTEXT = 2  # other words two figures' sentences must share (all, when one has fewer)
FIGURE_RATIO = 10  # figures further apart than this count different things
ABOUT = 0.05  # how far off "about", "around"... may be


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


def figure_differences(
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
