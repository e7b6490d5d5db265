"""One person's name spelled two ways across the archive: ``Ales Bialiatski`` / ``Ales
Byalyatski``, ``Sviatlana Tsikhanouskaya`` / ``Svetlana Tikhanovskaya``. Plain Python.

People are those :func:`articles.parsing.entities.extract` finds, by their full names (two to
four words). Two names are offered as one person's when:

- they have as many words, and their surnames (last words) differ once folded but are close
  (Jaro-Winkler at least :data:`SURNAME_LIKENESS` and at most :data:`MAX_EDITS` edits apart,
  from ``jellyfish``), neither being the other's start (``Abdul`` / ``Abdullah``: a short form;
  ``Latin America`` / ``Latin American``: another word); when the other words differ too, the
  surnames end alike (:data:`ENDING` letters: ``Tsikhanouskaya`` / ``Tikhanovskaya``, not
  ``Kiichi Miyazawa`` / ``Koichi Miyazaki``);
  their other words are alike too (the same once folded, or sounding alike by their Metaphone
  key with Jaro-Winkler at least :data:`GIVEN_LIKENESS`: ``Sviatlana`` / ``Svetlana``, not
  ``Donald Regan`` / ``Ronald Reagan``), none a shorter form of the other; British and American
  spellings are no transliteration (``Organisations`` / ``Organizations``); and
- they are written in similar contexts: at least :data:`SHARED_CONTEXT` other names (people,
  organisations, places) that the articles of both write, leaving out names in more than
  :data:`COMMON_SHARE` of the articles (``United States``), or both in one article.

A name's context is capped at :data:`CONTEXT_CAP` names, so memory grows with the distinct
people of the archive, not with its size.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import jellyfish

from articles.parsing.entities import extract
from articles.search.name_forms import normalize
from articles.stories.differences.model import sentences
from articles.stories.spellings import regional

from .candidates import EVIDENCE_PER_SIDE, Candidate, Pairs, Sighting, excerpt

KIND = "transliteration"
SURNAME_LIKENESS = 0.88
GIVEN_LIKENESS = 0.8
MAX_EDITS = 2
ENDING = 2  # letters a surname ends with that a transliteration keeps, when the given names differ too
SHARED_CONTEXT = 2
COMMON_SHARE = 0.02
CONTEXT_CAP = 300
MIN_COMMON = 20  # articles a name must be in before it can count as common


@dataclass
class _Person:
    name: str
    words: tuple[str, ...]
    articles: set[int] = field(default_factory=set)
    seen: list[Sighting] = field(default_factory=list)
    context: set[str] = field(default_factory=set)


class Transliterations:
    """People's names gathered article by article, then compared."""

    def __init__(self) -> None:
        self.people: dict[str, _Person] = {}
        self.documents = 0
        self.frequency: Counter[str] = Counter()  # articles writing each context name

    def read(self, article: int, headline: str, text: str) -> None:
        entities = extract(headline, text)
        people = [p for p in entities.people if 2 <= len(p.split()) <= 4]
        context = {normalize(n) for n in entities.people + entities.organisations + entities.places}
        self.documents += 1
        self.frequency.update(context)
        split = None
        for name in people:
            key = normalize(name)
            person = self.people.get(key)
            if person is None:
                person = self.people[key] = _Person(name, tuple(key.split()))
            person.articles.add(article)
            if len(person.context) < CONTEXT_CAP:
                person.context.update(list(context - {key})[: CONTEXT_CAP - len(person.context)])
            if len(person.seen) < EVIDENCE_PER_SIDE:
                split = split if split is not None else sentences(f"{headline}.\n{text}")
                sentence = next((s for s in split if name in s), name)
                person.seen.append(Sighting(article, excerpt(sentence, name)))

    def candidates(self) -> list[Candidate]:
        """The pairs of names that may be one person's (see the module's docstring); names are
        compared within blocks of as many words and the same initials of given name and surname."""
        pairs = Pairs(KIND)
        common = {n for n, c in self.frequency.items() if c >= max(MIN_COMMON, COMMON_SHARE * self.documents)}
        blocks: dict[tuple, list[_Person]] = defaultdict(list)
        for person in self.people.values():
            blocks[len(person.words), person.words[0][:1], person.words[-1][:1]].append(person)
        for block in blocks.values():
            for a, b in itertools.combinations(block, 2):
                if same_person(a.words, b.words) and _similar_contexts(a, b, common):
                    candidate = None
                    for x, y in zip(a.seen, b.seen, strict=False):
                        candidate = pairs.add(a.name, b.name, x, y)
                    if candidate:
                        candidate.articles |= a.articles | b.articles
        return pairs.candidates()


def same_person(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two full names (folded words, as many each) may be one person's spelled two ways
    (see the module's docstring)."""
    if len(a) != len(b) or a[-1] == b[-1] or regional(a[-1]) == regional(b[-1]):
        return False
    differing = [(x, y) for x, y in zip(a[:-1], b[:-1], strict=True) if x != y]
    for x, y in differing:
        if len(x) < 3 or len(y) < 3 or x.startswith(y) or y.startswith(x):
            return False  # an initial, or a short form ("Abdul" / "Abdullah")
        if jellyfish.jaro_winkler_similarity(x, y) < GIVEN_LIKENESS or (
            jellyfish.metaphone(x) != jellyfish.metaphone(y)
        ):
            return False  # "Donald Regan" / "Ronald Reagan"
    surname_a, surname_b = a[-1], b[-1]
    if surname_a.startswith(surname_b) or surname_b.startswith(surname_a):
        return False  # an ending added ("Latin America" / "Latin American"): another word
    if differing and surname_a[-ENDING:] != surname_b[-ENDING:]:
        return False  # "Kiichi Miyazawa" / "Koichi Miyazaki": two people
    return (
        jellyfish.jaro_winkler_similarity(surname_a, surname_b) >= SURNAME_LIKENESS
        and jellyfish.levenshtein_distance(surname_a, surname_b) <= MAX_EDITS
    )


def _similar_contexts(a: _Person, b: _Person, common: set[str]) -> bool:
    if a.articles & b.articles:
        return True
    return len((a.context & b.context) - common) >= SHARED_CONTEXT
