"""A bulk load's index commits merge nothing; its end merges the segments in small steps, applying
queued changes (editors') before each step."""

import pytest
from django.db import transaction

from articles.models import Article, IndexTask
from articles.search import indexing
from articles.search.whoosh import writing

pytestmark = pytest.mark.django_db(transaction=True)


def sizes(backend) -> list[int]:
    return sorted(segment.doc_count_all() for segment in backend.index._segments())


def test_a_load_merges_once_at_its_end_in_steps_and_applies_queued_changes_between(
    search_backend, monkeypatch
):
    monkeypatch.setattr(writing, "MERGE_STEP", 5)
    with transaction.atomic():
        articles = [Article.objects.create(headline=f"Batch {n}", body="Loaded.") for n in range(12)]
    search_backend.clear()
    steps = []
    step = type(search_backend).merge_step

    def recorded(backend, **kwargs):
        steps.append((sizes(backend), IndexTask.objects.count()))
        return step(backend, **kwargs)

    monkeypatch.setattr(type(search_backend), "merge_step", recorded)

    with indexing.deferred_merges():
        for article in articles:  # a batch each: twelve commits, no merge
            indexing.sync_articles([article.pk])
        assert sizes(search_backend) == [1] * 12
        edited = Article.objects.filter(pk=articles[0].pk)
        edited.update(headline="Edited meanwhile")
        IndexTask.objects.create(article_id=articles[0].pk)  # an editor's change, queued

    assert steps[0] == ([1] * 13, 0), "the queued change applied (a segment of its own) before the first step"
    assert len(steps) > 2 and max(sizes(search_backend)) <= 5, "steps of at most MERGE_STEP documents"
    assert search_backend.index.doc_count() == 12
    assert [r.headline for r in search_backend.search("edited")["results"]] == ["Edited meanwhile"]


def test_whoosh_policy_outside_a_load(search_backend):
    with transaction.atomic():
        articles = [Article.objects.create(headline=f"Single {n}", body="One.") for n in range(8)]
    search_backend.clear()
    for article in articles:
        indexing.sync_articles([article.pk])
    assert len(sizes(search_backend)) < 8, "Whoosh's policy merged as it went"
