"""Quotes only some versions carry."""

from __future__ import annotations

import re

from articles.stories.documents import terms

from .model import Cell, Difference, Version

_QUOTE = re.compile(r"“([^”]{10,600})”|\"([^\"]{10,600})\"")
MIN_QUOTE_WORDS = 4
QUOTE_COVERAGE = 0.8  # share of a quote's words a sentence must hold to carry it


def quote_differences(versions: list[Version], split: dict[int, list[str]]) -> list[Difference]:
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
