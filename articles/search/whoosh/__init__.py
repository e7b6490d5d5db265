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
  writer that writes segments as memory fills, and a web request's bounded merges.
- ``processes``: the writer processes, started by a fork server and ended with the process that
  writes (Whoosh only: the package imports nothing else until it is asked for its engine).
- ``searcher``: searchers that hold their segments' files (a concurrent merge cannot pull them
  from under a search), and what every query on one searcher shares: document sets as bitsets,
  exact facet counts, sort keys.
- ``spelling``: "did you mean" corrections from each segment's word list kept in memory.
- ``postings``: reading a term's postings block by block into numpy arrays, and a query's
  documents from its terms' (union, intersection, difference) without a Python step per document.
- ``scoring``: Whoosh's BM25F over those arrays (the same scores), and phrase checks of a page's
  hits from the words' stored positions.
- ``ranking``: scoring only a query's text parts within its matched documents; phrase hits first.
- ``highlight``: marking the searched words in headlines and snippets.

Settings name the engine, ``articles.search.whoosh.NewsWhooshEngine``; everything else is read
(and, by tests, patched) in the module that defines it.
"""

__all__ = ["NewsWhooshBackend", "NewsWhooshEngine"]


def __getattr__(name: str):
    """The backend and engine, imported when first asked for: a writer process imports
    ``processes`` alone, without haystack and Django."""
    if name in __all__:
        from . import backend

        return getattr(backend, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
