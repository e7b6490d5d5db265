"""Topics: labels the copy prints in its header, and editors' vocabulary found in the text.

A vocabulary topic is given only on enough evidence: one of its keywords (or its name) in the
headline, or at least two mentions in the body; whole words or phrases, any case.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import lru_cache

_BODY_MENTIONS = 2


class Vocabulary:
    """Topic keywords compiled into one pattern."""

    def __init__(self, topics: tuple[tuple[str, tuple[str, ...]], ...]) -> None:
        self._topics_of: dict[str, list[str]] = {}
        self._names: dict[str, str] = {}
        for name, keywords in topics:
            self._names[name.lower()] = name
            for keyword in {k.strip().lower() for k in (name, *keywords) if k.strip()}:
                self._topics_of.setdefault(keyword, []).append(name)
        # A match also counts for the keywords inside it: "internally displaced" is a
        # mention of "displaced" too (the pattern finds only the longest match).
        self._credited: dict[str, list[str]] = {
            phrase: [
                t for other in self._topics_of if _contains(phrase, other) for t in self._topics_of[other]
            ]
            for phrase in self._topics_of
        }
        phrases = sorted(self._topics_of, key=len, reverse=True)
        alternation = "|".join(r"\s+".join(map(re.escape, p.split())) for p in phrases)
        self._pattern = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.I) if phrases else None

    def canonical(self, label: str) -> str:
        """The editors' spelling of a printed label ("PEACE AND SECURITY"), else the label."""
        return self._names.get(label.lower(), label)

    def _counts(self, text: str) -> Counter[str]:
        counts: Counter[str] = Counter()
        if self._pattern is not None:
            for m in self._pattern.finditer(text):
                for topic in self._credited[" ".join(m[0].lower().split())]:
                    counts[topic] += 1
        return counts

    def match(self, headline: str, body: str) -> list[str]:
        in_headline = self._counts(headline)
        in_body = self._counts(body)
        return [name for name in self._names.values() if in_headline[name] or in_body[name] >= _BODY_MENTIONS]


def _contains(phrase: str, other: str) -> bool:
    """``other`` is ``phrase`` or a whole-word part of it."""
    return f" {other} " in f" {phrase} "


@lru_cache(maxsize=32)
def _vocabulary(topics: tuple[tuple[str, tuple[str, ...]], ...]) -> Vocabulary:
    return Vocabulary(topics)


def find_topics(
    headline: str,
    body: str,
    *,
    labels: Iterable[str] = (),
    vocabulary: Mapping[str, Iterable[str]] | None = None,
) -> list[str]:
    """Header ``labels`` first (in the editors' spelling when they have the topic), then the
    vocabulary topics the text gives enough evidence for; each once."""
    vocab = _vocabulary(tuple((name, tuple(kw)) for name, kw in (vocabulary or {}).items()))
    topics = [vocab.canonical(label) for label in labels]
    for name in vocab.match(headline, body):
        if name not in topics:
            topics.append(name)
    return topics
