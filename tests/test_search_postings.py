"""Document sets from numpy postings and numpy BM25F scores agree with Whoosh's own answers.

``articles/search/whoosh/postings.py`` and ``scoring.py`` read Whoosh 2.7's postings format
directly; here both are compared with Whoosh (``query.docs(searcher)``, ``searcher.search``,
its phrase matcher) on a real index in a temporary folder: several segments, postings of many
blocks, inlined single postings, deleted documents, dates, whole values.
"""

import datetime as dt
import random

import numpy as np
import pytest
from whoosh import index as whoosh_index
from whoosh.fields import DATETIME, TEXT, Schema
from whoosh.fields import ID as WHOOSH_ID
from whoosh.qparser import MultifieldParser
from whoosh.query import And, Every, Not, Or, Phrase, Term

from articles.search.whoosh.postings import read_postings, to_bitset_of
from articles.search.whoosh.ranking import _matching, _phrase, ranked
from articles.search.whoosh.schema import WHOLE, news_analyzer
from articles.search.whoosh.searcher import _SearcherData

WORDS = [
    "oil",
    "price",
    "crude",
    "opec",
    "barrel",
    "bank",
    "rate",
    "interest",
    "dollar",
    "yen",
    "gold",
    "trade",
    "export",
    "import",
    "wheat",
    "grain",
    "tonne",
    "profit",
    "loss",
    "share",
    "stock",
    "market",
    "company",
    "said",
    "year",
    "month",
    "week",
    "quarter",
    "tokyo",
    "london",
    "iraq",
    "iran",
    "central",
    "government",
    "minister",
    "talks",
    "deal",
    "merger",
]
OUTLETS = ["Reuters", "AP", "New York Times", "Peace, security"]
TEXT_FIELDS = ["headline", "text"]


def _schema():
    analyzer = news_analyzer()
    return Schema(
        id=WHOOSH_ID(stored=True, unique=True),
        headline=TEXT(analyzer=analyzer, field_boost=3.0, stored=True),
        text=TEXT(analyzer=analyzer),
        outlet_exact=WHOLE(stored=True, sortable=True),
        published=DATETIME(sortable=True),
    )


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    """About 2,300 documents in four segments (one with deletions), random words in common ones."""
    ix = whoosh_index.create_in(tmp_path_factory.mktemp("postings"), _schema())
    rng = random.Random(15)
    start = dt.datetime(2025, 1, 1)
    number = 0
    for batch in (900, 700, 500, 200):
        writer = ix.writer()
        for _ in range(batch):
            words = rng.choices(WORDS, weights=range(len(WORDS), 0, -1), k=rng.randint(5, 120))
            writer.add_document(
                id=str(number),
                headline=" ".join(rng.sample(WORDS, 3)),
                text=" ".join(words) + (" zebra" if number == 1234 else ""),  # a one-posting word
                outlet_exact=rng.choice(OUTLETS),
                published=start + dt.timedelta(hours=7 * number),
            )
            number += 1
        writer.commit(merge=False)
    writer = ix.writer()
    for gone in range(0, 900, 7):  # deletions in the first segment
        writer.delete_by_term("id", str(gone))
    writer.commit(merge=False)
    return ix


@pytest.fixture
def searcher(index):
    with index.searcher() as searcher:
        assert len(searcher.reader().leaf_readers()) == 4 and searcher.reader().has_deletions()
        yield searcher


def _parse(text):
    schema = _schema()
    boosts = {"headline": 3.0, "text": 1.0}
    return MultifieldParser(TEXT_FIELDS, schema=schema, fieldboosts=boosts).parse(text)


QUERIES = [
    "oil",
    "oil price",
    "said",
    "zebra",
    "nosuchword",
    '"crude oil"',
    '"interest rate" bank',
    '"prime interest rate"',  # three words in a row
    '"crude nosuchword"',  # a word the index does not hold
    '"oil oil"',  # a word after itself
    "oil OR gold",
    "(oil OR gold) tokyo",
    "oil -opec",
    "oil NOT opec NOT barrel",
    "gol*",
    "t*",
    "headline:merger",
    "headline:(deal talks)",
    "published:[20250201 TO 20250315]",
    "published:[20250301 TO]",
    "oil published:[TO 20250110]",
]


@pytest.mark.parametrize("text", QUERIES)
def test_document_sets_are_whooshs(searcher, text):
    query = _parse(text)
    shared = _SearcherData(searcher)
    assert shared.sets.bits(query) == to_bitset_of(query.docs(searcher), shared.size), repr(query)


def test_structured_queries_match_as_whoosh(searcher):
    shared = _SearcherData(searcher)
    queries = [
        Term("outlet_exact", "Peace, security"),
        Or([Term("outlet_exact", "AP"), Term("outlet_exact", "New York Times")]),
        And([Term("text", "oil"), Not(Term("outlet_exact", "AP"))]),
        Not(Term("text", "oil")),
        Every(),
        And([Term("text", "oil"), Phrase("text", ["interest", "rate"])]),
        Term("nosuchfield", "oil"),
    ]
    for query in queries:
        assert shared.sets.bits(query) == to_bitset_of(query.docs(searcher), shared.size), repr(query)


def test_facet_values_and_counts_are_whooshs(searcher):
    shared = _SearcherData(searcher)
    matched = shared.docset(_parse("oil price"))
    expected = {
        value: len(set(_parse("oil price").docs(searcher)) & set(Term("outlet_exact", value).docs(searcher)))
        for value in OUTLETS
    }
    assert dict(shared.counts("outlet_exact", matched)) == {v: n for v, n in expected.items() if n}


def test_postings_of_many_blocks_and_of_one_document(searcher):
    for reader, _ in searcher.reader().leaf_readers():
        for word in (b"said", b"oil", b"zebra", b"nosuchword"):
            postings = read_postings(reader, "text", word, weights=True, values=True)
            if (("text", word)) not in reader:
                assert len(postings.ids) == 0
                continue
            matcher = reader._terms.matcher("text", word, reader.schema["text"].format)
            expected = list(matcher.all_items())
            assert postings.ids.tolist() == [docnum for docnum, _ in expected]
            assert postings.values == [value for _, value in expected]
            matcher = reader._terms.matcher("text", word, reader.schema["text"].format)
            weights = []
            while matcher.is_active():
                weights.append(matcher.weight())
                matcher.next()
            assert postings.weights.tolist() == pytest.approx(weights)
    said = read_postings(searcher.reader().leaf_readers()[0][0], "text", b"said")
    assert len(said.ids) > 3 * 128, "postings of several blocks"


@pytest.mark.parametrize(
    "text",
    [
        "oil",
        "oil price",
        "said year",
        "oil OR gold",
        "headline:merger",
        "zebra",
        '"crude oil"',
        '"interest rate" bank',
        '"prime interest rate" OR gold',
        '"oil oil"',
        '"crude nosuchword" OR oil',
    ],
)
def test_scores_are_whooshs_bm25f(searcher, text):
    query = _parse(text)
    shared = _SearcherData(searcher)
    terms = shared.scorer.terms(query)
    assert terms is not None
    scores = shared.scorer.scores(terms)
    hits = searcher.search(query, limit=None)
    assert len(hits) > 0
    for hit in hits:
        assert scores[hit.docnum] == pytest.approx(hit.score, abs=1e-5, rel=1e-9)


def test_prefixes_and_loose_phrases_are_left_to_whoosh_scoring(searcher):
    shared = _SearcherData(searcher)
    assert shared.scorer.terms(_parse("gol*")) is None
    assert shared.scorer.terms(_parse('"crude oil"~3')) is None


@pytest.mark.parametrize("text", ["oil price", "interest rate bank", "crude oil", "said year", "tokyo trade"])
def test_phrase_check_is_whooshs(searcher, text):
    query = _parse(text)
    shared = _SearcherData(searcher)
    phrase = _phrase(query.subqueries)
    docnums = sorted(query.docs(searcher))
    found = shared.scorer.with_phrase(phrase.subqueries, docnums)
    assert found == _matching(searcher, phrase, docnums)
    if text == "interest rate bank":
        assert found, "the check finds phrases"


@pytest.mark.parametrize("text", ["oil", "oil price", "said year -opec", "interest rate", '"interest rate"'])
@pytest.mark.parametrize("limit", [1, 20, 45])
def test_ranking_is_whooshs(searcher, text, limit):
    """The numpy ranking returns Whoosh's top hits in Whoosh's order (equal scores by document)."""
    query = _parse(text)
    shared = _SearcherData(searcher)
    matched = shared.docset(query)
    mine = ranked(shared, query, matched, limit, set(TEXT_FIELDS))
    shared.scorer.terms = lambda query: None  # Whoosh scores instead
    theirs = ranked(shared, query, matched, limit, set(TEXT_FIELDS))
    assert [docnum for docnum, _ in mine] == [docnum for docnum, _ in theirs]
    assert np.allclose([score for _, score in mine], [score for _, score in theirs], atol=1e-5)
