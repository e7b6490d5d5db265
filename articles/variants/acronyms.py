"""Acronyms defined in text: ``United Nations Assistance Mission for Iraq (UNAMI)``, ``the
Islamic State of Iraq and the Levant (ISIL)``, and the other way round, ``UNAMI (United Nations
Assistance Mission for Iraq)``. Plain Python.

A long form counts only when the acronym's letters are the initials of its capitalised words,
every one of them, in order (a hyphenated word may give the initial of each part:
``Non-Governmental Organization (NGO)``); the small words between them (:data:`CONNECTORS`:
of, for, the, and...) may give theirs or not (``Department of Defense (DOD)``). A company suffix
ending the long form is left out (``General Motors Corp (GM)``). A ticker or a code in brackets
(``Texas Air Corp (TEX)``) spells no initials and is not taken, nor are the words of a headline
in capitals (``VALLEY RESOURCES (VR) SETS STOCK SPLIT``: a ticker again).
"""

from __future__ import annotations

import re

from articles.stories.differences.model import sentences

from .candidates import Candidate, Pairs, Sighting

KIND = "acronym"
_CONNECTORS_TEXT = "of for the and on in to at de du des la le del y &"
CONNECTORS = frozenset(_CONNECTORS_TEXT.split())
_SUFFIXES_TEXT = "Inc Corp Co Cos Ltd Plc LLC AG SA NV"
COMPANY_SUFFIXES = frozenset(_SUFFIXES_TEXT.split())
MAX_LONG_WORDS = 12
_ACRONYM = r"[A-Z](?:[A-Za-z&]|\.(?=[A-Z]))*[A-Z]\.?"  # UNAMI, U.N., DoD, AT&T
_AFTER = re.compile(rf"\(({_ACRONYM})\)")  # "... Mission for Iraq (UNAMI)"
_BEFORE = re.compile(rf"\b({_ACRONYM}) \(([^()]{{5,160}})\)")  # "UNAMI (United Nations ...)"
_TOKEN = re.compile(r"[^\s]+")
_CAPITALISED = re.compile(r"^[A-Z][\w’'-]*[a-z][\w’'-]*$")  # not in capitals: a headline's
_POSSESSIVE = re.compile(r"['’]s?$")


def letters(acronym: str) -> str | None:
    """An acronym's letters, upper-cased (``U.N.`` -> ``UN``), or None when it is not one: fewer
    than two capitals, or more small letters than capitals (``Mr``, ``Inc``)."""
    bare = acronym.replace(".", "").replace("&", "")
    capitals = sum(c.isupper() for c in bare)
    if capitals < 2 or capitals <= len(bare) - capitals:
        return None
    return bare.upper()


def _options(word: str) -> list[str]:
    """The letters a long form's word may give: a capitalised word its initial, or the initials
    of its hyphenated parts; a connector nothing or its initial."""
    if word.lower() in CONNECTORS:
        return ["", word[0].upper()]
    parts = [p for p in word.split("-") if p]
    options = [word[0].upper()]
    if len(parts) > 1:
        options.append("".join(p[0].upper() for p in parts))
    return options


def _spells(words: list[str], wanted: str) -> bool:
    """Whether the words' initials spell ``wanted`` (see the module's docstring)."""
    if not words:
        return not wanted
    return any(
        wanted.startswith(option) and _spells(words[1:], wanted[len(option) :])
        for option in _options(words[0])
    )


def _name_word(word: str) -> bool:
    return word.lower() in CONNECTORS or bool(_CAPITALISED.match(word))


def long_form_before(text: str, acronym: str) -> str | None:
    """The long form that ``text`` ends with and ``acronym`` stands for, or None: the fewest
    words, opening on a capitalised one, whose initials spell the acronym."""
    wanted = letters(acronym)
    if wanted is None:
        return None
    tokens = list(_TOKEN.finditer(text))[-MAX_LONG_WORDS:]
    words: list[re.Match] = []
    for token in reversed(tokens):  # back to the first word that cannot be part of a name
        if not _name_word(token[0]):
            break
        words.insert(0, token)
    while words and words[-1][0] in COMPANY_SUFFIXES:
        words.pop()
    for start in range(len(words) - 1, -1, -1):
        span = [w[0] for w in words[start:]]
        if span[0].lower() in CONNECTORS or len(span) < 2:
            continue
        if _spells(span, wanted):
            return _POSSESSIVE.sub("", text[words[start].start() : words[-1].end()])
    return None


def stands_for(long: str, acronym: str) -> bool:
    """Whether ``acronym`` may stand for the whole of ``long``: its initials spell it (see the
    module's docstring)."""
    return long_form_before(long, acronym) == long


def definitions(sentence: str) -> list[tuple[str, str]]:
    """``(long form, acronym)`` for each acronym the sentence defines."""
    found = []
    for match in _AFTER.finditer(sentence):
        long = long_form_before(sentence[: match.start()].rstrip(), match[1])
        if long:
            found.append((long, match[1]))
    for match in _BEFORE.finditer(sentence):
        inside = match[2].strip()
        if stands_for(inside, match[1]):
            found.append((inside, match[1]))
    return found


class Acronyms:
    """Acronym definitions gathered article by article."""

    def __init__(self) -> None:
        self.pairs = Pairs(KIND)

    def read(self, article: int, text: str) -> None:
        for sentence in sentences(text):
            if "(" in sentence:
                for long, acronym in definitions(sentence):
                    seen = Sighting(article, sentence)
                    self.pairs.add(long, acronym, seen, seen)

    def candidates(self) -> list[Candidate]:
        return self.pairs.candidates()
