"""Names spelled differently, and the names every version writes."""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass, field

from articles.stories.documents import fold
from articles.stories.spellings import Confirmed, core, regional, same_spelling, title_word

from .model import Cell, Difference, Version

_LETTER = "a-zà-öø-ÿ"
_NAME = re.compile(
    rf"(?:\b[AaEe]l[- ])?\b[A-Z][{_LETTER}]+(?:[A-Z][{_LETTER}]+)*(?:['’-][A-Za-z{_LETTER}]+)*"
)
_ARTICLE = re.compile(r"^[AaEe]l[- ]")  # Arabic "al-": "al-Wazir", "el-Wazir", "Al Wazir"
_POSSESSIVE = re.compile(r"['’]s$")
_LOWER_WORD = re.compile(rf"(?<![\w'’-])[{_LETTER}][{_LETTER}'’-]*")
NAME_LIKENESS = 0.6
SPELLING_LIKENESS = 0.8  # likeness from which two neighbouring names are one spelled two ways


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


def name_differences(
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
        written = {regional(core(s.form)) for s in members}  # each spelling, before an editor's say-so
        for spelled in [k for k, form in forms.items() if {f"al{core(form)}", f"el{core(form)}"} & written]:
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


def agreed_names(versions: list[Version], split: dict[int, list[str]]) -> list[str]:
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
