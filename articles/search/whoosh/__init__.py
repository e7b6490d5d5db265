"""Everything that knows the search engine is Whoosh lives in this package.

A subclass of django-haystack's Whoosh backend that fixes the defects measured
on haystack 3.4.0 + Whoosh 2.7.4. The index definitions (``articles/search_indexes.py``)
and the views only speak haystack, so Solr or Elasticsearch run the same code
through haystack's own backends.

- ``backend``: the haystack backend, engine and query class (whole-value filters, any result
  window, index changes in one commit, a rebuild beside the live index, "more like this",
  spelling suggestions).
- ``schema``: the text analyzer (accent folding, ``U.N.`` = ``UN``, ``Da'esh`` = ``Daesh``, news
  stop words) and whole-value fields (:class:`WHOLE`: a facet counts "New York Times", not
  ``new``, ``york``, ``time``; a topic "Peace, security" stays one value).
- ``writing``: writers that wait for the index lock and let go of it, a bulk load's parallel
  writer that writes segments as memory fills, writer processes that die with their parent,
  and a web request's bounded merges.
- ``searcher``: searchers that hold their segments' files (a concurrent merge cannot pull them
  from under a search), and what every query on one searcher shares: document sets as bitsets,
  exact facet counts, sort keys, spelling corrections.
- ``postings``: reading a term's postings block by block into numpy arrays, and a query's
  documents from its terms' (union, intersection, difference) without a Python step per document.
- ``scoring``: Whoosh's BM25F over those arrays (the same scores), and phrase checks of a page's
  hits from the words' stored positions.
- ``ranking``: scoring only a query's text parts within its matched documents; phrase hits first.
- ``highlight``: marking the searched words in headlines and snippets.

Tests and tools may set this package's constants (``whoosh.PARALLEL_THRESHOLD = 1``): the
module that reads a constant gets the new value too (see :class:`_Package`).
"""

import sys
import types

from . import backend, highlight, postings, ranking, schema, scoring, searcher, writing
from .backend import (
    MORE_LIKE_THIS_LIMIT,
    MORE_LIKE_THIS_TERMS,
    Drift,
    NewsWhooshBackend,
    NewsWhooshEngine,
    NewsWhooshQuery,
)
from .highlight import _Marker, _positive_terms
from .ranking import RERANK, SPARSE_FILTER
from .schema import KNOWN_SUFFIX, STOP_WORDS, WHOLE, build_schema, news_analyzer, whole_value_token
from .searcher import (
    CACHE_SIZE,
    CORRECT_FROM,
    OPEN_ATTEMPTS,
    RARE_RATIO,
    RARE_WORD,
    TWO_EDITS_FROM,
    _open_searcher,
    _SearcherData,
)
from .writing import (
    BOUNDED_MERGE,
    BULK_WRITER_MB,
    LOCK_TIMEOUT,
    PARALLEL_THRESHOLD,
    SEGMENT_FULL,
    BulkWriter,
    _cancel,
    _commit,
    _merge_point,
    _merge_small,
    _ParallelWriter,
    _SegmentingWriter,
    _SegmentTask,
    _SegmentWriter,
    _Task,
)

_MODULES = (backend, highlight, postings, ranking, schema, scoring, searcher, writing)


class _Package(types.ModuleType):
    """This package as a module whose names, set from outside (a test's ``monkeypatch.setattr``),
    are set in the module that defined them too, where the code reads them."""

    def __setattr__(self, name: str, value) -> None:
        if not isinstance(value, types.ModuleType):
            for module in _MODULES:
                if name in vars(module) and vars(module)[name] is getattr(self, name, None):
                    setattr(module, name, value)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

__all__ = [
    "BOUNDED_MERGE",
    "BULK_WRITER_MB",
    "CACHE_SIZE",
    "CORRECT_FROM",
    "KNOWN_SUFFIX",
    "LOCK_TIMEOUT",
    "MORE_LIKE_THIS_LIMIT",
    "MORE_LIKE_THIS_TERMS",
    "OPEN_ATTEMPTS",
    "PARALLEL_THRESHOLD",
    "RARE_RATIO",
    "RARE_WORD",
    "RERANK",
    "SEGMENT_FULL",
    "SPARSE_FILTER",
    "STOP_WORDS",
    "TWO_EDITS_FROM",
    "WHOLE",
    "BulkWriter",
    "Drift",
    "NewsWhooshBackend",
    "NewsWhooshEngine",
    "NewsWhooshQuery",
    "_Marker",
    "_ParallelWriter",
    "_SearcherData",
    "_SegmentTask",
    "_SegmentWriter",
    "_SegmentingWriter",
    "_Task",
    "_cancel",
    "_commit",
    "_merge_point",
    "_merge_small",
    "_open_searcher",
    "_positive_terms",
    "build_schema",
    "news_analyzer",
    "whole_value_token",
]
