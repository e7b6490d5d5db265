"""Opening searchers, and what every query on one searcher shares (:class:`_SearcherData`):
document sets, facet values, sort keys, spelling corrections."""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from haystack.exceptions import SearchBackendError
from whoosh.codec.whoosh3 import W3Codec
from whoosh.query import And, Term
from whoosh.reading import SegmentReader

from .postings import DocSets, from_bitset, read_postings, to_bitset_of
from .schema import KNOWN_SUFFIX
from .scoring import Scorer
from .similar import Frequencies

# Tries at opening a searcher while commits keep changing the index (Whoosh's reader tries as often).
OPEN_ATTEMPTS = 10
# Parsed queries and matched document sets kept per searcher.
CACHE_SIZE = 256
# Each segment's facet values, kept across searchers (a segment never changes; a commit adds one):
# (segment id, field) -> (values, their documents in the segment, each document's value's index).
# The entity facets have tens of thousands of values: reading them all again after every commit
# took the next search about a second at 21.6k.
_SEGMENT_VALUES: dict[tuple[str, str], tuple[list[str], np.ndarray, np.ndarray]] = {}


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


@dataclass(frozen=True)
class _Values:
    """A whole-value field's values (in term order: alphabetical) and its (document, value) pairs,
    as two parallel arrays: counting them among a query's matches is one numpy pass, however many
    values the field has (the entity facets have tens of thousands)."""

    names: list[str]
    docs: np.ndarray  # document numbers
    which: np.ndarray  # the index in ``names`` of each document's value


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
        self._values: dict[str, _Values] = {}
        self._sort_keys: dict[str, list] = {}
        self._docsets: dict = {}
        self.sets = DocSets(searcher)
        self.scorer = Scorer(searcher, self.sets)
        self.frequencies = Frequencies(self.reader)
        # (document, filter, how many) -> the related documents and their scores, best first.
        self.related: dict[tuple, list[tuple[int, float]]] = {}

    def bitset(self, docnums: Iterable[int]) -> int:
        return to_bitset_of(docnums, self.size)

    def docnums(self, bits: int) -> list[int]:
        """The document numbers in a bitset, ascending."""
        return from_bitset(bits, self.size).tolist()

    def docnum_array(self, bits: int):
        """The document numbers in a bitset, ascending, as a numpy array."""
        return from_bitset(bits, self.size)

    def docset(self, *queries) -> int:
        """The documents matching every query; each part of an ``And`` is matched (and cached) alone."""
        matched = None
        for query in queries:
            for part in query.subqueries if isinstance(query, And) else (query,):
                bits = self._docsets.get(part)
                if bits is None:
                    if len(self._docsets) >= CACHE_SIZE:
                        self._docsets.clear()
                    bits = self._docsets[part] = self.sets.bits(part)
                matched = bits if matched is None else matched & bits
        return matched if matched is not None else 0

    def values(self, fieldname: str) -> _Values:
        """Each value of a whole-value field, with the documents that have it: each segment's read
        once (:func:`_segment_values`), then put together in term order."""
        if fieldname not in self._values:
            if self.sets.native:
                segments = self.sets.segments
                parts = [(offset, _segment_values(reader, fieldname)) for reader, offset in segments]
                forget_merged(_SEGMENT_VALUES, fieldname, [reader for reader, _ in segments])
                names = sorted({name for _, (found, _, _) in parts for name in found})
                everyone = np.asarray(names, dtype=object)
                docs = [local + offset for offset, (_, local, _) in parts]
                which = [
                    np.searchsorted(everyone, np.asarray(found, dtype=object)).astype(np.int32)[local_which]
                    for _, (found, _, local_which) in parts
                    if found
                ]
            else:
                names = [value for value in self.reader.field_terms(fieldname) if value]
                docs = [self.docnum_array(self.sets.bits(Term(fieldname, value))) for value in names]
                which = [np.full(len(found), i, dtype=np.int32) for i, found in enumerate(docs)]
            all_docs = np.concatenate(docs) if docs else np.zeros(0, dtype=np.int64)
            all_which = np.concatenate(which) if which else np.zeros(0, dtype=np.int32)
            if self.sets.native and self.sets.deleted is not None:
                kept = ~np.isin(all_docs, self.sets.deleted)
                all_docs, all_which = all_docs[kept], all_which[kept]
            self._values[fieldname] = _Values(names, all_docs, all_which)
        return self._values[fieldname]

    def counts(self, fieldname: str, matched: int, limit: int | None = None) -> list[tuple[str, int]]:
        """Exact counts of the field's values among the matched documents, most frequent first
        (then in alphabetical order); the first ``limit`` of them (None: all)."""
        values = self.values(fieldname)
        if not matched or not len(values.docs):
            return []
        raw = np.frombuffer(matched.to_bytes((self.size >> 3) + 1, "little"), dtype=np.uint8)
        mask = np.unpackbits(raw, bitorder="little")[: self.size].view(bool)
        counted = np.bincount(values.which[mask[values.docs]], minlength=len(values.names))
        found = np.flatnonzero(counted)
        order = found[np.argsort(-counted[found], kind="stable")][:limit]  # ties stay in term order
        return [(values.names[i], int(counted[i])) for i in order]

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


def forget_merged(kept: dict[tuple[str, str], object], field: str, readers: Iterable[SegmentReader]) -> None:
    """Let go of what ``kept`` ((segment id, field) -> ...) holds of ``field`` for segments other
    than these live ones (merged away)."""
    live = {reader.segment().segment_id() for reader in readers}
    for key in [k for k in kept if k[1] == field and k[0] not in live]:
        del kept[key]


def _segment_values(reader: SegmentReader, fieldname: str) -> tuple[list[str], np.ndarray, np.ndarray]:
    """A segment's values of a whole-value field, its documents having each (numbers within the
    segment, deleted ones included) and the index of each one's value; kept per segment."""
    key = (reader.segment().segment_id(), fieldname)
    found = _SEGMENT_VALUES.get(key)
    if found is None:
        names, docs = [], []
        if fieldname in reader.schema:
            field = reader.schema[fieldname]
            for value in reader.field_terms(fieldname):
                if value:
                    names.append(value)
                    docs.append(read_postings(reader, fieldname, field.to_bytes(value)).ids)
        which = [np.full(len(ids), i, dtype=np.int32) for i, ids in enumerate(docs)]
        found = _SEGMENT_VALUES[key] = (
            names,
            np.concatenate(docs).astype(np.int64) if docs else np.zeros(0, dtype=np.int64),
            np.concatenate(which) if which else np.zeros(0, dtype=np.int32),
        )
    return found
