"""Marking the searched words in results' headlines and snippets."""

from __future__ import annotations

import html
import re

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

    def matches(self, text: str, terms: frozenset[str]) -> list[tuple[int, int]]:
        return [m.span() for m in self.WORD.finditer(text) if self.term(m.group()) in terms]

    def whole(self, text: str, terms: frozenset[str]) -> str:
        """All of ``text`` with its matches marked; '' when nothing matches."""
        spans = self.matches(text, terms) if terms else []
        return self._format(text, spans, 0, len(text)) if spans else ""

    def snippet(self, text: str, terms: frozenset[str]) -> str:
        """Up to two passages of ``text`` around its matches, joined by an ellipsis; '' when none."""
        spans = self.matches(text, terms) if terms else []
        passages, covered = [], 0
        for start, _ in spans:
            if start < covered or len(passages) == self.FRAGMENTS:
                continue
            begin = max(covered, text.rfind(" ", 0, max(start - self.CONTEXT_CHARS, 0)) + 1)
            end = text.find(" ", begin + self.SNIPPET_CHARS)
            end = len(text) if end < 0 else end
            passages.append(self._format(text, spans, begin, end))
            covered = end
        return " … ".join(passages)

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
