"""Related articles ("more like this"): a document's key terms, and the documents sharing them most.

Whoosh picks the key terms of a text with its ``Bo1`` expansion model, looking up each word's
collection frequency in the index (a file lookup a word a segment: most of an article page's
time), then scores an ``Or`` of them one posting at a time. Here the frequencies are kept per
searcher (an article's words are mostly the archive's common ones) and the ``Or`` is scored
with the numpy BM25F of ``scoring.py`` (Whoosh's scores), from postings kept apart from the
searches' (``DocSets.weights``).
"""

from __future__ import annotations

import numpy as np
from whoosh.classify import Bo1Model, Expander
from whoosh.query import Term

from .ranking import _best

# Collection frequencies kept per searcher; past this many the table starts again.
FREQUENCIES_HELD = 200_000


class Frequencies:
    """Each word's collection frequency in a field (0 when not indexed), looked up once a searcher."""

    def __init__(self, reader) -> None:
        self.reader = reader
        self._found: dict[tuple[str, bytes], float] = {}

    def __call__(self, fieldname: str, btext: bytes) -> float:
        key = (fieldname, btext)
        found = self._found.get(key)
        if found is None:
            if len(self._found) >= FREQUENCIES_HELD:
                self._found.clear()
            # A segment without the word counts 0 (its KeyError is caught there): asking first
            # whether the index has it was one more lookup a segment.
            found = self._found[key] = self.reader.frequency(fieldname, btext)
        return found


def key_terms(shared, fieldname: str, text: str, number: int) -> list[tuple[str, float]]:
    """The ``number`` most distinctive words of ``text`` in ``fieldname`` with their weights, as
    Whoosh's ``key_terms_from_text`` gives them (``Bo1`` model, normalised)."""
    expander = Expander(shared.reader, fieldname, model=Bo1Model)
    expander.add_text(text)
    if not expander.topN_weight:
        return []
    field = shared.reader.schema[fieldname]
    model, total = expander.model, expander.top_total
    scored, best = [], 0.0
    for word, weight in expander.topN_weight.items():
        frequency = shared.frequencies(fieldname, field.to_bytes(word))
        if frequency:
            score = model.score(weight, frequency, total)
            best = max(best, score)
            scored.append((score, word))
    if not scored:
        return []
    norm = model.normalizer(best, total)
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [(word, score / norm) for score, word in scored[:number]]


def most_like(shared, terms: list[Term], limit: int, allow: set[int] | None, exclude: set[int]):
    """The ``limit`` documents scoring best on ``terms`` (an ``Or`` of them, BM25F), among
    ``allow`` (None: all) and not in ``exclude``: [(docnum, score)], best first. None when the
    searcher's scores cannot be computed here (Whoosh must score)."""
    if shared.scorer.terms(terms[0]) is None:
        return None
    scores = shared.scorer.scores(terms, related=True)
    candidates = scores > 0
    if shared.sets.deleted is not None:
        candidates[shared.sets.deleted] = False
    if exclude:
        candidates[_within(exclude, len(scores))] = False
    if allow is not None:
        allowed = np.zeros(len(scores), dtype=bool)
        allowed[_within(allow, len(scores))] = True
        candidates &= allowed
    docnums = np.flatnonzero(candidates)
    return _best(scores, docnums, limit)


def _within(docnums: set[int], size: int) -> np.ndarray:
    found = np.fromiter(docnums, dtype=np.int64, count=len(docnums))
    return found[(found >= 0) & (found < size)]
