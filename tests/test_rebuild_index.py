"""``manage.py rebuild_index``: searches keep answering during a rebuild, and edits made meanwhile
(queued, since the rebuild holds the writer) are applied after the swap."""

import io
import multiprocessing

import pytest
from django.core.management import call_command
from haystack import connections
from haystack.query import SearchQuerySet

from articles.models import Article, IndexTask
from articles.search.whoosh import writing
from articles.search_indexes import ArticleIndex

pytestmark = pytest.mark.django_db(transaction=True)


def test_rebuild_answers_searches_meanwhile_and_applies_edits_queued_during_it(seeded, monkeypatch):
    baghdad = Article.objects.get(place__city="Baghdad")
    backend = connections["default"].get_backend()
    backend.remove(f"articles.article.{baghdad.pk}")  # drift the rebuild repairs
    total = Article.objects.published().count()
    seen_during: dict[str, object] = {}
    original = ArticleIndex.index_queryset

    def index_queryset(self, using=None):
        def articles():
            read = []
            for n, article in enumerate(original(self, using).iterator(chunk_size=500)):
                if n == 2:  # halfway: the rebuild holds the writer
                    seen_during["guterres"] = SearchQuerySet().auto_query("Guterres").count()
                    seen_during["all"] = SearchQuerySet().all().count()
                    first = Article.objects.get(pk=read[0].pk)  # already read: stale in the new index
                    first.headline = "Renamed while rebuilding"
                    first.save()
                    seen_during["queued"] = IndexTask.objects.count()
                read.append(article)
                yield article

        queryset = original(self, using)
        monkeypatch.setattr(queryset, "iterator", lambda chunk_size=None: articles())
        return queryset

    monkeypatch.setattr(ArticleIndex, "index_queryset", index_queryset)
    out = io.StringIO()
    call_command("rebuild_index", "--noinput", stdout=out)

    assert f"Indexed {total} articles" in out.getvalue()
    assert seen_during["all"] == total - 1 and seen_during["guterres"] > 0  # the live index answered
    assert seen_during["queued"] == 1  # the edit did not wait for the rebuild's writer
    assert [r.headline for r in SearchQuerySet().auto_query("rebuilding")] == ["Renamed while rebuilding"]
    assert SearchQuerySet().all().count() == total
    assert not IndexTask.objects.exists()


def test_a_failed_large_rebuild_stops_its_writer_processes_and_keeps_the_index(seeded):
    backend = connections["default"].get_backend()
    index = connections["default"].get_unified_index().get_index(Article)
    article = Article.objects.published().first()
    before = SearchQuerySet().count()

    def articles():
        for _ in range(250):  # enough batches to start both writer processes
            yield article
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        backend.rebuild(index, articles(), expected=writing.PARALLEL_THRESHOLD)
    assert multiprocessing.active_children() == [], "the writer's processes are stopped, not left waiting"
    assert SearchQuerySet().count() == before
