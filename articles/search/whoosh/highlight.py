"""Marking the searched words in results' headlines and snippets."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from whoosh.query import AndNot, Not


def _positive_terms(query, reader, fieldname: str) -> frozenset[str]:
    """The words of ``query`` in ``fieldname`` that a match contains (not those it excludes)."""
    if isinstance(query, Not):
        return frozenset()
    if isinstance(query, AndNot):
        return _positive_terms(query.a, reader, fieldname)
    if query.is_leaf():
        if query.field() != fieldname:
            return frozenset()
        return frozenset(
            text.decode("utf-8") if isinstance(text, bytes) else text
            for _, text in query.expanded_terms(reader, phrases=True)
        )
    return frozenset().union(*(_positive_terms(child, reader, fieldname) for child in query.children()))


class _Marker:
    """Marks the searched words in text: HTML-escaped, each match in ``<mark>``, nothing else.

    Each distinct word is analysed once (cached), so marking a page of hits costs a regex pass
    per text instead of Whoosh's token-stream highlighter (about 1 ms a document).
    """

    WORD = re.compile(r"\w+(?:[.'’]\w+)*")
    CACHE_SIZE = 200_000
    SNIPPET_CHARS = 240
    CONTEXT_CHARS = 70
    FRAGMENTS = 2

    def __init__(self, analyzer) -> None:
        self.analyzer = analyzer
        self._terms: dict[str, str | None] = {}

    def term(self, word: str) -> str | None:
        """The index term of ``word`` (None for a stop word)."""
        if word not in self._terms:
            if len(self._terms) >= self.CACHE_SIZE:
                self._terms.clear()
            tokens = [token.text for token in self.analyzer(word)]
            self._terms[word] = tokens[0] if len(tokens) == 1 else None
        return self._terms[word]

    def matches(self, text: str, terms: frozenset[str]) -> Iterator[tuple[int, int]]:
        """The spans of ``text``'s words whose term is one of ``terms``, in order, as they are found."""
        known, term = self._terms, self.term
        for match in self.WORD.finditer(text):
            word = match.group()
            if (known[word] if word in known else term(word)) in terms:
                yield match.span()

    def whole(self, text: str, terms: frozenset[str]) -> str:
        """All of ``text`` with its matches marked; '' when nothing matches."""
        spans = list(self.matches(text, terms)) if terms else []
        return self._format(text, spans, 0, len(text)) if spans else ""

    def snippet(self, text: str, terms: frozenset[str]) -> str:
        """Up to two passages of ``text`` around its matches, joined by an ellipsis; '' when none.

        The text is read only as far as the last passage reaches (a long body's first matches
        make the snippet: the rest is never analysed)."""
        if not terms:
            return ""
        found = self.matches(text, terms)
        bounds: list[tuple[int, int]] = []  # each passage's (begin, end)
        spans: list[tuple[int, int]] = []
        for span in found:
            if bounds and span[0] < bounds[-1][1]:
                spans.append(span)
                continue
            if len(bounds) == self.FRAGMENTS:
                break
            covered = bounds[-1][1] if bounds else 0
            begin = max(covered, text.rfind(" ", 0, max(span[0] - self.CONTEXT_CHARS, 0)) + 1)
            end = text.find(" ", begin + self.SNIPPET_CHARS)
            bounds.append((begin, len(text) if end < 0 else end))
            spans.append(span)
        return " … ".join(self._format(text, spans, begin, end) for begin, end in bounds)

    @staticmethod
    def _format(text: str, spans, begin: int, end: int) -> str:
        parts, at = [], begin
        for start, stop in spans:
            if start >= begin and stop <= end:
                parts += [_escape(text[at:start]), "<mark>", _escape(text[start:stop]), "</mark>"]
                at = stop
        parts.append(_escape(text[at:end]))
        return "".join(parts).strip()


def _escape(text: str) -> str:
    return html.escape(text, quote=False)
