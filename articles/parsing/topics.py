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
# A token: a word, or one character that is neither a word character nor a space; with the
# whitespace before it (whether it is glued to the token before matters: "U.N." is not "U. N.").
_TOKEN = re.compile(r"(\s*)(?:(\w+)|([^\w\s]))")
_END = ""  # the key of a keyword ending at a node of the trie (no token is empty)


def _tokens(text: str) -> list[tuple[str, bool, bool]]:
    """Each token's key (the token, with a space in front when whitespace precedes it), whether it
    is a word and whether whitespace precedes it."""
    return [
        (f" {word or mark}" if space else word or mark, bool(word), bool(space))
        for space, word, mark in _TOKEN.findall(text)
    ]


class Vocabulary:
    """Topic keywords in a trie of tokens: a text is read once, token by token, whatever the
    number of topics. What counts as a mention is what a regular expression of every keyword
    (longest first, whitespace as ``\\s+``, not inside a word, any case) finds, scanning from the
    left: the longest keyword at a place wins and matches do not overlap."""

    def __init__(self, topics: tuple[tuple[str, tuple[str, ...]], ...]) -> None:
        self._names: dict[str, str] = {}
        topics_of: dict[str, list[str]] = {}
        for name, keywords in topics:
            self._names[name.lower()] = name
            for keyword in {" ".join(k.lower().split()) for k in (name, *keywords) if k.strip()}:
                topics_of.setdefault(keyword, []).append(name)
        self._order = {name: n for n, name in enumerate(self._names.values())}
        self._trie: dict[str, dict] = {}
        for phrase in topics_of:
            keys = [key for key, _, _ in _tokens(phrase)]
            node = self._trie.setdefault(keys[0], {})
            self._trie[f" {keys[0]}"] = node  # the first token, with or without whitespace before it
            for key in keys[1:]:
                node = node.setdefault(key, {})
            # A match also counts for the keywords inside it: "internally displaced" is a
            # mention of "displaced" too (only the longest match at a place is found).
            words = phrase.split(" ")
            inside = {" ".join(words[a:b]) for a in range(len(words)) for b in range(a + 1, len(words) + 1)}
            node[_END] = [topic for other in inside if other in topics_of for topic in topics_of[other]]

    def canonical(self, label: str) -> str:
        """The editors' spelling of a printed label ("PEACE AND SECURITY"), else the label."""
        return self._names.get(label.lower(), label)

    def mentions(self, text: str) -> Counter[str]:
        """How many times the text mentions each topic."""
        counts: Counter[str] = Counter()
        if not self._trie:
            return counts
        tokens = _tokens(text.lower())
        trie, end, i = self._trie, len(tokens), 0
        while i < end:
            node = trie.get(tokens[i][0])
            # Not inside a word: a keyword that starts with a mark ("'s") cannot follow a word glued to it.
            if node is None or not (tokens[i][1] or tokens[i][2] or i == 0 or not tokens[i - 1][1]):
                i += 1
                continue
            found, j = None, i
            while True:
                # ... and one that ends with a mark ("U.N.") cannot precede a word glued to it.
                if _END in node and (
                    tokens[j][1] or j + 1 == end or tokens[j + 1][2] or not tokens[j + 1][1]
                ):
                    found = j
                    credited = node[_END]
                j += 1
                if j == end or (node := node.get(tokens[j][0])) is None:
                    break
            if found is None:
                i += 1
                continue
            counts.update(credited)
            i = found + 1
        return counts

    def match(self, headline: str, body: str) -> list[str]:
        """The topics the headline mentions, or the body at least twice, in the vocabulary's order."""
        in_body = self.mentions(body)
        found = set(self.mentions(headline)) | {
            name for name, count in in_body.items() if count >= _BODY_MENTIONS
        }
        return sorted((name for name in found if name in self._order), key=self._order.__getitem__)


@lru_cache(maxsize=32)
def _vocabulary(topics: tuple[tuple[str, tuple[str, ...]], ...]) -> Vocabulary:
    return Vocabulary(topics)


def vocabulary_of(topics: Mapping[str, Iterable[str]] | Vocabulary | None) -> Vocabulary:
    """The vocabulary of these topics (name: keywords), built once for the same topics. An ingest
    builds it once and hands it to every story: turning the topics into the cache's key each time
    would cost each story time in proportion to the number of topics."""
    if isinstance(topics, Vocabulary):
        return topics
    return _vocabulary(tuple((name, tuple(keywords)) for name, keywords in (topics or {}).items()))


def find_topics(
    headline: str,
    body: str,
    *,
    labels: Iterable[str] = (),
    vocabulary: Mapping[str, Iterable[str]] | Vocabulary | None = None,
) -> list[str]:
    """Header ``labels`` first (in the editors' spelling when they have the topic), then the
    vocabulary topics the text gives enough evidence for; each once."""
    vocab = vocabulary_of(vocabulary)
    topics = [vocab.canonical(label) for label in labels]
    for name in vocab.match(headline, body):
        if name not in topics:
            topics.append(name)
    return topics
