"""Scoring a query's words with numpy, exactly as Whoosh 2.7's ``scoring.BM25F`` scores them,
and checking phrases in a few documents from the words' stored positions.

Whoosh scores one posting at a time in Python. Here each word's postings (``postings.py``) are
scored at once: ``idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / average length))``
with Whoosh's own idf (``log(N / (df + 1)) + 1``) and average field length, the field's ``B``,
the field lengths Whoosh stored (one byte a document), the weights it stored (field boosts
included) and the query terms' boosts; a document's score is the sum over the words it holds,
as Whoosh's union and intersection matchers add them. ``tests/test_search_postings.py`` checks
the scores against Whoosh's.
"""

from __future__ import annotations

import numpy as np
from whoosh import scoring
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.formats import Positions
from whoosh.query import And, Or, Phrase, Term
from whoosh.util.numeric import byte_to_length

from .postings import DocSets, from_bitset, in_a_row

# Whoosh stores a field's length in a document as one byte: the length each byte stands for.
_LENGTH_OF_BYTE = np.array([byte_to_length(b) or 0 for b in range(256)], dtype=np.float64)
# Queries whose scores (an array of a float per document) are kept per searcher.
SCORES_CACHE = 8


class Scorer:
    """BM25F scores and phrase checks on one searcher (Whoosh's default weighting only)."""

    def __init__(self, searcher, sets: DocSets) -> None:
        self.searcher = searcher
        self.sets = sets
        self.size = sets.size
        self.weighting = searcher.weighting
        self._lengths: dict[str, np.ndarray] = {}
        self._scores: dict = {}

    # -- what can be scored here ---------------------------------------------

    def terms(self, query) -> list[Term | Phrase] | None:
        """The words whose scores add up to ``query``'s, or None when Whoosh must score it.

        A phrase (words in a row) counts as its words' scores where it occurs, times its boost:
        Whoosh's phrase matcher is the intersection of its words' matchers, scored as they add up.
        """
        if type(self.weighting) is not scoring.BM25F or not self.sets.native:
            return None
        kind = type(query)
        if kind is Term:
            schema = self.sets.reader.schema
            field = schema[query.fieldname] if query.fieldname in schema else None  # noqa: SIM401 (no get)
            return [query] if field is None or field.scorable else None
        if kind is Phrase:
            scorable = self._in_a_row(query) and self.sets.reader.schema[query.fieldname].scorable
            return [query] if scorable else None
        if (kind is Or and not query.minmatch and query.scale is None) or kind is And:
            if query.boost != 1.0:
                return None
            found = []
            for sub in query.subqueries:
                terms = self.terms(sub)
                if terms is None:
                    return None
                found += terms
            return found
        return None

    # -- scores ---------------------------------------------------------------

    def scores_of(self, query, terms: list[Term]) -> np.ndarray:
        """:meth:`scores` of ``query``'s ``terms`` (:meth:`terms`), the last few cached."""
        found = self._scores.get(query)
        if found is None:
            if len(self._scores) >= SCORES_CACHE:
                self._scores.clear()
            found = self._scores[query] = self.scores(terms)
        return found

    def scores(self, terms: list[Term], related: bool = False) -> np.ndarray:
        """Per document of the searcher, the sum of ``terms``' BM25F scores (0 without any).
        ``related``: for related articles, their words' postings kept apart from the searches'."""
        total = np.zeros(self.size, dtype=np.float64)
        for term in terms:
            if isinstance(term, Phrase):
                self._add_phrase(total, term, related)
                continue
            tbytes = self.sets._term_bytes(term)
            if tbytes is None:
                continue
            fieldname = term.fieldname
            if (fieldname, tbytes) not in self.sets.reader:
                continue
            idf = self.searcher.idf(fieldname, tbytes)
            avgfl = self.searcher.avg_field_length(fieldname) or 1
            B = self.weighting._field_B.get(fieldname, self.weighting.B)
            K1 = self.weighting.K1
            lengths = self.lengths(fieldname)
            found = self.sets.weights if related else self.postings
            per_segment = found(fieldname, tbytes)
            for (_, offset), postings in zip(self.sets.segments, per_segment, strict=True):
                if not len(postings.ids):
                    continue
                ids = postings.ids + offset
                tf = postings.weights
                fl = lengths[ids]
                # Whoosh's ``scoring.bm25``, term for term.
                score = idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))
                if term.boost != 1.0:
                    score = score * term.boost
                total[ids] += score
        return total

    def _add_phrase(self, total: np.ndarray, phrase: Phrase, related: bool) -> None:
        """Add a phrase's score (:meth:`terms`) to ``total``, in the documents holding it."""
        docnums = from_bitset(self.sets.bits(phrase), self.size)
        if len(docnums):
            words = self.scores([Term(phrase.fieldname, word) for word in phrase.words], related)
            total[docnums] += words[docnums] * phrase.boost

    def _in_a_row(self, phrase: Phrase) -> bool:
        """Whether the phrase is words in a row (Whoosh's ``slop=1``) in a field with positions:
        one checked here from the words' positions."""
        schema = self.sets.reader.schema
        if phrase.slop != 1 or phrase.fieldname not in schema:
            return False
        fmt = schema[phrase.fieldname].format
        return isinstance(fmt, Positions) and fmt.fixed_value_size() is None

    def postings(self, fieldname: str, tbytes: bytes) -> list:
        return self.sets.postings(fieldname, tbytes)

    def lengths(self, fieldname: str) -> np.ndarray:
        """Each document's length of ``fieldname`` as Whoosh scores it (1 when it stored none)."""
        if fieldname not in self._lengths:
            lengths = np.ones(self.size, dtype=np.float64)
            for reader, offset in self.sets.segments:
                column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
                if column is None:
                    continue
                count = min(column._count, reader.doc_count_all())
                stored = np.frombuffer(column._dbfile.get(column._basepos, count), dtype=np.uint8)
                segment = np.zeros(reader.doc_count_all(), dtype=np.float64)
                segment[:count] = _LENGTH_OF_BYTE[stored]
                lengths[offset : offset + reader.doc_count_all()] = segment
            self._lengths[fieldname] = lengths
        return self._lengths[fieldname]

    # -- phrases --------------------------------------------------------------

    def with_phrase(self, phrases: list[Phrase], docnums: list[int]) -> set[int] | None:
        """Which of ``docnums`` hold any of ``phrases`` (each words in a row, Whoosh's ``slop=1``),
        checked at those documents only; None when a phrase is not one this can check."""
        found: set[int] = set()
        wanted = np.asarray(sorted(docnums), dtype=np.int64)
        for phrase in phrases:
            if not self._in_a_row(phrase):
                return None
            field = self.sets.reader.schema[phrase.fieldname]
            words = [field.to_bytes(word) for word in phrase.words]
            if not all((phrase.fieldname, word) in self.sets.reader for word in words):
                continue
            found |= self._phrase_in(phrase.fieldname, words, wanted, field.format)
        return found

    def _phrase_in(self, fieldname: str, words: list[bytes], wanted: np.ndarray, fmt) -> set[int]:
        found: set[int] = set()
        per_word = [self.postings(fieldname, word) for word in words]
        for index, (_, offset) in enumerate(self.sets.segments):
            local = wanted - offset
            hits = in_a_row([word[index] for word in per_word], local, fmt)
            found.update(int(docnum) + offset for docnum in hits)
        return found
