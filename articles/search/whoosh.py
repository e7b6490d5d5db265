"""Everything that knows the search engine is Whoosh lives here.

A subclass of django-haystack's Whoosh backend that fixes the defects measured
on haystack 3.4.0 + Whoosh 2.7.4. The index definitions (``articles/search_indexes.py``)
and the views only speak haystack, so Solr or Elasticsearch run the same code
through haystack's own backends.

Fixed here:
- Facet and list fields hold whole values (:class:`WHOLE`, not analysed), so a facet on
  ``outlet`` counts "New York Times", not ``new``, ``york``, ``time``, and a topic
  "Peace, security" stays one value; filters name values in a form the query parser
  cannot misread (:class:`NewsWhooshQuery`), whatever characters they hold.
- Any result window is served correctly: haystack asks Whoosh for page
  ``start // length``, which is wrong when ``start`` is not a multiple of the
  length (haystack #1664, #694).
- Text is accent-folded (``Zurich`` finds ``Zürich``) and dots/apostrophes inside
  words are dropped (``U.N.`` = ``UN``, ``Da'esh`` = ``Da’esh`` = ``Daesh``).
- Writers wait for the index lock (``LOCK_TIMEOUT``) and fail loudly instead of
  dropping deletes; segments are written non-compound (opening a searcher does
  not copy them into memory) and one searcher is reused until the index changes.
  A searcher opens all its segments' files at once (``_open_searcher``), so a commit
  that merges them away meanwhile cannot pull them from under a search, and one search
  runs on one searcher throughout.
- ``rebuild()`` writes the new index beside the live one and swaps it in at
  commit: searches keep answering from the old index until then.
- A bulk load's parallel writer (``bulk_writer()``) writes a segment whenever a process's
  memory is full, while the documents still come, instead of spilling postings to disk and
  merging them at commit; a writer process that dies fails the load instead of losing its
  documents or leaving it waiting for ever.
- Parallel writers' processes die with the process that started them (whatever signal handlers
  it had: a web server's, a command's), so none is left holding the index's lock.
- A web request's sync (``bounded``) writes with one process and merges at most
  ``BOUNDED_MERGE`` documents: Whoosh's policy sometimes merges the whole index in one commit,
  which is left to :meth:`~NewsWhooshBackend.merge_segments` (``manage.py apply_index_queue``).
- Searching counts facets exactly from per-searcher bitsets (``_SearcherData``) instead of
  Whoosh's per-query value lists, loads stored fields for the shown hits only, scores only the
  text parts of a query, marks snippets with a cached word analysis, suggests spellings from an
  unstemmed word list (``spell_text``) and builds "more like this" from the stored headline and body.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import functools
import heapq
import html
import math
import multiprocessing
import os
import queue
import re
import signal
import sys
from collections.abc import Iterable, Sized
from pathlib import Path

from haystack import connections
from haystack.backends import log_query
from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend, WhooshSearchQuery
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SearchBackendError, SkipDocument
from haystack.fields import FacetField
from haystack.models import SearchResult
from haystack.utils import get_identifier
from whoosh import writing
from whoosh.analysis import (
    CharsetFilter,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import DATETIME, NUMERIC, STORED, TEXT, Schema
from whoosh.fields import ID as WHOOSH_ID
from whoosh.index import LockError
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.qparser import AndGroup, MultifieldParser
from whoosh.query import And, AndNot, Every, Not, Or, Phrase, Term
from whoosh.reading import SegmentReader
from whoosh.support.charset import accent_map
from whoosh.util import fib

# How long a writer waits for another process's writer before failing (seconds).
LOCK_TIMEOUT = 60.0
# A date field's companion column: 1 when the document has a date. Sorting on it first
# puts undated documents last (Whoosh sorts a missing value as the largest).
KNOWN_SUFFIX = "_known"
# Above this many documents in one update, index with both cores.
PARALLEL_THRESHOLD = 2000
# A bounded sync's commit (a web request's) merges segments as Whoosh does, but only merges of up
# to this many documents (under a second): Whoosh's policy, once the index has about twenty
# segments, merges all of them in one commit (two minutes for Reuters-21578 on a busy machine).
BOUNDED_MERGE = 100
# A bulk load's writer process closes its segment when its postings fill this share of its
# memory (``limitmb``), rather than let Whoosh spill them to disk (see _SegmentingWriter).
SEGMENT_FULL = 0.9
# That memory, per process, unless the connection's BULK_WRITER_MB says otherwise: the load's
# two writer processes and the ingest itself stay under 500 MB together (BENCHMARKS.md).
BULK_WRITER_MB = 96
# Tries at opening a searcher while commits keep changing the index (Whoosh's reader tries as often).
OPEN_ATTEMPTS = 10
# Parsed queries and matched document sets kept per searcher.
CACHE_SIZE = 256
# Filters leaving fewer than 1/SPARSE_FILTER of the scored query's matches: score those alone.
SPARSE_FILTER = 4
# In each block of this many hits (by score), those holding the query's words as a phrase come first.
RERANK = 20
# Key terms a "more like this" query is built from, and the most similar documents it returns.
MORE_LIKE_THIS_TERMS = 12
MORE_LIKE_THIS_LIMIT = 100
# "Did you mean": a word in fewer documents than RARE_WORD is corrected to a neighbour found in
# at least RARE_RATIO times as many, one edit away (two for words of TWO_EDITS_FROM letters and
# more); words shorter than CORRECT_FROM letters are left alone (``sao`` is not ``so``).
RARE_WORD = 3
RARE_RATIO = 10
CORRECT_FROM = 4
TWO_EDITS_FROM = 7


class _DropInnerPunctuation(Filter):
    """``u.n`` -> ``un``, ``da'esh`` -> ``daesh``: abbreviations and apostrophes match either way."""

    _inner = re.compile(r"[.'’]")

    def __call__(self, tokens):
        for t in tokens:
            if "." in t.text or "'" in t.text or "’" in t.text:
                t.text = self._inner.sub("", t.text)
            yield t


# Words too common to search for. Whoosh's default list also drops words that are names and
# abbreviations in news ("U.S." reads as ``us``, "May", "IT", "Will"), and words of one letter.
STOP_WORDS = frozenset(
    {"a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "if", "in", "is", "of", "on", "or"}
    | {"that", "the", "this", "to", "with"}
)


def news_analyzer():
    """Words (keeping ``U.N.``, ``Da’esh`` and ``AT&T`` whole), lower-cased, accent-folded,
    stemmed; numbers and single letters kept."""
    return (
        RegexTokenizer(r"\w+(?:[.'’&]\w+)*")
        | LowercaseFilter()
        | _DropInnerPunctuation()
        | CharsetFilter(accent_map)
        | StopFilter(stoplist=STOP_WORDS, minsize=1)
        | StemFilter(cachesize=-1)
    )


class NewsWhooshBackend(WhooshSearchBackend):
    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        # Memory of each bulk-load writer process (``BULK_WRITER_MB``): more gives fewer, larger
        # segments (searches after a big load are a little faster), less keeps the load small.
        self.bulk_writer_mb = int(connection_options.get("BULK_WRITER_MB") or BULK_WRITER_MB)

    def build_schema(self, fields):
        schema_fields = {
            ID: WHOOSH_ID(stored=True, unique=True),
            DJANGO_CT: WHOOSH_ID(stored=True),
            DJANGO_ID: WHOOSH_ID(stored=True),
        }
        content_field_name = ""
        analyzer = news_analyzer()
        for field in fields.values():
            name = field.index_fieldname
            if field.is_multivalued:
                schema_fields[name] = WHOLE(stored=True)
            elif isinstance(field, FacetField):
                schema_fields[name] = WHOLE(stored=True, sortable=True)
            elif not field.indexed:
                schema_fields[name] = STORED()
            elif field.field_type in ("date", "datetime"):
                schema_fields[name] = DATETIME(stored=field.stored, sortable=True)
                schema_fields[f"{name}{KNOWN_SUFFIX}"] = NUMERIC(numtype=int, bits=8, sortable=True)
            elif field.field_type == "integer":
                schema_fields[name] = NUMERIC(stored=field.stored, numtype=int, sortable=True)
            else:
                # The document field is searched, never shown: not stored. Its unstemmed words
                # feed the spelling suggestions.
                schema_fields[name] = TEXT(
                    stored=not field.document,
                    analyzer=analyzer,
                    field_boost=field.boost or 1.0,
                    spelling=field.document,
                )
            if field.document:
                content_field_name = name
        if not content_field_name:
            raise SearchBackendError("The search index needs a document=True field.")
        return content_field_name, Schema(**schema_fields)

    def setup(self):
        # Opening the index reads its newest table of contents, which a commit in another process
        # may replace (and delete) between Whoosh finding it and opening it. Whoosh's reader tries
        # again when that happens, opening the index does not: it is tried again here.
        for attempt in range(1, OPEN_ATTEMPTS + 1):
            try:
                super().setup()
                break
            except FileNotFoundError:
                if attempt == OPEN_ATTEMPTS:
                    raise
        text_fields = [name for name, ftype in self.schema.items() if isinstance(ftype, TEXT)]
        boosts = {name: self.schema[name].format.field_boost for name in text_fields}
        self.parser = MultifieldParser(text_fields, schema=self.schema, fieldboosts=boosts)
        self.filter_parser = MultifieldParser(text_fields, schema=self.schema, group=AndGroup)
        self._searcher = None
        self._shared: _SearcherData | None = None
        self._parsed: dict = {}
        self._markers: _Marker | None = None
        self._text_fields = set(text_fields)
        self._known_fields = [
            name[: -len(KNOWN_SUFFIX)] for name in self.schema.names() if name.endswith(KNOWN_SUFFIX)
        ]

    # -- writing -----------------------------------------------------------
    # One writer at a time holds the index's lock. ``articles.search.indexing`` queues changes
    # in the database and applies them through ``sync``, which never waits when asked not to.

    def _writer(self, procs: int = 1, wait: bool = True):
        """A writer on the index; raises ``LockError`` when another holds it (after ``LOCK_TIMEOUT``
        when ``wait``, at once otherwise)."""
        options = {"timeout": LOCK_TIMEOUT if wait else 0, "limitmb": 256, "compound": False}
        if procs > 1:
            return _ParallelWriter(self.index, procs=procs, multisegment=True, **options)
        return _SegmentWriter(self.index, **options)

    def lock_holders(self) -> list[str]:
        """The processes that have the index's write lock open, as ``"pid (command line)"``; not
        the writer processes of a holder (they inherit its lock), but those its death left behind.

        Read from ``/proc`` (Linux); empty elsewhere, or when the holder is another user's process.
        """
        if not self.use_file_storage:
            return []
        if not self.setup_complete:
            self.setup()
        lock = Path(self.path, f"{self.index.indexname}_WRITELOCK").resolve()
        holders = {}  # pid: (parent's pid, command line)
        for fd in Path("/proc").glob("[0-9]*/fd/*"):
            proc = fd.parent.parent
            try:
                if proc.name not in holders and Path(os.readlink(fd)) == lock:
                    parent = (proc / "stat").read_text().rsplit(")", 1)[1].split()[1]
                    command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").strip()
                    holders[proc.name] = (parent, command.decode(errors="replace"))
            except OSError:  # gone meanwhile, or not ours to read
                continue
        return [
            f"{pid} ({command})"
            for pid, (parent, command) in sorted(holders.items())
            if parent not in holders
        ]

    def _documents(self, index, iterable: Iterable) -> Iterable[dict]:
        for obj in iterable:
            try:
                doc = index.full_prepare(obj)
            except SkipDocument:
                continue
            doc.pop("boost", None)
            for name in self._known_fields:
                doc[f"{name}{KNOWN_SUFFIX}"] = int(doc.get(name) is not None)
            yield {
                key: [self._from_python(v) for v in value]
                if isinstance(value, list | tuple)
                else self._from_python(value)
                for key, value in doc.items()
            }

    def sync(
        self, index, objects: Sized, remove: Iterable[str], wait: bool = True, bounded: bool = False
    ) -> bool:
        """(Re)index ``objects`` and delete the documents ``remove`` names, in one commit.

        ``remove`` is read after ``objects`` (so it may depend on what they turned out to be).
        Returns False, having changed nothing, when ``wait`` is False and the writer is busy.
        ``bounded`` (a web request): one process writes, and the commit merges small segments only
        (:func:`_merge_small`); otherwise a large sync uses both cores, and Whoosh's merge policy.
        """
        if not self.setup_complete:
            self.setup()
        procs = 2 if not bounded and len(objects) >= PARALLEL_THRESHOLD else 1
        try:
            writer = self._writer(procs=procs, wait=wait)
        except LockError:
            if wait:
                raise
            return False
        try:
            # Delete and add rather than ``update_document``, which opens a searcher per document.
            with writer.searcher() as searcher:
                for doc in self._documents(index, objects):
                    writer.delete_by_term(ID, doc[ID], searcher=searcher)
                    writer.add_document(**doc)
                for identifier in remove:
                    writer.delete_by_term(ID, identifier, searcher=searcher)
        except BaseException:
            _cancel(writer)
            raise
        _commit(writer, **({"mergetype": _merge_small} if bounded else {}))
        return True

    def bulk_writer(self) -> BulkWriter | None:
        """A parallel writer for a bulk load of new documents, or None when another holds the lock."""
        if not self.setup_complete:
            self.setup()
        try:
            writer = _SegmentingWriter(
                self.index, procs=2, timeout=0, limitmb=self.bulk_writer_mb, compound=False
            )
        except LockError:
            return None
        return BulkWriter(self, writer)

    def update(self, index, iterable, commit=True):
        if not self.setup_complete:
            self.setup()
        if len(iterable):
            self.sync(index, iterable, ())

    def remove(self, obj_or_string, commit=True):
        if not self.setup_complete:
            self.setup()
        writer = self._writer()
        writer.delete_by_term(ID, get_identifier(obj_or_string))
        writer.commit()

    def clear(self, models=None, commit=True):
        """Empty the index in one atomic commit (never delete its folder under live searchers)."""
        if models:
            return super().clear(models, commit)
        if not self.setup_complete:
            self.setup()
        self._writer().commit(mergetype=writing.CLEAR)

    def rebuild(self, index, iterable, expected: int = 0) -> int:
        """Index everything afresh beside the live index; swap it in at commit. Returns the count.

        ``expected`` (how many documents are coming) decides whether to use both cores.
        """
        if not self.setup_complete:
            self.setup()
        # Both cores for a large rebuild; a small one is quicker (and fork-safe in threads) alone.
        writer = self._writer(procs=2 if expected >= PARALLEL_THRESHOLD else 1)
        count = 0
        try:
            for doc in self._documents(index, iterable):
                writer.add_document(**doc)
                count += 1
        except BaseException:
            _cancel(writer)
            raise
        # CLEAR: the new segments replace every old one in a single atomic TOC write.
        _commit(writer, mergetype=writing.CLEAR)
        return count

    def merge_segments(self) -> bool:
        """Do the merge Whoosh's policy asks for, if any (web requests' commits leave the larger
        ones); returns whether there was one."""
        if not self.setup_complete:
            self.setup()
        if not _merge_point(self.index._segments()):
            return False
        _commit(self._writer())  # Whoosh's policy
        return True

    def drift(self, index, objects: Iterable) -> Drift:
        """Compare the index with ``objects`` (everything that should be indexed)."""
        if not self.setup_complete:
            self.setup()
        stored_names = {name for name, ftype in self.schema.items() if ftype.stored}
        with _open_searcher(self.index) as searcher:
            indexed = {fields[ID]: fields for fields in searcher.all_stored_fields()}
        drift = Drift()
        for doc in self._documents(index, objects):
            stored = indexed.pop(doc[ID], None)
            expected = {name: value for name, value in doc.items() if name in stored_names}
            if stored is None:
                drift.missing.append(doc[DJANGO_ID])
            elif stored != expected:
                drift.stale.append(doc[DJANGO_ID])
        drift.ghosts = [fields[DJANGO_ID] for fields in indexed.values()]
        return drift

    # -- searching ---------------------------------------------------------

    def searcher(self):
        """One searcher per backend (per thread), reopened only when the index changed.

        What its queries share (facet bitsets, sort keys, document sets) lives as long as it does.
        """
        if self._searcher is None or not self._searcher.up_to_date():
            # The old searcher is not closed here: a search still running in this process may
            # hold it. Dropping the last reference closes its files.
            self._searcher = _open_searcher(self.index)
            self._shared = _SearcherData(self._searcher)
            self._parsed.clear()
        return self._searcher

    def warm(self, facet_fields: Iterable[str], sorts: Iterable[str]) -> None:
        """Open the searcher and build what searches share (facet bitsets, sort keys) now, not on
        a reader's first search (a web worker's start: ``gunicorn.conf.py``)."""
        if not self.setup_complete:
            self.setup()
        self.searcher()
        for name in facet_fields:
            self._shared.values(self._exact(name))
        for spec in sorts:
            self._shared.sort_key(spec)

    def _parse(self, query_string: str, filter_query: bool = False):
        """The Whoosh query for a haystack query string (cached: parsing costs about a millisecond)."""
        key = (query_string, filter_query)
        if key not in self._parsed:
            if len(self._parsed) >= CACHE_SIZE:
                self._parsed.clear()
            if not query_string or query_string.strip() == "*":
                query = Every()
            elif filter_query:
                query = self.filter_parser.parse(query_string)
            else:
                query = self.parser.parse(query_string)
            self._parsed[key] = query
        return self._parsed[key]

    @log_query
    def search(
        self,
        query_string,
        sort_by=None,
        start_offset=0,
        end_offset=None,
        fields="",
        highlight=False,
        facets=None,
        date_facets=None,
        query_facets=None,
        narrow_queries=None,
        spelling_query=None,
        within=None,
        dwithin=None,
        distance_point=None,
        models=None,
        limit_to_registered_models=None,
        result_class=None,
        **kwargs,
    ):
        if not self.setup_complete:
            self.setup()
        if date_facets or query_facets:
            raise SearchBackendError("Date and query facets are not supported; facet on a field.")
        self.searcher()
        query = self._parse(str(query_string))
        filters = [self._parse(str(nq), filter_query=True) for nq in sorted(narrow_queries or ())]
        response = self._run(
            query, filters, sort_by, start_offset, end_offset, facets, highlight, result_class
        )
        if spelling_query:
            response["spelling_suggestion"] = self.create_spelling_suggestion(spelling_query)
        return response

    def _run(self, query, filters, sort_by, start, end, facets, highlight, result_class) -> dict:
        """Match, count, facet, sort and page in one pass over bitsets; load only the shown hits.

        All of it on one searcher: a later one (the index changed meanwhile) numbers documents
        differently.
        """
        searcher, shared = self.searcher(), self._shared
        matched = shared.docset(query, *filters)
        total = matched.bit_count()
        start = max(start or 0, 0)
        limit = total if end is None else min(max(end, start), total)
        if limit <= start:
            page = []
        elif sort_by or isinstance(query, Every):
            page = [(docnum, 0.0) for docnum in shared.ordered(matched, sort_by or (), limit)[start:]]
        else:
            page = self._ranked(shared, query, matched, limit)[start:]
        terms = self._highlight_terms(query, shared.reader) if highlight else None
        result_class = result_class or SearchResult
        return {
            "results": [self._result(searcher, docnum, score, result_class, terms) for docnum, score in page],
            "hits": total,
            "facets": {
                "fields": {name: shared.counts(self._exact(name), matched) for name in facets or ()},
                "dates": {},
                "queries": {},
            },
            "spelling_suggestion": None,
        }

    def _ranked(self, shared: _SearcherData, query, matched: int, limit: int) -> list[tuple[int, float]]:
        """The best ``limit`` matched documents by relevance, with their scores.

        Only the parts of the query on text fields are scored; filters, exclusions and ranges are
        applied as the set of matched documents (a filter inside the scored query would stop
        Whoosh from skipping blocks that cannot make the top). Within each block of ``RERANK``
        hits, those holding the query's words as a phrase come first: fixed blocks keep the order
        the same whatever page is asked for, so paging shows each hit once.
        """
        searcher = shared.searcher
        parts = query.subqueries if isinstance(query, And) else [query]
        scored = [part for part in parts if not isinstance(part, Not) and self._text_fields & _fields(part)]
        if not scored:
            return [(docnum, 0.0) for docnum in shared.ordered(matched, (), limit)]
        scoring = scored[0] if len(scored) == 1 else And(scored)
        candidates = shared.docset(scoring)
        window = -(-limit // RERANK) * RERANK
        if candidates == matched:
            ranked = [(docnum, score) for score, docnum in searcher.search(scoring, limit=window).top_n]
        elif matched.bit_count() * SPARSE_FILTER < candidates.bit_count():
            ranked = _score_at(searcher, scoring, shared.docnums(matched), window)
        else:
            allow = set(shared.docnums(matched))
            hits = searcher.search(scoring, limit=window, filter=allow)
            ranked = [(docnum, score) for score, docnum in hits.top_n]
        phrase = _phrase(scored)
        if phrase is not None:
            with_phrase = _matching(searcher, phrase, [docnum for docnum, _ in ranked])
            blocks = [ranked[i : i + RERANK] for i in range(0, len(ranked), RERANK)]
            ranked = [hit for block in blocks for hit in sorted(block, key=lambda h: h[0] not in with_phrase)]
        return ranked[:limit]

    def more_like_this(
        self,
        model_instance,
        additional_query_string=None,
        start_offset=0,
        end_offset=None,
        models=None,
        limit_to_registered_models=None,
        result_class=None,
        **kwargs,
    ):
        """Documents sharing the key terms of this one's headline and body, within any filters.

        Only the requested window (``end_offset`` from :class:`NewsWhooshQuery`) is scored to the
        top and built: an article page shows a few, and every document sharing a word matches.
        Nothing of it enters the searcher's caches (each article's query is asked once).
        ``hits`` is the number of results returned, not of every matching document.
        """
        if not self.setup_complete:
            self.setup()
        searcher = self.searcher()
        identifier = get_identifier(model_instance)
        docnum = searcher.document_number(**{ID: identifier})
        if docnum is None:
            return {"results": [], "hits": 0}
        stored = searcher.stored_fields(docnum)
        text = "\n".join(str(stored.get(name) or "") for name in ("headline", "body"))
        field = self.content_field_name
        key_terms = searcher.key_terms_from_text(field, text, numterms=MORE_LIKE_THIS_TERMS)
        start = max(start_offset or 0, 0)
        end = MORE_LIKE_THIS_LIMIT if end_offset is None else min(end_offset, MORE_LIKE_THIS_LIMIT)
        if not key_terms or end <= start:
            return {"results": [], "hits": 0}
        similar = Or([Term(field, word, boost=weight) for word, weight in key_terms])
        allow, exclude = None, {docnum}
        if additional_query_string and additional_query_string.strip() != "*":
            query = self.filter_parser.parse(str(additional_query_string))  # one article's: not cached
            for part in query.subqueries if isinstance(query, And) else (query,):
                if isinstance(part, Not):  # an exclusion: its few documents, not all the others
                    exclude.update(part.query.docs(searcher))
                else:
                    docs = set(part.docs(searcher))
                    allow = docs if allow is None else allow & docs
        hits = searcher.search(similar, limit=end, filter=allow, mask=exclude, terms=False)
        page = [(docnum, score) for score, docnum in hits.top_n][start:end]
        results = [self._result(searcher, d, score, result_class or SearchResult, None) for d, score in page]
        return {"results": results, "hits": len(results)}

    def create_spelling_suggestion(self, query_string: str) -> str | None:
        """The words of ``query_string`` with the misspelled ones corrected; None when none is."""
        if not self.setup_complete:
            self.setup()
        self.searcher()
        field = self.content_field_name
        spell_field = self.schema[field].spelling_fieldname(field)
        if spell_field == field:  # no unstemmed word list in this index
            return None
        words = _WORD.findall(query_string)
        corrected = [self._shared.correction(spell_field, self.schema[field].analyzer, w) for w in words]
        if not any(corrected):
            return None
        return " ".join(better or word for word, better in zip(words, corrected, strict=True))

    def _exact(self, fieldname: str) -> str:
        exact = f"{fieldname}_exact"
        return exact if exact in self.schema else fieldname

    def _marker(self) -> _Marker:
        if self._markers is None:
            self._markers = _Marker(self.schema[self.content_field_name].analyzer)
        return self._markers

    def _highlight_terms(self, query, reader) -> dict[str, frozenset[str]]:
        """The words to mark: the query's (not excluded) terms, per field, prefixes expanded."""
        return {
            "body": _positive_terms(query, reader, self.content_field_name),
            "headline": _positive_terms(query, reader, "headline"),
        }

    def _result(self, searcher, docnum: int, score: float, result_class, terms) -> SearchResult:
        stored = dict(searcher.stored_fields(docnum))
        app_label, model_name = stored.pop(DJANGO_CT).split(".")
        pk = stored.pop(DJANGO_ID)
        stored = {
            key: value if isinstance(value, list) else self._to_python(value) for key, value in stored.items()
        }
        if terms is not None:
            # Snippets come from the stored body; the headline is highlighted whole.
            marker = self._marker()
            stored["highlighted"] = {
                "body": [marker.snippet(stored.get("body") or "", terms["body"])],
                "headline": [marker.whole(stored.get("headline") or "", terms["headline"])],
            }
        return result_class(app_label, model_name, pk, score, **stored)


class BulkWriter:
    """New documents for a bulk load, written by both cores while the caller keeps working.

    Nothing is visible to searches until :meth:`commit`; :meth:`cancel` discards it all.
    Unlike Whoosh's own parallel writer, which writes each process's one segment at commit,
    this one's processes write a segment whenever their memory is full, as they go
    (:class:`_SegmentingWriter`): the commit only has the last ones left to write.
    """

    def __init__(self, backend: NewsWhooshBackend, writer) -> None:
        self.backend, self.writer = backend, writer

    def add(self, index, objects: Iterable) -> None:
        for doc in self.backend._documents(index, objects):
            self.writer.add_document(**doc)

    def commit(self) -> None:
        _commit(self.writer)

    def cancel(self) -> None:
        _cancel(self.writer)


def _merge_point(segments: list, most: float = math.inf) -> int:
    """How many of the smallest segments Whoosh's merge policy (``writing.MERGE_SMALL``) merges
    (0: none), when they hold at most ``most`` documents (else 0)."""
    total = 0
    for i, count in enumerate(sorted(segment.doc_count_all() for segment in segments)):
        total += count
        if total > most:
            return 0
        if i > 3 and total < fib(i + 5):
            return i + 1
    return 0


def _merge_small(writer, segments: list) -> list:
    """A web request's merge policy: Whoosh's, when its merge holds at most ``BOUNDED_MERGE``
    documents; else none (left to :meth:`NewsWhooshBackend.merge_segments`). Returns the
    segments kept as they are."""
    merged = _merge_point(segments, BOUNDED_MERGE)
    if not merged:
        return segments
    ordered = sorted(segments, key=lambda segment: segment.doc_count_all())
    for segment in ordered[:merged]:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return ordered[merged:]


def _commit(writer, **kwargs) -> None:
    """Commit, or cancel when the commit fails or is interrupted (its processes stopped, the lock
    released)."""
    try:
        writer.commit(**kwargs)
    except BaseException:
        _cancel(writer)
        raise


def _cancel(writer) -> None:
    """Discard what a writer wrote (nothing when it has already finished). Whoosh's parallel writer
    cannot reach its processes on cancel (it sets a flag on the parent's copy of them): they would
    wait for work forever and keep the program from exiting. They are killed here, first (the
    cancel deletes the job files they read); their unfinished segment files are not in the index.
    SIGKILL, not SIGTERM: a process forked a moment ago still has its parent's Python handlers
    (until :func:`_detach_from_parent`), and a web worker's handler ignores SIGTERM.
    A one-process writer has none."""
    for task in getattr(writer, "tasks", ()):
        task.kill()
        task.join()
    if not writer.is_closed:
        writer.cancel()


# prctl(2): the signal a process gets when the thread that started it ends (Linux).
PR_SET_PDEATHSIG = 1


def _detach_from_parent() -> None:
    """First thing in a writer process, forked from the process that writes the index.

    It keeps none of the parent's Python signal handlers: a handler that ignores SIGTERM (a web
    server worker's) would make it unstoppable, one that raises (a command's) would run the
    parent's clean-up in it; Ctrl-C and SIGTERM simply end it. And it dies with its parent, however
    the parent ends (on Linux): an orphan would keep the index's lock (and the parent's files and
    sockets) open.
    """
    for signum in signal.valid_signals():
        if callable(signal.getsignal(signum)):
            signal.signal(signum, signal.SIG_DFL)
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != multiprocessing.parent_process().pid:  # it died before that
            os._exit(1)


class _Task(SubWriterTask):
    """Whoosh's writer process, detached from its parent's signal handling (:func:`_detach_from_parent`)."""

    def run(self):
        _detach_from_parent()
        super().run()


class _LockReleasing:
    """A Whoosh writer that lets go of the index's lock when it cannot be made: Whoosh's takes
    the lock, then creates its files, and keeps the lock when that fails (a full disk), so every
    later writer in the process waited ``LOCK_TIMEOUT`` and failed."""

    def __init__(self, ix, **kwargs):
        try:
            super().__init__(ix, **kwargs)
        except BaseException:
            lock = getattr(self, "writelock", None)
            if lock is not None and lock.locked:
                lock.release()
            raise


class _ParallelWriter(_LockReleasing, MpWriter):
    """Whoosh's parallel writer, with processes of ``task_class``."""

    task_class = _Task

    def _new_task(self):
        task = self.task_class(
            self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, self.multisegment
        )
        self.tasks.append(task)
        task.start()
        return task


class _SegmentWriter(_LockReleasing, writing.SegmentWriter):
    """Whoosh's segment writer, but it asks once per field whether the field has lengths.

    Writing a segment, Whoosh looks up the field length of every posting; for a field without
    lengths (ids, keywords) that is a file system call each time. (And it lets go of the lock when
    it cannot be made.)
    """

    def per_document_reader(self):
        reader = super().per_document_reader()
        reader.has_column = functools.cache(reader.has_column)
        return reader


class _SegmentTask(_Task):
    """A writer process: indexes the job files it is handed, closing its segment and starting
    another when the segment's postings fill its memory. Told to finish (``None``) it returns
    its segments. (Cancelled, it is stopped: see :func:`_cancel`.)"""

    def run(self):
        _detach_from_parent()
        ix = self.storage.open_index(self.indexname)
        segments = []
        writer = self.writer = _SegmentWriter(ix, _lk=False, **self.kwargs)
        while (job := self.jobqueue.get()) is not None:
            self._process_file(*job)
            if writer.pool.currentsize >= SEGMENT_FULL * writer.pool.limit or writer.pool.runs:
                segments.append(writer._finalize_segment())
                writer = self.writer = _SegmentWriter(ix, _lk=False, **self.kwargs)
        if writer.docnum:
            segments.append(writer._finalize_segment())
        else:
            writer._close_segment()
        self.resultqueue.put(segments)


def _check_alive(tasks: list[SubWriterTask]) -> None:
    if any(task.exitcode for task in tasks):
        raise writing.IndexingError("A bulk indexing process failed.")


class _JobQueue:
    """The writer processes' job queue; a put fails once a process has died, instead of waiting
    for ever for room in the queue."""

    def __init__(self, jobs, tasks: list[SubWriterTask]) -> None:
        self.jobs, self.tasks = jobs, tasks

    def get(self):
        return self.jobs.get()

    def put(self, job) -> None:
        while True:
            try:
                return self.jobs.put(job, timeout=1)
            except queue.Full:
                _check_alive(self.tasks)


class _SegmentingWriter(_ParallelWriter):
    """Whoosh's parallel writer, with :class:`_SegmentTask` processes.

    Whoosh keeps a segment's postings in memory until the segment is written, spills them to
    sorted runs on disk beyond ``limitmb`` and merges those when it writes the segment: for a
    large segment that costs more than the indexing itself, all of it at commit. Here a segment
    is written when the memory is full instead, while the documents still come; a large load
    gives more segments than Whoosh's (one per process), each written from memory.
    """

    task_class = _SegmentTask

    def __init__(self, ix, **kwargs):
        super().__init__(ix, multisegment=True, **kwargs)
        self.jobqueue = _JobQueue(self.jobqueue, self.tasks)

    def _commit(self, mergetype, optimize, merge):
        try:
            if self.docbuffer:
                self._enqueue()
            for _ in self.tasks:
                self.jobqueue.put(None)
            segments = self._merge_segments(mergetype, optimize, merge)
            segments += self._finished_segments()
        except writing.IndexingError:
            _cancel(self)
            raise
        if self._added:
            segments.append(self._finalize_segment())
        else:
            self._close_segment()
        self._commit_toc(segments)
        self._finish()

    def _finished_segments(self) -> list:
        """The segments of all the processes, once each has finished (Whoosh's own writer waits
        for them one second, then commits without the documents of a process that died)."""
        segments, finished = [], 0
        while finished < len(self.tasks):
            try:
                segments += self.resultqueue.get(timeout=1)
                finished += 1
            except queue.Empty:
                _check_alive(self.tasks)
        for task in self.tasks:
            task.join()
        return segments


@dataclasses.dataclass
class Drift:
    """How the index differs from the database, as lists of ids (as strings)."""

    missing: list[str] = dataclasses.field(default_factory=list)  # should be indexed, is not
    stale: list[str] = dataclasses.field(default_factory=list)  # indexed, but not as it is now
    ghosts: list[str] = dataclasses.field(default_factory=list)  # indexed, should not be

    def __bool__(self) -> bool:
        return bool(self.missing or self.stale or self.ghosts)


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


_WORD = re.compile(r"\w+(?:[.'’]\w+)*")
# Bit n of a byte, for each byte value: turning bitsets back into document numbers.
_BITS = [tuple(bit for bit in range(8) if value >> bit & 1) for value in range(256)]


def _open_searcher(index):
    """A searcher whose files stay readable whatever commits come after it opened.

    Whoosh opens a non-compound segment's column files (stored fields, field lengths, sort
    values) when a search first needs them, and a commit that merges segments (any commit may)
    deletes the merged ones' files. A search in another process, on a searcher opened before
    that commit, would then find them gone: its stored fields fail with a ``TypeError``, its
    sort values and lengths silently read as missing. An open file outlives its deletion, so
    every column file is opened here, and each segment answers ``has_column`` from the files
    it had. A commit between reading the index's table of contents and opening the files may
    already have deleted some: then the searcher is not up to date, and it is opened again.
    """
    for _ in range(OPEN_ATTEMPTS):
        searcher = index.searcher()
        segments = [
            reader
            for reader, _ in searcher.reader().leaf_readers()
            if isinstance(reader, SegmentReader) and not reader.segment().is_compound()
        ]
        if not segments:  # an empty index, or compound segments (each one file, opened already)
            return searcher
        try:
            _hold_columns(segments, set(index.storage.list()))
            if searcher.up_to_date():
                return searcher
        except FileNotFoundError:  # deleted between listing and opening: a commit came meanwhile
            pass
        searcher.close()
    raise SearchBackendError(f"The index changed {OPEN_ATTEMPTS} times while a searcher was opened.")


def _hold_columns(segments: list[SegmentReader], files: set[str]) -> None:
    """Open the column files ``files`` holds for each segment (Whoosh 2.7's own per-document reader)."""
    for reader in segments:
        perdoc = reader._perdoc
        prefix = reader.segment().make_filename(".")
        columns = {
            name[len(prefix) : -len(W3Codec.COLUMN_EXT)]
            for name in files
            if name.startswith(prefix) and name.endswith(W3Codec.COLUMN_EXT)
        }
        for column in columns:
            perdoc._colfiles[column] = perdoc._get_column_file(column)
        perdoc.has_column = columns.__contains__


class _SearcherData:
    """What every query on one searcher shares, built once per searcher (i.e. per index version).

    Document sets are Python ints used as bitsets (bit n = document n): intersecting and counting
    them (``&``, ``int.bit_count``) takes microseconds, where Whoosh's own faceting re-reads every
    document's values on every query. Facet values are bitsets read from the postings once; each
    query part's matches (a word, a filter) are cached, so filters and facets re-use them.
    """

    def __init__(self, searcher) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.size = self.reader.doc_count_all()
        self._values: dict[str, dict[str, int]] = {}
        self._sort_keys: dict[str, list] = {}
        self._docsets: dict = {}

    def bitset(self, docnums: Iterable[int]) -> int:
        marks = bytearray((self.size >> 3) + 1)
        for docnum in docnums:
            marks[docnum >> 3] |= 1 << (docnum & 7)
        return int.from_bytes(marks, "little")

    @staticmethod
    def docnums(bits: int) -> list[int]:
        """The document numbers in a bitset, ascending."""
        found = []
        for i, byte in enumerate(bits.to_bytes((bits.bit_length() + 7) // 8, "little")):
            if byte:
                base = i << 3
                found.extend(base + bit for bit in _BITS[byte])
        return found

    def docset(self, *queries) -> int:
        """The documents matching every query; each part of an ``And`` is matched (and cached) alone."""
        matched = None
        for query in queries:
            for part in query.subqueries if isinstance(query, And) else (query,):
                bits = self._docsets.get(part)
                if bits is None:
                    if len(self._docsets) >= CACHE_SIZE:
                        self._docsets.clear()
                    bits = self._docsets[part] = self.bitset(part.docs(self.searcher))
                matched = bits if matched is None else matched & bits
        return matched if matched is not None else 0

    def values(self, fieldname: str) -> dict[str, int]:
        """Each value of a whole-value field, with the bitset of the documents that have it."""
        if fieldname not in self._values:
            self._values[fieldname] = {
                value: self.bitset(self.reader.postings(fieldname, value).all_ids())
                for value in self.reader.field_terms(fieldname)
                if value
            }
        return self._values[fieldname]

    def counts(self, fieldname: str, matched: int) -> list[tuple[str, int]]:
        """Exact counts of the field's values among the matched documents, most frequent first."""
        counts = ((value, (bits & matched).bit_count()) for value, bits in self.values(fieldname).items())
        return sorted(((v, n) for v, n in counts if n), key=lambda item: (-item[1], item[0]))

    def sort_key(self, spec: str) -> list:
        """Per document, its key for ``spec`` (``name`` or ``-name``); documents without a value last."""
        if spec not in self._sort_keys:
            name = spec.lstrip("-")
            sign = -1 if spec.startswith("-") else 1
            schema = self.reader.schema
            if name not in schema or not schema[name].column_type:
                raise SearchBackendError(f"Cannot sort on {name!r}: it is not a sortable field.")
            if not self.reader.has_column(name):  # no document has a value yet: none of them
                self._sort_keys[spec] = [math.inf] * self.size
                return self._sort_keys[spec]
            values = self.reader.column_reader(name, translate=False)
            known_name = f"{name}{KNOWN_SUFFIX}"
            known = self.reader.column_reader(known_name) if self.reader.has_column(known_name) else None
            self._sort_keys[spec] = [
                sign * values[d] if known is None or known[d] else math.inf for d in range(self.size)
            ]
        return self._sort_keys[spec]

    def ordered(self, matched: int, sort_by, limit: int) -> list[int]:
        """The first ``limit`` matched documents in ``sort_by`` order (index order when empty)."""
        docs = self.docnums(matched)
        if not sort_by:
            return docs[:limit]
        keys = [self.sort_key(spec) for spec in sort_by]
        if len(keys) == 1:
            return heapq.nsmallest(limit, docs, key=keys[0].__getitem__)
        return heapq.nsmallest(limit, docs, key=lambda d: tuple(key[d] for key in keys))

    def correction(self, spell_field: str, analyzer, word: str) -> str | None:
        """A much more frequent word an edit or two from a rare or unknown ``word``, or None."""
        normal = [token.text for token in analyzer(word, no_morph=True)]
        if len(normal) != 1 or not normal[0].isalpha():
            return None
        word = normal[0]
        known = self.reader.doc_frequency(spell_field, word)
        if known >= RARE_WORD or len(word) < CORRECT_FROM:
            return None
        for maxdist in (1, 2) if len(word) >= TWO_EDITS_FROM else (1,):
            candidates = {
                candidate
                for leaf, _ in self.searcher.leaf_searchers()
                for candidate in leaf.reader().terms_within(spell_field, word, maxdist, prefix=1)
            } - {word}
            if candidates:
                best = max(sorted(candidates), key=lambda c: self.reader.doc_frequency(spell_field, c))
                if self.reader.doc_frequency(spell_field, best) >= max(1, known * RARE_RATIO):
                    return best
        return None


class WHOLE(WHOOSH_ID):
    """Whole values, each one term whatever characters it holds (commas, quotes, colons,
    parentheses); a document may have several (a list, stored as one).

    A query string names a value as :func:`whole_value_token` writes it, which the query parser
    reads as one plain word and hands back here; any other word is taken literally.
    """

    def index(self, value, **kwargs):
        values = value if isinstance(value, list | tuple) else [value]
        for text in sorted(set(values)):
            yield text.encode("utf-8"), 1, 1.0, b""

    def self_parsing(self) -> bool:
        return True

    def parse_query(self, fieldname, qstring, boost=1.0):
        if qstring.startswith(_WHOLE_PREFIX):
            with contextlib.suppress(ValueError):  # not one of ours: the word as written
                qstring = bytes.fromhex(qstring[len(_WHOLE_PREFIX) :]).decode("utf-8")
        return Term(fieldname, qstring, boost=boost)


_WHOLE_PREFIX = "whole"


def whole_value_token(value: str) -> str:
    """``value`` as one word of letters and digits, for a query string on a :class:`WHOLE` field."""
    return _WHOLE_PREFIX + value.encode("utf-8").hex()


class NewsWhooshQuery(WhooshSearchQuery):
    """Haystack's Whoosh query: whole-value filters (``topics_exact="Peace, security"``,
    ``outlet_exact__in=[...]``) name each value as one word (:func:`whole_value_token`), where
    haystack quotes them (a comma made the quoted value a phrase, a quote ended it); and
    "more like this" asks for the window sliced, not every match."""

    def build_query_fragment(self, field, filter_type, value):
        if field != "content" and filter_type in ("content", "exact", "in"):
            fieldname = connections[self._using].get_unified_index().get_index_fieldname(field)
            if not self.backend.setup_complete:
                self.backend.setup()
            schema = self.backend.schema
            raw = getattr(value, "query_string", value)
            values = list(raw) if filter_type == "in" else [raw]
            if values and fieldname in schema and isinstance(schema[fieldname], WHOLE):
                return f"{fieldname}:({' OR '.join(whole_value_token(str(v)) for v in values)})"
        return super().build_query_fragment(field, filter_type, value)

    def run_mlt(self, **kwargs):
        kwargs.setdefault("start_offset", self.start_offset)
        kwargs.setdefault("end_offset", self.end_offset)
        super().run_mlt(**kwargs)


class NewsWhooshEngine(WhooshEngine):
    backend = NewsWhooshBackend
    query = NewsWhooshQuery
