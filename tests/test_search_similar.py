"""Related articles with numpy are what Whoosh gives: the same key terms and weights, and the
same documents with the same scores, filters and exclusions applied."""

import pytest
from haystack import connections
from haystack.constants import ID
from whoosh.query import Or, Term

from articles.models import Article
from articles.search.whoosh import similar

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shared(demo):
    backend = connections["default"].get_backend()
    backend.searcher()
    return backend, backend._shared


def texts(backend, limit: int) -> list[tuple[int, str]]:
    searcher = backend.searcher()
    found = []
    for article in Article.objects.order_by("pk")[:limit]:
        docnum = searcher.document_number(**{ID: f"articles.article.{article.pk}"})
        if docnum is not None:
            stored = searcher.stored_fields(docnum)
            found.append((docnum, f"{stored['headline']}\n{stored['body']}"))
    return found


def test_key_terms_are_whoosh_s(shared):
    backend, data = shared
    field = backend.content_field_name
    for _, text in texts(backend, 40):
        expected = backend.searcher().key_terms_from_text(field, text, numterms=12)
        found = similar.key_terms(data, field, text, 12)
        assert [word for word, _ in found] == [word for word, _ in expected]
        assert [weight for _, weight in found] == pytest.approx([weight for _, weight in expected])


def test_the_most_alike_are_whoosh_s_with_filters_and_exclusions(shared):
    backend, data = shared
    field = backend.content_field_name
    searcher = backend.searcher()
    allow = set(range(0, data.size, 2))  # a filter: every other document
    for docnum, text in texts(backend, 25):
        terms = [Term(field, w, boost=b) for w, b in similar.key_terms(data, field, text, 12)]
        for kept, masked in ((None, {docnum}), (allow, {docnum, docnum + 1})):
            found = similar.most_like(data, terms, 8, kept, masked)
            hits = searcher.search(Or(terms), limit=8, filter=kept, mask=masked, terms=False)
            expected = [(d, score) for score, d in hits.top_n]
            assert [d for d, _ in found] == [d for d, _ in expected]
            assert [s for _, s in found] == pytest.approx([s for _, s in expected])
            assert docnum not in {d for d, _ in found}
