""" "Did you mean" from the segments' word lists in memory gives Whoosh's own corrections: the
words its Levenshtein automaton finds (first letter kept), the most frequent chosen."""

import pytest
from haystack import connections

from articles.search.whoosh import spelling

pytestmark = pytest.mark.django_db(transaction=True)


def whoosh_correction(searcher, field: str, analyzer, word: str) -> str | None:
    """The correction as Whoosh's ``terms_within`` finds its candidates (the code before)."""
    normal = [token.text for token in analyzer(word, no_morph=True)]
    if len(normal) != 1 or not normal[0].isalpha():
        return None
    word, reader = normal[0], searcher.reader()
    known = reader.doc_frequency(field, word)
    if known >= spelling.RARE_WORD or len(word) < spelling.CORRECT_FROM:
        return None
    for maxdist in (1, 2) if len(word) >= spelling.TWO_EDITS_FROM else (1,):
        candidates = {
            candidate
            for leaf, _ in searcher.leaf_searchers()
            for candidate in leaf.reader().terms_within(field, word, maxdist, prefix=1)
        } - {word}
        if candidates:
            best = max(sorted(candidates), key=lambda c: reader.doc_frequency(field, c))
            if reader.doc_frequency(field, best) >= max(1, known * spelling.RARE_RATIO):
                return best
    return None


def test_corrections_are_whooshs(demo):
    backend = connections["default"].get_backend()
    searcher = backend.searcher()
    field = backend.schema[backend.content_field_name]
    spell = field.spelling_fieldname(backend.content_field_name)
    words = [w.decode() for w in searcher.reader().lexicon(spell)]
    assert len(words) > 1000
    typos = [w[:3] + w[4:] for w in words[::7] if len(w) > 5]  # a letter dropped
    typos += [w[:2] + "x" + w[3:] for w in words[::11] if len(w) > 4]  # a letter changed
    typos += [w + "s" for w in words[::13]] + ["governmnet", "presidnet", "Baghdda", "zzzzqq", "the"]
    found = {w: spelling.correction(searcher, spell, field.analyzer, w) for w in typos}
    assert found == {w: whoosh_correction(searcher, spell, field.analyzer, w) for w in typos}
    assert sum(1 for c in found.values() if c) > 100, "most typos are corrected"
