"""The haystack backend, engine and query class for Whoosh (see the package's docstring)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Iterator, Sized
from pathlib import Path

from haystack import connections
from haystack.backends import log_query
from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend, WhooshSearchQuery
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SearchBackendError, SkipDocument
from haystack.models import SearchResult
from haystack.utils import get_identifier
from whoosh import writing as whoosh_writing
from whoosh.fields import TEXT
from whoosh.index import LockError
from whoosh.qparser import AndGroup, MultifieldParser
from whoosh.query import And, Every, Not, Or, Term

from . import merging, similar, spelling, writing
from .highlight import _Marker, _positive_terms
from .ranking import ranked
from .schema import KNOWN_SUFFIX, WHOLE, build_schema, whole_value_token
from .searcher import CACHE_SIZE, OPEN_ATTEMPTS, _open_searcher, _SearcherData
from .writing import BulkWriter, _cancel, _commit, merge_small

# Key terms a "more like this" query is built from, and the most similar documents it returns.
MORE_LIKE_THIS_TERMS = 12
MORE_LIKE_THIS_LIMIT = 100
# Characters of the body (after the headline) its key terms are taken from: most news copy whole.
MORE_LIKE_THIS_TEXT = 4000
# Related-article lists kept per searcher (a few hundred bytes each for an article page's five).
RELATED_HELD = 2000

_WORD = re.compile(r"\w+(?:[.'’]\w+)*")


class NewsWhooshBackend(WhooshSearchBackend):
    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        # Memory of each bulk-load writer process (``BULK_WRITER_MB``): more gives fewer, larger
        # segments (searches after a big load are a little faster), less keeps the load small.
        self.bulk_writer_mb = int(connection_options.get("BULK_WRITER_MB") or writing.BULK_WRITER_MB)

    def build_schema(self, fields):
        return build_schema(fields)

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
        # Stored values read back as Python values: only the fields that are not text. Haystack's
        # ``_to_python`` tries a date and ``json.loads`` on any string: a headline "1987" came back
        # as a number, and it was a quarter of an export's time.
        fields = connections[self.connection_alias].get_unified_index().all_searchfields()
        self._typed_fields = {name for name, field in fields.items() if field.field_type != "string"}

    # -- writing -----------------------------------------------------------
    # One writer at a time holds the index's lock. ``articles.search.indexing`` queues changes
    # in the database and applies them through ``sync``, which never waits when asked not to.

    def _writer(self, procs: int = 1, wait: bool = True):
        """A writer on the index (:func:`writing.open_writer`)."""
        return writing.open_writer(self.index, procs=procs, wait=wait)

    def lock_holders(self) -> list[str]:
        """The processes that have the index's write lock open (:func:`writing.lock_holders`)."""
        if not self.use_file_storage:
            return []
        if not self.setup_complete:
            self.setup()
        return writing.lock_holders(Path(self.path, f"{self.index.indexname}_WRITELOCK"))

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
        self,
        index,
        objects: Sized,
        remove: Iterable[str],
        wait: bool = True,
        bounded: bool = False,
    ) -> bool:
        """(Re)index ``objects`` and delete the documents ``remove`` names, in one commit.

        ``remove`` is read after ``objects`` (so it may depend on what they turned out to be).
        Returns False, having changed nothing, when ``wait`` is False and the writer is busy.
        ``bounded`` (a web request): one process writes; otherwise a large sync uses both cores.
        The commit merges tiny segments only (:func:`writing.merge_small`); :meth:`merge_segments`
        does the rest beside the index.
        """
        if not self.setup_complete:
            self.setup()
        procs = 2 if not bounded and len(objects) >= writing.PARALLEL_THRESHOLD else 1
        try:
            writer = self._writer(procs=procs, wait=wait)
        except LockError:
            if wait:
                raise
            return False
        try:
            writing.replace_documents(writer, self._documents(index, objects), remove)
        except BaseException:
            _cancel(writer)
            raise
        _commit(writer, mergetype=merge_small)
        return True

    def bulk_writer(self, wait: bool = False) -> BulkWriter | None:
        """A parallel writer for a bulk load of new documents, or None when another holds the lock
        (for over ``writing.BULK_LOCK_WAIT`` when ``wait``)."""
        if not self.setup_complete:
            self.setup()
        try:
            writer = writing.open_bulk_writer(self.index, limitmb=self.bulk_writer_mb, wait=wait)
        except LockError:
            return None
        return BulkWriter(self, writer)

    def bulk_load_lock(self):
        """The lock a bulk load holds while it runs (see ``indexing.Pipeline``)."""
        if not self.setup_complete:
            self.setup()
        return self.index.lock("BULKLOAD")

    def bulk_load_running(self) -> bool:
        """Whether a bulk load (in any process) holds :meth:`bulk_load_lock`."""
        lock = self.bulk_load_lock()
        if lock.acquire(blocking=False):
            lock.release()
            return False
        return True

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
        self._writer().commit(mergetype=whoosh_writing.CLEAR)

    def rebuild(self, index, iterable, expected: int = 0) -> int:
        """Index everything afresh beside the live index; swap it in at commit. Returns the count.

        ``expected`` (how many documents are coming) decides whether to use both cores.
        """
        if not self.setup_complete:
            self.setup()
        # Both cores for a large rebuild; a small one is quicker (and fork-safe in threads) alone.
        writer = self._writer(procs=2 if expected >= writing.PARALLEL_THRESHOLD else 1)
        count = 0
        try:
            for doc in self._documents(index, iterable):
                writer.add_document(**doc)
                count += 1
        except BaseException:
            _cancel(writer)
            raise
        # CLEAR: the new segments replace every old one in a single atomic TOC write.
        _commit(writer, mergetype=whoosh_writing.CLEAR)
        return count

    def needs_merge(self) -> bool:
        """Whether the index has segments to merge (:func:`merging.plan`)."""
        index = self._on_disk()
        return index is not None and bool(merging.plan(index._segments()))

    def merge_segments(self, on_merged: Callable[[int], None] | None = None) -> int:
        """Merge the segments :func:`merging.plan` asks for, each written beside the index and put
        in place in a moment under the writer (:func:`merging.merge`); returns how many merges
        were made (``on_merged`` is told each one's documents)."""
        index = self._on_disk()
        return 0 if index is None else merging.merge(index, on_merged=on_merged)

    def _on_disk(self):
        """The index when it is in a folder (merges are staged in one beside it), else None."""
        if not self.use_file_storage:
            return None
        if not self.setup_complete:
            self.setup()
        return self.index

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
        """Open the searcher and build what searches share (facet bitsets, sort keys, the words
        spelling corrections are found among) now, not on a reader's first search (a web
        worker's start: ``gunicorn.conf.py``)."""
        if not self.setup_complete:
            self.setup()
        searcher = self.searcher()
        field = self.content_field_name
        if (spell_field := self.schema[field].spelling_fieldname(field)) != field:
            spelling.keep_words(searcher, spell_field)
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
        page = self._ordered(shared, query, matched, sort_by, limit)[start:] if limit > start else []
        terms = self._highlight_terms(query, shared.reader) if highlight else None
        result_class = result_class or SearchResult
        return {
            "results": [self._result(searcher, docnum, score, result_class, terms) for docnum, score in page],
            "hits": total,
            "facets": {
                "fields": {
                    name: shared.counts(self._exact(name), matched, _facet_limit(facets, name))
                    for name in facets or ()
                },
                "dates": {},
                "queries": {},
            },
            "spelling_suggestion": None,
        }

    def iter_search(
        self, query_string, sort_by=None, narrow_queries=None, highlight=False, result_class=None, **kwargs
    ) -> Iterator[SearchResult]:
        """Every match of a search, in the order :meth:`search` gives them, built one at a time
        (an export's: :meth:`NewsWhooshQuery.iter_results`).

        The order is worked out once (document numbers and scores: a few MB for a large index),
        on one searcher that the iterator keeps, so a commit meanwhile changes nothing it gives;
        each result is read from its stored fields when it is taken.
        """
        if not self.setup_complete:
            self.setup()
        searcher, shared = self.searcher(), self._shared
        query = self._parse(str(query_string))
        filters = [self._parse(str(nq), filter_query=True) for nq in sorted(narrow_queries or ())]
        matched = shared.docset(query, *filters)
        total = matched.bit_count()
        terms = self._highlight_terms(query, shared.reader) if highlight else None
        for docnum, score in self._ordered(shared, query, matched, sort_by, total) if total else ():
            yield self._result(searcher, docnum, score, result_class or SearchResult, terms)

    def _ordered(
        self, shared: _SearcherData, query, matched: int, sort_by, limit: int
    ) -> list[tuple[int, float]]:
        """The first ``limit`` (at least one) matched documents in the search's order, with scores."""
        if sort_by or isinstance(query, Every):
            return [(docnum, 0.0) for docnum in shared.ordered(matched, sort_by or (), limit)]
        return self._ranked(shared, query, matched, limit)

    def _ranked(self, shared: _SearcherData, query, matched: int, limit: int) -> list[tuple[int, float]]:
        return ranked(shared, query, matched, limit, self._text_fields)

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
        The list is kept per searcher (:data:`RELATED_HELD` of them): a read article is read again,
        and its related articles change only with the index. ``hits`` is the number of results
        returned, not of every matching document.
        """
        if not self.setup_complete:
            self.setup()
        searcher = self.searcher()
        identifier = get_identifier(model_instance)
        docnum = searcher.document_number(**{ID: identifier})
        if docnum is None:
            return {"results": [], "hits": 0}
        start = max(start_offset or 0, 0)
        end = MORE_LIKE_THIS_LIMIT if end_offset is None else min(end_offset, MORE_LIKE_THIS_LIMIT)
        if end <= start:
            return {"results": [], "hits": 0}
        shared = self._shared
        key = (docnum, additional_query_string, end)
        best = shared.related.get(key)
        if best is None:
            if len(shared.related) >= RELATED_HELD:
                shared.related.clear()
            best = shared.related[key] = self._most_like(searcher, docnum, additional_query_string, end)
        page = best[start:end]
        results = [self._result(searcher, d, score, result_class or SearchResult, None) for d, score in page]
        return {"results": results, "hits": len(results)}

    def _most_like(self, searcher, docnum: int, additional_query_string, end: int) -> list[tuple[int, float]]:
        """The ``end`` documents most like document ``docnum`` within the filters: [(docnum, score)]."""
        stored = searcher.stored_fields(docnum)
        # The headline and the body's beginning: a news story says what it is about first, and
        # analysing a long body word by word was most of a long article's page time.
        text = f"{stored.get('headline') or ''}\n{str(stored.get('body') or '')[:MORE_LIKE_THIS_TEXT]}"
        field = self.content_field_name
        shared = self._shared
        words = similar.key_terms(shared, field, text, MORE_LIKE_THIS_TERMS)
        if not words:
            return []
        terms = [Term(field, word, boost=weight) for word, weight in words]
        allow, exclude = None, {docnum}
        if additional_query_string and additional_query_string.strip() != "*":
            query = self.filter_parser.parse(str(additional_query_string))  # one article's: not cached
            for part in query.subqueries if isinstance(query, And) else (query,):
                if isinstance(part, Not):  # an exclusion: its few documents, not all the others
                    exclude.update(part.query.docs(searcher))
                else:
                    docs = set(part.docs(searcher))
                    allow = docs if allow is None else allow & docs
        best = similar.most_like(shared, terms, end, allow, exclude)
        if best is None:  # scored by Whoosh
            hits = searcher.search(Or(terms), limit=end, filter=allow, mask=exclude, terms=False)
            best = [(docnum, score) for score, docnum in hits.top_n]
        return best

    def create_spelling_suggestion(self, query_string: str) -> str | None:
        """The words of ``query_string`` with the misspelled ones corrected; None when none is."""
        if not self.setup_complete:
            self.setup()
        searcher = self.searcher()
        field = self.content_field_name
        spell_field = self.schema[field].spelling_fieldname(field)
        if spell_field == field:  # no unstemmed word list in this index
            return None
        words = _WORD.findall(query_string)
        analyzer = self.schema[field].analyzer
        corrected = [spelling.correction(searcher, spell_field, analyzer, word) for word in words]
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
            key: self._to_python(value) if key in self._typed_fields else value
            for key, value in stored.items()
        }
        if terms is not None:
            # Snippets come from the stored body; the headline is highlighted whole.
            marker = self._marker()
            stored["highlighted"] = {
                "body": [marker.snippet(stored.get("body") or "", terms["body"])],
                "headline": [marker.whole(stored.get("headline") or "", terms["headline"])],
            }
        return result_class(app_label, model_name, pk, score, **stored)


@dataclasses.dataclass
class Drift:
    """How the index differs from the database, as lists of ids (as strings)."""

    missing: list[str] = dataclasses.field(default_factory=list)  # should be indexed, is not
    stale: list[str] = dataclasses.field(default_factory=list)  # indexed, but not as it is now
    ghosts: list[str] = dataclasses.field(default_factory=list)  # indexed, should not be

    def __bool__(self) -> bool:
        return bool(self.missing or self.stale or self.ghosts)


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

    def iter_results(self) -> Iterator[SearchResult]:
        """Every result of this query, in order, one at a time (:meth:`NewsWhooshBackend.iter_search`)."""
        return self.backend.iter_search(self.build_query(), **self.build_params())

    def run_mlt(self, **kwargs):
        kwargs.setdefault("start_offset", self.start_offset)
        kwargs.setdefault("end_offset", self.end_offset)
        super().run_mlt(**kwargs)


class NewsWhooshEngine(WhooshEngine):
    backend = NewsWhooshBackend
    query = NewsWhooshQuery


def _facet_limit(facets, name: str) -> int | None:
    """The values a facet asks for at most (``sqs.facet(name, limit=100)``); None: every value."""
    options = facets.get(name) if isinstance(facets, dict) else None
    return (options or {}).get("limit")
