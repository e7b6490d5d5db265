"""A query's matching documents from its terms' postings, read block by block into numpy arrays.

Whoosh turns postings into document numbers one posting at a time, in Python (its block reader
even undoes the delta encoding of each block's ids in a Python loop). Here a term's postings are
read a block at a time, straight from Whoosh 2.7's postings format (``whoosh.codec.whoosh3``:
``W3PostingsWriter._write_block`` / ``W3LeafMatcher``), and a query's documents are combined from
its terms' as sets: a word's document set is one numpy operation per block, not a step per document.

This reads Whoosh's internals (pinned at 2.7.4); everything that does so is in this module and
``tests/test_search_postings.py`` compares its answers with Whoosh's own on a real index.
"""

from __future__ import annotations

import io
import pickle
import struct
import zlib

import numpy as np
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermsReader
from whoosh.formats import Positions
from whoosh.query import And, AndMaybe, AndNot, Every, Not, Or, Phrase, Require, Term
from whoosh.query.qcore import _NullQuery
from whoosh.query.ranges import NumericRange
from whoosh.query.terms import MultiTerm
from whoosh.query.wrappers import ConstantScoreQuery
from whoosh.reading import SegmentReader, TermNotFound

_BLOCK_LENGTH = struct.Struct("!i")
# Postings of text fields' terms kept per searcher (about 70 bytes each, with their positions).
POSTINGS_HELD = 300_000
# Postings kept per searcher with their weights only (16 bytes each), for related articles.
WEIGHTS_HELD = 1_000_000
# Phrases' document sets kept per searcher (a name's variants, "united states", recur in many
# queries: Whoosh matched one in 80 ms at 21.6k); past this many the table starts again.
PHRASES_HELD = 256


class Postings:
    """A term's postings in one segment: document numbers (ascending, deleted ones included)
    and, when asked for, their weights and their values (encoded positions, for a text field)."""

    __slots__ = ("ids", "values", "weights")

    def __init__(self, ids: np.ndarray, weights: np.ndarray | None, values: list | None = None) -> None:
        self.ids, self.weights, self.values = ids, weights, values


_EMPTY = Postings(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64), [])


def read_postings(
    reader: SegmentReader, fieldname: str, tbytes: bytes, weights: bool = False, values: bool = False
) -> Postings:
    """The postings of ``fieldname:tbytes`` in a segment (none when the segment lacks the term)."""
    terms = reader._terms
    if not isinstance(terms, W3TermsReader):
        raise TypeError(f"Not a Whoosh 2.7 segment: {terms!r}")
    try:
        info = terms.term_info(fieldname, tbytes)
    except TermNotFound:
        return _EMPTY
    if info.is_inlined():  # a term in one document keeps its posting in its term info
        ids, found_weights, found_values = info.inlined_postings()
        return Postings(
            np.asarray(ids, dtype=np.int64),
            np.asarray(found_weights, dtype=np.float64) if weights else None,
            list(found_values) if values else None,
        )
    offset, length = info.extent()
    if isinstance(length, tuple):  # Whoosh 2.7 reads it back as a 1-tuple
        (length,) = length
    data = terms._postfile.get(offset, length)
    if data[:4] != WHOOSH3_HEADER_MAGIC:
        raise ValueError(f"Not Whoosh 2.7 postings for {fieldname}:{tbytes!r}")
    id_parts, weight_parts, all_values = [], [], []
    at, previous_max = 4, 0
    stream = io.BytesIO(data)
    while at < len(data):
        (block_length,) = _BLOCK_LENGTH.unpack_from(data, at)
        last = block_length < 0
        end = at + 4 + abs(block_length)
        stream.seek(at + 4)
        count, max_id, _, compression, _, _ = pickle.load(stream)  # noqa: S301 (the index's own files)
        block = data[stream.tell() : end]
        deltas, block_weights, block_values = pickle.loads(zlib.decompress(block) if compression else block)  # noqa: S301
        ids = np.array(deltas, dtype=np.int64)
        # A block's ids are deltas from 0: its first becomes its distance from the last block's last.
        ids[0] -= previous_max
        previous_max = max_id
        id_parts.append(ids)
        if weights:
            if block_weights is None:  # every weight 1.0
                weight_parts.append(np.ones(count, dtype=np.float64))
            elif not isinstance(block_weights, tuple | list):  # every weight the same
                weight_parts.append(np.full(count, block_weights, dtype=np.float64))
            else:
                weight_parts.append(np.asarray(block_weights, dtype=np.float64))
        if values:
            all_values.extend(block_values if block_values is not None else (None,) * count)
        at = end
        if last:
            break
    all_ids = np.cumsum(np.concatenate(id_parts)) if id_parts else _EMPTY.ids
    return Postings(
        all_ids,
        np.concatenate(weight_parts) if weights and weight_parts else None,
        all_values if values else None,
    )


class _Held:
    """Terms' postings kept up to ``limit`` postings in all; past it, all are let go at once."""

    def __init__(self, limit: int) -> None:
        self.limit, self.count = limit, 0
        self._found: dict[tuple[str, bytes], list[Postings]] = {}

    def get(self, key: tuple[str, bytes]) -> list[Postings] | None:
        return self._found.get(key)

    def keep(self, key: tuple[str, bytes], postings: list[Postings]) -> None:
        count = sum(len(p.ids) for p in postings)
        if self.count + count > self.limit:
            self._found.clear()
            self.count = 0
        self._found[key] = postings
        self.count += count


class DocSets:
    """Document sets of queries on one searcher, as Python-int bitsets (bit n = document n), built
    from numpy arrays of postings; any query part it cannot take apart is matched by Whoosh."""

    def __init__(self, searcher) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.size = self.reader.doc_count_all()
        leaves = self.reader.leaf_readers()
        self.segments = [(r, offset) for r, offset in leaves if isinstance(r, SegmentReader)]
        self.native = len(self.segments) == len(leaves) and all(
            isinstance(r._terms, W3TermsReader) for r, _ in self.segments
        )
        deleted = [
            offset + np.fromiter(r._perdoc.deleted_docs(), dtype=np.int64)
            for r, offset in self.segments
            if r.has_deletions()
        ]
        self.deleted = np.concatenate(deleted) if deleted else None
        everything = np.ones(self.size, dtype=bool)
        if self.deleted is not None:
            everything[self.deleted] = False
        self.everything = to_bitset(everything)
        self._postings = _Held(POSTINGS_HELD)
        self._weights = _Held(WEIGHTS_HELD)
        self._phrases: dict[tuple, int] = {}

    # -- building blocks ----------------------------------------------------

    def postings(self, fieldname: str, tbytes: bytes) -> list[Postings]:
        """A term's postings in each segment, with weights; a text field's with positions, kept
        (up to ``POSTINGS_HELD`` postings in all): ranking and phrase checks read them again."""
        key = (fieldname, tbytes)
        found = self._postings.get(key)
        if found is None:
            positions = isinstance(self.reader.schema[fieldname].format, Positions)
            found = [
                read_postings(reader, fieldname, tbytes, weights=True, values=positions)
                for reader, _ in self.segments
            ]
            if positions:
                self._postings.keep(key, found)
        return found

    def weights(self, fieldname: str, tbytes: bytes) -> list[Postings]:
        """A term's postings in each segment with their weights only, kept apart from the
        searches' (up to ``WEIGHTS_HELD`` postings): related articles' words, shared by many
        articles (and read block by block, unpickled, most of an article page's time)."""
        key = (fieldname, tbytes)
        found = self._weights.get(key)
        if found is None:
            found = [read_postings(reader, fieldname, tbytes, weights=True) for reader, _ in self.segments]
            self._weights.keep(key, found)
        return found

    def term_mask(self, terms: list[tuple[str, bytes]]) -> np.ndarray:
        """A bool array over the searcher's documents: those holding any of ``terms``."""
        mask = np.zeros(self.size, dtype=bool)
        for fieldname, tbytes in terms:
            if fieldname not in self.reader.schema:
                continue
            for (_, offset), postings in zip(self.segments, self.postings(fieldname, tbytes), strict=True):
                if len(postings.ids):
                    mask[postings.ids + offset] = True
        if self.deleted is not None:
            mask[self.deleted] = False
        return mask

    def _term_bytes(self, term: Term) -> bytes | None:
        schema = self.reader.schema
        if term.fieldname not in schema:
            return None
        text = term.text
        if isinstance(text, bytes):
            return text
        try:
            return schema[term.fieldname].to_bytes(text)
        except ValueError:
            return None

    # -- queries ------------------------------------------------------------

    def bits(self, query) -> int:
        """The documents matching ``query`` (exactly Whoosh's ``query.docs(searcher)``)."""
        if not self.native:
            return self.whoosh_bits(query)
        kind = type(query)
        if kind is Term:
            tbytes = self._term_bytes(query)
            return 0 if tbytes is None else to_bitset(self.term_mask([(query.fieldname, tbytes)]))
        if kind is Or and not query.minmatch:
            terms = [q for q in query.subqueries if type(q) is Term]
            found = 0
            if terms:
                pairs = [(q.fieldname, b) for q in terms if (b := self._term_bytes(q)) is not None]
                found = to_bitset(self.term_mask(pairs)) if pairs else 0
            for sub in query.subqueries:
                if type(sub) is not Term:
                    found |= self.bits(sub)
            return found
        if kind is And or kind is Require:
            return self._intersection(query.subqueries if kind is And else [query.a, query.b])
        if kind is AndNot:
            return self.bits(query.a) & ~self.bits(query.b)
        if kind is AndMaybe:
            return self.bits(query.a)
        if kind is Not:
            return self.everything & ~self.bits(query.query)
        if kind is Every and not query.fieldname:
            return self.everything
        if kind is Phrase:
            return self._phrase_bits(query)
        if isinstance(query, _NullQuery):
            return 0
        if kind is ConstantScoreQuery:  # a range's terms, scored alike: the same documents
            return self.bits(query.child)
        if isinstance(query, MultiTerm):  # prefixes, wildcards, term ranges, fuzzy terms: their terms
            pairs = [(query.fieldname, word) for word in query._btexts(self.reader) if word]
            return to_bitset(self.term_mask(pairs)) if pairs else 0
        if isinstance(query, NumericRange):  # dates too: an Or of the range's tiered term ranges
            return self.bits(query._compile_query(self.reader))
        return self.whoosh_bits(query)

    def _phrase_bits(self, phrase: Phrase) -> int:
        """A phrase's documents, kept for the searcher's next queries: with Whoosh's ``slop=1``
        (words in a row) in a field with positions, the documents holding every word, their
        positions compared (:func:`in_a_row`); another phrase, as Whoosh matches it."""
        key = (phrase.fieldname, tuple(phrase.words), phrase.slop, phrase.boost)
        found = self._phrases.get(key)
        if found is not None:
            return found
        field = self.reader.schema[phrase.fieldname] if phrase.fieldname in self.reader.schema else None  # noqa: SIM401 (no get)
        if phrase.slop != 1 or field is None or not isinstance(field.format, Positions):
            found = self.whoosh_bits(phrase)
        else:
            words = [field.to_bytes(word) for word in phrase.words]
            mask = np.zeros(self.size, dtype=bool)
            if words and all((phrase.fieldname, word) in self.reader for word in words):
                per_word = [self.postings(phrase.fieldname, word) for word in words]
                for index, (_, offset) in enumerate(self.segments):
                    postings = [word[index] for word in per_word]
                    common = postings[0].ids
                    for other in postings[1:]:
                        common = np.intersect1d(common, other.ids, assume_unique=True)
                    mask[in_a_row(postings, common, field.format) + offset] = True
            if self.deleted is not None:
                mask[self.deleted] = False
            found = to_bitset(mask)
        if len(self._phrases) >= PHRASES_HELD:
            self._phrases.clear()
        self._phrases[key] = found
        return found

    def _intersection(self, parts) -> int:
        positive = [p for p in parts if not isinstance(p, Not)]
        if not positive:  # only exclusions: Whoosh's And of Nots
            return self.whoosh_bits(And(parts))
        found = self.everything
        for part in positive:
            found &= self.bits(part)
            if not found:
                return 0
        for part in parts:
            if isinstance(part, Not):
                found &= ~self.bits(part.query)
        return found

    def whoosh_bits(self, query) -> int:
        """``query``'s documents as Whoosh finds them (a phrase, anything not taken apart here)."""
        return to_bitset_of(query.docs(self.searcher), self.size)


def in_a_row(per_word: list[Postings], local: np.ndarray, fmt) -> np.ndarray:
    """Those of ``local`` (a segment's document numbers, ascending) where the words whose postings
    in that segment are ``per_word`` stand in a row (Whoosh's phrase, ``slop=1``): each word's
    positions decoded at those documents only."""
    spots = []
    for postings in per_word:
        if not len(postings.ids) or not len(local):
            return np.zeros(0, dtype=np.int64)
        at = np.searchsorted(postings.ids, local)
        at[at >= len(postings.ids)] = len(postings.ids) - 1
        spots.append(np.where(postings.ids[at] == local, at, -1))
    found = []
    for i in np.flatnonzero(np.all(np.stack(spots) >= 0, axis=0)):
        starts = set(fmt.decode_positions(per_word[0].values[spots[0][i]]))
        for n in range(1, len(per_word)):
            starts &= {p - n for p in fmt.decode_positions(per_word[n].values[spots[n][i]])}
            if not starts:
                break
        if starts:
            found.append(local[i])
    return np.asarray(found, dtype=np.int64)


def to_bitset(mask: np.ndarray) -> int:
    """A bool array as a Python-int bitset (bit n = element n)."""
    return int.from_bytes(np.packbits(mask, bitorder="little").tobytes(), "little")


def to_bitset_of(docnums, size: int) -> int:
    """Document numbers (any iterable) as a bitset."""
    mask = np.zeros(size, dtype=bool)
    ids = np.fromiter(docnums, dtype=np.int64)
    if len(ids):
        mask[ids] = True
    return to_bitset(mask)


def from_bitset(bits: int, size: int) -> np.ndarray:
    """The document numbers in a bitset, ascending, as a numpy array."""
    if not bits:
        return np.zeros(0, dtype=np.int64)
    raw = np.frombuffer(bits.to_bytes((size >> 3) + 1, "little"), dtype=np.uint8)
    return np.flatnonzero(np.unpackbits(raw, bitorder="little")[:size])
