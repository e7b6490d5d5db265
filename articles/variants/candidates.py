"""Candidate pairs of names, with the sentences that show each name: what every learner returns."""

from __future__ import annotations

from dataclasses import dataclass, field

from articles.search.name_forms import normalize

EVIDENCE_PER_SIDE = 3  # sentences kept for each name of a pair
SENTENCE_CHARS = 400  # of a sentence kept as evidence


@dataclass(frozen=True)
class Sighting:
    """A sentence of an article that writes a name."""

    article: int
    sentence: str


@dataclass
class Candidate:
    """Two names that may be one, of a ``kind`` (``acronym``, ``spelling``, ``transliteration``),
    with up to :data:`EVIDENCE_PER_SIDE` sentences writing each, and the articles seen in."""

    kind: str
    first: str
    second: str
    first_seen: list[Sighting] = field(default_factory=list)
    second_seen: list[Sighting] = field(default_factory=list)
    articles: set[int] = field(default_factory=set)

    @property
    def key(self) -> tuple[str, str]:
        return pair_key(self.first, self.second)

    def see(self, first: Sighting, second: Sighting) -> None:
        """One more sighting of the pair: a sentence for each name (kept while few)."""
        self.articles |= {first.article, second.article}
        _keep(self.first_seen, first)
        _keep(self.second_seen, second)


def _keep(seen: list[Sighting], sighting: Sighting) -> None:
    if len(seen) < EVIDENCE_PER_SIDE and sighting not in seen:
        seen.append(sighting)


def pair_key(first: str, second: str) -> tuple[str, str]:
    """The two names' keys in order: a pair is one whichever name comes first."""
    a, b = normalize(first), normalize(second)
    return (a, b) if a <= b else (b, a)


def extended(first: str, second: str) -> bool:
    """Whether one name is the other with an ending added (``South Africa`` / ``South African``,
    ``License`` / ``Licensed``): another word, not another spelling."""
    a, b = sorted((normalize(first), normalize(second)), key=len)
    return b.startswith(a)


def excerpt(sentence: str, name: str) -> str:
    """At most :data:`SENTENCE_CHARS` of a sentence, around the name when it is longer."""
    if len(sentence) <= SENTENCE_CHARS:
        return sentence
    at = max(sentence.find(name), 0)
    start = max(0, min(at - SENTENCE_CHARS // 3, len(sentence) - SENTENCE_CHARS))
    text = sentence[start : start + SENTENCE_CHARS].strip()
    return ("…" if start else "") + text + ("…" if start + SENTENCE_CHARS < len(sentence) else "")


class Pairs:
    """Candidates gathered over many articles: one per pair of names, whichever comes first."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.found: dict[tuple[str, str], Candidate] = {}

    def add(self, first: str, second: str, first_seen: Sighting, second_seen: Sighting) -> Candidate | None:
        """The pair's candidate, seen once more (None when the names are one once folded)."""
        key = pair_key(first, second)
        if not key[0] or key[0] == key[1]:
            return None
        candidate = self.found.get(key)
        if candidate is None:
            candidate = self.found[key] = Candidate(self.kind, first, second)
        if normalize(candidate.first) != normalize(first):
            first, second, first_seen, second_seen = second, first, second_seen, first_seen
        candidate.see(
            Sighting(first_seen.article, excerpt(first_seen.sentence, first)),
            Sighting(second_seen.article, excerpt(second_seen.sentence, second)),
        )
        return candidate

    def candidates(self) -> list[Candidate]:
        return list(self.found.values())
