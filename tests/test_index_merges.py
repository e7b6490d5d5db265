"""Segments are merged beside the index, without its writer: edits made meanwhile are kept, a merge
whose segments changed under it gives up, commits merge only tiny segments, and a commit that
leaves segments to merge queues the merge job."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult
from haystack import connections

from articles.jobs import merge_index
from articles.jobs.models import Job
from articles.models import Article
from articles.search import indexing
from articles.search.whoosh import merging, writing
from articles.search.whoosh.writing import open_writer
from tests.conftest import run_jobs

pytestmark = pytest.mark.django_db(transaction=True)


def sizes(backend) -> list[int]:
    return sorted(segment.doc_count() for segment in backend.index._segments())


def headlines(backend, text: str) -> list[str]:
    return sorted(result.headline for result in backend.search(text)["results"])


def in_step(backend) -> bool:
    index = connections["default"].get_unified_index().get_index(Article)
    return not backend.drift(index, index.index_queryset())


@pytest.fixture
def four_segments(search_backend, monkeypatch) -> list[Article]:
    """Twelve articles in four segments of three; commits merge nothing (see the last test)."""
    monkeypatch.setattr(writing, "SMALL_MERGE", 0)
    with transaction.atomic():
        articles = [Article.objects.create(headline=f"Batch {n}", body="Loaded copy.") for n in range(12)]
    search_backend.clear()
    for start in range(0, 12, 3):
        indexing.sync_articles([a.pk for a in articles[start : start + 3]])
    assert sizes(search_backend) == [3, 3, 3, 3]
    return articles


def test_the_plan_merges_a_size_tier_once_it_holds_factor_segments():
    class Segment:
        def __init__(self, live):
            self.live = live

        def doc_count(self):
            return self.live

    def planned(*counts):
        return sorted(segment.live for segment in merging.plan([Segment(count) for count in counts]))

    assert merging.BASE * merging.FACTOR == 1000
    assert planned(500, 500, 500) == [], "three of the first tier: not yet"
    assert planned(500, 900, 100, 200, 90_000) == [100, 200, 500, 900]
    assert planned(1000, 1500, 2000, 3900, 200) == [1000, 1500, 2000, 3900], "the second tier"
    assert planned(40_000, 5000, 0) == [0], "an empty segment goes"
    assert planned(70_000, 80_000, 90_000) == []


def test_a_merge_is_written_beside_the_index_and_keeps_edits_made_meanwhile(search_backend, four_segments):
    index = search_backend.index
    staged = merging.stage(index, index._segments())
    assert staged is not None and sizes(search_backend) == [3, 3, 3, 3], "staged, not in place"

    # Meanwhile an editor changes one article and deletes another: the writer is free.
    edited, deleted = four_segments[1], four_segments[7]
    Article.objects.filter(pk=edited.pk).update(headline="Edited while merging")
    Article.objects.filter(pk=deleted.pk).delete()
    assert indexing.sync_articles([edited.pk, deleted.pk], wait=False)

    assert merging.install(index, staged)
    assert sizes(search_backend) == [1, 10], "the twelve merged, the edit's own segment beside"
    assert headlines(search_backend, "edited") == ["Edited while merging"]
    assert headlines(search_backend, "batch") == sorted(f"Batch {n}" for n in range(12) if n not in (1, 7)), (
        "neither the old version nor the deleted article comes back"
    )
    assert in_step(search_backend) and not staged.folder.exists()
    assert sorted(p.name for p in merging.staging_root(index).iterdir()) == []


def test_a_merge_whose_segments_were_merged_meanwhile_changes_nothing(search_backend, four_segments):
    index = search_backend.index
    staged = merging.stage(index, index._segments()[:2])
    assert merging.merge(index) == 1  # another merge takes the same segments first
    merged = sizes(search_backend)

    assert not merging.install(index, staged)
    assert sizes(search_backend) == merged == [12] and search_backend.index.doc_count() == 12
    assert in_step(search_backend) and not staged.folder.exists()


def test_staging_does_not_hold_the_writer(search_backend, four_segments, monkeypatch):
    free = []
    add_reader = writing.SegmentWriter.add_reader

    def reading(writer, reader):
        probe = open_writer(search_backend.index, wait=False)  # LockError if a writer were held
        probe.cancel()
        free.append(True)
        return add_reader(writer, reader)

    monkeypatch.setattr(writing.SegmentWriter, "add_reader", reading)
    assert indexing.merge_segments() == 1
    assert free == [True] * 4 and sizes(search_backend) == [12]


def test_commits_merge_only_tiny_segments(search_backend, monkeypatch):
    monkeypatch.setattr(writing, "SMALL_MERGE", 5)
    with transaction.atomic():
        many = [Article.objects.create(headline=f"Many {n}", body="Bulk.") for n in range(20)]
        singles = [Article.objects.create(headline=f"Single {n}", body="One.") for n in range(6)]
    search_backend.clear()
    indexing.sync_articles([a.pk for a in many])
    for article in singles[:5]:
        indexing.sync_articles([article.pk])
    assert sizes(search_backend) == [1, 1, 1, 1, 1, 20], "Whoosh's policy would merge all 25"

    monkeypatch.setattr(writing, "SMALL_MERGE", 100)
    indexing.sync_articles([singles[5].pk])
    assert sizes(search_backend) == [6, 20], "the small ones merged at the commit"


def test_a_commit_that_leaves_segments_to_merge_queues_the_job(search_backend, four_segments):
    assert not Job.objects.filter(kind=merge_index.KIND).exists(), "four segments: not yet"
    Article.objects.filter(pk=four_segments[0].pk).update(headline="Edited")
    with indexing.bounded():  # a web request's save: its own commit, and no job row
        indexing.schedule_sync([four_segments[0].pk])
    assert not Job.objects.filter(kind=merge_index.KIND).exists()

    Article.objects.filter(pk=four_segments[1].pk).update(headline="Edited too")
    indexing.schedule_sync([four_segments[1].pk])  # a load's, a job's or a command's commit
    job = Job.objects.get(kind=merge_index.KIND)
    assert merge_index.ensure_queued() is None, "one waiting merge is enough"
    waiting = DBTaskResult.objects.filter(status="READY")
    assert list(waiting.values_list("queue_name", flat=True)) == ["merges"], "a queue of its own"
    call_command("worker", "--batch", "--no-startup-delay", "--queue-name", "default", verbosity=0)
    job.refresh_from_db()
    assert job.state == Job.State.QUEUED, "the other jobs' worker leaves it to the merges' worker"

    run_jobs()
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED and "Merged" in job.outcome
    assert len(sizes(search_backend)) < 4 and search_backend.index.doc_count() == 12
    assert headlines(search_backend, "edited") == ["Edited", "Edited too"]
    assert in_step(search_backend)


def test_a_segment_whose_documents_are_all_deleted_is_dropped(search_backend, four_segments):
    gone = four_segments[:3]  # the first segment's
    Article.objects.filter(pk__in=[a.pk for a in gone]).delete()
    indexing.sync_articles([a.pk for a in gone])
    index = search_backend.index
    staged = merging.stage(index, [s for s in index._segments() if s.doc_count() == 0])
    assert staged is not None and merging.install(index, staged)
    assert sizes(search_backend) == [3, 3, 3], "no empty segment left, none added"
    assert merging.merge(index) == 0, "three segments of a tier: nothing to merge"


def test_the_worker_queues_the_index_work_a_stopped_process_left(search_backend, four_segments):
    from articles.jobs import index_queue
    from articles.models import IndexTask

    IndexTask.objects.create(article_id=four_segments[0].pk)  # a change queued, then a crash
    call_command("worker", "--batch", "--no-startup-delay", verbosity=0)

    kinds = dict(Job.objects.values_list("kind", "state"))
    assert kinds == {index_queue.KIND: Job.State.SUCCEEDED, merge_index.KIND: Job.State.SUCCEEDED}
    assert not IndexTask.objects.exists() and len(sizes(search_backend)) < 4
