"""The index queue: changes are queued with their transaction, applied after it by one writer, never
lost when the writer is busy, and a save never waits for another process's writer."""

import json
import multiprocessing

import pytest
from django.db import transaction
from haystack.query import SearchQuerySet

from articles.ingest import ingest_paths
from articles.models import Article, IndexTask, Story
from articles.search import indexing
from articles.search.indexing import apply_once, apply_pending

pytestmark = pytest.mark.django_db(transaction=True)


def indexed_ids() -> set[int]:
    return {int(r.pk) for r in SearchQuerySet().all()}


def published_ids() -> set[int]:
    return set(Article.objects.published().values_list("pk", flat=True))


def test_a_commit_is_applied_and_its_tasks_deleted(search_backend):
    with transaction.atomic():
        article = Article.objects.create(headline="Queued", body="Aardvark census results.")
        assert IndexTask.objects.filter(article_id=article.pk).exists()  # queued with the change
        assert SearchQuerySet().auto_query("aardvark").count() == 0  # not before the commit
    assert [int(r.pk) for r in SearchQuerySet().auto_query("aardvark")] == [article.pk]
    assert not IndexTask.objects.exists()


def test_transactions_inside_apply_once_are_applied_once_at_its_end(search_backend, syncs):
    with apply_once():
        first = Article.objects.create(headline="First", body="Queued quokka.")
        second = Article.objects.create(headline="Second", body="Queued quokka too.")
        assert SearchQuerySet().auto_query("quokka").count() == 0 and not syncs  # committed, queued
    assert syncs == [{first.pk, second.pk}]
    assert indexed_ids() == {first.pk, second.pk} and not IndexTask.objects.exists()


def test_a_rollback_leaves_no_task_and_no_document(search_backend):
    with pytest.raises(RuntimeError), transaction.atomic():
        Article.objects.create(headline="Phantom", body="Phantom narwhal.")
        raise RuntimeError
    assert not IndexTask.objects.exists()
    assert SearchQuerySet().auto_query("narwhal").count() == 0


def test_an_index_error_after_the_commit_loses_nothing_and_fails_no_save(search_backend, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(type(search_backend), "sync", broken)
    article = Article.objects.create(headline="Saved", body="Resilient pangolin.")  # no exception
    assert Article.objects.filter(pk=article.pk).exists()
    assert IndexTask.objects.filter(article_id=article.pk).exists(), "still queued"
    assert "disk full" in caplog.text, "the error is logged"
    monkeypatch.undo()
    assert apply_pending() == 1
    assert [int(r.pk) for r in SearchQuerySet().auto_query("pangolin")] == [article.pk]


def test_deleting_a_story_any_way_ungroups_its_articles_in_search(seeded):
    story = Article.objects.get(pk=1).story
    assert SearchQuerySet().filter(story_exact=str(story.pk)).count() > 1
    Story.objects.filter(pk=story.pk).delete()  # its articles' story is set to NULL, sending no signal
    assert SearchQuerySet().filter(story_exact=str(story.pk)).count() == 0


def test_changes_made_while_another_process_writes_are_queued_not_waited_for_nor_lost(search_backend):
    kept = Article.objects.create(headline="Kept", body="Contended okapi.")
    gone = Article.objects.create(headline="Gone", body="Contended okapi too.")
    gone_pk = gone.pk
    busy = search_backend.index.writer()  # another process holding the writer, e.g. a rebuild
    try:
        gone.delete()  # returns at once: queued, not applied
        kept.headline = "Kept and renamed"
        kept.save()
        assert sorted(IndexTask.objects.values_list("article_id", flat=True)) == sorted([gone_pk, kept.pk])
    finally:
        busy.cancel()
    apply_pending()  # what the writer's holder does after releasing it
    assert [r.headline for r in SearchQuerySet().auto_query("okapi")] == ["Kept and renamed"]
    assert not IndexTask.objects.exists()


def records(tmp_path, count: int, last: str | None = None):
    path = tmp_path / "bulk.jsonl"
    lines = [
        json.dumps({"id": f"r{i}", "title": f"Bulk record {i}", "body": f"Pangolin report number {i}."})
        for i in range(count)
    ]
    path.write_text("\n".join([*lines, *([last] if last else [])]) + "\n")
    return path


def test_a_bulk_ingest_is_indexed_after_its_commit_and_leaves_no_tasks(search_backend, tmp_path):
    report = ingest_paths([records(tmp_path, 1200)], describe=False)
    assert report.ok and report.summary()["created"] == 1200
    assert indexed_ids() == published_ids() and len(indexed_ids()) == 1200
    assert not IndexTask.objects.exists()


def test_a_failed_bulk_ingest_leaves_its_committed_batches_indexed_and_nothing_else(search_backend, tmp_path):
    report = ingest_paths([records(tmp_path, 1200, last="{not json")], describe=False)  # batches of 1,000
    assert not report.ok and "line 1201" in report.files[0].error
    assert Article.objects.count() == 1000 and not IndexTask.objects.exists()
    assert indexed_ids() == published_ids() and len(indexed_ids()) == 1000
    assert multiprocessing.active_children() == [], "the writer's processes are stopped, not left waiting"


def test_a_bulk_ingest_while_the_writer_is_busy_is_applied_once_it_is_free(search_backend, tmp_path):
    busy = search_backend.index.writer()
    try:
        report = ingest_paths([records(tmp_path, 600)], describe=False)
        assert report.ok and IndexTask.objects.count() == 600
    finally:
        busy.cancel()
    apply_pending()
    assert indexed_ids() == published_ids() and len(indexed_ids()) == 600
    assert not IndexTask.objects.exists()


def test_the_apply_job_stands_aside_while_a_bulk_load_runs(search_backend):
    from articles.jobs import index_queue, runner
    from articles.jobs.models import Job

    article = Article.objects.create(headline="Okapi census", body="Rangers count okapis.")
    IndexTask.objects.create(article_id=article.pk)  # an editor's change the load's writer kept out

    with indexing.pipelined():
        assert indexing.bulk_load_running()
        job = index_queue.ensure_queued()
        runner.run(job.pk)
        job.refresh_from_db()
        assert job.state == Job.State.SUCCEEDED and job.outcome.startswith("A bulk load is writing")
        assert IndexTask.objects.count() == 1, "left to the load"

    assert not indexing.bulk_load_running()
    assert not IndexTask.objects.exists(), "the load applied the queue as it ended"
