""" "Did you mean": a rare or unknown word of a query, corrected to a much more frequent one an
edit or two away.

Whoosh finds the words within an edit distance by walking a Levenshtein automaton through the
segment's on-disk word list: a file read at each step, about 30 ms a rare word at 21.6k
articles (an unseen query's costliest part). Here each segment's word list is read once and
kept in memory, grouped by first letter and length (a segment never changes; a commit adds
one), and the few groups a word could be within reach of are compared by ``jellyfish``'s
Levenshtein distance: the same words, sharing the first letter as Whoosh's ``prefix=1`` asks.
"""

from __future__ import annotations

from collections import defaultdict

from jellyfish import levenshtein_distance
from whoosh.reading import SegmentReader

from .searcher import forget_merged

# A word in fewer documents than RARE_WORD is corrected to a neighbour found in at least
# RARE_RATIO times as many, one edit away (two for words of TWO_EDITS_FROM letters and more);
# words shorter than CORRECT_FROM letters are left alone (``sao`` is not ``so``).
RARE_WORD = 3
RARE_RATIO = 10
CORRECT_FROM = 4
TWO_EDITS_FROM = 7

# Each segment's words of a spelling field, by (first letter, length): (segment id, field) -> groups.
_SEGMENT_WORDS: dict[tuple[str, str], dict[tuple[str, int], list[str]]] = {}


def correction(searcher, spell_field: str, analyzer, word: str) -> str | None:
    """A much more frequent word an edit or two from a rare or unknown ``word``, or None."""
    normal = [token.text for token in analyzer(word, no_morph=True)]
    if len(normal) != 1 or not normal[0].isalpha():
        return None
    word = normal[0]
    reader = searcher.reader()
    known = reader.doc_frequency(spell_field, word)
    if known >= RARE_WORD or len(word) < CORRECT_FROM:
        return None
    segments = keep_words(searcher, spell_field)
    for maxdist in (1, 2) if len(word) >= TWO_EDITS_FROM else (1,):
        candidates = {
            candidate
            for groups in segments
            for length in range(len(word) - maxdist, len(word) + maxdist + 1)
            for candidate in groups.get((word[0], length), ())
            if levenshtein_distance(candidate, word) <= maxdist
        } - {word}
        if candidates:
            best = max(sorted(candidates), key=lambda c: reader.doc_frequency(spell_field, c))
            if reader.doc_frequency(spell_field, best) >= max(1, known * RARE_RATIO):
                return best
    return None


def keep_words(searcher, spell_field: str) -> list[dict[tuple[str, int], list[str]]]:
    """Each of the searcher's segments' words (read now if not yet); those of segments merged
    away are let go."""
    readers = [leaf.reader() for leaf, _ in searcher.leaf_searchers()]
    forget_merged(_SEGMENT_WORDS, spell_field, readers)
    return [_words(reader, spell_field) for reader in readers]


def _words(reader: SegmentReader, field: str) -> dict[tuple[str, int], list[str]]:
    """The segment's words of ``field`` by (first letter, length), read once per segment."""
    segment = reader.segment().segment_id()
    found = _SEGMENT_WORDS.get((segment, field))
    if found is None:
        groups: defaultdict[tuple[str, int], list[str]] = defaultdict(list)
        if field in reader.schema:
            for word in reader.lexicon(field):
                text = word.decode("utf-8") if isinstance(word, bytes) else word
                if text:
                    groups[text[0], len(text)].append(text)
        found = _SEGMENT_WORDS[segment, field] = dict(groups)
    return found
