"""Everything that knows the search engine is Whoosh lives here.

A subclass of django-haystack's Whoosh backend that fixes the defects measured
on haystack 3.4.0 + Whoosh 2.7.4. The index definitions (``articles/search_indexes.py``)
and the views only speak haystack, so Solr or Elasticsearch run the same code
through haystack's own backends.

Fixed here:
- Facet fields are stored whole (``ID``/``KEYWORD``, not analysed), so a facet on
  ``outlet`` counts "New York Times", not ``new``, ``york``, ``time``.
- Any result window is served correctly: haystack asks Whoosh for page
  ``start // length``, which is wrong when ``start`` is not a multiple of the
  length (haystack #1664, #694).
- Text is accent-folded (``Zurich`` finds ``Zürich``) and dots/apostrophes inside
  words are dropped (``U.N.`` = ``UN``, ``Da'esh`` = ``Da’esh`` = ``Daesh``).
- Writers wait for the index lock (``LOCK_TIMEOUT``) and fail loudly instead of
  dropping deletes; segments are written non-compound (opening a searcher does
  not copy them into memory) and one searcher is reused until the index changes.
- ``rebuild()`` writes the new index beside the live one and swaps it in at
  commit: searches keep answering from the old index until then.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from haystack.backends import log_query
from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend
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
from whoosh.fields import DATETIME, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.fields import ID as WHOOSH_ID
from whoosh.highlight import ContextFragmenter, HtmlFormatter
from whoosh.qparser import AndGroup, MultifieldParser
from whoosh.query import Every
from whoosh.sorting import Count, FieldFacet, MultiFacet
from whoosh.support.charset import accent_map

# How long a writer waits for another process's writer before failing (seconds).
LOCK_TIMEOUT = 60.0
# A date field's companion column: 1 when the document has a date. Sorting on it first
# puts undated documents last (Whoosh sorts a missing value as the largest).
KNOWN_SUFFIX = "_known"
# Above this many documents in one update, index with both cores.
PARALLEL_THRESHOLD = 2000


class _DropInnerPunctuation(Filter):
    """``u.n`` -> ``un``, ``da'esh`` -> ``daesh``: abbreviations and apostrophes match either way."""

    _inner = re.compile(r"[.'’]")

    def __call__(self, tokens):
        for t in tokens:
            if "." in t.text or "'" in t.text or "’" in t.text:
                t.text = self._inner.sub("", t.text)
            yield t


def news_analyzer():
    """Words (keeping ``U.N.`` and ``Da’esh`` whole), lower-cased, accent-folded, stemmed."""
    return (
        RegexTokenizer(r"\w+(?:[.'’]\w+)*")
        | LowercaseFilter()
        | _DropInnerPunctuation()
        | CharsetFilter(accent_map)
        | StopFilter()
        | StemFilter(cachesize=-1)
    )


class NewsWhooshBackend(WhooshSearchBackend):
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
            if isinstance(field, FacetField):
                schema_fields[name] = (
                    KEYWORD(stored=True, commas=True, lowercase=False)
                    if field.is_multivalued
                    else WHOOSH_ID(stored=True, sortable=True)
                )
            elif not field.indexed:
                schema_fields[name] = STORED()
            elif field.is_multivalued:
                schema_fields[name] = KEYWORD(stored=True, commas=True, scorable=True)
            elif field.field_type in ("date", "datetime"):
                schema_fields[name] = DATETIME(stored=field.stored, sortable=True)
                schema_fields[f"{name}{KNOWN_SUFFIX}"] = NUMERIC(numtype=int, bits=8, sortable=True)
            elif field.field_type == "integer":
                schema_fields[name] = NUMERIC(stored=field.stored, numtype=int, sortable=True)
            else:
                # The document field is searched, never shown: not stored.
                schema_fields[name] = TEXT(
                    stored=not field.document, analyzer=analyzer, field_boost=field.boost or 1.0
                )
            if field.document:
                content_field_name = name
        if not content_field_name:
            raise SearchBackendError("The search index needs a document=True field.")
        return content_field_name, Schema(**schema_fields)

    def setup(self):
        super().setup()
        text_fields = [name for name, ftype in self.schema.items() if isinstance(ftype, TEXT)]
        boosts = {name: self.schema[name].format.field_boost for name in text_fields}
        self.parser = MultifieldParser(text_fields, schema=self.schema, fieldboosts=boosts)
        self.filter_parser = MultifieldParser(text_fields, schema=self.schema, group=AndGroup)
        self._searcher = None
        self._known_fields = [
            name[: -len(KNOWN_SUFFIX)] for name in self.schema.names() if name.endswith(KNOWN_SUFFIX)
        ]

    # -- writing -----------------------------------------------------------

    def _writer(self, procs: int = 1):
        return self.index.writer(
            timeout=LOCK_TIMEOUT, procs=procs, limitmb=256, compound=False, multisegment=procs > 1
        )

    def _documents(self, index, iterable: Iterable) -> Iterable[dict]:
        for obj in iterable:
            try:
                doc = index.full_prepare(obj)
            except SkipDocument:
                continue
            doc.pop("boost", None)
            for name in self._known_fields:
                doc[f"{name}{KNOWN_SUFFIX}"] = int(doc.get(name) is not None)
            yield {key: self._from_python(value) for key, value in doc.items()}

    def update(self, index, iterable, commit=True):
        if not self.setup_complete:
            self.setup()
        if not len(iterable):
            return
        writer = self._writer(procs=2 if len(iterable) >= PARALLEL_THRESHOLD else 1)
        try:
            added = 0
            for doc in self._documents(index, iterable):
                writer.update_document(**doc)
                added += 1
        except BaseException:
            writer.cancel()
            raise
        if added:
            writer.commit()
        else:
            writer.cancel()

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

    def rebuild(self, index, iterable) -> int:
        """Index everything afresh beside the live index; swap it in at commit. Returns the count."""
        if not self.setup_complete:
            self.setup()
        writer = self._writer(procs=2)
        count = 0
        try:
            for doc in self._documents(index, iterable):
                writer.add_document(**doc)
                count += 1
        except BaseException:
            writer.cancel()
            raise
        # CLEAR: the new segments replace every old one in a single atomic TOC write.
        writer.commit(mergetype=writing.CLEAR)
        return count

    # -- searching ---------------------------------------------------------

    def searcher(self):
        """One searcher per backend (per thread), reopened only when the index changed."""
        if self._searcher is None:
            self._searcher = self.index.searcher()
        elif not self._searcher.up_to_date():
            self._searcher.close()
            self._searcher = self.index.searcher()
        return self._searcher

    def _parse(self, query_string: str):
        if not query_string or query_string.strip() == "*":
            return Every()
        return self.parser.parse(query_string)

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
        start = max(start_offset or 0, 0)
        searcher = self.searcher()
        query = self._parse(str(query_string))
        limit = None if end_offset is None else max(end_offset, start + 1)
        search_kwargs = {"limit": limit, "terms": bool(highlight)}
        if narrow_queries:
            filter_query = self.filter_parser.parse(" AND ".join(f"({nq})" for nq in sorted(narrow_queries)))
            search_kwargs["filter"] = filter_query
        if sort_by:
            search_kwargs["sortedby"] = self._sort_facet(sort_by)
        if facets:
            # haystack names a facet by its field; count the field's whole-value ``_exact`` twin.
            search_kwargs["groupedby"] = {
                name: FieldFacet(
                    self._exact(name), allow_overlap=self._multivalued(self._exact(name)), maptype=Count
                )
                for name in facets
            }
        hits = searcher.search(query, **search_kwargs)
        results = [self._result(hit, result_class or SearchResult, highlight) for hit in hits[start:limit]]
        return {
            "results": results,
            "hits": len(hits),
            "facets": self._facets(hits, facets or ()),
            "spelling_suggestion": None,
        }

    def _sort_facet(self, sort_by) -> MultiFacet:
        """Each field in its own direction; documents without a date sort last either way."""
        facets = []
        for spec in sort_by:
            name = spec.lstrip("-")
            if name in self._known_fields:
                facets.append(FieldFacet(f"{name}{KNOWN_SUFFIX}", reverse=True))
            facets.append(FieldFacet(name, reverse=spec.startswith("-")))
        return MultiFacet(facets)

    def _exact(self, fieldname: str) -> str:
        exact = f"{fieldname}_exact"
        return exact if exact in self.schema else fieldname

    def _multivalued(self, fieldname: str) -> bool:
        return isinstance(self.schema[fieldname], KEYWORD)

    @staticmethod
    def _facets(hits, names) -> dict:
        fields = {}
        for name in names:
            counts = hits.groups(name)
            counts.pop(None, None)
            counts.pop("", None)  # documents without a value
            fields[name] = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        return {"fields": fields, "dates": {}, "queries": {}}

    def _result(self, hit, result_class, highlight) -> SearchResult:
        stored = dict(hit.fields())
        app_label, model_name = stored.pop(DJANGO_CT).split(".")
        pk = stored.pop(DJANGO_ID)
        stored = {key: self._to_python(value) for key, value in stored.items()}
        for name, value in list(stored.items()):
            if self._multivalued(name):
                stored[name] = value.split(",") if value else []
        if highlight:
            # Snippets come from the stored body; the headline is highlighted on its own.
            stored["highlighted"] = {
                "body": [self._highlight(hit, self.content_field_name, stored.get("body", ""))],
                "headline": [self._highlight(hit, "headline", stored.get("headline", ""))],
            }
        return result_class(app_label, model_name, pk, hit.score or 0, **stored)

    @staticmethod
    def _highlight(hit, fieldname: str, text: str) -> str:
        """``text`` escaped, cut around the words ``fieldname`` matched, each in ``<mark>``.

        '' when none of the query's words occur in ``text``.
        """
        hit.results.fragmenter = ContextFragmenter(maxchars=240, surround=70)
        hit.results.formatter = HtmlFormatter(tagname="mark", between=" … ")
        return hit.highlights(fieldname, text=text, top=2)


class NewsWhooshEngine(WhooshEngine):
    backend = NewsWhooshBackend
