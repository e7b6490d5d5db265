"""Ranking a query's matches: scoring only its text parts, within the matched documents, and
putting the hits that hold the query's words as a phrase first in each block of ``RERANK``."""

from __future__ import annotations

import heapq

import numpy as np
from whoosh.query import And, Not, Or, Phrase, Term

# Filters leaving fewer than 1/SPARSE_FILTER of the scored query's matches: score those alone.
SPARSE_FILTER = 4
# In each block of this many hits (by score), those holding the query's words as a phrase come first.
RERANK = 20


def ranked(shared, query, matched: int, limit: int, text_fields) -> list[tuple[int, float]]:
    """The best ``limit`` matched documents by relevance, with their scores.

    Only the parts of the query on text fields are scored; filters, exclusions and ranges are
    applied as the set of matched documents (a filter inside the scored query would stop
    Whoosh from skipping blocks that cannot make the top). Within each block of ``RERANK``
    hits, those holding the query's words as a phrase come first: fixed blocks keep the order
    the same whatever page is asked for, so paging shows each hit once.
    """
    searcher = shared.searcher
    parts = query.subqueries if isinstance(query, And) else [query]
    scored = [part for part in parts if not isinstance(part, Not) and text_fields & _fields(part)]
    if not scored:
        return [(docnum, 0.0) for docnum in shared.ordered(matched, (), limit)]
    scoring = scored[0] if len(scored) == 1 else And(scored)
    window = -(-limit // RERANK) * RERANK
    terms = shared.scorer.terms(scoring)
    if terms is not None:  # scored with numpy (``scoring.py``), as Whoosh would
        top = _best(shared.scorer.scores_of(scoring, terms), shared.docnum_array(matched), window)
    else:
        top = _whoosh_ranked(shared, scoring, matched, window)
    phrase = _phrase(scored)
    if phrase is not None:
        docnums = [docnum for docnum, _ in top]
        with_phrase = shared.scorer.with_phrase(phrase.subqueries, docnums)
        if with_phrase is None:
            with_phrase = _matching(searcher, phrase, docnums)
        blocks = [top[i : i + RERANK] for i in range(0, len(top), RERANK)]
        top = [hit for block in blocks for hit in sorted(block, key=lambda h: h[0] not in with_phrase)]
    return top[:limit]


def _best(scores: np.ndarray, docnums: np.ndarray, limit: int) -> list[tuple[int, float]]:
    """The ``limit`` best of ``docnums`` by ``scores`` (per document of the searcher), best
    first; equal scores in document order, as Whoosh's collector breaks ties."""
    found = scores[docnums]
    if limit < len(found):  # keep every document scoring at least the limit-th best (ties included)
        kth = np.partition(found, len(found) - limit)[len(found) - limit]
        keep = np.flatnonzero(found >= kth)
        docnums, found = docnums[keep], found[keep]
    order = np.lexsort((docnums, -found))[:limit]
    return list(zip(docnums[order].tolist(), found[order].tolist(), strict=True))


def _whoosh_ranked(shared, scoring, matched: int, window: int) -> list[tuple[int, float]]:
    """The best ``window`` matched documents as Whoosh scores them (a query ``scoring.py`` cannot
    score: a phrase, a prefix)."""
    searcher = shared.searcher
    candidates = shared.docset(scoring)
    if candidates == matched:
        return [(docnum, score) for score, docnum in searcher.search(scoring, limit=window).top_n]
    if matched.bit_count() * SPARSE_FILTER < candidates.bit_count():
        return _score_at(searcher, scoring, shared.docnums(matched), window)
    hits = searcher.search(scoring, limit=window, filter=set(shared.docnums(matched)))
    return [(docnum, score) for score, docnum in hits.top_n]


def _fields(query) -> set[str]:
    return {leaf.field() for leaf in query.leaves()}


def _phrase(parts):
    """The phrase of a query's required plain words (each a word searched in several fields)."""
    words, fields = [], set()
    for part in parts:
        if isinstance(part, Or) and all(isinstance(t, Term) for t in part.subqueries):
            texts = {t.text for t in part.subqueries}
            if len(texts) == 1:
                words.append(texts.pop())
                fields.update(t.fieldname for t in part.subqueries)
    if len(words) < 2:
        return None
    return Or([Phrase(name, words) for name in sorted(fields)])


def _score_at(searcher, query, docnums: list[int], limit: int) -> list[tuple[int, float]]:
    """The best ``limit`` of ``docnums`` (ascending) by ``query``'s score, scoring only those."""
    matcher = query.matcher(searcher, searcher.context())
    scores = []
    for docnum in docnums:
        if not matcher.is_active():
            break
        if matcher.id() < docnum:
            matcher.skip_to(docnum)
        if matcher.is_active() and matcher.id() == docnum:
            scores.append((docnum, matcher.score()))
    return heapq.nsmallest(limit, scores, key=lambda hit: (-hit[1], hit[0]))


def _matching(searcher, query, docnums: list[int]) -> set[int]:
    """Which of ``docnums`` match ``query``, checked at those documents only."""
    matcher = query.matcher(searcher, searcher.boolean_context())
    found = set()
    for docnum in sorted(docnums):
        if not matcher.is_active():
            break
        if matcher.id() < docnum:
            matcher.skip_to(docnum)
        if matcher.is_active() and matcher.id() == docnum:
            found.add(docnum)
    return found
